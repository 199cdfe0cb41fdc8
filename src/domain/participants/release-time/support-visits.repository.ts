// The in-school support visits a lead specialist made for a Work Group, read by participation: the
// half-days they took count as release time beside the ledger's (ADR 0023). The Work Group sessions'
// area records the visits (work_group_support_visits) and reads its own group's list; this file is
// the one reader of them by participation, so release time, its checks and the roster's pace add
// them up the same way. It sits here, not with the sessions, because Work Groups read the
// participants' area and never the other way round. SQL only; the first argument is the db or a
// transaction.
import { sql } from 'kysely'
import type { Executor } from '../../../db/database.ts'

export interface SupportTime {
  id: number
  participationId: number
  workGroupId: number
  workGroupName: string
  schoolUrn: number
  schoolName: string
  /** A UK date, YYYY-MM-DD. */
  on: string
  /** 1 to 4. */
  halfDays: number
}

/** The participations' support visits, latest first. */
export async function supportVisitsOf(
  db: Executor,
  participationIds: readonly number[],
): Promise<SupportTime[]> {
  if (participationIds.length === 0) return []
  const rows = await db
    .selectFrom('work_group_support_visits as v')
    .innerJoin('work_groups as g', 'g.id', 'v.work_group_id')
    .innerJoin('schools', 'schools.urn', 'v.school_urn')
    .select([
      'v.id',
      'v.participation_id',
      'v.work_group_id',
      'g.name as work_group_name',
      'v.school_urn',
      'schools.name as school_name',
      sql<string>`v.visited_on::text`.as('visited_on'),
      'v.half_days',
    ])
    .where('v.participation_id', 'in', [...participationIds])
    .orderBy('v.visited_on', 'desc')
    .orderBy('v.id', 'desc')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    participationId: Number(r.participation_id),
    workGroupId: Number(r.work_group_id),
    workGroupName: r.work_group_name,
    schoolUrn: r.school_urn,
    schoolName: r.school_name,
    on: r.visited_on,
    halfDays: r.half_days,
  }))
}

/** A specialist's support half-days from one date to another, both included (YYYY-MM-DD). */
export async function supportHalfDays(
  db: Executor,
  participationId: number,
  fromDate: string,
  toDate: string,
): Promise<number> {
  const row = await db
    .selectFrom('work_group_support_visits')
    .select(sql<string>`coalesce(sum(half_days), 0)`.as('n'))
    .where('participation_id', '=', participationId)
    .where(sql<boolean>`visited_on BETWEEN ${fromDate}::date AND ${toDate}::date`)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
