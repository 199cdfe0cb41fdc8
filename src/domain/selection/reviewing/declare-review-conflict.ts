// Use-case: a reviewer declares a conflict of interest with an application assigned to them (they
// know the applicant, say). The assignment ends with the reason, which the hub lead reads on the
// queue, and the reviewer is never given the application again. Audited without the reason's text.
import { NotFoundError, parseInput } from '../../../errors.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { declareConflictInput } from './review-input.ts'
import { assertReviewing, recordReviewHistory } from './review-rules.ts'
import { canScoreAssignment } from './reviews.policy.ts'
import { endAssignment, findAssignment, lockAssignment } from './reviews.repository.ts'
import { lockRound } from '../rounds.repository.ts'

export async function declareReviewConflict(
  context: UseCaseContext,
  assignmentId: number,
  raw: unknown,
): Promise<void> {
  const found = await findAssignment(context.db, assignmentId)
  if (!found || !canScoreAssignment(context.actor, found)) throw new NotFoundError('Review')
  const input = parseInput(declareConflictInput, raw)
  await inTransaction(context, async (unit) => {
    assertReviewing(await lockRound(unit.tx, found.hubId!, found.cohortId, unit.now))
    const assignment = await lockAssignment(unit.tx, assignmentId)
    if (!assignment || !canScoreAssignment(context.actor, assignment)) throw new NotFoundError('Review')
    await endAssignment(unit.tx, assignment.id, unit.now, input.reason)
    await recordReviewHistory(
      context,
      unit,
      { id: assignment.applicationId, state: assignment.applicationState },
      'declare-conflict',
      `A reviewer declared a conflict of interest: ${assignment.reviewerName}`,
    )
    await unit.audit({
      action: 'review-assignment.declare-conflict',
      recordType: 'review-assignment',
      recordId: assignment.id,
      before: { application_id: assignment.applicationId, reviewer_id: assignment.reviewerId },
      after: { ended: true, conflict_declared: true },
    })
  })
}
