// SQL for the retention policy: which applications are unsuccessful, since when, and deleting them
// with everything that hangs off them, leaving only counts per cohort, hub and outcome.
import { sql } from 'kysely'
import type { Tx } from '../../db/database.ts'
import type { UnsuccessfulOutcome } from '../../db/schema.ts'

export type { UnsuccessfulOutcome }

export const UNSUCCESSFUL_OUTCOMES = [
  'withdrawn',
  'not-submitted',
  'endorsement-declined',
  'not-selected',
  'offer-declined',
  'offer-lapsed',
  'reserve-not-offered',
] as const satisfies readonly UnsuccessfulOutcome[]

/**
 * Why an application is unsuccessful (null while it is not). The application row is `a`, its
 * cohort `c`, its decision `d` (left joined). Before release a decision is not the applicant's yet.
 */
const outcome = sql<UnsuccessfulOutcome | null>`CASE
  WHEN a.state = 'withdrawn' THEN 'withdrawn'
  WHEN a.state IN ('draft', 'awaiting-endorsement', 'endorsed') THEN 'not-submitted'
  WHEN a.state = 'endorsement-declined' THEN 'endorsement-declined'
  WHEN d.released_at IS NULL THEN NULL
  WHEN d.offer_state = 'declined' THEN 'offer-declined'
  WHEN d.offer_state = 'lapsed' THEN 'offer-lapsed'
  WHEN d.decision = 'not-selected' THEN 'not-selected'
  WHEN d.decision = 'reserve' AND d.offer_state IS NULL THEN 'reserve-not-offered'
END`

/**
 * When a cohort's offers are finished: reserves not offered a place by the start of the
 * development year (1 September, midnight in the UK) will not be.
 */
const offersFinished = sql`make_timestamptz(substr(c.development_year, 1, 4)::int, 9, 1, 0, 0, 0, 'Europe/London')`

/**
 * When the application became unsuccessful: withdrawn; the window closed without a submission
 * (and, for a declined endorsement, not before the headteacher declined); the decision released;
 * the place declined or lapsed; the cohort's offers finished for a reserve never offered one.
 */
const unsuccessfulSince = sql<Date | null>`CASE
  WHEN a.state = 'withdrawn' THEN a.withdrawn_at
  WHEN a.state IN ('draft', 'awaiting-endorsement', 'endorsed') THEN c.closes_at
  WHEN a.state = 'endorsement-declined' THEN greatest(a.endorsement_declined_at, c.closes_at)
  WHEN d.released_at IS NULL THEN NULL
  WHEN d.offer_state = 'declined' THEN coalesce(d.declined_at, d.updated_at)
  WHEN d.offer_state = 'lapsed' THEN d.respond_by
  WHEN d.decision = 'not-selected' THEN d.released_at
  WHEN d.decision = 'reserve' AND d.offer_state IS NULL THEN greatest(d.released_at, ${offersFinished})
END`

/** The instant `months` calendar months before `now` in UK time: anything unsuccessful since then is due. */
export async function retentionCutoff(tx: Tx, now: Date, months: number): Promise<Date> {
  const result = await sql<{ cutoff: Date }>`
    SELECT ((${now}::timestamptz AT TIME ZONE 'Europe/London') - make_interval(months => ${months}))
      AT TIME ZONE 'Europe/London' AS cutoff`.execute(tx)
  return new Date(result.rows[0]!.cutoff)
}

export interface DueApplication {
  id: number
  cohortId: string
  hubId: string | null
  outcome: UnsuccessfulOutcome
}

/**
 * Claims up to `limit` applications unsuccessful since `cutoff` or before, locking them (SKIP
 * LOCKED: another process running the job takes others). An application with a participation,
 * or with a place offered or accepted, is never claimed.
 */
export async function claimDueApplications(tx: Tx, cutoff: Date, limit: number): Promise<DueApplication[]> {
  const result = await sql<{
    id: string | number
    cohort_id: string
    hub_id: string | null
    outcome: UnsuccessfulOutcome
  }>`
    SELECT a.id, a.cohort_id, a.hub_id, ${outcome} AS outcome
    FROM applications a
    JOIN cohorts c ON c.id = a.cohort_id
    LEFT JOIN selection_decisions d ON d.application_id = a.id
    WHERE ${unsuccessfulSince} <= ${cutoff}
      AND NOT EXISTS (SELECT 1 FROM participations p WHERE p.application_id = a.id)
      AND (d.offer_state IS NULL OR d.offer_state NOT IN ('offered', 'accepted'))
    ORDER BY a.id
    LIMIT ${limit}
    FOR UPDATE OF a SKIP LOCKED`.execute(tx)
  return result.rows.map((r) => ({
    id: Number(r.id),
    cohortId: r.cohort_id,
    hubId: r.hub_id,
    outcome: r.outcome,
  }))
}

/** Deletes the applications with their history, endorsement requests, the hub's requests to headteachers, reviews and decisions. */
export async function deleteApplications(tx: Tx, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  await tx
    .deleteFrom('reviews')
    .where('assignment_id', 'in', (eb) =>
      eb.selectFrom('review_assignments').select('id').where('application_id', 'in', ids),
    )
    .execute()
  await tx.deleteFrom('review_assignments').where('application_id', 'in', ids).execute()
  await tx.deleteFrom('selection_decisions').where('application_id', 'in', ids).execute()
  await tx.deleteFrom('endorsement_requests').where('application_id', 'in', ids).execute()
  await tx.deleteFrom('headteacher_confirmations').where('application_id', 'in', ids).execute()
  await tx.deleteFrom('application_history').where('application_id', 'in', ids).execute()
  await tx.deleteFrom('applications').where('id', 'in', ids).execute()
}

/** Adds the deleted applications to the counts kept for statistics. */
export async function countDeleted(tx: Tx, deleted: DueApplication[], now: Date): Promise<void> {
  const groups = new Map<
    string,
    { cohortId: string; hubId: string | null; outcome: UnsuccessfulOutcome; n: number }
  >()
  for (const d of deleted) {
    const key = JSON.stringify([d.cohortId, d.hubId, d.outcome])
    const group = groups.get(key) ?? { cohortId: d.cohortId, hubId: d.hubId, outcome: d.outcome, n: 0 }
    group.n++
    groups.set(key, group)
  }
  for (const g of groups.values()) {
    await sql`
      INSERT INTO deleted_application_counts (cohort_id, hub_id, outcome, applications, last_deleted_at)
      VALUES (${g.cohortId}, ${g.hubId}, ${g.outcome}, ${g.n}, ${now})
      ON CONFLICT (cohort_id, hub_id, outcome) DO UPDATE
        SET applications = deleted_application_counts.applications + excluded.applications,
            last_deleted_at = excluded.last_deleted_at`.execute(tx)
  }
}
