// What a hub lead or a reviewer may send about a round's review, as zod schemas whose messages say
// what to do; and the conversion of HTML form values into the same shapes.
import { z } from 'zod'
import { isPlainText } from '../../../lib/text.ts'
import { SCORE_MAX, SCORE_MIN } from './scores.ts'
import { reviewDeadlineFromForm, reviewDeadlineInput } from './review-deadlines.ts'

/** The longest note or priorities text kept. */
export const MAX_NOTE_CHARACTERS = 5_000

const recordId = (message: string) =>
  z
    .number({ error: message })
    .int(message)
    .positive(message)
    .max(2 ** 31 - 1, message)

const text = (max: number, what: string) =>
  z
    .string({ error: `${what} must be text` })
    .max(max, `${what} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .refine(isPlainText, { message: `Enter only text for ${what.toLowerCase()}, without control characters` })

export const assignReviewerInput = z.object({
  applicationId: recordId('Select an application from this round'),
  reviewerId: recordId('Select a reviewer'),
})

export const declareConflictInput = z.object({
  reason: text(1_000, 'Your reason')
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'Enter why you cannot review this application fairly')),
})

export const reviewSettingsInput = z.object({
  blindReview: z.boolean({ error: 'Select whether reviewers see applicants’ names and schools' }),
  reviewsPerApplication: z
    .number({ error: 'Enter how many reviewers each application needs, from 1 to 5' })
    .int('Reviews per application must be a whole number from 1 to 5')
    .min(1, 'Reviews per application must be a whole number from 1 to 5')
    .max(5, 'Reviews per application must be a whole number from 1 to 5'),
  priorities: text(MAX_NOTE_CHARACTERS, 'The hub’s priorities').transform((s) => s.trim()),
  /** The hub's leads take reviews in automatic assignment; left out, it stays as it is. */
  leadsReview: z
    .boolean({ error: 'Select whether the hub’s leads take reviews when they are assigned automatically' })
    .optional(),
  /** When reviews are due; left out, it stays as it is; null for none. */
  reviewDeadline: reviewDeadlineInput.optional(),
})

const score = z
  .number({ error: `Choose a score from ${SCORE_MIN} to ${SCORE_MAX}` })
  .int(`Choose a score from ${SCORE_MIN} to ${SCORE_MAX}`)
  .min(SCORE_MIN, `Choose a score from ${SCORE_MIN} to ${SCORE_MAX}`)
  .max(SCORE_MAX, `Choose a score from ${SCORE_MIN} to ${SCORE_MAX}`)

const note = text(MAX_NOTE_CHARACTERS, 'The note').default('')
const criterionId = z.string().max(60, 'Criterion ids are 60 characters or fewer')

/**
 * A reviewer's scores. A draft may leave any judgement or score unset (null) and keep its note;
 * completing needs every criterion judged and the strategic fit scored.
 */
export const reviewInput = z.object({
  essential: z
    .record(
      criterionId,
      z.object({
        met: z.boolean({ error: 'Select met or not met' }).nullable().default(null),
        note,
      }),
    )
    .default({}),
  desirable: z.record(criterionId, z.object({ score: score.nullable().default(null), note })).default({}),
  strategicScore: score.nullable().default(null),
  strategicNote: note,
})

export type ReviewInput = z.infer<typeof reviewInput>

// --- HTML forms send strings: turn them into the shapes above, leaving what is unreadable for zod.

/** "3" -> 3; "" or missing -> null (unset); anything else -> NaN, which zod refuses. */
function scoreFromForm(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null
  return /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN
}

function metFromForm(value: string | undefined): boolean | null | string {
  if (value === undefined || value === '') return null
  if (value === 'met') return true
  if (value === 'not-met') return false
  return value
}

/**
 * The review form: for each criterion of the cohort, `essential-<id>` (met or not-met) and
 * `essential-<id>-note`, `desirable-<id>` (0 to 4) and `desirable-<id>-note`; then
 * `strategicScore` and `strategicNote`. Only the cohort's criteria are read.
 */
export function reviewFromForm(
  form: Record<string, string>,
  criteria: { essential: readonly { id: string }[]; desirable: readonly { id: string }[] },
): unknown {
  return {
    essential: Object.fromEntries(
      criteria.essential.map((c) => [
        c.id,
        { met: metFromForm(form[`essential-${c.id}`]), note: form[`essential-${c.id}-note`] ?? '' },
      ]),
    ),
    desirable: Object.fromEntries(
      criteria.desirable.map((c) => [
        c.id,
        { score: scoreFromForm(form[`desirable-${c.id}`]), note: form[`desirable-${c.id}-note`] ?? '' },
      ]),
    ),
    strategicScore: scoreFromForm(form.strategicScore),
    strategicNote: form.strategicNote ?? '',
  }
}

export function reviewSettingsFromForm(form: Record<string, string>): unknown {
  const reviews = form.reviewsPerApplication?.trim()
  return {
    blindReview: form.blindReview === 'yes' ? true : form.blindReview === 'no' ? false : undefined,
    reviewsPerApplication: !reviews ? undefined : /^\d+$/.test(reviews) ? Number(reviews) : Number.NaN,
    priorities: form.priorities ?? '',
    leadsReview: form.leadsReview === 'yes' ? true : form.leadsReview === 'no' ? false : form.leadsReview,
    reviewDeadline: reviewDeadlineFromForm(form),
  }
}

export function assignmentFromForm(form: Record<string, string>): unknown {
  const id = (value: string | undefined) =>
    value === undefined || value.trim() === ''
      ? undefined
      : /^\d{1,10}$/.test(value)
        ? Number(value)
        : Number.NaN
  return { applicationId: id(form.applicationId), reviewerId: id(form.reviewerId) }
}
