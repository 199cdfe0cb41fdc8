// Use-cases: the school names its two Mastery Advocates (name, email, role), and later changes one.
// A change ends the old advocate's period on the date the new one starts, in the same slot, with
// the reason; there are never more than two current advocates, and a third is refused.
import { formatUkDate } from '../../../lib/uk-time.ts'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { ukDateOf } from '../../participants/start-year-one.ts'
import { inTransaction, type Unit, type UseCaseContext } from '../../use-case.ts'
import { advocateChangeInput, advocateInput } from './schools.input.ts'
import { canActForSchool } from './schools.policy.ts'
import { findInterest, type InterestRecord } from './schools.repository.ts'

async function lockOwnInterest(context: UseCaseContext, unit: Unit, interestId: number) {
  const locked = await unit.tx
    .selectFrom('work_group_interests')
    .select(['school_urn', 'status'])
    .where('id', '=', interestId)
    .forUpdate()
    .executeTakeFirst()
  if (!locked || !canActForSchool(context.actor, locked.school_urn)) throw new NotFoundError('Interest')
  if (locked.status === 'declined' || locked.status === 'withdrawn') {
    throw new ValidationError([
      {
        code: 'closed',
        field: 'name',
        message: 'This interest has been declined or withdrawn, so its advocates can no longer change',
      },
    ])
  }
}

function currentAdvocates(unit: Unit, interestId: number) {
  return unit.tx
    .selectFrom('work_group_advocates')
    .select(['id', 'slot', 'name', 'from_date'])
    .where('interest_id', '=', interestId)
    .where('to_date', 'is', null)
    .orderBy('slot')
    .execute()
}

export async function nameAdvocate(
  context: UseCaseContext,
  interestId: number,
  raw: unknown,
): Promise<InterestRecord> {
  const input = parseInput(advocateInput, raw)
  return inTransaction(context, async (unit) => {
    await lockOwnInterest(context, unit, interestId)
    const current = await currentAdvocates(unit, interestId)
    if (current.length >= 2) {
      throw new ValidationError([
        {
          code: 'third-advocate',
          field: 'name',
          message:
            `A school has exactly two Mastery Advocates, and yours are ${current.map((a) => a.name).join(' and ')}. ` +
            'To name someone else, change one of them',
        },
      ])
    }
    const slot = current.some((a) => a.slot === 1) ? 2 : 1
    const row = await unit.tx
      .insertInto('work_group_advocates')
      .values({
        interest_id: interestId,
        slot,
        name: input.name,
        email: input.email,
        role: input.role,
        from_date: ukDateOf(unit.now),
        created_by: actingPersonId(context.actor),
        created_at: unit.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await unit.audit({
      action: 'work-group-interest.name-advocate',
      recordType: 'work-group-advocate',
      recordId: String(row.id),
      after: { interestId, slot, role: input.role },
    })
    return (await findInterest(unit.tx, interestId))!
  })
}

export async function changeAdvocate(
  context: UseCaseContext,
  interestId: number,
  raw: unknown,
): Promise<InterestRecord> {
  const input = parseInput(advocateChangeInput, raw)
  return inTransaction(context, async (unit) => {
    await lockOwnInterest(context, unit, interestId)
    const old = (await currentAdvocates(unit, interestId)).find((a) => a.slot === input.slot)
    if (!old) {
      throw new ValidationError([
        {
          code: 'no-advocate',
          field: 'slot',
          message: 'Name this advocate first: there is no one to change',
        },
      ])
    }
    const oldFrom = String(old.from_date).slice(0, 10)
    if (input.fromDate < oldFrom) {
      throw new ValidationError([
        {
          code: 'before-start',
          field: 'fromDate',
          message: `The new advocate must start on or after ${formatUkDate(new Date(`${oldFrom}T12:00:00Z`))}, when ${old.name} started`,
        },
      ])
    }
    await unit.tx
      .updateTable('work_group_advocates')
      .set({ to_date: input.fromDate })
      .where('id', '=', old.id)
      .execute()
    const row = await unit.tx
      .insertInto('work_group_advocates')
      .values({
        interest_id: interestId,
        slot: input.slot,
        name: input.name,
        email: input.email,
        role: input.role,
        from_date: input.fromDate,
        change_reason: input.reason,
        created_by: actingPersonId(context.actor),
        created_at: unit.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await unit.audit({
      action: 'work-group-interest.change-advocate',
      recordType: 'work-group-advocate',
      recordId: String(row.id),
      before: { advocateId: Number(old.id) },
      after: { interestId, slot: input.slot, fromDate: input.fromDate },
    })
    return (await findInterest(unit.tx, interestId))!
  })
}
