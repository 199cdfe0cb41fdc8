// Use-cases for a school's head of maths or senior leader, who follows the emailed link without
// signing in: see what they are asked to support, then answer "supported" or "not supported". The
// link works once, for 14 days, and only while it is the newest for that role. When both have
// answered "supported", the interest is ready for the hub's decision.
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { ANONYMOUS } from '../../access/actor.ts'
import { hashSecret } from '../../auth/tokens.ts'
import { queueEmail } from '../../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { schoolWorkGroupsLink } from './ask-for-support.ts'
import { recordInterestMove } from './interest-moves.ts'
import { SUPPORT_ROLE_NAMES, supportAnswerInput } from './schools.input.ts'
import { findInterest, type InterestRecord } from './schools.repository.ts'
import type { Executor } from '../../../db/database.ts'

export type SupportLinkStatus = 'open' | 'used' | 'expired' | 'replaced'

export interface SupportRequestView {
  status: SupportLinkStatus
  role: keyof typeof SUPPORT_ROLE_NAMES
  roleName: string
  name: string
  answer: 'supported' | 'not-supported' | null
  interest: Pick<InterestRecord, 'schoolName' | 'hubName' | 'programmeName' | 'academicYear' | 'statement'>
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/

async function requestByToken(db: Executor, token: string) {
  return db
    .selectFrom('work_group_support_requests as r')
    .innerJoin('work_group_interests as i', 'i.id', 'r.interest_id')
    .select([
      'r.id',
      'r.interest_id',
      'r.role',
      'r.name',
      'r.expires_at',
      'r.replaced_at',
      'r.answered_at',
      'r.answer',
      'i.status',
    ])
    .where('r.token_hash', '=', hashSecret(token))
    .executeTakeFirst()
}

function statusOf(
  request: NonNullable<Awaited<ReturnType<typeof requestByToken>>>,
  now: Date,
): SupportLinkStatus {
  if (request.answered_at) return 'used'
  if (request.replaced_at || request.status !== 'awaiting-support') return 'replaced'
  if (request.expires_at.getTime() <= now.getTime()) return 'expired'
  return 'open'
}

export const SUPPORT_LINK_MESSAGES: Record<Exclude<SupportLinkStatus, 'open'>, string> = {
  used: 'You have already answered this request',
  replaced: 'This link no longer works because the school has asked again. Use the link in the newest email',
  expired: 'This link has expired. Ask the school to send the request again',
}

/** What the link shows; an unknown link is "not found". */
export async function viewSupportRequest(
  context: UseCaseContext,
  token: string,
): Promise<SupportRequestView> {
  if (!TOKEN.test(token)) throw new NotFoundError('Support request')
  const request = await requestByToken(context.db, token)
  if (!request) throw new NotFoundError('Support request')
  const interest = (await findInterest(context.db, Number(request.interest_id)))!
  return {
    status: statusOf(request, context.clock.now()),
    role: request.role,
    roleName: SUPPORT_ROLE_NAMES[request.role],
    name: request.name,
    answer: request.answer,
    interest: {
      schoolName: interest.schoolName,
      hubName: interest.hubName,
      programmeName: interest.programmeName,
      academicYear: interest.academicYear,
      statement: interest.statement,
    },
  }
}

export async function answerSupportRequest(
  context: UseCaseContext,
  token: string,
  raw: unknown,
): Promise<{ answer: 'supported' | 'not-supported'; interest: InterestRecord }> {
  if (!TOKEN.test(token)) throw new NotFoundError('Support request')
  const { answer } = parseInput(supportAnswerInput, raw)
  // The leader is not signed in: the link is their authority, and the audit says "system".
  const linkContext = { ...context, actor: ANONYMOUS }
  return inTransaction(linkContext, async (unit) => {
    const { tx, now } = unit
    const found = await requestByToken(tx, token)
    if (!found) throw new NotFoundError('Support request')
    await tx
      .selectFrom('work_group_interests')
      .select('id')
      .where('id', '=', found.interest_id)
      .forUpdate()
      .execute()
    const request = (await requestByToken(tx, token))!
    const status = statusOf(request, now)
    if (status !== 'open') {
      throw new ValidationError([
        { code: `link-${status}`, field: 'answer', message: SUPPORT_LINK_MESSAGES[status] },
      ])
    }
    const interestId = Number(request.interest_id)
    await tx
      .updateTable('work_group_support_requests')
      .set({ answered_at: now, answer })
      .where('id', '=', request.id)
      .execute()
    await unit.audit({
      action: 'work-group-interest.support-answered',
      recordType: 'work-group-interest',
      recordId: String(interestId),
      after: { role: request.role, answer },
    })
    const live = await tx
      .selectFrom('work_group_support_requests')
      .select(['role', 'answer'])
      .where('interest_id', '=', interestId)
      .where('replaced_at', 'is', null)
      .execute()
    const bothSupported = (['head-of-maths', 'senior-leader'] as const).every((role) =>
      live.some((r) => r.role === role && r.answer === 'supported'),
    )
    if (bothSupported) {
      await tx
        .updateTable('work_group_interests')
        .set({ status: 'ready', updated_at: now })
        .where('id', '=', interestId)
        .execute()
      await recordInterestMove(linkContext, unit, {
        interestId,
        event: 'supported',
        from: 'awaiting-support',
        to: 'ready',
      })
    }
    const interest = (await findInterest(tx, interestId))!
    const registrant = await tx
      .selectFrom('work_group_interests as i')
      .innerJoin('people as p', 'p.id', 'i.registered_by')
      .select(['p.name', 'p.email'])
      .where('i.id', '=', interestId)
      .where('p.erased_at', 'is', null)
      .executeTakeFirst()
    if (registrant) {
      await queueEmail(tx, {
        template: 'work-group-support-answered',
        to: registrant.email,
        data: {
          name: registrant.name,
          supporterName: request.name,
          roleName: SUPPORT_ROLE_NAMES[request.role],
          supported: answer === 'supported',
          programmeName: interest.programmeName,
          academicYear: interest.academicYear,
          link: schoolWorkGroupsLink(context, interest.schoolUrn),
        },
      })
    }
    return { answer, interest }
  })
}
