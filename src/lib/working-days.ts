// Working days in England: Monday to Friday, less England and Wales bank holidays. Used for
// reminders ("after 5 working days"), counted on the UK calendar at the same UK time of day.
import { parseUkDateTime, toUkWallClock } from './uk-time.ts'

/** England and Wales bank holidays, as published for 2024 to 2028. */
export const BANK_HOLIDAYS: ReadonlySet<string> = new Set([
  '2024-01-01',
  '2024-03-29',
  '2024-04-01',
  '2024-05-06',
  '2024-05-27',
  '2024-08-26',
  '2024-12-25',
  '2024-12-26',
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
])

function isoOf(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Whether a calendar date (year, month 1-12, day) is a working day in England. */
export function isWorkingDay(year: number, month: number, day: number): boolean {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay()
  return weekday !== 0 && weekday !== 6 && !BANK_HOLIDAYS.has(isoOf(year, month, day))
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
