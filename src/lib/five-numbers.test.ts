import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fiveNumbers } from './five-numbers.ts'

describe('fiveNumbers', () => {
  it('gives the lowest, quartiles, median and highest, interpolating as Excel’s QUARTILE.INC does', () => {
    expect(fiveNumbers([])).toBeUndefined()
    expect(fiveNumbers([7])).toEqual({ min: 7, q1: 7, median: 7, q3: 7, max: 7 })
    expect(fiveNumbers([4, 1, 3, 2])).toEqual({ min: 1, q1: 1.75, median: 2.5, q3: 3.25, max: 4 })
    expect(fiveNumbers([1, 2, 3, 4, 5])).toEqual({ min: 1, q1: 2, median: 3, q3: 4, max: 5 })
  })

  it('is ordered, and its median is the middle value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 30 }), (values) => {
        const f = fiveNumbers(values)!
        expect(f.min).toBeLessThanOrEqual(f.q1)
        expect(f.q1).toBeLessThanOrEqual(f.median)
        expect(f.median).toBeLessThanOrEqual(f.q3)
        expect(f.q3).toBeLessThanOrEqual(f.max)
        const sorted = [...values].sort((a, b) => a - b)
        const mid = Math.floor(sorted.length / 2)
        const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
        expect(f.median).toBeCloseTo(median, 10)
      }),
    )
  })
})
