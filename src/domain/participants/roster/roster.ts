// A cohort's roster of Mastery Specialists, with the at-risk view: a hub's team sees its own
// specialists, NCETM every hub's. Each specialist may carry flags, each explained in plain words:
//   missed-residential  a residential of their cohort is over and they had no place, or were absent;
//   release-pace        release days over, or far under, the expected pace for the year so far;
//   overdue-tasks       tasks past their due date and not handed in or accepted;
//   inactive            nothing logged, attended or booked for a set number of weeks.
// The list can be filtered by flag and by hub, and exported (roster-export.ts).
import { sql } from 'kysely'
import type { Executor } from '../../../db/database.ts'
import type { ParticipationStage } from '../../../db/schema.ts'
import { NotFoundError } from '../../../errors.ts'
import { formatUkDate } from '../../../lib/uk-time.ts'
import { hubsAdministered, isNational } from '../../access/access.policy.ts'
import { ukDate } from '../../events/bookings/book-place.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { STAGE_NAMES } from '../participation.states.ts'
import { releasePace } from '../release-time/release-pace.ts'
import { overdueCounts } from '../tasks/view-tasks.ts'
import { daysText } from '../release-time/release-years.ts'

export const RISK_FLAGS = ['missed-residential', 'release-pace', 'overdue-tasks', 'inactive'] as const
export type RiskFlag = (typeof RISK_FLAGS)[number]

export const RISK_FLAG_NAMES: Record<RiskFlag, string> = {
  'missed-residential': 'Missed a residential',
  'release-pace': 'Release days off pace',
  'overdue-tasks': 'Overdue tasks',
  inactive: 'No recent activity',
}

/** Weeks without activity before a specialist is flagged, unless the viewer chooses otherwise. */
export const DEFAULT_INACTIVE_WEEKS = 6

export interface RosterFlag {
  flag: RiskFlag
  name: string
  explanation: string
}

export interface RosterRow {
  participationId: number
  personId: number
  name: string
  email: string
  hubId: string | null
  hubName: string | null
  stage: ParticipationStage | null
  stageName: string
  usedDays: string
  fundedDays: string
  lastActivity: string | null
  flags: RosterFlag[]
}

export interface RosterRequest {
  cohortId: string
  /** NCETM may narrow to one hub; a hub's team sees only its own. */
  hubId?: string | undefined
  flag?: RiskFlag | undefined
  inactiveWeeks?: number | undefined
}

/** Which hubs' specialists the actor may list in the cohort: every hub for NCETM, or their own. */
function hubScope(context: UseCaseContext, hubId: string | undefined): string[] | 'all' {
  const actor = context.actor
  if (isNational(actor)) return hubId ? [hubId] : 'all'
  const own = hubsAdministered(actor)
  if (own.length === 0) throw new NotFoundError('Cohort')
  if (hubId && !own.includes(hubId)) throw new NotFoundError('Hub')
  return hubId ? [hubId] : own
}

export async function viewRoster(context: UseCaseContext, request: RosterRequest): Promise<RosterRow[]> {
  const { db } = context
  const scope = hubScope(context, request.hubId)
  const cohort = await db
    .selectFrom('cohorts')
    .select('id')
    .where('id', '=', request.cohortId)
    .executeTakeFirst()
  if (!cohort) throw new NotFoundError('Cohort')
  const now = context.clock.now()
  const today = ukDate(now)
  let query = db
    .selectFrom('participations as p')
    .innerJoin('people', 'people.id', 'p.person_id')
    .leftJoin('hubs', 'hubs.id', 'p.hub_id')
    .leftJoin('participation_stages as s', (join) =>
      join
        .onRef('s.participation_id', '=', 'p.id')
        .on(sql<boolean>`daterange(s.starts_on, s.ends_on, '[)') @> ${today}::date`),
    )
    .select([
      'p.id',
      'p.person_id',
      'people.name',
      'people.email',
      'p.hub_id',
      'hubs.name as hub_name',
      's.stage',
      sql<string>`to_char((p.started_at AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD')`.as('started_on'),
    ])
    .where('p.cohort_id', '=', request.cohortId)
    .where('people.erased_at', 'is', null)
  if (scope !== 'all') query = query.where('p.hub_id', 'in', scope)
  const people = await query.orderBy('hubs.name').orderBy('people.name').execute()
  const ids = people.map((p) => Number(p.id))
  if (ids.length === 0) return []

  const [missed, pace, activity, overdue] = await Promise.all([
    missedResidentials(db, request.cohortId, ids, now),
    releasePace(db, ids, today),
    lastActivity(db, ids, now),
    overdueCounts(db, ids, now),
  ])
  const weeks = request.inactiveWeeks ?? DEFAULT_INACTIVE_WEEKS
  const quietSince = new Date(now.getTime() - weeks * 7 * 86_400_000)

  const rows = people.map((p): RosterRow => {
    const id = Number(p.id)
    const flags: RosterFlag[] = []
    const say = (flag: RiskFlag, explanation: string) =>
      flags.push({ flag, name: RISK_FLAG_NAMES[flag], explanation })
    for (const m of missed.get(id) ?? []) say('missed-residential', m)
    const paced = pace.find((r) => r.participationId === id)
    if (paced && (paced.pace === 'over' || paced.pace === 'far-under')) say('release-pace', paced.explanation)
    const late = overdue.get(id) ?? 0
    if (late > 0)
      say(
        'overdue-tasks',
        late === 1 ? '1 task is past its due date' : `${late} tasks are past their due date`,
      )
    const taking = p.stage === 'year-one' || p.stage === 'year-two' || p.stage === 'active'
    const last = activity.get(id)
    const startedBefore = new Date(`${p.started_on}T12:00:00Z`) < quietSince
    if (taking && (last ? last < quietSince : startedBefore)) {
      say(
        'inactive',
        last
          ? `Nothing logged, attended or booked since ${formatUkDate(last)}: more than ${weeks} weeks`
          : `Nothing logged, attended or booked since the programme began: more than ${weeks} weeks`,
      )
    }
    return {
      participationId: id,
      personId: Number(p.person_id),
      name: p.name,
      email: p.email,
      hubId: p.hub_id,
      hubName: p.hub_name,
      stage: p.stage,
      stageName: p.stage ? STAGE_NAMES[p.stage] : 'Not started yet',
      usedDays: daysText(paced?.usedHalfDays ?? 0),
      fundedDays: daysText(paced?.fundedHalfDays ?? 0),
      lastActivity: last ? formatUkDate(last) : null,
      flags,
    }
  })
  return request.flag ? rows.filter((r) => r.flags.some((f) => f.flag === request.flag)) : rows
}

/** For each participation, a sentence for each residential of the cohort that is over and was missed. */
async function missedResidentials(
  db: Executor,
  cohortId: string,
  ids: number[],
  now: Date,
): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('events as e')
    .innerJoin('participations as p', 'p.cohort_id', 'e.cohort_id')
    .leftJoin('bookings as b', (join) =>
      join
        .onRef('b.event_id', '=', 'e.id')
        .onRef('b.participation_id', '=', 'p.id')
        .on('b.status', '=', 'booked'),
    )
    .select([
      'p.id as participation_id',
      'e.title',
      'b.id as booking_id',
      sql<Date>`(SELECT min(starts_at) FROM event_days WHERE event_id = e.id)`.as('starts_at'),
      sql<string | null>`(SELECT string_agg(d.day_number::text, ', ' ORDER BY d.day_number)
        FROM attendance a JOIN event_days d ON d.id = a.event_day_id
        WHERE a.booking_id = b.id AND a.status = 'absent')`.as('absent_days'),
    ])
    .where('e.cohort_id', '=', cohortId)
    .where('e.kind', '=', 'residential')
    .where('e.status', '<>', 'cancelled')
    .where('p.id', 'in', ids)
    .where(sql<boolean>`(SELECT max(ends_at) FROM event_days WHERE event_id = e.id) <= ${now}`)
    // Only residentials held while the specialist was taking part.
    .where(
      sql<boolean>`EXISTS (SELECT 1 FROM participation_stages s WHERE s.participation_id = p.id
        AND s.stage IN ('year-one', 'year-two', 'active')
        AND daterange(s.starts_on, s.ends_on, '[)') @> ((SELECT min(starts_at) FROM event_days WHERE event_id = e.id) AT TIME ZONE 'Europe/London')::date)`,
    )
    .execute()
  const missed = new Map<number, string[]>()
  for (const r of rows) {
    const when = formatUkDate(new Date(r.starts_at))
    const sentence =
      r.booking_id === null
        ? `Had no place at the ${r.title.toLowerCase()} (${when})`
        : r.absent_days
          ? `Absent from the ${r.title.toLowerCase()} (${when}) on day ${r.absent_days}`
          : undefined
    if (!sentence) continue
    const id = Number(r.participation_id)
    missed.set(id, [...(missed.get(id) ?? []), sentence])
  }
  return missed
}

/** The latest thing each specialist did: a half day logged, a day attended, or a place booked. */
async function lastActivity(db: Executor, ids: number[], now: Date): Promise<Map<number, Date>> {
  const { rows } = await sql<{ participation_id: number; at: Date | null }>`
    SELECT p.id AS participation_id, greatest(
      (SELECT max(r.on_date)::timestamptz FROM release_entries r WHERE r.participation_id = p.id AND r.kind = 'use' AND r.on_date <= ${ukDate(now)}::date),
      (SELECT max(d.starts_at) FROM attendance a JOIN bookings b ON b.id = a.booking_id
         JOIN event_days d ON d.id = a.event_day_id
         WHERE b.participation_id = p.id AND a.status <> 'absent' AND d.starts_at <= ${now}),
      (SELECT max(b.booked_at) FROM bookings b WHERE b.participation_id = p.id AND b.booked_at <= ${now})
    ) AS at
    FROM participations p WHERE p.id = ANY(${ids}::bigint[])`.execute(db)
  const result = new Map<number, Date>()
  for (const r of rows) if (r.at) result.set(Number(r.participation_id), new Date(r.at))
  return result
}

/** The cohorts a hub (or, with no hub, any hub) has Mastery Specialists in: where the roster pages are. */
export async function cohortsWithSpecialists(
  db: Executor,
  hubId?: string,
): Promise<{ id: string; number: number; programmeName: string }[]> {
  return db
    .selectFrom('cohorts')
    .innerJoin('programmes', 'programmes.id', 'cohorts.programme_id')
    .select(['cohorts.id', 'cohorts.number', 'programmes.name as programmeName'])
    .where((eb) => {
      let specialists = eb
        .selectFrom('participations')
        .select('id')
        .whereRef('participations.cohort_id', '=', 'cohorts.id')
      if (hubId) specialists = specialists.where('participations.hub_id', '=', hubId)
      return eb.exists(specialists)
    })
    .orderBy('programmes.position')
    .orderBy('cohorts.number', 'desc')
    .execute()
}
