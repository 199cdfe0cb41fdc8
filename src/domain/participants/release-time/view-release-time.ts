// A participation's release time, as the specialist's "My programme" page, the hub's pages and
// the API show it: days used against days funded for each year begun, and every ledger entry with
// its reversal shown, and the Work Group support visits that count beside them. Seen by the specialist, the team running their hub and NCETM; anyone else
// is told it is not there.
//
// The read model (all figures in half days, 1 = half a day; daysText() shows them as days):
//   years[]    { year, stage, label, startsOn, endsOn, fundedHalfDays, approvedExtraHalfDays,
//                loggedHalfDays, supportHalfDays, usedHalfDays (logged + support),
//                remainingHalfDays, overByHalfDays }
//   current    the year today falls in, or null (deferred, withdrawn)
//   entries[]  each use and each reversal, latest date first: { id, kind, on, half, activity,
//              activityName, note, year, loggedAs, loggedByName, loggedAt, reversedBy (a use's
//              reversal: id, reason, at, loggedAs), reverses (a reversal's use id), reason }
//   supportVisits[] the specialist's Work Group support visits, latest first: { id, on,
//              workGroupId, workGroupName, schoolUrn, schoolName, halfDays, year (null for a date
//              in no year of the programme, which counts in none) }
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
import { supportVisitsOf, type SupportTime } from './support-visits.repository.ts'
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

export interface SupportVisitView extends Omit<SupportTime, 'participationId'> {
  /** The participation year the visit's date falls in; null when it falls in none. */
  year: number | null
}

export interface ReleaseTimeView {
  participationId: number
  personId: number
  hubId: string | null
  funding: { releaseDaysPerYear: number; dayRatePence: number }
  years: ReleaseYearSummary[]
  current: ReleaseYearSummary | null
  entries: ReleaseEntryView[]
  supportVisits: SupportVisitView[]
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
  const [ledger, approvals, support] = await Promise.all([
    ledgerEntries(context.db, participationId),
    listApprovals(context.db, [participationId]),
    supportVisitsOf(context.db, [participationId]),
  ])
  const reversals = new Map(ledger.filter((e) => e.kind === 'reversal').map((e) => [e.reversesEntryId!, e]))
  const liveDates = ledger.filter((e) => e.kind === 'use' && !reversals.has(e.id)).map((e) => e.on)
  const funded = fundedHalfDays(participation.funding.releaseDaysPerYear)
  const years = summariseYears(participation.stages, today, funded, liveDates, approvals, support)
  const latest = [...ledger, ...support].reduce((d, e) => (e.on > d ? e.on : d), today)
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
    supportVisits: support.map((v) => ({
      id: v.id,
      on: v.on,
      workGroupId: v.workGroupId,
      workGroupName: v.workGroupName,
      schoolUrn: v.schoolUrn,
      schoolName: v.schoolName,
      halfDays: v.halfDays,
      year: yearOf(spans, v.on)?.year ?? null,
    })),
    approvals,
  }
}
