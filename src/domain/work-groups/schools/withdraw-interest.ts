// Use-case: a school contact withdraws the school's interest in a Work Group programme for a year.
// An interest may be withdrawn at any stage the school is still taking part in (ADR 0026): waiting
// for support (its leaders' links stop working), ready for the hub's decision, on the waiting list
// (those behind it move up, as when the hub accepts a waiting school) or accepted into a group that
// has not finished (its place is freed). A declined or withdrawn interest, or one whose group has
// completed, cannot be withdrawn. The hub's waiting list and the interest are held while it changes,
// in the same order as the hub's decisions, and the history and audit rows are written with it.
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { closeUpWaitingList, lockWaitingList, recordInterestMove } from './interest-moves.ts'
import { canActForSchool } from './schools.policy.ts'
import { findInterest, type InterestRecord } from './schools.repository.ts'

/** Why the interest cannot be withdrawn now, or undefined when it can. */
export function withdrawalRefusal(
  interest: Pick<InterestRecord, 'status' | 'workGroupName' | 'workGroupState'>,
): string | undefined {
  if (interest.status === 'withdrawn') return 'Your school has already withdrawn this interest'
  if (interest.status === 'declined')
    return 'The hub has declined this interest, so there is nothing to withdraw'
  if (interest.status === 'accepted' && interest.workGroupState === 'completed')
    return `${interest.workGroupName ?? 'The group'} has finished, so your school’s part in it can no longer be withdrawn`
  return undefined
}

export interface WithdrawalView {
  interest: InterestRecord
  /** Why it cannot be withdrawn, when it cannot. */
  refusal: string | undefined
}

/** What the confirmation page shows: only the school's own contacts may withdraw. */
export async function viewWithdrawal(context: UseCaseContext, interestId: number): Promise<WithdrawalView> {
  const interest = await findInterest(context.db, interestId)
  if (!interest || !canActForSchool(context.actor, interest.schoolUrn)) throw new NotFoundError('Interest')
  return { interest, refusal: withdrawalRefusal(interest) }
}

export async function withdrawInterest(context: UseCaseContext, interestId: number): Promise<InterestRecord> {
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const peek = await tx
      .selectFrom('work_group_interests')
      .select(['school_urn', 'hub_id'])
      .where('id', '=', interestId)
      .executeTakeFirst()
    if (!peek || !canActForSchool(context.actor, peek.school_urn)) throw new NotFoundError('Interest')
    await lockWaitingList(unit, peek.hub_id)
    const locked = await tx
      .selectFrom('work_group_interests')
      .select(['status', 'work_group_id', 'waiting_position', 'programme_id', 'academic_year'])
      .where('id', '=', interestId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const interest = (await findInterest(tx, interestId))!
    const refusal = withdrawalRefusal(interest)
    if (refusal)
      throw new ValidationError([{ code: 'not-withdrawable', field: 'interest', message: refusal }])
    const from = locked.status
    await tx
      .updateTable('work_group_interests')
      .set({ status: 'withdrawn', work_group_id: null, waiting_position: null, updated_at: now })
      .where('id', '=', interestId)
      .execute()
    // The history names the group or the place on the list the school left.
    await recordInterestMove(context, unit, {
      interestId,
      event: 'withdraw',
      from,
      to: 'withdrawn',
      workGroupId: locked.work_group_id === null ? null : Number(locked.work_group_id),
      waitingPosition: locked.waiting_position,
      audit: false,
    })
    await unit.audit({
      action: 'work-group-interest.withdraw',
      recordType: 'work-group-interest',
      recordId: String(interestId),
      before: {
        status: from,
        ...(locked.work_group_id === null ? {} : { workGroupId: Number(locked.work_group_id) }),
        ...(locked.waiting_position === null ? {} : { waitingPosition: locked.waiting_position }),
      },
      after: { status: 'withdrawn' },
    })
    if (from === 'waiting' && locked.waiting_position !== null) {
      await closeUpWaitingList(
        context,
        unit,
        { hubId: peek.hub_id, programmeId: locked.programme_id, academicYear: locked.academic_year },
        locked.waiting_position,
      )
    }
    return (await findInterest(tx, interestId))!
  })
}
