// The mixed-integer programme, written in CPLEX LP format for HiGHS.
//
//   x{u}_{h}  unit u (one school, or schools that must be together) joins host h's group
//   y{h}      host h opens a group
//
//   minimise   Σ travel(u,h)·x{u}_{h}
//   each unit  a{u}: Σh x{u}_{h} = 1
//   capacity   c{h}: Σu size(u)·x{u}_{h} ≤ capacity(h)·y{h}
//   open       o{u}_{h}: x{u}_{h} ≤ y{h}
//   own school s{h}: y{h} ≤ x{own}_{h}           (a host school is in its own group)
//   not empty  n{h}: y{h} ≤ Σu x{u}_{h}          (a venue opens only with a school)
//   apart      p{i}_{h}: x{a}_{h} + x{b}_{h} ≤ y{h}
//   groups     g: Σ y{h} = G, or gmin/gmax: min ≤ Σ y{h} ≤ max
//   placed     x{u}_{h} = 1 (a bound)
//
// Schools that must be together are one unit, so "together" needs no row of its own. Each unit
// may join only the hosts in its list (its k nearest, see solve-allocation.ts).
//
// Only y, and x for units of more than one school or kept apart from another, are declared
// binary. Once every y is whole, what is left is a transportation problem (one school to one
// group, whole capacities) whose corners are whole, so HiGHS branches on the hosts alone; the
// solver checks every x it returns is whole, and re-solves the assignment if one is not.
import type { AllocationInstance, GroupRange } from './allocation-instance.ts'

/** The hosts each unit may join: a placed unit its host only. */
export type HostLists = Int32Array[]

export interface AllocationModel {
  lp: string
  rows: number
  /** Units whose x columns are binary (the rest are continuous, whole at every corner). */
  binaryUnits: Uint8Array
}

/** Terms joined into lines short enough for any LP reader. */
function terms(parts: readonly string[]): string {
  const lines: string[] = []
  for (let i = 0; i < parts.length; i += 12) lines.push(parts.slice(i, i + 12).join(' + '))
  return lines.join('\n   + ')
}

/** " - a - b - c", in lines of twelve. */
function minus(names: readonly string[]): string {
  let text = ''
  names.forEach((name, i) => (text += `${i > 0 && i % 12 === 0 ? '\n  ' : ''} - ${name}`))
  return text
}

function term(coefficient: number, name: string): string {
  return coefficient === 1 ? name : `${coefficient} ${name}`
}

export const xName = (u: number, h: number) => `x${u}_${h}`

/**
 * Each unit's k nearest hosts that may open, nearest first, and its own school's host (at no
 * travel it is nearly always among them anyway). A placed unit has its host only.
 */
export function nearestHostLists(instance: AllocationInstance, k: number): HostLists {
  const ownHosts = new Map<number, number[]>()
  instance.hostSchoolUnit.forEach((u, h) => {
    if (u >= 0 && instance.openable[h]) ownHosts.set(u, [...(ownHosts.get(u) ?? []), h])
  })
  return instance.units.map((unit, u) => {
    if (unit.fixedHost !== undefined) return Int32Array.of(unit.fixedHost)
    const chosen: number[] = []
    for (const h of instance.hostsByCost(u)) {
      if (chosen.length >= k) break
      if (instance.openable[h]) chosen.push(h)
    }
    for (const h of ownHosts.get(u) ?? []) if (!chosen.includes(h)) chosen.push(h)
    return Int32Array.from(chosen)
  })
}

export interface ModelOptions {
  /** The linear relaxation: every column continuous (for the reduced costs of the hosts left out). */
  relaxed?: boolean
  /**
   * Fix each host open (1) or closed (0): what is left is the assignment alone, a transportation
   * problem whose corners are whole (only units of several schools, or kept apart, are binary).
   */
  fixedHosts?: Uint8Array
}

export function buildAllocationModel(
  instance: AllocationInstance,
  lists: HostLists,
  groups: Pick<GroupRange, 'min' | 'max'>,
  options: ModelOptions = {},
): AllocationModel {
  const { units, problem } = instance
  const hosts = problem.hosts
  const binaryUnits = new Uint8Array(units.length)
  units.forEach((unit, u) => (binaryUnits[u] = unit.size > 1 ? 1 : 0))
  for (const [a, b] of instance.apartUnits) binaryUnits[a] = binaryUnits[b] = 1

  const objective: string[] = []
  const rows: string[] = []
  const bounds: string[] = []
  const binaries: string[] = []
  const onHost: { u: number; name: string }[][] = hosts.map(() => [])

  units.forEach((unit, u) => {
    const row: string[] = []
    for (const h of lists[u]!) {
      const name = xName(u, h)
      objective.push(term(instance.unitCost(u, h), name))
      row.push(name)
      onHost[h]!.push({ u, name })
      rows.push(` o${u}_${h}: ${name} - y${h} <= 0`)
      if (binaryUnits[u] && !options.relaxed) binaries.push(name)
      else bounds.push(` 0 <= ${name} <= 1`)
    }
    rows.push(` a${u}: ${terms(row)} = 1`)
    if (unit.fixedHost !== undefined) bounds.push(` ${xName(u, unit.fixedHost)} = 1`)
  })

  const openHosts: string[] = []
  hosts.forEach((host, h) => {
    if (!instance.openable[h]) return
    const y = `y${h}`
    openHosts.push(y)
    const own = instance.hostSchoolUnit[h]!
    // A host whose own school may not join it here cannot open here.
    const ownListed = own < 0 || lists[own]!.includes(h)
    if (!ownListed) bounds.push(` ${y} = 0`)
    else if (options.fixedHosts) bounds.push(` ${y} = ${options.fixedHosts[h]}`)
    else if (instance.forcedOpen[h]) bounds.push(` ${y} = 1`)
    else if (options.relaxed) bounds.push(` 0 <= ${y} <= 1`)
    if (!options.relaxed && !options.fixedHosts) binaries.push(y)
    const joining = onHost[h]!
    if (joining.length > 0)
      rows.push(
        ` c${h}: ${terms(joining.map(({ u, name }) => term(units[u]!.size, name)))} - ${host.capacity} ${y} <= 0`,
      )
    if (own >= 0) {
      if (ownListed) rows.push(` s${h}: ${y} - ${xName(own, h)} <= 0`)
    } else rows.push(` n${h}: ${y}${minus(joining.map(({ name }) => name))} <= 0`)
  })

  instance.apartUnits.forEach(([a, b], i) => {
    const inB = new Set(lists[b])
    for (const h of lists[a]!)
      if (inB.has(h)) rows.push(` p${i}_${h}: ${xName(a, h)} + ${xName(b, h)} - y${h} <= 0`)
  })

  const count = terms(openHosts)
  if (groups.min === groups.max) rows.push(` g: ${count} = ${groups.min}`)
  else {
    rows.push(` gmin: ${count} >= ${groups.min}`)
    rows.push(` gmax: ${count} <= ${groups.max}`)
  }

  const lp = [
    'Minimize',
    ` travel: ${terms(objective)}`,
    'Subject To',
    ...rows,
    'Bounds',
    ...bounds,
    ...(binaries.length > 0 ? ['Binaries'] : []),
    ...Array.from(
      { length: Math.ceil(binaries.length / 12) },
      (_, i) => ` ${binaries.slice(i * 12, i * 12 + 12).join(' ')}`,
    ),
    'End',
    '',
  ].join('\n')
  return { lp, rows: rows.length, binaryUnits }
}

export interface DecodedSolution {
  hostOfUnit: Int32Array
  open: Uint8Array
  /** False if some x is not whole (a solution HiGHS found by a heuristic): re-solve the assignment. */
  whole: boolean
}

/** Reads a solution's columns (by name) back into which host each unit joins. */
export function decodeSolution(
  instance: AllocationInstance,
  names: readonly string[],
  values: ArrayLike<number>,
): DecodedSolution {
  const hostOfUnit = new Int32Array(instance.units.length).fill(-1)
  const open = new Uint8Array(instance.problem.hosts.length)
  let whole = true
  names.forEach((name, i) => {
    const value = values[i] ?? 0
    if (Math.abs(value - Math.round(value)) > 1e-6) whole = false
    if (value < 0.5) return
    if (name.startsWith('x')) {
      const [u, h] = name.slice(1).split('_').map(Number)
      if (hostOfUnit[u!] !== -1) whole = false
      hostOfUnit[u!] = h!
    } else if (name.startsWith('y')) open[Number(name.slice(1))] = 1
  })
  if (hostOfUnit.includes(-1)) whole = false
  return { hostOfUnit, open, whole }
}

/** A complete column vector for a plan (a start for HiGHS), or undefined if the lists cannot hold it. */
export function startingColumns(
  lists: HostLists,
  names: readonly string[],
  hostOfUnit: Int32Array,
): Float64Array | undefined {
  const wanted = new Set<string>()
  for (let u = 0; u < hostOfUnit.length; u++) {
    const h = hostOfUnit[u]!
    if (h < 0 || !lists[u]!.includes(h)) return undefined
    wanted.add(xName(u, h))
    wanted.add(`y${h}`)
  }
  return Float64Array.from(names, (name) => (wanted.has(name) ? 1 : 0))
}

export interface LinearSolution {
  objective: number
  columnNames: readonly string[]
  columnValues: ArrayLike<number>
  columnDuals: ArrayLike<number>
  rowNames: readonly string[]
  rowDuals: ArrayLike<number>
}

export interface ReducedCostProof {
  /** False if HiGHS's duals did not price the listed columns as they should: then nothing is claimed. */
  checked: boolean
  /** A lower bound on the travel of any plan that uses a host outside some unit's list. */
  boundOutsideLists: number
  /** Hosts outside the lists that a plan cheaper than `upper` might still use. */
  candidates: [number, number][]
  /** The same bound once the candidates are listed too: for plans using a host outside lists and candidates. */
  boundBeyondCandidates: number
  /** A lower bound on the travel of every plan over every host (the Lagrangian bound of these duals). */
  boundEveryPlan: number
  /** Hosts outside the lists whose reduced cost is negative: the relaxation over the lists is not yet the relaxation over every host. */
  negative: [number, number][]
}

/**
 * The linear relaxation's duals price every host a unit's list left out. With row duals π (signs
 * as HiGHS gives them for a minimisation) and reduced costs r = c − Aᵀπ, any plan x has
 * travel ≥ Σ πᵢbᵢ + Σ_units r(u, its host) + Σ_hosts min(0, r(y)), and r(u, its host) ≥ the
 * least r(u, ·) over every host. So a plan that sends unit u to host h outside its list travels at
 * least bound − least(u) + r(u,h); where that exceeds `upper` − 1 (travel is whole metres), no plan
 * better than `upper` sends u to h. A column left out of the model is in rows a{u}, c{h} and, for a
 * venue, n{h}; its o and p rows are not in the model, which is the same as their duals being 0.
 */
export function reducedCostProof(
  instance: AllocationInstance,
  lists: HostLists,
  groups: Pick<GroupRange, 'min' | 'max'>,
  relaxation: LinearSolution,
  upper: number,
): ReducedCostProof {
  const { units, problem } = instance
  const hosts = problem.hosts
  const rowDual = new Map<string, number>()
  relaxation.rowNames.forEach((name, i) => rowDual.set(name, relaxation.rowDuals[i] ?? 0))
  const colDual = new Map<string, number>()
  relaxation.columnNames.forEach((name, i) => colDual.set(name, relaxation.columnDuals[i] ?? 0))
  const dual = (name: string) => rowDual.get(name) ?? 0

  const pairsOf = new Map<number, { i: number; other: number }[]>()
  instance.apartUnits.forEach(([a, b], i) => {
    pairsOf.set(a, [...(pairsOf.get(a) ?? []), { i, other: b }])
    pairsOf.set(b, [...(pairsOf.get(b) ?? []), { i, other: a }])
  })
  const outside = (u: number, h: number) =>
    instance.unitCost(u, h) -
    dual(`a${u}`) -
    units[u]!.size * dual(`c${h}`) +
    (instance.hostSchoolUnit[h]! < 0 ? dual(`n${h}`) : 0)

  // The listed columns first: HiGHS's reduced cost must match the same sum over their rows.
  const scale = Math.max(1, Math.abs(relaxation.objective))
  let checked = true
  const least = new Float64Array(units.length).fill(Infinity)
  const listed = lists.map((list) => new Set(list))
  units.forEach((_, u) => {
    for (const h of lists[u]!) {
      let expected = outside(u, h) - dual(`o${u}_${h}`)
      if (instance.hostSchoolUnit[h] === u) expected += dual(`s${h}`)
      for (const { i, other } of pairsOf.get(u) ?? [])
        if (listed[other]!.has(h)) expected -= dual(`p${i}_${h}`)
      const reported = colDual.get(xName(u, h))
      if (reported === undefined || Math.abs(reported - expected) > 1e-7 * scale) checked = false
      least[u] = Math.min(least[u]!, reported ?? expected)
    }
  })

  // Σ πᵢbᵢ: only the unit rows and the group count have a right-hand side.
  let bound = 0
  units.forEach((_, u) => (bound += dual(`a${u}`)))
  if (groups.min === groups.max) bound += groups.min * dual('g')
  else bound += groups.min * dual('gmin') + groups.max * dual('gmax')
  const outsideCost: { u: number; h: number; r: number }[] = []
  units.forEach((unit, u) => {
    if (unit.fixedHost !== undefined) return
    for (const h of instance.hostsByCost(u)) {
      if (!instance.openable[h] || listed[u]!.has(h)) continue
      const r = outside(u, h)
      outsideCost.push({ u, h, r })
      least[u] = Math.min(least[u]!, r)
    }
  })
  units.forEach((_, u) => (bound += least[u]!))
  hosts.forEach((_, h) => {
    if (!instance.openable[h]) return
    const r = colDual.get(`y${h}`) ?? 0
    bound += instance.forcedOpen[h] ? r : Math.min(0, r)
  })
  // The bound with only the listed columns cannot be above the relaxation's optimum.
  if (bound > relaxation.objective + 1e-6 * scale) checked = false

  const tolerance = 1e-6 * scale + 1e-3
  let boundOutsideLists = Infinity
  let boundBeyondCandidates = Infinity
  const candidates: [number, number][] = []
  for (const { u, h, r } of outsideCost) {
    const withIt = bound - least[u]! + r
    boundOutsideLists = Math.min(boundOutsideLists, withIt)
    if (withIt <= upper - 1 + tolerance) candidates.push([u, h])
    else boundBeyondCandidates = Math.min(boundBeyondCandidates, withIt)
  }
  const negative = outsideCost.filter(({ r }) => r < -tolerance).map(({ u, h }): [number, number] => [u, h])
  return {
    checked,
    boundOutsideLists: boundOutsideLists - tolerance,
    candidates,
    boundBeyondCandidates: boundBeyondCandidates - tolerance,
    boundEveryPlan: bound - tolerance,
    negative,
  }
}
