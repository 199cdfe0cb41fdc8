// Reading allocation for a hub's team: which programme and year have groups taking schools, the
// schools waiting and placed, the pairs kept apart or together, and a proposed plan with every
// school's group and distance, the solver's bound and gap, the greedy plan's travel beside it, and
// any pair the hub's moves now break.
import { NotFoundError } from '../../../errors.ts'
import { type UseCaseContext } from '../../use-case.ts'
import { canManageWorkGroups } from '../work-groups.policy.ts'
import { allocationInputs, type AllocationInputs, type Point } from './allocation-inputs.ts'
import type { PlannedGroup, PlannedSchool } from './plan-allocation.ts'

export interface AllocationChoice {
  programmeId: string
  programmeName: string
  academicYear: string
}

export interface AllocationOverview {
  hub: { id: string; name: string }
  choices: AllocationChoice[]
  chosen: AllocationChoice | undefined
  inputs: AllocationInputs | undefined
  latestPlanId: number | undefined
}

/** The programmes and years the hub has groups taking schools for, and the chosen one's schools. */
export async function viewAllocation(
  context: UseCaseContext,
  hubId: string,
  wanted: { programmeId?: string; academicYear?: string },
): Promise<AllocationOverview> {
  if (!canManageWorkGroups(context.actor, hubId)) throw new NotFoundError('Hub')
  const hub = await context.db
    .selectFrom('hubs')
    .select(['id', 'name'])
    .where('id', '=', hubId)
    .executeTakeFirst()
  if (!hub) throw new NotFoundError('Hub')
  const rows = await context.db
    .selectFrom('work_groups as g')
    .innerJoin('work_group_programmes as p', 'p.id', 'g.programme_id')
    .select(['g.programme_id', 'p.name', 'g.academic_year', 'p.position'])
    .distinct()
    .where('g.hub_id', '=', hubId)
    .where('g.state', 'in', ['recruiting', 'running'])
    .orderBy('g.academic_year', 'desc')
    .orderBy('p.position')
    .execute()
  const choices = rows.map((r) => ({
    programmeId: r.programme_id,
    programmeName: r.name,
    academicYear: r.academic_year,
  }))
  const chosen =
    choices.find((c) => c.programmeId === wanted.programmeId && c.academicYear === wanted.academicYear) ??
    choices[0]
  if (!chosen) return { hub, choices, chosen, inputs: undefined, latestPlanId: undefined }
  const scope = { hubId, programmeId: chosen.programmeId, academicYear: chosen.academicYear }
  const inputs = await allocationInputs(context.db, scope)
  const latest = await context.db
    .selectFrom('work_group_allocation_plans')
    .select('id')
    .where('hub_id', '=', hubId)
    .where('programme_id', '=', chosen.programmeId)
    .where('academic_year', '=', chosen.academicYear)
    .where('status', '=', 'proposed')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return { hub, choices, chosen, inputs, latestPlanId: latest ? Number(latest.id) : undefined }
}

export interface PlanSchoolView extends PlannedSchool {
  location: Point | undefined
}

export interface PlanView {
  id: number
  hubId: string
  hubName: string
  programmeId: string
  programmeName: string
  academicYear: string
  status: 'proposed' | 'applied' | 'discarded'
  solverStatus: string
  provenOptimal: boolean
  totalTravelMetres: number
  lowerBoundMetres: number
  gap: number
  greedyTravelMetres: number | null
  solveMs: number
  createdAt: Date
  appliedAt: Date | null
  groups: (PlannedGroup & { schools: PlanSchoolView[]; travelMetres: number })[]
  /** Pairs the plan now breaks (after the hub's moves), in words. */
  broken: string[]
}

export async function viewAllocationPlan(context: UseCaseContext, planId: number): Promise<PlanView> {
  const plan = await context.db
    .selectFrom('work_group_allocation_plans as a')
    .innerJoin('hubs as h', 'h.id', 'a.hub_id')
    .innerJoin('work_group_programmes as p', 'p.id', 'a.programme_id')
    .selectAll('a')
    .select(['h.name as hub_name', 'p.name as programme_name'])
    .where('a.id', '=', planId)
    .executeTakeFirst()
  if (!plan || !canManageWorkGroups(context.actor, plan.hub_id)) throw new NotFoundError('Plan')
  const schools = plan.assignments as PlannedSchool[]
  const groups = plan.hosts as PlannedGroup[]
  const urns = schools.map((s) => s.urn)
  const located = urns.length
    ? await context.db
        .selectFrom('schools')
        .select(['urn', 'easting', 'northing'])
        .where('urn', 'in', urns)
        .execute()
    : []
  const at = new Map(
    located.map((l) => [
      l.urn,
      l.easting !== null && l.northing !== null ? { easting: l.easting, northing: l.northing } : undefined,
    ]),
  )
  const pairs = await context.db
    .selectFrom('work_group_pair_rules as r')
    .innerJoin('schools as a', 'a.urn', 'r.school_a')
    .innerJoin('schools as b', 'b.urn', 'r.school_b')
    .select(['r.kind', 'r.school_a', 'r.school_b', 'a.name as a_name', 'b.name as b_name'])
    .where('r.hub_id', '=', plan.hub_id)
    .where('r.programme_id', '=', plan.programme_id)
    .where('r.academic_year', '=', plan.academic_year)
    .execute()
  const groupOf = new Map(schools.map((s) => [s.urn, s.workGroupId]))
  const broken = pairs.flatMap((p) => {
    const a = groupOf.get(p.school_a)
    const b = groupOf.get(p.school_b)
    if (a === undefined || b === undefined) return []
    if (p.kind === 'apart' && a === b) return [`${p.a_name} and ${p.b_name} are to be kept apart`]
    if (p.kind === 'together' && a !== b) return [`${p.a_name} and ${p.b_name} are to be kept together`]
    return []
  })
  return {
    id: Number(plan.id),
    hubId: plan.hub_id,
    hubName: plan.hub_name,
    programmeId: plan.programme_id,
    programmeName: plan.programme_name,
    academicYear: plan.academic_year,
    status: plan.status,
    solverStatus: plan.solver_status,
    provenOptimal: plan.proven_optimal,
    totalTravelMetres: Number(plan.total_travel_metres),
    lowerBoundMetres: Number(plan.lower_bound_metres),
    gap: Number(plan.gap),
    greedyTravelMetres: plan.greedy_travel_metres === null ? null : Number(plan.greedy_travel_metres),
    solveMs: plan.solve_ms,
    createdAt: plan.created_at,
    appliedAt: plan.applied_at,
    groups: groups.map((g) => {
      const members = schools
        .filter((s) => s.workGroupId === g.workGroupId)
        .sort((a, b) => a.distanceMetres - b.distanceMetres)
        .map((s) => ({ ...s, location: at.get(s.urn) }))
      return { ...g, schools: members, travelMetres: members.reduce((sum, s) => sum + s.distanceMetres, 0) }
    }),
    broken,
  }
}
