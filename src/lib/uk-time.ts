/**
 * Dates and times the GOV.UK way, in UK time.
 *
 * UK time is the Europe/London time zone: Greenwich Mean Time (GMT, UTC+0) in
 * winter and British Summer Time (BST, UTC+1) in summer. Clocks go forward at
 * 1am GMT on the last Sunday in March and back at 2am BST on the last Sunday
 * in October. Everything here uses the platform's Intl time zone data, so no
 * extra dependency is needed and the rules stay correct.
 *
 * Style follows the GOV.UK style guide: "5pm on 14 March 2025",
 * "9:30am on 1 April 2025", "midday" rather than "12pm" and "midnight" rather
 * than "12am".
 */

export const UK_TIME_ZONE = 'Europe/London'

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

const MS_PER_MINUTE = 60_000
const MS_PER_HOUR = 60 * MS_PER_MINUTE

/** A wall-clock reading in UK time. Months are 1 to 12. */
export interface UkWallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
}

const wallClockFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: UK_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
})

function assertValidDate(d: Date): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new RangeError('Expected a valid Date')
  }
}

/** The UK wall-clock reading (to the second) at an instant. */
function ukParts(epochMs: number): UkWallClock & { second: number } {
  const parts: Record<string, number> = {}
  for (const part of wallClockFormat.formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    // Some ICU versions write midnight as "24" even with h23.
    hour: (parts.hour ?? NaN) % 24,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  }
}

/** UK wall-clock reading at an instant. */
export function toUkWallClock(d: Date): UkWallClock {
  assertValidDate(d)
  const { year, month, day, hour, minute } = ukParts(d.getTime())
  return { year, month, day, hour, minute }
}

/** Milliseconds since the epoch of a wall-clock reading taken as if it were UTC. */
function wallClockAsUtc(w: UkWallClock, second = 0): number {
  const date = new Date(0)
  // setUTCFullYear avoids Date.UTC's mapping of years 0 to 99 onto 1900 to 1999.
  date.setUTCFullYear(w.year, w.month - 1, w.day)
  date.setUTCHours(w.hour, w.minute, second, 0)
  return date.getTime()
}

/** UK offset from UTC in milliseconds at an instant (0 for GMT, 1 hour for BST). */
function ukOffsetAt(epochMs: number): number {
  // Ignore milliseconds: the formatter works in whole seconds.
  const whole = Math.floor(epochMs / 1000) * 1000
  const p = ukParts(whole)
  return wallClockAsUtc(p, p.second) - whole
}

/** "5pm", "9:30am", "midday", "midnight". */
function formatTime(hour: number, minute: number): string {
  if (minute === 0 && hour === 12) return 'midday'
  if (minute === 0 && hour === 0) return 'midnight'
  const suffix = hour < 12 ? 'am' : 'pm'
  const h12 = hour % 12 === 0 ? 12 : hour % 12
  return minute === 0 ? `${h12}${suffix}` : `${h12}:${String(minute).padStart(2, '0')}${suffix}`
}

function formatDateParts(year: number, month: number, day: number): string {
  return `${day} ${MONTHS[month - 1]} ${year}`
}

/**
 * An instant as a UK date, for example "14 March 2025".
 */
export function formatUkDate(d: Date): string {
  const w = toUkWallClock(d)
  return formatDateParts(w.year, w.month, w.day)
}

/** An instant as a UK time of day, for example "9:30am" or "midday". */
export function formatUkTime(d: Date): string {
  const w = toUkWallClock(d)
  return formatTime(w.hour, w.minute)
}

/**
 * An instant as a UK time and date, for example "5pm on 14 March 2025",
 * "9:30am on 1 April 2025" or "midday on 14 March 2025".
 *
 * 12am is written "midnight" and belongs to the date that is starting, so the
 * first instant of 15 March is "midnight on 15 March 2025". Seconds are not
 * shown (the time is truncated to the minute).
 */
export function formatUkDateTime(d: Date): string {
  const w = toUkWallClock(d)
  return `${formatTime(w.hour, w.minute)} on ${formatDateParts(w.year, w.month, w.day)}`
}

function daysInMonth(year: number, month: number): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month, 0)
  return date.getUTCDate()
}

function assertInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, not ${value}`)
  }
}

/**
 * The instant at which UK clocks show the given date and time.
 *
 * Months are 1 to 12 and hours 0 to 23. Throws a RangeError for a date or
 * time that does not exist on the calendar (for example 30 February).
 *
 * Clock changes follow the "compatible" rule (the same as JavaScript's
 * Temporal and the iCalendar standard, RFC 5545):
 *
 * - Clocks going forward (last Sunday in March): times from 1am to 1:59am do
 *   not happen. They are read with the offset in force just before the change
 *   (GMT), so 1:30am means 1:30 UTC, which UK clocks show as 2:30am BST.
 * - Clocks going back (last Sunday in October): times from 1am to 1:59am
 *   happen twice. The earlier one (BST) is chosen, so 1:30am means 0:30 UTC.
 */
export function parseUkDateTime(input: UkWallClock): Date {
  const { year, month, day, hour, minute } = input
  assertInteger('year', year, 1, 9999)
  assertInteger('month', month, 1, 12)
  assertInteger('day', day, 1, daysInMonth(year, month))
  assertInteger('hour', hour, 0, 23)
  assertInteger('minute', minute, 0, 59)

  const wall: UkWallClock = { year, month, day, hour, minute }
  const asUtc = wallClockAsUtc(wall)

  // The offsets in force shortly before and after this wall-clock time. UK
  // clock changes are an hour and at least months apart, so a day either side
  // covers every case.
  const offsetBefore = ukOffsetAt(asUtc - 24 * MS_PER_HOUR)
  const offsetAfter = ukOffsetAt(asUtc + 24 * MS_PER_HOUR)

  const candidates = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => asUtc - offset)
    .filter((instant) => wallClockAsUtc(toUkWallClock(new Date(instant))) === asUtc)
    .sort((a, b) => a - b)

  const earliest = candidates[0]
  if (earliest !== undefined) {
    // One candidate: an ordinary time. Two: the repeated hour in October;
    // take the earlier (BST).
    return new Date(earliest)
  }
  // No candidate: the skipped hour in March. Use the offset from before the
  // change, which moves the time forward by the length of the gap.
  return new Date(asUtc - offsetBefore)
}
