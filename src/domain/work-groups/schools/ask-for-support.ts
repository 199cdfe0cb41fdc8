// Use-case: the school asks its head of maths or a senior leader (again, or someone else) to
// support its interest. Each is emailed a single-use link valid for 14 days, as for a
// headteacher's endorsement; a newer request for the same role retires the older.
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { hashSecret, newSecret } from '../../auth/tokens.ts'
import { queueEmail } from '../../email/outbox.repository.ts'
import { inTransaction, type Unit, type UseCaseContext } from '../../use-case.ts'
import { canActForSchool } from './schools.policy.ts'
import { findInterest, type InterestRecord } from './schools.repository.ts'
import { SUPPORT_ROLE_NAMES, supportRequestInput, type SupportRoleName } from './schools.input.ts'

export const SUPPORT_LINK_DAYS = 14

export function supportLink(context: UseCaseContext, token: string): string {
  return new URL(`/work-group-support/${token}`, context.baseUrl).href
}

export function schoolWorkGroupsLink(context: UseCaseContext, urn: number): string {
  return new URL(`/schools/${urn}/work-groups`, context.baseUrl).href
}

/** Retires any open request for the role, records a new one and queues its email. */
export async function sendSupportRequest(
  context: UseCaseContext,
  unit: Unit,
  interest: Pick<InterestRecord, 'id' | 'schoolName' | 'hubName' | 'programmeName' | 'academicYear'>,
  role: SupportRoleName,
  supporter: { name: string; email: string },
): Promise<void> {
  const { tx, now } = unit
  await tx
    .updateTable('work_group_support_requests')
    .set({ replaced_at: now })
    .where('interest_id', '=', interest.id)
    .where('role', '=', role)
    .where('replaced_at', 'is', null)
    .execute()
  const token = newSecret()
  const expiresAt = new Date(now.getTime() + SUPPORT_LINK_DAYS * 24 * 3_600_000)
  await tx
    .insertInto('work_group_support_requests')
    .values({
      interest_id: interest.id,
      role,
      name: supporter.name,
      email: supporter.email,
      token_hash: hashSecret(token),
      created_at: now,
      expires_at: expiresAt,
    })
    .execute()
  await queueEmail(tx, {
    template: 'work-group-support-request',
    to: supporter.email,
    data: {
      name: supporter.name,
      roleName: SUPPORT_ROLE_NAMES[role],
      schoolName: interest.schoolName,
      hubName: interest.hubName,
      programmeName: interest.programmeName,
      academicYear: interest.academicYear,
      link: supportLink(context, token),
      expiresAt,
    },
  })
}

export async function askForSupport(
  context: UseCaseContext,
  interestId: number,
  raw: unknown,
): Promise<InterestRecord> {
  const input = parseInput(supportRequestInput, raw)
  return inTransaction(context, async (unit) => {
    const locked = await unit.tx
      .selectFrom('work_group_interests')
      .select(['school_urn', 'status'])
      .where('id', '=', interestId)
      .forUpdate()
      .executeTakeFirst()
    if (!locked || !canActForSchool(context.actor, locked.school_urn)) throw new NotFoundError('Interest')
    if (locked.status !== 'awaiting-support') {
      throw new ValidationError([
        {
          code: 'not-awaiting-support',
          field: 'role',
          message: 'Both leaders have already supported this interest, so there is no one to ask',
        },
      ])
    }
    const interest = (await findInterest(unit.tx, interestId))!
    await sendSupportRequest(context, unit, interest, input.role, input)
    await unit.audit({
      action: 'work-group-interest.ask-support',
      recordType: 'work-group-interest',
      recordId: String(interestId),
      after: { role: input.role },
    })
    return (await findInterest(unit.tx, interestId))!
  })
}
