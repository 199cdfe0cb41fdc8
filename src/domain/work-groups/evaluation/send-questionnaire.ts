// Sending the end-of-year questionnaire: each current advocate of the group's schools gets a
// single-use emailed link (its hash kept on their response; valid for 60 days). A group that
// completes sends it in the same transaction; the hub's team may also choose "Send the
// questionnaire" for a running or completed group, which sends a new link to each advocate who has
// not answered yet (the older link stops working). Advocates who have answered are not asked again.
import type { Executor } from '../../../db/database.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { formatUkDate } from '../../../lib/uk-time.ts'
import { hashSecret, newSecret } from '../../auth/tokens.ts'
import { queueEmail } from '../../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import type { AuditEntry } from '../../audit/audit.ts'
import { canManageWorkGroups } from '../work-groups.policy.ts'

export const LINK_DAYS = 60
const DAY = 86_400_000

export interface IssuedLink {
  advocateId: number
  token: string
}

/** Issues links to the group's current advocates who have not answered; returns them. */
export async function issueQuestionnaire(
  unit: { tx: Executor; now: Date; audit?: (entry: AuditEntry) => Promise<void> },
  baseUrl: string,
  workGroupId: number,
): Promise<IssuedLink[]> {
  const { tx, now } = unit
  const group = await tx
    .selectFrom('work_groups')
    .select(['name'])
    .where('id', '=', workGroupId)
    .executeTakeFirstOrThrow()
  const advocates = await tx
    .selectFrom('work_group_advocates as a')
    .innerJoin('work_group_interests as i', 'i.id', 'a.interest_id')
    .leftJoin('evaluation_responses as r', (join) =>
      join.onRef('r.advocate_id', '=', 'a.id').on('r.work_group_id', '=', workGroupId),
    )
    .select(['a.id', 'a.name', 'a.email', 'r.id as response_id', 'r.submitted_at'])
    .where('i.work_group_id', '=', workGroupId)
    .where('i.status', '=', 'accepted')
    .where('a.to_date', 'is', null)
    .orderBy('a.id')
    .execute()
  const issued: IssuedLink[] = []
  for (const a of advocates) {
    if (a.submitted_at !== null) continue
    const token = newSecret()
    if (a.response_id === null) {
      await tx
        .insertInto('evaluation_responses')
        .values({
          work_group_id: workGroupId,
          audience: 'advocate',
          advocate_id: a.id,
          token_hash: hashSecret(token),
          sent_at: now,
          created_at: now,
        })
        .execute()
    } else {
      await tx
        .updateTable('evaluation_responses')
        .set({ token_hash: hashSecret(token), sent_at: now })
        .where('id', '=', a.response_id)
        .execute()
    }
    await queueEmail(tx, {
      template: 'evaluation-questionnaire',
      to: a.email,
      data: {
        name: a.name,
        groupName: group.name,
        link: `${baseUrl}/questionnaire/${token}`,
        closesOn: formatUkDate(new Date(now.getTime() + LINK_DAYS * DAY)),
      },
    })
    issued.push({ advocateId: Number(a.id), token })
  }
  await unit.audit?.({
    action: 'work-group.questionnaire-sent',
    recordType: 'work-group',
    recordId: String(workGroupId),
    after: { links: issued.length },
  })
  return issued
}

/** The hub's team sends (or sends again) the questionnaire to a running or completed group. */
export async function sendQuestionnaire(context: UseCaseContext, workGroupId: number): Promise<number> {
  return inTransaction(context, async (unit) => {
    const group = await unit.tx
      .selectFrom('work_groups')
      .select(['hub_id', 'state'])
      .where('id', '=', workGroupId)
      .forUpdate()
      .executeTakeFirst()
    if (!group || !canManageWorkGroups(context.actor, group.hub_id)) throw new NotFoundError('Work Group')
    if (group.state !== 'running' && group.state !== 'completed')
      throw new ValidationError([
        {
          code: 'state',
          field: 'form',
          message: 'Only a running or completed group can be sent the questionnaire',
        },
      ])
    const issued = await issueQuestionnaire(unit, context.baseUrl, workGroupId)
    if (issued.length === 0)
      throw new ValidationError([
        {
          code: 'none',
          field: 'form',
          message: 'Every current advocate of the group has answered, or the group has none',
        },
      ])
    return issued.length
  })
}
