// Use-cases for the headteacher the hub asked: they follow the emailed link without signing in,
// see the application, and say whether it is their school's, with their endorsement. "Yes"
// verifies the headteacher; "no" is shown to the hub, who decides what to do. The link works once,
// for 14 days, and not once the hub has asked someone else or the application is withdrawn.
import { ANONYMOUS } from '../access/actor.ts'
import { hashSecret } from '../auth/tokens.ts'
import { NotFoundError, parseNestedInput, ValidationError } from '../../errors.ts'
import { findCohort, type Cohort } from '../programmes/programmes.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { confirmationAnswer } from './application-input.ts'
import {
  findApplication,
  lockApplication,
  updateApplication,
  type Application,
} from './applications.repository.ts'
import {
  answerConfirmation,
  findConfirmationByToken,
  type HeadteacherConfirmation,
} from './headteacher-confirmations.repository.ts'

export type ConfirmationLinkStatus = 'open' | 'answered' | 'replaced' | 'expired'

export interface ConfirmationView {
  status: ConfirmationLinkStatus
  confirmation: HeadteacherConfirmation
  application: Application
  cohort: Cohort
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/

function linkStatus(
  confirmation: HeadteacherConfirmation,
  application: Application,
  now: Date,
): ConfirmationLinkStatus {
  if (confirmation.answeredAt) return 'answered'
  if (confirmation.replacedAt || application.withdrawnAt || application.headteacherVerification) {
    return 'replaced'
  }
  if (confirmation.expiresAt.getTime() <= now.getTime()) return 'expired'
  return 'open'
}

/** What the link shows; an unknown link is "not found". */
export async function viewHeadteacherConfirmation(
  context: UseCaseContext,
  token: string,
): Promise<ConfirmationView> {
  if (!TOKEN.test(token)) throw new NotFoundError('Confirmation request')
  const confirmation = await findConfirmationByToken(context.db, hashSecret(token))
  if (!confirmation) throw new NotFoundError('Confirmation request')
  const application = (await findApplication(context.db, confirmation.applicationId))!
  const cohort = (await findCohort(context.db, application.cohortId))!
  return {
    status: linkStatus(confirmation, application, context.clock.now()),
    confirmation,
    application,
    cohort,
  }
}

export async function answerHeadteacherConfirmation(
  context: UseCaseContext,
  token: string,
  raw: unknown,
): Promise<{ answer: 'confirmed' | 'not-confirmed'; application: Application }> {
  if (!TOKEN.test(token)) throw new NotFoundError('Confirmation request')
  const input = parseNestedInput(confirmationAnswer, raw)
  // The headteacher is not signed in: the link is their authority, and the audit says "system".
  const headContext = { ...context, actor: ANONYMOUS }
  return inTransaction(headContext, async ({ tx, now, audit }) => {
    const found = await findConfirmationByToken(tx, hashSecret(token))
    if (!found) throw new NotFoundError('Confirmation request')
    const application = (await lockApplication(tx, found.applicationId))!
    const confirmation = (await findConfirmationByToken(tx, hashSecret(token)))!
    const status = linkStatus(confirmation, application, now)
    if (status !== 'open' || !(await answerConfirmation(tx, confirmation.id, input.answer, now))) {
      const messages: Record<Exclude<ConfirmationLinkStatus, 'open'>, string> = {
        answered: 'You have already answered this request',
        replaced: 'This link no longer works: the Maths Hub no longer needs your answer',
        expired: 'This link has expired. Contact the Maths Hub if you still want to answer',
      }
      const why = status === 'open' ? 'answered' : status
      throw new ValidationError([{ code: `link-${why}`, field: 'answer', message: messages[why] }])
    }
    if (input.answer === 'confirmed') {
      await updateApplication(
        tx,
        application.id,
        {
          headteacherVerification: 'headteacher',
          headteacherVerifiedAt: now,
          headteacherVerifiedBy: confirmation.askedBy,
        },
        now,
      )
    }
    await audit({
      action: 'application.headteacher-confirmation',
      recordType: 'application',
      recordId: application.id,
      after: { answer: input.answer },
    })
    return { answer: input.answer, application: (await findApplication(tx, application.id))! }
  })
}
