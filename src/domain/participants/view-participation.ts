// Reading participations: one participation with its stages and history (for the person, the
// lead and administrators of its hub, and NCETM; anyone else is told it is not there), a roster of
// participations by cohort or hub (a hub's team sees only its own hubs'; NCETM every hub's), and
// the signed-in person's own.
//
// The read model, for pages and the API:
//   ParticipationSummary: { id, personId, personName, cohortId, hubId, startedAt, currentStage }
//   ParticipationView: the summary with
//     stages: [{ stage, startsOn, endsOn (null while open), reason }] in date order, and
//     history: [{ event, fromStage, toStage, reason, fromCohortId, toCohortId, effectiveOn, at }].
//   currentStage is the stage on today's UK date (the first stage where today is before it began).
import type { Executor } from '../../db/database.ts'
import type { ParticipationStage } from '../../db/schema.ts'
import { NotFoundError } from '../../errors.ts'
import { hubsAdministered, isNational, isSignedIn } from '../access/access.policy.ts'
import { ukDate } from '../events/bookings/book-place.ts'
import type { UseCaseContext } from '../use-case.ts'
import { canViewParticipation } from './participants.policy.ts'

export interface ParticipationSummary {
  id: number
  personId: number
  personName: string
  cohortId: string
  hubId: string | null
  startedAt: Date
  /** The stage on today's date; null only for a participation with no stages. */
  currentStage: ParticipationStage | null
}

export interface StageEntry {
  stage: ParticipationStage
  startsOn: string
  endsOn: string | null
  reason: string | null
}

export interface HistoryEntry {
  event: string
  fromStage: ParticipationStage | null
  toStage: ParticipationStage
  reason: string | null
  fromCohortId: string | null
  toCohortId: string | null
  effectiveOn: string
  at: Date
}

export interface ParticipationView extends ParticipationSummary {
  stages: StageEntry[]
  history: HistoryEntry[]
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('participations as p')
    .innerJoin('people', 'people.id', 'p.person_id')
    .select(['p.id', 'p.person_id', 'people.name', 'p.cohort_id', 'p.hub_id', 'p.started_at'])
    .orderBy('p.cohort_id')
    .orderBy('people.name')
    .orderBy('p.id')
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number]

async function stagesOf(db: Executor, ids: number[]) {
  if (ids.length === 0) return []
  return db
    .selectFrom('participation_stages')
    .select(['participation_id', 'stage', 'starts_on', 'ends_on', 'reason'])
    .where('participation_id', 'in', ids)
    .orderBy('participation_id')
    .orderBy('starts_on')
    .execute()
}

/** The stage on `today`; before the first stage began, the first. */
function stageOnDay(stages: StageEntry[], today: string): ParticipationStage | null {
  const on = stages.find((s) => s.startsOn <= today && (s.endsOn === null || today < s.endsOn))
  return on?.stage ?? (stages[0] && today < stages[0].startsOn ? stages[0].stage : null)
}

function dateText(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10)
}

async function summarise(
  context: UseCaseContext,
  rows: Row[],
): Promise<(ParticipationSummary & { stages: StageEntry[] })[]> {
  const today = ukDate(context.clock.now())
  const stages = await stagesOf(
    context.db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => {
    const own = stages
      .filter((s) => s.participation_id === r.id)
      .map((s) => ({
        stage: s.stage,
        startsOn: dateText(s.starts_on),
        endsOn: s.ends_on === null ? null : dateText(s.ends_on),
        reason: s.reason,
      }))
    return {
      id: r.id,
      personId: r.person_id,
      personName: r.name,
      cohortId: r.cohort_id,
      hubId: r.hub_id,
      startedAt: new Date(r.started_at),
      currentStage: stageOnDay(own, today),
      stages: own,
    }
  })
}

async function withHistory(
  context: UseCaseContext,
  summary: ParticipationSummary & { stages: StageEntry[] },
): Promise<ParticipationView> {
  const rows = await context.db
    .selectFrom('participation_history')
    .select([
      'event',
      'from_stage',
      'to_stage',
      'reason',
      'from_cohort_id',
      'to_cohort_id',
      'effective_on',
      'at',
    ])
    .where('participation_id', '=', summary.id)
    .orderBy('at')
    .orderBy('id')
    .execute()
  return {
    ...summary,
    history: rows.map((h) => ({
      event: h.event,
      fromStage: h.from_stage,
      toStage: h.to_stage,
      reason: h.reason,
      fromCohortId: h.from_cohort_id,
      toCohortId: h.to_cohort_id,
      effectiveOn: dateText(h.effective_on),
      at: new Date(h.at),
    })),
  }
}

/** One participation with its stages and history, for those who may see it; else not found. */
export async function viewParticipation(context: UseCaseContext, id: number): Promise<ParticipationView> {
  const row = await baseQuery(context.db).where('p.id', '=', id).executeTakeFirst()
  if (!row || !canViewParticipation(context.actor, { personId: row.person_id, hubId: row.hub_id })) {
    throw new NotFoundError('Participation')
  }
  const [summary] = await summarise(context, [row])
  return withHistory(context, summary!)
}

export interface ParticipationFilter {
  cohortId?: string | undefined
  hubId?: string | undefined
}

/**
 * The participations of a cohort or hub (or both, or neither): NCETM's every hub's; a hub lead's or
 * administrator's only their own hubs' (naming another hub is not found). Anyone else: not found.
 */
export async function listParticipations(
  context: UseCaseContext,
  filter: ParticipationFilter,
): Promise<ParticipationSummary[]> {
  const actor = context.actor
  const national = isNational(actor)
  const hubs = hubsAdministered(actor)
  if (!national && hubs.length === 0) throw new NotFoundError('Participations')
  if (filter.hubId !== undefined && !national && !hubs.includes(filter.hubId)) throw new NotFoundError('Hub')
  let query = baseQuery(context.db)
  if (filter.cohortId !== undefined) query = query.where('p.cohort_id', '=', filter.cohortId)
  if (filter.hubId !== undefined) query = query.where('p.hub_id', '=', filter.hubId)
  if (!national) query = query.where('p.hub_id', 'in', hubs)
  const rows = await summarise(context, await query.execute())
  return rows.map((r) => ({
    id: r.id,
    personId: r.personId,
    personName: r.personName,
    cohortId: r.cohortId,
    hubId: r.hubId,
    startedAt: r.startedAt,
    currentStage: r.currentStage,
  }))
}

/** The signed-in person's own participations, each with its stages and history. */
export async function myParticipations(context: UseCaseContext): Promise<ParticipationView[]> {
  const actor = context.actor
  if (!isSignedIn(actor)) return []
  const rows = await baseQuery(context.db).where('p.person_id', '=', actor.personId).execute()
  const summaries = await summarise(context, rows)
  return Promise.all(summaries.map((s) => withHistory(context, s)))
}
