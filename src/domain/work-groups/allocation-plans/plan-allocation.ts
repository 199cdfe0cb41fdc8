// Use-cases for a hub's team (and NCETM's national administrators): propose groups for a
// programme's interested schools in a year (HiGHS's plan, with its lower bound and gap and the
// greedy plan beside it), move a school to another group in the proposal, and apply the plan: every
// school accepted into its group and every group's host set, in one transaction, audited, with each
// school's history. A plan that no longer matches the schools' interest is refused. See ADR 0024.
import { z } from 'zod'
import type { Tx } from '../../../db/database.ts'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canManageWorkGroups } from '../work-groups.policy.ts'
import { distanceMetres } from '../allocation/allocation-problem.ts'
import { InfeasibleAllocationError } from '../allocation/allocation-errors.ts'
import type { AllocationPlan } from '../allocation/allocation-plan.ts'
import { solveAllocation } from '../allocation/solve-allocation.ts'
import {
  allocationInputs,
  buildProblem,
  type AllocationGroup,
  type AllocationInputs,
  type HostPlace,
} from './allocation-inputs.ts'

/** One school in a stored plan. */
export interface PlannedSchool {
  urn: number
  interestId: number
  name: string
  workGroupId: number
  distanceMetres: number
  /** Already accepted into this group before the plan: it stays. */
  placed: boolean
  /** Moved by the hub after the solver proposed the plan. */
  moved: boolean
}

/** One group in a stored plan, where it meets. */
export interface PlannedGroup {
  workGroupId: number
  name: string
  capacity: number
  hostUrn: number
  hostName: string
  easting: number
  northing: number
}

export const allocationScope = z.object({
  programmeId: z
    .string({ error: 'Select the programme' })
    .trim()
    .min(1, 'Select the programme')
    .max(100, 'Select the programme'),
  academicYear: z
    .string({ error: 'Select the academic year' })
    .trim()
    .regex(/^\d{4}\/\d{2}$/, 'Select the academic year'),
})

/** The solver's time limit for a hub's proposal, in seconds. */
const TIME_LIMIT_SECONDS = 10

function refuse(code: string, field: string, message: string): never {
  throw new ValidationError([{ code, field, message }])
}

/** Gives each opened host one of the empty groups: its own host or lead's school first, else the nearest. */
function matchHosts(opened: HostPlace[], empty: AllocationGroup[]): Map<string, AllocationGroup> {
  const left = [...empty]
  const matched = new Map<string, AllocationGroup>()
  const score = (host: HostPlace, group: AllocationGroup) => {
    if (group.host?.urn === host.urn) return -2
    if (group.leadSchools.some((l) => l.urn === host.urn)) return -1
    const places = [group.host, ...group.leadSchools].flatMap((p) => (p?.location ? [p.location] : []))
    return places.length ? Math.min(...places.map((p) => distanceMetres(p, host.location))) : 0
  }
  for (const host of opened) {
    left.sort((a, b) => score(host, a) - score(host, b))
    const group = left.shift()
    if (group) matched.set(host.hostId, group)
  }
  return matched
}

/** The plan as stored: each school's group and distance, each group's host. */
export function storedPlan(
  inputs: AllocationInputs,
  built: ReturnType<typeof buildProblem>,
  plan: AllocationPlan,
): { schools: PlannedSchool[]; groups: PlannedGroup[] } {
  const opened = plan.groups
    .map((g) => built.hosts.get(g.hostId)!)
    .filter((h) => h.workGroupId === undefined)
    .sort((a, b) => a.urn - b.urn)
  const matched = matchHosts(opened, built.emptyGroups)
  const groupOf = (hostId: string): AllocationGroup => {
    const host = built.hosts.get(hostId)!
    return host.workGroupId !== undefined
      ? inputs.groups.find((g) => g.id === host.workGroupId)!
      : matched.get(hostId)!
  }
  const groups: PlannedGroup[] = plan.groups.map((g) => {
    const host = built.hosts.get(g.hostId)!
    const group = groupOf(g.hostId)
    return {
      workGroupId: group.id,
      name: group.name,
      capacity: group.capacity,
      hostUrn: host.urn,
      hostName: host.name,
      ...host.location,
    }
  })
  const schools = plan.assignments.map((a) => {
    const school = inputs.schools.find((s) => s.urn === a.urn)!
    return {
      urn: a.urn,
      interestId: school.interestId,
      name: school.name,
      workGroupId: groupOf(a.hostId).id,
      distanceMetres: a.distanceMetres,
      placed: school.status === 'accepted',
      moved: false,
    }
  })
  return { schools, groups }
}

/** Proposes groups for the hub's interested schools in a programme and year. */
export async function proposeAllocation(
  context: UseCaseContext,
  hubId: string,
  raw: unknown,
): Promise<{ planId: number }> {
  if (!canManageWorkGroups(context.actor, hubId)) throw new NotFoundError('Hub')
  const scope = parseInput(allocationScope, raw)
  const inputs = await allocationInputs(context.db, { hubId, ...scope })
  if (inputs.groups.length === 0)
    refuse(
      'no-groups',
      'programmeId',
      'Open recruitment for at least one group of this programme and year first',
    )
  if (!inputs.schools.some((s) => s.status !== 'accepted'))
    refuse('no-schools', 'programmeId', 'No school of this programme and year is waiting for a group')
  const built = buildProblem(inputs)
  const outcome = await solveAllocation(built.problem, { timeLimitSeconds: TIME_LIMIT_SECONDS })
  if (outcome.status === 'infeasible') throw new InfeasibleAllocationError(outcome)
  const stored = storedPlan(inputs, built, outcome)
  return inTransaction(context, async ({ tx, now, audit }) => {
    await tx
      .updateTable('work_group_allocation_plans')
      .set({ status: 'discarded' })
      .where('hub_id', '=', hubId)
      .where('programme_id', '=', scope.programmeId)
      .where('academic_year', '=', scope.academicYear)
      .where('status', '=', 'proposed')
      .execute()
    const row = await tx
      .insertInto('work_group_allocation_plans')
      .values({
        hub_id: hubId,
        programme_id: scope.programmeId,
        academic_year: scope.academicYear,
        solver_status: outcome.status,
        proven_optimal: outcome.provenOptimal,
        total_travel_metres: outcome.totalTravelMetres,
        lower_bound_metres: Math.floor(outcome.lowerBoundMetres),
        gap: Math.max(0, Math.min(1, outcome.gap)).toFixed(6),
        greedy_travel_metres: outcome.greedy.totalTravelMetres,
        solve_ms: Math.round(outcome.solveMs),
        assignments: JSON.stringify(stored.schools),
        hosts: JSON.stringify(stored.groups),
        created_by: actingPersonId(context.actor),
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit({
      action: 'work-group.allocation-proposed',
      recordType: 'work-group-allocation-plan',
      recordId: String(row.id),
      after: {
        hubId,
        ...scope,
        schools: stored.schools.length,
        groups: stored.groups.length,
        totalTravelMetres: outcome.totalTravelMetres,
        lowerBoundMetres: Math.floor(outcome.lowerBoundMetres),
        gap: outcome.gap,
        left: built.left.map((l) => l.urn),
      },
    })
    return { planId: Number(row.id) }
  })
}

async function lockedPlan(context: UseCaseContext, tx: Tx, planId: number) {
  const plan = await tx
    .selectFrom('work_group_allocation_plans')
    .selectAll()
    .where('id', '=', planId)
    .forUpdate()
    .executeTakeFirst()
  if (!plan || !canManageWorkGroups(context.actor, plan.hub_id)) throw new NotFoundError('Plan')
  if (plan.status !== 'proposed')
    refuse(
      plan.status,
      'plan',
      plan.status === 'applied'
        ? 'This plan has already been applied'
        : 'A newer plan has replaced this one: open the newest plan',
    )
  return {
    ...plan,
    schools: plan.assignments as PlannedSchool[],
    groups: plan.hosts as PlannedGroup[],
  }
}

const moveInput = z.object({
  urn: z.coerce
    .number({ error: 'Select the school' })
    .int()
    .positive()
    .max(2 ** 31 - 1),
  workGroupId: z.coerce
    .number({ error: 'Select the group' })
    .int('Select the group')
    .positive('Select the group')
    .max(2 ** 31 - 1),
})

/** Moves one school of a proposed plan to another of its groups, where that group has room. */
export async function moveSchoolInPlan(context: UseCaseContext, planId: number, raw: unknown): Promise<void> {
  const input = parseInput(moveInput, raw)
  await inTransaction(context, async ({ tx, audit }) => {
    const plan = await lockedPlan(context, tx, planId)
    const school = plan.schools.find((s) => s.urn === input.urn)
    if (!school) refuse('unknown', 'urn', 'Select a school in this plan')
    const target = plan.groups.find((g) => g.workGroupId === input.workGroupId)
    if (!target) refuse('unknown', 'workGroupId', 'Select one of this plan’s groups')
    if (school.placed)
      refuse('placed', 'workGroupId', `${school.name} is already in its group: the plan keeps it there`)
    if (school.workGroupId === target.workGroupId) return
    const load = plan.schools.filter((s) => s.workGroupId === target.workGroupId).length
    if (load >= target.capacity)
      refuse('full', 'workGroupId', `${target.name} is full: it takes ${target.capacity} schools`)
    const location = await tx
      .selectFrom('schools')
      .select(['easting', 'northing'])
      .where('urn', '=', school.urn)
      .executeTakeFirstOrThrow()
    const from = school.workGroupId
    const schools = plan.schools.map((s) =>
      s.urn === school.urn
        ? {
            ...s,
            workGroupId: target.workGroupId,
            moved: true,
            distanceMetres: distanceMetres(
              { easting: location.easting!, northing: location.northing! },
              target,
            ),
          }
        : s,
    )
    const total = schools.reduce((sum, s) => sum + s.distanceMetres, 0)
    await tx
      .updateTable('work_group_allocation_plans')
      .set({ assignments: JSON.stringify(schools), total_travel_metres: total })
      .where('id', '=', planId)
      .execute()
    await audit({
      action: 'work-group.allocation-moved',
      recordType: 'work-group-allocation-plan',
      recordId: String(planId),
      before: { urn: school.urn, workGroupId: from },
      after: { urn: school.urn, workGroupId: target.workGroupId },
    })
  })
}

/** Applies a proposed plan: every school accepted into its group, each group's host set, in one transaction. */
export async function applyAllocationPlan(context: UseCaseContext, planId: number): Promise<void> {
  await inTransaction(context, async ({ tx, now, audit }) => {
    const plan = await lockedPlan(context, tx, planId)
    const groupIds = plan.groups.map((g) => g.workGroupId)
    const groups = await tx
      .selectFrom('work_groups')
      .select(['id', 'state', 'capacity', 'name'])
      .where('id', 'in', groupIds)
      .orderBy('id')
      .forUpdate()
      .execute()
    for (const g of groups)
      if (g.state !== 'recruiting' && g.state !== 'running')
        refuse('group-state', 'plan', `${g.name} is no longer taking schools: propose the groups again`)
    const interests = await tx
      .selectFrom('work_group_interests')
      .select(['id', 'school_urn', 'status', 'work_group_id', 'updated_at'])
      .where('hub_id', '=', plan.hub_id)
      .where('programme_id', '=', plan.programme_id)
      .where('academic_year', '=', plan.academic_year)
      .where('status', 'in', ['ready', 'waiting', 'accepted'])
      .orderBy('id')
      .forUpdate()
      .execute()
    const inPlan = new Map(plan.schools.map((s) => [s.interestId, s]))
    // Any interest changed since the plan was proposed, or a planned school no longer waiting, makes it stale.
    const stale =
      interests.some((i) => i.updated_at > plan.created_at) ||
      plan.schools.some((s) => !interests.some((i) => Number(i.id) === s.interestId))
    if (stale)
      refuse(
        'stale',
        'plan',
        'Schools’ interest has changed since this plan was proposed: propose the groups again',
      )
    for (const g of groups) {
      const members = interests.filter(
        (i) => Number(i.work_group_id) === Number(g.id) && !inPlan.has(Number(i.id)),
      ).length
      const planned = plan.schools.filter((s) => s.workGroupId === Number(g.id)).length
      if (members + planned > g.capacity)
        refuse('full', 'plan', `${g.name} would have ${members + planned} schools: it takes ${g.capacity}`)
    }
    const actor = actingPersonId(context.actor)
    for (const school of plan.schools.filter((s) => !s.placed)) {
      const before = interests.find((i) => Number(i.id) === school.interestId)!
      await tx
        .updateTable('work_group_interests')
        .set({
          status: 'accepted',
          work_group_id: school.workGroupId,
          waiting_position: null,
          decided_by: actor,
          decided_at: now,
          updated_at: now,
        })
        .where('id', '=', school.interestId)
        .execute()
      await tx
        .insertInto('work_group_interest_history')
        .values({
          interest_id: school.interestId,
          event: 'allocated',
          from_status: before.status,
          to_status: 'accepted',
          work_group_id: school.workGroupId,
          actor_person_id: actor,
          at: now,
        })
        .execute()
    }
    await closeUpWaitingList(tx, plan)
    for (const g of plan.groups)
      await tx
        .updateTable('work_groups')
        .set({ host_school_urn: g.hostUrn, updated_at: now })
        .where('id', '=', g.workGroupId)
        .execute()
    await tx
      .updateTable('work_group_allocation_plans')
      .set({ status: 'applied', applied_by: actor, applied_at: now })
      .where('id', '=', planId)
      .execute()
    await audit({
      action: 'work-group.allocation-applied',
      recordType: 'work-group-allocation-plan',
      recordId: String(planId),
      after: {
        accepted: plan.schools
          .filter((s) => !s.placed)
          .map((s) => ({ urn: s.urn, workGroupId: s.workGroupId })),
        hosts: plan.groups.map((g) => ({ workGroupId: g.workGroupId, hostUrn: g.hostUrn })),
        moved: plan.schools.filter((s) => s.moved).map((s) => s.urn),
      },
    })
  })
}

/** Renumbers the waiting list from 1, in its order, once schools have left it. */
async function closeUpWaitingList(
  tx: Tx,
  scope: { hub_id: string; programme_id: string; academic_year: string },
): Promise<void> {
  const waiting = await tx
    .selectFrom('work_group_interests')
    .select(['id', 'waiting_position'])
    .where('hub_id', '=', scope.hub_id)
    .where('programme_id', '=', scope.programme_id)
    .where('academic_year', '=', scope.academic_year)
    .where('status', '=', 'waiting')
    .orderBy('waiting_position')
    .execute()
  for (const [index, row] of waiting.entries())
    if (row.waiting_position !== index + 1)
      await tx
        .updateTable('work_group_interests')
        .set({ waiting_position: index + 1 })
        .where('id', '=', row.id)
        .execute()
}
