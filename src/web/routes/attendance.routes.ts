// Attendance pages. An organiser marks a day's attendance on screen, uploads a CSV or XLSX file
// (every row good or nothing saved; each problem names its line and column), downloads the
// file's template, and shows a day's code at the event; a specialist with a place enters that code
// on the event's page during the day's hours. Refusals show the page again (422) with the GOV.UK
// error summary; anyone who may not see the event is answered "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { stringify } from 'csv-stringify/sync'
import { z } from 'zod'
import {
  ATTENDANCE_STATUSES,
  enterAttendanceCode,
  importAttendance,
  markAttendance,
  showAttendanceCode,
  UPLOAD_COLUMNS,
} from '../../domain/events/attendance/record-attendance.ts'
import { viewEvent } from '../../domain/events/viewing/view-events.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { ValidationError } from '../../errors.ts'
import { firstValues } from '../forms.ts'
import { guarded, idParam, notFound } from '../route-params.ts'
import { presentEvent } from './events.routes.ts'

export interface AttendanceRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const STATUS_NAMES: Record<string, string> = {
  present: 'Present',
  late: 'Late',
  'left-early': 'Left early',
  absent: 'Absent',
}

const dayParams = z.object({
  id: idParam.shape.id,
  day: z.coerce.number().int().min(1).max(10),
})

const numberOf = (params: unknown) => {
  const parsed = idParam.safeParse(params)
  return parsed.success ? parsed.data.id : undefined
}

/** The upload's problems: a file's are listed as they are, each pointing at the file field. */
function fileErrors(error: ValidationError) {
  return {
    errors: error.errors.map((e) => ({ text: e.message, href: '#file' })),
    fieldErrors: { file: { text: error.errors[0]?.message ?? 'Select a file' } },
  }
}

export function attendanceRoutes(app: FastifyInstance, deps: AttendanceRouteDeps): void {
  async function markPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    dayNumber: number,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const view = await viewEvent(context, id)
    if (!view.organiser) return notFound(reply)
    const day = view.event.days.find((d) => d.dayNumber === dayNumber)
    if (!day) return notFound(reply)
    const shown = presentEvent(view, context.clock.now())
    return reply.view('event-attendance.njk', {
      pageTitle: `Mark attendance: ${view.event.title}, day ${dayNumber}`,
      event: shown.event,
      day,
      people: shown.bookings
        .filter((b) => b.status === 'booked')
        .map((b) => ({ ...b, mark: b.marks[dayNumber - 1] })),
      statuses: ATTENDANCE_STATUSES.map((s) => ({ value: s, text: STATUS_NAMES[s] })),
      ...extra,
    })
  }

  app.get(
    '/events/:id/attendance',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      const day = z.coerce
        .number()
        .int()
        .min(1)
        .max(10)
        .safeParse(firstValues(request.query).day ?? '1')
      if (!day.success) return notFound(reply)
      return markPage(request, reply, id, day.data)
    }),
  )

  app.post(
    '/events/:id/attendance',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      const body = firstValues(request.body)
      const dayNumber = z.coerce.number().int().min(1).max(10).safeParse(body.dayNumber)
      if (!dayNumber.success) return notFound(reply)
      // One row a person: their booking, the mark chosen and, when absent, why. Unmarked rows are skipped.
      const rows = Object.keys(body)
        .map((k) => /^marks\.(\d{1,4})\.bookingId$/.exec(k)?.[1])
        .filter((i): i is string => i !== undefined)
      const marks = rows
        .map((i) => ({
          row: i,
          bookingId: body[`marks.${i}.bookingId`],
          dayNumber: dayNumber.data,
          status: body[`marks.${i}.status`] || undefined,
          absenceReason: body[`marks.${i}.absenceReason`] || undefined,
        }))
        .filter((m) => m.status !== undefined || m.absenceReason !== undefined)
      try {
        await markAttendance(deps.context(request), id, {
          marks: marks.map((m) => ({
            bookingId: m.bookingId,
            dayNumber: m.dayNumber,
            status: m.status,
            absenceReason: m.absenceReason,
          })),
        })
        return reply.redirect(`/events/${id}?saved=marked`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const fieldErrors: Record<string, { text: string }> = {}
        const errors = error.errors.map((e) => {
          const at = /^marks\.(\d+)(?:\.(\w+))?/.exec(e.field)
          const row = at ? marks[Number(at[1])]?.row : undefined
          const href =
            row === undefined
              ? undefined
              : `marks.${row}.${at?.[2] === 'absenceReason' ? 'absenceReason' : 'status'}`
          if (href) fieldErrors[href] ??= { text: e.message }
          return href ? { text: e.message, href: `#${href}` } : { text: e.message }
        })
        return markPage(request, reply.code(422), id, dayNumber.data, { errors, fieldErrors, values: body })
      }
    }),
  )

  async function uploadPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewEvent(deps.context(request), id)
    if (!view.organiser) return notFound(reply)
    return reply.view('event-attendance-upload.njk', {
      pageTitle: `Upload attendance: ${view.event.title}`,
      event: view.event,
      columns: UPLOAD_COLUMNS,
      ...extra,
    })
  }

  app.get(
    '/events/:id/attendance/upload',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      return uploadPage(request, reply, id)
    }),
  )

  app.post(
    '/events/:id/attendance/upload',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      const file = request.uploads.file
      // Only an organiser is told what is wrong with the file; anyone else, that the page is not there.
      if (!(await viewEvent(deps.context(request), id)).organiser) return notFound(reply)
      try {
        if (!file)
          throw new ValidationError([
            { code: 'required', field: 'file', message: 'Select a CSV or XLSX file' },
          ])
        if (file.tooLarge)
          throw new ValidationError([
            { code: 'too-large', field: 'file', message: 'The file must be smaller than 10 MB' },
          ])
        await importAttendance(deps.context(request), id, file.bytes)
        return reply.redirect(`/events/${id}?saved=uploaded`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return uploadPage(request, reply.code(422), id, fileErrors(error))
      }
    }),
  )

  app.get(
    '/events/:id/attendance/template.csv',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      const view = await viewEvent(deps.context(request), id)
      if (!view.organiser) return notFound(reply)
      const rows = view.bookings
        .filter((b) => b.status === 'booked')
        .flatMap((b) => view.event.days.map((d) => [b.personId, d.dayNumber]))
      // The template names each person by email, one row a day, for the organiser to fill in.
      const emails = await deps
        .context(request)
        .db.selectFrom('people')
        .select(['id', 'email'])
        .where('id', 'in', rows.length ? rows.map((r) => r[0]!) : [0])
        .execute()
      const csv = stringify([
        [...UPLOAD_COLUMNS],
        ...rows.map(([personId, day]) => [
          emails.find((e) => e.id === personId)?.email ?? '',
          String(day),
          '',
          '',
        ]),
      ])
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="attendance-${id}.csv"`)
        .send(csv)
    }),
  )

  app.post(
    '/events/:id/days/:day/code',
    guarded(async (request, reply) => {
      const parsed = dayParams.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const { id, day } = parsed.data
      const context = deps.context(request)
      try {
        const code = await showAttendanceCode(context, id, day)
        const view = await viewEvent(context, id)
        return reply.view('event.njk', {
          pageTitle: view.event.title,
          ...presentEvent(view, context.clock.now()),
          code,
          codeDay: day,
        })
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return notFound(reply)
      }
    }),
  )

  app.post(
    '/events/:id/attendance-code',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      const context = deps.context(request)
      try {
        await enterAttendanceCode(context, id, firstValues(request.body))
        return reply.redirect(`/events/${id}?saved=code-accepted`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const view = await viewEvent(context, id)
        const message = error.errors[0]?.message ?? 'Enter the code shown at the event'
        const shown = presentEvent(view, context.clock.now())
        // The code's field is on the page only while the day is on and the person has a place.
        const field = shown.today !== undefined && shown.mine?.booking?.status === 'booked'
        return reply.code(error.errors[0]?.code === 'too-many' ? 429 : 422).view('event.njk', {
          pageTitle: view.event.title,
          ...shown,
          errors: [field ? { text: message, href: '#code' } : { text: message }],
          fieldErrors: { code: { text: message } },
        })
      }
    }),
  )
}
