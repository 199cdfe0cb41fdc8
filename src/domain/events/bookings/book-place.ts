// Use-cases for bookings. A specialist books a place at an event they are invited to (a cohort's
// residentials and workshop invite the cohort's specialists in their development years; a hub
// session, the hub's specialists; a support visit, the one it is for), at one venue, with any
// access and dietary needs. A full venue puts them on its waiting list. Cancelling a place moves
// the first on the waiting list up and tells them. Needs are seen only by the organisers and the
// person (docs/adr/0022).
import { sql } from 'kysely'
import { z } from 'zod'
import type { Executor, Tx } from '../../../db/database.ts'
import type { EventKind } from '../../../db/schema.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { toUkWallClock } from '../../../lib/uk-time.ts'
import { isSignedIn } from '../../access/access.policy.ts'
import type { Actor } from '../../access/actor.ts'
import { queueEmail } from '../../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canOrganise } from '../events.policy.ts'
import { findEvent, type EventRecord } from '../events.repository.ts'
import { invalid } from '../scheduling/event-input.ts'
import {
  eventBookings,
  findBooking,
  firstWaiting,
  futureBookings,
  liveBooking,
  placesTaken,
  type Booking,
  type BookingWithPerson,
} from './bookings.repository.ts'

const needs = (what: string) =>
  z
    .string()
    .trim()
    .max(2000, `${what} must be 2,000 characters or fewer`)
    .optional()
    .transform((v) => (v ? v : null))

const bookInput = z.object({
  venueId: z.coerce
    .number({ error: 'Select a venue' })
    .int('Select a venue')
    .positive('Select a venue')
    .max(2 ** 31 - 1, 'Select a venue')
    .optional(),
  accessNeeds: needs('Access needs'),
  dietaryNeeds: needs('Dietary needs'),
})

export function ukDate(instant: Date): string {
  const w = toUkWallClock(instant)
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
}

const DEVELOPING = ['year-one', 'year-two']
const INVITED_STAGES: Record<EventKind, string[]> = {
  residential: DEVELOPING,
  workshop: DEVELOPING,
  'hub-session': [...DEVELOPING, 'active'],
  'support-visit': [...DEVELOPING, 'active'],
}

/** The actor's participation invited to the event on `today`, if they have one. */
export async function invitedParticipation(
  tx: Tx,
  actor: Actor,
  event: EventRecord,
  today: string,
): Promise<number | undefined> {
  if (!isSignedIn(actor)) return undefined
  let query = tx
    .selectFrom('participations')
    .innerJoin('participation_stages as s', 's.participation_id', 'participations.id')
    .select('participations.id')
    .where('participations.person_id', '=', actor.personId)
    .where('s.stage', 'in', INVITED_STAGES[event.kind] as never[])
    .where(sql<boolean>`daterange(s.starts_on, s.ends_on, '[)') @> ${today}::date`)
  if (event.kind === 'support-visit') query = query.where('participations.id', '=', event.participationId!)
  else if (event.cohortId) query = query.where('participations.cohort_id', '=', event.cohortId)
  else query = query.where('participations.hub_id', '=', event.hubId!)
  const row = await query.orderBy('participations.id').executeTakeFirst()
  return row ? Number(row.id) : undefined
}

export interface BookingResult {
  booking: Booking
  /** On the waiting list because the venue was full. */
  waiting: boolean
}

export async function bookPlace(
  context: UseCaseContext,
  eventId: number,
  raw: unknown,
): Promise<BookingResult> {
  const parsed = bookInput.safeParse(raw ?? {})
  if (!parsed.success) throw invalid(parsed.error)
  const input = parsed.data
  return inTransaction(context, async ({ tx, now, audit }) => {
    const event = await findEvent(tx, eventId)
    const participationId = event && (await invitedParticipation(tx, context.actor, event, ukDate(now)))
    if (!event || participationId === undefined) throw new NotFoundError('Event')
    if (event.status === 'cancelled') {
      throw new ValidationError([
        { code: 'cancelled', field: 'event', message: 'This event has been cancelled' },
      ])
    }
    if (event.days.every((d) => d.endsAt <= now)) {
      throw new ValidationError([
        { code: 'past', field: 'event', message: 'This event has already happened' },
      ])
    }
    if (await liveBooking(tx, eventId, participationId)) {
      throw new ValidationError([
        { code: 'booked', field: 'event', message: 'You have already booked this event' },
      ])
    }
    const venue =
      input.venueId === undefined && event.venues.length === 1
        ? event.venues[0]
        : event.venues.find((v) => v.id === input.venueId)
    if (!venue) {
      throw new ValidationError([
        {
          code: 'required',
          field: 'venueId',
          message: 'Select where you will go: ' + event.venues.map((v) => v.name).join(' or '),
        },
      ])
    }
    const waiting = (await placesTaken(tx, venue.id)) >= venue.capacity
    const row = await tx
      .insertInto('bookings')
      .values({
        event_id: eventId,
        venue_id: venue.id,
        participation_id: participationId,
        status: waiting ? 'waiting' : 'booked',
        access_needs: input.accessNeeds,
        dietary_needs: input.dietaryNeeds,
        booked_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // The needs themselves stay out of the audit trail: it records only that there are some.
    await audit({
      action: waiting ? 'booking.wait' : 'booking.book',
      recordType: 'booking',
      recordId: String(row.id),
      after: {
        eventId,
        venueId: venue.id,
        participationId,
        accessNeeds: input.accessNeeds !== null,
        dietaryNeeds: input.dietaryNeeds !== null,
      },
    })
    return { booking: (await findBooking(tx, Number(row.id)))!, waiting }
  })
}

/** Ends a booking (the person's own, or any by an organiser); the first waiting at its venue moves up. */
export async function cancelBooking(context: UseCaseContext, bookingId: number): Promise<void> {
  await inTransaction(context, async ({ tx, now, audit }) => {
    const booking = await findBooking(tx, bookingId, { forUpdate: true })
    const event = booking && (await findEvent(tx, booking.eventId))
    if (!booking || !event || !(await mayHandle(tx, context.actor, event, booking)))
      throw new NotFoundError('Booking')
    if (booking.status === 'cancelled') {
      throw new ValidationError([
        { code: 'cancelled', field: 'booking', message: 'This booking is already cancelled' },
      ])
    }
    await endBookings(tx, [booking], now, 'Cancelled')
    await audit({
      action: 'booking.cancel',
      recordType: 'booking',
      recordId: String(bookingId),
      before: { status: booking.status },
      after: { status: 'cancelled' },
    })
  })
}

async function mayHandle(tx: Tx, actor: Actor, event: EventRecord, booking: Booking): Promise<boolean> {
  if (canOrganise(actor, event)) return true
  if (!isSignedIn(actor)) return false
  const own = await tx
    .selectFrom('participations')
    .select('id')
    .where('id', '=', booking.participationId)
    .where('person_id', '=', actor.personId)
    .executeTakeFirst()
  return own !== undefined
}

/** Cancels the bookings, moving the first waiting at each freed venue up and telling them. */
async function endBookings(tx: Tx, bookings: Booking[], now: Date, reason: string): Promise<void> {
  for (const booking of bookings) {
    await tx
      .updateTable('bookings')
      .set({ status: 'cancelled', cancelled_at: now, cancel_reason: reason, updated_at: now })
      .where('id', '=', booking.id)
      .execute()
    if (booking.status !== 'booked') continue
    const next = await firstWaiting(tx, booking.venueId)
    if (!next) continue
    await tx
      .updateTable('bookings')
      .set({ status: 'booked', updated_at: now })
      .where('id', '=', next.id)
      .execute()
    const person = await tx
      .selectFrom('participations')
      .innerJoin('people', 'people.id', 'participations.person_id')
      .innerJoin('events', (join) => join.on('events.id', '=', next.eventId))
      .select(['people.name', 'people.email', 'events.title'])
      .where('participations.id', '=', next.participationId)
      .where('people.erased_at', 'is', null)
      .executeTakeFirst()
    if (person) {
      await queueEmail(tx, {
        template: 'booking-place-available',
        to: person.email,
        data: { name: person.name, title: person.title },
      })
    }
  }
}

/**
 * A withdrawal ends every booking of the participation on an event not over by the start of the
 * UK date given, in the withdrawal's own transaction.
 */
export async function cancelFutureBookings(
  tx: Tx,
  participationId: number,
  from: Date,
  now: Date,
): Promise<number> {
  const bookings = await futureBookings(tx, participationId, from)
  await endBookings(tx, bookings, now, 'Withdrawn from the programme')
  return bookings.length
}

export interface EventBookingsView {
  event: EventRecord
  bookings: BookingWithPerson[]
}

/** The organisers' list of an event's places and waiting list, with needs; anyone else: not found. */
export async function viewEventBookings(
  context: UseCaseContext,
  eventId: number,
): Promise<EventBookingsView> {
  const event = await findEvent(context.db, eventId)
  if (!event || !canOrganise(context.actor, event)) throw new NotFoundError('Event')
  return { event, bookings: await eventBookings(context.db, eventId) }
}

/** Deletes access and dietary needs of events whose retention has passed; the count deleted. */
export async function deleteExpiredNeeds(db: Executor, now: Date): Promise<number> {
  const result = await db
    .updateTable('bookings')
    .set({ access_needs: null, dietary_needs: null, needs_deleted_at: now })
    .where('needs_deleted_at', 'is', null)
    .where((eb) => eb.or([eb('access_needs', 'is not', null), eb('dietary_needs', 'is not', null)]))
    .where('event_id', 'in', (eb) =>
      eb.selectFrom('events').select('id').where('needs_retained_until', '<', ukDate(now)),
    )
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
