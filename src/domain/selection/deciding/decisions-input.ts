// What the hub, NCETM, the teacher and the headteacher send about decisions and offers, as zod
// schemas shared by pages (and any later API), the reasons a hub may give, and the converters
// from the pages' form fields.
import { z } from 'zod'
import type { SelectionDecision } from '../../../db/schema.ts'
import { isPlainText } from '../../../lib/text.ts'

export type { SelectionDecision }

export const DECISIONS = [
  'selected',
  'reserve',
  'not-selected',
] as const satisfies readonly SelectionDecision[]

export const DECISION_NAMES: Record<SelectionDecision, string> = {
  selected: 'Selected',
  reserve: 'Reserve',
  'not-selected': 'Not selected',
}

/** The reasons a hub may give for each decision, by code, in plain words. */
export const REASONS: Record<SelectionDecision, { code: string; name: string }[]> = {
  selected: [{ code: 'meets-criteria-and-plan', name: 'Meets the criteria and fits the hub’s plan' }],
  reserve: [{ code: 'meets-criteria-place-limit', name: 'Meets the criteria, but the places are filled' }],
  'not-selected': [
    { code: 'essential-not-met', name: 'Does not meet an essential criterion' },
    { code: 'strategic-fit', name: 'Does not fit the hub’s strategic plan this year' },
    { code: 'stronger-applications', name: 'Other applications were stronger' },
    { code: 'other', name: 'Another reason, given in the feedback' },
  ],
}

/** The reason recorded when the hub lead passes a place that came free to a reserve. */
export const REASON_PLACE_FROM_RESERVE = 'place-from-reserve'

export const REASON_NAMES: Record<string, string> = {
  ...Object.fromEntries(Object.values(REASONS).flatMap((list) => list.map((r) => [r.code, r.name]))),
  [REASON_PLACE_FROM_RESERVE]: 'Offered a place that came free, from the reserve list',
}

export const MAX_FEEDBACK_CHARACTERS = 2000
export const MAX_PLACES = 1000

const feedbackText = z
  .string({ error: 'Feedback must be text' })
  .trim()
  .max(MAX_FEEDBACK_CHARACTERS, 'Feedback must be 2,000 characters or fewer')
  .refine(isPlainText, { message: 'Enter only text for the feedback, without control characters' })

/** The hub's proposed decision for one application. */
export const proposalInput = z
  .object({
    decision: z.enum(DECISIONS, { error: 'Select a decision: selected, reserve or not selected' }),
    reasonCode: z.string({ error: 'Select a reason' }).optional(),
    feedback: feedbackText.default(''),
    shareFeedback: z.boolean({ error: 'Select whether to share the feedback with the teacher' }).optional(),
    reserveRank: z
      .number({
        error: (issue) =>
          issue.input === undefined
            ? 'Enter the reserve’s place in the reserve list, like 1 for the first to be offered a place'
            : 'Enter the reserve’s place in the reserve list as a whole number, like 1',
      })
      .int('Enter the reserve’s place in the reserve list as a whole number, like 1')
      .min(1, 'The reserve’s place in the list must be 1 or more')
      .max(MAX_PLACES, 'The reserve’s place in the list must be 1,000 or less')
      .optional(),
  })
  .superRefine((value, ctx) => {
    const reasons = REASONS[value.decision]
    if (value.reasonCode !== undefined && !reasons.some((r) => r.code === value.reasonCode)) {
      ctx.addIssue({
        code: 'custom',
        path: ['reasonCode'],
        message:
          value.decision === 'not-selected'
            ? 'Select why the application is not selected'
            : `That reason does not go with “${DECISION_NAMES[value.decision]}”`,
      })
    }
    if (value.decision === 'not-selected' && value.reasonCode === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['reasonCode'],
        message: 'Select why the application is not selected',
      })
    }
    if (value.reasonCode === 'other' && value.feedback === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['feedback'],
        message: 'Give the reason in the feedback, as you chose “Another reason”',
      })
    }
    if (value.feedback !== '' && value.shareFeedback === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['shareFeedback'],
        message: 'Select whether to share the feedback with the teacher',
      })
    }
    if (value.decision === 'reserve' && value.reserveRank === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['reserveRank'],
        message: 'Enter the reserve’s place in the reserve list, like 1 for the first to be offered a place',
      })
    }
  })
  .transform((value) => ({
    decision: value.decision,
    reasonCode: value.reasonCode ?? REASONS[value.decision][0]!.code,
    feedback: value.feedback,
    shareFeedback: value.feedback !== '' && value.shareFeedback === true,
    reserveRank: value.decision === 'reserve' ? value.reserveRank! : null,
  }))

export type Proposal = z.output<typeof proposalInput>

/** The number of places NCETM gives a hub for a cohort. */
export const placesInput = z.object({
  places: z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? 'Enter the number of places'
          : 'Enter the number of places as a whole number, like 12',
    })
    .int('Enter the number of places as a whole number, like 12')
    .min(0, 'The number of places must be 0 or more')
    .max(MAX_PLACES, 'The number of places must be 1,000 or less'),
})

/** The teacher's or the headteacher's answer to the offer of a place. */
export const offerResponseInput = z
  .object({
    decision: z.enum(['accept', 'decline'], { error: 'Select whether you accept the place' }),
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
        message: 'Enter why you are declining the place',
      })
    }
  })

export type OfferResponse = z.output<typeof offerResponseInput>

/** The hub lead passes a free place to the reserve they were shown (so a changed list is noticed). */
export const passToReserveInput = z.object({
  applicationId: z.number({ error: 'Choose the reserve to offer the place to' }).int().positive(),
})

// --- From the pages' forms: every value arrives as text.

function wholeNumber(text: string | undefined): number | undefined | string {
  const trimmed = (text ?? '').trim()
  if (trimmed === '') return undefined
  return /^\d{1,7}$/.test(trimmed) ? Number(trimmed) : trimmed
}

export function proposalFromForm(form: Record<string, string>): unknown {
  return {
    decision: form.decision || undefined,
    reasonCode: form.decision === 'not-selected' ? form.reasonCode || undefined : undefined,
    feedback: form.feedback ?? '',
    shareFeedback: form.shareFeedback === 'yes' ? true : form.shareFeedback === 'no' ? false : undefined,
    reserveRank: form.decision === 'reserve' ? wholeNumber(form.reserveRank) : undefined,
  }
}

export function placesFromForm(form: Record<string, string>): unknown {
  return { places: wholeNumber(form.places) }
}

export function offerResponseFromForm(form: Record<string, string>): unknown {
  return {
    decision: form.decision || undefined,
    reason: form.decision === 'decline' ? form.reason : undefined,
  }
}

export function passToReserveFromForm(form: Record<string, string>): unknown {
  return { applicationId: wholeNumber(form.applicationId) }
}
