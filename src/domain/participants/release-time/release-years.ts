// Participation years for release time, worked out from the stage timeline (no SQL; ADR 0023).
// Year 1 is the participation's 'year-one' stage (both periods of it, when a deferral came
// between), year 2 its 'year-two' stage, and then each 12 months of 'active' is a year of its own
// (year 3 on, or year 2 on where the programme has no second development year). Deferred and
// withdrawn periods belong to no year. Dates are UK calendar dates, YYYY-MM-DD; a period is
// [startsOn, endsOn), endsOn null while it is open.
import type { ParticipationStage } from '../../../db/schema.ts'

export type YearStage = 'year-one' | 'year-two' | 'active'

export interface StageSpan {
  stage: ParticipationStage
  startsOn: string
  endsOn: string | null
}

export interface Period {
  startsOn: string
  endsOn: string | null
}

export interface ParticipationYear {
  /** 1 and 2 the development years, then each 12 months active. */
  year: number
  stage: YearStage
  periods: Period[]
  startsOn: string
  /** The day after the year's last day; null while its stage is open with no end yet. */
  endsOn: string | null
}

const DAY_MS = 86_400_000
/** As many years as a participation may have (the database holds the same bound). */
export const MOST_YEARS = 50

/** Days since 1 January 1970 of a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return Date.UTC(y, m - 1, d) / DAY_MS
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/** True for a YYYY-MM-DD date that is on the calendar (not 30 February). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  return dateOfDay(dayNumber(value)) === value
}

/** The same day `months` months later; the month's last day where it has no such day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const first = new Date(Date.UTC(y, m - 1 + months, 1))
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate()
  first.setUTCDate(Math.min(d, lastDay))
  return first.toISOString().slice(0, 10)
}

function within(period: Period, date: string): boolean {
  return period.startsOn <= date && (period.endsOn === null || date < period.endsOn)
}

/** The participation's years that have begun by `until` (inclusive), in order. */
export function participationYears(stages: readonly StageSpan[], until: string): ParticipationYear[] {
  const ordered = [...stages].sort((a, b) => a.startsOn.localeCompare(b.startsOn))
  const years: ParticipationYear[] = []
  const developing = (stage: YearStage, year: number) => {
    const periods = ordered
      .filter((s) => s.stage === stage && s.startsOn <= until)
      .map((s) => ({ startsOn: s.startsOn, endsOn: s.endsOn }))
    if (periods.length === 0) return
    const last = periods.at(-1)!
    years.push({ year, stage, periods, startsOn: periods[0]!.startsOn, endsOn: last.endsOn })
  }
  developing('year-one', 1)
  const hasYearTwo = ordered.some((s) => s.stage === 'year-two')
  if (hasYearTwo) developing('year-two', 2)
  let year = hasYearTwo ? 3 : 2
  for (const active of ordered.filter((s) => s.stage === 'active')) {
    for (let k = 0; years.length < MOST_YEARS; k++) {
      const startsOn = addMonths(active.startsOn, 12 * k)
      if (startsOn > until || (active.endsOn !== null && startsOn >= active.endsOn)) break
      const boundary = addMonths(active.startsOn, 12 * (k + 1))
      const endsOn = active.endsOn !== null && active.endsOn < boundary ? active.endsOn : boundary
      years.push({ year, stage: 'active', periods: [{ startsOn, endsOn }], startsOn, endsOn })
      year += 1
    }
  }
  return years
}

/** The year a date falls in, if it falls in one. */
export function yearOf(years: readonly ParticipationYear[], date: string): ParticipationYear | undefined {
  return years.find((y) => y.periods.some((p) => within(p, date)))
}

/**
 * How far through its year `today` is, as whole days: the days of the year's periods up to and
 * including today, of the year's length (12 months from its start, or less where its stages
 * ended sooner).
 */
export function elapsedDays(year: ParticipationYear, today: string): { elapsed: number; length: number } {
  const start = dayNumber(year.startsOn)
  let length = dayNumber(addMonths(year.startsOn, 12)) - start
  if (year.periods.every((p) => p.endsOn !== null)) {
    const lived = year.periods.reduce((sum, p) => sum + dayNumber(p.endsOn!) - dayNumber(p.startsOn), 0)
    length = Math.min(length, lived)
  }
  const tomorrow = dayNumber(today) + 1
  const elapsed = year.periods.reduce((sum, p) => {
    const end = Math.min(p.endsOn === null ? tomorrow : dayNumber(p.endsOn), tomorrow)
    return sum + Math.max(0, end - dayNumber(p.startsOn))
  }, 0)
  return { elapsed: Math.min(elapsed, length), length }
}

/** Half days funded each year from the cohort's days (a whole or half number, like 7.5). */
export function fundedHalfDays(releaseDaysPerYear: number): number {
  const halves = releaseDaysPerYear * 2
  if (!Number.isInteger(halves) || halves < 0) {
    throw new Error('The cohort’s release days must be whole or half days')
  }
  return halves
}

/** Half days as days for people: 31 is "15.5", 30 is "15". */
export function daysText(halfDays: number): string {
  const whole = Math.trunc(halfDays / 2)
  const sign = halfDays < 0 && whole === 0 ? '-' : ''
  return halfDays % 2 === 0 ? String(whole) : `${sign}${whole}.5`
}

/** "1 day", "1.5 days", "15 days". */
export function daysPhrase(halfDays: number): string {
  return `${daysText(halfDays)} ${halfDays === 2 ? 'day' : 'days'}`
}
