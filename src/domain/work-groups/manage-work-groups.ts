// Use-cases for a hub's lead and administrators (and NCETM's national administrators): set up a
// Work Group for an academic year, with its programme, phase, capacity, meeting area, planned
// sessions and one or two lead specialists; move it through its states. Each change writes the
// group's history and the audit trail in one transaction. See docs/adr/0025.
import { sql } from 'kysely'
import { z } from 'zod'
import { ConflictError, NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { actingPersonId } from '../access/actor.ts'
import { ukDateOf } from '../participants/start-year-one.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { canManageWorkGroups } from './work-groups.policy.ts'
import { whenGroupCompletes } from './journey/when-group-completes.ts'
import {
  findWorkGroup,
  findWorkGroupProgramme,
  leadCandidates,
  PHASE_NAMES,
  type WorkGroupRecord,
} from './work-groups.repository.ts'
import {
  nextState,
  RefusedWorkGroupMove,
  WORK_GROUP_EVENT_NAMES,
  type WorkGroupEvent,
} from './work-group.states.ts'

/** The academic year a date falls in: from 1 September, like 2026/27. */
export function academicYearOf(date: string): string {
  const year = Number(date.slice(0, 4))
  const start = Number(date.slice(5, 7)) >= 9 ? year : year - 1
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`
}

const whole = (what: string) =>
  z.coerce.number({ error: `Enter the ${what} as a whole number` }).int(`Enter the ${what} as a whole number`)

export const workGroupInput = z.object({
  programmeId: z
    .string({ error: 'Select the programme' })
    .trim()
    .min(1, 'Select the programme')
    .max(100, 'Select the programme'),
  academicYear: z
    .string({ error: 'Enter the academic year, like 2026/27' })
    .trim()
    .regex(/^\d{4}\/\d{2}$/, 'Enter the academic year, like 2026/27')
    .refine(
      (v) => (Number(v.slice(0, 4)) + 1) % 100 === Number(v.slice(5, 7)),
      'The academic year’s second part must be the year after its first, like 2026/27',
    ),
  phase: z.enum(['primary', 'secondary', 'cross-phase'], { error: 'Select the phase' }),
  name: z
    .string({ error: 'Enter the group’s name' })
    .trim()
    .min(1, 'Enter the group’s name')
    .max(120, 'The name must be 120 characters or fewer'),
  capacity: whole('number of schools')
    .min(2, 'A group has at least 2 schools')
    .max(8, 'A group has at most 8 schools')
    .optional(),
  meetingArea: z
    .string({ error: 'Enter where the group meets' })
    .trim()
    .min(1, 'Enter where the group meets')
    .max(200, 'The meeting area must be 200 characters or fewer'),
  plannedSessions: whole('number of sessions')
    .min(1, 'A group plans at least 1 session')
    .max(12, 'A group plans at most 12 sessions')
    .optional(),
  leads: z
    .array(
      whole('lead')
        .positive('Select a lead specialist from the list')
        .max(2 ** 31 - 1),
      {
        error: 'Select one or two lead specialists',
      },
    )
    .min(1, 'Select one or two lead specialists')
    .max(2, 'A group has at most two lead specialists'),
})

export type WorkGroupInput = z.input<typeof workGroupInput>

/** Sets up a group in the hub, in planning. */
export async function createWorkGroup(
  context: UseCaseContext,
  hubId: string,
  raw: unknown,
): Promise<WorkGroupRecord> {
  if (!canManageWorkGroups(context.actor, hubId)) throw new NotFoundError('Hub')
  const input = parseInput(workGroupInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    const hub = await tx.selectFrom('hubs').select('id').where('id', '=', hubId).executeTakeFirst()
    if (!hub) throw new NotFoundError('Hub')
    const programme = await findWorkGroupProgramme(tx, input.programmeId)
    if (!programme) {
      throw new ValidationError([{ code: 'unknown', field: 'programmeId', message: 'Select the programme' }])
    }
    if (!programme.phases.includes(input.phase)) {
      throw new ValidationError([
        {
          code: 'phase',
          field: 'phase',
          message: `A ${programme.name} group is ${programme.phases.map((p) => PHASE_NAMES[p].toLowerCase()).join(' or ')}`,
        },
      ])
    }
    const capacity = input.capacity ?? programme.defaultCapacity
    if (capacity > programme.maxCapacity) {
      throw new ValidationError([
        {
          code: 'capacity',
          field: 'capacity',
          message: `A ${programme.name} group has at most ${programme.maxCapacity} schools`,
        },
      ])
    }
    const leads = [...new Set(input.leads)]
    const candidates = await leadCandidates(tx, hubId, ukDateOf(now))
    if (leads.some((id) => !candidates.some((c) => c.participationId === id))) {
      throw new ValidationError([
        {
          code: 'not-active',
          field: 'leads',
          message: 'Select lead specialists from this hub’s active Mastery Specialists',
        },
      ])
    }
    const taken = await tx
      .selectFrom('work_groups')
      .select('id')
      .where('hub_id', '=', hubId)
      .where('academic_year', '=', input.academicYear)
      .where(sql<boolean>`lower(name) = lower(${input.name})`)
      .executeTakeFirst()
    if (taken) {
      throw new ConflictError(
        [
          {
            code: 'duplicate',
            field: 'name',
            message: `The hub already has a group called ${input.name} in ${input.academicYear}`,
          },
        ],
        Number(taken.id),
      )
    }
    const row = await tx
      .insertInto('work_groups')
      .values({
        hub_id: hubId,
        programme_id: programme.id,
        academic_year: input.academicYear,
        phase: input.phase,
        name: input.name,
        capacity,
        meeting_area: input.meetingArea,
        planned_sessions: input.plannedSessions ?? programme.plannedSessions,
        created_by: actingPersonId(context.actor),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const id = Number(row.id)
    await tx
      .insertInto('work_group_leads')
      .values(leads.map((participationId) => ({ work_group_id: id, participation_id: participationId })))
      .execute()
    await tx
      .insertInto('work_group_history')
      .values({
        work_group_id: id,
        event: 'create',
        from_state: null,
        to_state: 'planning',
        actor_person_id: actingPersonId(context.actor),
        at: now,
      })
      .execute()
    await audit({
      action: 'work-group.create',
      recordType: 'work-group',
      recordId: String(id),
      after: {
        hubId,
        programmeId: programme.id,
        academicYear: input.academicYear,
        phase: input.phase,
        name: input.name,
        capacity,
        leads,
      },
    })
    return (await findWorkGroup(tx, id))!
  })
}

const moveInput = z.object({
  event: z.enum(WORK_GROUP_EVENT_NAMES as [WorkGroupEvent, ...WorkGroupEvent[]], {
    error: 'Select what to do with the group',
  }),
})

/** Moves the group on (open recruitment, start, complete, cancel), where its state allows. */
export async function moveWorkGroup(
  context: UseCaseContext,
  id: number,
  raw: unknown,
): Promise<WorkGroupRecord> {
  const { event } = parseInput(moveInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    const locked = await tx
      .selectFrom('work_groups')
      .select(['hub_id', 'state'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!locked || !canManageWorkGroups(context.actor, locked.hub_id)) throw new NotFoundError('Work Group')
    let to
    try {
      to = nextState(locked.state, event)
    } catch (error) {
      if (!(error instanceof RefusedWorkGroupMove)) throw error
      throw new ValidationError([{ code: 'refused', field: 'event', message: error.message }])
    }
    await tx.updateTable('work_groups').set({ state: to, updated_at: now }).where('id', '=', id).execute()
    await tx
      .insertInto('work_group_history')
      .values({
        work_group_id: id,
        event,
        from_state: locked.state,
        to_state: to,
        actor_person_id: actingPersonId(context.actor),
        at: now,
      })
      .execute()
    await audit({
      action: `work-group.${event}`,
      recordType: 'work-group',
      recordId: String(id),
      before: { state: locked.state },
      after: { state: to },
    })
    if (to === 'completed') await whenGroupCompletes({ tx, now, audit }, context, id)
    return (await findWorkGroup(tx, id))!
  })
}
