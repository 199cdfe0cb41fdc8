// Scheduling events on a real database: schedule, confirm, move and cancel through the use-cases;
// a move or cancellation of a confirmed event emails each booked person once; refusals change
// nothing; another hub's organiser is told the event is not there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cohortInputWith, ensureCohort } from '../../../../test/cohort-factory.ts'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { Actor } from '../../access/actor.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { cancelEvent, confirmEvent, moveEvent } from './change-event.ts'
import { scheduleEvent } from './schedule-event.ts'

const clock = fixedClock('2026-09-01T10:00:00Z')
const HUB = 'northvale-maths-hub'
const OTHER_HUB = 'other-maths-hub'
let database: TestDatabase
let admin: Actor
let hubLead: Actor
let otherLead: Actor
let specialistActor: Actor
let cohortId: string
let n = 0

async function personWith(
  email: string,
  role: 'national-admin' | 'hub-lead' | 'teacher',
  hub: string | null,
) {
  const person = await database.db
    .insertInto('people')
    .values({ name: email, email })
    .returning('id')
    .executeTakeFirstOrThrow()
  await database.db.insertInto('grants').values({ person_id: person.id, role, hub_id: hub }).execute()
  return (await actorForPerson(database.db, person.id))!
}

function context(actor: Actor): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'scheduling-test', baseUrl: 'http://localhost:3000' }
}

/** A specialist of the hub in the cohort, booked at the event's first venue. */
async function bookedSpecialist(eventId: number, venueId: number, status: 'booked' | 'waiting' = 'booked') {
  n += 1
  const db = database.db
  const person = await db
    .insertInto('people')
    .values({ name: `Specialist ${n}`, email: `s${n}@school.example` })
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
  const participation = await db
    .insertInto('participations')
    .values({
      person_id: person.id,
      cohort_id: cohortId,
      application_id: application.id,
      hub_id: HUB,
      started_at: new Date('2026-06-01T09:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const now = clock.now()
  await db
    .insertInto('bookings')
    .values({
      event_id: eventId,
      venue_id: venueId,
      participation_id: participation.id,
      status,
      booked_at: now,
      updated_at: now,
    })
    .execute()
  return `s${n}@school.example`
}

const residential = () => ({
  kind: 'residential',
  title: 'First residential',
  cohortId,
  days: [
    { startsAt: '2026-10-13T08:30:00Z', endsAt: '2026-10-13T16:00:00Z' },
    { startsAt: '2026-10-14T08:00:00Z', endsAt: '2026-10-14T15:30:00Z' },
  ],
  venues: [
    { name: 'London', address: '1 Example Street, London', capacity: 60 },
    { name: 'Manchester', address: '2 Example Road, Manchester', capacity: 60 },
  ],
})

async function emailsTo(address: string) {
  return database.db
    .selectFrom('outbox')
    .select(['template', 'subject', 'body_text'])
    .where('to_address', '=', address)
    .orderBy('id')
    .execute()
}

async function counts() {
  const [events, days, venues, audit, outbox] = await Promise.all(
    (['events', 'event_days', 'event_venues', 'audit_events', 'outbox'] as const).map((t) =>
      database.db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
  )
  return [events, days, venues, audit, outbox].map((r) => Number(r!.n))
}

beforeAll(async () => {
  database = await createTestDatabase()
  await database.db
    .insertInto('hubs')
    .values([
      { id: HUB, name: 'Northvale Maths Hub' },
      { id: OTHER_HUB, name: 'Other Maths Hub' },
    ])
    .execute()
  admin = await personWith('admin@ncetm.example', 'national-admin', null)
  hubLead = await personWith('lead@northvale.example', 'hub-lead', HUB)
  otherLead = await personWith('lead@other.example', 'hub-lead', OTHER_HUB)
  specialistActor = await personWith('teacher@school.example', 'teacher', null)
  cohortId = await ensureCohort(database.db, cohortInputWith({ number: 81 }))
})

afterAll(async () => {
  await database?.destroy()
})

describe('scheduling events', () => {
  it('schedules a residential subject to confirmation, with its days and two venues, and audits it', async () => {
    const event = await scheduleEvent(context(admin), residential())
    expect(event).toMatchObject({
      kind: 'residential',
      status: 'planned',
      sequence: 0,
      cohortId,
      hubId: null,
    })
    expect(event.days.map((d) => [d.dayNumber, d.startsAt.toISOString()])).toEqual([
      [1, '2026-10-13T08:30:00.000Z'],
      [2, '2026-10-14T08:00:00.000Z'],
    ])
    expect(event.venues.map((v) => v.name)).toEqual(['London', 'Manchester'])
    const audit = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('record_type', '=', 'event')
      .where('record_id', '=', String(event.id))
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['event.schedule'])
  })

  it('lets a hub lead schedule their hub’s session but not a residential, nor another hub’s session', async () => {
    const session = await scheduleEvent(context(hubLead), {
      kind: 'hub-session',
      title: 'Hub session: fluency',
      hubId: HUB,
      days: [{ startsAt: '2026-11-04T13:00:00Z', endsAt: '2026-11-04T16:00:00Z' }],
      venues: [{ name: 'Northvale Academy', address: 'School Lane, Northvale', capacity: 20 }],
    })
    expect(session).toMatchObject({ kind: 'hub-session', hubId: HUB, cohortId: null })
    const before = await counts()
    await expect(scheduleEvent(context(hubLead), residential())).rejects.toBeInstanceOf(NotFoundError)
    await expect(
      scheduleEvent(context(otherLead), {
        ...residential(),
        kind: 'hub-session',
        hubId: HUB,
        venues: residential().venues.slice(0, 1),
      }),
    ).rejects.toBeInstanceOf(NotFoundError)
    await expect(scheduleEvent(context(specialistActor), residential())).rejects.toBeInstanceOf(NotFoundError)
    expect(await counts()).toEqual(before)
  })

  it('refuses days that end before they start or overlap, no venue, and capacity 0, saving nothing', async () => {
    const before = await counts()
    const cases: [unknown, string][] = [
      [
        { ...residential(), days: [{ startsAt: '2026-10-13T16:00:00Z', endsAt: '2026-10-13T08:00:00Z' }] },
        'days.0.endsAt',
      ],
      [
        {
          ...residential(),
          days: [
            { startsAt: '2026-10-13T08:00:00Z', endsAt: '2026-10-13T16:00:00Z' },
            { startsAt: '2026-10-13T15:00:00Z', endsAt: '2026-10-13T17:00:00Z' },
          ],
        },
        'days.1.startsAt',
      ],
      [{ ...residential(), venues: [] }, 'venues'],
      [
        { ...residential(), venues: [{ name: 'London', address: 'Somewhere', capacity: 0 }] },
        'venues.0.capacity',
      ],
      [{ ...residential(), days: [] }, 'days'],
      [{ ...residential(), cohortId: 'no-such-cohort' }, 'cohortId'],
      [
        { ...residential(), days: [{ startsAt: 'next Tuesday', endsAt: '2026-10-13T08:00:00Z' }] },
        'days.0.startsAt',
      ],
    ]
    for (const [input, field] of cases) {
      const error = await scheduleEvent(context(admin), input).catch((e: unknown) => e)
      expect(error, field).toBeInstanceOf(ValidationError)
      expect(
        (error as ValidationError).errors.map((e) => e.field),
        field,
      ).toContain(field)
      expect(
        (error as ValidationError).errors.every(
          (e) => e.message.length > 0 && !/sql|constraint/i.test(e.message),
        ),
      ).toBe(true)
    }
    expect(await counts()).toEqual(before)
  })

  it('confirms once; a move of the confirmed event emails each booked person once, not the waiting list', async () => {
    const event = await scheduleEvent(context(admin), residential())
    const booked = await bookedSpecialist(event.id, event.venues[0]!.id)
    const waiting = await bookedSpecialist(event.id, event.venues[0]!.id, 'waiting')
    // Moving a planned event sends nothing: its dates were always subject to confirmation.
    const planned = await moveEvent(context(admin), event.id, {
      days: [
        { startsAt: '2026-10-20T08:30:00Z', endsAt: '2026-10-20T16:00:00Z' },
        { startsAt: '2026-10-21T08:00:00Z', endsAt: '2026-10-21T15:30:00Z' },
      ],
    })
    expect(planned.sequence).toBe(1)
    expect(await emailsTo(booked)).toEqual([])

    const confirmed = await confirmEvent(context(admin), event.id)
    expect(confirmed.status).toBe('confirmed')
    await expect(confirmEvent(context(admin), event.id)).rejects.toBeInstanceOf(ValidationError)

    const dayIds = confirmed.days.map((d) => d.id)
    const moved = await moveEvent(context(admin), event.id, {
      days: [
        { startsAt: '2026-11-03T09:00:00Z', endsAt: '2026-11-03T16:30:00Z' },
        { startsAt: '2026-11-04T09:00:00Z', endsAt: '2026-11-04T15:00:00Z' },
      ],
    })
    expect(moved.sequence).toBe(2)
    expect(moved.days.map((d) => d.id)).toEqual(dayIds) // the days move in place
    // The same move again is refused, so the email is never sent twice.
    const again = await moveEvent(context(admin), event.id, {
      days: moved.days.map((d) => ({ startsAt: d.startsAt.toISOString(), endsAt: d.endsAt.toISOString() })),
    }).catch((e: unknown) => e)
    expect(again).toBeInstanceOf(ValidationError)
    const emails = await emailsTo(booked)
    expect(emails.map((e) => e.template)).toEqual(['event-moved'])
    expect(emails[0]!.body_text).toContain('3 November 2026')
    expect(emails[0]!.body_text).toContain('First residential')
    expect(await emailsTo(waiting)).toEqual([])
  })

  it('cancels with a reason, emailing the booked once; a cancelled event cannot be moved or cancelled again', async () => {
    const event = await scheduleEvent(context(admin), residential())
    await confirmEvent(context(admin), event.id)
    const booked = await bookedSpecialist(event.id, event.venues[1]!.id)
    const noReason = await cancelEvent(context(admin), event.id, { reason: '  ' }).catch((e: unknown) => e)
    expect(noReason).toBeInstanceOf(ValidationError)
    const cancelled = await cancelEvent(context(admin), event.id, {
      reason: 'The venue is closed for repairs',
    })
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      sequence: 1,
      cancelReason: 'The venue is closed for repairs',
    })
    await expect(cancelEvent(context(admin), event.id, { reason: 'Again' })).rejects.toBeInstanceOf(
      ValidationError,
    )
    await expect(moveEvent(context(admin), event.id, { days: residential().days })).rejects.toBeInstanceOf(
      ValidationError,
    )
    const emails = await emailsTo(booked)
    expect(emails.map((e) => e.template)).toEqual(['event-cancelled'])
    expect(emails[0]!.body_text).toContain('The venue is closed for repairs')
  })

  it('refuses dropping a venue people are booked at, and answers not found to another hub’s lead', async () => {
    const event = await scheduleEvent(context(admin), residential())
    await bookedSpecialist(event.id, event.venues[1]!.id)
    const error = await moveEvent(context(admin), event.id, {
      days: residential().days,
      venues: residential().venues.slice(0, 1),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).errors[0]!.message).toContain('Manchester')
    const session = await scheduleEvent(context(hubLead), {
      kind: 'hub-session',
      title: 'Hub session: reasoning',
      hubId: HUB,
      days: [{ startsAt: '2026-11-11T13:00:00Z', endsAt: '2026-11-11T16:00:00Z' }],
      venues: [{ name: 'Northvale Academy', address: 'School Lane, Northvale', capacity: 20 }],
    })
    await expect(confirmEvent(context(otherLead), session.id)).rejects.toBeInstanceOf(NotFoundError)
    await expect(cancelEvent(context(otherLead), session.id, { reason: 'No' })).rejects.toBeInstanceOf(
      NotFoundError,
    )
    await expect(confirmEvent(context(admin), 9_999_999)).rejects.toBeInstanceOf(NotFoundError)
    expect((await confirmEvent(context(hubLead), session.id)).status).toBe('confirmed')
  })
})

describe('a new cohort’s residentials', () => {
  it('become events when the cohort is made, planned or confirmed as the cohort says, 9am to 5pm UK time', async () => {
    const { createCohort } = await import('../../programmes/manage-cohorts.ts')
    const input = cohortInputWith({ number: 82 })
    const cohort = await createCohort(context(admin), input)
    const events = await database.db
      .selectFrom('events')
      .select(['id', 'title', 'status'])
      .where('cohort_id', '=', cohort.id)
      .orderBy('id')
      .execute()
    expect(events.map((e) => [e.title, e.status])).toEqual(
      cohort.residentials.map((r) => [r.name, r.subjectToConfirmation ? 'planned' : 'confirmed']),
    )
    expect(events.length).toBeGreaterThan(0)
    const first = cohort.residentials[0]!
    const days = await database.db
      .selectFrom('event_days')
      .select(['starts_at', 'ends_at'])
      .where('event_id', '=', events[0]!.id)
      .orderBy('day_number')
      .execute()
    const { formatUkDateTime } = await import('../../../lib/uk-time.ts')
    expect(days.length).toBeGreaterThanOrEqual(1)
    expect(formatUkDateTime(new Date(days[0]!.starts_at))).toMatch(/9am/)
    expect(formatUkDateTime(new Date(days[0]!.ends_at))).toMatch(/5pm/)
    expect(new Date(days[0]!.starts_at).toISOString().slice(0, 10)).toBe(first.startsOn)
  })
})
