// Use-cases for organisers: confirm an event, move it to new days or venues, or cancel it. A move
// or a cancellation raises the event's sequence (its calendar entries follow) and, where the
// event was confirmed, emails each person booked on it once, in the same transaction.
import { z } from 'zod'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { queueEmail } from '../../email/outbox.repository.ts'
import { inTransaction, type Unit, type UseCaseContext } from '../../use-case.ts'
import { canOrganise } from '../events.policy.ts'
import { bookedPeople, findEvent, hasAttendance, type EventRecord } from '../events.repository.ts'
import { checkedDays, daysInput, invalid, needsRetainedUntil, venueInput } from './event-input.ts'

function refused(code: string, field: string, message: string): ValidationError {
  return new ValidationError([{ code, field, message }])
}

/** The event locked for a change by someone who organises it; anyone else is told it is not there. */
async function organisedEvent(context: UseCaseContext, unit: Unit, id: number): Promise<EventRecord> {
  const event = await findEvent(unit.tx, id, { forUpdate: true })
  if (!event || !canOrganise(context.actor, event)) throw new NotFoundError('Event')
  if (event.status === 'cancelled') throw refused('cancelled', 'event', 'This event has been cancelled')
  return event
}

export async function confirmEvent(context: UseCaseContext, id: number): Promise<EventRecord> {
  return inTransaction(context, async (unit) => {
    const event = await organisedEvent(context, unit, id)
    if (event.status === 'confirmed') throw refused('confirmed', 'event', 'This event is already confirmed')
    await unit.tx
      .updateTable('events')
      .set({ status: 'confirmed', confirmed_at: unit.now, updated_at: unit.now })
      .where('id', '=', id)
      .execute()
    await unit.audit({
      action: 'event.confirm',
      recordType: 'event',
      recordId: String(id),
      before: { status: event.status },
      after: { status: 'confirmed' },
    })
    return (await findEvent(unit.tx, id))!
  })
}

const moveInput = z.object({
  days: daysInput,
  /** Venues by name: a venue kept keeps its bookings; its address and capacity may change. */
  venues: z
    .array(venueInput, { error: 'Add the venue' })
    .min(1, 'Add the venue')
    .max(2, 'An event can have up to 2 venues')
    .optional(),
})

export async function moveEvent(context: UseCaseContext, id: number, raw: unknown): Promise<EventRecord> {
  const parsed = moveInput.safeParse(raw)
  if (!parsed.success) throw invalid(parsed.error)
  const days = checkedDays(parsed.data.days)
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const event = await organisedEvent(context, unit, id)
    const venues = parsed.data.venues ?? event.venues
    const sameDays =
      days.length === event.days.length &&
      days.every(
        (d, i) =>
          d.startsAt.getTime() === event.days[i]!.startsAt.getTime() &&
          d.endsAt.getTime() === event.days[i]!.endsAt.getTime(),
      )
    const sameVenues =
      venues.length === event.venues.length &&
      venues.every((v, i) => {
        const was = event.venues[i]!
        return v.name === was.name && v.address === was.address && v.capacity === was.capacity
      })
    if (sameDays && sameVenues)
      throw refused('unchanged', 'days.0.startsAt', 'The event is already on these days at these venues')
    if (!sameDays && days.length !== event.days.length && (await hasAttendance(tx, id))) {
      throw refused(
        'attended',
        'days',
        'Attendance has been recorded for this event, so its number of days cannot change',
      )
    }
    const kept = new Map(event.venues.map((v) => [v.name.toLowerCase(), v]))
    const named = new Set(venues.map((v) => v.name.toLowerCase()))
    if (named.size < venues.length)
      throw refused('duplicate', 'venues.1.name', 'Give each venue a different name')
    if (venues.length > 1 && event.kind !== 'residential')
      throw refused('one-venue', 'venues.1.name', 'Only a residential can have two venues')
    for (const was of event.venues) {
      if (named.has(was.name.toLowerCase())) continue
      const booked = await tx
        .selectFrom('bookings')
        .select('id')
        .where('venue_id', '=', was.id)
        .where('status', '<>', 'cancelled')
        .limit(1)
        .executeTakeFirst()
      if (booked)
        throw refused(
          'booked-venue',
          'venues',
          `People are booked at ${was.name}: keep it, or cancel their bookings first`,
        )
    }
    // Days: the first ones move in place (their attendance and codes stay with them); any beyond
    // the new number go, and new ones are added.
    for (const [i, d] of days.entries()) {
      const existing = event.days[i]
      if (existing) {
        await tx
          .updateTable('event_days')
          .set({ starts_at: d.startsAt, ends_at: d.endsAt })
          .where('id', '=', existing.id)
          .execute()
      } else {
        await tx
          .insertInto('event_days')
          .values({ event_id: id, day_number: i + 1, starts_at: d.startsAt, ends_at: d.endsAt })
          .execute()
      }
    }
    const dropped = event.days.slice(days.length).map((d) => d.id)
    if (dropped.length > 0) await tx.deleteFrom('event_days').where('id', 'in', dropped).execute()
    for (const v of venues) {
      const was = kept.get(v.name.toLowerCase())
      if (was) {
        await tx
          .updateTable('event_venues')
          .set({ name: v.name, address: v.address, capacity: v.capacity })
          .where('id', '=', was.id)
          .execute()
      } else {
        await tx
          .insertInto('event_venues')
          .values({ event_id: id, name: v.name, address: v.address, capacity: v.capacity })
          .execute()
      }
    }
    const gone = event.venues.filter((v) => !named.has(v.name.toLowerCase())).map((v) => v.id)
    if (gone.length > 0) {
      await tx
        .deleteFrom('bookings')
        .where('venue_id', 'in', gone)
        .where('status', '=', 'cancelled')
        .execute()
      await tx.deleteFrom('event_venues').where('id', 'in', gone).execute()
    }
    await tx
      .updateTable('events')
      .set({ sequence: event.sequence + 1, updated_at: now, needs_retained_until: needsRetainedUntil(days) })
      .where('id', '=', id)
      .execute()
    if (event.status === 'confirmed') {
      for (const person of await bookedPeople(tx, id)) {
        await queueEmail(tx, {
          template: 'event-moved',
          to: person.email,
          data: {
            name: person.name,
            title: event.title,
            days,
            venues: venues.map((v) => `${v.name}, ${v.address}`),
          },
        })
      }
    }
    await unit.audit({
      action: 'event.move',
      recordType: 'event',
      recordId: String(id),
      before: {
        days: event.days.map((d) => [d.startsAt.toISOString(), d.endsAt.toISOString()]),
        venues: event.venues.map((v) => v.name),
      },
      after: {
        days: days.map((d) => [d.startsAt.toISOString(), d.endsAt.toISOString()]),
        venues: venues.map((v) => v.name),
      },
    })
    return (await findEvent(tx, id))!
  })
}

const cancelInput = z.object({
  reason: z
    .string({ error: 'Enter why the event is cancelled' })
    .trim()
    .min(1, 'Enter why the event is cancelled')
    .max(2000, 'The reason must be 2,000 characters or fewer'),
})

export async function cancelEvent(context: UseCaseContext, id: number, raw: unknown): Promise<EventRecord> {
  const parsed = cancelInput.safeParse(raw)
  if (!parsed.success) throw invalid(parsed.error)
  const { reason } = parsed.data
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const event = await organisedEvent(context, unit, id)
    await tx
      .updateTable('events')
      .set({
        status: 'cancelled',
        cancelled_at: now,
        cancel_reason: reason,
        sequence: event.sequence + 1,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute()
    if (event.status === 'confirmed') {
      for (const person of await bookedPeople(tx, id)) {
        await queueEmail(tx, {
          template: 'event-cancelled',
          to: person.email,
          data: { name: person.name, title: event.title, reason },
        })
      }
    }
    await unit.audit({
      action: 'event.cancel',
      recordType: 'event',
      recordId: String(id),
      before: { status: event.status },
      after: { status: 'cancelled', reason },
    })
    return (await findEvent(tx, id))!
  })
}
