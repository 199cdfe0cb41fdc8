// Use-case: the hub lead sets how the round's review works: whether reviewers see applicants'
// names and schools, how many reviews each application needs (1 to 5), and the hub's priorities
// from its strategic plan, which reviewers score strategic fit against. Audited.
import { parseInput } from '../../errors.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { reviewSettingsInput } from './review-input.ts'
import { assertReviewing, managedRound } from './review-rules.ts'
import { lockRound, type SelectionRound } from './rounds.repository.ts'

export async function updateReviewSettings(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
  raw: unknown,
): Promise<SelectionRound> {
  await managedRound(context, hubId, cohortId)
  const input = parseInput(reviewSettingsInput, raw)
  return inTransaction(context, async (unit) => {
    const round = await lockRound(unit.tx, hubId, cohortId, unit.now)
    assertReviewing(round)
    await unit.tx
      .updateTable('selection_rounds')
      .set({
        blind_review: input.blindReview,
        reviews_per_application: input.reviewsPerApplication,
        priorities: input.priorities,
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
      },
      after: {
        blind_review: input.blindReview,
        reviews_per_application: input.reviewsPerApplication,
        priorities_changed: input.priorities !== round.priorities,
      },
    })
    return { ...round, ...input }
  })
}
