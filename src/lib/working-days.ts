// Working days in England: Monday to Friday, less England and Wales bank holidays. Used for
// reminders ("after 5 working days"), counted on the UK calendar at the same UK time of day.
// The bank holidays of any year come from date-holidays (England's public holidays, with the
// substitute days when one falls at a weekend), changed by a list of extra and moved days for
// the ones a proclamation adds (a coronation, a jubilee, a state funeral) or moves. The changes
// are configured once at start-up (EXTRA_BANK_HOLIDAYS and MOVED_BANK_HOLIDAYS, read in config.ts).
import Holidays from 'date-holidays'
import { parseUkDateTime, toUkWallClock } from './uk-time.ts'

/** Days added to the computed bank holidays, and days moved (from one date to another), as YYYY-MM-DD. */
export interface BankHolidayChanges {
  extra: readonly string[]
  moved: readonly { from: string; to: string }[]
}

/**
 * The known proclaimed changes: the Queen's Platinum Jubilee (3 June 2022) with the Spring bank
 * holiday moved from 30 May to 2 June 2022, the Queen's state funeral (19 September 2022) and the
 * King's coronation (8 May 2023).
 */
export const DEFAULT_BANK_HOLIDAY_CHANGES: BankHolidayChanges = {
  extra: ['2022-06-03', '2022-09-19', '2023-05-08'],
  moved: [{ from: '2022-05-30', to: '2022-06-02' }],
}

const england = new Holidays('GB', 'ENG', { types: ['public'] })

/** England and Wales bank holidays in the year as computed, before any configured change. */
export function computedBankHolidays(year: number): string[] {
  return england
    .getHolidays(year)
    .filter((h) => h.type === 'public')
    .map((h) => h.date.slice(0, 10))
}

/** A calendar of bank holidays: computed for any year, with the changes applied. */
export function bankHolidayCalendar(changes: BankHolidayChanges): (year: number) => ReadonlySet<string> {
  const years = new Map<number, ReadonlySet<string>>()
  return (year) => {
    let days = years.get(year)
    if (!days) {
      const set = new Set(computedBankHolidays(year))
      const inYear = (iso: string) => iso.startsWith(`${year}-`)
      for (const { from, to } of changes.moved) {
        if (inYear(from)) set.delete(from)
        if (inYear(to)) set.add(to)
      }
      for (const day of changes.extra) if (inYear(day)) set.add(day)
      days = set
      years.set(year, days)
    }
    return days
  }
}

let bankHolidaysIn = bankHolidayCalendar(DEFAULT_BANK_HOLIDAY_CHANGES)

/** Sets the extra and moved bank holidays the whole process counts with (from the config, at start-up). */
export function useBankHolidayChanges(changes: BankHolidayChanges): void {
  bankHolidaysIn = bankHolidayCalendar(changes)
}

/** England and Wales bank holidays in the year, with the configured changes, as YYYY-MM-DD, in order. */
export function bankHolidays(year: number): string[] {
  return [...bankHolidaysIn(year)].sort()
}

function isoOf(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Whether a calendar date (year, month 1-12, day) is a working day in England. */
export function isWorkingDay(year: number, month: number, day: number): boolean {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay()
  return weekday !== 0 && weekday !== 6 && !bankHolidaysIn(year).has(isoOf(year, month, day))
}

/**
 * The instant `days` working days after `from`, at the same UK wall-clock time: 5 working days
 * after 3pm on a Friday is 3pm the next Friday (or later, past a bank holiday).
 */
export function addWorkingDays(from: Date, days: number): Date {
  const wall = toUkWallClock(from)
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day))
  let left = days
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1)
    if (isWorkingDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())) left--
  }
  return parseUkDateTime({
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: wall.hour,
    minute: wall.minute,
  })
}
