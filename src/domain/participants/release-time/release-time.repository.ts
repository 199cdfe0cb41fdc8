// SQL for release time: the participation with its cohort's funding, the append-only ledger of
// half days (uses, and reversals that take a use back) and the extra days approved. Writes to one
// participation's release time take its row lock first, so the funded-days check and the insert
// that follows it see the same ledger.
import { sql } from 'kysely'
import type { Executor, Tx } from '../../../db/database.ts'
import type { CohortFunding } from '../../../db/schema.ts'
import { listStages } from '../participants.repository.ts'
import type { StageSpan } from './release-years.ts'
import type { ReleaseActivity, ReleaseHalf, ReleaseLoggedAs } from './release-time.ts'

export interface ReleaseParticipation {
  id: number
  personId: number
  hubId: string | null
  cohortId: string
  funding: CohortFunding
  stages: StageSpan[]
}

function asFunding(value: unknown): CohortFunding {
  return (typeof value === 'string' ? JSON.parse(value) : value) as CohortFunding
}

/** Holds the participation's row until the transaction ends; false when there is none. */
export async function lockParticipation(tx: Tx, participationId: number): Promise<boolean> {
  const row = await tx
    .selectFrom('participations')
    .select('id')
    .where('id', '=', participationId)
    .forNoKeyUpdate()
    .executeTakeFirst()
  return row !== undefined
}

export async function findReleaseParticipation(
  db: Executor,
  participationId: number,
): Promise<ReleaseParticipation | undefined> {
  const row = await db
    .selectFrom('participations')
    .innerJoin('cohorts', 'cohorts.id', 'participations.cohort_id')
    .select([
      'participations.id',
      'participations.person_id',
      'participations.hub_id',
      'participations.cohort_id',
      'cohorts.funding',
    ])
    .where('participations.id', '=', participationId)
    .executeTakeFirst()
  if (!row) return undefined
  const stages = await listStages(db, participationId)
  return {
    id: row.id,
    personId: row.person_id,
    hubId: row.hub_id,
    cohortId: row.cohort_id,
    funding: asFunding(row.funding),
    stages: stages.map((s) => ({ stage: s.stage, startsOn: s.startsOn, endsOn: s.endsOn })),
  }
}

/** Many participations at once, for a roster: funding and stages by participation id. */
export async function findReleaseParticipations(
  db: Executor,
  participationIds: readonly number[],
): Promise<Map<number, ReleaseParticipation>> {
  const found = new Map<number, ReleaseParticipation>()
  if (participationIds.length === 0) return found
  const rows = await db
    .selectFrom('participations')
    .innerJoin('cohorts', 'cohorts.id', 'participations.cohort_id')
    .select([
      'participations.id',
      'participations.person_id',
      'participations.hub_id',
      'participations.cohort_id',
      'cohorts.funding',
    ])
    .where('participations.id', 'in', [...participationIds])
    .execute()
  for (const row of rows) {
    found.set(row.id, {
      id: row.id,
      personId: row.person_id,
      hubId: row.hub_id,
      cohortId: row.cohort_id,
      funding: asFunding(row.funding),
      stages: [],
    })
  }
  const stages = await db
    .selectFrom('participation_stages')
    .select(['participation_id', 'stage', 'starts_on', 'ends_on'])
    .where('participation_id', 'in', [...participationIds])
    .orderBy('starts_on')
    .execute()
  for (const s of stages) {
    found.get(s.participation_id)?.stages.push({ stage: s.stage, startsOn: s.starts_on, endsOn: s.ends_on })
  }
  return found
}

export interface LiveUse {
  id: number
  participationId: number
  on: string
  half: ReleaseHalf
  activity: ReleaseActivity
}

/** Uses not reversed, of the participations, optionally from a date (inclusive) on. */
export async function liveUses(
  db: Executor,
  participationIds: readonly number[],
  { from }: { from?: string } = {},
): Promise<LiveUse[]> {
  if (participationIds.length === 0) return []
  let query = db
    .selectFrom('release_entries as u')
    .select(['u.id', 'u.participation_id', 'u.on_date', 'u.half', 'u.activity'])
    .where('u.kind', '=', 'use')
    .where('u.participation_id', 'in', [...participationIds])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('release_entries as r').select('r.id').whereRef('r.reverses_entry_id', '=', 'u.id'),
        ),
      ),
    )
  if (from !== undefined) query = query.where('u.on_date', '>=', from)
  const rows = await query.orderBy('u.on_date').orderBy('u.half', 'desc').orderBy('u.id').execute()
  return rows.map((r) => ({
    id: r.id,
    participationId: r.participation_id,
    on: r.on_date,
    half: r.half,
    activity: r.activity,
  }))
}

/** The reversal of this half day that no later use follows yet: the one a new use must follow. */
export async function reversalToFollow(
  db: Executor,
  participationId: number,
  on: string,
  half: ReleaseHalf,
): Promise<number | null> {
  const row = await db
    .selectFrom('release_entries as r')
    .select('r.id')
    .where('r.kind', '=', 'reversal')
    .where('r.participation_id', '=', participationId)
    .where('r.on_date', '=', on)
    .where('r.half', '=', half)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('release_entries as u').select('u.id').whereRef('u.follows_reversal_id', '=', 'r.id'),
        ),
      ),
    )
    .orderBy('r.id', 'desc')
    .executeTakeFirst()
  return row ? row.id : null
}

export interface LedgerEntry {
  id: number
  participationId: number
  kind: 'use' | 'reversal'
  on: string
  half: ReleaseHalf
  activity: ReleaseActivity
  note: string | null
  reversesEntryId: number | null
  reason: string | null
  loggedAs: ReleaseLoggedAs
  loggedByName: string | null
  loggedAt: Date
}

/** Every entry of the participation, latest date first (a reversal just after what it reverses). */
export async function ledgerEntries(db: Executor, participationId: number): Promise<LedgerEntry[]> {
  const rows = await db
    .selectFrom('release_entries as e')
    .leftJoin('people as p', 'p.id', 'e.logged_by')
    .select([
      'e.id',
      'e.participation_id',
      'e.kind',
      'e.on_date',
      'e.half',
      'e.activity',
      'e.note',
      'e.reverses_entry_id',
      'e.reason',
      'e.logged_as',
      'e.created_at',
      'p.name as logged_by_name',
    ])
    .where('e.participation_id', '=', participationId)
    .orderBy('e.on_date', 'desc')
    .orderBy('e.half', 'desc')
    .orderBy('e.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    participationId: r.participation_id,
    kind: r.kind,
    on: r.on_date,
    half: r.half,
    activity: r.activity,
    note: r.note,
    reversesEntryId: r.reverses_entry_id,
    reason: r.reason,
    loggedAs: r.logged_as,
    loggedByName: r.logged_by_name,
    loggedAt: r.created_at,
  }))
}

export async function findEntry(
  db: Executor,
  participationId: number,
  entryId: number,
): Promise<(LedgerEntry & { reversedById: number | null }) | undefined> {
  const row = await db
    .selectFrom('release_entries as e')
    .leftJoin('release_entries as r', 'r.reverses_entry_id', 'e.id')
    .select([
      'e.id',
      'e.participation_id',
      'e.kind',
      'e.on_date',
      'e.half',
      'e.activity',
      'e.note',
      'e.reverses_entry_id',
      'e.reason',
      'e.logged_as',
      'e.created_at',
      'r.id as reversed_by_id',
    ])
    .where('e.id', '=', entryId)
    .where('e.participation_id', '=', participationId)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    id: row.id,
    participationId: row.participation_id,
    kind: row.kind,
    on: row.on_date,
    half: row.half,
    activity: row.activity,
    note: row.note,
    reversesEntryId: row.reverses_entry_id,
    reason: row.reason,
    loggedAs: row.logged_as,
    loggedByName: null,
    loggedAt: row.created_at,
    reversedById: row.reversed_by_id,
  }
}

export async function insertUse(
  tx: Tx,
  values: {
    participationId: number
    on: string
    half: ReleaseHalf
    activity: ReleaseActivity
    note: string | null
    followsReversalId: number | null
    loggedBy: number | null
    loggedAs: ReleaseLoggedAs
    now: Date
  },
): Promise<number> {
  const row = await tx
    .insertInto('release_entries')
    .values({
      participation_id: values.participationId,
      kind: 'use',
      on_date: values.on,
      half: values.half,
      activity: values.activity,
      note: values.note,
      follows_reversal_id: values.followsReversalId,
      logged_by: values.loggedBy,
      logged_as: values.loggedAs,
      created_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertReversal(
  tx: Tx,
  entry: Pick<LedgerEntry, 'id' | 'participationId' | 'on' | 'half' | 'activity'>,
  values: { reason: string; loggedBy: number | null; loggedAs: ReleaseLoggedAs; now: Date },
): Promise<number> {
  const row = await tx
    .insertInto('release_entries')
    .values({
      participation_id: entry.participationId,
      kind: 'reversal',
      on_date: entry.on,
      half: entry.half,
      activity: entry.activity,
      reverses_entry_id: entry.id,
      reason: values.reason,
      logged_by: values.loggedBy,
      logged_as: values.loggedAs,
      created_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export interface ExtraDaysApproval {
  id: number
  participationId: number
  year: number
  halfDays: number
  reason: string
  approvedAs: 'hub' | 'ncetm'
  approvedByName: string | null
  approvedAt: Date
}

export async function approvals(
  db: Executor,
  participationIds: readonly number[],
): Promise<ExtraDaysApproval[]> {
  if (participationIds.length === 0) return []
  const rows = await db
    .selectFrom('release_extra_days as a')
    .leftJoin('people as p', 'p.id', 'a.approved_by')
    .select([
      'a.id',
      'a.participation_id',
      'a.year',
      'a.half_days',
      'a.reason',
      'a.approved_as',
      'a.created_at',
      'p.name as approved_by_name',
    ])
    .where('a.participation_id', 'in', [...participationIds])
    .orderBy('a.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    participationId: r.participation_id,
    year: r.year,
    halfDays: r.half_days,
    reason: r.reason,
    approvedAs: r.approved_as,
    approvedByName: r.approved_by_name,
    approvedAt: r.created_at,
  }))
}

export async function insertApproval(
  tx: Tx,
  values: {
    participationId: number
    year: number
    halfDays: number
    reason: string
    approvedBy: number | null
    approvedAs: 'hub' | 'ncetm'
    now: Date
  },
): Promise<number> {
  const row = await tx
    .insertInto('release_extra_days')
    .values({
      participation_id: values.participationId,
      year: values.year,
      half_days: values.halfDays,
      reason: values.reason,
      approved_by: values.approvedBy,
      approved_as: values.approvedAs,
      created_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Rows in the ledger and approvals of a participation (tests count them to prove nothing was saved). */
export async function releaseRowCount(db: Executor, participationId: number): Promise<number> {
  const row = await sql<{ n: string }>`
    SELECT (SELECT count(*) FROM release_entries WHERE participation_id = ${participationId})
         + (SELECT count(*) FROM release_extra_days WHERE participation_id = ${participationId}) AS n`.execute(
    db,
  )
  return Number(row.rows[0]!.n)
}
