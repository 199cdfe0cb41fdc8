// SQL for bookings: a participation's live booking at an event, the places taken at a venue, the
// waiting list in the order people joined it, and bookings to end when a specialist withdraws.
import type { Executor, Tx } from '../../../db/database.ts'
import type { BookingStatus } from '../../../db/schema.ts'

export interface Booking {
  id: number
  eventId: number
  venueId: number
  participationId: number
  status: BookingStatus
  accessNeeds: string | null
  dietaryNeeds: string | null
  bookedAt: Date
}

type BookingRow = {
  id: number
  event_id: number
  venue_id: number
  participation_id: number
  status: BookingStatus
  access_needs: string | null
  dietary_needs: string | null
  booked_at: Date
}

export function toBooking(row: BookingRow): Booking {
  return {
    id: Number(row.id),
    eventId: Number(row.event_id),
    venueId: Number(row.venue_id),
    participationId: Number(row.participation_id),
    status: row.status,
    accessNeeds: row.access_needs,
    dietaryNeeds: row.dietary_needs,
    bookedAt: new Date(row.booked_at),
  }
}

const COLUMNS = [
  'id',
  'event_id',
  'venue_id',
  'participation_id',
  'status',
  'access_needs',
  'dietary_needs',
  'booked_at',
] as const

export async function findBooking(
  db: Executor,
  id: number,
  { forUpdate = false } = {},
): Promise<Booking | undefined> {
  let query = db.selectFrom('bookings').select(COLUMNS).where('id', '=', id)
  if (forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row ? toBooking(row) : undefined
}

export async function liveBooking(
  db: Executor,
  eventId: number,
  participationId: number,
): Promise<Booking | undefined> {
  const row = await db
    .selectFrom('bookings')
    .select(COLUMNS)
    .where('event_id', '=', eventId)
    .where('participation_id', '=', participationId)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst()
  return row ? toBooking(row) : undefined
}

/** Locks the venue's row, so two people booking its last place take turns, and counts its places taken. */
export async function placesTaken(tx: Tx, venueId: number): Promise<number> {
  await tx.selectFrom('event_venues').select('id').where('id', '=', venueId).forUpdate().executeTakeFirst()
  const row = await tx
    .selectFrom('bookings')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('venue_id', '=', venueId)
    .where('status', '=', 'booked')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The first on the venue's waiting list: whoever joined it first. */
export async function firstWaiting(tx: Tx, venueId: number): Promise<Booking | undefined> {
  const row = await tx
    .selectFrom('bookings')
    .select(COLUMNS)
    .where('venue_id', '=', venueId)
    .where('status', '=', 'waiting')
    .orderBy('booked_at')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .executeTakeFirst()
  return row ? toBooking(row) : undefined
}

/** A participation's live bookings on events whose last day ends after `from`. */
export async function futureBookings(tx: Tx, participationId: number, from: Date): Promise<Booking[]> {
  const rows = await tx
    .selectFrom('bookings')
    .select(COLUMNS.map((c) => `bookings.${c}` as const))
    .where('bookings.participation_id', '=', participationId)
    .where('bookings.status', '<>', 'cancelled')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('event_days')
          .select('event_days.id')
          .whereRef('event_days.event_id', '=', 'bookings.event_id')
          .where('event_days.ends_at', '>', from),
      ),
    )
    .orderBy('bookings.id')
    .forUpdate()
    .execute()
  return rows.map(toBooking)
}

export interface BookingWithPerson extends Booking {
  personId: number
  personName: string
  venueName: string
}

/** An event's bookings and waiting places, with who and where, in the order they were made. */
export async function eventBookings(db: Executor, eventId: number): Promise<BookingWithPerson[]> {
  const rows = await db
    .selectFrom('bookings')
    .innerJoin('participations', 'participations.id', 'bookings.participation_id')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .innerJoin('event_venues', 'event_venues.id', 'bookings.venue_id')
    .select([
      ...COLUMNS.map((c) => `bookings.${c}` as const),
      'people.id as person_id',
      'people.name as person_name',
      'event_venues.name as venue_name',
    ])
    .where('bookings.event_id', '=', eventId)
    .where('bookings.status', '<>', 'cancelled')
    .orderBy('bookings.booked_at')
    .orderBy('bookings.id')
    .execute()
  return rows.map((r) => ({
    ...toBooking(r),
    personId: Number(r.person_id),
    personName: r.person_name,
    venueName: r.venue_name,
  }))
}
