// Use-cases: the assigned reviewer saves their scores as a draft to come back to, or completes the
// review. Completing needs every essential criterion judged met or not met, every desirable
// criterion scored and the strategic fit scored; each missing one is named. A completed review may
// be changed (or saved back to a draft) while the round is still reviewing. Audited with the
// judgements and scores, never the notes' text.
import { NotFoundError, ValidationError, type FieldError } from '../../../errors.ts'
import { findCohort, type Cohort } from '../../programmes/programmes.repository.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { reviewInput, type ReviewInput } from './review-input.ts'
import { assertReviewing } from './review-rules.ts'
import { canScoreAssignment } from './reviews.policy.ts'
import {
  findAssignment,
  findReviews,
  lockAssignment,
  upsertReview,
  type StoredReview,
} from './reviews.repository.ts'
import { lockRound } from '../rounds.repository.ts'
import { SCORE_MAX, SCORE_MIN } from './scores.ts'

const SCALE = `from ${SCORE_MIN} to ${SCORE_MAX}`

/** Reads the input against the cohort's criteria, naming each field by its criterion. */
function readReview(cohort: Cohort, raw: unknown): ReviewInput {
  const essential = new Map(cohort.essentialCriteria.map((c) => [c.id, c]))
  const desirable = new Map(cohort.desirableCriteria.map((c) => [c.id, c]))
  const parsed = reviewInput.safeParse(raw)
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((issue) => {
        const [part, id, key] = issue.path.map(String)
        const criterion = part === 'essential' ? essential.get(id ?? '') : desirable.get(id ?? '')
        const about = criterion ? `“${criterion.text}”: ` : ''
        return {
          code: 'invalid',
          field: [part, id, key === 'note' ? 'note' : undefined].filter(Boolean).join('.') || 'form',
          message: `${about}${issue.message}`,
        }
      }),
    )
  }
  const input = parsed.data
  const unknown: FieldError[] = [
    ...Object.keys(input.essential)
      .filter((id) => !essential.has(id))
      .map((id) => ({
        code: 'unknown',
        field: `essential.${id}`,
        message: `There is no essential criterion ${id.slice(0, 60)} in this cohort`,
      })),
    ...Object.keys(input.desirable)
      .filter((id) => !desirable.has(id))
      .map((id) => ({
        code: 'unknown',
        field: `desirable.${id}`,
        message: `There is no desirable criterion ${id.slice(0, 60)} in this cohort`,
      })),
  ]
  if (unknown.length > 0) throw new ValidationError(unknown)
  return input
}

/** What completing still needs, each naming its field: essential.qts, desirable.subject-leader, strategicScore. */
export function missingForCompletion(cohort: Cohort, review: ReviewInput): FieldError[] {
  const missing: FieldError[] = []
  for (const c of cohort.essentialCriteria) {
    if ((review.essential[c.id]?.met ?? null) === null) {
      missing.push({
        code: 'required',
        field: `essential.${c.id}`,
        message: `Select whether “${c.text}” is met or not met`,
      })
    }
  }
  for (const c of cohort.desirableCriteria) {
    if ((review.desirable[c.id]?.score ?? null) === null) {
      missing.push({ code: 'required', field: `desirable.${c.id}`, message: `Score “${c.text}” ${SCALE}` })
    }
  }
  if (review.strategicScore === null) {
    missing.push({
      code: 'required',
      field: 'strategicScore',
      message: `Score the strategic fit against the hub’s priorities ${SCALE}`,
    })
  }
  return missing
}

export async function saveReview(
  context: UseCaseContext,
  assignmentId: number,
  raw: unknown,
  options: { complete: boolean },
): Promise<StoredReview> {
  const found = await findAssignment(context.db, assignmentId)
  if (!found || !canScoreAssignment(context.actor, found)) throw new NotFoundError('Review')
  const cohort = (await findCohort(context.db, found.cohortId))!
  const input = readReview(cohort, raw)
  if (options.complete) {
    const missing = missingForCompletion(cohort, input)
    if (missing.length > 0) throw new ValidationError(missing)
  }
  return inTransaction(context, async (unit) => {
    assertReviewing(await lockRound(unit.tx, found.hubId!, found.cohortId, unit.now))
    const assignment = await lockAssignment(unit.tx, assignmentId)
    if (!assignment || !canScoreAssignment(context.actor, assignment)) throw new NotFoundError('Review')
    if (assignment.applicationState !== 'submitted') {
      throw new ValidationError([
        {
          code: 'withdrawn',
          field: 'state',
          message: 'The applicant has withdrawn this application, so it is no longer reviewed',
        },
      ])
    }
    const before = (await findReviews(unit.tx, [assignment.id])).get(assignment.id)
    const review = {
      assignmentId: assignment.id,
      // Only the cohort's criteria, in its order.
      essential: Object.fromEntries(
        cohort.essentialCriteria.flatMap((c) =>
          input.essential[c.id] ? [[c.id, input.essential[c.id]!]] : [],
        ),
      ),
      desirable: Object.fromEntries(
        cohort.desirableCriteria.flatMap((c) =>
          input.desirable[c.id] ? [[c.id, input.desirable[c.id]!]] : [],
        ),
      ),
      strategicScore: input.strategicScore,
      strategicNote: input.strategicNote,
      completedAt: options.complete ? unit.now : null,
    }
    await upsertReview(unit.tx, review, unit.now)
    const scores = (r: Pick<StoredReview, 'essential' | 'desirable' | 'strategicScore' | 'completedAt'>) => ({
      completed: r.completedAt !== null,
      essential: Object.fromEntries(Object.entries(r.essential).map(([id, j]) => [id, j.met])),
      desirable: Object.fromEntries(Object.entries(r.desirable).map(([id, d]) => [id, d.score])),
      strategic_score: r.strategicScore,
    })
    await unit.audit({
      action: options.complete
        ? 'review.complete'
        : before?.completedAt
          ? 'review.reopen'
          : 'review.save-draft',
      recordType: 'review',
      recordId: assignment.id,
      before: before ? scores(before) : undefined,
      after: scores(review),
    })
    return { ...review, updatedAt: unit.now }
  })
}
