// A participation's release time, as the specialist's "My programme" page, the hub's pages and
// the API show it: days used against days funded for each year begun, and every ledger entry with
// its reversal shown. Seen by the specialist, the team running their hub and NCETM; anyone else
// is told it is not there.
//
// The read model (all figures in half days, 1 = half a day; daysText() shows them as days):
//   years[]    { year, stage, label, startsOn, endsOn, fundedHalfDays, approvedExtraHalfDays,
//                usedHalfDays, remainingHalfDays, overByHalfDays }
//   current    the year today falls in, or null (deferred, withdrawn)
//   entries[]  each use and each reversal, latest date first: { id, kind, on, half, activity,
//              activityName, note, year, loggedAs, loggedByName, loggedAt, reversedBy (a use's
//              reversal: id, reason, at, loggedAs), reverses (a reversal's use id), reason }
//   approvals[] { id, year, halfDays, reason, approvedAs, approvedByName, approvedAt }
//   funding    the cohort's releaseDaysPerYear and dayRatePence
import { NotFoundError } from '../../../errors.ts'
import { ukDate } from '../../events/bookings/book-place.ts'
import type { UseCaseContext } from '../../use-case.ts'
import {
  approvals as listApprovals,
  findReleaseParticipation,
  ledgerEntries,
  type ExtraDaysApproval,
} from './release-time.repository.ts'
import { canViewReleaseTime } from './release-time.policy.ts'
import {
  RELEASE_ACTIVITIES,
  type ReleaseActivity,
  type ReleaseHalf,
  type ReleaseLoggedAs,
} from './release-time.ts'
import { summariseYears, type ReleaseYearSummary } from './release-summary.ts'
import { fundedHalfDays, participationYears, yearOf } from './release-years.ts'

export interface ReleaseEntryView {
  id: number
  kind: 'use' | 'reversal'
  on: string
  half: ReleaseHalf
  activity: ReleaseActivity
  activityName: string
  note: string | null
  /** The participation year the date falls in; null for a date now in a deferral. */
  year: number | null
  loggedAs: ReleaseLoggedAs
  loggedByName: string | null
  loggedAt: Date
  /** For a use that was reversed: the reversal. */
  reversedBy: { id: number; reason: string; at: Date; loggedAs: ReleaseLoggedAs } | null
  /** For a reversal: the use it reverses. */
  reverses: number | null
  reason: string | null
}

export interface ReleaseTimeView {
  participationId: number
  personId: number
  hubId: string | null
  funding: { releaseDaysPerYear: number; dayRatePence: number }
  years: ReleaseYearSummary[]
  current: ReleaseYearSummary | null
  entries: ReleaseEntryView[]
  approvals: ExtraDaysApproval[]
}

export async function viewReleaseTime(
  context: UseCaseContext,
  participationId: number,
): Promise<ReleaseTimeView> {
  const participation = await findReleaseParticipation(context.db, participationId)
  if (!participation || !canViewReleaseTime(context.actor, participation)) {
    throw new NotFoundError('Participation')
  }
  const today = ukDate(context.clock.now())
  const [ledger, approvals] = await Promise.all([
    ledgerEntries(context.db, participationId),
    listApprovals(context.db, [participationId]),
  ])
  const reversals = new Map(ledger.filter((e) => e.kind === 'reversal').map((e) => [e.reversesEntryId!, e]))
  const liveDates = ledger.filter((e) => e.kind === 'use' && !reversals.has(e.id)).map((e) => e.on)
  const funded = fundedHalfDays(participation.funding.releaseDaysPerYear)
  const years = summariseYears(participation.stages, today, funded, liveDates, approvals)
  const latest = ledger.reduce((d, e) => (e.on > d ? e.on : d), today)
  const spans = participationYears(participation.stages, latest)
  const currentYear = yearOf(spans, today)
  return {
    participationId,
    personId: participation.personId,
    hubId: participation.hubId,
    funding: {
      releaseDaysPerYear: participation.funding.releaseDaysPerYear,
      dayRatePence: participation.funding.dayRatePence,
    },
    years,
    current: years.find((y) => y.year === currentYear?.year) ?? null,
    entries: ledger.map((e) => {
      const reversal = reversals.get(e.id)
      return {
        id: e.id,
        kind: e.kind,
        on: e.on,
        half: e.half,
        activity: e.activity,
        activityName: RELEASE_ACTIVITIES[e.activity],
        note: e.note,
        year: yearOf(spans, e.on)?.year ?? null,
        loggedAs: e.loggedAs,
        loggedByName: e.loggedByName,
        loggedAt: e.loggedAt,
        reversedBy: reversal
          ? { id: reversal.id, reason: reversal.reason!, at: reversal.loggedAt, loggedAs: reversal.loggedAs }
          : null,
        reverses: e.reversesEntryId,
        reason: e.reason,
      }
    }),
    approvals,
  }
}
