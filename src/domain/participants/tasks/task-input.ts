// What NCETM gives for a task, what a specialist gives as evidence, and what a reviewer decides,
// as zod schemas with GOV.UK messages. A task is due by 5pm UK time on its date, like a review
// deadline (DEADLINE_HOUR).
import { z } from 'zod'
import { deadlineInstant } from '../../selection/reviewing/review-deadlines.ts'

const ukDateString = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a real date, like 2027-03-14')
    .refine((value) => dueInstant(value) !== undefined, 'Enter a real date, like 2027-03-14')

/** 5pm UK time on the date; undefined where the date is not real. */
export function dueInstant(dueOn: string): Date | undefined {
  const [year, month, day] = dueOn.split('-').map(Number)
  if (year === undefined || month === undefined || day === undefined) return undefined
  return deadlineInstant({ year, month, day })
}

export const taskInput = z.object({
  title: z
    .string({ error: 'Enter the task’s title' })
    .trim()
    .min(1, 'Enter the task’s title')
    .max(200, 'The title must be 200 characters or fewer'),
  description: z
    .string({ error: 'Enter what the specialist needs to do' })
    .trim()
    .min(1, 'Enter what the specialist needs to do')
    .max(5000, 'The description must be 5,000 characters or fewer'),
  dueOn: ukDateString('Enter the date the task is due'),
  /** 1 or 2 for one development year only; blank or left out for every year. */
  forYear: z
    .union([z.literal(1), z.literal(2), z.literal('1'), z.literal('2'), z.literal(''), z.null()], {
      error: 'Select development year 1, year 2 or both years',
    })
    .optional()
    .transform((v) => (v === '' || v === null || v === undefined ? null : (Number(v) as 1 | 2))),
})

export type TaskInput = z.input<typeof taskInput>

export const withdrawTaskInput = z.object({
  reason: z
    .string({ error: 'Enter why the task is withdrawn' })
    .trim()
    .min(1, 'Enter why the task is withdrawn')
    .max(2000, 'The reason must be 2,000 characters or fewer'),
})

const MAX_URL = 2000

/** An https link with a host name and no user name or password in it. */
function httpsLink(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  return url.protocol === 'https:' && url.hostname.includes('.') && !url.username && !url.password
}

export const evidenceInput = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('text'),
      text: z
        .string({ error: 'Enter your evidence' })
        .trim()
        .min(1, 'Enter your evidence')
        .max(10_000, 'Your evidence must be 10,000 characters or fewer'),
    }),
    z.object({
      kind: z.literal('link'),
      url: z
        .string({ error: 'Enter the link to your evidence' })
        .trim()
        .min(1, 'Enter the link to your evidence')
        .max(MAX_URL, `The link must be ${MAX_URL.toLocaleString('en-GB')} characters or fewer`)
        .refine((v) => /^https:\/\//i.test(v), 'The link must start with https://')
        .refine(httpsLink, 'Enter a link in the correct format, like https://www.example.com/evidence'),
    }),
    z.object({
      kind: z.literal('file'),
      file: z.object(
        {
          filename: z.string({ error: 'Select a file' }),
          contentType: z.string({ error: 'Select a file' }),
          bytes: z.instanceof(Uint8Array, { error: 'Select a file' }),
        },
        { error: 'Select a file' },
      ),
    }),
  ],
  { error: 'Select how you will show your evidence: text, a link or a file' },
)

export type EvidenceInput = z.input<typeof evidenceInput>

export const reviewInput = z
  .object({
    decision: z.enum(['accept', 'return'], { error: 'Select whether to accept the evidence or return it' }),
    feedback: z
      .string()
      .trim()
      .max(5000, 'Feedback must be 5,000 characters or fewer')
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .refine((v) => v.decision !== 'return' || v.feedback !== null, {
    message: 'Enter feedback for the specialist: what to change before they hand it in again',
    path: ['feedback'],
  })

export type ReviewInput = z.input<typeof reviewInput>
