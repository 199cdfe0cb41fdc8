// Attendance pages. An organiser marks a day's attendance on screen, uploads a CSV or XLSX file
// (every row good or nothing saved; each problem names its line and column), downloads the
// file's template, and shows a day's code at the event; a specialist with a place enters that code
// on the event's page during the day's hours. The pages are those of every meeting
// (web/attendance-pages.ts), given here the event's registers (one a day), views and use-cases.
// Refusals show the page again (422) with the GOV.UK error summary; anyone who may not see the
// event is answered "page not found".
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { STATUS_NAMES } from '../../domain/attendance/attendance.ts'
import {
  ATTENDANCE_STATUSES,
  enterAttendanceCode,
  importAttendance,
  markAttendance,
  showAttendanceCode,
  UPLOAD_COLUMNS,
} from '../../domain/events/attendance/record-attendance.ts'
import { viewEvent, type EventView } from '../../domain/events/viewing/view-events.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { attendancePages } from '../attendance-pages.ts'
import { idParam, notFound } from '../route-params.ts'
import { presentEvent } from './events.routes.ts'

export interface AttendanceRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const dayNumber = z.coerce.number().int().min(1).max(10)

const dayParams = z.object({
  id: idParam.shape.id,
  day: dayNumber,
})

export function attendanceRoutes(app: FastifyInstance, deps: AttendanceRouteDeps): void {
  attendancePages(app, {
    root: '/events',
    context: deps.context,
    // An event's attendance is recorded by its organisers.
    load: async (context, id) => {
      const view = await viewEvent(context, id)
      return view.organiser ? view : undefined
    },
    register: {
      // One register a day: the page's ?day= (the first when not given), the form's dayNumber.
      sheet: (values, from) => {
        const day = dayNumber.safeParse(from === 'query' ? (values.day ?? '1') : values.dayNumber)
        return day.success ? day.data : undefined
      },
      idField: 'bookingId',
      rowDigits: 4,
      page: (view: EventView, number, context) => {
        const day = view.event.days.find((d) => d.dayNumber === number)
        if (!day) return undefined
        const shown = presentEvent(view, context.clock.now())
        return {
          template: 'event-attendance.njk',
          context: {
            pageTitle: `Mark attendance: ${view.event.title}, day ${number}`,
            event: shown.event,
            day,
            people: shown.bookings
              .filter((b) => b.status === 'booked')
              .map((b) => ({ ...b, mark: b.marks[number - 1] })),
            statuses: ATTENDANCE_STATUSES.map((s) => ({ value: s, text: STATUS_NAMES[s] })),
          },
        }
      },
      record: (context, id, day, marks) =>
        markAttendance(context, id, {
          marks: marks.map((m) => ({
            bookingId: m.id,
            dayNumber: day,
            status: m.status,
            absenceReason: m.absenceReason,
          })),
        }),
    },
    upload: {
      page: (view) => ({
        template: 'event-attendance-upload.njk',
        context: {
          pageTitle: `Upload attendance: ${view.event.title}`,
          event: view.event,
          columns: UPLOAD_COLUMNS,
        },
      }),
      record: importAttendance,
      template: async (view, context) => {
        const rows = view.bookings
          .filter((b) => b.status === 'booked')
          .flatMap((b) => view.event.days.map((d) => [b.personId, d.dayNumber]))
        // The template names each person by email, one row a day, for the organiser to fill in.
        const emails = await context.db
          .selectFrom('people')
          .select(['id', 'email'])
          .where('id', 'in', rows.length ? rows.map((r) => r[0]!) : [0])
          .execute()
        return {
          filename: `attendance-${view.event.id}.csv`,
          columns: UPLOAD_COLUMNS,
          rows: rows.map(([personId, day]) => [
            emails.find((e) => e.id === personId)?.email ?? '',
            String(day),
            '',
            '',
          ]),
        }
      },
    },
    showCode: {
      path: '/events/:id/days/:day/code',
      params: (params) => {
        const parsed = dayParams.safeParse(params)
        return parsed.success ? parsed.data : undefined
      },
      show: (context, { id, day }) => showAttendanceCode(context, id, day),
      shown: async (request, reply, { id, day }, code) => {
        const context = deps.context(request)
        const view = await viewEvent(context, id)
        return reply.view('event.njk', {
          pageTitle: view.event.title,
          ...presentEvent(view, context.clock.now()),
          code,
          codeDay: day,
        })
      },
      refused: async (_request, reply) => notFound(reply),
    },
    enterCode: {
      path: '/events/:id/attendance-code',
      forAnyone: false,
      enter: enterAttendanceCode,
      accepted: async (_request, reply, id) => reply.redirect(`/events/${id}?saved=code-accepted`, 303),
      refused: async (request, reply, id, refusal) => {
        const context = deps.context(request)
        const view = await viewEvent(context, id)
        const message = refusal.errors[0]?.message ?? 'Enter the code shown at the event'
        const shown = presentEvent(view, context.clock.now())
        // The code's field is on the page only while the day is on and the person has a place.
        const field = shown.today !== undefined && shown.mine?.booking?.status === 'booked'
        return reply.view('event.njk', {
          pageTitle: view.event.title,
          ...shown,
          errors: [field ? { text: message, href: '#code' } : { text: message }],
          fieldErrors: { code: { text: message } },
        })
      },
    },
  })
}
