// What a solve returns: the plan (which host each school joins, each group's load and travel, the
// solver's bound and gap, the greedy baseline beside it, what the nearest-hosts lists left out),
// or the reason no plan exists.
import type { InfeasibleAllocation } from './allocation-errors.ts'
import type { AllocationInstance } from './allocation-instance.ts'
import { distanceMetres, type AllocationProblem } from './allocation-problem.ts'
import type { PlanViolation } from './check-plan.ts'

export interface Assignment {
  urn: number
  hostId: string
  distanceMetres: number
}

export interface GroupLoad {
  hostId: string
  /** The schools in the group, the host's own school first. */
  schools: number[]
  load: number
  capacity: number
  travelMetres: number
}

export interface GreedySummary {
  totalTravelMetres: number
  groups: number
  /** Schools it found no room for (their travel is not in the total). */
  unplaced: number[]
  /** Every rule it breaks (pairs kept apart, mostly), as checkPlan finds them. */
  violations: PlanViolation[]
  keepsEveryRule: boolean
  ms: number
}

export interface RestrictionReport {
  /** Each school's list began as its k nearest hosts (and its own or placed host). */
  k: number
  /** Hosts listed in the last programme, over all schools. */
  columns: number
  /** True if every unit could join every host it fits: nothing was left out. */
  coversEveryHost: boolean
  /** True if the last plan sends some school to the last of its k nearest hosts (so the list was doubled, if time allowed). */
  binding: boolean
  /** Times k was doubled because a school reached the end of its list. */
  widened: number
  /** Hosts added to lists because the reduced costs said a better plan might use them. */
  addedByPricing: number
  /**
   * True if the linear relaxation's reduced costs prove no better plan uses a host left out, so
   * the optimum over the lists is the optimum over every host; false if they do not; undefined if
   * not checked (every host listed, no plan, or no time).
   */
  provenHarmless: boolean | undefined
  /** HiGHS's own bound, over the hosts listed (the plan's lowerBoundMetres holds over every host). */
  listedLowerBoundMetres: number
  note: string
}

export type AllocationStatus = 'optimal' | 'gap-reached' | 'time-limit' | 'best-found'

export interface AllocationPlan {
  /**
   * Optimal: no plan over every host travels less. Gap reached: within the relativeGap asked
   * for. Time limit: the best plan found when the time ran out, with its bound and gap. Best
   * found: the same, stopped before the time limit because the hosts the reduced costs could not
   * rule out were more than the programme could take.
   */
  status: AllocationStatus
  /** The same as status 'optimal'. */
  provenOptimal: boolean
  assignments: Assignment[]
  groups: GroupLoad[]
  totalTravelMetres: number
  /**
   * A proven lower bound on the travel of any plan over every host: HiGHS's MIP dual bound over
   * the listed hosts, or lower where the reduced costs cannot rule out a host left out.
   */
  lowerBoundMetres: number
  /** (total − lower bound) ÷ total: the plan is at most this fraction above the optimum. */
  gap: number
  /** The number of groups the plan was made for. */
  groupRange: { min: number; max: number }
  solveMs: number
  greedy: GreedySummary
  restriction: RestrictionReport
  solver: {
    name: 'HiGHS'
    version: string
    status: string
    nodes: number
    rounds: SolverRound[]
    /** Where the plan came from: HiGHS's branch and bound, or its start (rounded and improved) when it found nothing better in time. */
    planFrom: 'solver' | 'start'
  }
}

export interface SolverRound {
  kind: 'mip' | 'relaxation' | 'assignment'
  columns: number
  rows: number
  ms: number
  status: string
}

export type AllocationOutcome = AllocationPlan | InfeasibleAllocation

export function planOf(problem: AllocationProblem, instance: AllocationInstance, hostOfUnit: Int32Array) {
  const assignments: Assignment[] = []
  const byHost = new Map<number, number[]>()
  problem.schools.forEach((school, i) => {
    const h = hostOfUnit[instance.unitOfSchool[i]!]!
    if (h < 0) return
    const host = problem.hosts[h]!
    assignments.push({ urn: school.urn, hostId: host.id, distanceMetres: distanceMetres(school, host) })
    byHost.set(h, [...(byHost.get(h) ?? []), i])
  })
  const groups: GroupLoad[] = [...byHost]
    .sort(([a], [b]) => a - b)
    .map(([h, members]) => {
      const host = problem.hosts[h]!
      const urns = members.map((i) => problem.schools[i]!.urn)
      urns.sort((a, b) => (a === host.schoolUrn ? -1 : b === host.schoolUrn ? 1 : 0))
      return {
        hostId: host.id,
        schools: urns,
        load: urns.length,
        capacity: host.capacity,
        travelMetres: members.reduce((sum, i) => sum + distanceMetres(problem.schools[i]!, host), 0),
      }
    })
  const totalTravelMetres = assignments.reduce((sum, a) => sum + a.distanceMetres, 0)
  return { assignments, groups, totalTravelMetres }
}
