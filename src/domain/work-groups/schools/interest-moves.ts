// What every change to an interest shares: its history row and audit row in the caller's
// transaction, the academic years a school may register for, and closing up the waiting list when
// a school leaves it.
import type { WorkGroupInterestStatus } from '../../../db/schema.ts'
import { actingPersonId } from '../../access/actor.ts'
import { ukDateOf } from '../../participants/start-year-one.ts'
import type { Unit, UseCaseContext } from '../../use-case.ts'
import { academicYearOf } from '../manage-work-groups.ts'

export const INTEREST_STATUS_NAMES: Record<WorkGroupInterestStatus, string> = {
  'awaiting-support': 'Waiting for support',
  ready: 'Ready for the hub’s decision',
  accepted: 'Accepted into a group',
  waiting: 'On the waiting list',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
}

export const INTEREST_STATUS_TAGS: Record<WorkGroupInterestStatus, string> = {
  'awaiting-support': 'govuk-tag--yellow',
  ready: 'govuk-tag--blue',
  accepted: 'govuk-tag--green',
  waiting: 'govuk-tag--purple',
  declined: 'govuk-tag--red',
  withdrawn: 'govuk-tag--grey',
}

export const INTEREST_EVENT_NAMES: Record<string, string> = {
  register: 'Interest registered',
  supported: 'Both leaders supported it',
  accept: 'Accepted into a group',
  allocated: 'Placed by the allocation plan',
  wait: 'Put on the waiting list',
  'close-up': 'Moved up the waiting list',
  decline: 'Declined',
  withdraw: 'Withdrawn by the school',
}

/** This academic year and the next: the years a school may register for. */
export function registrableYears(now: Date): string[] {
  const thisYear = academicYearOf(ukDateOf(now))
  const start = Number(thisYear.slice(0, 4)) + 1
  return [thisYear, `${start}/${String((start + 1) % 100).padStart(2, '0')}`]
}

export async function recordInterestMove(
  context: UseCaseContext,
  unit: Unit,
  move: {
    interestId: number
    event: string
    from: WorkGroupInterestStatus | null
    to: WorkGroupInterestStatus
    workGroupId?: number | null
    waitingPosition?: number | null
    audit?: boolean
  },
): Promise<void> {
  await unit.tx
    .insertInto('work_group_interest_history')
    .values({
      interest_id: move.interestId,
      event: move.event,
      from_status: move.from,
      to_status: move.to,
      work_group_id: move.workGroupId ?? null,
      waiting_position: move.waitingPosition ?? null,
      actor_person_id: actingPersonId(context.actor),
      at: unit.now,
    })
    .execute()
  if (move.audit === false) return
  await unit.audit({
    action: `work-group-interest.${move.event}`,
    recordType: 'work-group-interest',
    recordId: String(move.interestId),
    before: move.from === null ? undefined : { status: move.from },
    after: {
      status: move.to,
      ...(move.workGroupId ? { workGroupId: move.workGroupId } : {}),
      ...(move.waitingPosition ? { waitingPosition: move.waitingPosition } : {}),
    },
  })
}

/**
 * Serialises the waiting list of a hub's programme and year: the hub's row is locked, so two
 * decisions cannot take the same position or close up the list at once.
 */
export async function lockWaitingList(unit: Unit, hubId: string): Promise<void> {
  await unit.tx.selectFrom('hubs').select('id').where('id', '=', hubId).forUpdate().execute()
}

/** Those behind a school that left the list move up one, in order (1 is next). */
export async function closeUpWaitingList(
  context: UseCaseContext,
  unit: Unit,
  list: { hubId: string; programmeId: string; academicYear: string },
  leftPosition: number,
): Promise<void> {
  const behind = await unit.tx
    .selectFrom('work_group_interests')
    .select(['id', 'waiting_position'])
    .where('hub_id', '=', list.hubId)
    .where('programme_id', '=', list.programmeId)
    .where('academic_year', '=', list.academicYear)
    .where('status', '=', 'waiting')
    .where('waiting_position', '>', leftPosition)
    .orderBy('waiting_position')
    .execute()
  for (const row of behind) {
    const position = row.waiting_position! - 1
    await unit.tx
      .updateTable('work_group_interests')
      .set({ waiting_position: position, updated_at: unit.now })
      .where('id', '=', row.id)
      .execute()
    await recordInterestMove(context, unit, {
      interestId: Number(row.id),
      event: 'close-up',
      from: 'waiting',
      to: 'waiting',
      waitingPosition: position,
      audit: false,
    })
  }
}
