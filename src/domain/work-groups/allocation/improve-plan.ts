// A better first plan for HiGHS to start from (not the baseline: that is the greedy plan as it
// is). Two steps in turn, each never worse: move each group to the host, among its own schools'
// hosts and the venues, that its schools travel to least; then, with those hosts open, give every
// school its best group (an assignment HiGHS solves exactly, since with the hosts fixed its
// corners are whole). It stops when a round saves nothing or its time is up.
import type { Highs } from 'highs'
import type { AllocationInstance } from './allocation-instance.ts'
import type { DecodedSolution, HostLists } from './allocation-model.ts'

/** Solves the assignment with the given hosts open, over the given lists. */
export type AssignmentSolver = (
  highs: Highs,
  lists: HostLists,
  open: Uint8Array,
  seconds: number,
) => DecodedSolution | undefined

function travelOf(instance: AllocationInstance, hostOfUnit: Int32Array): number {
  let total = 0
  hostOfUnit.forEach((h, u) => (total += instance.unitCost(u, h)))
  return total
}

/** Each group moved to its best host: the plan, or undefined if no group moves. */
function recentre(instance: AllocationInstance, hostOfUnit: Int32Array): Int32Array | undefined {
  const { units, problem } = instance
  const members = new Map<number, number[]>()
  hostOfUnit.forEach((h, u) => members.set(h, [...(members.get(h) ?? []), u]))
  const taken = new Set(members.keys())
  const venues = problem.hosts.flatMap((_, h) =>
    instance.hostSchoolUnit[h]! < 0 && instance.openable[h] ? [h] : [],
  )
  const next = Int32Array.from(hostOfUnit)
  let moved = false
  for (const [h, group] of members) {
    if (instance.forcedOpen[h]) continue
    const size = group.reduce((sum, u) => sum + units[u]!.size, 0)
    const cost = (to: number) => group.reduce((sum, u) => sum + instance.unitCost(u, to), 0)
    const inGroup = new Set(group)
    const candidates = [
      ...problem.hosts.flatMap((_, to) => (inGroup.has(instance.hostSchoolUnit[to]!) ? [to] : [])),
      ...venues,
    ].filter(
      (to) =>
        to !== h &&
        !taken.has(to) &&
        instance.openable[to] &&
        problem.hosts[to]!.capacity >= size &&
        group.every((u) => instance.fits(u, to)),
    )
    let best = h
    let bestCost = cost(h)
    for (const to of candidates) {
      const c = cost(to)
      if (c < bestCost) {
        best = to
        bestCost = c
      }
    }
    if (best === h) continue
    taken.delete(h)
    taken.add(best)
    for (const u of group) next[u] = best
    moved = true
  }
  return moved ? next : undefined
}

/** Each unit's nearest open hosts, and the one it is with now (so the current plan is always possible). */
function openLists(
  instance: AllocationInstance,
  open: Uint8Array,
  hostOfUnit: Int32Array,
  ownHost: Int32Array,
  k: number,
): HostLists {
  return instance.units.map((unit, u) => {
    if (unit.fixedHost !== undefined) return Int32Array.of(unit.fixedHost)
    const chosen: number[] = []
    for (const h of instance.hostsByCost(u)) {
      if (chosen.length >= k) break
      if (open[h]) chosen.push(h)
    }
    const own = ownHost[u]!
    for (const h of [hostOfUnit[u]!, own >= 0 && open[own] ? own : -1])
      if (h >= 0 && !chosen.includes(h)) chosen.push(h)
    return Int32Array.from(chosen)
  })
}

/** The host each unit's own school could open, or -1. */
function ownHosts(instance: AllocationInstance): Int32Array {
  const ownHost = new Int32Array(instance.units.length).fill(-1)
  instance.hostSchoolUnit.forEach((u, h) => {
    if (u >= 0 && instance.openable[h]) ownHost[u] = h
  })
  return ownHost
}

/** With these hosts open, every school's best group (each unit's 12 nearest open hosts), or undefined. */
export function planForHosts(
  highs: Highs,
  instance: AllocationInstance,
  open: Uint8Array,
  assign: AssignmentSolver,
  seconds: number,
): Int32Array | undefined {
  const none = new Int32Array(instance.units.length).fill(-1)
  const assigned = assign(highs, openLists(instance, open, none, ownHosts(instance), 12), open, seconds)
  return assigned?.whole ? assigned.hostOfUnit : undefined
}

/**
 * Improves `start`, a plan keeping every rule, or (when `startKeepsEveryRule` is false, as when
 * the greedy plan puts two schools kept apart together) first makes one from its open hosts.
 * Undefined if no plan keeping every rule was found.
 */
export function improvePlan(
  highs: Highs,
  instance: AllocationInstance,
  start: Int32Array,
  startKeepsEveryRule: boolean,
  assign: AssignmentSolver,
  deadline: number,
): { hostOfUnit: Int32Array; rounds: number } | undefined {
  const ownHost = ownHosts(instance)
  let current: Int32Array | undefined = startKeepsEveryRule ? start : undefined
  let travel = current ? travelOf(instance, current) : Infinity
  let rounds = 0
  let from = start
  while (performance.now() < deadline) {
    const moved = current ? (recentre(instance, current) ?? current) : from
    const open = new Uint8Array(instance.problem.hosts.length)
    moved.forEach((h) => {
      if (h >= 0) open[h] = 1
    })
    const seconds = (deadline - performance.now()) / 1000
    if (seconds <= 0.05) break
    const assigned = assign(highs, openLists(instance, open, moved, ownHost, 12), open, seconds)
    rounds++
    const candidate = assigned?.whole ? assigned.hostOfUnit : current ? moved : undefined
    if (!candidate) break
    const candidateTravel = travelOf(instance, candidate)
    if (candidateTravel >= travel) break
    current = candidate
    from = candidate
    travel = candidateTravel
  }
  return current && { hostOfUnit: current, rounds }
}

/**
 * The hosts the linear relaxation opens most, as many as `count` (those the hub placed schools
 * with always among them): rounded, then given their schools by the assignment, a start far
 * nearer the optimum than the greedy plan when the groups are nearly full.
 */
export function roundRelaxation(
  instance: AllocationInstance,
  names: readonly string[],
  values: ArrayLike<number>,
  count: number,
): Uint8Array {
  const weight = new Float64Array(instance.problem.hosts.length).fill(-1)
  names.forEach((name, i) => {
    if (name.startsWith('y')) weight[Number(name.slice(1))] = values[i] ?? 0
  })
  const open = new Uint8Array(weight.length)
  const order = [...weight.keys()]
    .filter((h) => weight[h]! > 1e-9 || instance.forcedOpen[h])
    .sort((a, b) => instance.forcedOpen[b]! - instance.forcedOpen[a]! || weight[b]! - weight[a]! || a - b)
  for (const h of order.slice(0, count)) open[h] = 1
  return open
}
