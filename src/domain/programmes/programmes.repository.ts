// SQL for the programme catalogue, its cohorts and "tell me when it opens" interest.
import { sql } from 'kysely'
import type { Executor, Tx } from '../../db/database.ts'
import { IN_PROGRESS } from '../applications/application.states.ts'
import type { CohortFunding, Criterion, Residential, YearSummary } from '../../db/schema.ts'

export type { CohortFunding, Criterion, Residential, YearSummary }

export interface Programme {
  id: string
  name: string
  description: string
  /** GIAS PhaseOfEducation names the programme serves. */
  phases: string[]
  specialSchoolsOnly: boolean
  yearStructure: YearSummary[]
}

export interface Cohort {
  id: string
  programmeId: string
  programmeName: string
  number: number
  developmentYear: string
  opensAt: Date
  closesAt: Date
  /** YYYY-MM-DD */
  decisionsReleasedOn: string
  essentialCriteria: Criterion[]
  desirableCriteria: Criterion[]
  headteacherCommitments: string[]
  residentials: Residential[]
  funding: CohortFunding
  createdAt: Date
  updatedAt: Date
}

/** What a use-case writes: everything but the keys and timestamps. */
export interface CohortValues {
  developmentYear: string
  opensAt: Date
  closesAt: Date
  decisionsReleasedOn: string
  essentialCriteria: Criterion[]
  desirableCriteria: Criterion[]
  headteacherCommitments: string[]
  residentials: Residential[]
  funding: CohortFunding
}

export function cohortId(programmeId: string, number: number): string {
  return `${programmeId}-${number}`
}

function programmesQuery(db: Executor) {
  return db
    .selectFrom('programmes')
    .select(['id', 'name', 'description', 'phases', 'special_schools_only', 'year_structure'])
}

function toProgramme(row: {
  id: string
  name: string
  description: string
  phases: string[]
  special_schools_only: boolean
  year_structure: YearSummary[]
}): Programme {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    phases: row.phases,
    specialSchoolsOnly: row.special_schools_only,
    yearStructure: row.year_structure,
  }
}

export async function listProgrammes(db: Executor): Promise<Programme[]> {
  const rows = await programmesQuery(db).orderBy('position').execute()
  return rows.map(toProgramme)
}

export async function findProgramme(db: Executor, id: string): Promise<Programme | undefined> {
  const row = await programmesQuery(db).where('id', '=', id).executeTakeFirst()
  return row ? toProgramme(row) : undefined
}

function cohortsQuery(db: Executor) {
  return db
    .selectFrom('cohorts as c')
    .innerJoin('programmes as p', 'p.id', 'c.programme_id')
    .select([
      'c.id',
      'c.programme_id',
      'p.name as programme_name',
      'c.number',
      'c.development_year',
      'c.opens_at',
      'c.closes_at',
      'c.decisions_released_on',
      'c.essential_criteria',
      'c.desirable_criteria',
      'c.headteacher_commitments',
      'c.residentials',
      'c.funding',
      'c.created_at',
      'c.updated_at',
    ])
}

type CohortRow = Awaited<ReturnType<ReturnType<typeof cohortsQuery>['executeTakeFirstOrThrow']>>

function toCohort(row: CohortRow): Cohort {
  return {
    id: row.id,
    programmeId: row.programme_id,
    programmeName: row.programme_name,
    number: row.number,
    developmentYear: row.development_year,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    decisionsReleasedOn: row.decisions_released_on,
    essentialCriteria: row.essential_criteria,
    desirableCriteria: row.desirable_criteria,
    headteacherCommitments: row.headteacher_commitments,
    residentials: row.residentials,
    funding: row.funding,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** Cohorts in catalogue order, newest cohort of each programme first. */
export async function listCohorts(db: Executor, filter: { programmeId?: string } = {}): Promise<Cohort[]> {
  let query = cohortsQuery(db)
  if (filter.programmeId) query = query.where('c.programme_id', '=', filter.programmeId)
  const rows = await query.orderBy('p.position').orderBy('c.number', 'desc').execute()
  return rows.map(toCohort)
}

/** The cohort; `forUpdate` (in a transaction) holds its row until the transaction ends. */
export async function findCohort(
  db: Executor,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Cohort | undefined> {
  let query = cohortsQuery(db).where('c.id', '=', id)
  if (options.forUpdate) query = query.forUpdate('c')
  const row = await query.executeTakeFirst()
  return row ? toCohort(row) : undefined
}

function columns(values: CohortValues) {
  return {
    development_year: values.developmentYear,
    opens_at: values.opensAt,
    closes_at: values.closesAt,
    decisions_released_on: values.decisionsReleasedOn,
    essential_criteria: JSON.stringify(values.essentialCriteria),
    desirable_criteria: JSON.stringify(values.desirableCriteria),
    headteacher_commitments: JSON.stringify(values.headteacherCommitments),
    residentials: JSON.stringify(values.residentials),
    funding: JSON.stringify(values.funding),
  }
}

/** Inserts the cohort; false (and nothing written) when the programme already has that number. */
export async function insertCohort(
  tx: Tx,
  cohort: { programmeId: string; number: number } & CohortValues,
  now: Date,
): Promise<boolean> {
  const inserted = await tx
    .insertInto('cohorts')
    .values({
      id: cohortId(cohort.programmeId, cohort.number),
      programme_id: cohort.programmeId,
      number: cohort.number,
      ...columns(cohort),
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted !== undefined
}

export async function updateCohort(tx: Tx, id: string, values: CohortValues, now: Date): Promise<void> {
  await tx
    .updateTable('cohorts')
    .set({ ...columns(values), updated_at: now })
    .where('id', '=', id)
    .execute()
}

/**
 * Ends the cohort's application window now: it closes now, and one not yet open is given a window
 * of one second ending now (the table holds no empty window), so it is never open from now on.
 * Answers the new window, or undefined (nothing written) when it had closed.
 */
export async function closeCohortWindow(
  tx: Tx,
  id: string,
  now: Date,
): Promise<{ opensAt: Date; closesAt: Date } | undefined> {
  const row = await tx
    .updateTable('cohorts')
    .set({
      opens_at: sql<Date>`least(opens_at, ${new Date(now.getTime() - 1000)}::timestamptz)`,
      closes_at: now,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('closes_at', '>', now)
    .returning(['opens_at', 'closes_at'])
    .executeTakeFirst()
  return row ? { opensAt: row.opens_at, closesAt: row.closes_at } : undefined
}

/** How many applications to the cohort were started and not yet submitted. */
export async function countUnsubmitted(db: Executor, cohort: string): Promise<number> {
  const row = await db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('cohort_id', '=', cohort)
    .where('state', 'in', [...IN_PROGRESS])
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The addresses to tell when the cohort opens, in the order they asked. */
export async function listInterest(
  db: Executor,
  cohort: string,
): Promise<{ email: string; createdAt: Date }[]> {
  const rows = await db
    .selectFrom('cohort_interest')
    .select(['email', 'created_at'])
    .where('cohort_id', '=', cohort)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ email: r.email, createdAt: r.created_at }))
}

/** Claims confirmed addresses waiting to hear that their cohort is open; other processes skip these rows. */
export async function claimOpeningNotices(
  tx: Tx,
  now: Date,
  limit: number,
): Promise<{ id: number; email: string; cohortId: string }[]> {
  const rows = await tx
    .selectFrom('cohort_interest as i')
    .innerJoin('cohorts as c', 'c.id', 'i.cohort_id')
    .select(['i.id', 'i.email', 'i.cohort_id'])
    .where('i.notified_at', 'is', null)
    // Only addresses whose owner confirmed them: nobody else is written to.
    .where('i.confirmed_at', 'is not', null)
    .where('c.opens_at', '<=', now)
    .where('c.closes_at', '>', now)
    .orderBy('i.id')
    .limit(limit)
    .forUpdate('i')
    .skipLocked()
    .execute()
  return rows.map((r) => ({ id: r.id, email: r.email, cohortId: r.cohort_id }))
}

export async function markNotified(tx: Tx, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return
  await tx.updateTable('cohort_interest').set({ notified_at: now }).where('id', 'in', ids).execute()
}
