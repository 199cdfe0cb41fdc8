// Reading a Work Group's sessions, the attendance of its schools' Mastery Advocates, each school's
// lesson study and the lead specialists' support visits. A school is in a group while its interest
// is accepted into it; an advocate counts for a session when their period covers the session's
// date (UK). Also what other parts of the service read: sessions held, each advocate's attendance,
// the sessions a school's advocates attended, and a specialist's support half-days.
import { sql } from 'kysely'
import type { Executor } from '../../../db/database.ts'
import type { AttendanceMethod, AttendanceStatus, BigIdea } from '../../../db/schema.ts'
import { ukDateOf } from '../../participants/start-year-one.ts'

// A specialist's support half-days: the query is release time's, which counts them as days used.
export { supportHalfDays } from '../../participants/release-time/support-visits.repository.ts'

export type SessionStatus = 'planned' | 'held' | 'cancelled'

export const BIG_IDEAS: readonly BigIdea[] = [
  'coherence',
  'representation-and-structure',
  'mathematical-thinking',
  'fluency',
  'variation',
]

export const BIG_IDEA_NAMES: Record<BigIdea, string> = {
  coherence: 'Coherence',
  'representation-and-structure': 'Representation and Structure',
  'mathematical-thinking': 'Mathematical Thinking',
  fluency: 'Fluency',
  variation: 'Variation',
}

export interface SessionRecord {
  id: number
  workGroupId: number
  startsAt: Date
  endsAt: Date
  /** The session's date in the UK, YYYY-MM-DD. */
  date: string
  hostSchoolUrn: number
  hostSchoolName: string
  bigIdea: BigIdea
  lessonObserved: string
  status: SessionStatus
  hasCode: boolean
}

export interface GroupSchool {
  interestId: number
  urn: number
  name: string
}

export interface SessionAdvocate {
  advocateId: number
  interestId: number
  schoolUrn: number
  schoolName: string
  name: string
  email: string
  role: string
  fromDate: string
  toDate: string | null
}

export interface AttendanceMark {
  advocateId: number
  status: AttendanceStatus
  absenceReason: string | null
  method: AttendanceMethod
  recordedAt: Date
}

export interface LessonStudy {
  id: number
  sessionId: number
  schoolUrn: number
  schoolName: string
  lessonTaught: string
  taughtBy: string
  classes: string
  learned: string
  recordedAt: Date
  updatedAt: Date
}

export interface SupportVisit {
  id: number
  workGroupId: number
  participationId: number
  specialistName: string
  schoolUrn: number
  schoolName: string
  visitedOn: string
  halfDays: number
  notes: string | null
  recordedAt: Date
}

function sessionQuery(db: Executor) {
  return db
    .selectFrom('work_group_sessions as s')
    .innerJoin('schools', 'schools.urn', 's.host_school_urn')
    .select([
      's.id',
      's.work_group_id',
      's.starts_at',
      's.ends_at',
      's.host_school_urn',
      'schools.name as host_school_name',
      's.big_idea',
      's.lesson_observed',
      's.status',
      's.attendance_code_hash',
    ])
}

type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionQuery>['executeTakeFirstOrThrow']>>

function sessionOf(row: SessionRow): SessionRecord {
  const startsAt = new Date(row.starts_at)
  return {
    id: Number(row.id),
    workGroupId: Number(row.work_group_id),
    startsAt,
    endsAt: new Date(row.ends_at),
    date: ukDateOf(startsAt),
    hostSchoolUrn: row.host_school_urn,
    hostSchoolName: row.host_school_name,
    bigIdea: row.big_idea,
    lessonObserved: row.lesson_observed,
    status: row.status,
    hasCode: row.attendance_code_hash !== null,
  }
}

export async function findSession(db: Executor, id: number): Promise<SessionRecord | undefined> {
  const row = await sessionQuery(db).where('s.id', '=', id).executeTakeFirst()
  return row ? sessionOf(row) : undefined
}

/** A group's sessions, earliest first. */
export async function listGroupSessions(db: Executor, workGroupId: number): Promise<SessionRecord[]> {
  const rows = await sessionQuery(db)
    .where('s.work_group_id', '=', workGroupId)
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .execute()
  return rows.map(sessionOf)
}

/** The schools accepted into the group, by name. */
export async function groupSchools(db: Executor, workGroupId: number): Promise<GroupSchool[]> {
  const rows = await db
    .selectFrom('work_group_interests as i')
    .innerJoin('schools', 'schools.urn', 'i.school_urn')
    .select(['i.id', 'i.school_urn', 'schools.name'])
    .where('i.work_group_id', '=', workGroupId)
    .where('i.status', '=', 'accepted')
    .orderBy('schools.name')
    .execute()
  return rows.map((r) => ({ interestId: Number(r.id), urn: r.school_urn, name: r.name }))
}

/** The schools a session may be hosted at: the group's, and its lead specialists'. */
export async function possibleHosts(
  db: Executor,
  workGroupId: number,
): Promise<{ urn: number; name: string }[]> {
  const leads = await db
    .selectFrom('work_group_leads')
    .innerJoin('participations', 'participations.id', 'work_group_leads.participation_id')
    .innerJoin('schools', 'schools.urn', 'participations.school_urn')
    .select(['schools.urn', 'schools.name'])
    .where('work_group_leads.work_group_id', '=', workGroupId)
    .execute()
  const all = [...(await groupSchools(db, workGroupId)), ...leads]
  const byUrn = new Map(all.map((s) => [s.urn, { urn: s.urn, name: s.name }]))
  return [...byUrn.values()].sort((a, b) => a.name.localeCompare(b.name))
}

/** The advocates of the group's schools; on a date, only those whose period covers it. */
export async function groupAdvocates(
  db: Executor,
  workGroupId: number,
  onDate?: string,
): Promise<SessionAdvocate[]> {
  let query = db
    .selectFrom('work_group_advocates as a')
    .innerJoin('work_group_interests as i', 'i.id', 'a.interest_id')
    .innerJoin('schools', 'schools.urn', 'i.school_urn')
    .select([
      'a.id',
      'a.interest_id',
      'i.school_urn',
      'schools.name as school_name',
      'a.name',
      'a.email',
      'a.role',
      sql<string>`a.from_date::text`.as('from_date'),
      sql<string | null>`a.to_date::text`.as('to_date'),
    ])
    .where('i.work_group_id', '=', workGroupId)
    .where('i.status', '=', 'accepted')
  if (onDate !== undefined) {
    query = query
      .where(sql<boolean>`a.from_date <= ${onDate}::date`)
      .where((eb) => eb.or([eb('a.to_date', 'is', null), sql<boolean>`a.to_date >= ${onDate}::date`]))
  }
  const rows = await query.orderBy('schools.name').orderBy('a.slot').orderBy('a.from_date').execute()
  return rows.map((r) => ({
    advocateId: Number(r.id),
    interestId: Number(r.interest_id),
    schoolUrn: r.school_urn,
    schoolName: r.school_name,
    name: r.name,
    email: r.email,
    role: r.role,
    fromDate: r.from_date,
    toDate: r.to_date,
  }))
}

export async function sessionAttendance(db: Executor, sessionId: number): Promise<AttendanceMark[]> {
  const rows = await db
    .selectFrom('work_group_attendance')
    .select(['advocate_id', 'status', 'absence_reason', 'method', 'recorded_at'])
    .where('session_id', '=', sessionId)
    .execute()
  return rows.map((r) => ({
    advocateId: Number(r.advocate_id),
    status: r.status,
    absenceReason: r.absence_reason,
    method: r.method,
    recordedAt: new Date(r.recorded_at),
  }))
}

export async function sessionLessonStudies(db: Executor, sessionId: number): Promise<LessonStudy[]> {
  const rows = await db
    .selectFrom('work_group_lesson_studies as l')
    .innerJoin('schools', 'schools.urn', 'l.school_urn')
    .selectAll('l')
    .select('schools.name as school_name')
    .where('l.session_id', '=', sessionId)
    .orderBy('schools.name')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    sessionId: Number(r.session_id),
    schoolUrn: r.school_urn,
    schoolName: r.school_name,
    lessonTaught: r.lesson_taught,
    taughtBy: r.taught_by,
    classes: r.classes,
    learned: r.learned,
    recordedAt: new Date(r.recorded_at),
    updatedAt: new Date(r.updated_at),
  }))
}

/** A group's support visits, latest first. */
export async function groupSupportVisits(db: Executor, workGroupId: number): Promise<SupportVisit[]> {
  const rows = await db
    .selectFrom('work_group_support_visits as v')
    .innerJoin('participations', 'participations.id', 'v.participation_id')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .innerJoin('schools', 'schools.urn', 'v.school_urn')
    .select([
      'v.id',
      'v.work_group_id',
      'v.participation_id',
      'people.name as specialist_name',
      'v.school_urn',
      'schools.name as school_name',
      sql<string>`v.visited_on::text`.as('visited_on'),
      'v.half_days',
      'v.notes',
      'v.recorded_at',
    ])
    .where('v.work_group_id', '=', workGroupId)
    .orderBy('v.visited_on', 'desc')
    .orderBy('v.id', 'desc')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    workGroupId: Number(r.work_group_id),
    participationId: Number(r.participation_id),
    specialistName: r.specialist_name,
    schoolUrn: r.school_urn,
    schoolName: r.school_name,
    visitedOn: r.visited_on,
    halfDays: r.half_days,
    notes: r.notes,
    recordedAt: new Date(r.recorded_at),
  }))
}

/** How many of the group's sessions have been held. */
export async function sessionsHeld(db: Executor, workGroupId: number): Promise<number> {
  const row = await db
    .selectFrom('work_group_sessions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('work_group_id', '=', workGroupId)
    .where('status', '=', 'held')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface AdvocateAttendance {
  advocateId: number
  interestId: number
  schoolUrn: number
  /** Held sessions the advocate was present at, late to or left early from. */
  attended: number
  /** Held sessions on dates the advocate's period covers. */
  held: number
}

/** Each advocate of the group's schools: the held sessions in their period, and how many they attended. */
export async function advocateAttendance(db: Executor, workGroupId: number): Promise<AdvocateAttendance[]> {
  const rows = await db
    .selectFrom('work_group_advocates as a')
    .innerJoin('work_group_interests as i', 'i.id', 'a.interest_id')
    .select([
      'a.id',
      'a.interest_id',
      'i.school_urn',
      sql<string>`(SELECT count(*) FROM work_group_sessions s
        WHERE s.work_group_id = ${workGroupId} AND s.status = 'held'
          AND (s.starts_at AT TIME ZONE 'Europe/London')::date >= a.from_date
          AND (a.to_date IS NULL OR (s.starts_at AT TIME ZONE 'Europe/London')::date <= a.to_date))`.as(
        'held',
      ),
      sql<string>`(SELECT count(*) FROM work_group_attendance w
        JOIN work_group_sessions s ON s.id = w.session_id
        WHERE w.advocate_id = a.id AND s.work_group_id = ${workGroupId} AND s.status = 'held'
          AND w.status <> 'absent')`.as('attended'),
    ])
    .where('i.work_group_id', '=', workGroupId)
    .where('i.status', '=', 'accepted')
    .orderBy('i.school_urn')
    .orderBy('a.slot')
    .orderBy('a.from_date')
    .execute()
  return rows.map((r) => ({
    advocateId: Number(r.id),
    interestId: Number(r.interest_id),
    schoolUrn: r.school_urn,
    attended: Number(r.attended),
    held: Number(r.held),
  }))
}

export interface SchoolSession {
  sessionId: number
  workGroupId: number
  workGroupName: string
  startsAt: Date
  bigIdea: BigIdea
  advocateId: number
  advocateName: string
  status: AttendanceStatus
}

/** The held sessions each of a school's advocates attended (present, late or left early), earliest first. */
export async function schoolSessions(db: Executor, urn: number): Promise<SchoolSession[]> {
  const rows = await db
    .selectFrom('work_group_attendance as w')
    .innerJoin('work_group_sessions as s', 's.id', 'w.session_id')
    .innerJoin('work_groups as g', 'g.id', 's.work_group_id')
    .innerJoin('work_group_advocates as a', 'a.id', 'w.advocate_id')
    .innerJoin('work_group_interests as i', 'i.id', 'a.interest_id')
    .select([
      's.id',
      's.work_group_id',
      'g.name as group_name',
      's.starts_at',
      's.big_idea',
      'a.id as advocate_id',
      'a.name as advocate_name',
      'w.status',
    ])
    .where('i.school_urn', '=', urn)
    .where('s.status', '=', 'held')
    .where('w.status', '<>', 'absent')
    .orderBy('s.starts_at')
    .orderBy('a.slot')
    .execute()
  return rows.map((r) => ({
    sessionId: Number(r.id),
    workGroupId: Number(r.work_group_id),
    workGroupName: r.group_name,
    startsAt: new Date(r.starts_at),
    bigIdea: r.big_idea,
    advocateId: Number(r.advocate_id),
    advocateName: r.advocate_name,
    status: r.status,
  }))
}
