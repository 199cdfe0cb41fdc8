// Reading a school's part in Work Groups: its interests with their support requests, advocates
// (current and past) and history; a hub's interests for a programme and year; the schools in a
// group. SQL only; the first argument is the db or a transaction.
import { sql } from 'kysely'
import type { Executor } from '../../../db/database.ts'
import type { SupportRole, WorkGroupInterestStatus, WorkGroupState } from '../../../db/schema.ts'

export interface SupportRequestRow {
  id: number
  role: SupportRole
  name: string
  email: string
  createdAt: Date
  expiresAt: Date
  replacedAt: Date | null
  answeredAt: Date | null
  answer: 'supported' | 'not-supported' | null
}

export interface AdvocateRow {
  id: number
  slot: 1 | 2
  name: string
  email: string
  role: string
  fromDate: string
  toDate: string | null
  changeReason: string | null
}

export interface InterestHistoryRow {
  event: string
  fromStatus: WorkGroupInterestStatus | null
  toStatus: WorkGroupInterestStatus
  workGroupName: string | null
  waitingPosition: number | null
  actorName: string | null
  at: Date
}

export interface InterestRecord {
  id: number
  schoolUrn: number
  schoolName: string
  schoolPhase: string
  hubId: string
  hubName: string
  programmeId: string
  programmeName: string
  academicYear: string
  status: WorkGroupInterestStatus
  workGroupId: number | null
  workGroupName: string | null
  /** The state of the group the school is in, while accepted. */
  workGroupState: WorkGroupState | null
  waitingPosition: number | null
  statement: string | null
  decidedAt: Date | null
  createdAt: Date
  /** The live request for each role (the newest), if any. */
  support: SupportRequestRow[]
  /** Current advocates by slot, then past ones, newest first. */
  advocates: AdvocateRow[]
}

function interestQuery(db: Executor) {
  return db
    .selectFrom('work_group_interests as i')
    .innerJoin('schools as s', 's.urn', 'i.school_urn')
    .innerJoin('hubs as h', 'h.id', 'i.hub_id')
    .innerJoin('work_group_programmes as p', 'p.id', 'i.programme_id')
    .leftJoin('work_groups as g', 'g.id', 'i.work_group_id')
    .select([
      'i.id',
      'i.school_urn',
      's.name as school_name',
      's.phase as school_phase',
      'i.hub_id',
      'h.name as hub_name',
      'i.programme_id',
      'p.name as programme_name',
      'i.academic_year',
      'i.status',
      'i.work_group_id',
      'g.name as work_group_name',
      'g.state as work_group_state',
      'i.waiting_position',
      'i.statement',
      'i.decided_at',
      'i.created_at',
    ])
}

type InterestRow = Awaited<ReturnType<ReturnType<typeof interestQuery>['executeTakeFirstOrThrow']>>

async function withDetails(db: Executor, rows: InterestRow[]): Promise<InterestRecord[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => Number(r.id))
  const [support, advocates] = await Promise.all([
    db
      .selectFrom('work_group_support_requests')
      .selectAll()
      .where('interest_id', 'in', ids)
      .where('replaced_at', 'is', null)
      .orderBy('role')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('work_group_advocates')
      .selectAll()
      .where('interest_id', 'in', ids)
      .orderBy(sql`to_date IS NULL`, 'desc')
      .orderBy('slot')
      .orderBy('from_date', 'desc')
      .orderBy('id', 'desc')
      .execute(),
  ])
  return rows.map((r) => {
    const id = Number(r.id)
    return {
      id,
      schoolUrn: r.school_urn,
      schoolName: r.school_name,
      schoolPhase: r.school_phase,
      hubId: r.hub_id,
      hubName: r.hub_name,
      programmeId: r.programme_id,
      programmeName: r.programme_name,
      academicYear: r.academic_year,
      status: r.status,
      workGroupId: r.work_group_id === null ? null : Number(r.work_group_id),
      workGroupName: r.work_group_name,
      workGroupState: r.work_group_state,
      waitingPosition: r.waiting_position,
      statement: r.statement,
      decidedAt: r.decided_at,
      createdAt: r.created_at,
      support: support
        .filter((s) => Number(s.interest_id) === id)
        .map((s) => ({
          id: Number(s.id),
          role: s.role,
          name: s.name,
          email: s.email,
          createdAt: s.created_at,
          expiresAt: s.expires_at,
          replacedAt: s.replaced_at,
          answeredAt: s.answered_at,
          answer: s.answer,
        })),
      advocates: advocates
        .filter((a) => Number(a.interest_id) === id)
        .map((a) => ({
          id: Number(a.id),
          slot: a.slot,
          name: a.name,
          email: a.email,
          role: a.role,
          fromDate: String(a.from_date).slice(0, 10),
          toDate: a.to_date === null ? null : String(a.to_date).slice(0, 10),
          changeReason: a.change_reason,
        })),
    }
  })
}

export async function findInterest(db: Executor, id: number): Promise<InterestRecord | undefined> {
  const row = await interestQuery(db).where('i.id', '=', id).executeTakeFirst()
  return row ? (await withDetails(db, [row]))[0] : undefined
}

/** Every interest the school has registered, newest year first. */
export async function listSchoolInterests(db: Executor, urn: number): Promise<InterestRecord[]> {
  const rows = await interestQuery(db)
    .where('i.school_urn', '=', urn)
    .orderBy('i.academic_year', 'desc')
    .orderBy('p.position')
    .orderBy('i.id', 'desc')
    .execute()
  return withDetails(db, rows)
}

export interface HubInterestFilter {
  programmeId?: string | undefined
  academicYear?: string | undefined
}

/** A hub's interests, by year, programme, status and waiting position. */
export async function listHubInterests(
  db: Executor,
  hubId: string,
  filter: HubInterestFilter = {},
): Promise<InterestRecord[]> {
  let query = interestQuery(db).where('i.hub_id', '=', hubId)
  if (filter.programmeId) query = query.where('i.programme_id', '=', filter.programmeId)
  if (filter.academicYear) query = query.where('i.academic_year', '=', filter.academicYear)
  const rows = await query
    .orderBy('i.academic_year', 'desc')
    .orderBy('p.position')
    .orderBy(
      sql`CASE i.status WHEN 'ready' THEN 1 WHEN 'waiting' THEN 2 WHEN 'awaiting-support' THEN 3 WHEN 'accepted' THEN 4 ELSE 5 END`,
    )
    .orderBy('i.waiting_position')
    .orderBy('s.name')
    .execute()
  return withDetails(db, rows)
}

export async function interestHistory(db: Executor, interestId: number): Promise<InterestHistoryRow[]> {
  const rows = await db
    .selectFrom('work_group_interest_history as h')
    .leftJoin('work_groups as g', 'g.id', 'h.work_group_id')
    .leftJoin('people as p', 'p.id', 'h.actor_person_id')
    .select([
      'h.event',
      'h.from_status',
      'h.to_status',
      'g.name as group_name',
      'h.waiting_position',
      'p.name as actor_name',
      'h.at',
    ])
    .where('h.interest_id', '=', interestId)
    .orderBy('h.id')
    .execute()
  return rows.map((r) => ({
    event: r.event,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    workGroupName: r.group_name,
    waitingPosition: r.waiting_position,
    actorName: r.actor_name,
    at: r.at,
  }))
}

export interface GroupChoice {
  id: number
  name: string
  state: WorkGroupState
  capacity: number
  accepted: number
}

/** The groups of the hub, programme and year that take schools (recruiting or running), with places taken. */
export async function groupsTakingSchools(
  db: Executor,
  hubId: string,
  programmeId: string,
  academicYear: string,
): Promise<GroupChoice[]> {
  const rows = await db
    .selectFrom('work_groups as g')
    .select([
      'g.id',
      'g.name',
      'g.state',
      'g.capacity',
      (eb) =>
        eb
          .selectFrom('work_group_interests as i')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('i.work_group_id', '=', 'g.id')
          .where('i.status', '=', 'accepted')
          .as('accepted'),
    ])
    .where('g.hub_id', '=', hubId)
    .where('g.programme_id', '=', programmeId)
    .where('g.academic_year', '=', academicYear)
    .where('g.state', 'in', ['recruiting', 'running'])
    .orderBy('g.name')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    state: r.state,
    capacity: r.capacity,
    accepted: Number(r.accepted ?? 0),
  }))
}

export interface AcceptedSchool {
  urn: number
  name: string
  interestId: number
  advocates: { id: number; name: string; email: string; role: string }[]
}

/** The schools accepted into a group, by name, each with its current advocates (slot 1, then 2). */
export async function acceptedSchools(db: Executor, workGroupId: number): Promise<AcceptedSchool[]> {
  const rows = await db
    .selectFrom('work_group_interests as i')
    .innerJoin('schools as s', 's.urn', 'i.school_urn')
    .select(['i.id', 's.urn', 's.name'])
    .where('i.work_group_id', '=', workGroupId)
    .where('i.status', '=', 'accepted')
    .orderBy('s.name')
    .execute()
  if (rows.length === 0) return []
  const advocates = await db
    .selectFrom('work_group_advocates')
    .select(['id', 'interest_id', 'name', 'email', 'role'])
    .where(
      'interest_id',
      'in',
      rows.map((r) => Number(r.id)),
    )
    .where('to_date', 'is', null)
    .orderBy('slot')
    .execute()
  return rows.map((r) => ({
    urn: r.urn,
    name: r.name,
    interestId: Number(r.id),
    advocates: advocates
      .filter((a) => Number(a.interest_id) === Number(r.id))
      .map((a) => ({ id: Number(a.id), name: a.name, email: a.email, role: a.role })),
  }))
}

export interface InterestedSchool {
  interestId: number
  urn: number
  name: string
  phase: string
  easting: number | null
  northing: number | null
  status: 'ready' | 'waiting' | 'accepted'
  work_group_id: number | null
}

/** The hub's ready, waiting and accepted interests in a programme for a year, for allocation. */
export async function interestedSchoolsFor(
  db: Executor,
  hubId: string,
  programmeId: string,
  academicYear: string,
): Promise<InterestedSchool[]> {
  const rows = await db
    .selectFrom('work_group_interests as i')
    .innerJoin('schools as s', 's.urn', 'i.school_urn')
    .select(['i.id', 's.urn', 's.name', 's.phase', 's.easting', 's.northing', 'i.status', 'i.work_group_id'])
    .where('i.hub_id', '=', hubId)
    .where('i.programme_id', '=', programmeId)
    .where('i.academic_year', '=', academicYear)
    .where('i.status', 'in', ['ready', 'waiting', 'accepted'])
    .orderBy('s.urn')
    .execute()
  return rows.map((r) => ({
    interestId: Number(r.id),
    urn: r.urn,
    name: r.name,
    phase: r.phase,
    easting: r.easting,
    northing: r.northing,
    status: r.status as InterestedSchool['status'],
    work_group_id: r.work_group_id === null ? null : Number(r.work_group_id),
  }))
}
