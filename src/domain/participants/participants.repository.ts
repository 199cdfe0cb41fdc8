// SQL for participations' timelines: their stages (dated periods that never overlap, held so by
// the exclusion constraint participation_stages_no_overlap) and the history of every move.
import { sql } from 'kysely'
import type { Executor, Tx } from '../../db/database.ts'
import { databaseErrorIn } from '../../db/database-errors.ts'
import type { ParticipationStage } from '../../db/schema.ts'
import { ValidationError } from '../../errors.ts'

export interface StagePeriod {
  id: number
  participationId: number
  stage: ParticipationStage
  reason: string | null
  startsOn: string
  endsOn: string | null
}

export interface ParticipationRecord {
  id: number
  personId: number
  cohortId: string
  hubId: string | null
  programmeId: string
  /** The programme has a development year 2 (its year structure lists a year 2). */
  hasYearTwo: boolean
}

export async function findParticipationRecord(
  db: Executor,
  participationId: number,
): Promise<ParticipationRecord | undefined> {
  const row = await db
    .selectFrom('participations')
    .innerJoin('cohorts', 'cohorts.id', 'participations.cohort_id')
    .innerJoin('programmes', 'programmes.id', 'cohorts.programme_id')
    .select([
      'participations.id',
      'participations.person_id',
      'participations.cohort_id',
      'participations.hub_id',
      'programmes.id as programme_id',
      sql<boolean>`programmes.year_structure @> '[{"year": 2}]'::jsonb`.as('has_year_two'),
    ])
    .where('participations.id', '=', participationId)
    .executeTakeFirst()
  return row
    ? {
        id: row.id,
        personId: row.person_id,
        cohortId: row.cohort_id,
        hubId: row.hub_id,
        programmeId: row.programme_id,
        hasYearTwo: row.has_year_two,
      }
    : undefined
}

function toPeriod(row: {
  id: number
  participation_id: number
  stage: ParticipationStage
  reason: string | null
  starts_on: string
  ends_on: string | null
}): StagePeriod {
  return {
    id: row.id,
    participationId: row.participation_id,
    stage: row.stage,
    reason: row.reason,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
  }
}

/** The one open stage: the latest, which has no end. */
export async function openStage(db: Executor, participationId: number): Promise<StagePeriod | undefined> {
  const row = await db
    .selectFrom('participation_stages')
    .select(['id', 'participation_id', 'stage', 'reason', 'starts_on', 'ends_on'])
    .where('participation_id', '=', participationId)
    .where('ends_on', 'is', null)
    .executeTakeFirst()
  return row ? toPeriod(row) : undefined
}

/** The stage on a date (YYYY-MM-DD): at most one, as the stages never overlap. */
export async function stageOn(
  db: Executor,
  participationId: number,
  date: string,
): Promise<StagePeriod | undefined> {
  const row = await db
    .selectFrom('participation_stages')
    .select(['id', 'participation_id', 'stage', 'reason', 'starts_on', 'ends_on'])
    .where('participation_id', '=', participationId)
    .where(sql<boolean>`daterange(starts_on, ends_on, '[)') @> ${date}::date`)
    .executeTakeFirst()
  return row ? toPeriod(row) : undefined
}

export async function listStages(db: Executor, participationId: number): Promise<StagePeriod[]> {
  const rows = await db
    .selectFrom('participation_stages')
    .select(['id', 'participation_id', 'stage', 'reason', 'starts_on', 'ends_on'])
    .where('participation_id', '=', participationId)
    .orderBy('starts_on')
    .execute()
  return rows.map(toPeriod)
}

export async function endStage(tx: Tx, stageId: number, endsOn: string): Promise<void> {
  await tx.updateTable('participation_stages').set({ ends_on: endsOn }).where('id', '=', stageId).execute()
}

/** A new open stage; a period that overlaps another is refused by the database, said plainly. */
export async function insertStage(
  tx: Tx,
  values: {
    participationId: number
    stage: ParticipationStage
    reason: string | null
    startsOn: string
    createdBy: number | null
    now: Date
  },
): Promise<number> {
  try {
    const row = await tx
      .insertInto('participation_stages')
      .values({
        participation_id: values.participationId,
        stage: values.stage,
        reason: values.reason,
        starts_on: values.startsOn,
        created_by: values.createdBy,
        created_at: values.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  } catch (error) {
    if (databaseErrorIn(error)?.code === '23P01') {
      throw new ValidationError([
        {
          code: 'overlapping-stage',
          field: 'stage',
          message: 'This stage overlaps another of the specialist’s stages: it has just been changed',
        },
      ])
    }
    throw error
  }
}

export async function insertHistory(
  tx: Tx,
  values: {
    participationId: number
    event: string
    fromStage: ParticipationStage | null
    toStage: ParticipationStage
    reason: string | null
    fromCohortId: string | null
    toCohortId: string | null
    effectiveOn: string
    actorPersonId: number | null
    now: Date
  },
): Promise<void> {
  await tx
    .insertInto('participation_history')
    .values({
      participation_id: values.participationId,
      event: values.event,
      from_stage: values.fromStage,
      to_stage: values.toStage,
      reason: values.reason,
      from_cohort_id: values.fromCohortId,
      to_cohort_id: values.toCohortId,
      effective_on: values.effectiveOn,
      actor_person_id: values.actorPersonId,
      at: values.now,
    })
    .execute()
}

export async function moveCohort(tx: Tx, participationId: number, cohortId: string): Promise<void> {
  await tx
    .updateTable('participations')
    .set({ cohort_id: cohortId })
    .where('id', '=', participationId)
    .execute()
}

/** A later cohort of the same programme, if that is what the id names. */
export async function laterCohort(db: Executor, fromCohortId: string, toCohortId: string): Promise<boolean> {
  const row = await db
    .selectFrom('cohorts as later')
    .innerJoin('cohorts as current', 'current.programme_id', 'later.programme_id')
    .select('later.id')
    .where('current.id', '=', fromCohortId)
    .where('later.id', '=', toCohortId)
    .whereRef('later.number', '>', 'current.number')
    .executeTakeFirst()
  return row !== undefined
}
