// Questions about the hosts each unit is listed with: how long a list could be, whether the lists
// leave anything out, which units were sent to the end of theirs.
import type { AllocationInstance } from './allocation-instance.ts'
import type { HostLists } from './allocation-model.ts'

/** The most hosts any unit could be listed with: lists this long leave nothing out. */
export function longestList(instance: AllocationInstance): number {
  let longest = 1
  for (let u = 0; u < instance.units.length; u++) {
    let usable = 0
    for (const h of instance.hostsByCost(u)) if (instance.openable[h]) usable++
    longest = Math.max(longest, usable)
  }
  return longest
}

export function coversEveryHost(instance: AllocationInstance, lists: HostLists): boolean {
  return instance.units.every((unit, u) => {
    if (unit.fixedHost !== undefined) return true
    let usable = 0
    for (const h of instance.hostsByCost(u)) if (instance.openable[h]) usable++
    return lists[u]!.length >= usable
  })
}

/** Units sent to the last of their k nearest hosts: a longer list might serve them better. */
export function atEndOfList(instance: AllocationInstance, hostOfUnit: Int32Array, k: number): number {
  let count = 0
  instance.units.forEach((unit, u) => {
    if (unit.fixedHost !== undefined) return
    let seen = 0
    for (const h of instance.hostsByCost(u)) {
      if (!instance.openable[h]) continue
      seen++
      if (seen === k) {
        if (hostOfUnit[u] === h) count++
        break
      }
    }
  })
  return count
}

export function mergeLists(a: HostLists, extra: Iterable<[number, number]>): HostLists {
  const merged = a.map((list) => [...list])
  for (const [u, h] of extra) if (!merged[u]!.includes(h)) merged[u]!.push(h)
  return merged.map((list) => Int32Array.from(list))
}

export function travelOf(instance: AllocationInstance, hostOfUnit: Int32Array): number {
  let total = 0
  hostOfUnit.forEach((h, u) => (total += instance.unitCost(u, h)))
  return total
}
