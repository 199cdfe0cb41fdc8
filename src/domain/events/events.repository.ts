// SQL for events: an event with its days and venues, and the people booked on it.
import type { Executor } from '../../db/database.ts'
import type { EventKind, EventStatus } from '../../db/schema.ts'

export interface EventDay {
  id: number
  dayNumber: number
  startsAt: Date
  endsAt: Date
}

export interface EventVenue {
  id: number
  name: string
  address: string
  capacity: number
}

export interface EventRecord {
  id: number
  kind: EventKind
  title: string
  cohortId: string | null
  hubId: string | null
  participationId: number | null
  status: EventStatus
  sequence: number
  halfDays: number | null
  cancelReason: string | null
  days: EventDay[]
  venues: EventVenue[]
}

export async function findEvent(
  db: Executor,
  id: number,
  { forUpdate = false } = {},
): Promise<EventRecord | undefined> {
  let query = db.selectFrom('events').selectAll().where('id', '=', id)
  if (forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  if (!row) return undefined
  const days = await db
    .selectFrom('event_days')
    .select(['id', 'day_number', 'starts_at', 'ends_at'])
    .where('event_id', '=', id)
    .orderBy('day_number')
    .execute()
  const venues = await db
    .selectFrom('event_venues')
    .select(['id', 'name', 'address', 'capacity'])
    .where('event_id', '=', id)
    .orderBy('id')
    .execute()
  return {
    id: Number(row.id),
    kind: row.kind,
    title: row.title,
    cohortId: row.cohort_id,
    hubId: row.hub_id,
    participationId: row.participation_id === null ? null : Number(row.participation_id),
    status: row.status,
    sequence: row.sequence,
    halfDays: row.half_days,
    cancelReason: row.cancel_reason,
    days: days.map((d) => ({
      id: Number(d.id),
      dayNumber: d.day_number,
      startsAt: new Date(d.starts_at),
      endsAt: new Date(d.ends_at),
    })),
    venues: venues.map((v) => ({ id: Number(v.id), name: v.name, address: v.address, capacity: v.capacity })),
  }
}

/** The people with a place (not a waiting place) at the event, to be told of a change. */
export async function bookedPeople(
  db: Executor,
  eventId: number,
): Promise<{ name: string; email: string }[]> {
  return db
    .selectFrom('bookings')
    .innerJoin('participations', 'participations.id', 'bookings.participation_id')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .select(['people.name', 'people.email'])
    .where('bookings.event_id', '=', eventId)
    .where('bookings.status', '=', 'booked')
    .where('people.erased_at', 'is', null)
    .orderBy('people.id')
    .execute()
}

/** Whether any attendance has been recorded for the event's days. */
export async function hasAttendance(db: Executor, eventId: number): Promise<boolean> {
  const row = await db
    .selectFrom('attendance')
    .innerJoin('event_days', 'event_days.id', 'attendance.event_day_id')
    .select('attendance.id')
    .where('event_days.event_id', '=', eventId)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}
