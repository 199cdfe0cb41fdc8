// Use-cases for the headteacher, who follows the emailed link without signing in: read what the
// school commits to, then confirm or decline with a reason. The link works once, for 14 days.
import { hashSecret } from '../auth/tokens.ts'
import { ANONYMOUS } from '../access/actor.ts'
import { NotFoundError, parseNestedInput, ValidationError } from '../../errors.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { findCohort, type Cohort } from '../programmes/programmes.repository.ts'
import { cohortStatus } from '../programmes/view-programmes.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { endorsementResponse } from './application-input.ts'
import { applicationLink, moveApplication, writtenCriteria } from './application-rules.ts'
import { AWAITING_HEADTEACHER } from './application.states.ts'
import {
  findApplication,
  findEndorsementByToken,
  lockApplication,
  markEndorsementUsed,
  type Application,
  type EndorsementRequest,
} from './applications.repository.ts'

export type EndorsementLinkStatus = 'open' | 'used' | 'expired' | 'replaced' | 'closed'

export interface EndorsementView {
  status: EndorsementLinkStatus
  request: EndorsementRequest
  application: Application
  cohort: Cohort
  /**
   * What the headteacher is endorsing, while the link is open: the teacher, the school, their role
   * and the written evidence, and nothing else (no email address, TRN or history).
   */
  endorsing: EndorsedApplication | null
}

export interface EndorsedApplication {
  reference: string
  applicantName: string
  schoolName: string | null
  currentRole: string | null
  evidence: { text: string; essential: boolean; answer: string }[]
}

export function endorsedApplication(application: Application, cohort: Cohort): EndorsedApplication {
  return {
    reference: application.reference,
    applicantName: application.applicantName,
    schoolName: application.schoolName,
    currentRole: application.teaching.currentRole ?? null,
    evidence: writtenCriteria(cohort).map((c) => ({
      text: c.text,
      essential: c.essential,
      answer: application.evidence[c.id] ?? '',
    })),
  }
}

function linkStatus(
  request: EndorsementRequest,
  application: Application,
  cohort: Cohort,
  now: Date,
): EndorsementLinkStatus {
  if (request.usedAt) return 'used'
  if (request.replacedAt || !AWAITING_HEADTEACHER.includes(application.state)) return 'replaced'
  if (request.expiresAt.getTime() <= now.getTime()) return 'expired'
  if (cohortStatus(cohort, now) !== 'open') return 'closed'
  return 'open'
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/

/** What the link shows; an unknown link is "not found". */
export async function viewEndorsementRequest(
  context: UseCaseContext,
  token: string,
): Promise<EndorsementView> {
  if (!TOKEN.test(token)) throw new NotFoundError('Endorsement request')
  const request = await findEndorsementByToken(context.db, hashSecret(token))
  if (!request) throw new NotFoundError('Endorsement request')
  const application = (await findApplication(context.db, request.applicationId))!
  const cohort = (await findCohort(context.db, application.cohortId))!
  const status = linkStatus(request, application, cohort, context.clock.now())
  return {
    status,
    request,
    application,
    cohort,
    endorsing: status === 'open' ? endorsedApplication(application, cohort) : null,
  }
}

export async function respondToEndorsement(
  context: UseCaseContext,
  token: string,
  raw: unknown,
): Promise<{ decision: 'confirm' | 'decline'; application: Application }> {
  if (!TOKEN.test(token)) throw new NotFoundError('Endorsement request')
  const input = parseNestedInput(endorsementResponse, raw)
  // The headteacher is not signed in: the link is their authority, and the audit says "system".
  const headContext = { ...context, actor: ANONYMOUS }
  return inTransaction(headContext, async (unit) => {
    const { tx, now } = unit
    const found = await findEndorsementByToken(tx, hashSecret(token))
    if (!found) throw new NotFoundError('Endorsement request')
    const application = (await lockApplication(tx, found.applicationId))!
    const request = (await findEndorsementByToken(tx, hashSecret(token)))!
    const cohort = (await findCohort(tx, application.cohortId))!
    const status = linkStatus(request, application, cohort, now)
    if (status !== 'open') {
      const messages: Record<Exclude<EndorsementLinkStatus, 'open'>, string> = {
        used: 'You have already answered this request',
        replaced:
          'This link no longer works because the teacher has changed their application. Use the link in the newest email',
        expired: 'This link has expired. Ask the teacher to send the request again',
        closed: 'Applications to this cohort have closed, so the application can no longer be endorsed',
      }
      throw new ValidationError([{ code: `link-${status}`, field: 'decision', message: messages[status] }])
    }
    await markEndorsementUsed(tx, request.id, now)
    const link = applicationLink(context, application.id)
    if (input.decision === 'confirm') {
      await moveApplication(headContext, unit, application, 'endorse', {
        actor: 'headteacher',
        changes: { endorsedAt: now },
      })
      await queueEmail(tx, {
        template: 'endorsement-confirmed',
        to: application.applicantEmail,
        data: {
          name: application.applicantName,
          headteacherName: request.headteacherName,
          programmeName: cohort.programmeName,
          link,
          closesAt: cohort.closesAt,
        },
      })
    } else {
      const reason = input.reason ?? ''
      await moveApplication(headContext, unit, application, 'decline-endorsement', {
        actor: 'headteacher',
        note: reason,
        changes: { endorsementDeclinedAt: now, endorsementDeclineReason: reason },
      })
      await queueEmail(tx, {
        template: 'endorsement-declined',
        to: application.applicantEmail,
        data: {
          name: application.applicantName,
          headteacherName: request.headteacherName,
          programmeName: cohort.programmeName,
          reason,
          link,
        },
      })
    }
    return { decision: input.decision, application: (await findApplication(tx, application.id))! }
  })
}
