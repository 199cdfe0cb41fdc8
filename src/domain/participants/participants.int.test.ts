// The participation timeline on a real database: the stage on a date, moves through the
// use-cases, refusals, the overlap held by the database itself, and who may change a stage.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cohortInputWith } from '../../../test/cohort-factory.ts'
import { ensureCohort } from '../../../test/cohort-factory.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { NotFoundError, ValidationError } from '../../errors.ts'
import { fixedClock } from '../../lib/clock.ts'
import { actorForPerson } from '../access/actors.repository.ts'
import type { Actor } from '../access/actor.ts'
import type { UseCaseContext } from '../use-case.ts'
import { becomeActive } from './become-active.ts'
import { beginYearTwo } from './begin-year-two.ts'
import { deferParticipation } from './defer-participation.ts'
import { listStages, stageOn } from './participants.repository.ts'
import { resumeParticipation } from './resume-participation.ts'
import { startYearOne } from './start-year-one.ts'
import { withdrawParticipation } from './withdraw-participation.ts'

const clock = fixedClock('2026-03-01T10:00:00Z')
const HUB = 'northvale-maths-hub'
let database: TestDatabase
let admin: Actor
let hubLead: Actor
let otherLead: Actor
let cohortId: string
let laterCohortId: string
let n = 0

async function personWith(
  email: string,
  role: 'national-admin' | 'hub-lead',
  hub: string | null,
): Promise<Actor> {
  const person = await database.db
    .insertInto('people')
    .values({ name: email, email })
    .returning('id')
    .executeTakeFirstOrThrow()
  await database.db.insertInto('grants').values({ person_id: person.id, role, hub_id: hub }).execute()
  return (await actorForPerson(database.db, person.id))!
}

function context(actor: Actor): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'timeline-test', baseUrl: 'http://localhost:3000' }
}

/** A participation in year 1 from 1 October 2025. */
async function participation(): Promise<number> {
  n += 1
  const db = database.db
  const person = await db
    .insertInto('people')
    .values({ name: `S${n}`, email: `s${n}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const application = await db
    .insertInto('applications')
    .values({
      reference: `MH-${String(n).padStart(8, '0')}`,
      cohort_id: cohortId,
      applicant_id: person.id,
      state: 'draft',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  const row = await db
    .insertInto('participations')
    .values({
      person_id: person.id,
      cohort_id: cohortId,
      application_id: application.id,
      hub_id: HUB,
      started_at: new Date('2025-10-01T09:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.transaction().execute((tx) => startYearOne(tx, row.id, cohortId, new Date('2025-10-01T09:00:00Z')))
  return row.id
}

beforeAll(async () => {
  database = await createTestDatabase()
  await database.db
    .insertInto('hubs')
    .values([
      { id: HUB, name: 'Northvale Maths Hub' },
      { id: 'other-maths-hub', name: 'Other Maths Hub' },
    ])
    .execute()
  admin = await personWith('admin@ncetm.example', 'national-admin', null)
  hubLead = await personWith('lead@northvale.example', 'hub-lead', HUB)
  otherLead = await personWith('lead@other.example', 'hub-lead', 'other-maths-hub')
  cohortId = await ensureCohort(database.db, cohortInputWith({ number: 71 }))
  laterCohortId = await ensureCohort(database.db, cohortInputWith({ number: 72 }))
})

afterAll(async () => {
  await database?.destroy()
})

describe('the participation timeline', () => {
  it('answers the one stage on a date', async () => {
    const id = await participation()
    await beginYearTwo(context(hubLead), id, { on: '2026-09-01' })
    expect((await stageOn(database.db, id, '2026-03-03'))?.stage).toBe('year-one')
    expect((await stageOn(database.db, id, '2026-09-01'))?.stage).toBe('year-two')
    expect(await stageOn(database.db, id, '2025-09-30')).toBeUndefined()
    const history = await database.db
      .selectFrom('participation_history')
      .selectAll()
      .where('participation_id', '=', id)
      .execute()
    expect(history.map((h) => h.event)).toEqual(['start', 'begin-year-two'])
    const audit = await database.db
      .selectFrom('audit_events')
      .select('after')
      .where('record_type', '=', 'participation')
      .where('record_id', '=', String(id))
      .executeTakeFirstOrThrow()
    expect(audit.after).toMatchObject({ stage: 'year-two', reasonGiven: false })
  })

  it('refuses overlapping stages in the database itself', async () => {
    const id = await participation()
    await expect(
      sql`INSERT INTO participation_stages (participation_id, stage, starts_on, created_at) VALUES (${id}, 'active', '2026-01-01', now())`.execute(
        database.db,
      ),
    ).rejects.toMatchObject({ code: '23P01' })
  })

  it('says plainly when two changes race and the database refuses the second', async () => {
    const id = await participation()
    const results = await Promise.allSettled([
      beginYearTwo(context(admin), id, { on: '2026-09-01' }),
      beginYearTwo(context(admin), id, { on: '2026-09-01' }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toBeInstanceOf(ValidationError)
    expect(String(refused.reason.message)).not.toMatch(/participation_stages|daterange|Key/)
    expect((await listStages(database.db, id)).map((s) => s.stage)).toEqual(['year-one', 'year-two'])
  })

  it('defers to a later cohort, keeping the history', async () => {
    const id = await participation()
    await deferParticipation(context(admin), id, {
      on: '2026-02-01',
      reason: 'Illness',
      toCohortId: laterCohortId,
    })
    const row = await database.db
      .selectFrom('participations')
      .select('cohort_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.cohort_id).toBe(laterCohortId)
    expect((await listStages(database.db, id)).map((s) => [s.stage, s.reason])).toEqual([
      ['year-one', null],
      ['deferred', 'Illness'],
    ])
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'after'])
      .where('record_type', '=', 'participation')
      .where('record_id', '=', String(id))
      .execute()
    expect(audit.map((a) => a.action)).toContain('participation.defer')
    // The audit trail (which erasure cannot reach) says only that a reason was given.
    const deferral = audit.find((a) => a.action === 'participation.defer')!
    expect(deferral.after).toMatchObject({ stage: 'deferred', reasonGiven: true })
    expect(JSON.stringify(deferral.after)).not.toContain('Illness')
    await expect(
      deferParticipation(context(admin), id, { on: '2026-03-01', reason: 'Again', toCohortId: cohortId }),
    ).rejects.toBeInstanceOf(ValidationError)
  })

  it('requires a reason to withdraw, and nothing moves after', async () => {
    const id = await participation()
    await expect(withdrawParticipation(context(admin), id, { on: '2026-02-01' })).rejects.toBeInstanceOf(
      ValidationError,
    )
    await withdrawParticipation(context(admin), id, { on: '2026-02-01', reason: 'Left teaching' })
    const audit = await database.db
      .selectFrom('audit_events')
      .select('after')
      .where('record_type', '=', 'participation')
      .where('record_id', '=', String(id))
      .where('action', '=', 'participation.withdraw')
      .executeTakeFirstOrThrow()
    expect(audit.after).toEqual({ stage: 'withdrawn', on: '2026-02-01', reasonGiven: true, cohortId })
    await expect(beginYearTwo(context(admin), id, { on: '2026-09-01' })).rejects.toBeInstanceOf(
      ValidationError,
    )
  })

  it('is not found for anyone but NCETM and the hub lead of the participation’s hub', async () => {
    const id = await participation()
    await expect(beginYearTwo(context(otherLead), id, { on: '2026-09-01' })).rejects.toBeInstanceOf(
      NotFoundError,
    )
    expect((await listStages(database.db, id)).map((s) => s.stage)).toEqual(['year-one'])
  })

  it('goes on from year two to active, and a deferred specialist resumes year one with the later cohort', async () => {
    const id = await participation()
    await beginYearTwo(context(hubLead), id, { on: '2026-09-01' })
    await becomeActive(context(hubLead), id, { on: '2027-09-01' })
    expect((await stageOn(database.db, id, '2028-01-15'))?.stage).toBe('active')
    // Active is not a year of development: it cannot go back to one.
    await expect(beginYearTwo(context(admin), id, { on: '2028-09-01' })).rejects.toBeInstanceOf(
      ValidationError,
    )

    const deferred = await participation()
    await deferParticipation(context(admin), deferred, {
      on: '2026-02-01',
      reason: 'Maternity leave',
      toCohortId: laterCohortId,
    })
    await resumeParticipation(context(hubLead), deferred, { on: '2026-10-01' })
    expect((await listStages(database.db, deferred)).map((s) => s.stage)).toEqual([
      'year-one',
      'deferred',
      'year-one',
    ])
    expect((await stageOn(database.db, deferred, '2026-05-01'))?.stage).toBe('deferred')
    const history = await database.db
      .selectFrom('participation_history')
      .select('event')
      .where('participation_id', '=', deferred)
      .orderBy('id')
      .execute()
    expect(history.map((h) => h.event)).toEqual(['start', 'defer', 'resume'])
  })
})
