// The private iCalendar feed, parsed by a real iCalendar parser: booked events appear with stable
// UIDs; a move keeps the UIDs with a higher SEQUENCE and the new times; a cancellation is
// STATUS:CANCELLED with a higher SEQUENCE; a reset URL makes the old one not found.
import ical, { type VEvent } from 'node-ical'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cohortInputWith, ensureCohort } from '../../../../test/cohort-factory.ts'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { NotFoundError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { Actor } from '../../access/actor.ts'
import { startYearOne } from '../../participants/start-year-one.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { bookPlace } from '../bookings/book-place.ts'
import { cancelEvent, confirmEvent, moveEvent } from '../scheduling/change-event.ts'
import { scheduleEvent } from '../scheduling/schedule-event.ts'
import { calendarFeed, hasCalendarFeed, resetCalendarFeed } from './calendar-feed.ts'

const clock = fixedClock('2026-09-01T10:00:00Z')
let database: TestDatabase
let admin: Actor
let specialist: Actor
let specialistId: number
let cohortId: string

function context(actor: Actor): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'calendar-test', baseUrl: 'http://localhost:3000' }
}

function vevents(text: string) {
  return Object.values(ical.sync.parseICS(text))
    .filter((c): c is VEvent => c?.type === 'VEVENT')
    .sort((a, b) => String(a.uid).localeCompare(String(b.uid)))
}

beforeAll(async () => {
  database = await createTestDatabase()
  const db = database.db
  await db.insertInto('hubs').values({ id: 'northvale-maths-hub', name: 'Northvale Maths Hub' }).execute()
  const a = await db
    .insertInto('people')
    .values({ name: 'Admin', email: 'admin@ncetm.example' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('grants').values({ person_id: a.id, role: 'national-admin' }).execute()
  admin = (await actorForPerson(db, a.id))!
  cohortId = await ensureCohort(db, cohortInputWith({ number: 85 }))
  const p = await db
    .insertInto('people')
    .values({ name: 'Tess Teacher', email: 'tess@school.example' })
    .returning('id')
    .executeTakeFirstOrThrow()
  specialistId = p.id
  await db
    .insertInto('grants')
    .values({
      person_id: p.id,
      role: 'mastery-specialist',
      hub_id: 'northvale-maths-hub',
      cohort_id: cohortId,
    })
    .execute()
  const application = await db
    .insertInto('applications')
    .values({ reference: 'MH-00000001', cohort_id: cohortId, applicant_id: p.id, state: 'draft' } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  const started = new Date('2026-06-01T09:00:00Z')
  const row = await db
    .insertInto('participations')
    .values({
      person_id: p.id,
      cohort_id: cohortId,
      application_id: application.id,
      hub_id: 'northvale-maths-hub',
      started_at: started,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.transaction().execute((tx) => startYearOne(tx, row.id, cohortId, started))
  specialist = (await actorForPerson(db, p.id))!
})

afterAll(async () => {
  await database?.destroy()
})

describe('the calendar feed', () => {
  it('carries a move and a cancellation with the same UIDs and a higher SEQUENCE', async () => {
    const event = await scheduleEvent(context(admin), {
      kind: 'residential',
      title: 'First residential',
      cohortId,
      days: [
        { startsAt: '2026-10-13T08:00:00Z', endsAt: '2026-10-13T16:00:00Z' },
        { startsAt: '2026-10-14T08:00:00Z', endsAt: '2026-10-14T16:00:00Z' },
      ],
      venues: [{ name: 'London', address: '1 Example Street, London', capacity: 60 }],
    })
    await confirmEvent(context(admin), event.id)
    await bookPlace(context(specialist), event.id, { accessNeeds: 'Step-free access' })
    expect(await hasCalendarFeed(database.db, specialistId)).toBe(false)
    const { token } = await resetCalendarFeed(context(specialist))
    expect(await hasCalendarFeed(database.db, specialistId)).toBe(true)

    const first = vevents(await calendarFeed(database.db, token))
    expect(first).toHaveLength(2)
    const uids = first.map((e) => e.uid)
    expect(new Set(uids).size).toBe(2)
    expect(first.map((e) => [e.summary, e.start.toISOString(), e.status, Number(e.sequence)])).toEqual([
      ['First residential', '2026-10-13T08:00:00.000Z', 'CONFIRMED', 0],
      ['First residential', '2026-10-14T08:00:00.000Z', 'CONFIRMED', 0],
    ])
    expect(String(first[0]!.location)).toContain('London')
    // The feed never carries the access need.
    expect(await calendarFeed(database.db, token)).not.toContain('Step-free')

    await moveEvent(context(admin), event.id, {
      days: [
        { startsAt: '2026-11-03T09:00:00Z', endsAt: '2026-11-03T16:00:00Z' },
        { startsAt: '2026-11-04T09:00:00Z', endsAt: '2026-11-04T16:00:00Z' },
      ],
    })
    const moved = vevents(await calendarFeed(database.db, token))
    expect(moved.map((e) => e.uid)).toEqual(uids)
    expect(moved.map((e) => [e.start.toISOString(), Number(e.sequence)])).toEqual([
      ['2026-11-03T09:00:00.000Z', 1],
      ['2026-11-04T09:00:00.000Z', 1],
    ])

    await cancelEvent(context(admin), event.id, { reason: 'The venue is closed' })
    const cancelled = vevents(await calendarFeed(database.db, token))
    expect(cancelled.map((e) => e.uid)).toEqual(uids)
    expect(cancelled.map((e) => [e.status, Number(e.sequence)])).toEqual([
      ['CANCELLED', 2],
      ['CANCELLED', 2],
    ])
  })

  it('answers not found for a reset URL and for one never given', async () => {
    const { token: old } = await resetCalendarFeed(context(specialist))
    const { token: current } = await resetCalendarFeed(context(specialist))
    expect(current).not.toBe(old)
    await expect(calendarFeed(database.db, old)).rejects.toBeInstanceOf(NotFoundError)
    await expect(calendarFeed(database.db, 'not-a-feed')).rejects.toBeInstanceOf(NotFoundError)
    expect(await calendarFeed(database.db, current)).toContain('BEGIN:VCALENDAR')
  })
})
