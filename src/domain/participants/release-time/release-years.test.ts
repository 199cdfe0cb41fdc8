// Participation years from the stage timeline, the calendar arithmetic under them, and half days
// shown as days.
import { describe, expect, it } from 'vitest'
import { expectedSoFar } from './release-summary.ts'
import {
  addMonths,
  daysPhrase,
  daysText,
  elapsedDays,
  fundedHalfDays,
  isCalendarDate,
  participationYears,
  yearOf,
} from './release-years.ts'

describe('calendar dates', () => {
  it('knows real dates and adds months, keeping to the month’s last day', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true)
    expect(isCalendarDate('2026-02-29')).toBe(false)
    expect(isCalendarDate('2026-02-30')).toBe(false)
    expect(isCalendarDate('3 March 2026')).toBe(false)
    expect(addMonths('2025-10-01', 12)).toBe('2026-10-01')
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28')
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
  })
})

describe('participation years', () => {
  it('makes year 1 of both periods of year one either side of a deferral', () => {
    const years = participationYears(
      [
        { stage: 'year-one', startsOn: '2025-10-01', endsOn: '2026-01-05' },
        { stage: 'deferred', startsOn: '2026-01-05', endsOn: '2026-10-01' },
        { stage: 'year-one', startsOn: '2026-10-01', endsOn: null },
      ],
      '2026-11-01',
    )
    expect(years).toHaveLength(1)
    expect(years[0]).toMatchObject({ year: 1, startsOn: '2025-10-01', endsOn: null })
    expect(yearOf(years, '2026-03-01')).toBeUndefined()
    expect(yearOf(years, '2026-10-01')?.year).toBe(1)
    // 96 days lived before the deferral and 32 since, of the 365 from the year's start.
    expect(elapsedDays(years[0]!, '2026-11-01')).toEqual({ elapsed: 128, length: 365 })
  })

  it('numbers the active years on from the development years, 12 months each', () => {
    const stages = [
      { stage: 'year-one' as const, startsOn: '2025-10-01', endsOn: '2026-09-01' },
      { stage: 'active' as const, startsOn: '2026-09-01', endsOn: '2028-03-01' },
      { stage: 'withdrawn' as const, startsOn: '2028-03-01', endsOn: null },
    ]
    expect(participationYears(stages, '2030-01-01').map((y) => [y.year, y.startsOn, y.endsOn])).toEqual([
      [1, '2025-10-01', '2026-09-01'],
      [2, '2026-09-01', '2027-09-01'],
      [3, '2027-09-01', '2028-03-01'],
    ])
    expect(participationYears(stages, '2027-08-31').map((y) => y.year)).toEqual([1, 2])
  })

  it('expects the funded days in proportion to the year gone, in whole half days', () => {
    const [year] = participationYears(
      [{ stage: 'year-one', startsOn: '2025-10-01', endsOn: null }],
      '2026-03-02',
    )
    expect(expectedSoFar(year!, 15, '2025-10-01')).toBe(0)
    expect(expectedSoFar(year!, 15, '2026-03-02')).toBe(6)
    expect(expectedSoFar(year!, 15, '2026-09-30')).toBe(15)
    expect(expectedSoFar(year!, 15, '2027-01-01')).toBe(15)
  })
})

describe('half days as days', () => {
  it('shows whole and half days exactly', () => {
    expect(fundedHalfDays(7.5)).toBe(15)
    expect(() => fundedHalfDays(7.25)).toThrow()
    expect([0, 1, 2, 15, 31].map(daysText)).toEqual(['0', '0.5', '1', '7.5', '15.5'])
    expect([1, 2, 3].map(daysPhrase)).toEqual(['0.5 days', '1 day', '1.5 days'])
  })
})
