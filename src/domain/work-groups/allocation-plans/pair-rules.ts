// The hub's pairs for allocation: two interested schools of a programme and year kept apart (say,
// two schools of one trust that want to meet others) or together. Each change is audited.
import { z } from 'zod'
import { ConflictError, NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canManageWorkGroups } from '../work-groups.policy.ts'
import { allocationScope } from './plan-allocation.ts'

const urn = (what: string) =>
  z.coerce
    .number({ error: `Select the ${what}` })
    .int(`Select the ${what}`)
    .positive(`Select the ${what}`)
    .max(2 ** 31 - 1, `Select the ${what}`)

const pairInput = allocationScope.extend({
  kind: z.enum(['apart', 'together'], { error: 'Select apart or together' }),
  schoolA: urn('first school'),
  schoolB: urn('second school'),
})

export async function addPairRule(context: UseCaseContext, hubId: string, raw: unknown): Promise<number> {
  if (!canManageWorkGroups(context.actor, hubId)) throw new NotFoundError('Hub')
  const input = parseInput(pairInput, raw)
  if (input.schoolA === input.schoolB)
    throw new ValidationError([{ code: 'same', field: 'schoolB', message: 'Select two different schools' }])
  const [a, b] =
    input.schoolA < input.schoolB ? [input.schoolA, input.schoolB] : [input.schoolB, input.schoolA]
  return inTransaction(context, async ({ tx, now, audit }) => {
    const interested = await tx
      .selectFrom('work_group_interests')
      .select('school_urn')
      .where('hub_id', '=', hubId)
      .where('programme_id', '=', input.programmeId)
      .where('academic_year', '=', input.academicYear)
      .where('status', 'in', ['ready', 'waiting', 'accepted'])
      .where('school_urn', 'in', [a, b])
      .execute()
    for (const [field, value] of [
      ['schoolA', input.schoolA],
      ['schoolB', input.schoolB],
    ] as const)
      if (!interested.some((i) => i.school_urn === value))
        throw new ValidationError([
          { code: 'not-interested', field, message: 'Select a school interested in this programme and year' },
        ])
    const taken = await tx
      .selectFrom('work_group_pair_rules')
      .select('id')
      .where('hub_id', '=', hubId)
      .where('programme_id', '=', input.programmeId)
      .where('academic_year', '=', input.academicYear)
      .where('school_a', '=', a)
      .where('school_b', '=', b)
      .executeTakeFirst()
    if (taken)
      throw new ConflictError(
        [{ code: 'duplicate', field: 'schoolB', message: 'These two schools are already listed as a pair' }],
        Number(taken.id),
      )
    const row = await tx
      .insertInto('work_group_pair_rules')
      .values({
        hub_id: hubId,
        programme_id: input.programmeId,
        academic_year: input.academicYear,
        kind: input.kind,
        school_a: a,
        school_b: b,
        created_by: actingPersonId(context.actor),
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit({
      action: 'work-group.pair-added',
      recordType: 'work-group-pair-rule',
      recordId: String(row.id),
      after: {
        hubId,
        programmeId: input.programmeId,
        academicYear: input.academicYear,
        kind: input.kind,
        a,
        b,
      },
    })
    return Number(row.id)
  })
}

export async function removePairRule(
  context: UseCaseContext,
  pairId: number,
): Promise<{ hubId: string; programmeId: string; academicYear: string }> {
  return inTransaction(context, async ({ tx, audit }) => {
    const pair = await tx
      .selectFrom('work_group_pair_rules')
      .selectAll()
      .where('id', '=', pairId)
      .forUpdate()
      .executeTakeFirst()
    if (!pair || !canManageWorkGroups(context.actor, pair.hub_id)) throw new NotFoundError('Pair')
    await tx.deleteFrom('work_group_pair_rules').where('id', '=', pairId).execute()
    await audit({
      action: 'work-group.pair-removed',
      recordType: 'work-group-pair-rule',
      recordId: String(pairId),
      before: { kind: pair.kind, a: pair.school_a, b: pair.school_b },
    })
    return { hubId: pair.hub_id, programmeId: pair.programme_id, academicYear: pair.academic_year }
  })
}
