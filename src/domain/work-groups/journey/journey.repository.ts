// Reading a school's journey: the school and the hub serving it (the register's findSchool), its
// stage periods, and everything it has done in Work Groups (interests and the hub's decisions,
// groups, advocates, attendance, lesson study, support visits, grants due). SQL only; the first
// argument is the db or a transaction.
import type { Executor } from '../../../db/database.ts'
import type {
  AttendanceStatus,
  SchoolMasteryStage,
  WorkGroupInterestStatus,
  WorkGroupState,
} from '../../../db/schema.ts'
import { findSchool } from '../../schools/schools.repository.ts'

export interface JourneySchoolRow {
  urn: number
  name: string
  phase: string
  servingHubId: string | null
  servingHubName: string | null
  /** The serving hub and the hubs of every programme the school has shown interest in. */
  hubIds: string[]
}

export interface StagePeriod {
  id: number
  stage: SchoolMasteryStage
  fromDate: string
  toDate: string | null
  evidence: string
  hubId: string
  decidedBy: string | null
  decidedAt: Date
}

export async function findJourneySchool(db: Executor, urn: number): Promise<JourneySchoolRow | undefined> {
  const school = await findSchool(db, urn)
  if (!school) return undefined
  const interestHubs = await db
    .selectFrom('work_group_interests')
    .select('hub_id')
    .distinct()
    .where('school_urn', '=', urn)
    .execute()
  const hubIds = [...new Set([school.hub?.id ?? null, ...interestHubs.map((r) => r.hub_id)])].filter(
    (id): id is string => id !== null,
  )
  return {
    urn: school.urn,
    name: school.name,
    phase: school.phase,
    servingHubId: school.hub?.id ?? null,
    servingHubName: school.hub?.name ?? null,
    hubIds,
  }
}

export async function stagePeriods(db: Executor, urn: number): Promise<StagePeriod[]> {
  const rows = await db
    .selectFrom('school_mastery_stages as s')
    .leftJoin('people', 'people.id', 's.decided_by')
    .select([
      's.id',
      's.stage',
      's.from_date',
      's.to_date',
      's.evidence',
      's.hub_id',
      'people.name as decided_by',
      's.decided_at',
    ])
    .where('s.school_urn', '=', urn)
    .orderBy('s.from_date')
    .orderBy('s.id')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    stage: r.stage,
    fromDate: String(r.from_date).slice(0, 10),
    toDate: r.to_date === null ? null : String(r.to_date).slice(0, 10),
    evidence: r.evidence,
    hubId: r.hub_id,
    decidedBy: r.decided_by,
    decidedAt: new Date(r.decided_at),
  }))
}

export interface JourneyGroupRow {
  interestId: number
  programmeId: string
  programmeName: string
  academicYear: string
  status: WorkGroupInterestStatus
  workGroupId: number | null
  workGroupName: string | null
  workGroupState: WorkGroupState | null
  hubId: string
}

/** Every interest the school has registered, with the group it is in (if any), newest year first. */
export async function schoolInterests(db: Executor, urn: number): Promise<JourneyGroupRow[]> {
  const rows = await db
    .selectFrom('work_group_interests as i')
    .innerJoin('work_group_programmes as p', 'p.id', 'i.programme_id')
    .leftJoin('work_groups as g', 'g.id', 'i.work_group_id')
    .select([
      'i.id',
      'i.programme_id',
      'p.name as programme_name',
      'i.academic_year',
      'i.status',
      'i.work_group_id',
      'g.name as group_name',
      'g.state as group_state',
      'i.hub_id',
    ])
    .where('i.school_urn', '=', urn)
    .orderBy('i.academic_year', 'desc')
    .orderBy('p.position')
    .execute()
  return rows.map((r) => ({
    interestId: Number(r.id),
    programmeId: r.programme_id,
    programmeName: r.programme_name,
    academicYear: r.academic_year,
    status: r.status,
    workGroupId: r.work_group_id === null ? null : Number(r.work_group_id),
    workGroupName: r.group_name,
    workGroupState: r.group_state,
    hubId: r.hub_id,
  }))
}

export async function interestHistory(db: Executor, urn: number) {
  const rows = await db
    .selectFrom('work_group_interest_history as h')
    .innerJoin('work_group_interests as i', 'i.id', 'h.interest_id')
    .innerJoin('work_group_programmes as p', 'p.id', 'i.programme_id')
    .leftJoin('work_groups as g', 'g.id', 'h.work_group_id')
    .select([
      'h.id',
      'h.event',
      'h.to_status',
      'h.waiting_position',
      'h.at',
      'i.academic_year',
      'p.name as programme_name',
      'g.name as group_name',
      'h.work_group_id',
    ])
    .where('i.school_urn', '=', urn)
    .orderBy('h.id')
    .execute()
  return rows.map((r) => ({
    event: r.event,
    toStatus: r.to_status,
    waitingPosition: r.waiting_position,
    at: new Date(r.at),
    academicYear: r.academic_year,
    programmeName: r.programme_name,
    groupName: r.group_name,
    workGroupId: r.work_group_id === null ? null : Number(r.work_group_id),
  }))
}

export async function schoolAdvocates(db: Executor, urn: number) {
  const rows = await db
    .selectFrom('work_group_advocates as a')
    .innerJoin('work_group_interests as i', 'i.id', 'a.interest_id')
    .innerJoin('work_group_programmes as p', 'p.id', 'i.programme_id')
    .select([
      'a.id',
      'a.slot',
      'a.name',
      'a.role',
      'a.from_date',
      'a.to_date',
      'a.change_reason',
      'i.academic_year',
      'p.name as programme_name',
    ])
    .where('i.school_urn', '=', urn)
    .orderBy('a.from_date')
    .orderBy('a.id')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    slot: r.slot,
    name: r.name,
    role: r.role,
    fromDate: String(r.from_date).slice(0, 10),
    toDate: r.to_date === null ? null : String(r.to_date).slice(0, 10),
    changeReason: r.change_reason,
    academicYear: r.academic_year,
    programmeName: r.programme_name,
  }))
}

export async function schoolAttendance(db: Executor, urn: number) {
  const rows = await db
    .selectFrom('work_group_attendance as att')
    .innerJoin('work_group_advocates as a', 'a.id', 'att.advocate_id')
    .innerJoin('work_group_interests as i', 'i.id', 'a.interest_id')
    .innerJoin('work_group_sessions as s', 's.id', 'att.session_id')
    .innerJoin('work_groups as g', 'g.id', 's.work_group_id')
    .select([
      'att.id',
      'att.status',
      'a.name as advocate_name',
      's.starts_at',
      's.big_idea',
      'g.name as group_name',
      'g.id as group_id',
    ])
    .where('i.school_urn', '=', urn)
    .orderBy('s.starts_at')
    .orderBy('a.slot')
    .execute()
  return rows.map((r) => ({
    status: r.status as AttendanceStatus,
    advocateName: r.advocate_name,
    startsAt: new Date(r.starts_at),
    bigIdea: r.big_idea,
    groupName: r.group_name,
    workGroupId: Number(r.group_id),
  }))
}

export async function schoolLessonStudies(db: Executor, urn: number) {
  const rows = await db
    .selectFrom('work_group_lesson_studies as l')
    .innerJoin('work_group_sessions as s', 's.id', 'l.session_id')
    .innerJoin('work_groups as g', 'g.id', 's.work_group_id')
    .select(['l.lesson_taught', 'l.taught_by', 'l.recorded_at', 'g.name as group_name'])
    .where('l.school_urn', '=', urn)
    .orderBy('l.recorded_at')
    .execute()
  return rows.map((r) => ({
    lessonTaught: r.lesson_taught,
    taughtBy: r.taught_by,
    recordedAt: new Date(r.recorded_at),
    groupName: r.group_name,
  }))
}

export async function schoolSupportVisits(db: Executor, urn: number) {
  const rows = await db
    .selectFrom('work_group_support_visits as v')
    .innerJoin('work_groups as g', 'g.id', 'v.work_group_id')
    .innerJoin('participations', 'participations.id', 'v.participation_id')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .select(['v.visited_on', 'v.half_days', 'g.name as group_name', 'people.name as specialist'])
    .where('v.school_urn', '=', urn)
    .orderBy('v.visited_on')
    .execute()
  return rows.map((r) => ({
    visitedOn: String(r.visited_on).slice(0, 10),
    halfDays: r.half_days,
    groupName: r.group_name,
    specialist: r.specialist,
  }))
}
