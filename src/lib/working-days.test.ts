import { describe, expect, it } from 'vitest'
import {
  addWorkingDays,
  bankHolidayCalendar,
  bankHolidays,
  computedBankHolidays,
  DEFAULT_BANK_HOLIDAY_CHANGES,
  isWorkingDay,
} from './working-days.ts'

/** The list typed by hand from the published dates for 2025 to 2028, before the dates were computed. */
const PUBLISHED_2025_TO_2028 = [
  '2025-01-01',
  '2025-04-18',
  '2025-04-21',
  '2025-05-05',
  '2025-05-26',
  '2025-08-25',
  '2025-12-25',
  '2025-12-26',
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
  '2028-01-03',
  '2028-04-14',
  '2028-04-17',
  '2028-05-01',
  '2028-05-29',
  '2028-08-28',
  '2028-12-25',
  '2028-12-26',
]

/** The bank holidays that fall on a weekday: the days that stop a working day. */
function weekdays(days: readonly string[]): string[] {
  return days.filter((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()))
}

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

  it('counts bank holidays in years past any hand-typed list', () => {
    // 2031: Good Friday 11 April, Easter Monday 14 April, Christmas on a Thursday.
    expect(bankHolidays(2031)).toEqual([
      '2031-01-01',
      '2031-04-11',
      '2031-04-14',
      '2031-05-05',
      '2031-05-26',
      '2031-08-25',
      '2031-12-25',
      '2031-12-26',
    ])
    expect(isWorkingDay(2031, 4, 14)).toBe(false)
    // Thursday 10 April 2031, 9am BST: 15, 16, 17, 18 and 21 April, past Good Friday and Easter Monday.
    expect(addWorkingDays(new Date('2031-04-10T08:00:00Z'), 5).toISOString()).toBe('2031-04-21T08:00:00.000Z')
    // 2040: Easter Sunday is 1 April, so Good Friday 30 March and Easter Monday 2 April.
    expect(isWorkingDay(2040, 3, 30)).toBe(false)
    expect(isWorkingDay(2040, 4, 2)).toBe(false)
    expect(isWorkingDay(2040, 4, 3)).toBe(true)
    expect(weekdays(bankHolidays(2040))).toHaveLength(8)
  })

  it('gives the substitute day when a bank holiday falls at a weekend', () => {
    // Boxing Day 2026 is a Saturday: Monday 28 December instead.
    expect(bankHolidays(2026)).toContain('2026-12-28')
    // Christmas Day and Boxing Day 2027 are a Saturday and a Sunday: 27 and 28 December.
    expect(weekdays(bankHolidays(2027)).slice(-2)).toEqual(['2027-12-27', '2027-12-28'])
    // New Year's Day 2028 is a Saturday: Monday 3 January.
    expect(isWorkingDay(2028, 1, 3)).toBe(false)
  })

  it('agrees with the published dates for 2025 to 2028', () => {
    const computed = [2025, 2026, 2027, 2028].flatMap((year) => weekdays(bankHolidays(year)))
    expect(computed).toEqual(PUBLISHED_2025_TO_2028)
  })

  it('adds the proclaimed days and moves the Spring bank holiday of 2022 by default', () => {
    for (const [year, month, day] of [
      [2022, 6, 2], // the Spring bank holiday, moved from 30 May
      [2022, 6, 3], // the Platinum Jubilee
      [2022, 9, 19], // the state funeral of Queen Elizabeth II
      [2023, 5, 8], // the coronation of King Charles III
    ] as const) {
      expect(isWorkingDay(year, month, day), `${year}-${month}-${day}`).toBe(false)
    }
    expect(isWorkingDay(2022, 5, 30)).toBe(true)
    expect(DEFAULT_BANK_HOLIDAY_CHANGES.extra).toContain('2023-05-08')
  })

  it('applies extra and moved days from the configured list, in their year only', () => {
    const calendar = bankHolidayCalendar({
      extra: ['2032-06-07'],
      moved: [{ from: '2032-05-31', to: '2032-06-04' }],
    })
    expect(computedBankHolidays(2032)).toContain('2032-05-31')
    const days = calendar(2032)
    expect(days.has('2032-06-07')).toBe(true)
    expect(days.has('2032-06-04')).toBe(true)
    expect(days.has('2032-05-31')).toBe(false)
    expect(calendar(2031).has('2031-05-26')).toBe(true)
    // Without the defaults, the computed dates stand alone.
    expect([...bankHolidayCalendar({ extra: [], moved: [] })(2033)]).toEqual(computedBankHolidays(2033))
  })
})
