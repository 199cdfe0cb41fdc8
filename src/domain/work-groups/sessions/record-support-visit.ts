// A lead specialist records an in-school support visit to one of the group's schools, in half-days
// (1 to 4), with notes; the hub team may record one for any of the group's lead specialists. The
// half-days count towards the specialist's release time and funding (see supportHalfDays).
import { z } from 'zod'
import { parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { ukDateOf } from '../../participants/start-year-one.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canManageWorkGroups } from '../work-groups.policy.ts'
import { groupFor, refuseIfFinished } from './session-access.ts'
import { groupSchools, groupSupportVisits, type SupportVisit } from './sessions.repository.ts'

export const supportVisitInput = z.object({
  participationId: z.coerce
    .number({ error: 'Select the lead specialist' })
    .int('Select the lead specialist')
    .positive('Select the lead specialist')
    .max(2 ** 31 - 1, 'Select the lead specialist'),
  schoolUrn: z.coerce
    .number({ error: 'Select the school' })
    .int('Select the school')
    .positive('Select the school')
    .max(2 ** 31 - 1, 'Select the school'),
  visitedOn: z
    .string({ error: 'Enter the date of the visit' })
    .trim()
    .min(1, 'Enter the date of the visit')
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date of the visit as a real date')
    .refine(
      (v) =>
        !Number.isNaN(Date.parse(`${v}T12:00:00Z`)) && new Date(`${v}T12:00:00Z`).toISOString().startsWith(v),
      'Enter the date of the visit as a real date',
    ),
  halfDays: z.coerce
    .number({ error: 'Enter the half-days, from 1 to 4' })
    .int('Enter the half-days as a whole number, from 1 to 4')
    .min(1, 'A visit is at least 1 half-day')
    .max(4, 'A visit is at most 4 half-days'),
  notes: z.string().trim().max(2000, 'The notes must be 2,000 characters or fewer').optional(),
})

export async function recordSupportVisit(
  context: UseCaseContext,
  workGroupId: number,
  raw: unknown,
): Promise<SupportVisit> {
  return inTransaction(context, async ({ tx, now, audit }) => {
    const group = await groupFor(tx, context.actor, workGroupId, 'manage')
    refuseIfFinished(group, 'no support visits can be recorded')
    const input = parseInput(supportVisitInput, raw)
    const lead = group.leads.find((l) => l.participationId === input.participationId)
    const hubTeam = canManageWorkGroups(context.actor, group.hubId)
    if (!lead || (!hubTeam && context.actor.kind === 'person' && lead.personId !== context.actor.personId))
      throw new ValidationError([
        {
          code: 'not-a-lead',
          field: 'participationId',
          message: hubTeam
            ? 'Select one of the group’s lead specialists'
            : 'You can only record your own support visits',
        },
      ])
    if (!(await groupSchools(tx, workGroupId)).some((s) => s.urn === input.schoolUrn))
      throw new ValidationError([
        {
          code: 'not-in-group',
          field: 'schoolUrn',
          message: 'This school is not in the group, so a support visit to it cannot be recorded',
        },
      ])
    if (input.visitedOn > ukDateOf(now))
      throw new ValidationError([
        { code: 'future', field: 'visitedOn', message: 'The date of the visit must be today or in the past' },
      ])
    const row = await tx
      .insertInto('work_group_support_visits')
      .values({
        work_group_id: workGroupId,
        participation_id: input.participationId,
        school_urn: input.schoolUrn,
        visited_on: input.visitedOn,
        half_days: input.halfDays,
        notes: input.notes || null,
        recorded_by: actingPersonId(context.actor),
        recorded_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit({
      action: 'work-group-support-visit.record',
      recordType: 'work-group',
      recordId: workGroupId,
      after: { participationId: input.participationId, schoolUrn: input.schoolUrn, halfDays: input.halfDays },
    })
    return (await groupSupportVisits(tx, workGroupId)).find((v) => v.id === Number(row.id))!
  })
}
