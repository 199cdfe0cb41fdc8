// Each person's private iCalendar feed: every event they have (or had) a place at, one VEVENT per
// event day; a cancelled event or booking is there as cancelled. A day's UID never changes, and SEQUENCE is the event's
// sequence, so when an event moves their calendar moves it, and when it is cancelled it shows as
// cancelled. The feed is written by ical-generator. The URL's secret is kept only as a hash; the
// person can reset it, and the old URL then answers not found.
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator'
import type { Executor } from '../../../db/database.ts'
import { NotFoundError } from '../../../errors.ts'
import { isSignedIn } from '../../access/access.policy.ts'
import { hashSecret, newSecret } from '../../auth/tokens.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'

/** A new secret feed URL path for the signed-in person; any earlier one stops working. */
export async function resetCalendarFeed(context: UseCaseContext): Promise<{ token: string }> {
  const actor = context.actor
  if (!isSignedIn(actor)) throw new NotFoundError('Calendar')
  const token = newSecret()
  await inTransaction(context, async ({ tx, now, audit }) => {
    await tx
      .insertInto('calendar_feeds')
      .values({ person_id: actor.personId, token_hash: hashSecret(token), created_at: now })
      .onConflict((oc) =>
        oc.column('person_id').doUpdateSet({ token_hash: hashSecret(token), created_at: now }),
      )
      .execute()
    await audit({ action: 'calendar.reset', recordType: 'person', recordId: String(actor.personId) })
  })
  return { token }
}

/** Whether the person has a feed URL (its secret cannot be shown again, only reset). */
export async function hasCalendarFeed(db: Executor, personId: number): Promise<boolean> {
  const row = await db
    .selectFrom('calendar_feeds')
    .select('person_id')
    .where('person_id', '=', personId)
    .executeTakeFirst()
  return row !== undefined
}

/** The feed for a secret; an unknown or reset secret is not found. */
export async function calendarFeed(db: Executor, token: string, domain = 'masteryhub'): Promise<string> {
  const feed = await db
    .selectFrom('calendar_feeds')
    .select('person_id')
    .where('token_hash', '=', hashSecret(token))
    .executeTakeFirst()
  if (!feed) throw new NotFoundError('Calendar')
  const rows = await db
    .selectFrom('bookings')
    .innerJoin('participations', 'participations.id', 'bookings.participation_id')
    .innerJoin('events', 'events.id', 'bookings.event_id')
    .innerJoin('event_days', 'event_days.event_id', 'events.id')
    .innerJoin('event_venues', 'event_venues.id', 'bookings.venue_id')
    .select([
      'events.id as event_id',
      'events.title',
      'events.status',
      'bookings.status as booking_status',
      'events.sequence',
      'events.updated_at',
      'event_days.id as day_id',
      'event_days.day_number',
      'event_days.starts_at',
      'event_days.ends_at',
      'event_venues.name as venue',
      'event_venues.address',
    ])
    .where('participations.person_id', '=', feed.person_id)
    // A waiting place is not a place; a cancelled booking stays, shown cancelled, so calendars that
    // had it take it away.
    .where('bookings.status', '<>', 'waiting')
    .orderBy('event_days.starts_at')
    .orderBy('event_days.id')
    .execute()
  const calendar = ical({
    name: 'Mastery Hub',
    method: ICalCalendarMethod.PUBLISH,
    prodId: { company: 'Mastery Hub', product: 'masteryhub' },
  })
  for (const r of rows) {
    calendar.createEvent({
      id: `event-${r.event_id}-day-${r.day_number}@${domain}`,
      start: new Date(r.starts_at),
      end: new Date(r.ends_at),
      stamp: new Date(r.updated_at),
      summary: r.status === 'planned' ? `${r.title} (subject to confirmation)` : r.title,
      location: `${r.venue}, ${r.address}`,
      sequence: r.sequence,
      status:
        r.status === 'cancelled' || r.booking_status === 'cancelled'
          ? ICalEventStatus.CANCELLED
          : r.status === 'confirmed'
            ? ICalEventStatus.CONFIRMED
            : ICalEventStatus.TENTATIVE,
    })
  }
  return calendar.toString()
}
