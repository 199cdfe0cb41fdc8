// SQL for what is owed: the records that make money owed (release used, support visits, grants
// due), the owed items with the sum of their changes, and the append-only writes.
import { sql } from 'kysely'
import type { Executor, Tx } from '../../../db/database.ts'
import type { CohortFunding, OwedKind } from '../../../db/schema.ts'
import type { StageSpan } from '../../participants/release-time/release-years.ts'

export interface PayingParticipation {
  id: number
  hubId: string
  schoolUrn: number
  programmeId: string
  funding: CohortFunding
  stages: StageSpan[]
}

/**
 * Participations with a hub and a school: every hub's, or one hub's together with any others named
 * (the specialists who support the hub's Work Groups from elsewhere).
 */
export async function payingParticipations(
  db: Executor,
  hubId?: string,
  alsoIds: readonly number[] = [],
): Promise<PayingParticipation[]> {
  let query = db
    .selectFrom('participations as p')
    .innerJoin('cohorts as c', 'c.id', 'p.cohort_id')
    .select(['p.id', 'p.hub_id', 'p.school_urn', 'c.programme_id', 'c.funding'])
    .where('p.hub_id', 'is not', null)
    .where('p.school_urn', 'is not', null)
  if (hubId !== undefined) {
    query = query.where((eb) =>
      alsoIds.length === 0
        ? eb('p.hub_id', '=', hubId)
        : eb.or([eb('p.hub_id', '=', hubId), eb('p.id', 'in', [...alsoIds])]),
    )
  }
  const rows = await query.orderBy('p.id').execute()
  const found = new Map<number, PayingParticipation>()
  for (const r of rows) {
    found.set(r.id, {
      id: r.id,
      hubId: r.hub_id as string,
      schoolUrn: r.school_urn as number,
      programmeId: r.programme_id,
      funding: (typeof r.funding === 'string' ? JSON.parse(r.funding) : r.funding) as CohortFunding,
      stages: [],
    })
  }
  if (found.size === 0) return []
  const stages = await db
    .selectFrom('participation_stages')
    .select(['participation_id', 'stage', 'starts_on', 'ends_on'])
    .where('participation_id', 'in', [...found.keys()])
    .orderBy('starts_on')
    .execute()
  for (const s of stages) {
    found.get(s.participation_id)?.stages.push({ stage: s.stage, startsOn: s.starts_on, endsOn: s.ends_on })
  }
  return [...found.values()]
}

export interface SupportVisitSource {
  id: number
  participationId: number
  workGroupId: number
  hubId: string
  payeeUrn: number
  programmeId: string
  visitedOn: string
  halfDays: number
  visitedSchoolName: string
}

/**
 * Support visits, paid to the specialist's school at their programme's support rate: every hub's,
 * or those in one hub's Work Groups or by its specialists (which use up their release days).
 */
export async function supportVisitSources(db: Executor, hubId?: string): Promise<SupportVisitSource[]> {
  let query = db
    .selectFrom('work_group_support_visits as v')
    .innerJoin('work_groups as g', 'g.id', 'v.work_group_id')
    .innerJoin('participations as p', 'p.id', 'v.participation_id')
    .innerJoin('cohorts as c', 'c.id', 'p.cohort_id')
    .innerJoin('schools as s', 's.urn', 'v.school_urn')
    .select([
      'v.id',
      'v.participation_id',
      'v.work_group_id',
      'g.hub_id',
      'p.school_urn',
      'c.programme_id',
      'v.visited_on',
      'v.half_days',
      's.name as school_name',
    ])
    .where('p.school_urn', 'is not', null)
  if (hubId !== undefined)
    query = query.where((eb) => eb.or([eb('g.hub_id', '=', hubId), eb('p.hub_id', '=', hubId)]))
  const rows = await query.orderBy('v.visited_on').orderBy('v.id').execute()
  return rows.map((r) => ({
    id: r.id,
    participationId: r.participation_id,
    workGroupId: r.work_group_id,
    hubId: r.hub_id,
    payeeUrn: r.school_urn as number,
    programmeId: r.programme_id,
    visitedOn: r.visited_on,
    halfDays: r.half_days,
    visitedSchoolName: r.school_name,
  }))
}

export interface GrantSource {
  id: number
  workGroupId: number
  workGroupName: string
  hubId: string
  schoolUrn: number
  amountPence: number
  dueOn: string
}

/** Participation grants due, paid to the Work Group school. */
export async function grantSources(db: Executor, hubId?: string): Promise<GrantSource[]> {
  let query = db
    .selectFrom('work_group_grants_due as d')
    .innerJoin('work_groups as g', 'g.id', 'd.work_group_id')
    .select([
      'd.id',
      'd.work_group_id',
      'g.name',
      'g.hub_id',
      'd.school_urn',
      'd.amount_pence',
      sql<string>`(d.due_at AT TIME ZONE 'Europe/London')::date::text`.as('due_on'),
    ])
  if (hubId !== undefined) query = query.where('g.hub_id', '=', hubId)
  const rows = await query.orderBy('d.id').execute()
  return rows.map((r) => ({
    id: r.id,
    workGroupId: r.work_group_id,
    workGroupName: r.name,
    hubId: r.hub_id,
    schoolUrn: r.school_urn,
    amountPence: r.amount_pence,
    dueOn: r.due_on,
  }))
}

export interface OwedBalance {
  id: number
  kind: OwedKind
  sourceId: number
  amountPence: number
}

/** Every owed item (of a hub) with its amount: the sum of its changes. */
export async function owedBalances(db: Executor, hubId?: string): Promise<OwedBalance[]> {
  let query = db
    .selectFrom('owed_items as i')
    .leftJoin('owed_changes as c', 'c.owed_item_id', 'i.id')
    .select(['i.id', 'i.kind', 'i.source_id', sql<string>`coalesce(sum(c.amount_pence), 0)`.as('amount')])
    .groupBy(['i.id', 'i.kind', 'i.source_id'])
  if (hubId !== undefined) query = query.where('i.hub_id', '=', hubId)
  const rows = await query.execute()
  return rows.map((r) => ({ id: r.id, kind: r.kind, sourceId: r.source_id, amountPence: Number(r.amount) }))
}

export interface NewOwedItem {
  kind: OwedKind
  sourceId: number
  hubId: string
  schoolUrn: number
  participationId: number | null
  workGroupId: number | null
  onDate: string
  description: string
}

export async function insertOwedItems(
  tx: Tx,
  items: readonly NewOwedItem[],
  now: Date,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (let start = 0; start < items.length; start += 1000) {
    const rows = await tx
      .insertInto('owed_items')
      .values(
        items.slice(start, start + 1000).map((i) => ({
          kind: i.kind,
          source_id: i.sourceId,
          hub_id: i.hubId,
          school_urn: i.schoolUrn,
          participation_id: i.participationId,
          work_group_id: i.workGroupId,
          on_date: i.onDate,
          description: i.description,
          created_at: now,
        })),
      )
      .returning(['id', 'kind', 'source_id'])
      .execute()
    for (const r of rows) ids.set(`${r.kind}:${r.source_id}`, r.id)
  }
  return ids
}

export interface NewOwedChange {
  owedItemId: number
  amountPence: number
  fundingRuleId: number | null
  reason: string
}

export async function insertOwedChanges(
  tx: Tx,
  changes: readonly NewOwedChange[],
  now: Date,
): Promise<number[]> {
  const ids: number[] = []
  for (let start = 0; start < changes.length; start += 1000) {
    const rows = await tx
      .insertInto('owed_changes')
      .values(
        changes.slice(start, start + 1000).map((c) => ({
          owed_item_id: c.owedItemId,
          amount_pence: c.amountPence,
          funding_rule_id: c.fundingRuleId,
          reason: c.reason,
          created_at: now,
        })),
      )
      .returning('id')
      .execute()
    ids.push(...rows.map((r) => r.id))
  }
  return ids
}
