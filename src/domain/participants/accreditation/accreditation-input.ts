// What NCETM and hubs give for accreditation: a requirement's title and programme, the date a
// requirement was met, the award date, and where an existing accreditation came from. Dates are
// UK calendar dates, YYYY-MM-DD, never in the future (checked against today in the use-case).
import { z } from 'zod'

export const ukDate = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a real date, like 2026-03-14')
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`)
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && v >= '2000-01-01'
    }, 'Enter a real date, like 2026-03-14')

export const requirementInput = z.object({
  title: z
    .string({ error: 'Enter the requirement' })
    .trim()
    .min(1, 'Enter the requirement')
    .max(200, 'The requirement must be 200 characters or fewer'),
  /** A programme's id for its own requirement; blank or left out for every programme. */
  programmeId: z
    .string()
    .trim()
    .nullable()
    .optional()
    .transform((v) => (v ? v : null)),
})

export const renameInput = requirementInput.pick({ title: true })

export const requirementMetInput = z.object({
  requirementId: z.coerce
    .number({ error: 'Select a requirement' })
    .int('Select a requirement')
    .positive('Select a requirement')
    .max(2 ** 31 - 1, 'Select a requirement'),
  metOn: ukDate('Enter the date the requirement was met'),
})

export const awardInput = z.object({ awardedOn: ukDate('Enter the date of the award') })

export const alreadyAccreditedInput = z.object({
  accreditedOn: ukDate('Enter the date they were accredited'),
  source: z
    .string({ error: 'Enter where the accreditation came from' })
    .trim()
    .min(1, 'Enter where the accreditation came from')
    .max(500, 'Where it came from must be 500 characters or fewer'),
})
