// Migration 0017: the residentials a cohort held as JSON become events, each with its days in UK
// time and a venue still to be named, planned or confirmed as the JSON said.
import fs from 'node:fs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/database.ts'
import { listMigrations, migrate } from './migrate.ts'

let database: TestDatabase

beforeAll(async () => {
  // A database migrated only as far as the migration before the events, by the same steps migrate takes.
  database = await createTestDatabase({ migrated: false })
  const { db } = database
  await sql`CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
    db,
  )
  for (const migration of listMigrations().filter((m) => m.version < '0017')) {
    await sql.raw(fs.readFileSync(migration.file, 'utf8')).execute(db)
    await db.insertInto('schema_migrations').values({ version: migration.version }).execute()
  }
  const residentials = [
    { name: 'First residential', startsOn: '2026-10-13', endsOn: '2026-10-14', subjectToConfirmation: false },
    { name: 'Second residential', startsOn: '2027-03-29', endsOn: '2027-03-30', subjectToConfirmation: true },
    // The same name twice in one cohort is still two events.
    { name: 'Second residential', startsOn: '2027-06-28', endsOn: '2027-06-28', subjectToConfirmation: true },
  ]
  await sql`INSERT INTO cohorts (id, programme_id, number, development_year, opens_at, closes_at,
              decisions_released_on, residentials, funding, created_at)
            SELECT ${'primary-mastery-specialist-90'}, id, 90, '2026/27', '2026-01-05T09:00:00Z',
                   '2026-03-02T12:00:00Z', '2026-05-01', ${JSON.stringify(residentials)}::jsonb,
                   '{"releaseDaysPerYear": 15, "dayRatePence": 22000, "bursaryPence": 0}'::jsonb,
                   '2026-01-01T10:00:00Z'
            FROM programmes ORDER BY id LIMIT 1`.execute(db)
  await sql`INSERT INTO cohorts (id, programme_id, number, development_year, opens_at, closes_at,
              decisions_released_on, funding)
            SELECT ${'primary-mastery-specialist-91'}, id, 91, '2026/27', '2026-01-05T09:00:00Z',
                   '2026-03-02T12:00:00Z', '2026-05-01',
                   '{"releaseDaysPerYear": 15, "dayRatePence": 22000, "bursaryPence": 0}'::jsonb
            FROM programmes ORDER BY id LIMIT 1`.execute(db)
  expect(await migrate(db)).toContain('0017_events')
}, 120_000)
afterAll(() => database?.destroy())

describe('migration 0017: residentials become events', () => {
  it('makes one event per residential, in order, planned or confirmed as the cohort said', async () => {
    const events = await database.db
      .selectFrom('events')
      .select(['id', 'kind', 'title', 'cohort_id', 'status', 'confirmed_at', 'needs_retained_until'])
      .orderBy('id')
      .execute()
    expect(events.map((e) => [e.kind, e.title, e.cohort_id, e.status])).toEqual([
      ['residential', 'First residential', 'primary-mastery-specialist-90', 'confirmed'],
      ['residential', 'Second residential', 'primary-mastery-specialist-90', 'planned'],
      ['residential', 'Second residential', 'primary-mastery-specialist-90', 'planned'],
    ])
    expect(events[0]!.confirmed_at).not.toBeNull()
    expect(events[1]!.confirmed_at).toBeNull()
    expect(String(events[0]!.needs_retained_until)).toMatch(/^2026-11-13|Fri Nov 13 2026/)
  })

  it('gives each event its days, 9am to 5pm UK time, and a venue to be confirmed', async () => {
    const days = await database.db
      .selectFrom('event_days')
      .innerJoin('events', 'events.id', 'event_days.event_id')
      .select(['events.title', 'event_days.day_number', 'event_days.starts_at', 'event_days.ends_at'])
      .orderBy('event_days.event_id')
      .orderBy('event_days.day_number')
      .execute()
    expect(
      days.map((d) => [
        d.title,
        d.day_number,
        new Date(d.starts_at).toISOString(),
        new Date(d.ends_at).toISOString(),
      ]),
    ).toEqual([
      // October is British Summer Time (UTC+1); March 29th 2027 is after the clocks go forward.
      ['First residential', 1, '2026-10-13T08:00:00.000Z', '2026-10-13T16:00:00.000Z'],
      ['First residential', 2, '2026-10-14T08:00:00.000Z', '2026-10-14T16:00:00.000Z'],
      ['Second residential', 1, '2027-03-29T08:00:00.000Z', '2027-03-29T16:00:00.000Z'],
      ['Second residential', 2, '2027-03-30T08:00:00.000Z', '2027-03-30T16:00:00.000Z'],
      ['Second residential', 1, '2027-06-28T08:00:00.000Z', '2027-06-28T16:00:00.000Z'],
    ])
    const venues = await database.db.selectFrom('event_venues').select(['name', 'capacity']).execute()
    expect(venues).toHaveLength(3)
    expect(venues.every((v) => v.name === 'Venue to be confirmed' && v.capacity > 0)).toBe(true)
  })

  it('leaves a cohort without residentials without events, and the sequence past the ids used', async () => {
    const none = await database.db
      .selectFrom('events')
      .select('id')
      .where('cohort_id', '=', 'primary-mastery-specialist-91')
      .execute()
    expect(none).toEqual([])
    const next = await database.db
      .insertInto('events')
      .values({
        kind: 'workshop',
        title: 'Pilot collaborative lesson observation workshop',
        cohort_id: 'primary-mastery-specialist-91',
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(Number(next.id)).toBeGreaterThan(3)
  })

  it('refuses an event whose kind needs a cohort without one, and a day ending before it starts', async () => {
    await expect(
      database.db
        .insertInto('events')
        .values({ kind: 'residential', title: 'No cohort', created_at: new Date(), updated_at: new Date() })
        .execute(),
    ).rejects.toThrow()
    const event = await database.db.selectFrom('events').select('id').orderBy('id').executeTakeFirstOrThrow()
    await expect(
      database.db
        .insertInto('event_days')
        .values({
          event_id: event.id,
          day_number: 5,
          starts_at: new Date('2026-10-15T16:00:00Z'),
          ends_at: new Date('2026-10-15T08:00:00Z'),
        })
        .execute(),
    ).rejects.toThrow()
  })
})
