// Use-case: the teacher asks their headteacher, who is emailed a single-use link valid for 14
// days. Where the service knows the school's headteacher (a person holding a school-contact role
// there), the request goes to that person, whatever address was typed: the applicant cannot send
// it to another mailbox of their own. Otherwise it goes to the headteacher the teacher names, who
// is "not verified" until the hub checks. Asking again (a resend, or a different headteacher)
// retires the earlier link. One automatic reminder follows after 5 working days without an answer.
// Each account and each client address may ask only so many times, since every request emails
// someone else.
import { NotFoundError, parseNestedInput, ValidationError } from '../../errors.ts'
import { sameMailbox } from '../../lib/canonical-email.ts'
import { addWorkingDays } from '../../lib/working-days.ts'
import { useAllowances } from '../access/allowances.ts'
import type { RateLimit } from '../access/rate-limit.repository.ts'
import { hashSecret, newSecret } from '../auth/tokens.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import type { Executor } from '../../db/database.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { headteacherDetails } from './application-input.ts'
import { assertWindowOpen, cohortName, moveApplication } from './application-rules.ts'
import {
  findApplication,
  findSchoolContacts,
  insertEndorsementRequest,
  replaceOpenEndorsementRequests,
  type Application,
} from './applications.repository.ts'
import { ownApplication } from './save-application.ts'

export const ENDORSEMENT_LINK_DAYS = 14
export const ENDORSEMENT_REMINDER_WORKING_DAYS = 5

/** Requests to headteachers (first, resent or to someone else) one account or client may send. */
export const HEADTEACHER_REQUEST_LIMITS = {
  perAccount: { name: 'headteacher-request:account', limit: 10, windowMs: 24 * 3_600_000 },
  perIp: { name: 'headteacher-request:ip', limit: 30, windowMs: 3_600_000 },
} satisfies Record<string, RateLimit>

export function endorsementLink(context: UseCaseContext, token: string): string {
  return new URL(`/endorse/${token}`, context.baseUrl).href
}

/** The headteacher the service knows for the school, if any: the one whose address was typed, else the first. */
export async function knownHeadteacher(
  db: Executor,
  application: Pick<Application, 'schoolUrn' | 'applicantId' | 'applicantEmail'>,
  typedEmail?: string,
): Promise<{ name: string; email: string } | undefined> {
  if (application.schoolUrn === null) return undefined
  const contacts = (await findSchoolContacts(db, application.schoolUrn, application.applicantId)).filter(
    (c) => !sameMailbox(c.email, application.applicantEmail),
  )
  const typed = typedEmail === undefined ? undefined : contacts.find((c) => sameMailbox(c.email, typedEmail))
  const contact = typed ?? contacts[0]
  return contact && { name: contact.name, email: contact.email }
}

export async function requestEndorsement(
  context: UseCaseContext,
  id: number,
  raw: unknown,
  client?: { ip: string },
): Promise<Application> {
  if (context.actor.kind !== 'person') throw new NotFoundError('Application')
  await useAllowances(
    context.db,
    'requests to headteachers',
    [
      [HEADTEACHER_REQUEST_LIMITS.perAccount, String(context.actor.personId)],
      ...(client ? [[HEADTEACHER_REQUEST_LIMITS.perIp, client.ip] as const] : []),
    ],
    context.clock.now(),
  )
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
    const typed =
      raw !== null && typeof raw === 'object' && 'email' in raw && typeof raw.email === 'string'
        ? raw.email
        : undefined
    const known = await knownHeadteacher(tx, application, typed)
    // A headteacher the service knows replaces what was typed; otherwise the details must be right.
    const input = known ?? parseNestedInput(headteacherDetails, raw)
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
        headteacherVerification: known ? 'school-contact' : null,
        headteacherVerifiedAt: known ? now : null,
        headteacherVerifiedBy: null,
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
