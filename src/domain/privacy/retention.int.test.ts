// The retention policy, through the real use-cases on a real database: each kind of unsuccessful
// application is deleted (with its evidence, endorsement requests, history, reviews and decision)
// exactly when the configured months have passed since it became unsuccessful, and not a day
// before; an accepted place is never deleted; counts survive for statistics; each run that deletes
// writes one audit row with counts only; two schedulers racing delete each application once.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { cohortWithEveryOutcome, newTeacher, type CohortOutcomes } from '../../../test/privacy-fixtures.ts'
import { contextFor } from '../../../test/decision-fixtures.ts'
import { loadDemo } from '../../db/seeds/demo.ts'
import { createScheduler } from '../../jobs/scheduler.ts'
import { fixedClock } from '../../lib/clock.ts'
import { startApplication } from '../applications/start-application.ts'
import { withdrawApplication } from '../applications/withdraw-application.ts'
import { deleteUnsuccessfulApplications } from './delete-unsuccessful-applications.ts'

const clock = fixedClock('2026-11-22T10:00:00Z')
let database: TestDatabase
let round: CohortOutcomes

const DAY = 24 * 3_600_000
const before = (iso: string) => new Date(new Date(iso).getTime() - DAY)

async function exists(id: number): Promise<boolean> {
  const row = await database.db
    .selectFrom('applications')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst()
  return row !== undefined
}

/** Rows in every table hanging off the application. */
async function rowsAbout(id: number): Promise<Record<string, number>> {
  const count = async (table: string, column: string) => {
    const result = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${id}`.execute(
      database.db,
    )
    return result.rows[0]!.n
  }
  return {
    applications: await count('applications', 'id'),
    history: await count('application_history', 'application_id'),
    endorsementRequests: await count('endorsement_requests', 'application_id'),
    reviewAssignments: await count('review_assignments', 'application_id'),
    decisions: await count('selection_decisions', 'application_id'),
  }
}

async function retentionAudit() {
  return database.db
    .selectFrom('audit_events')
    .select(['actor_kind', 'record_type', 'record_id', 'after'])
    .where('action', '=', 'retention.delete-unsuccessful-applications')
    .orderBy('id')
    .execute()
}

const run = () => deleteUnsuccessfulApplications({ db: database.db, clock, retentionMonths: 12 })

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  round = await cohortWithEveryOutcome(database.db, clock, 301)
})

afterAll(async () => {
  await database?.destroy()
})

describe('deleting unsuccessful applications after 12 months', () => {
  it('deletes each exactly when its period ends, and never an accepted place', async () => {
    const all = [
      round.withdrawn,
      round.draft,
      round.declinedEndorsement,
      round.notSelected.id,
      round.placeDeclined.id,
      round.reserve.id,
      round.accepted.id,
    ]
    const reviewsBefore = await database.db
      .selectFrom('reviews as r')
      .innerJoin('review_assignments as ra', 'ra.id', 'r.assignment_id')
      .select('ra.application_id')
      .where('ra.application_id', '=', round.notSelected.id)
      .execute()
    expect(reviewsBefore).toHaveLength(1)
    // Each, in order: when it became unsuccessful plus 12 months (UK time).
    const steps: { at: string; deleted: number[] }[] = [
      // Withdrawn at 10am on 22 November 2026.
      { at: '2027-11-22T10:00:00Z', deleted: [round.withdrawn] },
      // The window closed at 5pm on 21 January 2027 without a submission or an endorsement.
      { at: '2028-01-21T17:00:00Z', deleted: [round.draft, round.declinedEndorsement] },
      // Not selected: released at midnight on 21 April 2027 (BST).
      { at: '2028-04-20T23:00:00Z', deleted: [round.notSelected.id] },
      // The place was declined at 11am on 25 April 2027 (BST).
      { at: '2028-04-25T10:00:00Z', deleted: [round.placeDeclined.id] },
      // The reserve was never offered a place: offers finished on 1 September 2027 (BST).
      { at: '2028-08-31T23:00:00Z', deleted: [round.reserve.id] },
    ]
    const gone: number[] = []
    for (const step of steps) {
      clock.set(before(step.at))
      expect(await run(), `a day before ${step.at}`).toBe(0)
      for (const id of all) expect(await exists(id), `${id} a day before ${step.at}`).toBe(!gone.includes(id))
      clock.set(step.at)
      expect(await run(), `at ${step.at}`).toBe(step.deleted.length)
      gone.push(...step.deleted)
      for (const id of all) expect(await exists(id), `${id} at ${step.at}`).toBe(!gone.includes(id))
    }
    for (const id of gone) {
      expect(await rowsAbout(id)).toEqual({
        applications: 0,
        history: 0,
        endorsementRequests: 0,
        reviewAssignments: 0,
        decisions: 0,
      })
    }
    // Years later, the accepted place and its participation are still there.
    clock.set('2040-01-01T00:00:00Z')
    expect(await run()).toBe(0)
    expect((await rowsAbout(round.accepted.id)).applications).toBe(1)
    const participation = await database.db
      .selectFrom('participations')
      .select('id')
      .where('application_id', '=', round.accepted.id)
      .execute()
    expect(participation).toHaveLength(1)
  })

  it('keeps counts per cohort, hub and outcome for statistics', async () => {
    const counts = await database.db
      .selectFrom('deleted_application_counts')
      .select(['hub_id', 'outcome', 'applications'])
      .where('cohort_id', '=', round.cohortId)
      .orderBy('outcome')
      .execute()
    expect(counts).toEqual([
      { hub_id: 'northvale-maths-hub', outcome: 'endorsement-declined', applications: 1 },
      { hub_id: 'northvale-maths-hub', outcome: 'not-selected', applications: 1 },
      { hub_id: 'northvale-maths-hub', outcome: 'not-submitted', applications: 1 },
      { hub_id: 'northvale-maths-hub', outcome: 'offer-declined', applications: 1 },
      { hub_id: 'northvale-maths-hub', outcome: 'reserve-not-offered', applications: 1 },
      { hub_id: 'northvale-maths-hub', outcome: 'withdrawn', applications: 1 },
    ])
  })

  it('writes one audit row per run that deleted anything, with counts and no personal data', async () => {
    const rows = await retentionAudit()
    expect(rows).toHaveLength(5)
    expect(rows.every((r) => r.actor_kind === 'system' && r.record_type === 'retention')).toBe(true)
    expect(rows[1]!.after).toMatchObject({
      months: 12,
      deleted: 2,
      byOutcome: { 'not-submitted': 1, 'endorsement-declined': 1, withdrawn: 0 },
    })
    const text = JSON.stringify(rows)
    for (const name of ['Wendy', 'Derek', 'Dana', 'Nora', 'Pat', 'Rory', '@', 'MH-']) {
      expect(text).not.toContain(name)
    }
  })
})

describe('two schedulers racing', () => {
  it('delete each due application once, between them', async () => {
    clock.set('2026-11-22T10:00:00Z')
    const cohortId = round.cohortId
    const ids: number[] = []
    for (let i = 0; i < 7; i++) {
      const teacher = await newTeacher(database.db, `Racing Teacher ${i}`)
      const context = contextFor(database.db, clock, teacher)
      const { application } = await startApplication(context, cohortId)
      await withdrawApplication(context, application.id)
      ids.push(application.id)
    }
    const auditBefore = (await retentionAudit()).length
    clock.set('2027-11-22T10:00:00Z')
    const deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', retentionMonths: 12 }
    const [a, b, c] = await Promise.all([
      createScheduler(deps).runOnce(),
      createScheduler(deps).runOnce(),
      deleteUnsuccessfulApplications({ db: database.db, clock, retentionMonths: 12 }, { batchSize: 2 }),
    ])
    expect(a.deletedApplications + b.deletedApplications + c).toBe(7)
    for (const id of ids) expect(await exists(id)).toBe(false)
    const runs = (await retentionAudit()).slice(auditBefore)
    expect(runs.length).toBeGreaterThanOrEqual(1)
    expect(runs.reduce((sum, r) => sum + (r.after as { deleted: number }).deleted, 0)).toBe(7)
    // Drafts that never named a school are counted without a hub.
    const withdrawn = await database.db
      .selectFrom('deleted_application_counts')
      .select(['hub_id', 'applications'])
      .where('cohort_id', '=', cohortId)
      .where('outcome', '=', 'withdrawn')
      .orderBy('hub_id')
      .execute()
    expect(withdrawn).toEqual([
      { hub_id: 'northvale-maths-hub', applications: 1 },
      { hub_id: null, applications: 7 },
    ])
    // Nothing left to do: another run deletes nothing and writes no audit row.
    expect(await run()).toBe(0)
    expect((await retentionAudit()).length).toBe(auditBefore + runs.length)
  })
})

describe('the configured period', () => {
  it('counts the months given: 6 months deletes what 12 keeps', async () => {
    clock.set('2026-11-22T10:00:00Z')
    const teacher = await newTeacher(database.db, 'Six Months')
    const context = contextFor(database.db, clock, teacher)
    const { application } = await startApplication(context, round.cohortId)
    await withdrawApplication(context, application.id)
    clock.set('2027-05-22T10:00:00Z')
    expect(await run()).toBe(0)
    expect(await exists(application.id)).toBe(true)
    expect(await deleteUnsuccessfulApplications({ db: database.db, clock, retentionMonths: 6 })).toBe(1)
    expect(await exists(application.id)).toBe(false)
  })
})
