// Use-case: the hub lead sets how the round's review works: whether reviewers see applicants'
// names and schools, how many reviews each application needs (1 to 5), and the hub's priorities
// from its strategic plan, which reviewers score strategic fit against; whether the hub's leads
// take reviews in automatic assignment (they opt in); and the date reviews are due. Audited.
import { parseInput, ValidationError } from '../../../errors.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { reviewSettingsInput } from './review-input.ts'
import { assertReviewing, managedRound } from './review-rules.ts'
import { lockRound, type SelectionRound } from '../rounds.repository.ts'
import { deadlineInstant } from './review-deadlines.ts'

export async function updateReviewSettings(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
  raw: unknown,
): Promise<SelectionRound> {
  await managedRound(context, hubId, cohortId)
  const input = parseInput(reviewSettingsInput, raw)
  const deadline = input.reviewDeadline ? deadlineInstant(input.reviewDeadline) : input.reviewDeadline
  if (deadline === undefined && input.reviewDeadline !== undefined) {
    throw new ValidationError([
      { code: 'invalid', field: 'reviewDeadline', message: 'The review deadline must be a real date' },
    ])
  }
  return inTransaction(context, async (unit) => {
    const round = await lockRound(unit.tx, hubId, cohortId, unit.now)
    assertReviewing(round)
    const leadsReview = input.leadsReview ?? round.leadsReview
    const reviewDeadline = input.reviewDeadline === undefined ? round.reviewDeadline : (deadline ?? null)
    await unit.tx
      .updateTable('selection_rounds')
      .set({
        blind_review: input.blindReview,
        reviews_per_application: input.reviewsPerApplication,
        priorities: input.priorities,
        leads_review: leadsReview,
        review_deadline: reviewDeadline,
        updated_at: unit.now,
      })
      .where('hub_id', '=', hubId)
      .where('cohort_id', '=', cohortId)
      .execute()
    await unit.audit({
      action: 'selection-round.review-settings',
      recordType: 'selection-round',
      recordId: `${hubId}/${cohortId}`,
      before: {
        blind_review: round.blindReview,
        reviews_per_application: round.reviewsPerApplication,
        leads_review: round.leadsReview,
        review_deadline: round.reviewDeadline?.toISOString() ?? null,
      },
      after: {
        blind_review: input.blindReview,
        reviews_per_application: input.reviewsPerApplication,
        priorities_changed: input.priorities !== round.priorities,
        leads_review: leadsReview,
        review_deadline: reviewDeadline?.toISOString() ?? null,
      },
    })
    return {
      ...round,
      blindReview: input.blindReview,
      reviewsPerApplication: input.reviewsPerApplication,
      priorities: input.priorities,
      leadsReview,
      reviewDeadline,
    }
  })
}
