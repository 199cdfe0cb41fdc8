// Reading Work Groups: one group with its programme, hub and leads; a hub's groups; the Work Group
// programmes; the specialists who may lead a hub's groups (a participation in the active stage).
import { sql } from 'kysely'
import type { Executor } from '../../db/database.ts'
import type { WorkGroupPhase, WorkGroupState } from '../../db/schema.ts'

export interface WorkGroupProgramme {
  id: string
  name: string
  catalogueProgrammeId: string | null
  phases: WorkGroupPhase[]
  defaultCapacity: number
  maxCapacity: number
  plannedSessions: number
  sessionName: string
  oncePerSchool: boolean
}

export interface WorkGroupLead {
  participationId: number
  personId: number
  name: string
  schoolUrn: number | null
  schoolName: string | null
}

export interface WorkGroupRecord {
  id: number
  hubId: string
  hubName: string
  programme: WorkGroupProgramme
  academicYear: string
  phase: WorkGroupPhase
  name: string
  capacity: number
  meetingArea: string
  plannedSessions: number
  state: WorkGroupState
  leads: WorkGroupLead[]
  createdAt: Date
  updatedAt: Date
}

export interface WorkGroupHistoryRow {
  event: string
  fromState: WorkGroupState | null
  toState: WorkGroupState
  actorName: string | null
  at: Date
}

export const PHASE_NAMES: Record<WorkGroupPhase, string> = {
  primary: 'Primary',
  secondary: 'Secondary',
  'cross-phase': 'Cross-phase',
}

type ProgrammeRow = {
  id: string
  name: string
  catalogue_programme_id: string | null
  phases: WorkGroupPhase[]
  default_capacity: number
  max_capacity: number
  planned_sessions: number
  session_name: string
  once_per_school: boolean
}

function programmeOf(row: ProgrammeRow): WorkGroupProgramme {
  return {
    id: row.id,
    name: row.name,
    catalogueProgrammeId: row.catalogue_programme_id,
    phases: row.phases,
    defaultCapacity: row.default_capacity,
    maxCapacity: row.max_capacity,
    plannedSessions: row.planned_sessions,
    sessionName: row.session_name,
    oncePerSchool: row.once_per_school,
  }
}

const PROGRAMME_COLUMNS = [
  'id',
  'name',
  'catalogue_programme_id',
  'phases',
  'default_capacity',
  'max_capacity',
  'planned_sessions',
  'session_name',
  'once_per_school',
] as const

export async function listWorkGroupProgrammes(db: Executor): Promise<WorkGroupProgramme[]> {
  const rows = await db
    .selectFrom('work_group_programmes')
    .select(PROGRAMME_COLUMNS)
    .orderBy('position')
    .execute()
  return rows.map(programmeOf)
}

export async function findWorkGroupProgramme(
  db: Executor,
  id: string,
): Promise<WorkGroupProgramme | undefined> {
  const row = await db
    .selectFrom('work_group_programmes')
    .select(PROGRAMME_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? programmeOf(row) : undefined
}

async function leadsOf(db: Executor, groupIds: number[]): Promise<Map<number, WorkGroupLead[]>> {
  const byGroup = new Map<number, WorkGroupLead[]>()
  if (groupIds.length === 0) return byGroup
  const rows = await db
    .selectFrom('work_group_leads')
    .innerJoin('participations', 'participations.id', 'work_group_leads.participation_id')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .leftJoin('schools', 'schools.urn', 'participations.school_urn')
    .select([
      'work_group_leads.work_group_id',
      'participations.id as participation_id',
      'people.id as person_id',
      'people.name',
      'participations.school_urn',
      'schools.name as school_name',
    ])
    .where('work_group_leads.work_group_id', 'in', groupIds)
    .orderBy('people.name')
    .execute()
  for (const row of rows) {
    const id = Number(row.work_group_id)
    const list = byGroup.get(id) ?? []
    list.push({
      participationId: Number(row.participation_id),
      personId: Number(row.person_id),
      name: row.name,
      schoolUrn: row.school_urn,
      schoolName: row.school_name,
    })
    byGroup.set(id, list)
  }
  return byGroup
}

function groupQuery(db: Executor) {
  return db
    .selectFrom('work_groups')
    .innerJoin('hubs', 'hubs.id', 'work_groups.hub_id')
    .innerJoin('work_group_programmes as p', 'p.id', 'work_groups.programme_id')
    .select([
      'work_groups.id',
      'work_groups.hub_id',
      'hubs.name as hub_name',
      'work_groups.academic_year',
      'work_groups.phase',
      'work_groups.name',
      'work_groups.capacity',
      'work_groups.meeting_area',
      'work_groups.planned_sessions',
      'work_groups.state',
      'work_groups.created_at',
      'work_groups.updated_at',
      'p.id as p_id',
      'p.name as p_name',
      'p.catalogue_programme_id as p_catalogue_programme_id',
      'p.phases as p_phases',
      'p.default_capacity as p_default_capacity',
      'p.max_capacity as p_max_capacity',
      'p.planned_sessions as p_planned_sessions',
      'p.session_name as p_session_name',
      'p.once_per_school as p_once_per_school',
    ])
}

type GroupRow = Awaited<ReturnType<ReturnType<typeof groupQuery>['executeTakeFirstOrThrow']>>

function recordOf(row: GroupRow, leads: WorkGroupLead[]): WorkGroupRecord {
  return {
    id: Number(row.id),
    hubId: row.hub_id,
    hubName: row.hub_name,
    programme: programmeOf({
      id: row.p_id,
      name: row.p_name,
      catalogue_programme_id: row.p_catalogue_programme_id,
      phases: row.p_phases,
      default_capacity: row.p_default_capacity,
      max_capacity: row.p_max_capacity,
      planned_sessions: row.p_planned_sessions,
      session_name: row.p_session_name,
      once_per_school: row.p_once_per_school,
    }),
    academicYear: row.academic_year,
    phase: row.phase,
    name: row.name,
    capacity: row.capacity,
    meetingArea: row.meeting_area,
    plannedSessions: row.planned_sessions,
    state: row.state,
    leads,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  }
}

export async function findWorkGroup(db: Executor, id: number): Promise<WorkGroupRecord | undefined> {
  const row = await groupQuery(db).where('work_groups.id', '=', id).executeTakeFirst()
  if (!row) return undefined
  const leads = await leadsOf(db, [id])
  return recordOf(row, leads.get(id) ?? [])
}

/** A hub's groups, newest year first, then by programme and name. */
export async function listHubWorkGroups(
  db: Executor,
  hubId: string,
  filter: { academicYear?: string | undefined } = {},
): Promise<WorkGroupRecord[]> {
  let query = groupQuery(db).where('work_groups.hub_id', '=', hubId)
  if (filter.academicYear) query = query.where('work_groups.academic_year', '=', filter.academicYear)
  const rows = await query
    .orderBy('work_groups.academic_year', 'desc')
    .orderBy(sql`(SELECT position FROM work_group_programmes WHERE id = work_groups.programme_id)`)
    .orderBy('work_groups.name')
    .execute()
  const leads = await leadsOf(
    db,
    rows.map((r) => Number(r.id)),
  )
  return rows.map((row) => recordOf(row, leads.get(Number(row.id)) ?? []))
}

/** The groups a person leads, through any of their participations. */
export async function listLedWorkGroups(db: Executor, personId: number): Promise<WorkGroupRecord[]> {
  const rows = await groupQuery(db)
    .where('work_groups.id', 'in', (eb) =>
      eb
        .selectFrom('work_group_leads')
        .innerJoin('participations', 'participations.id', 'work_group_leads.participation_id')
        .select('work_group_leads.work_group_id')
        .where('participations.person_id', '=', personId),
    )
    .orderBy('work_groups.academic_year', 'desc')
    .orderBy('work_groups.name')
    .execute()
  const leads = await leadsOf(
    db,
    rows.map((r) => Number(r.id)),
  )
  return rows.map((row) => recordOf(row, leads.get(Number(row.id)) ?? []))
}

/** The hub's Mastery Specialists in the active stage on the date: those who may lead its groups. */
export async function leadCandidates(db: Executor, hubId: string, date: string): Promise<WorkGroupLead[]> {
  const rows = await db
    .selectFrom('participations')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .innerJoin('participation_stages as s', 's.participation_id', 'participations.id')
    .leftJoin('schools', 'schools.urn', 'participations.school_urn')
    .select([
      'participations.id as participation_id',
      'people.id as person_id',
      'people.name',
      'participations.school_urn',
      'schools.name as school_name',
    ])
    .where('participations.hub_id', '=', hubId)
    .where('s.stage', '=', 'active')
    .where(sql<boolean>`daterange(s.starts_on, s.ends_on, '[)') @> ${date}::date`)
    .orderBy('people.name')
    .execute()
  return rows.map((row) => ({
    participationId: Number(row.participation_id),
    personId: Number(row.person_id),
    name: row.name,
    schoolUrn: row.school_urn,
    schoolName: row.school_name,
  }))
}

export async function workGroupHistory(db: Executor, id: number): Promise<WorkGroupHistoryRow[]> {
  const rows = await db
    .selectFrom('work_group_history as h')
    .leftJoin('people', 'people.id', 'h.actor_person_id')
    .select(['h.event', 'h.from_state', 'h.to_state', 'people.name', 'h.at'])
    .where('h.work_group_id', '=', id)
    .orderBy('h.id')
    .execute()
  return rows.map((r) => ({
    event: r.event,
    fromState: r.from_state,
    toState: r.to_state,
    actorName: r.name,
    at: new Date(r.at),
  }))
}
