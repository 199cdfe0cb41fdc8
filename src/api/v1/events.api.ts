// API v1: the development years' events, with a bearer API token. A cohort's residentials and
// workshop (NCETM's national administrators), a hub's sessions and support visits (its lead and
// administrators, and NCETM), your own events; scheduling, confirming, moving and cancelling an
// event (its organisers); booking a place and cancelling one (the specialist invited, or an
// organiser); an event's bookings with access and dietary needs (organisers only); and attendance:
// read (organisers all of it, an attendee their own), marked, uploaded as a CSV or XLSX file sent
// as base64 (every row good or nothing saved), and entered as the day's code. The use-cases decide
// access: anything the token's person may neither organise nor attend is "not found".
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { databaseErrorIn } from '../../db/database-errors.ts'
import {
  enterAttendanceCode,
  importAttendance,
  markAttendance,
  showAttendanceCode,
} from '../../domain/events/attendance/record-attendance.ts'
import { bookPlace, cancelBooking, viewEventBookings } from '../../domain/events/bookings/book-place.ts'
import { cancelEvent, confirmEvent, moveEvent } from '../../domain/events/scheduling/change-event.ts'
import { scheduleEvent } from '../../domain/events/scheduling/schedule-event.ts'
import {
  listCohortEvents,
  listHubEvents,
  myEvents,
  viewEvent,
} from '../../domain/events/viewing/view-events.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { ValidationError } from '../../errors.ts'
import { attendanceApi } from './attendance-api.ts'
import { recordIdText, wholeNumberText } from '../../lib/whole-number.ts'
import { bearer, requireApiToken } from './authenticate.ts'
import {
  attendanceCodeJson,
  attendanceJson,
  bookingJson,
  eventBookingsJson,
  eventJson,
  eventListJson,
  eventViewJson,
  myEventListJson,
  presentAttendance,
  presentBooking,
  presentEvent,
  presentEventBooking,
  presentEventSummary,
  presentEventView,
  presentMyEvent,
  recordedJson,
} from './events.presenters.ts'
import { errorBody } from './presenters.ts'

const TAGS = ['events']
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/

const eventIdParam = z.object({ id: recordIdText('Event id').describe('The event’s id') })
const cohortIdParam = z.object({
  id: z
    .string()
    .regex(SLUG, 'Cohort id must be lower-case words joined by hyphens, like primary-mastery-specialist-13')
    .max(120, 'Cohort id must be a cohort id, like primary-mastery-specialist-13')
    .describe('The cohort’s id'),
})
const hubIdParam = z.object({
  id: z
    .string()
    .regex(SLUG, 'Hub id must be lower-case words joined by hyphens, like northvale-maths-hub')
    .max(100, 'Hub id must be a hub id, like northvale-maths-hub')
    .describe('The hub’s id'),
})

// Bodies: their shape, documented here; the use-cases check every value and say what is wrong.
const text = (message: string) => z.string({ error: message })
const whole = (message: string) => z.number({ error: message })
const dayBody = z.object({
  startsAt: text('Enter the date and time the day starts').describe(
    'An ISO 8601 instant with an offset, like 2027-10-13T09:00:00+01:00',
  ),
  endsAt: text('Enter the date and time the day ends').describe('An ISO 8601 instant, after startsAt'),
})
const venueBody = z.object({
  name: text('Enter the venue’s name').describe('Like London; a venue kept by name keeps its bookings'),
  address: text('Enter the venue’s address'),
  capacity: whole('Enter the number of places as a whole number').describe('Places, 1 to 10,000'),
})
const daysBody = z
  .array(dayBody, { error: 'Add the event’s days' })
  .describe('1 to 10 days, each starting after the one before ends')
const venuesBody = z
  .array(venueBody, { error: 'Add the venue' })
  .describe('One venue; a residential may have two (London or Manchester)')

const scheduleBody = z.object({
  kind: text('Select the kind of event').describe(
    'residential or workshop (NCETM, for a cohort); hub-session or support-visit (a hub)',
  ),
  title: text('Enter the event’s title').describe('Up to 200 characters'),
  cohortId: text('Enter the cohort’s id').optional().describe('For a residential or workshop: the cohort'),
  hubId: text('Enter the hub’s id').optional().describe('For a hub session or support visit: the hub'),
  participationId: whole('Select the specialist the visit is for')
    .optional()
    .describe('For a support visit: the specialist’s participation, in the hub'),
  halfDays: whole('Enter the half days as a whole number')
    .optional()
    .describe('For a support visit: half days of support, 1 to 20'),
  days: daysBody,
  venues: venuesBody,
})
const moveBody = z.object({
  days: daysBody.describe('The new days: the first ones move in place, keeping their attendance'),
  venues: venuesBody
    .optional()
    .describe('The venues, when they change; those left out must have no bookings'),
})
const cancelBody = z.object({
  reason: text('Enter why the event is cancelled').describe('Sent to everyone booked on a confirmed event'),
})
const bookBody = z.object({
  venueId: whole('Select a venue').optional().describe('The venue; needed where there are two'),
  accessNeeds: text('Enter access needs as text')
    .optional()
    .describe('Seen only by the organisers and you; deleted after the event’s retention period'),
  dietaryNeeds: text('Enter dietary needs as text')
    .optional()
    .describe('Seen only by the organisers and you; deleted after the event’s retention period'),
})
const marksBody = z.object({
  marks: z
    .array(
      z.object({
        bookingId: whole('Select the person').describe('A booking with a place (not waiting) at the event'),
        dayNumber: whole('Select the day').describe('The event’s day, from 1'),
        status: text('Select present, late, left early or absent').describe(
          'present, late, left-early or absent',
        ),
        absenceReason: text('Enter the reason for the absence').optional().describe('Needed when absent'),
      }),
      { error: 'Mark at least one person' },
    )
    .describe('Every mark is checked: one wrong and nothing is saved. A mark replaces one made before'),
})
const importBody = z.object({
  file: text('Attach the attendance file, as base64').describe(
    'A CSV or XLSX file, base64-encoded, with the columns Email, Day, Status and Absence reason. The whole body may be up to 1 MB',
  ),
})
const codeBody = z.object({
  code: text('Enter the code shown at the event').describe(
    'The six characters shown at the event, during that day’s hours',
  ),
})

/** Two copies of one booking at once: the one that loses is told, as if it came second. */
function alreadyBooked(error: unknown): never {
  if (databaseErrorIn(error)?.constraint === 'bookings_one_live') {
    throw new ValidationError([
      { code: 'booked', field: 'event', message: 'You have already booked this event' },
    ])
  }
  throw error
}

const errors = { 401: errorBody, 404: errorBody, 422: errorBody }

export function eventsApi(
  app: FastifyInstance,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/api/v1/cohorts/:id/events',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'A cohort’s residentials and workshop, soonest first, with places booked. For NCETM’s administrators',
        security: bearer,
        params: cohortIdParam,
        response: { 200: eventListJson, ...errors },
      },
    },
    async (request) => ({
      items: (await listCohortEvents(deps.context(request), request.params.id)).map(presentEventSummary),
    }),
  )

  api.get(
    '/api/v1/hubs/:id/events',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'A hub’s sessions and support visits, soonest first, with places booked. For the hub’s leads and administrators, and NCETM’s administrators',
        security: bearer,
        params: hubIdParam,
        response: { 200: eventListJson, ...errors },
      },
    },
    async (request) => ({
      items: (await listHubEvents(deps.context(request), request.params.id)).map(presentEventSummary),
    }),
  )

  api.get(
    '/api/v1/me/events',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'The events you are invited to now or have a place at, soonest first, with your booking',
        security: bearer,
        response: { 200: myEventListJson, 401: errorBody },
      },
    },
    async (request) => ({ items: (await myEvents(deps.context(request))).map(presentMyEvent) }),
  )

  api.post(
    '/api/v1/events',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Schedule an event with its days and venues, "subject to confirmation" until confirmed: a residential or workshop for a cohort (NCETM’s administrators), a hub session or support visit (the hub’s leads and administrators)',
        security: bearer,
        body: scheduleBody,
        response: { 201: eventJson, ...errors },
      },
    },
    async (request, reply) => {
      const event = await scheduleEvent(deps.context(request), request.body)
      return reply.code(201).header('location', `/api/v1/events/${event.id}`).send(presentEvent(event))
    },
  )

  api.get(
    '/api/v1/events/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'One event: its days and venues; for its organisers every booking with access and dietary needs; for a specialist invited, their own place, needs and attendance',
        security: bearer,
        params: eventIdParam,
        response: { 200: eventViewJson, ...errors },
      },
    },
    async (request) => presentEventView(await viewEvent(deps.context(request), request.params.id)),
  )

  api.post(
    '/api/v1/events/:id/confirm',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'Confirm an event (its organisers): it is no longer subject to confirmation',
        security: bearer,
        params: eventIdParam,
        response: { 200: eventJson, ...errors },
      },
    },
    async (request) => presentEvent(await confirmEvent(deps.context(request), request.params.id)),
  )

  api.post(
    '/api/v1/events/:id/move',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Move an event to new days or venues (its organisers): its sequence rises, so calendars follow, and everyone booked on a confirmed event is emailed once',
        security: bearer,
        params: eventIdParam,
        body: moveBody,
        response: { 200: eventJson, ...errors },
      },
    },
    async (request) => presentEvent(await moveEvent(deps.context(request), request.params.id, request.body)),
  )

  api.post(
    '/api/v1/events/:id/cancel',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Cancel an event with a reason (its organisers): everyone booked on a confirmed event is emailed once, and calendars show it cancelled',
        security: bearer,
        params: eventIdParam,
        body: cancelBody,
        response: { 200: eventJson, ...errors },
      },
    },
    async (request) =>
      presentEvent(await cancelEvent(deps.context(request), request.params.id, request.body)),
  )

  api.post(
    '/api/v1/events/:id/bookings',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Book a place at an event you are invited to, at one venue, with any access and dietary needs; a full venue puts you on its waiting list',
        security: bearer,
        params: eventIdParam,
        body: bookBody,
        response: { 201: bookingJson, ...errors },
      },
    },
    async (request, reply) => {
      const { booking, waiting } = await bookPlace(
        deps.context(request),
        request.params.id,
        request.body,
      ).catch(alreadyBooked)
      return reply.code(201).send(presentBooking(booking, waiting))
    },
  )

  api.get(
    '/api/v1/events/:id/bookings',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'An event’s places and waiting list, with each person’s access and dietary needs. For its organisers only',
        security: bearer,
        params: eventIdParam,
        response: { 200: eventBookingsJson, ...errors },
      },
    },
    async (request) => {
      const view = await viewEventBookings(deps.context(request), request.params.id)
      return { event: presentEvent(view.event), items: view.bookings.map(presentEventBooking) }
    },
  )

  api.post(
    '/api/v1/bookings/:id/cancel',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Cancel a booking (your own, or any on an event you organise): the first on the venue’s waiting list moves up and is emailed',
        security: bearer,
        params: z.object({ id: recordIdText('Booking id').describe('The booking’s id') }),
        response: {
          200: z.object({ id: z.number().int(), status: z.literal('cancelled') }),
          ...errors,
        },
      },
    },
    async (request) => {
      await cancelBooking(deps.context(request), request.params.id)
      return { id: request.params.id, status: 'cancelled' as const }
    },
  )

  api.get(
    '/api/v1/events/:id/attendance',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Attendance on each of the event’s days: every mark, with who, for its organisers; only your own for an attendee',
        security: bearer,
        params: eventIdParam,
        response: { 200: attendanceJson, ...errors },
      },
    },
    async (request) => presentAttendance(await viewEvent(deps.context(request), request.params.id)),
  )

  attendanceApi(app, {
    tags: TAGS,
    context: deps.context,
    path: '/api/v1/events/:id',
    params: eventIdParam,
    recorded: recordedJson,
    marks: {
      summary:
        'Mark attendance (its organisers): present, late, left early, or absent with a reason, for people with a place, on the event’s days',
      body: marksBody,
      record: markAttendance,
    },
    upload: {
      summary:
        'Upload attendance as a CSV or XLSX file sent as base64 (its organisers): every row good, or nothing saved and each problem named by its line and column',
      body: importBody,
      record: importAttendance,
    },
    code: {
      path: '/api/v1/events/:id/days/:day/code',
      summary:
        'A new attendance code for one of the event’s days, to show at the event (its organisers); only its hash is kept, so each call makes a new one',
      params: eventIdParam.extend({
        day: wholeNumberText('Day', { max: 10, example: 1 }).describe('The event’s day, from 1'),
      }),
      response: attendanceCodeJson,
      show: async (context, { id, day }) => ({
        dayNumber: day,
        code: await showAttendanceCode(context, id, day),
      }),
    },
  })

  api.post(
    '/api/v1/events/:id/attendance-code',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Enter the code shown at the event, during the day’s hours, to be marked present (a specialist with a place). Wrong codes are limited to five an hour',
        security: bearer,
        params: eventIdParam,
        body: codeBody,
        response: { 200: z.object({ eventId: z.number().int(), status: z.literal('present') }), ...errors },
      },
    },
    async (request) => {
      await enterAttendanceCode(deps.context(request), request.params.id, request.body)
      return { eventId: request.params.id, status: 'present' as const }
    },
  )
}
