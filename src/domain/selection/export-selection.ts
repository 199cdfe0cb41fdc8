// Use-case: a cohort's applications with their scores and decisions as a spreadsheet (CSV or
// XLSX), for one hub's leads and administrators and for NCETM, or every hub's at once for NCETM.
// Every application submitted to the round is a row, withdrawn ones too (marked so); each hub's
// are ranked among themselves. The export is recorded in the audit trail with its counts only:
// no personal data.
import { z } from 'zod'
import type { OfferState, SelectionDecision } from '../../db/schema.ts'
import { NotFoundError, parseInput } from '../../errors.ts'
import {
  tableToCsv,
  tableToXlsx,
  type CellValue,
  type Table,
  type TableColumn,
} from '../../lib/table-file.ts'
import { STATE_NAMES } from '../applications/application.states.ts'
import { findCohort } from '../programmes/programmes.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { asCompletedReview, type RankedEntry, type UnrankedEntry } from './deciding/round-ranking.ts'
import { reviewTotal } from './reviewing/scores.ts'
import { canReadEverySelection, canReadHubSelection } from './selection-read.policy.ts'
import { findHubName } from '../hubs/hubs.repository.ts'
import { listHubRounds, type RoundApplication } from './selection-read.repository.ts'
import { findRound } from './rounds.repository.ts'
import { scoreRounds } from './view-selection.ts'

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

const exportRequest = z.object({
  /** One hub's round; absent for every hub's (NCETM only). */
  hubId: z.string().regex(SLUG).max(120).optional(),
  cohortId: z.string().regex(SLUG).max(120),
  format: z.enum(EXPORT_FORMATS),
})

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

export interface SelectionExport {
  fileName: string
  contentType: string
  body: Buffer
  rows: number
}

const DECISION_LABELS: Record<SelectionDecision, string> = {
  selected: 'Selected',
  reserve: 'Reserve',
  'not-selected': 'Not selected',
}

const OFFER_LABELS: Record<OfferState, string> = {
  offered: 'Offered',
  accepted: 'Accepted',
  declined: 'Declined',
  lapsed: 'Lapsed',
}

type Entry = RankedEntry<RoundApplication> | UnrankedEntry<RoundApplication>

/** Ranked first by rank, then those not yet reviewed or not meeting a criterion, then withdrawn ones. */
const UNRANKED_ORDER = { 'not-reviewed': 1, 'essential-not-met': 2, withdrawn: 3 } as const

function entryOrder(a: Entry, b: Entry): number {
  const place = (e: Entry) => ('rank' in e ? 0 : UNRANKED_ORDER[e.reason])
  return (
    (a.application.hubName ?? '\uffff').localeCompare(b.application.hubName ?? '\uffff') ||
    place(a) - place(b) ||
    ('rank' in a && 'rank' in b ? a.rank - b.rank : 0) ||
    a.application.submittedAt.getTime() - b.application.submittedAt.getTime() ||
    a.application.id - b.application.id
  )
}

export async function exportSelection(context: UseCaseContext, raw: unknown): Promise<SelectionExport> {
  const { hubId, cohortId, format } = parseInput(exportRequest, raw)
  const allowed =
    hubId === undefined ? canReadEverySelection(context.actor) : canReadHubSelection(context.actor, hubId)
  if (!allowed) throw new NotFoundError('Export')
  return inTransaction(context, async ({ tx, now, audit }) => {
    const cohort = await findCohort(tx, cohortId)
    if (!cohort) throw new NotFoundError('Export')
    // Room for every completed review, and at least the number each round asks for.
    let reviewsAsked: number
    if (hubId !== undefined) {
      if ((await findHubName(tx, hubId)) === undefined) throw new NotFoundError('Export')
      reviewsAsked = (await findRound(tx, hubId, cohortId)).reviewsPerApplication
    } else {
      reviewsAsked = Math.max(0, ...(await listHubRounds(tx, cohortId)).map((r) => r.reviewsPerApplication))
    }
    const scored = await scoreRounds(tx, cohort, { cohortId, hubId })
    const entries: Entry[] = [...scored.ranking.ranked, ...scored.ranking.unranked].sort(entryOrder)
    const reviewerColumns = Math.max(reviewsAsked, ...[...scored.reviews.values()].map((list) => list.length))

    const columns: TableColumn[] = [
      ...(hubId === undefined ? [{ header: 'Hub', kind: 'text' } as const] : []),
      { header: 'Reference', kind: 'text' },
      { header: 'Applicant', kind: 'text' },
      { header: 'Email', kind: 'text' },
      { header: 'School', kind: 'text' },
      { header: 'URN', kind: 'number' },
      { header: 'School phase', kind: 'text' },
      { header: 'Percentage FSM', kind: 'number' },
      { header: 'State', kind: 'text' },
      { header: 'Submitted at (UK time)', kind: 'date' },
      { header: 'Withdrawn at (UK time)', kind: 'date' },
      { header: 'Reviews completed', kind: 'number' },
      { header: 'Median total', kind: 'number' },
      { header: 'Spread', kind: 'number' },
      ...Array.from({ length: reviewerColumns }, (_, i) => [
        { header: `Reviewer ${i + 1}`, kind: 'text' } as const,
        { header: `Reviewer ${i + 1} total`, kind: 'number' } as const,
      ]).flat(),
      { header: 'Essential criteria not met', kind: 'text' },
      { header: 'Essential criteria disputed', kind: 'text' },
      { header: 'Rank', kind: 'number' },
      { header: 'Decision', kind: 'text' },
      { header: 'Reserve order', kind: 'number' },
      { header: 'Reason code', kind: 'text' },
      { header: 'Feedback', kind: 'text' },
      { header: 'Feedback shared', kind: 'text' },
      { header: 'Released at (UK time)', kind: 'date' },
      { header: 'Offer', kind: 'text' },
    ]
    const rows = entries.map((entry): CellValue[] => {
      const a = entry.application
      const reviews = scored.reviews.get(a.id) ?? []
      const decision = scored.decisions.get(a.id)
      const criteria = (outcome: 'not-met' | 'disputed') =>
        entry.score.essential
          .filter((e) => e.outcome === outcome)
          .map((e) => e.text)
          .join('; ')
      return [
        ...(hubId === undefined ? [a.hubName] : []),
        a.reference,
        a.applicantName,
        a.applicantEmail,
        a.schoolName,
        a.schoolUrn,
        a.schoolPhase,
        a.percentageFsm,
        a.state === 'withdrawn' ? 'Withdrawn after submission' : STATE_NAMES[a.state],
        a.submittedAt,
        a.withdrawnAt,
        entry.score.reviews,
        entry.score.median ?? null,
        entry.score.reviews > 0 ? entry.score.spread : null,
        ...Array.from({ length: reviewerColumns }, (_, i) => {
          const review = reviews[i]
          return review ? [review.reviewerName, reviewTotal(asCompletedReview(review))] : [null, null]
        }).flat(),
        criteria('not-met'),
        criteria('disputed'),
        'rank' in entry ? entry.rank : null,
        decision ? DECISION_LABELS[decision.decision] : null,
        decision?.reserveRank ?? null,
        decision?.reasonCode ?? null,
        decision?.feedback ?? null,
        decision ? (decision.shareFeedback ? 'Yes' : 'No') : null,
        decision?.releasedAt ?? null,
        decision?.offerState ? OFFER_LABELS[decision.offerState] : null,
      ]
    })
    const table: Table = { sheetName: 'Applications', columns, rows }
    const body = format === 'csv' ? tableToCsv(table) : await tableToXlsx(table, now)
    await audit({
      action: 'selection.export',
      recordType: hubId === undefined ? 'cohort' : 'selection-round',
      recordId: hubId === undefined ? cohortId : `${hubId}/${cohortId}`,
      after: {
        format,
        hubId: hubId ?? null,
        cohortId,
        rows: rows.length,
        withdrawn: entries.filter((e) => e.application.state === 'withdrawn').length,
        ranked: scored.ranking.ranked.length,
        decisions: scored.decisions.size,
      },
    })
    return {
      fileName: `${hubId ?? 'all-hubs'}-${cohortId}-applications.${format}`,
      contentType: CONTENT_TYPES[format],
      body,
      rows: rows.length,
    }
  })
}
