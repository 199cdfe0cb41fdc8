// The JSON shapes of events (their days and venues), bookings and attendance, and the zod schemas
// that document them in the OpenAPI document. Access and dietary needs appear only in what an
// organiser reads (an event's bookings) and in a person's own booking.
import { z } from 'zod'
import type { Booking, BookingWithPerson } from '../../domain/events/bookings/bookings.repository.ts'
import type { EventRecord } from '../../domain/events/events.repository.ts'
import type {
  AttendanceMark,
  EventSummary,
  EventView,
  MyEvent,
} from '../../domain/events/viewing/view-events.ts'

const instant = z.string().describe('An ISO 8601 instant in UTC')
const kind = z
  .enum(['residential', 'hub-session', 'support-visit', 'workshop'])
  .describe('residential and workshop: NCETM’s, for a cohort; hub-session and support-visit: a hub’s')
const status = z
  .enum(['planned', 'confirmed', 'cancelled'])
  .describe('planned is "subject to confirmation" until the organiser confirms it')
const bookingStatus = z
  .enum(['booked', 'waiting', 'cancelled'])
  .describe('waiting: on the venue’s waiting list')
const attendanceStatus = z.enum(['present', 'late', 'left-early', 'absent'])

export const eventSummaryJson = z.object({
  id: z.number().int(),
  kind,
  title: z.string(),
  status,
  cohortId: z.string().nullable(),
  hubId: z.string().nullable(),
  startsAt: instant.nullable().describe('When the first day starts'),
  endsAt: instant.nullable().describe('When the last day ends'),
  venues: z.array(z.string()).describe('The venues’ names'),
  places: z.number().int().describe('Places at every venue together'),
  booked: z.number().int(),
  waiting: z.number().int(),
})

export const eventListJson = z.object({ items: z.array(eventSummaryJson) })

export const myEventListJson = z.object({
  items: z.array(
    eventSummaryJson.extend({
      bookingId: z.number().int().nullable().describe('Your booking, if you have one'),
      bookingStatus: bookingStatus.nullable(),
    }),
  ),
})

export const eventJson = z.object({
  id: z.number().int(),
  kind,
  title: z.string(),
  status,
  subjectToConfirmation: z.boolean(),
  cohortId: z.string().nullable().describe('For a residential or workshop: the cohort invited'),
  hubId: z.string().nullable().describe('For a hub session or support visit: the hub'),
  participationId: z.number().int().nullable().describe('For a support visit: the specialist it is for'),
  halfDays: z.number().int().nullable().describe('For a support visit: the half days of support'),
  sequence: z.number().int().describe('Raised by each move or cancellation; calendar entries follow it'),
  cancelReason: z.string().nullable(),
  days: z.array(z.object({ dayNumber: z.number().int(), startsAt: instant, endsAt: instant })),
  venues: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      address: z.string(),
      capacity: z.number().int(),
    }),
  ),
})

const needs = {
  accessNeeds: z.string().nullable(),
  dietaryNeeds: z.string().nullable(),
}

export const eventBookingJson = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  personName: z.string(),
  participationId: z.number().int(),
  venueId: z.number().int(),
  venueName: z.string(),
  status: bookingStatus,
  ...needs,
  bookedAt: instant,
})

export const eventBookingsJson = z.object({
  event: eventJson,
  items: z.array(eventBookingJson).describe('Places, then the waiting list, in the order booked'),
})

export const bookingJson = z.object({
  id: z.number().int(),
  eventId: z.number().int(),
  venueId: z.number().int(),
  participationId: z.number().int(),
  status: bookingStatus,
  waiting: z.boolean().describe('The venue was full: on its waiting list, moved up when a place frees'),
  ...needs,
  bookedAt: instant,
})

const markJson = z.object({
  bookingId: z.number().int(),
  dayNumber: z.number().int(),
  status: attendanceStatus,
  absenceReason: z.string().nullable(),
  method: z.enum(['screen', 'upload', 'code']),
})

export const eventViewJson = eventJson.extend({
  organiser: z.boolean().describe('You organise it: bookings with needs, and attendance, are shown'),
  bookings: z.array(eventBookingJson).describe('Organisers only; empty for anyone else'),
  mine: z
    .object({
      participationId: z.number().int(),
      booking: z
        .object({ id: z.number().int(), status: bookingStatus, venueName: z.string(), ...needs })
        .nullable(),
      attendance: z.array(markJson),
    })
    .nullable()
    .describe('Your own invitation, place and attendance, when you are invited'),
})

export const attendanceJson = z.object({
  eventId: z.number().int(),
  organiser: z.boolean(),
  days: z.array(z.object({ dayNumber: z.number().int(), startsAt: instant, endsAt: instant })),
  items: z
    .array(markJson.extend({ personId: z.number().int().nullable(), personName: z.string().nullable() }))
    .describe('Every mark on the event’s days for an organiser; only your own for an attendee'),
})

export const recordedJson = z.object({ recorded: z.number().int().describe('Marks saved') })
export const attendanceCodeJson = z.object({
  dayNumber: z.number().int(),
  code: z.string().describe('Six characters to show at the event; valid during the day’s hours'),
})

export function presentEventSummary(e: EventSummary): z.infer<typeof eventSummaryJson> {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    status: e.status,
    cohortId: e.cohortId,
    hubId: e.hubId,
    startsAt: e.startsAt?.toISOString() ?? null,
    endsAt: e.endsAt?.toISOString() ?? null,
    venues: e.venues,
    places: e.places,
    booked: e.booked,
    waiting: e.waiting,
  }
}

export function presentMyEvent(e: MyEvent) {
  return { ...presentEventSummary(e), bookingId: e.bookingId, bookingStatus: e.bookingStatus }
}

export function presentEvent(e: EventRecord): z.infer<typeof eventJson> {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    status: e.status,
    subjectToConfirmation: e.status === 'planned',
    cohortId: e.cohortId,
    hubId: e.hubId,
    participationId: e.participationId,
    halfDays: e.halfDays,
    sequence: e.sequence,
    cancelReason: e.cancelReason,
    days: e.days.map((d) => ({
      dayNumber: d.dayNumber,
      startsAt: d.startsAt.toISOString(),
      endsAt: d.endsAt.toISOString(),
    })),
    venues: e.venues.map((v) => ({ id: v.id, name: v.name, address: v.address, capacity: v.capacity })),
  }
}

export function presentEventBooking(b: BookingWithPerson): z.infer<typeof eventBookingJson> {
  return {
    id: b.id,
    personId: b.personId,
    personName: b.personName,
    participationId: b.participationId,
    venueId: b.venueId,
    venueName: b.venueName,
    status: b.status,
    accessNeeds: b.accessNeeds,
    dietaryNeeds: b.dietaryNeeds,
    bookedAt: b.bookedAt.toISOString(),
  }
}

export function presentBooking(b: Booking, waiting: boolean): z.infer<typeof bookingJson> {
  return {
    id: b.id,
    eventId: b.eventId,
    venueId: b.venueId,
    participationId: b.participationId,
    status: b.status,
    waiting,
    accessNeeds: b.accessNeeds,
    dietaryNeeds: b.dietaryNeeds,
    bookedAt: b.bookedAt.toISOString(),
  }
}

function presentMark(m: AttendanceMark): z.infer<typeof markJson> {
  return {
    bookingId: m.bookingId,
    dayNumber: m.dayNumber,
    status: m.status,
    absenceReason: m.absenceReason,
    method: m.method,
  }
}

export function presentEventView(view: EventView): z.infer<typeof eventViewJson> {
  return {
    ...presentEvent(view.event),
    organiser: view.organiser,
    bookings: view.bookings.map(presentEventBooking),
    mine: view.mine
      ? {
          participationId: view.mine.participationId,
          booking: view.mine.booking
            ? {
                id: view.mine.booking.id,
                status: view.mine.booking.status,
                venueName: view.mine.booking.venueName,
                accessNeeds: view.mine.booking.accessNeeds,
                dietaryNeeds: view.mine.booking.dietaryNeeds,
              }
            : null,
          attendance: view.mine.attendance.map(presentMark),
        }
      : null,
  }
}

/** An organiser's every mark, named; an attendee's own marks. */
export function presentAttendance(view: EventView): z.infer<typeof attendanceJson> {
  const days = presentEvent(view.event).days
  if (view.organiser) {
    const who = new Map(view.bookings.map((b) => [b.id, b]))
    return {
      eventId: view.event.id,
      organiser: true,
      days,
      items: view.attendance.map((m) => ({
        ...presentMark(m),
        personId: who.get(m.bookingId)?.personId ?? null,
        personName: who.get(m.bookingId)?.personName ?? null,
      })),
    }
  }
  return {
    eventId: view.event.id,
    organiser: false,
    days,
    items: (view.mine?.attendance ?? []).map((m) => ({
      ...presentMark(m),
      personId: null,
      personName: null,
    })),
  }
}
