// Release time against the expected pace, for the cohort roster's at-risk view. For each
// participation, in the year today falls in: the half days used (logged, and Work Group support
// visits), and those expected by now (the funded days times the part of the year gone, rounded
// down to a whole half day). "over" is more than a quarter of the year's funded days (at least a
// day) ahead of that pace, or beyond the funded and approved days; "far-under" is as far behind
// it. The caller has already scoped the ids to what the actor may see (the hub's own specialists,
// or every hub for NCETM).
//
// The read model: { participationId, year, fundedHalfDays, approvedExtraHalfDays, usedHalfDays,
// expectedHalfDays, pace: 'over' | 'far-under' | 'on-pace' | 'not-taking-part', explanation }.
import type { Executor } from '../../../db/database.ts'
import { approvals as listApprovals, findReleaseParticipations, liveUses } from './release-time.repository.ts'
import { expectedSoFar, yearFigures } from './release-summary.ts'
import { supportVisitsOf } from './support-visits.repository.ts'
import { daysPhrase, daysText, fundedHalfDays, participationYears, yearOf } from './release-years.ts'

export type ReleasePaceFlag = 'over' | 'far-under' | 'on-pace' | 'not-taking-part'

export interface ReleasePace {
  participationId: number
  /** The year today falls in; null when deferred, withdrawn or not yet begun. */
  year: number | null
  fundedHalfDays: number
  approvedExtraHalfDays: number
  usedHalfDays: number
  expectedHalfDays: number
  pace: ReleasePaceFlag
  /** The flag in plain words, for the at-risk view. */
  explanation: string
}

/** How far from the expected pace counts as over or far under: a quarter of the year, at least a day. */
export function paceTolerance(funded: number): number {
  return Math.max(2, Math.floor(funded / 4))
}

export async function releasePace(
  db: Executor,
  participationIds: readonly number[],
  today: string,
): Promise<ReleasePace[]> {
  const ids = [...new Set(participationIds)]
  const [participations, uses, approvals, support] = await Promise.all([
    findReleaseParticipations(db, ids),
    liveUses(db, ids),
    listApprovals(db, ids),
    supportVisitsOf(db, ids),
  ])
  const paces: ReleasePace[] = []
  for (const id of ids) {
    const participation = participations.get(id)
    if (!participation) continue
    const funded = fundedHalfDays(participation.funding.releaseDaysPerYear)
    const year = yearOf(participationYears(participation.stages, today), today)
    if (!year) {
      paces.push({
        participationId: id,
        year: null,
        fundedHalfDays: funded,
        approvedExtraHalfDays: 0,
        usedHalfDays: 0,
        expectedHalfDays: 0,
        pace: 'not-taking-part',
        explanation: 'Not taking part in the programme today',
      })
      continue
    }
    const figures = yearFigures(
      year,
      funded,
      uses.filter((u) => u.participationId === id).map((u) => u.on),
      approvals.filter((a) => a.participationId === id),
      support.filter((s) => s.participationId === id),
    )
    const expected = expectedSoFar(year, funded, today)
    const tolerance = paceTolerance(funded)
    const pace: ReleasePaceFlag =
      figures.used > figures.funded + figures.approved || figures.used > expected + tolerance
        ? 'over'
        : figures.used + tolerance < expected
          ? 'far-under'
          : 'on-pace'
    const used = `${daysPhrase(figures.used)} used of ${daysText(funded)} funded in year ${year.year}`
    const explanation =
      pace === 'over'
        ? `${used}: ahead of the ${daysText(expected)} expected by now`
        : pace === 'far-under'
          ? `${used}: far behind the ${daysText(expected)} expected by now`
          : `${used}: about the ${daysText(expected)} expected by now`
    paces.push({
      participationId: id,
      year: year.year,
      fundedHalfDays: funded,
      approvedExtraHalfDays: figures.approved,
      usedHalfDays: figures.used,
      expectedHalfDays: expected,
      pace,
      explanation,
    })
  }
  return paces
}
