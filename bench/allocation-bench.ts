// Work Group allocation on the real register: HiGHS's plan (solve time, total travel, its lower
// bound and gap) beside the greedy nearest-host plan made in the same run, for a hub's schools, a
// large hub's primaries and a national stress instance. Each school's candidate hosts stand for the
// Mastery Specialists' schools: twice as many as the groups needed, the schools with most pupils.
import os from 'node:os'
import { checkPlan } from '../src/domain/work-groups/allocation/check-plan.ts'
import {
  requirePlan,
  solveAllocation,
  type SolveOptions,
} from '../src/domain/work-groups/allocation/solve-allocation.ts'
import { hubAreas, registerProblem, type RegisterProblemOptions } from '../test/allocation-register.ts'
import { figure, progress, type Figure } from './figures.ts'

export interface AllocationCase {
  id: string
  title: string
  problem: RegisterProblemOptions
  options: SolveOptions
  /** What the row is held to, in words, for the explanation. */
  target: string
}

/** Hubs in the register's order, as many as it takes for `schools` secondary schools. */
function hubsFor(schools: number): string[] {
  const chosen: string[] = []
  for (const hub of hubAreas().keys()) {
    chosen.push(hub)
    if (registerProblem({ hubs: chosen, phase: 'secondary', hostsPerGroup: 1 }).schools.length >= schools)
      break
  }
  return chosen
}

export function allocationCases(): AllocationCase[] {
  return [
    {
      id: 'allocation.hub',
      title: 'Work Group allocation, hub-sized (Enigma secondaries)',
      problem: { hubs: ['Enigma Maths Hub'], phase: 'secondary', hostsPerGroup: 2 },
      options: { nearest: 12, timeLimitSeconds: 10 },
      target: 'target: proven optimal in under 2 s',
    },
    {
      id: 'allocation.hub-every-school-hosts',
      title: 'Work Group allocation, hub-sized, every school a candidate host',
      problem: { hubs: ['Enigma Maths Hub'], phase: 'secondary' },
      options: { nearest: 12, timeLimitSeconds: 10 },
      target: 'no target: shows how much harder the problem is when any school may host',
    },
    {
      id: 'allocation.large',
      title: 'Work Group allocation, large (Cambridge primaries)',
      problem: { hubs: ['Cambridge Maths Hub'], phase: 'primary', hostsPerGroup: 2 },
      options: { nearest: 12, timeLimitSeconds: 9, relativeGap: 0.03 },
      target: 'target: within 5% of the bound in under 10 s',
    },
    {
      id: 'allocation.national',
      title: 'Work Group allocation, national stress (the secondaries of every hub area)',
      problem: { hubs: hubsFor(2_000), phase: 'secondary', hostsPerGroup: 2 },
      options: { nearest: 8, timeLimitSeconds: 60, relativeGap: 0.02 },
      target: 'no target: the time limit, with the bound and gap it reaches',
    },
  ]
}

const km = (metres: number) => metres / 1000

export async function benchAllocation(cases: AllocationCase[] = allocationCases()): Promise<Figure[]> {
  const figures: Figure[] = []
  for (const c of cases) {
    const problem = registerProblem(c.problem)
    progress(
      `allocation: ${c.id} (${problem.schools.length} schools, ${problem.hosts.length} candidate hosts)`,
    )
    const load = os.loadavg()[0] ?? 0
    const plan = requirePlan(await solveAllocation(problem, c.options))
    const violations = checkPlan(problem, plan)
    if (violations.length > 0) throw new Error(`${c.id}: the plan breaks a rule: ${violations[0]!.message}`)
    const greedyKm = km(plan.greedy.totalTravelMetres)
    figures.push(
      figure({
        id: c.id,
        section: 'allocation',
        title: c.title,
        engine: 'node',
        result: {
          short: 'solveAllocation (HiGHS)',
          label:
            `solveAllocation with HiGHS ${plan.solver.version} on ${problem.schools.length} schools and ` +
            `${problem.hosts.length} candidate hosts (groups of 6), options ${JSON.stringify(c.options)}`,
          unit: 'ms',
          metrics: {
            solve_ms: plan.solveMs,
            travel_km: km(plan.totalTravelMetres),
            lower_bound_km: km(plan.lowerBoundMetres),
            gap_pct: plan.gap * 100,
            proven_optimal: plan.provenOptimal ? 1 : 0,
          },
          detail: {
            schools: problem.schools.length,
            hosts: problem.hosts.length,
            groups: plan.groups.length,
            status: plan.status,
            plan_from: plan.solver.planFrom,
            nodes: plan.solver.nodes,
            columns: plan.restriction.columns,
            k: plan.restriction.k,
            added_by_pricing: plan.restriction.addedByPricing,
            proven_harmless: plan.restriction.provenHarmless ?? null,
            listed_lower_bound_km: km(plan.restriction.listedLowerBoundMetres),
            restriction: plan.restriction.note,
            rounds: plan.solver.rounds.map(
              (r) => `${r.kind} ${r.columns} columns ${Math.round(r.ms)} ms ${r.status}`,
            ),
            load_average_1m: load,
          },
        },
        baselines: [
          {
            short: 'greedy nearest-host plan',
            label:
              'the greedy plan (open the group whose nearest schools travel least, then nearest open host with room), same run',
            unit: 'ms',
            metrics: { solve_ms: plan.greedy.ms, travel_km: greedyKm },
            detail: { keeps_every_rule: plan.greedy.keepsEveryRule, unplaced: plan.greedy.unplaced.length },
          },
        ],
        explanation:
          `${problem.schools.length} schools from the real register, ${problem.hosts.length} candidate hosts, ` +
          `${plan.groups.length} groups: ${plan.status}${plan.provenOptimal ? ' (proven optimal)' : ''}, ` +
          `gap ${(plan.gap * 100).toFixed(2)}% to the bound over every host; travel ` +
          `${((plan.totalTravelMetres / Math.max(1, plan.greedy.totalTravelMetres)) * 100).toFixed(1)}% of the greedy plan's. ` +
          `${c.target}. Load average when it began: ${load.toFixed(1)} on ${os.availableParallelism()} cores.`,
      }),
    )
  }
  return figures
}
