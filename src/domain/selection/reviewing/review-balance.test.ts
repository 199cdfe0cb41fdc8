// The automatic assignment plan: balanced load, every application covered before any gets a
// second reviewer, the most constrained application first, conflicts respected, shortfalls named,
// and the same plan every time.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planAssignments, type ApplicationToCover } from './review-balance.ts'

const everyone = (ids: number[], reviewers: number[]): ApplicationToCover[] =>
  ids.map((applicationId) => ({ applicationId, assigned: [], candidates: reviewers }))

function loads(plan: ReturnType<typeof planAssignments>): number[] {
  return [...plan.load.values()]
}

describe('planAssignments', () => {
  it('gives each application two different reviewers and keeps loads within one of each other', () => {
    const plan = planAssignments(
      everyone([1, 2, 3, 4, 5, 6, 7], [10, 11, 12]),
      [10, 11, 12].map((reviewerId) => ({ reviewerId, load: 0 })),
      2,
    )
    expect(plan.assignments).toHaveLength(14)
    for (const id of [1, 2, 3, 4, 5, 6, 7]) {
      const reviewers = plan.assignments.filter((a) => a.applicationId === id).map((a) => a.reviewerId)
      expect(new Set(reviewers).size).toBe(2)
    }
    expect(Math.max(...loads(plan)) - Math.min(...loads(plan))).toBeLessThanOrEqual(1)
    expect(plan.short).toEqual([])
  })

  it('covers every application once before giving any a second reviewer', () => {
    const plan = planAssignments(everyone([1, 2, 3], [10]), [{ reviewerId: 10, load: 0 }], 2)
    expect(plan.assignments.map((a) => a.applicationId)).toEqual([1, 2, 3])
    expect(plan.short).toEqual([
      { applicationId: 1, assigned: 1 },
      { applicationId: 2, assigned: 1 },
      { applicationId: 3, assigned: 1 },
    ])
  })

  it('serves the application with the fewest possible reviewers first', () => {
    // Application 2 can only have reviewer 10; were application 1 served first it would take 10.
    const plan = planAssignments(
      [
        { applicationId: 1, assigned: [], candidates: [10, 11] },
        { applicationId: 2, assigned: [], candidates: [10] },
      ],
      [
        { reviewerId: 10, load: 0 },
        { reviewerId: 11, load: 0 },
      ],
      1,
    )
    expect(plan.assignments).toEqual([
      { applicationId: 1, reviewerId: 11 },
      { applicationId: 2, reviewerId: 10 },
    ])
  })

  it('counts reviewers already assigned, and their existing load', () => {
    const plan = planAssignments(
      [
        { applicationId: 1, assigned: [10], candidates: [11, 12] },
        { applicationId: 2, assigned: [], candidates: [10, 11, 12] },
      ],
      [
        { reviewerId: 10, load: 1 },
        { reviewerId: 11, load: 3 },
        { reviewerId: 12, load: 0 },
      ],
      2,
    )
    expect(plan.assignments).toEqual([
      { applicationId: 1, reviewerId: 12 },
      { applicationId: 2, reviewerId: 10 },
      { applicationId: 2, reviewerId: 12 },
    ])
    expect(Object.fromEntries(plan.load)).toEqual({ 10: 2, 11: 3, 12: 2 })
    expect(plan.short).toEqual([])
  })

  it('never assigns a reviewer who is not a candidate, and is the same plan every time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.subarray([1, 2, 3, 4, 5, 6]), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        (candidateLists, wanted) => {
          const applications = candidateLists.map((candidates, i) => ({
            applicationId: 100 + i,
            assigned: [],
            candidates,
          }))
          const reviewers = [1, 2, 3, 4, 5, 6].map((reviewerId) => ({ reviewerId, load: 0 }))
          const plan = planAssignments(applications, reviewers, wanted)
          expect(planAssignments(applications, reviewers, wanted)).toEqual(plan)
          for (const a of plan.assignments) {
            expect(candidateLists[a.applicationId - 100]).toContain(a.reviewerId)
          }
          for (const application of applications) {
            const got = plan.assignments.filter((a) => a.applicationId === application.applicationId).length
            expect(
              new Set(
                plan.assignments
                  .filter((a) => a.applicationId === application.applicationId)
                  .map((a) => a.reviewerId),
              ).size,
            ).toBe(got)
            // As many as wanted, or every candidate it has.
            expect(got).toBe(Math.min(wanted, application.candidates.length))
          }
        },
      ),
    )
  })

  it('evens out what greedy choices leave uneven', () => {
    // Greedily, the last application of the second pass could only go to a reviewer already ahead.
    const plan = planAssignments(
      everyone([1, 2, 3, 4, 5, 6, 7, 8, 9], [10, 11, 12]),
      [10, 11, 12].map((reviewerId) => ({ reviewerId, load: 0 })),
      2,
    )
    expect(Object.fromEntries(plan.load)).toEqual({ 10: 6, 11: 6, 12: 6 })
  })

  it('keeps loads within one when nobody has a conflict', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        (n, r, wanted) => {
          const reviewerIds = Array.from({ length: r }, (_, i) => i + 1)
          const plan = planAssignments(
            everyone(
              Array.from({ length: n }, (_, i) => i + 100),
              reviewerIds,
            ),
            reviewerIds.map((reviewerId) => ({ reviewerId, load: 0 })),
            wanted,
          )
          expect(Math.max(...loads(plan)) - Math.min(...loads(plan))).toBeLessThanOrEqual(1)
          expect(plan.assignments).toHaveLength(n * Math.min(wanted, r))
        },
      ),
    )
  })
})
