import { describe, expect, it } from 'vitest'
import type { AllocationProblemInput } from './allocation-problem.ts'
import { checkPlan } from './check-plan.ts'

const host = (urn: number, easting: number, capacity: number) => ({
  id: `school:${urn}`,
  easting,
  northing: 0,
  phase: 'secondary' as const,
  capacity,
  schoolUrn: urn,
})
const problem: AllocationProblemInput = {
  schools: [
    { urn: 1, easting: 0, northing: 0, phase: 'secondary' },
    { urn: 2, easting: 100, northing: 0, phase: 'secondary' },
    { urn: 3, easting: 200, northing: 0, phase: 'primary' },
  ],
  hosts: [
    host(1, 0, 2),
    host(2, 100, 2),
    { ...host(9, 5_000, 3), id: 'venue:9', schoolUrn: undefined, phase: 'cross-phase' },
  ],
  fixed: [{ urn: 2, hostId: 'school:2' }],
  apart: [[1, 2]],
}

const rules = (assignments: { urn: number; hostId: string }[], extra = {}) =>
  checkPlan(problem, { assignments, ...extra }).map((v) => v.rule)

describe('checkPlan', () => {
  it('finds nothing wrong with a plan keeping every rule', () => {
    const plan = [
      { urn: 1, hostId: 'school:1' },
      { urn: 2, hostId: 'school:2' },
      { urn: 3, hostId: 'venue:9' },
    ]
    expect(rules(plan, { totalTravelMetres: 4_800, lowerBoundMetres: 4_800, gap: 0 })).toEqual([])
  })

  it('names each rule a plan breaks', () => {
    expect(
      rules([
        { urn: 1, hostId: 'school:1' },
        { urn: 2, hostId: 'school:2' },
      ]),
    ).toContain('school-unplaced')
    expect(
      rules([
        { urn: 1, hostId: 'school:2' },
        { urn: 2, hostId: 'school:2' },
        { urn: 3, hostId: 'school:2' },
      ]),
    ).toEqual(expect.arrayContaining(['phase', 'capacity', 'apart', 'group-count']))
    expect(
      rules([
        { urn: 1, hostId: 'venue:9' },
        { urn: 2, hostId: 'venue:9' },
        { urn: 3, hostId: 'venue:9' },
      ]),
    ).toEqual(expect.arrayContaining(['fixed', 'apart']))
    const good = [
      { urn: 1, hostId: 'school:1' },
      { urn: 2, hostId: 'school:2' },
      { urn: 3, hostId: 'venue:9' },
    ]
    expect(rules(good, { totalTravelMetres: 1 })).toEqual(['total'])
    expect(rules(good, { lowerBoundMetres: 5_000 })).toEqual(['bound'])
    expect(rules(good, { lowerBoundMetres: 4_000, gap: 0.01 })).toEqual(['bound'])
  })
})
