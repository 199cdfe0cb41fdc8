// Bookings on a real database: a specialist books with an access need; a full venue puts the next
// on its waiting list, who moves up (and is told) when a place is cancelled; needs are seen only
// by organisers; a withdrawal ends future bookings; needs are deleted after the retention date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cohortInputWith, ensureCohort } from '../../../../test/cohort-factory.ts'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { Actor } from '../../access/actor.ts'
import { clearExpiredRecords } from '../../access/housekeeping.ts'
import { startYearOne } from '../../participants/start-year-one.ts'
import { withdrawParticipation } from '../../participants/withdraw-participation.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { scheduleEvent } from '../scheduling/schedule-event.ts'
import { bookPlace, cancelBooking, viewEventBookings } from './book-place.ts'

const clock = fixedClock('2026-09-01T10:00:00Z')
const HUB = 'northvale-maths-hub'
let database: TestDatabase
let admin: Actor
let hubLead: Actor
let otherLead: Actor
let cohortId: string
let otherCohortId: string
let n = 0

function context(actor: Actor, at = clock): UseCaseContext {
  return { db: database.db, actor, clock: at, requestId: 'bookings-test', baseUrl: 'http://localhost:3000' }
}

async function personWith(email: string, role: 'national-admin' | 'hub-lead', hub: string | null) {
  const person = await database.db
    .insertInto('people')
    .values({ name: email, email })
    .returning('id')
    .executeTakeFirstOrThrow()
  await database.db.insertInto('grants').values({ person_id: person.id, role, hub_id: hub }).execute()
  return (await actorForPerson(database.db, person.id))!
}

/** A specialist in year 1 of the cohort from 1 June 2026, and their actor. */
async function specialist(
  cohort = cohortId,
): Promise<{ actor: Actor; participationId: number; email: string }> {
  n += 1
  const db = database.db
  const email = `s${n}@school.example`
  const person = await db
    .insertInto('people')
    .values({ name: `Specialist ${n}`, email })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('grants')
    .values({ person_id: person.id, role: 'mastery-specialist', hub_id: HUB, cohort_id: cohort })
    .execute()
  const application = await db
    .insertInto('applications')
    .values({
      reference: `MH-${String(n).padStart(8, '0')}`,
      cohort_id: cohort,
      applicant_id: person.id,
      state: 'draft',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  const started = new Date('2026-06-01T09:00:00Z')
  const row = await db
    .insertInto('participations')
    .values({
      person_id: person.id,
      cohort_id: cohort,
      application_id: application.id,
      hub_id: HUB,
      started_at: started,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.transaction().execute((tx) => startYearOne(tx, row.id, cohort, started))
  return { actor: (await actorForPerson(db, person.id))!, participationId: row.id, email }
}

async function residential(capacity = 2) {
  return scheduleEvent(context(admin), {
    kind: 'residential',
    title: 'First residential',
    cohortId,
    days: [
      { startsAt: '2026-10-13T08:00:00Z', endsAt: '2026-10-13T16:00:00Z' },
      { startsAt: '2026-10-14T08:00:00Z', endsAt: '2026-10-14T16:00:00Z' },
    ],
    venues: [
      { name: 'London', address: '1 Example Street, London', capacity },
      { name: 'Manchester', address: '2 Example Road, Manchester', capacity },
    ],
  })
}

const bookingCount = async () =>
  Number(
    (
      await database.db
        .selectFrom('bookings')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

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
  cohortId = await ensureCohort(database.db, cohortInputWith({ number: 83 }))
  otherCohortId = await ensureCohort(database.db, cohortInputWith({ number: 84 }))
})

afterAll(async () => {
  await database?.destroy()
})

describe('booking a place', () => {
  it('books a venue with an access need, seen by NCETM but by no other hub or specialist', async () => {
    const event = await residential()
    const tess = await specialist()
    const { booking, waiting } = await bookPlace(context(tess.actor), event.id, {
      venueId: event.venues[1]!.id,
      accessNeeds: 'Step-free access to the rooms',
      dietaryNeeds: '',
    })
    expect(waiting).toBe(false)
    expect(booking).toMatchObject({
      status: 'booked',
      venueId: event.venues[1]!.id,
      accessNeeds: 'Step-free access to the rooms',
      dietaryNeeds: null,
    })
    const list = await viewEventBookings(context(admin), event.id)
    expect(list.bookings.map((b) => [b.personName, b.venueName, b.accessNeeds])).toEqual([
      [`Specialist ${n}`, 'Manchester', 'Step-free access to the rooms'],
    ])
    // A residential is NCETM's: a hub lead, another hub's lead and another specialist are told it is not there.
    for (const actor of [hubLead, otherLead, (await specialist()).actor]) {
      await expect(viewEventBookings(context(actor), event.id)).rejects.toBeInstanceOf(NotFoundError)
    }
    // The audit trail records that there is a need, never what it is.
    const audit = await database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('record_type', '=', 'booking')
      .where('record_id', '=', String(booking.id))
      .execute()
    expect(JSON.stringify(audit)).not.toContain('Step-free')
    expect(audit).toHaveLength(1)
  })

  it('refuses a second booking, a venue not chosen, and someone not invited, saving nothing', async () => {
    const event = await residential()
    const tess = await specialist()
    await bookPlace(context(tess.actor), event.id, { venueId: event.venues[0]!.id })
    const before = await bookingCount()
    const twice = await bookPlace(context(tess.actor), event.id, { venueId: event.venues[1]!.id }).catch(
      (e: unknown) => e,
    )
    expect(twice).toBeInstanceOf(ValidationError)
    const noVenue = await bookPlace(context((await specialist()).actor), event.id, {}).catch(
      (e: unknown) => e,
    )
    expect((noVenue as ValidationError).errors[0]).toMatchObject({
      field: 'venueId',
      message: 'Select where you will go: London or Manchester',
    })
    // Another cohort's specialist, a hub lead and a stranger are told the event is not there.
    for (const actor of [(await specialist(otherCohortId)).actor, hubLead]) {
      await expect(
        bookPlace(context(actor), event.id, { venueId: event.venues[0]!.id }),
      ).rejects.toBeInstanceOf(NotFoundError)
    }
    const long = await bookPlace(context((await specialist()).actor), event.id, {
      venueId: event.venues[0]!.id,
      accessNeeds: 'x'.repeat(2001),
    }).catch((e: unknown) => e)
    expect((long as ValidationError).errors[0]!.field).toBe('accessNeeds')
    expect(await bookingCount()).toBe(before)
  })

  it('puts the next on a full venue’s waiting list, who moves up and is told when a place is cancelled', async () => {
    const event = await residential(1)
    const first = await specialist()
    const second = await specialist()
    const third = await specialist()
    const london = event.venues[0]!.id
    const a = await bookPlace(context(first.actor), event.id, { venueId: london })
    const b = await bookPlace(context(second.actor), event.id, { venueId: london })
    const c = await bookPlace(context(third.actor), event.id, { venueId: london })
    expect([a.waiting, b.waiting, c.waiting]).toEqual([false, true, true])
    // Someone else cannot cancel another's place; the person can.
    await expect(cancelBooking(context(second.actor), a.booking.id)).rejects.toBeInstanceOf(NotFoundError)
    await cancelBooking(context(first.actor), a.booking.id)
    const statuses = await database.db
      .selectFrom('bookings')
      .select(['id', 'status'])
      .where('event_id', '=', event.id)
      .orderBy('id')
      .execute()
    expect(statuses.map((s) => s.status)).toEqual(['cancelled', 'booked', 'waiting'])
    const told = await database.db
      .selectFrom('outbox')
      .select(['to_address', 'template'])
      .where('template', '=', 'booking-place-available')
      .execute()
    expect(told).toEqual([{ to_address: second.email, template: 'booking-place-available' }])
    await expect(cancelBooking(context(first.actor), a.booking.id)).rejects.toBeInstanceOf(ValidationError)
  })

  it('ends the future bookings of a specialist who withdraws, and moves the waiting list up', async () => {
    const event = await residential(1)
    const leaving = await specialist()
    const next = await specialist()
    await bookPlace(context(leaving.actor), event.id, { venueId: event.venues[0]!.id })
    await bookPlace(context(next.actor), event.id, { venueId: event.venues[0]!.id })
    await withdrawParticipation(context(admin), leaving.participationId, {
      on: '2026-09-01',
      reason: 'Moving abroad',
    })
    const rows = await database.db
      .selectFrom('bookings')
      .select(['participation_id', 'status', 'cancel_reason'])
      .where('event_id', '=', event.id)
      .orderBy('id')
      .execute()
    expect(rows).toEqual([
      {
        participation_id: leaving.participationId,
        status: 'cancelled',
        cancel_reason: 'Withdrawn from the programme',
      },
      { participation_id: next.participationId, status: 'booked', cancel_reason: null },
    ])
  })

  it('deletes access and dietary needs once the event’s retention date has passed', async () => {
    const event = await residential()
    const tess = await specialist()
    const { booking } = await bookPlace(context(tess.actor), event.id, {
      venueId: event.venues[0]!.id,
      dietaryNeeds: 'Vegetarian',
    })
    // The last day ends on 14 October 2026; the needs are kept to 13 November.
    await clearExpiredRecords({ db: database.db, clock: fixedClock('2026-11-13T12:00:00Z') })
    const kept = await database.db
      .selectFrom('bookings')
      .select(['dietary_needs'])
      .where('id', '=', booking.id)
      .executeTakeFirstOrThrow()
    expect(kept.dietary_needs).toBe('Vegetarian')
    await clearExpiredRecords({ db: database.db, clock: fixedClock('2026-11-14T12:00:00Z') })
    const gone = await database.db
      .selectFrom('bookings')
      .select(['dietary_needs', 'needs_deleted_at', 'status'])
      .where('id', '=', booking.id)
      .executeTakeFirstOrThrow()
    expect(gone.dietary_needs).toBeNull()
    expect(gone.needs_deleted_at).not.toBeNull()
    expect(gone.status).toBe('booked')
  })
})
