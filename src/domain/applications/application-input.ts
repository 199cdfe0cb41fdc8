// What a teacher, a headteacher or an API client may send about an application, as zod schemas
// whose messages say what to do; and the conversion of HTML form values into the same shapes, so
// pages and the API are checked by the same rules.
import { z } from 'zod'
import { emailAddressSchema } from '../../lib/email-address.ts'
import { isPlainLine, isPlainText } from '../../lib/text.ts'
import { personNameSchema } from '../people/person-name.ts'

/** Words as a reader counts them: runs of characters between spaces. */
export function countWords(text: string): number {
  const trimmed = text.trim()
  return trimmed === '' ? 0 : trimmed.split(/\s+/u).length
}

/** The longest answer stored, whatever the word limit: about 20 pages of text. */
export const MAX_ANSWER_CHARACTERS = 20_000

/** Text on one line, without control characters: names, roles. */
const line = (max: number, missing: string, tooLong: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(max, tooLong)
    .refine(isPlainLine, { message: missing.replace(/^Enter/, 'Enter only text for') })

export const schoolChoice = z.object({
  urn: z
    .number({ error: 'Select your school from the register' })
    .int('Select your school from the register')
    .min(100_000, 'Select your school from the register')
    .max(99_999_999, 'Select your school from the register')
    .describe('The URN of the school you teach at'),
})

export const teachingDetails = z
  .object({
    hasQts: z
      .boolean({ error: 'Select yes if you have Qualified Teacher Status' })
      .describe('Whether you have Qualified Teacher Status'),
    trn: z
      .string({ error: 'Enter your teacher reference number (TRN), like 1234567' })
      .trim()
      .regex(/^\d{7}$/, 'Teacher reference number (TRN) must be 7 digits, like 1234567')
      .nullable()
      .optional()
      .describe('Your teacher reference number: 7 digits'),
    yearsTeachingMaths: z
      .number({ error: 'Enter how many years you have taught maths, like 6' })
      .int('Years teaching maths must be a whole number, like 6')
      .min(0, 'Years teaching maths must be 0 or more')
      .max(60, 'Years teaching maths must be 60 or fewer'),
    currentRole: line(
      100,
      'Enter your current role, like Year 4 class teacher and maths lead',
      'Current role must be 100 characters or fewer',
    ),
    classesTaught: line(
      200,
      'Enter the classes you teach maths to, like Year 4',
      'Classes taught must be 200 characters or fewer',
    ),
  })
  .superRefine((value, ctx) => {
    if (value.hasQts && !value.trn) {
      ctx.addIssue({
        code: 'custom',
        path: ['trn'],
        message: 'Enter your teacher reference number (TRN), like 1234567',
      })
    }
  })

export type TeachingInput = z.infer<typeof teachingDetails>

/** Answers to criteria by criterion id; an empty answer clears it. Checked against the cohort's limits. */
export const evidenceAnswers = z.record(
  z.string().max(60, 'Criterion ids are 60 characters or fewer'),
  z
    .string({ error: 'Each answer must be text' })
    .max(
      MAX_ANSWER_CHARACTERS,
      `Each answer must be ${MAX_ANSWER_CHARACTERS.toLocaleString('en-GB')} characters or fewer`,
    )
    .refine(isPlainText, { message: 'Enter only text for your evidence, without control characters' }),
  { error: 'Send the answers as an object of criterion id to text' },
)

/** A change to a draft: any of its parts, saved as they are so the teacher can come back. */
export const applicationChanges = z.strictObject(
  {
    school: schoolChoice.optional(),
    teaching: teachingDetails.optional(),
    evidence: evidenceAnswers.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? 'Send only school, teaching and evidence'
        : 'Send the changes as an object with school, teaching or evidence',
  },
)

export const headteacherDetails = z.object({
  // The name is written into the email to the headteacher: no web addresses.
  name: line(
    100,
    'Enter your headteacher’s full name',
    'Headteacher’s name must be 100 characters or fewer',
  ).pipe(personNameSchema),
  email: emailAddressSchema({
    required: 'Enter your headteacher’s email address',
    format: 'Enter an email address in the correct format, like head@school.example',
  }),
})

/** The headteacher a hub's lead asks to confirm an application, at an address the hub has checked. */
export const askedHeadteacher = z.object({
  name: line(
    100,
    'Enter the headteacher’s full name',
    'Headteacher’s name must be 100 characters or fewer',
  ).pipe(personNameSchema),
  email: emailAddressSchema({
    required: 'Enter the headteacher’s email address, as the school gave it',
    format: 'Enter an email address in the correct format, like head@school.example',
  }),
})

/** The asked headteacher's answer: is this their school's application, with their endorsement? */
export const confirmationAnswer = z.object({
  answer: z.enum(['confirmed', 'not-confirmed'], {
    error: 'Select whether you endorse this application',
  }),
})

export const endorsementResponse = z
  .object({
    decision: z.enum(['confirm', 'decline'], {
      error: 'Select whether you endorse the application',
    }),
    reason: z
      .string({ error: 'Reason must be text' })
      .trim()
      .max(2000, 'Reason must be 2,000 characters or fewer')
      .refine(isPlainText, { message: 'Enter only text for why you are declining' })
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.decision === 'decline' && !value.reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'Enter why you are declining, so the teacher knows what to do next',
      })
    }
  })

export const idempotencyKey = z
  .string({ error: 'Send an Idempotency-Key header: a unique value for this submission, like a UUID' })
  .min(8, 'Idempotency-Key must be 8 to 200 characters, like a UUID')
  .max(200, 'Idempotency-Key must be 8 to 200 characters, like a UUID')
  .regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable characters without spaces, like a UUID')

// --- HTML forms send strings: turn them into the shapes above, leaving what is unreadable for zod.

function yesNo(value: string | undefined): boolean | undefined {
  if (value === 'yes') return true
  if (value === 'no') return false
  return undefined
}

/** "6" -> 6; "" -> undefined ("enter"); "six" -> NaN ("must be a whole number"). */
function wholeNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  return /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN
}

export function teachingFromForm(form: Record<string, string>): unknown {
  const hasQts = yesNo(form.hasQts)
  return {
    hasQts,
    trn: hasQts && form.trn?.trim() ? form.trn.replace(/\s+/g, '') : null,
    yearsTeachingMaths: wholeNumber(form.yearsTeachingMaths),
    currentRole: form.currentRole,
    classesTaught: form.classesTaught,
  }
}

export function schoolFromForm(form: Record<string, string>): unknown {
  return { urn: wholeNumber(form.urn) }
}

/** Evidence fields are named evidence-<criterion id>. */
export function evidenceFromForm(form: Record<string, string>): Record<string, string> {
  const answers: Record<string, string> = {}
  for (const [key, value] of Object.entries(form)) {
    if (key.startsWith('evidence-')) answers[key.slice('evidence-'.length)] = value
  }
  return answers
}
