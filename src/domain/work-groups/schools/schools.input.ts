// What a school contact, a school's leader or the hub may send about a school's part in Work
// Groups, as zod schemas whose messages say what to do; pages and the API are checked by the same rules.
import { z } from 'zod'
import { emailAddressSchema } from '../../../lib/email-address.ts'
import { isPlainLine, isPlainText } from '../../../lib/text.ts'
import { personNameSchema } from '../../people/person-name.ts'

const line = (max: number, missing: string, tooLong: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(max, tooLong)
    .refine(isPlainLine, { message: missing.replace(/^Enter/, 'Enter only text for') })

const personName = (missing: string) =>
  line(100, missing, 'The name must be 100 characters or fewer').pipe(personNameSchema)

const emailOf = (who: string) =>
  emailAddressSchema({
    required: `Enter the ${who}’s email address`,
    format: 'Enter an email address in the correct format, like name@school.example',
  })

export const academicYearSchema = z
  .string({ error: 'Select the academic year' })
  .trim()
  .regex(/^\d{4}\/\d{2}$/, 'Select the academic year')

export const SUPPORT_ROLES = ['head-of-maths', 'senior-leader'] as const
export type SupportRoleName = (typeof SUPPORT_ROLES)[number]

export const SUPPORT_ROLE_NAMES: Record<SupportRoleName, string> = {
  'head-of-maths': 'Head of maths',
  'senior-leader': 'Senior leader',
}

export const supporterInput = (role: SupportRoleName) => {
  const who = role === 'head-of-maths' ? 'head of maths' : 'senior leader'
  return z.object({ name: personName(`Enter the ${who}’s full name`), email: emailOf(who) })
}

export const interestInput = z.object({
  programmeId: z.string({ error: 'Select the programme' }).trim().min(1, 'Select the programme').max(100),
  academicYear: academicYearSchema,
  /** The hub the school registers with; the hub serving its area unless given. */
  hubId: z.string().trim().max(120).optional(),
  statement: z
    .string()
    .trim()
    .max(2000, 'Why your school is interested must be 2000 characters or fewer')
    .refine(isPlainText, 'Enter only text for why your school is interested')
    .optional(),
  headOfMaths: supporterInput('head-of-maths'),
  seniorLeader: supporterInput('senior-leader'),
})

export const supportRequestInput = z.object({
  role: z.enum(SUPPORT_ROLES, { error: 'Select whose support to ask for' }),
  name: personName('Enter their full name'),
  email: emailAddressSchema({
    required: 'Enter their email address',
    format: 'Enter an email address in the correct format, like name@school.example',
  }),
})

export const supportAnswerInput = z.object({
  answer: z.enum(['supported', 'not-supported'], {
    error: 'Select whether you support the school taking part',
  }),
})

export const advocateInput = z.object({
  name: personName('Enter the advocate’s full name'),
  email: emailOf('advocate'),
  role: line(
    200,
    'Enter the advocate’s role in school, like Year 4 teacher',
    'The role must be 200 characters or fewer',
  ),
})

export const advocateChangeInput = advocateInput.extend({
  slot: z.coerce
    .number({ error: 'Select which advocate is changing' })
    .pipe(z.union([z.literal(1), z.literal(2)], { error: 'Select which advocate is changing' })),
  fromDate: z
    .string({ error: 'Enter the date the new advocate starts' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date the new advocate starts, like 5 1 2027')
    .refine(
      (v) =>
        !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
      'Enter a real date',
    ),
  reason: z
    .string({ error: 'Enter why the advocate is changing' })
    .trim()
    .min(1, 'Enter why the advocate is changing')
    .max(2000, 'The reason must be 2000 characters or fewer')
    .refine(isPlainText, 'Enter only text for the reason'),
})

export const DECISIONS = ['accept', 'wait', 'decline'] as const

export const decisionInput = z.object({
  decision: z.enum(DECISIONS, { error: 'Select the hub’s decision' }),
  workGroupId: z.coerce
    .number({ error: 'Select the group' })
    .int('Select the group')
    .positive('Select the group')
    .max(2 ** 31 - 1, 'Select the group')
    .optional(),
})
