// Places a hub's interested schools in Work Groups: which candidate hosts open a group and which
// group each school joins, with the least total travel, solved exactly by HiGHS (a mixed-integer
// programme, see allocation-model.ts) within a time limit, beside the greedy plan a person might
// make. docs/adr/0024 explains the formulation, the nearest-hosts lists, the bound and the gap.
//
// HiGHS runs in WebAssembly on the calling thread and blocks it while it solves: call this from a
// job or a worker thread, not while a request waits, for anything beyond a hub's own schools.
import { z } from 'zod'
import { parseNestedInput } from '../../../errors.ts'
import { infeasible, InfeasibleAllocationError } from './allocation-errors.ts'
import { prepareAllocation, type AllocationInstance } from './allocation-instance.ts'
import { nearestHostLists, reducedCostProof, type HostLists } from './allocation-model.ts'
import {
  planOf,
  type AllocationOutcome,
  type AllocationPlan,
  type AllocationStatus,
  type GreedySummary,
  type SolverRound,
} from './allocation-plan.ts'
import {
  parseAllocationProblem,
  type AllocationProblem,
  type AllocationProblemInput,
} from './allocation-problem.ts'
import { checkPlan } from './check-plan.ts'
import { greedyAssignment } from './greedy-plan.ts'
import {
  INFEASIBLE,
  loadSolver,
  OPTIMAL,
  solveAssignment,
  solveMip,
  solveRelaxation,
  type MipResult,
} from './highs-runs.ts'
import { atEndOfList, coversEveryHost, longestList, mergeLists, travelOf } from './host-lists.ts'
import { improvePlan, planForHosts, roundRelaxation } from './improve-plan.ts'

export const solveOptionsSchema = z.object({
  /** Each school may first join only its k nearest hosts; widened where that may cost (see ADR 0024). */
  nearest: z.number().int().min(1).max(20_000).default(12),
  /** The whole solve's time limit, in seconds. */
  timeLimitSeconds: z.number().positive().max(3_600).default(10),
  /** Stop once the plan is proven within this fraction of the optimum; 0 proves the optimum. */
  relativeGap: z.number().min(0).max(1).default(0),
})
export type SolveOptions = z.input<typeof solveOptionsSchema>

/** The greedy plan and what it is worth: the baseline every plan is reported beside. */
function greedyBaseline(problem: AllocationProblem, instance: AllocationInstance) {
  const greedy = greedyAssignment(instance)
  const plan = planOf(problem, instance, greedy.hostOfUnit)
  const unplaced = problem.schools
    .filter((_, i) => greedy.hostOfUnit[instance.unitOfSchool[i]!]! < 0)
    .map((s) => s.urn)
  const violations = checkPlan(problem, plan, { allowUnplaced: true })
  const keepsEveryRule =
    unplaced.length === 0 &&
    violations.length === 0 &&
    plan.groups.length >= instance.groups.min &&
    plan.groups.length <= instance.groups.max
  const summary: GreedySummary = {
    totalTravelMetres: plan.totalTravelMetres,
    groups: plan.groups.length,
    unplaced,
    violations,
    keepsEveryRule,
    ms: greedy.ms,
  }
  return { hostOfUnit: greedy.hostOfUnit, summary }
}

const arcsOf = (hostOfUnit: Int32Array) =>
  [...hostOfUnit].flatMap((h, u): [number, number][] => (h >= 0 ? [[u, h]] : []))
const allArcs = (lists: HostLists) =>
  lists.flatMap((list, u) => [...list].map((h): [number, number] => [u, h]))

export async function solveAllocation(
  input: AllocationProblemInput | AllocationProblem,
  options: SolveOptions = {},
): Promise<AllocationOutcome> {
  const started = performance.now()
  const problem = parseAllocationProblem(input)
  const settings = parseNestedInput(solveOptionsSchema, options, 'options')
  const elapsed = () => performance.now() - started
  const prepared = prepareAllocation(problem)
  if ('status' in prepared) return { ...prepared, solveMs: elapsed() }
  const instance = prepared
  const greedy = greedyBaseline(problem, instance)

  const rounds: SolverRound[] = []
  const highs = await loadSolver()
  const deadline = started + settings.timeLimitSeconds * 1000
  const secondsLeft = () => (deadline - performance.now()) / 1000
  const better = (plan: Int32Array | undefined, than: Int32Array | undefined) =>
    plan !== undefined && (than === undefined || travelOf(instance, plan) < travelOf(instance, than))

  const longest = longestList(instance)
  const maxOpen = instance.openable.reduce((sum, o) => sum + o, 0)
  let k = Math.min(settings.nearest, longest)
  let groups = { ...instance.groups }
  let lists = nearestHostLists(instance, k)
  let best: Int32Array | undefined = greedy.summary.keepsEveryRule ? greedy.hostOfUnit : undefined
  let bestFrom: 'solver' | 'start' = 'start'
  let startMade = false
  let last: MipResult | undefined
  let mipLists = lists
  let widened = 0
  let addedByPricing = 0
  /** The best bound on any plan using a host left out of the lists (each pricing's holds for longer lists too). */
  let boundOutside: number | undefined
  /** The best bound over every host any round has proven: its MIP bound, or less for the hosts left out. */
  let allHostsBound = 0
  const noteBound = (mip: MipResult, everyHost: boolean) => {
    const listed = Number.isFinite(mip.bound) ? mip.bound : 0
    allHostsBound = Math.max(allHostsBound, everyHost ? listed : Math.min(listed, boundOutside ?? 0))
  }
  const assign = (solver: typeof highs, over: HostLists, open: Uint8Array, seconds: number) => {
    const result = solveAssignment(solver, instance, over, groups, open, seconds)
    rounds.push(result.round)
    return result.solution
  }

  const widen = () => {
    k = Math.min(longest, k * 2)
    lists = mergeLists(nearestHostLists(instance, k), allArcs(lists))
    widened++
  }

  for (;;) {
    let everyHost = coversEveryHost(instance, lists)
    const timeLeft = () => secondsLeft() > 0.05
    // The start, once: the relaxation rounded and given its schools, then improved, for up to a
    // sixth of the time left; the greedy plan is kept where it is better.
    if (!startMade) {
      // The relaxation over every host, by listing the hosts its reduced costs point to (column
      // generation) until none is negative: then its bound, and the bound on hosts left out, are strong.
      // It stops, for at most a fifth of the time, once that bound is within 0.1% of the relaxation.
      let relaxation = solveRelaxation(highs, instance, lists, groups, secondsLeft())
      rounds.push(relaxation.round)
      const generateBy = performance.now() + secondsLeft() * 1000 * 0.2
      while (relaxation.solution && !everyHost && performance.now() < generateBy) {
        const priced = reducedCostProof(instance, lists, groups, relaxation.solution, Infinity)
        if (priced.checked) allHostsBound = Math.max(allHostsBound, priced.boundEveryPlan)
        const converged = priced.boundEveryPlan >= relaxation.solution.objective * (1 - 1e-3)
        if (!priced.checked || priced.negative.length === 0 || converged) break
        lists = mergeLists(lists, priced.negative)
        everyHost = coversEveryHost(instance, lists)
        relaxation = solveRelaxation(highs, instance, lists, groups, secondsLeft())
        rounds.push(relaxation.round)
      }
      if (relaxation.status === INFEASIBLE) {
        // Too few hosts listed to place everyone, or (with every host) too few groups for the rules.
        if (!everyHost && timeLeft()) {
          widen()
          continue
        }
        if (everyHost && groups.fewestByDefault && groups.max < maxOpen && timeLeft()) {
          groups = { ...groups, min: groups.min + 1, max: groups.max + 1 }
          best = undefined
          continue
        }
        if (everyHost) return noPlan(groups, elapsed())
      }
      startMade = true
      const improveBy = performance.now() + secondsLeft() * 1000 * 0.16
      if (relaxation.solution) {
        const { columnNames, columnValues } = relaxation.solution
        const open = roundRelaxation(instance, columnNames, columnValues, groups.min)
        const rounded = planForHosts(highs, instance, open, assign, secondsLeft())
        if (better(rounded, best)) best = rounded
      }
      const improved = best
        ? improvePlan(highs, instance, best, true, assign, improveBy)
        : improvePlan(highs, instance, greedy.hostOfUnit, false, assign, improveBy)
      if (better(improved?.hostOfUnit, best)) best = improved!.hostOfUnit
      if (best) {
        // The relaxation's reduced costs already bound any plan using a host left out; the hosts
        // that might beat the start are listed now, if they are not too many.
        const priced =
          relaxation.solution &&
          !everyHost &&
          reducedCostProof(instance, lists, groups, relaxation.solution, travelOf(instance, best))
        const columns = lists.reduce((sum, list) => sum + list.length, 0)
        if (priced && priced.checked) {
          allHostsBound = Math.max(allHostsBound, priced.boundEveryPlan)
          boundOutside = priced.boundOutsideLists
          if (priced.candidates.length <= columns / 2) {
            // Every host still left out is priced above the start, so above any better plan.
            lists = mergeLists(lists, priced.candidates)
            addedByPricing += priced.candidates.length
            boundOutside = priced.boundBeyondCandidates
          }
        }
        // The start's hosts are listed, so HiGHS can always use it.
        lists = mergeLists(lists, arcsOf(best))
        everyHost = coversEveryHost(instance, lists)
      }
    }

    // Keep some time for the reduced costs when the lists leave hosts out.
    const budget = everyHost ? secondsLeft() : secondsLeft() * 0.85
    const mip = solveMip(highs, instance, lists, groups, budget, settings.relativeGap, best)
    rounds.push(mip.round)
    mipLists = lists
    last = mip
    noteBound(mip, everyHost)
    if (mip.status === INFEASIBLE) {
      if (!everyHost && timeLeft()) {
        widen()
        continue
      }
      if (everyHost && groups.fewestByDefault && groups.max < maxOpen && timeLeft()) {
        groups = { ...groups, min: groups.min + 1, max: groups.max + 1 }
        best = undefined
        startMade = false
        continue
      }
      if (everyHost) return noPlan(groups, elapsed())
      break
    }
    let solution = mip.solution
    if (solution && !solution.whole) {
      const repaired = solveAssignment(
        highs,
        instance,
        lists,
        groups,
        solution.open,
        Math.max(1, secondsLeft()),
      )
      rounds.push(repaired.round)
      solution = repaired.solution?.whole ? repaired.solution : undefined
    }
    if (solution && (!best || travelOf(instance, solution.hostOfUnit) <= travelOf(instance, best))) {
      best = solution.hostOfUnit
      bestFrom = 'solver'
    }
    if (!best || everyHost || !timeLeft()) break
    const travel = travelOf(instance, best)
    // Done when no host left out can beat the plan, or the plan is within the gap asked for.
    if (boundOutside !== undefined && boundOutside > travel - 1 && mip.status === OPTIMAL) break
    if (settings.relativeGap > 0 && travel - allHostsBound <= settings.relativeGap * travel) break
    // Would a host left out of some list make a better plan? The relaxation's reduced costs over
    // the same lists say; the hosts they point to are listed and the programme solved again.
    const pricing = solveRelaxation(highs, instance, lists, groups, secondsLeft())
    rounds.push(pricing.round)
    const priced = pricing.solution && reducedCostProof(instance, lists, groups, pricing.solution, travel)
    if (!priced?.checked) break
    boundOutside = Math.max(boundOutside ?? -Infinity, priced.boundOutsideLists)
    allHostsBound = Math.max(allHostsBound, priced.boundEveryPlan)
    noteBound(mip, false)
    // More hosts than the lists hold already would only make a programme too large to finish.
    const columns = lists.reduce((sum, list) => sum + list.length, 0)
    if (priced.candidates.length === 0 || priced.candidates.length > columns || !timeLeft()) break
    lists = mergeLists(lists, priced.candidates)
    addedByPricing += priced.candidates.length
  }

  if (!best || !last)
    return infeasible(
      'no-plan-in-time',
      'The time limit ran out before a plan keeping every rule was found: allow more time',
      elapsed(),
    )
  return report({
    problem,
    instance,
    best,
    bestFrom,
    last,
    lists: mipLists,
    k,
    widened,
    addedByPricing,
    boundOutside,
    allHostsBound,
    timedOut: secondsLeft() <= 0.05,
    groups,
    relativeGap: settings.relativeGap,
    greedy: greedy.summary,
    version: highs.version.string,
    rounds,
    solveMs: elapsed(),
  })
}

function noPlan(groups: { min: number; max: number; fewestByDefault: boolean }, ms: number) {
  return infeasible(
    'no-feasible-plan',
    groups.fewestByDefault
      ? `No plan with ${groups.min} groups keeps every rule (the schools kept apart, most likely): ask for more groups`
      : `No plan with ${groups.min === groups.max ? groups.min : `${groups.min} to ${groups.max}`} groups keeps every rule`,
    ms,
  )
}

interface Finished {
  problem: AllocationProblem
  instance: AllocationInstance
  best: Int32Array
  bestFrom: 'solver' | 'start'
  last: MipResult
  lists: HostLists
  k: number
  widened: number
  addedByPricing: number
  boundOutside: number | undefined
  allHostsBound: number
  timedOut: boolean
  groups: { min: number; max: number }
  relativeGap: number
  greedy: GreedySummary
  version: string
  rounds: SolverRound[]
  solveMs: number
}

const metres = (m: number) => `${Math.round(m).toLocaleString('en-GB')} m`

/** The plan with its bound over every host, its gap, and what the lists left out. */
function report(done: Finished): AllocationPlan {
  const { instance, lists, k } = done
  const plan = planOf(done.problem, instance, done.best)
  const travel = plan.totalTravelMetres
  // HiGHS's bound is a float; above the plan it is only its tolerance.
  const listedBound = Math.min(travel, Number.isFinite(done.last.bound) ? Math.max(0, done.last.bound) : 0)
  const everyHost = coversEveryHost(instance, lists)
  const provenHarmless = everyHost
    ? undefined
    : done.boundOutside !== undefined && done.boundOutside > travel - 1
  const bound = Math.max(
    0,
    Math.min(travel, Math.max(done.allHostsBound, everyHost || provenHarmless ? listedBound : 0)),
  )
  const gap = travel === 0 ? 0 : (travel - bound) / travel
  const status: AllocationStatus =
    travel - bound < 1
      ? 'optimal'
      : done.relativeGap > 0 && gap <= done.relativeGap
        ? 'gap-reached'
        : done.timedOut
          ? 'time-limit'
          : 'best-found'
  const listText =
    `each school's ${k} nearest hosts` +
    (done.addedByPricing > 0 ? ` and ${done.addedByPricing} more the reduced costs pointed to` : '')
  const note = everyHost
    ? 'Every school could join every host it fits: nothing was left out, so the bound holds over every host.'
    : provenHarmless
      ? `The programme listed ${listText}; the linear relaxation's reduced costs prove that no plan using a host ` +
        'left out travels less than this one, so the bound holds over every host.'
      : done.boundOutside !== undefined
        ? `The programme listed ${listText}; a host left out might still give a plan down to ` +
          `${metres(bound)}, the bound over every host.`
        : `The programme listed ${listText}; there was no time left to price the hosts left out, ` +
          'so nothing better than 0 m is proven over every host.'
  return {
    status,
    provenOptimal: status === 'optimal',
    ...plan,
    lowerBoundMetres: bound,
    gap,
    groupRange: { min: done.groups.min, max: done.groups.max },
    solveMs: done.solveMs,
    greedy: done.greedy,
    restriction: {
      k,
      columns: lists.reduce((sum, list) => sum + list.length, 0),
      coversEveryHost: everyHost,
      binding: !everyHost && atEndOfList(instance, done.best, k) > 0,
      widened: done.widened,
      addedByPricing: done.addedByPricing,
      provenHarmless,
      listedLowerBoundMetres: listedBound,
      note,
    },
    solver: {
      name: 'HiGHS',
      version: done.version,
      status: done.last.round.status,
      nodes: done.last.nodes,
      rounds: done.rounds,
      planFrom: done.bestFrom,
    },
  }
}

/** The plan, or the infeasible outcome thrown as a domain error (422) for a use-case. */
export function requirePlan(outcome: AllocationOutcome): AllocationPlan {
  if (outcome.status === 'infeasible') throw new InfeasibleAllocationError(outcome)
  return outcome
}
