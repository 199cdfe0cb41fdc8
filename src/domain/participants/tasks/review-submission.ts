// Use-case: NCETM or the lead or an administrator of the participation's hub reviews the evidence
// handed in: accepts it, or returns it with feedback (which a return must have). The specialist is
// emailed through the outbox either way. Nobody reviews their own evidence.
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { queueEmail } from '../../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { reviewInput } from './task-input.ts'
import { canReviewSubmissions, isOwnParticipation } from './tasks.policy.ts'
import {
  findSubmission,
  findTask,
  participationRows,
  recordReview,
  type Submission,
} from './tasks.repository.ts'

export async function reviewSubmission(
  context: UseCaseContext,
  submissionId: number,
  raw: unknown,
): Promise<Submission> {
  const input = parseInput(reviewInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    const submission = await findSubmission(tx, submissionId, { forUpdate: true })
    const [participation] = submission ? await participationRows(tx, [submission.participationId]) : []
    if (
      !submission ||
      !participation ||
      !canReviewSubmissions(context.actor, participation) ||
      isOwnParticipation(context.actor, participation)
    ) {
      throw new NotFoundError('Submission')
    }
    const task = (await findTask(tx, submission.taskId))!
    if (task.status === 'withdrawn') {
      throw new ValidationError([
        {
          code: 'withdrawn',
          field: 'task',
          message: 'This task has been withdrawn: its evidence is not reviewed',
        },
      ])
    }
    if (submission.status !== 'submitted') {
      throw new ValidationError([
        { code: 'reviewed', field: 'decision', message: 'This evidence has already been reviewed' },
      ])
    }
    const status = input.decision === 'accept' ? 'accepted' : 'returned'
    await recordReview(tx, submissionId, {
      status,
      feedback: input.feedback,
      by: actingPersonId(context.actor),
      now,
    })
    await audit({
      action: `task-submission.${input.decision}`,
      recordType: 'task-submission',
      recordId: submissionId,
      before: { status: 'submitted' },
      after: {
        status,
        taskId: task.id,
        participationId: participation.id,
        feedback: input.feedback !== null,
      },
    })
    if (!participation.personErased) {
      await queueEmail(
        tx,
        status === 'accepted'
          ? {
              template: 'task-accepted',
              to: participation.personEmail,
              data: { name: participation.personName, title: task.title, feedback: input.feedback },
            }
          : {
              template: 'task-returned',
              to: participation.personEmail,
              data: { name: participation.personName, title: task.title, feedback: input.feedback ?? '' },
            },
      )
    }
    return (await findSubmission(tx, submissionId))!
  })
}
