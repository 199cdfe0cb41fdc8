// The allocation engine on the real register: every state-funded secondary school in two real
// hubs' areas, each a candidate host of a group of six. Skipped when the register files are not
// beside the repository.
import { describe, expect, it } from 'vitest'
import { checkPlan } from '../src/domain/work-groups/allocation/check-plan.ts'
import { requirePlan, solveAllocation } from '../src/domain/work-groups/allocation/solve-allocation.ts'
import { allocationDataAvailable, registerProblem } from './allocation-register.ts'

const HUBS = ['Abacus NW Maths Hub', 'Solent Maths Hub']

describe.skipIf(!allocationDataAvailable())('Work Group allocation on the real register', () => {
  it('places every secondary school of two hubs in groups of six, within its reported gap of the bound', async () => {
    const problem = registerProblem({ hubs: HUBS, phase: 'secondary', capacity: 6 })
    expect(problem.schools.length).toBeGreaterThan(30)
    expect(problem.hosts.every((h) => h.capacity === 6)).toBe(true)

    const plan = requirePlan(await solveAllocation(problem, { timeLimitSeconds: 15 }))

    expect(checkPlan(problem, plan)).toEqual([])
    const placed = plan.assignments.map((a) => a.urn).sort((a, b) => a - b)
    expect(placed).toEqual(problem.schools.map((s) => s.urn).sort((a, b) => a - b))
    expect(new Set(placed).size).toBe(problem.schools.length)
    expect(plan.groups.length).toBe(Math.ceil(problem.schools.length / 6))
    for (const group of plan.groups) expect(group.load).toBeLessThanOrEqual(6)

    expect(plan.lowerBoundMetres).toBeGreaterThan(0)
    expect(plan.lowerBoundMetres).toBeLessThanOrEqual(plan.totalTravelMetres)
    expect(plan.gap).toBeGreaterThanOrEqual(0)
    if (plan.gap < 1)
      expect(plan.totalTravelMetres).toBeLessThanOrEqual(plan.lowerBoundMetres / (1 - plan.gap) + 1)
    expect(plan.status === 'optimal').toBe(plan.totalTravelMetres - plan.lowerBoundMetres < 1)
    expect(plan.solveMs).toBeLessThan(25_000)

    // The greedy plan is beside it, and never better.
    expect(plan.greedy.unplaced).toEqual([])
    expect(plan.greedy.totalTravelMetres).toBeGreaterThanOrEqual(plan.totalTravelMetres)
  }, 40_000)
})
