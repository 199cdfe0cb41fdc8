// The problem made ready to solve: schools that must stay together merged into one unit, each
// unit's hosts sorted by the unit's travel to them, the group count worked out, and every
// contradiction that can be seen without solving named with its reason.
import { infeasible, type InfeasibleAllocation } from './allocation-errors.ts'
import {
  distanceMetres,
  type AllocationProblem,
  type CandidateHost,
  type HostPhase,
  type SchoolPhase,
} from './allocation-problem.ts'

/** Schools that must share a group (one school on its own, usually). */
export interface Unit {
  members: number[]
  size: number
  /** The host the hub already placed the unit with, if any. */
  fixedHost: number | undefined
}

export interface GroupRange {
  min: number
  max: number
  /** True when the hub gave neither: the fewest groups the capacities allow. */
  fewestByDefault: boolean
}

export interface AllocationInstance {
  problem: AllocationProblem
  units: Unit[]
  unitOfSchool: Int32Array
  hostIndex: Map<string, number>
  /** The unit of each host's own school, or -1 when the host is not an interested school. */
  hostSchoolUnit: Int32Array
  /** Hosts that may open: a host whose own school is placed elsewhere may not. */
  openable: Uint8Array
  /** Hosts that must open: the hub placed a school with them. */
  forcedOpen: Uint8Array
  /** Pairs of units that must be apart, each pair once, lower index first. */
  apartUnits: [number, number][]
  /** The fewest groups the capacities and placed schools allow (a lower bound). */
  fewestGroups: number
  groups: GroupRange
  /** Travel of unit u to host h: the sum of its members' distances. */
  unitCost(u: number, h: number): number
  /** Whether every member of unit u fits host h's phase. */
  fits(u: number, h: number): boolean
  /** The hosts unit u fits, nearest first (ties by host order). */
  hostsByCost(u: number): Int32Array
}

class UnionFind {
  private readonly parent: Int32Array
  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i)
  }
  find(i: number): number {
    let root = i
    while (this.parent[root] !== root) root = this.parent[root]!
    while (this.parent[i] !== root) {
      const next = this.parent[i]!
      this.parent[i] = root
      i = next
    }
    return root
  }
  union(a: number, b: number): void {
    const ra = this.find(a)
    const rb = this.find(b)
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb)
  }
}

/** What kind of host a unit needs: P (primary or cross-phase), S (secondary or cross-phase), X (cross-phase only), A (any). */
type UnitClass = 'P' | 'S' | 'X' | 'A'

function unitClass(phases: Iterable<SchoolPhase>): UnitClass {
  let primary = false
  let secondary = false
  for (const phase of phases) {
    if (phase === 'primary') primary = true
    if (phase === 'secondary') secondary = true
  }
  if (primary && secondary) return 'X'
  if (primary) return 'P'
  if (secondary) return 'S'
  return 'A'
}

function unitFitsHost(kind: UnitClass, host: HostPhase): boolean {
  if (host === 'cross-phase') return true
  if (kind === 'A') return true
  if (kind === 'X') return false
  return (kind === 'P') === (host === 'primary')
}

/**
 * The fewest hosts whose groups can hold every unit, phase by phase (Hall's condition for the four
 * kinds of unit), with the forced hosts always among them; undefined if even every host cannot.
 * Taking the largest hosts of each phase first is optimal for each number of cross-phase hosts,
 * so trying every such number gives the exact fewest.
 */
export function fewestHosts(
  demand: Record<UnitClass, number>,
  hosts: readonly { phase: HostPhase; capacity: number; forced: boolean }[],
): number | undefined {
  const base = { primary: 0, secondary: 0, 'cross-phase': 0 }
  let forcedCount = 0
  const spare: Record<HostPhase, number[]> = { primary: [], secondary: [], 'cross-phase': [] }
  for (const host of hosts) {
    if (host.forced) {
      base[host.phase] += host.capacity
      forcedCount++
    } else spare[host.phase].push(host.capacity)
  }
  for (const list of Object.values(spare)) list.sort((a, b) => b - a)
  const prefix = (list: number[]) => {
    const sums = [0]
    for (const c of list) sums.push(sums[sums.length - 1]! + c)
    return sums
  }
  const sums = {
    primary: prefix(spare.primary),
    secondary: prefix(spare.secondary),
    x: prefix(spare['cross-phase']),
  }
  const fewestFor = (sum: number[], need: number): number | undefined => {
    if (need <= 0) return 0
    const i = sum.findIndex((s) => s >= need)
    return i === -1 ? undefined : i
  }
  const total = demand.P + demand.S + demand.X + demand.A
  let best: number | undefined
  for (let a = 0; a < sums.x.length; a++) {
    const capX = base['cross-phase'] + sums.x[a]!
    if (capX < demand.X) continue
    const b = fewestFor(sums.primary, demand.P + demand.X - capX - base.primary)
    const c = fewestFor(sums.secondary, demand.S + demand.X - capX - base.secondary)
    if (b === undefined || c === undefined) continue
    let capacity = capX + base.primary + sums.primary[b]! + base.secondary + sums.secondary[c]!
    let count = forcedCount + a + b + c
    const rest = [
      ...spare.primary.slice(b),
      ...spare.secondary.slice(c),
      ...spare['cross-phase'].slice(a),
    ].sort((p, q) => q - p)
    for (const extra of rest) {
      if (capacity >= total) break
      capacity += extra
      count++
    }
    if (capacity < total) continue
    if (best === undefined || count < best) best = count
  }
  return best
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

export function prepareAllocation(problem: AllocationProblem): AllocationInstance | InfeasibleAllocation {
  const { schools, hosts } = problem
  const schoolIndex = new Map(schools.map((s, i) => [s.urn, i]))
  const hostIndex = new Map(hosts.map((h, i) => [h.id, i]))

  // Units: schools that must be together, joined.
  const joined = new UnionFind(schools.length)
  for (const [a, b] of problem.together) joined.union(schoolIndex.get(a)!, schoolIndex.get(b)!)
  const unitOfRoot = new Map<number, number>()
  const unitOfSchool = new Int32Array(schools.length)
  const units: Unit[] = []
  schools.forEach((_, i) => {
    const root = joined.find(i)
    let u = unitOfRoot.get(root)
    if (u === undefined) {
      u = units.length
      unitOfRoot.set(root, u)
      units.push({ members: [], size: 0, fixedHost: undefined })
    }
    units[u]!.members.push(i)
    units[u]!.size++
    unitOfSchool[i] = u
  })
  const classes = units.map((unit) => unitClass(unit.members.map((m) => schools[m]!.phase)))
  const names = (unit: Unit) => unit.members.map((m) => schools[m]!.urn).join(', ')

  // Apart pairs between units; one inside a unit contradicts "together".
  const apartKeys = new Set<string>()
  const apartUnits: [number, number][] = []
  for (const [a, b] of problem.apart) {
    const ua = unitOfSchool[schoolIndex.get(a)!]!
    const ub = unitOfSchool[schoolIndex.get(b)!]!
    if (ua === ub)
      return infeasible(
        'together-apart',
        `Schools ${a} and ${b} must be kept apart, but must also be in the same group (with ${names(units[ua]!)})`,
      )
    const pair: [number, number] = ua < ub ? [ua, ub] : [ub, ua]
    const key = `${pair[0]}:${pair[1]}`
    if (!apartKeys.has(key)) {
      apartKeys.add(key)
      apartUnits.push(pair)
    }
  }

  // Phases and sizes: every unit needs some host it fits that can hold it.
  const fits = (u: number, h: number) => unitFitsHost(classes[u]!, hosts[h]!.phase)
  for (const [u, unit] of units.entries()) {
    const fitting = hosts.filter((_, h) => fits(u, h))
    if (fitting.length === 0) {
      const school = schools[unit.members[0]!]!
      return infeasible(
        'no-host-for-phase',
        unit.size === 1
          ? `No candidate host takes ${school.phase} schools, so school ${school.urn} cannot be placed`
          : `No candidate host takes every phase of schools ${names(unit)}, which must be together`,
      )
    }
    if (Math.max(...fitting.map((h) => h.capacity)) < unit.size)
      return infeasible(
        'together-too-large',
        `Schools ${names(unit)} must be together, but no group they fit holds ${unit.size} schools`,
      )
  }

  // Schools the hub placed.
  const fixedLoad = new Map<number, number>()
  for (const { urn, hostId } of problem.fixed) {
    const u = unitOfSchool[schoolIndex.get(urn)!]!
    const h = hostIndex.get(hostId)!
    const unit = units[u]!
    if (unit.fixedHost !== undefined && unit.fixedHost !== h)
      return infeasible(
        'fixed-together-split',
        `Schools ${names(unit)} must be together, but are placed with ${hosts[unit.fixedHost]!.id} and ${hostId}`,
      )
    if (!fits(u, h))
      return infeasible(
        'fixed-phase',
        unit.size === 1
          ? `School ${urn} is ${schools[unit.members[0]!]!.phase} but is placed with ${hostId}, a ${hosts[h]!.phase} group`
          : `School ${urn} is placed with ${hostId}, a ${hosts[h]!.phase} group, which does not fit every school it must be with (${names(unit)})`,
      )
    if (unit.fixedHost === undefined) {
      unit.fixedHost = h
      fixedLoad.set(h, (fixedLoad.get(h) ?? 0) + unit.size)
    }
  }
  for (const [h, load] of fixedLoad) {
    if (load > hosts[h]!.capacity)
      return infeasible(
        'fixed-over-capacity',
        `${plural(load, 'school is', 'schools are')} placed with ${hosts[h]!.id}, whose group holds ${hosts[h]!.capacity}`,
      )
  }
  for (const [ua, ub] of apartUnits) {
    const ha = units[ua]!.fixedHost
    if (ha !== undefined && ha === units[ub]!.fixedHost)
      return infeasible(
        'fixed-apart',
        `Schools ${names(units[ua]!)} and ${names(units[ub]!)} must be kept apart, but are both placed with ${hosts[ha]!.id}`,
      )
  }

  // A host is its own school's group: it can open only where its school may join it.
  const hostSchoolUnit = new Int32Array(hosts.length).fill(-1)
  const openable = new Uint8Array(hosts.length)
  const forcedOpen = new Uint8Array(hosts.length)
  hosts.forEach((host, h) => {
    const own = host.schoolUrn === undefined ? undefined : schoolIndex.get(host.schoolUrn)
    if (own !== undefined) hostSchoolUnit[h] = unitOfSchool[own]!
    const u = hostSchoolUnit[h]!
    const fixedElsewhere = u >= 0 && units[u]!.fixedHost !== undefined && units[u]!.fixedHost !== h
    openable[h] = u >= 0 && (fixedElsewhere || !fits(u, h)) ? 0 : 1
    forcedOpen[h] = fixedLoad.has(h) ? 1 : 0
  })
  for (const [h, host] of hosts.entries()) {
    if (forcedOpen[h] && !openable[h]) {
      const u = hostSchoolUnit[h]!
      return infeasible(
        'fixed-host-school-elsewhere',
        `Schools are placed with ${host.id}, but its own school ${host.schoolUrn} ${
          units[u]!.fixedHost !== undefined
            ? `is placed with ${hosts[units[u]!.fixedHost]!.id}`
            : 'cannot join it'
        }`,
      )
    }
  }
  // A host whose own school must be with more schools than its group holds cannot open either.
  for (const [h, host] of hosts.entries()) {
    const u = hostSchoolUnit[h]!
    if (u >= 0 && openable[h] && units[u]!.size > host.capacity) openable[h] = 0
  }

  for (const [u, unit] of units.entries()) {
    if (unit.fixedHost === undefined && !hosts.some((_, h) => openable[h] && fits(u, h)))
      return infeasible(
        'no-host-for-phase',
        `Every candidate host that schools ${names(unit)} fit is the school of one placed in another group`,
      )
  }

  // The fewest groups: capacity by phase, with the hosts that must open counted.
  const demand: Record<UnitClass, number> = { P: 0, S: 0, X: 0, A: 0 }
  units.forEach((unit, u) => (demand[classes[u]!] += unit.size))
  const usable = hosts
    .map((host, h) => ({ phase: host.phase, capacity: host.capacity, forced: forcedOpen[h] === 1, h }))
    .filter((host) => openable[host.h])
  const fewest = fewestHosts(demand, usable)
  if (fewest === undefined) {
    const total = usable.reduce((sum, host) => sum + host.capacity, 0)
    return infeasible(
      'not-enough-capacity',
      total < schools.length
        ? `The candidate hosts hold ${total} schools between them, fewer than the ${schools.length} interested`
        : 'The candidate hosts cannot hold every school in a group of its phase: add hosts of the phase that is short',
    )
  }
  const maxOpen = Math.min(usable.length, units.length)
  const given = problem.groups
  const groups: GroupRange = {
    min: given?.min ?? fewest,
    max: given?.max ?? (given?.min !== undefined ? maxOpen : fewest),
    fewestByDefault: given?.min === undefined && given?.max === undefined,
  }
  if (groups.max < fewest)
    return infeasible(
      'group-count',
      `At most ${plural(groups.max, 'group', 'groups')} may open, but the schools need at least ${fewest}`,
    )
  if (groups.min > maxOpen)
    return infeasible(
      'group-count',
      `At least ${plural(groups.min, 'group', 'groups')} must open, but only ${maxOpen} can` +
        (maxOpen === units.length ? ' (each group needs a school)' : ''),
    )
  groups.min = Math.max(groups.min, fewest)

  const costCache = new Map<number, Int32Array>()
  const unitCost = (u: number, h: number) => {
    const host: CandidateHost = hosts[h]!
    let sum = 0
    for (const m of units[u]!.members) sum += distanceMetres(schools[m]!, host)
    return sum
  }
  const hostsByCost = (u: number): Int32Array => {
    const cached = costCache.get(u)
    if (cached) return cached
    // Cost and index packed into one float, so a plain numeric sort orders by cost, then host.
    const keys: number[] = []
    for (let h = 0; h < hosts.length; h++) if (fits(u, h)) keys.push(unitCost(u, h) * 32_768 + h)
    const packed = Float64Array.from(keys).sort()
    const sorted = Int32Array.from(packed, (key) => key % 32_768)
    costCache.set(u, sorted)
    return sorted
  }

  return {
    problem,
    units,
    unitOfSchool,
    hostIndex,
    hostSchoolUnit,
    openable,
    forcedOpen,
    apartUnits,
    fewestGroups: fewest,
    groups,
    unitCost,
    fits,
    hostsByCost,
  }
}
