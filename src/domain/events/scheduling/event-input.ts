// What an organiser gives for an event's days and venues, shared by scheduling and moving.
import { z } from 'zod'
import { ValidationError, type FieldError } from '../../../errors.ts'

export const MAX_DAYS = 10

const instant = z.iso.datetime({ offset: true, error: 'Enter the date and time in the correct format' })

export const dayInput = z.object({ startsAt: instant, endsAt: instant })

export const venueInput = z.object({
  name: z
    .string({ error: 'Enter the venue’s name' })
    .trim()
    .min(1, 'Enter the venue’s name')
    .max(200, 'The venue’s name must be 200 characters or fewer'),
  address: z
    .string({ error: 'Enter the venue’s address' })
    .trim()
    .min(1, 'Enter the venue’s address')
    .max(1000, 'The address must be 1,000 characters or fewer'),
  capacity: z.coerce
    .number({ error: 'Enter the number of places as a whole number' })
    .int('Enter the number of places as a whole number')
    .min(1, 'The number of places must be 1 or more')
    .max(10_000, 'The number of places must be 10,000 or fewer'),
})

export const daysInput = z
  .array(dayInput, { error: 'Add the event’s days' })
  .min(1, 'Add at least one day')
  .max(MAX_DAYS, `An event can have up to ${MAX_DAYS} days`)

export function fieldOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || 'event'
}

export function invalid(error: z.ZodError): ValidationError {
  return new ValidationError(
    error.issues.map((i) => ({ code: 'invalid', field: fieldOf(i.path), message: i.message })),
  )
}

/** The days as instants, refused unless each ends after it starts and each begins after the one before ends. */
export function checkedDays(days: z.infer<typeof daysInput>): { startsAt: Date; endsAt: Date }[] {
  const errors: FieldError[] = []
  const parsed = days.map((d) => ({ startsAt: new Date(d.startsAt), endsAt: new Date(d.endsAt) }))
  parsed.forEach((d, i) => {
    if (d.endsAt <= d.startsAt) {
      errors.push({
        code: 'ends-before-start',
        field: `days.${i}.endsAt`,
        message: `Day ${i + 1} must end after it starts`,
      })
    }
    const before = parsed[i - 1]
    if (before && d.startsAt < before.endsAt) {
      errors.push({
        code: 'overlap',
        field: `days.${i}.startsAt`,
        message: `Day ${i + 1} must start after day ${i} ends`,
      })
    }
  })
  if (errors.length > 0) throw new ValidationError(errors)
  return parsed
}

/** The date access and dietary needs are kept until: 30 days after the event’s last day. */
export function needsRetainedUntil(days: { endsAt: Date }[]): string {
  const last = days[days.length - 1]!.endsAt
  return new Date(last.getTime() + 30 * 86_400_000).toISOString().slice(0, 10)
}
