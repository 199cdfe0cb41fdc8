// Checks a plan against every rule of its problem, from the problem alone: no solver, no trust in
// the plan's own figures. An empty list means every rule holds.
import {
  distanceMetres,
  parseAllocationProblem,
  phaseFits,
  type AllocationProblem,
  type AllocationProblemInput,
} from './allocation-problem.ts'
import { prepareAllocation } from './allocation-instance.ts'

export type PlanRule =
  | 'school-unplaced'
  | 'school-placed-twice'
  | 'unknown-school'
  | 'unknown-host'
  | 'phase'
  | 'capacity'
  | 'fixed'
  | 'apart'
  | 'together'
  | 'own-group'
  | 'group-count'
  | 'distance'
  | 'total'
  | 'groups'
  | 'bound'

export interface PlanViolation {
  rule: PlanRule
  message: string
}

/** What checkPlan reads of a plan; an AllocationPlan has all of it. */
export interface PlanToCheck {
  assignments: readonly { urn: number; hostId: string; distanceMetres?: number }[]
  groups?: readonly { hostId: string; schools: readonly number[]; load: number }[]
  totalTravelMetres?: number
  lowerBoundMetres?: number
  gap?: number
  /** The group count the plan was made for (when the hub gave none: the fewest that worked). */
  groupRange?: { min: number; max: number }
}

export interface CheckPlanOptions {
  /** Allow the plan to leave schools unplaced (the greedy baseline may). */
  allowUnplaced?: boolean
}

export function checkPlan(
  input: AllocationProblem | AllocationProblemInput,
  plan: PlanToCheck,
  options: CheckPlanOptions = {},
): PlanViolation[] {
  const problem = parseAllocationProblem(input)
  const violations: PlanViolation[] = []
  const fail = (rule: PlanRule, message: string) => violations.push({ rule, message })

  const schools = new Map(problem.schools.map((s) => [s.urn, s]))
  const hosts = new Map(problem.hosts.map((h) => [h.id, h]))
  const hostOf = new Map<number, string>()
  let travel = 0
  for (const a of plan.assignments) {
    const school = schools.get(a.urn)
    const host = hosts.get(a.hostId)
    if (!school) fail('unknown-school', `School ${a.urn} is not in the problem`)
    if (!host) fail('unknown-host', `Host ${a.hostId} is not in the problem`)
    if (hostOf.has(a.urn)) fail('school-placed-twice', `School ${a.urn} is placed twice`)
    hostOf.set(a.urn, a.hostId)
    if (!school || !host) continue
    if (!phaseFits(school.phase, host.phase))
      fail('phase', `School ${a.urn} (${school.phase}) is in ${host.id}, a ${host.phase} group`)
    const distance = distanceMetres(school, host)
    travel += distance
    if (a.distanceMetres !== undefined && a.distanceMetres !== distance)
      fail('distance', `School ${a.urn} is ${distance} m from ${host.id}, not ${a.distanceMetres} m`)
  }
  if (!options.allowUnplaced)
    for (const urn of schools.keys())
      if (!hostOf.has(urn)) fail('school-unplaced', `School ${urn} is in no group`)

  const members = new Map<string, number[]>()
  for (const [urn, hostId] of hostOf) members.set(hostId, [...(members.get(hostId) ?? []), urn])
  for (const [hostId, urns] of members) {
    const host = hosts.get(hostId)
    if (!host) continue
    if (urns.length > host.capacity)
      fail('capacity', `${host.id} has ${urns.length} schools, more than its ${host.capacity}`)
    if (host.schoolUrn !== undefined && schools.has(host.schoolUrn) && hostOf.get(host.schoolUrn) !== hostId)
      fail('own-group', `${host.id} is open, but its own school ${host.schoolUrn} is not in its group`)
  }
  for (const { urn, hostId } of problem.fixed)
    if (hostOf.has(urn) && hostOf.get(urn) !== hostId)
      fail('fixed', `School ${urn} was placed with ${hostId} but is in ${hostOf.get(urn)}`)
  for (const [a, b] of problem.apart)
    if (hostOf.has(a) && hostOf.get(a) === hostOf.get(b))
      fail('apart', `Schools ${a} and ${b} must be apart but are both in ${hostOf.get(a)}`)
  for (const [a, b] of problem.together)
    if (hostOf.get(a) !== hostOf.get(b))
      fail(
        'together',
        `Schools ${a} and ${b} must be together but are in ${hostOf.get(a)} and ${hostOf.get(b)}`,
      )

  // The number of groups: what the hub asked for; when it asked nothing, no fewer than the
  // capacities allow, and what the plan says it was made for.
  const count = members.size
  const instance = prepareAllocation(problem)
  if (problem.groups?.min !== undefined && count < problem.groups.min)
    fail('group-count', `${count} groups open, fewer than the ${problem.groups.min} asked for`)
  if (problem.groups?.max !== undefined && count > problem.groups.max)
    fail('group-count', `${count} groups open, more than the ${problem.groups.max} asked for`)
  if (!('status' in instance) && count < instance.fewestGroups && !options.allowUnplaced)
    fail('group-count', `${count} groups open, but the schools need at least ${instance.fewestGroups}`)
  if (plan.groupRange && (count < plan.groupRange.min || count > plan.groupRange.max))
    fail(
      'group-count',
      `${count} groups open, outside the ${plan.groupRange.min} to ${plan.groupRange.max} planned`,
    )
  if (
    !problem.groups &&
    !('status' in instance) &&
    plan.groupRange &&
    plan.groupRange.min < instance.fewestGroups
  )
    fail('group-count', `The plan was made for ${plan.groupRange.min} groups, fewer than the schools need`)

  if (plan.totalTravelMetres !== undefined && plan.totalTravelMetres !== travel)
    fail('total', `The distances add up to ${travel} m, not ${plan.totalTravelMetres} m`)
  if (plan.groups) {
    const stated = new Map(plan.groups.map((g) => [g.hostId, g]))
    if (stated.size !== members.size || [...members.keys()].some((id) => !stated.has(id)))
      fail('groups', 'The groups listed are not the hosts the schools are placed with')
    for (const [hostId, urns] of members) {
      const group = stated.get(hostId)
      if (
        group &&
        (group.load !== urns.length || [...group.schools].sort().join() !== [...urns].sort().join())
      )
        fail('groups', `${hostId}'s schools or load are not those placed with it`)
    }
  }
  if (plan.lowerBoundMetres !== undefined) {
    // The bound is a solver's float: allow for its feasibility tolerance, never for more.
    const slack = 1e-6 * Math.max(1, travel)
    if (plan.lowerBoundMetres > travel + slack)
      fail('bound', `The lower bound ${plan.lowerBoundMetres} m is above the plan's ${travel} m`)
    if (plan.gap !== undefined) {
      const gap = travel === 0 ? 0 : (travel - plan.lowerBoundMetres) / travel
      if (gap > plan.gap + 1e-6)
        fail(
          'bound',
          `The plan is ${(gap * 100).toFixed(4)}% above its bound, more than its gap of ${plan.gap}`,
        )
    }
  }
  return violations
}
