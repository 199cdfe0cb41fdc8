// Use-case: the hub's lead or administrators (or NCETM's national administrators) decide a ready
// school's interest: accept it into a group of the hub, programme and year that is recruiting or
// running (never over the group's capacity: the group's row is locked, so two accepts cannot both
// take its last place), keep it on the waiting list with a position (1 is next), or decline it. A
// school on the waiting list can later be accepted, and the list closes up behind it. Each decision
// writes the interest's history and the audit trail, and emails the school, in one transaction.
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { queueEmail } from '../../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { schoolWorkGroupsLink } from './ask-for-support.ts'
import { closeUpWaitingList, lockWaitingList, recordInterestMove } from './interest-moves.ts'
import { decisionInput } from './schools.input.ts'
import { canDecideInterest } from './schools.policy.ts'
import { findInterest, type InterestRecord } from './schools.repository.ts'

export async function decideInterest(
  context: UseCaseContext,
  interestId: number,
  raw: unknown,
): Promise<InterestRecord> {
  const input = parseInput(decisionInput, raw)
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const peek = await tx
      .selectFrom('work_group_interests')
      .select('hub_id')
      .where('id', '=', interestId)
      .executeTakeFirst()
    if (!peek || !canDecideInterest(context.actor, { hubId: peek.hub_id }))
      throw new NotFoundError('Interest')
    await lockWaitingList(unit, peek.hub_id)
    const interest = await tx
      .selectFrom('work_group_interests')
      .selectAll()
      .where('id', '=', interestId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const from = interest.status
    const decidable = input.decision === 'wait' ? from === 'ready' : from === 'ready' || from === 'waiting'
    if (!decidable) {
      const why: Record<string, string> = {
        'awaiting-support': 'The school’s head of maths and senior leader must both support it first',
        accepted: 'The school is already in a group',
        waiting: 'The school is already on the waiting list',
        declined: 'The interest has been declined',
        withdrawn: 'The school has withdrawn its interest',
      }
      throw new ValidationError([
        {
          code: 'not-decidable',
          field: 'decision',
          message: why[from] ?? 'The interest cannot be decided now',
        },
      ])
    }
    let workGroupId: number | null = null
    let groupName: string | null = null
    let waitingPosition: number | null = null
    if (input.decision === 'accept') {
      if (input.workGroupId === undefined) {
        throw new ValidationError([{ code: 'required', field: 'workGroupId', message: 'Select the group' }])
      }
      const group = await tx
        .selectFrom('work_groups')
        .select(['id', 'name', 'hub_id', 'programme_id', 'academic_year', 'state', 'capacity'])
        .where('id', '=', input.workGroupId)
        .forUpdate()
        .executeTakeFirst()
      if (
        !group ||
        group.hub_id !== interest.hub_id ||
        group.programme_id !== interest.programme_id ||
        group.academic_year !== interest.academic_year ||
        (group.state !== 'recruiting' && group.state !== 'running')
      ) {
        throw new ValidationError([
          {
            code: 'group',
            field: 'workGroupId',
            message: 'Select a group of this programme and year that is recruiting or running',
          },
        ])
      }
      const taken = await tx
        .selectFrom('work_group_interests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('work_group_id', '=', group.id)
        .where('status', '=', 'accepted')
        .executeTakeFirstOrThrow()
      if (Number(taken.n) >= group.capacity) {
        throw new ValidationError([
          {
            code: 'over-capacity',
            field: 'workGroupId',
            message: `${group.name} is full: it has all ${group.capacity} of its places taken. Choose another group or keep the school on the waiting list`,
          },
        ])
      }
      workGroupId = Number(group.id)
      groupName = group.name
    } else if (input.decision === 'wait') {
      const last = await tx
        .selectFrom('work_group_interests')
        .select((eb) => eb.fn.max('waiting_position').as('n'))
        .where('hub_id', '=', interest.hub_id)
        .where('programme_id', '=', interest.programme_id)
        .where('academic_year', '=', interest.academic_year)
        .where('status', '=', 'waiting')
        .executeTakeFirst()
      waitingPosition = Number(last?.n ?? 0) + 1
    }
    const to = input.decision === 'accept' ? 'accepted' : input.decision === 'wait' ? 'waiting' : 'declined'
    await tx
      .updateTable('work_group_interests')
      .set({
        status: to,
        work_group_id: workGroupId,
        waiting_position: waitingPosition,
        decided_by: actingPersonId(context.actor),
        decided_at: now,
        updated_at: now,
      })
      .where('id', '=', interestId)
      .execute()
    await recordInterestMove(context, unit, {
      interestId,
      event: input.decision,
      from,
      to,
      workGroupId,
      waitingPosition,
    })
    if (from === 'waiting' && interest.waiting_position !== null) {
      await closeUpWaitingList(
        context,
        unit,
        { hubId: interest.hub_id, programmeId: interest.programme_id, academicYear: interest.academic_year },
        interest.waiting_position,
      )
    }
    const record = (await findInterest(tx, interestId))!
    const registrant = await tx
      .selectFrom('people')
      .select(['name', 'email'])
      .where('id', '=', interest.registered_by ?? -1)
      .where('erased_at', 'is', null)
      .executeTakeFirst()
    if (registrant) {
      await queueEmail(tx, {
        template: 'work-group-decision',
        to: registrant.email,
        data: {
          name: registrant.name,
          schoolName: record.schoolName,
          programmeName: record.programmeName,
          academicYear: record.academicYear,
          decision: input.decision,
          groupName,
          waitingPosition,
          link: schoolWorkGroupsLink(context, record.schoolUrn),
        },
      })
    }
    return record
  })
}
