// Pages for a Work Group's sessions: adding one, a session's page (its advocates' attendance and
// its schools' lesson study) with its moves (held, cancelled), marking attendance on screen,
// uploading it as a file (with a template), showing the session's code, recording a school's lesson
// study, and recording a lead specialist's support visit. The code page is public: an advocate, who
// usually has no account, enters their email address and the code. Refusals show the form again
// (422) with the GOV.UK error summary and change nothing; anyone who may not see the group or
// session is answered "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { stringify } from 'csv-stringify/sync'
import { ATTENDANCE_STATUSES, STATUS_NAMES } from '../../domain/attendance/attendance.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { addSession, moveSession } from '../../domain/work-groups/sessions/manage-sessions.ts'
import { recordLessonStudy } from '../../domain/work-groups/sessions/record-lesson-study.ts'
import { recordSupportVisit } from '../../domain/work-groups/sessions/record-support-visit.ts'
import {
  enterSessionCode,
  importSessionAttendance,
  markSessionAttendance,
  SESSION_UPLOAD_COLUMNS,
  sessionForCode,
  showSessionCode,
} from '../../domain/work-groups/sessions/session-attendance.ts'
import { groupFor } from '../../domain/work-groups/sessions/session-access.ts'
import {
  BIG_IDEA_NAMES,
  BIG_IDEAS,
  groupSchools,
  type SessionRecord,
} from '../../domain/work-groups/sessions/sessions.repository.ts'
import {
  newSessionOptions,
  viewGroupSessions,
  viewSession,
} from '../../domain/work-groups/sessions/view-sessions.ts'
import { canManageWorkGroups } from '../../domain/work-groups/work-groups.policy.ts'
import { NotFoundError, ValidationError } from '../../errors.ts'
import { formatUkDate } from '../../lib/uk-time.ts'
import { dateFieldValue, firstValues } from '../forms.ts'
import { errorsOf } from '../page.ts'
import { guarded, idParam, notFound } from '../route-params.ts'

export interface WorkGroupSessionRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const SESSION_STATUS_NAMES: Record<SessionRecord['status'], string> = {
  planned: 'Planned',
  held: 'Held',
  cancelled: 'Cancelled',
}
const SESSION_STATUS_TAGS: Record<SessionRecord['status'], string> = {
  planned: 'govuk-tag--blue',
  held: 'govuk-tag--green',
  cancelled: 'govuk-tag--grey',
}

const SAVED: Record<string, string> = {
  added: 'The session has been added',
  hold: 'The session is marked as held',
  cancel: 'The session has been cancelled',
  marked: 'Attendance has been saved',
  uploaded: 'The attendance file has been saved',
  'lesson-study': 'The lesson study has been saved',
}

export function presentSession(session: SessionRecord) {
  return {
    ...session,
    bigIdeaName: BIG_IDEA_NAMES[session.bigIdea],
    statusName: SESSION_STATUS_NAMES[session.status],
    statusTag: SESSION_STATUS_TAGS[session.status],
  }
}

const idOf = (params: unknown) => {
  const parsed = idParam.safeParse(params)
  return parsed.success ? parsed.data.id : undefined
}

/** What the group's page shows of its sessions and support visits (for work-group.njk). */
export async function groupSessionsSection(context: UseCaseContext, workGroupId: number) {
  const view = await viewGroupSessions(context, workGroupId)
  return {
    sessions: view.sessions.map((s) => ({ ...presentSession(s), attended: s.attended, marked: s.marked })),
    supportVisits: view.supportVisits,
    supportHalfDays: view.supportHalfDays,
    canManage: view.canManage,
    open: view.open,
  }
}

export function workGroupSessionRoutes(app: FastifyInstance, deps: WorkGroupSessionRouteDeps): void {
  // --- Adding a session

  async function newPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const options = await newSessionOptions(deps.context(request), id)
    return reply.view('work-group-session-form.njk', {
      pageTitle: `Add a session: ${options.group.name}`,
      group: options.group,
      hosts: options.hosts,
      bigIdeas: BIG_IDEAS.map((b) => ({ value: b, text: BIG_IDEA_NAMES[b] })),
      values: {},
      ...extra,
    })
  }

  app.get(
    '/work-groups/:id/sessions/new',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      return newPage(request, reply, id)
    }),
  )

  app.post(
    '/work-groups/:id/sessions',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      const body = firstValues(request.body)
      try {
        const session = await addSession(deps.context(request), id, {
          date: dateFieldValue(body, 'date'),
          startTime: body.startTime ?? '',
          endTime: body.endTime ?? '',
          hostSchoolUrn: body.hostSchoolUrn ?? '',
          bigIdea: body.bigIdea ?? '',
          lessonObserved: body.lessonObserved ?? '',
        })
        return reply.redirect(`/work-group-sessions/${session.id}?saved=added`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return newPage(request, reply.code(422), id, {
          ...errorsOf(
            error.errors,
            ['date', 'startTime', 'endTime', 'hostSchoolUrn', 'bigIdea', 'lessonObserved'],
            ['date'],
          ),
          values: body,
        })
      }
    }),
  )

  // --- A session's page

  async function sessionPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const view = await viewSession(context, id)
    const saved = firstValues(request.query).saved
    const now = context.clock.now()
    return reply.view('work-group-session.njk', {
      pageTitle: `Session on ${formatUkDate(view.session.startsAt)}: ${view.group.name}`,
      group: view.group,
      session: presentSession(view.session),
      advocates: view.advocates.map((a) => ({
        ...a,
        statusName: a.mark ? STATUS_NAMES[a.mark.status] : undefined,
      })),
      schools: view.schools.map((s) => ({
        ...s,
        lessonStudy: view.lessonStudies.find((l) => l.schoolUrn === s.urn),
      })),
      canManage: view.canManage && view.open,
      canRecord: view.canManage && view.open && view.session.status !== 'cancelled',
      canHold:
        view.canManage && view.open && view.session.status === 'planned' && view.session.startsAt <= now,
      canCancel: view.canManage && view.open && view.session.status === 'planned',
      saved: saved && Object.hasOwn(SAVED, saved) ? SAVED[saved] : undefined,
      ...extra,
    })
  }

  app.get(
    '/work-group-sessions/:id',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      return sessionPage(request, reply, id)
    }),
  )

  app.post(
    '/work-group-sessions/:id/state',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await moveSession(deps.context(request), id, { event: body.event ?? '' })
        return reply.redirect(`/work-group-sessions/${id}?saved=${encodeURIComponent(body.event!)}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return sessionPage(request, reply.code(422), id, errorsOf(error.errors, []))
      }
    }),
  )

  app.post(
    '/work-group-sessions/:id/code',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      try {
        const code = await showSessionCode(deps.context(request), id)
        return sessionPage(request, reply, id, { code })
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return sessionPage(request, reply.code(422), id, errorsOf(error.errors, []))
      }
    }),
  )

  // --- Attendance on screen

  async function markPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewSession(deps.context(request), id)
    if (!view.canManage) return notFound(reply)
    return reply.view('work-group-session-attendance.njk', {
      pageTitle: `Mark attendance: ${view.group.name}`,
      group: view.group,
      session: presentSession(view.session),
      advocates: view.advocates,
      statuses: ATTENDANCE_STATUSES.map((s) => ({ value: s, text: STATUS_NAMES[s] })),
      ...extra,
    })
  }

  app.get(
    '/work-group-sessions/:id/attendance',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      return markPage(request, reply, id)
    }),
  )

  app.post(
    '/work-group-sessions/:id/attendance',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      const body = firstValues(request.body)
      // One row an advocate: the mark chosen and, when absent, why. Unmarked rows are skipped.
      const rows = Object.keys(body)
        .map((k) => /^marks\.(\d{1,3})\.advocateId$/.exec(k)?.[1])
        .filter((i): i is string => i !== undefined)
      const marks = rows
        .map((i) => ({
          row: i,
          advocateId: body[`marks.${i}.advocateId`],
          status: body[`marks.${i}.status`] || undefined,
          absenceReason: body[`marks.${i}.absenceReason`] || undefined,
        }))
        .filter((m) => m.status !== undefined || m.absenceReason !== undefined)
      try {
        await markSessionAttendance(deps.context(request), id, {
          marks: marks.map((m) => ({
            advocateId: m.advocateId,
            status: m.status,
            absenceReason: m.absenceReason,
          })),
        })
        return reply.redirect(`/work-group-sessions/${id}?saved=marked`, 303)
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
        return markPage(request, reply.code(422), id, { errors, fieldErrors, values: body })
      }
    }),
  )

  // --- Attendance by file

  async function uploadPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewSession(deps.context(request), id)
    if (!view.canManage) return notFound(reply)
    return reply.view('work-group-session-upload.njk', {
      pageTitle: `Upload attendance: ${view.group.name}`,
      group: view.group,
      session: presentSession(view.session),
      ...extra,
    })
  }

  app.get(
    '/work-group-sessions/:id/attendance/upload',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      return uploadPage(request, reply, id)
    }),
  )

  app.post(
    '/work-group-sessions/:id/attendance/upload',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      // Only one who manages the session is told what is wrong with the file.
      if (!(await viewSession(deps.context(request), id)).canManage) return notFound(reply)
      const file = request.uploads.file
      try {
        if (!file)
          throw new ValidationError([
            { code: 'required', field: 'file', message: 'Select a CSV or XLSX file' },
          ])
        if (file.tooLarge)
          throw new ValidationError([
            { code: 'too-large', field: 'file', message: 'The file must be smaller than 10 MB' },
          ])
        await importSessionAttendance(deps.context(request), id, file.bytes)
        return reply.redirect(`/work-group-sessions/${id}?saved=uploaded`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return uploadPage(request, reply.code(422), id, {
          errors: error.errors.map((e) => ({ text: e.message, href: '#file' })),
          fieldErrors: { file: { text: error.errors[0]?.message ?? 'Select a file' } },
        })
      }
    }),
  )

  app.get(
    '/work-group-sessions/:id/attendance/template.csv',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      const view = await viewSession(deps.context(request), id)
      if (!view.canManage) return notFound(reply)
      // One row an advocate, named by email, for the lead to fill in.
      const csv = stringify([[...SESSION_UPLOAD_COLUMNS], ...view.advocates.map((a) => [a.email, '', ''])])
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="session-attendance-${id}.csv"`)
        .send(csv)
    }),
  )

  // --- The advocate's code (public)

  async function codePage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const session = await sessionForCode(deps.context(request), id)
    return reply.view('work-group-session-code.njk', {
      pageTitle: `Record your attendance at a Work Group session`,
      session: presentSession(session),
      values: {},
      ...extra,
    })
  }

  app.get('/work-group-sessions/:id/attend', async (request, reply) => {
    const id = idOf(request.params)
    if (id === undefined) return notFound(reply)
    try {
      return await codePage(request, reply, id)
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  })

  app.post('/work-group-sessions/:id/attend', async (request, reply) => {
    const id = idOf(request.params)
    if (id === undefined) return notFound(reply)
    const body = firstValues(request.body)
    try {
      await enterSessionCode(deps.context(request), id, { email: body.email ?? '', code: body.code ?? '' })
      return await codePage(request, reply, id, { done: true })
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      if (!(error instanceof ValidationError)) throw error
      const tooMany = error.errors[0]?.code === 'too-many'
      return codePage(request, reply.code(tooMany ? 429 : 422), id, {
        ...errorsOf(error.errors, ['email', 'code']),
        values: { email: body.email ?? '' },
      })
    }
  })

  // --- Lesson study

  async function lessonStudyPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewSession(deps.context(request), id)
    if (!view.canManage) return notFound(reply)
    const school = Number(firstValues(request.query).school)
    const existing = view.lessonStudies.find((l) => l.schoolUrn === school)
    return reply.view('work-group-session-lesson-study.njk', {
      pageTitle: `Record lesson study: ${view.group.name}`,
      group: view.group,
      session: presentSession(view.session),
      schools: view.schools,
      values: existing
        ? {
            schoolUrn: String(existing.schoolUrn),
            lessonTaught: existing.lessonTaught,
            taughtBy: existing.taughtBy,
            classes: existing.classes,
            learned: existing.learned,
          }
        : { schoolUrn: Number.isInteger(school) ? String(school) : '' },
      ...extra,
    })
  }

  app.get(
    '/work-group-sessions/:id/lesson-study',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      return lessonStudyPage(request, reply, id)
    }),
  )

  app.post(
    '/work-group-sessions/:id/lesson-study',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await recordLessonStudy(deps.context(request), id, {
          schoolUrn: body.schoolUrn ?? '',
          lessonTaught: body.lessonTaught ?? '',
          taughtBy: body.taughtBy ?? '',
          classes: body.classes ?? '',
          learned: body.learned ?? '',
        })
        return reply.redirect(`/work-group-sessions/${id}?saved=lesson-study`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return lessonStudyPage(request, reply.code(422), id, {
          ...errorsOf(error.errors, ['schoolUrn', 'lessonTaught', 'taughtBy', 'classes', 'learned']),
          values: body,
        })
      }
    }),
  )

  // --- Support visits

  async function visitPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const group = await groupFor(context.db, context.actor, id, 'manage')
    const hubTeam = canManageWorkGroups(context.actor, group.hubId)
    const leads = hubTeam
      ? group.leads
      : group.leads.filter((l) => context.actor.kind === 'person' && l.personId === context.actor.personId)
    return reply.view('work-group-session-visit.njk', {
      pageTitle: `Record a support visit: ${group.name}`,
      group,
      leads,
      schools: await groupSchools(context.db, id),
      values: { participationId: leads.length === 1 ? String(leads[0]!.participationId) : '' },
      ...extra,
    })
  }

  app.get(
    '/work-groups/:id/support-visits/new',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      return visitPage(request, reply, id)
    }),
  )

  app.post(
    '/work-groups/:id/support-visits',
    guarded(async (request, reply) => {
      const id = idOf(request.params)
      if (id === undefined) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await recordSupportVisit(deps.context(request), id, {
          participationId: body.participationId ?? '',
          schoolUrn: body.schoolUrn ?? '',
          visitedOn: dateFieldValue(body, 'visitedOn'),
          halfDays: body.halfDays ?? '',
          notes: body.notes || undefined,
        })
        return reply.redirect(`/work-groups/${id}#support-visits`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return visitPage(request, reply.code(422), id, {
          ...errorsOf(
            error.errors,
            ['participationId', 'schoolUrn', 'visitedOn', 'halfDays', 'notes'],
            ['visitedOn'],
          ),
          values: body,
        })
      }
    }),
  )
}
