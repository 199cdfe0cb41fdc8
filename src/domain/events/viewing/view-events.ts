// Reading events: a cohort's events for NCETM, a hub's for its lead and administrators, one event
// (what an organiser sees: places, waiting list, needs and attendance; what an invited specialist
// sees: the event, their own place and their own attendance), and a specialist's own events. An
// event someone may neither organise nor attend is not there for them.
import { sql } from 'kysely'
import type { Executor } from '../../../db/database.ts'
import type {
  AttendanceMethod,
  AttendanceStatus,
  BookingStatus,
  EventKind,
  EventStatus,
} from '../../../db/schema.ts'
import { NotFoundError } from '../../../errors.ts'
import { hubsAdministered, isNationalAdmin, isSignedIn } from '../../access/access.policy.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { invitedParticipation, ukDate } from '../bookings/book-place.ts'
import { eventBookings, type BookingWithPerson } from '../bookings/bookings.repository.ts'
import { canOrganise } from '../events.policy.ts'
import { findEvent, type EventRecord } from '../events.repository.ts'

export interface EventSummary {
  id: number
  kind: EventKind
  title: string
  status: EventStatus
  cohortId: string | null
  hubId: string | null
  startsAt: Date | null
  endsAt: Date | null
  venues: string[]
  places: number
  booked: number
  waiting: number
}

export interface AttendanceMark {
  bookingId: number
  dayNumber: number
  status: AttendanceStatus
  absenceReason: string | null
  method: AttendanceMethod
}

export interface EventView {
  event: EventRecord
  /** The actor organises it: they see places, needs and attendance and may change it. */
  organiser: boolean
  /** Organisers only: places and waiting places, with needs. */
  bookings: BookingWithPerson[]
  /** Organisers only: every mark on the event's days. */
  attendance: AttendanceMark[]
  /** The actor's own participation invited to it, their place and their marks. */
  mine:
    | {
        participationId: number
        booking:
          | {
              id: number
              status: BookingStatus
              venueName: string
              accessNeeds: string | null
              dietaryNeeds: string | null
            }
          | undefined
        attendance: AttendanceMark[]
      }
    | undefined
}

async function summaries(db: Executor, where: (q: ReturnType<typeof base>) => ReturnType<typeof base>) {
  const rows = await where(base(db)).execute()
  return rows.map((r): EventSummary => ({
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    status: r.status,
    cohortId: r.cohort_id,
    hubId: r.hub_id,
    startsAt: r.starts_at ? new Date(r.starts_at) : null,
    endsAt: r.ends_at ? new Date(r.ends_at) : null,
    venues: r.venues ? String(r.venues).split('\u001f') : [],
    places: Number(r.places ?? 0),
    booked: Number(r.booked ?? 0),
    waiting: Number(r.waiting ?? 0),
  }))
}

function base(db: Executor) {
  return db
    .selectFrom('events as e')
    .select([
      'e.id',
      'e.kind',
      'e.title',
      'e.status',
      'e.cohort_id',
      'e.hub_id',
      sql<Date | null>`(SELECT min(starts_at) FROM event_days WHERE event_id = e.id)`.as('starts_at'),
      sql<Date | null>`(SELECT max(ends_at) FROM event_days WHERE event_id = e.id)`.as('ends_at'),
      sql<
        string | null
      >`(SELECT string_agg(name, chr(31) ORDER BY id) FROM event_venues WHERE event_id = e.id)`.as('venues'),
      sql<number>`(SELECT coalesce(sum(capacity), 0) FROM event_venues WHERE event_id = e.id)`.as('places'),
      sql<number>`(SELECT count(*) FROM bookings WHERE event_id = e.id AND status = 'booked')`.as('booked'),
      sql<number>`(SELECT count(*) FROM bookings WHERE event_id = e.id AND status = 'waiting')`.as('waiting'),
    ])
    .orderBy(sql`(SELECT min(starts_at) FROM event_days WHERE event_id = e.id)`)
    .orderBy('e.id')
}

/** A cohort's residentials and workshop, for national administrators. */
export async function listCohortEvents(context: UseCaseContext, cohortId: string): Promise<EventSummary[]> {
  if (!isNationalAdmin(context.actor)) throw new NotFoundError('Cohort')
  const cohort = await context.db
    .selectFrom('cohorts')
    .select('id')
    .where('id', '=', cohortId)
    .executeTakeFirst()
  if (!cohort) throw new NotFoundError('Cohort')
  return summaries(context.db, (q) => q.where('e.cohort_id', '=', cohortId))
}

/** A hub's sessions and support visits, for its lead and administrators (and NCETM). */
export async function listHubEvents(context: UseCaseContext, hubId: string): Promise<EventSummary[]> {
  const actor = context.actor
  if (!isNationalAdmin(actor) && !hubsAdministered(actor).includes(hubId)) throw new NotFoundError('Hub')
  const hub = await context.db.selectFrom('hubs').select('id').where('id', '=', hubId).executeTakeFirst()
  if (!hub) throw new NotFoundError('Hub')
  return summaries(context.db, (q) => q.where('e.hub_id', '=', hubId))
}

async function marks(db: Executor, eventId: number, bookingId?: number): Promise<AttendanceMark[]> {
  let query = db
    .selectFrom('attendance as a')
    .innerJoin('event_days as d', 'd.id', 'a.event_day_id')
    .select(['a.booking_id', 'd.day_number', 'a.status', 'a.absence_reason', 'a.method'])
    .where('d.event_id', '=', eventId)
  if (bookingId !== undefined) query = query.where('a.booking_id', '=', bookingId)
  const rows = await query.orderBy('d.day_number').orderBy('a.booking_id').execute()
  return rows.map((r) => ({
    bookingId: Number(r.booking_id),
    dayNumber: r.day_number,
    status: r.status,
    absenceReason: r.absence_reason,
    method: r.method,
  }))
}

/** One event as the actor may see it. */
export async function viewEvent(context: UseCaseContext, id: number): Promise<EventView> {
  const { db, actor } = context
  const event = await findEvent(db, id)
  if (!event) throw new NotFoundError('Event')
  const organiser = canOrganise(actor, event)
  let mine: EventView['mine']
  if (isSignedIn(actor)) {
    const own = await db
      .selectFrom('bookings as b')
      .innerJoin('participations as p', 'p.id', 'b.participation_id')
      .innerJoin('event_venues as v', 'v.id', 'b.venue_id')
      .select(['b.id', 'b.status', 'b.participation_id', 'v.name', 'b.access_needs', 'b.dietary_needs'])
      .where('b.event_id', '=', id)
      .where('p.person_id', '=', actor.personId)
      .where('b.status', '<>', 'cancelled')
      .executeTakeFirst()
    const participationId = own
      ? Number(own.participation_id)
      : await db
          .transaction()
          .execute((tx) => invitedParticipation(tx, actor, event, ukDate(context.clock.now())))
    if (participationId !== undefined) {
      mine = {
        participationId,
        booking: own && {
          id: Number(own.id),
          status: own.status,
          venueName: own.name,
          accessNeeds: own.access_needs,
          dietaryNeeds: own.dietary_needs,
        },
        attendance: own ? await marks(db, id, Number(own.id)) : [],
      }
    }
  }
  if (!organiser && !mine) throw new NotFoundError('Event')
  return {
    event,
    organiser,
    bookings: organiser ? await eventBookings(db, id) : [],
    attendance: organiser ? await marks(db, id) : [],
    mine,
  }
}

export interface MyEvent extends EventSummary {
  bookingId: number | null
  bookingStatus: BookingStatus | null
}

/** The events the signed-in specialist is invited to now or has a place at, soonest first. */
export async function myEvents(context: UseCaseContext): Promise<MyEvent[]> {
  const actor = context.actor
  if (!isSignedIn(actor)) return []
  const today = ukDate(context.clock.now())
  const current = sql<boolean>`EXISTS (SELECT 1 FROM participation_stages s WHERE s.participation_id = p.id
    AND daterange(s.starts_on, s.ends_on, '[)') @> ${today}::date
    AND s.stage IN ('year-one', 'year-two', 'active'))`
  const rows = await summaries(context.db, (q) =>
    q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('participations as p')
          .select('p.id')
          .where('p.person_id', '=', actor.personId)
          .where((inner) =>
            inner.or([
              inner.exists(
                inner
                  .selectFrom('bookings as b')
                  .select('b.id')
                  .whereRef('b.event_id', '=', 'e.id')
                  .whereRef('b.participation_id', '=', 'p.id')
                  .where('b.status', '<>', 'cancelled'),
              ),
              inner.and([
                inner('e.kind', 'in', ['residential', 'workshop']),
                inner('e.cohort_id', '=', inner.ref('p.cohort_id')),
                current,
              ]),
              inner.and([
                inner('e.kind', '=', 'hub-session'),
                inner('e.hub_id', '=', inner.ref('p.hub_id')),
                current,
              ]),
              inner.and([
                inner('e.kind', '=', 'support-visit'),
                inner('e.participation_id', '=', inner.ref('p.id')),
              ]),
            ]),
          ),
      ),
    ),
  )
  if (rows.length === 0) return []
  const own = await context.db
    .selectFrom('bookings as b')
    .innerJoin('participations as p', 'p.id', 'b.participation_id')
    .select(['b.id', 'b.event_id', 'b.status'])
    .where('p.person_id', '=', actor.personId)
    .where('b.status', '<>', 'cancelled')
    .where(
      'b.event_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute()
  return rows.map((r) => {
    const booking = own.find((b) => Number(b.event_id) === r.id)
    return { ...r, bookingId: booking ? Number(booking.id) : null, bookingStatus: booking?.status ?? null }
  })
}
