// The attendance pages every kind of meeting has, built once for events' days and Work Group
// sessions (the rules they share are in domain/attendance/attendance.ts): the register marked on
// screen, a CSV or XLSX file uploaded with its template to fill in, the code shown at the meeting
// and the code entered by the one attending. Each area gives its paths, its loader (which also
// says who may record: anyone else is answered "page not found"), its views and its use-cases. A
// refused register or file shows its page again (422) with the GOV.UK error summary and saves
// nothing; a refused code, 422, or 429 after too many wrong ones.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { stringify } from 'csv-stringify/sync'
import type { UseCaseContext } from '../domain/use-case.ts'
import { ValidationError } from '../errors.ts'
import { firstValues } from './forms.ts'
import { forAnyone, guarded, notFound, withId } from './route-params.ts'

/** A page to render: its view and what the view is given. */
export interface PageView {
  template: string
  context: Record<string, unknown>
}

/** One row of the register as its form sends it: whose row, the mark chosen and, when absent, why. */
export interface FormMark {
  row: string
  id: string | undefined
  status: string | undefined
  absenceReason: string | undefined
}

type Page = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

export interface AttendancePagesArea<Meeting, Sheet, CodeParams extends { id: number } = { id: number }> {
  /**
   * The meetings' pages: the register is at `${root}/:id/attendance`, the file beneath it; once
   * saved, they lead back to the meeting's page, `${root}/:id?saved=marked` (or `uploaded`).
   */
  root: string
  context(request: FastifyRequest): UseCaseContext
  /** The meeting, for one who records its attendance; undefined for anyone else. */
  load(context: UseCaseContext, id: number): Promise<Meeting | undefined>
  register: {
    /**
     * Which of the meeting's registers (an event's day) from the page's query or the form sent;
     * undefined is "page not found".
     */
    sheet(values: Record<string, string>, from: 'query' | 'form'): Sheet | undefined
    /** The form's rows are `marks.<row>.<idField>`, the row at most `rowDigits` digits. */
    idField: string
    rowDigits: number
    /** The register's page; undefined when the meeting has no such register. */
    page(meeting: Meeting, sheet: Sheet, context: UseCaseContext): PageView | undefined
    record(context: UseCaseContext, id: number, sheet: Sheet, marks: FormMark[]): Promise<unknown>
  }
  upload: {
    page(meeting: Meeting): PageView
    record(context: UseCaseContext, id: number, bytes: Uint8Array): Promise<unknown>
    /** The file to fill in: its name, its columns and a row for each mark expected. */
    template(
      meeting: Meeting,
      context: UseCaseContext,
    ): Promise<{ filename: string; columns: readonly string[]; rows: string[][] }>
  }
  /** Showing a new code for the meeting: a POST to its own path. */
  showCode: {
    path: string
    params(params: unknown): CodeParams | undefined
    show(context: UseCaseContext, params: CodeParams): Promise<string>
    shown(request: FastifyRequest, reply: FastifyReply, params: CodeParams, code: string): Promise<unknown>
    /** The answer to a refusal, with its status. */
    refused(
      request: FastifyRequest,
      reply: FastifyReply,
      params: CodeParams,
      refusal: ValidationError,
    ): Promise<unknown>
  }
  /** Entering the meeting's code: a POST to its own path (and its own page, where it has one). */
  enterCode: {
    path: string
    /** For anyone (an advocate has no account), or for signed-in people only. */
    forAnyone: boolean
    /** The form's own page (GET at the same path), where it is not on the meeting's page. */
    form?(request: FastifyRequest, reply: FastifyReply, id: number): Promise<unknown>
    enter(context: UseCaseContext, id: number, body: Record<string, string>): Promise<unknown>
    accepted(request: FastifyRequest, reply: FastifyReply, id: number): Promise<unknown>
    /** The form shown again; the reply's status is set already (422, or 429 for too many). */
    refused(
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      refusal: ValidationError,
      body: Record<string, string>,
    ): Promise<unknown>
  }
}

/** The rows of the register's form that have a mark or a reason (unmarked rows are skipped). */
export function marksOfForm(body: Record<string, string>, idField: string, rowDigits: number): FormMark[] {
  const key = new RegExp(`^marks\\.(\\d{1,${rowDigits}})\\.${idField}$`)
  return Object.keys(body)
    .map((k) => key.exec(k)?.[1])
    .filter((i): i is string => i !== undefined)
    .map((i) => ({
      row: i,
      id: body[`marks.${i}.${idField}`],
      status: body[`marks.${i}.status`] || undefined,
      absenceReason: body[`marks.${i}.absenceReason`] || undefined,
    }))
    .filter((m) => m.status !== undefined || m.absenceReason !== undefined)
}

/** A refused register's problems, each linked to its row's status or reason where it has one. */
export function markErrors(refusal: ValidationError, marks: FormMark[]) {
  const fieldErrors: Record<string, { text: string }> = {}
  const errors = refusal.errors.map((e) => {
    const at = /^marks\.(\d+)(?:\.(\w+))?/.exec(e.field)
    const row = at ? marks[Number(at[1])]?.row : undefined
    const href =
      row === undefined
        ? undefined
        : `marks.${row}.${at?.[2] === 'absenceReason' ? 'absenceReason' : 'status'}`
    if (href) fieldErrors[href] ??= { text: e.message }
    return href ? { text: e.message, href: `#${href}` } : { text: e.message }
  })
  return { errors, fieldErrors }
}

/** The file's problems, listed as they are, each pointing at the file field. */
function fileErrors(refusal: ValidationError) {
  return {
    errors: refusal.errors.map((e) => ({ text: e.message, href: '#file' })),
    fieldErrors: { file: { text: refusal.errors[0]?.message ?? 'Select a file' } },
  }
}

/** The file sent with the form, or why there is none to read. */
function sentFile(request: FastifyRequest): Uint8Array {
  const file = request.uploads.file
  if (!file)
    throw new ValidationError([{ code: 'required', field: 'file', message: 'Select a CSV or XLSX file' }])
  if (file.tooLarge)
    throw new ValidationError([
      { code: 'too-large', field: 'file', message: 'The file must be smaller than 10 MB' },
    ])
  return file.bytes
}

export function attendancePages<Meeting, Sheet, CodeParams extends { id: number }>(
  app: FastifyInstance,
  area: AttendancePagesArea<Meeting, Sheet, CodeParams>,
): void {
  const { register, upload, showCode, enterCode } = area
  const view = (reply: FastifyReply, page: PageView, extra: Record<string, unknown> = {}) =>
    reply.view(page.template, { ...page.context, ...extra })

  async function registerPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    sheet: Sheet,
    extra: Record<string, unknown> = {},
  ) {
    const context = area.context(request)
    const meeting = await area.load(context, id)
    const page = meeting === undefined ? undefined : register.page(meeting, sheet, context)
    return page ? view(reply, page, extra) : notFound(reply)
  }

  /** A page of one meeting, for one who records its attendance; anyone else, "page not found". */
  const forMeeting = (
    handler: (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      meeting: Meeting,
      context: UseCaseContext,
    ) => Promise<unknown>,
  ) =>
    guarded(
      withId(async (request, reply, id) => {
        const context = area.context(request)
        const meeting = await area.load(context, id)
        return meeting === undefined ? notFound(reply) : handler(request, reply, id, meeting, context)
      }),
    )

  // --- The register, marked on screen

  app.get(
    `${area.root}/:id/attendance`,
    guarded(
      withId(async (request, reply, id) => {
        const sheet = register.sheet(firstValues(request.query), 'query')
        if (sheet === undefined) return notFound(reply)
        return registerPage(request, reply, id, sheet)
      }),
    ),
  )

  app.post(
    `${area.root}/:id/attendance`,
    guarded(
      withId(async (request, reply, id) => {
        const body = firstValues(request.body)
        const sheet = register.sheet(body, 'form')
        if (sheet === undefined) return notFound(reply)
        const marks = marksOfForm(body, register.idField, register.rowDigits)
        try {
          await register.record(area.context(request), id, sheet, marks)
          return reply.redirect(`${area.root}/${id}?saved=marked`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          return registerPage(request, reply.code(422), id, sheet, {
            ...markErrors(error, marks),
            values: body,
          })
        }
      }),
    ),
  )

  // --- The register as a file

  app.get(
    `${area.root}/:id/attendance/upload`,
    forMeeting(async (_request, reply, _id, meeting) => view(reply, upload.page(meeting))),
  )

  // Only one who records the meeting's attendance is told what is wrong with the file.
  app.post(
    `${area.root}/:id/attendance/upload`,
    forMeeting(async (request, reply, id, meeting) => {
      try {
        await upload.record(area.context(request), id, sentFile(request))
        return reply.redirect(`${area.root}/${id}?saved=uploaded`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return view(reply.code(422), upload.page(meeting), fileErrors(error))
      }
    }),
  )

  app.get(
    `${area.root}/:id/attendance/template.csv`,
    forMeeting(async (_request, reply, _id, meeting, context) => {
      const { filename, columns, rows } = await upload.template(meeting, context)
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(stringify([[...columns], ...rows]))
    }),
  )

  // --- The code shown at the meeting, and entered by the one attending

  app.post(
    showCode.path,
    guarded(async (request, reply) => {
      const params = showCode.params(request.params)
      if (params === undefined) return notFound(reply)
      try {
        const code = await showCode.show(area.context(request), params)
        return await showCode.shown(request, reply, params, code)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return showCode.refused(request, reply, params, error)
      }
    }),
  )

  const open = (page: Page) => (enterCode.forAnyone ? forAnyone(page) : guarded(page))
  const form = enterCode.form
  if (form) app.get(enterCode.path, open(withId(form)))

  app.post(
    enterCode.path,
    open(
      withId(async (request, reply, id) => {
        const body = firstValues(request.body)
        try {
          await enterCode.enter(area.context(request), id, body)
          return await enterCode.accepted(request, reply, id)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          const tooMany = error.errors[0]?.code === 'too-many'
          return enterCode.refused(request, reply.code(tooMany ? 429 : 422), id, error, body)
        }
      }),
    ),
  )
}
