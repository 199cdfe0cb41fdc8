// Use-case: the teacher names their headteacher, who is emailed a single-use link valid for 14
// days. Asking again (a resend, or a different headteacher) retires the earlier link. One
// automatic reminder follows after 5 working days without an answer.
import { NotFoundError, parseNestedInput, ValidationError } from '../../errors.ts'
import { sameMailbox } from '../../lib/canonical-email.ts'
import { addWorkingDays } from '../../lib/working-days.ts'
import { hashSecret, newSecret } from '../auth/tokens.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { headteacherDetails } from './application-input.ts'
import { assertWindowOpen, cohortName, moveApplication } from './application-rules.ts'
import {
  findApplication,
  insertEndorsementRequest,
  replaceOpenEndorsementRequests,
  type Application,
} from './applications.repository.ts'
import { ownApplication } from './save-application.ts'

export const ENDORSEMENT_LINK_DAYS = 14
export const ENDORSEMENT_REMINDER_WORKING_DAYS = 5

export function endorsementLink(context: UseCaseContext, token: string): string {
  return new URL(`/endorse/${token}`, context.baseUrl).href
}

export async function requestEndorsement(
  context: UseCaseContext,
  id: number,
  raw: unknown,
): Promise<Application> {
  if (context.actor.kind !== 'person') throw new NotFoundError('Application')
  const input = parseNestedInput(headteacherDetails, raw)
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const { application, cohort } = await ownApplication(context, unit, id)
    assertWindowOpen(cohort, now, true)
    if (application.schoolUrn === null || application.schoolName === null) {
      throw new ValidationError([
        {
          code: 'no-school',
          field: 'school',
          message: 'Choose your school before you ask your headteacher to endorse the application',
        },
      ])
    }
    // Any spelling of the teacher's own mailbox (case, +tags, Gmail's dots) is their own.
    if (sameMailbox(input.email, application.applicantEmail)) {
      throw new ValidationError([
        {
          code: 'own-email',
          field: 'email',
          message: 'Enter your headteacher’s email address, not your own',
        },
      ])
    }
    await replaceOpenEndorsementRequests(tx, application.id, now)
    const token = newSecret()
    const expiresAt = new Date(now.getTime() + ENDORSEMENT_LINK_DAYS * 24 * 3_600_000)
    await insertEndorsementRequest(tx, {
      applicationId: application.id,
      tokenHash: hashSecret(token),
      headteacherName: input.name,
      headteacherEmail: input.email,
      createdAt: now,
      expiresAt,
      remindAfter: addWorkingDays(now, ENDORSEMENT_REMINDER_WORKING_DAYS),
    })
    await moveApplication(context, unit, application, 'request-endorsement', {
      actor: 'applicant',
      changes: {
        headteacherName: input.name,
        headteacherEmail: input.email,
        endorsementDeclinedAt: null,
        endorsementDeclineReason: null,
      },
    })
    await queueEmail(tx, {
      template: 'endorsement-request',
      to: input.email,
      data: {
        headteacherName: input.name,
        teacherName: application.applicantName,
        schoolName: application.schoolName,
        programmeName: cohort.programmeName,
        cohortName: cohortName(cohort),
        link: endorsementLink(context, token),
        expiresAt,
        closesAt: cohort.closesAt,
      },
    })
    return (await findApplication(tx, application.id))!
  })
}
