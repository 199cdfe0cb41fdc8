// Days used against days funded, per participation year, in exact half days (no SQL). Every year
// is funded the cohort's release days (ADR 0023); extra days approved add to what may be used.
// Days used are the half days logged in the ledger and the half-days of the specialist's Work Group
// support visits dated in the year: both are time out of their school, funded alike.
// A withdrawal ends the participation's years: none begins after it, and the year it falls in
// keeps its funded days whole (not pro rata), as what may be claimed for days used before it.
import {
  elapsedDays,
  participationYears,
  yearOf,
  type ParticipationYear,
  type StageSpan,
} from './release-years.ts'

/** One participation year's figures, all in half days (1 = half a day). */
export interface ReleaseYearSummary {
  year: number
  stage: ParticipationYear['stage']
  /** 'Year 1: development year', 'Year 3: active specialist'. */
  label: string
  startsOn: string
  /** The day after the year's last; null while its stage is open. */
  endsOn: string | null
  fundedHalfDays: number
  approvedExtraHalfDays: number
  /** Logged in the ledger and not reversed. */
  loggedHalfDays: number
  /** Work Group support visits dated in the year. */
  supportHalfDays: number
  /** Logged and support together. */
  usedHalfDays: number
  /** Funded and approved, less used; never below 0. */
  remainingHalfDays: number
  /** Used beyond the funded days (approved or not); 0 when within them. */
  overByHalfDays: number
}

const STAGE_LABELS: Record<ParticipationYear['stage'], string> = {
  'year-one': 'development year',
  'year-two': 'development year',
  active: 'active specialist',
}

export function yearLabel(year: ParticipationYear): string {
  return `Year ${year.year}: ${STAGE_LABELS[year.stage]}`
}

export interface YearFigures {
  year: ParticipationYear
  funded: number
  approved: number
  logged: number
  support: number
  /** logged + support */
  used: number
}

/** Half-days spent on a Work Group support visit on a date. */
export interface SupportDay {
  on: string
  halfDays: number
}

/** The funded, approved, logged, support and used half days of one year. */
export function yearFigures(
  year: ParticipationYear,
  funded: number,
  useDates: readonly string[],
  approvals: readonly { year: number; halfDays: number }[],
  support: readonly SupportDay[],
): YearFigures {
  const inYear = (date: string) =>
    year.periods.some((p) => p.startsOn <= date && (p.endsOn === null || date < p.endsOn))
  const logged = useDates.filter(inYear).length
  const supported = support.filter((s) => inYear(s.on)).reduce((sum, s) => sum + s.halfDays, 0)
  return {
    year,
    funded,
    approved: approvals.filter((a) => a.year === year.year).reduce((sum, a) => sum + a.halfDays, 0),
    logged,
    support: supported,
    used: logged + supported,
  }
}

export function summariseYear({
  year,
  funded,
  approved,
  logged,
  support,
  used,
}: YearFigures): ReleaseYearSummary {
  return {
    year: year.year,
    stage: year.stage,
    label: yearLabel(year),
    startsOn: year.startsOn,
    endsOn: year.endsOn,
    fundedHalfDays: funded,
    approvedExtraHalfDays: approved,
    loggedHalfDays: logged,
    supportHalfDays: support,
    usedHalfDays: used,
    remainingHalfDays: Math.max(0, funded + approved - used),
    overByHalfDays: Math.max(0, used - funded),
  }
}

/** Every year begun by `today` (or by the latest entry's or visit's date), with its figures. */
export function summariseYears(
  stages: readonly StageSpan[],
  today: string,
  funded: number,
  useDates: readonly string[],
  approvals: readonly { year: number; halfDays: number }[],
  support: readonly SupportDay[],
): ReleaseYearSummary[] {
  const until = [...useDates, ...support.map((s) => s.on)].reduce(
    (latest, d) => (d > latest ? d : latest),
    today,
  )
  return participationYears(stages, until).map((year) =>
    summariseYear(yearFigures(year, funded, useDates, approvals, support)),
  )
}

/** The year a date falls in, among those begun by then. */
export function yearOfDate(stages: readonly StageSpan[], date: string): ParticipationYear | undefined {
  return yearOf(participationYears(stages, date), date)
}

/** Whole half days expected used by `today`: the funded days times the part of the year gone. */
export function expectedSoFar(year: ParticipationYear, funded: number, today: string): number {
  const { elapsed, length } = elapsedDays(year, today)
  return length <= 0 ? funded : Math.floor((funded * elapsed) / length)
}
