// The plan a person might make by hand, kept beside the solver's as its baseline: open groups one
// at a time where the tightest group can form, then send every school to its nearest open host
// with room. It keeps phases, capacities, placed schools, schools that must be together and hosts
// in their own groups; it does not look at pairs kept apart, and may leave a school unplaced.
import type { AllocationInstance } from './allocation-instance.ts'

export interface GreedyAssignment {
  /** The host each unit joins, or -1 where the plan found no room. */
  hostOfUnit: Int32Array
  open: number[]
  ms: number
}

export function greedyAssignment(instance: AllocationInstance): GreedyAssignment {
  const started = performance.now()
  const { units, problem, groups } = instance
  const hosts = problem.hosts
  const hostOfUnit = new Int32Array(units.length).fill(-1)
  const load = new Int32Array(hosts.length)
  const isOpen = new Uint8Array(hosts.length)
  const open: number[] = []
  let unplaced = units.length

  const place = (u: number, h: number) => {
    hostOfUnit[u] = h
    load[h]! += units[u]!.size
    unplaced--
  }
  const openHost = (h: number) => {
    isOpen[h] = 1
    open.push(h)
    const own = instance.hostSchoolUnit[h]!
    if (own >= 0 && hostOfUnit[own] === -1) place(own, h)
  }

  // The hub's own placements, and the groups they open.
  units.forEach((unit, u) => {
    if (unit.fixedHost !== undefined) place(u, unit.fixedHost)
  })
  hosts.forEach((_, h) => {
    if (instance.forcedOpen[h]) openHost(h)
  })

  // Units each host fits, nearest first: the same order the solver's restriction uses.
  const unitsByCost = new Map<number, Int32Array>()
  const nearestUnits = (h: number): Int32Array => {
    let list = unitsByCost.get(h)
    if (!list) {
      const keys: number[] = []
      for (let u = 0; u < units.length; u++)
        if (instance.fits(u, h)) keys.push(instance.unitCost(u, h) * 32_768 + u)
      // At most 20,000 units, so the index fits below 32,768 and the cost orders first.
      list = Int32Array.from(Float64Array.from(keys).sort(), (key) => key % 32_768)
      unitsByCost.set(h, list)
    }
    return list
  }
  const canOpen = (h: number) => {
    if (isOpen[h] || !instance.openable[h]) return false
    const own = instance.hostSchoolUnit[h]!
    return own < 0 || hostOfUnit[own] === -1
  }

  // Open the host whose group, filled with its nearest unplaced schools, travels least per school.
  while (unplaced > 0 && open.length < groups.max) {
    let best = -1
    let bestScore = Infinity
    let bestCluster: number[] = []
    for (let h = 0; h < hosts.length; h++) {
      if (!canOpen(h)) continue
      const own = instance.hostSchoolUnit[h]!
      const cluster: number[] = own >= 0 ? [own] : []
      let room = hosts[h]!.capacity - (own >= 0 ? units[own]!.size : 0)
      let cost = own >= 0 ? instance.unitCost(own, h) : 0
      let size = own >= 0 ? units[own]!.size : 0
      for (const u of nearestUnits(h)) {
        if (room === 0) break
        if (hostOfUnit[u] !== -1 || u === own || units[u]!.size > room) continue
        cluster.push(u)
        room -= units[u]!.size
        size += units[u]!.size
        cost += instance.unitCost(u, h)
      }
      if (size === 0) continue
      const score = cost / size
      if (score < bestScore) {
        best = h
        bestScore = score
        bestCluster = cluster
      }
    }
    if (best === -1) break
    isOpen[best] = 1
    open.push(best)
    for (const u of bestCluster) place(u, best)
  }

  // More groups asked for than the schools filled: open where a group saves the most travel.
  while (open.length < groups.min) {
    let best = -1
    let bestSaving = -1
    for (let h = 0; h < hosts.length; h++) {
      if (isOpen[h] || !instance.openable[h]) continue
      const own = instance.hostSchoolUnit[h]!
      if (own >= 0 && units[own]!.fixedHost !== undefined) continue
      const savings: number[] = []
      for (let u = 0; u < units.length; u++) {
        const at = hostOfUnit[u]!
        if (at >= 0 && units[u]!.fixedHost === undefined && instance.fits(u, h))
          savings.push(Math.max(0, instance.unitCost(u, at) - instance.unitCost(u, h)))
      }
      savings.sort((a, b) => b - a)
      const saving = savings.slice(0, hosts[h]!.capacity).reduce((sum, s) => sum + s, 0)
      if (saving > bestSaving) {
        best = h
        bestSaving = saving
      }
    }
    if (best === -1) break
    const own = instance.hostSchoolUnit[best]!
    if (own >= 0 && hostOfUnit[own] !== -1) {
      load[hostOfUnit[own]!]! -= units[own]!.size
      hostOfUnit[own] = -1
      unplaced++
    }
    openHost(best)
  }

  // Every school not placed by the hub, and not a host's own school, goes to its nearest open host
  // with room: the nearest school and host first, schools that fit fewer groups before the rest.
  const keep = (u: number) =>
    units[u]!.fixedHost !== undefined ||
    open.some((h) => instance.hostSchoolUnit[h] === u && hostOfUnit[u] === h)
  for (let u = 0; u < units.length; u++) {
    if (hostOfUnit[u] !== -1 && !keep(u)) {
      load[hostOfUnit[u]!]! -= units[u]!.size
      hostOfUnit[u] = -1
    }
  }
  const restrictive = units.map((_, u) => hosts.some((__, h) => !instance.fits(u, h)))
  for (const pass of [true, false]) {
    const pairs: { u: number; h: number; cost: number }[] = []
    for (let u = 0; u < units.length; u++) {
      if (hostOfUnit[u] !== -1 || restrictive[u] !== pass) continue
      for (const h of open) if (instance.fits(u, h)) pairs.push({ u, h, cost: instance.unitCost(u, h) })
    }
    pairs.sort((a, b) => a.cost - b.cost || a.u - b.u || a.h - b.h)
    for (const { u, h } of pairs) {
      if (hostOfUnit[u] !== -1 || load[h]! + units[u]!.size > hosts[h]!.capacity) continue
      hostOfUnit[u] = h
      load[h]! += units[u]!.size
    }
  }
  return { hostOfUnit, open, ms: performance.now() - started }
}
