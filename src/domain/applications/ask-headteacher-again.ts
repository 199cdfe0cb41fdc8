// Use-case: "ask again". Where the service could not tell that the headteacher a teacher named is
// the school's headteacher, the hub's lead asks a headteacher at an address the hub has checked
// (from the school itself, say) to confirm the application. They get a single-use link valid for
// 14 days; asking again retires the earlier link. Each lead may ask only so many times a day, since
// every request emails someone outside the service. Audited; the application's state is unchanged.
import { NotFoundError, parseNestedInput, ValidationError } from '../../errors.ts'
import { sameMailbox } from '../../lib/canonical-email.ts'
import { useAllowances } from '../access/allowances.ts'
import { hashSecret, newSecret } from '../auth/tokens.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { findCohort } from '../programmes/programmes.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { askedHeadteacher } from './application-input.ts'
import { cohortName } from './application-rules.ts'
import { canViewApplication } from './applications.policy.ts'
import { findApplication, lockApplication, type Application } from './applications.repository.ts'
import {
  insertConfirmation,
  latestConfirmation,
  type HeadteacherConfirmation,
} from './headteacher-confirmations.repository.ts'
import { HEADTEACHER_REQUEST_LIMITS } from './request-endorsement.ts'
import { canVerifyHeadteacher } from './verify-headteacher.ts'

export const CONFIRMATION_LINK_DAYS = 14

/** The hub may ask while a submitted, not withdrawn application's headteacher is not verified. */
export function canAskHeadteacherAgain(
  actor: UseCaseContext['actor'],
  application: Pick<
    Application,
    'hubId' | 'applicantId' | 'submittedAt' | 'withdrawnAt' | 'headteacherVerification' | 'headteacherEmail'
  >,
): boolean {
  return (
    canViewApplication(actor, application) &&
    canVerifyHeadteacher(actor, application) &&
    application.submittedAt !== null &&
    application.withdrawnAt === null &&
    application.headteacherEmail !== null &&
    application.headteacherVerification === null
  )
}

/** The hub's newest request for the application, for the hub's own page; none for anyone else. */
export async function headteacherConfirmationFor(
  context: UseCaseContext,
  application: Application,
): Promise<HeadteacherConfirmation | undefined> {
  if (!canVerifyHeadteacher(context.actor, application)) return undefined
  return latestConfirmation(context.db, application.id)
}

export function confirmationLink(context: UseCaseContext, token: string): string {
  return new URL(`/confirm-headteacher/${token}`, context.baseUrl).href
}

export async function askHeadteacherAgain(
  context: UseCaseContext,
  id: number,
  raw: unknown,
): Promise<HeadteacherConfirmation> {
  const { actor } = context
  if (actor.kind !== 'person') throw new NotFoundError('Application')
  const visible = await findApplication(context.db, id)
  if (!visible || !canViewApplication(actor, visible) || !canVerifyHeadteacher(actor, visible)) {
    throw new NotFoundError('Application')
  }
  const input = parseNestedInput(askedHeadteacher, raw)
  await useAllowances(
    context.db,
    'requests to headteachers',
    [[HEADTEACHER_REQUEST_LIMITS.perAccount, String(actor.personId)]],
    context.clock.now(),
  )
  return inTransaction(context, async ({ tx, now, audit }) => {
    const application = (await lockApplication(tx, id))!
    if (!canAskHeadteacherAgain(actor, application)) {
      throw new ValidationError([
        {
          code: application.headteacherVerification ? 'already-verified' : 'cannot-ask',
          field: 'email',
          message: application.headteacherVerification
            ? 'The headteacher is already verified'
            : 'This application can no longer be confirmed by a headteacher',
        },
      ])
    }
    if (sameMailbox(input.email, application.applicantEmail)) {
      throw new ValidationError([
        {
          code: 'own-email',
          field: 'email',
          message: 'Enter the headteacher’s email address, not the teacher’s',
        },
      ])
    }
    const cohort = (await findCohort(tx, application.cohortId))!
    const token = newSecret()
    const expiresAt = new Date(now.getTime() + CONFIRMATION_LINK_DAYS * 24 * 3_600_000)
    await insertConfirmation(tx, {
      applicationId: application.id,
      tokenHash: hashSecret(token),
      headteacherName: input.name,
      headteacherEmail: input.email,
      askedBy: actor.personId,
      askedAt: now,
      expiresAt,
    })
    await queueEmail(tx, {
      template: 'headteacher-confirmation',
      to: input.email,
      data: {
        headteacherName: input.name,
        teacherName: application.applicantName,
        schoolName: application.schoolName ?? 'your school',
        hubName: application.hubName ?? 'the Maths Hub',
        programmeName: cohort.programmeName,
        cohortName: cohortName(cohort),
        link: confirmationLink(context, token),
        expiresAt,
      },
    })
    await audit({
      action: 'application.ask-headteacher',
      recordType: 'application',
      recordId: application.id,
      after: { headteacherName: input.name },
    })
    return (await latestConfirmation(tx, application.id))!
  })
}
