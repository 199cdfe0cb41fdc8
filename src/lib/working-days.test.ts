import { describe, expect, it } from 'vitest'
import { addWorkingDays, isWorkingDay } from './working-days.ts'

describe('working days', () => {
  it('skips weekends', () => {
    // Friday 6 November 2026, 3pm GMT -> Friday 13 November 2026, 3pm GMT.
    expect(addWorkingDays(new Date('2026-11-06T15:00:00Z'), 5).toISOString()).toBe('2026-11-13T15:00:00.000Z')
    // Monday -> the next Monday.
    expect(addWorkingDays(new Date('2026-11-23T09:00:00Z'), 5).toISOString()).toBe('2026-11-30T09:00:00.000Z')
  })

  it('skips bank holidays', () => {
    expect(isWorkingDay(2026, 12, 25)).toBe(false)
    expect(isWorkingDay(2026, 12, 28)).toBe(false)
    expect(isWorkingDay(2026, 12, 29)).toBe(true)
    // Wednesday 23 December 2026: 24, 29, 30, 31 December and 4 January.
    expect(addWorkingDays(new Date('2026-12-23T12:00:00Z'), 5).toISOString()).toBe('2027-01-04T12:00:00.000Z')
  })

  it('keeps the UK time of day across a clock change', () => {
    // Thursday 22 October 2026, 5pm BST (16:00Z) -> Thursday 29 October, 5pm GMT (17:00Z).
    expect(addWorkingDays(new Date('2026-10-22T16:00:00Z'), 5).toISOString()).toBe('2026-10-29T17:00:00.000Z')
  })

  it('counts a Saturday start from the Monday', () => {
    // Saturday 21 November 2026 -> Friday 27 November.
    expect(addWorkingDays(new Date('2026-11-21T10:00:00Z'), 5).toISOString()).toBe('2026-11-27T10:00:00.000Z')
  })
})
