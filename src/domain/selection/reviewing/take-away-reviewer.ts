// Use-case: a hub lead takes an application away from a reviewer. The assignment ends (its draft
// or completed review no longer counts); audited, with a history row on the application. Taking
// away one already ended changes nothing.
import { NotFoundError } from '../../../errors.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { assertReviewing, managedRound, recordReviewHistory } from './review-rules.ts'
import { endAssignment, lockAssignment } from './reviews.repository.ts'
import { lockRound } from '../rounds.repository.ts'

export async function takeAwayReviewer(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
  assignmentId: number,
): Promise<void> {
  await managedRound(context, hubId, cohortId)
  await inTransaction(context, async (unit) => {
    assertReviewing(await lockRound(unit.tx, hubId, cohortId, unit.now))
    const assignment = await lockAssignment(unit.tx, assignmentId)
    if (!assignment || assignment.hubId !== hubId || assignment.cohortId !== cohortId) {
      throw new NotFoundError('Assignment')
    }
    if (assignment.endedAt !== null) return
    await endAssignment(unit.tx, assignment.id, unit.now)
    await recordReviewHistory(
      context,
      unit,
      { id: assignment.applicationId, state: assignment.applicationState },
      'take-away-reviewer',
      `Reviewer taken off: ${assignment.reviewerName}`,
    )
    await unit.audit({
      action: 'review-assignment.end',
      recordType: 'review-assignment',
      recordId: assignment.id,
      before: { application_id: assignment.applicationId, reviewer_id: assignment.reviewerId },
      after: { ended: true },
    })
  })
}
