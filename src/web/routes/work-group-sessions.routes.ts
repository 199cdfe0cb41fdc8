// Pages for a Work Group's sessions: adding one, a session's page (its advocates' attendance and
// its schools' lesson study) with its moves (held, cancelled), marking attendance on screen,
// uploading it as a file (with a template), showing the session's code, recording a school's lesson
// study, and recording a lead specialist's support visit. The code page is public: an advocate, who
// usually has no account, enters their email address and the code. The attendance pages are those
// of every meeting (web/attendance-pages.ts) and the forms go through web/form-page.ts. Refusals
// show the form again (422) with the GOV.UK error summary and change nothing; anyone who may not
// see the group or session is answered "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
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
import { ValidationError } from '../../errors.ts'
import { formatUkDate } from '../../lib/uk-time.ts'
import { attendancePages } from '../attendance-pages.ts'
import { formPage } from '../form-page.ts'
import { dateFieldValue, firstValues } from '../forms.ts'
import { errorsOf } from '../page.ts'
import { guarded, idIn, notFound, withId } from '../route-params.ts'

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

  formPage(app, {
    form: '/work-groups/:id/sessions/new',
    action: '/work-groups/:id/sessions',
    fields: ['date', 'startTime', 'endTime', 'hostSchoolUrn', 'bigIdea', 'lessonObserved'],
    dates: ['date'],
    show: async (request, reply, id, extra = {}) => {
      const options = await newSessionOptions(deps.context(request), id)
      return reply.view('work-group-session-form.njk', {
        pageTitle: `Add a session: ${options.group.name}`,
        group: options.group,
        hosts: options.hosts,
        bigIdeas: BIG_IDEAS.map((b) => ({ value: b, text: BIG_IDEA_NAMES[b] })),
        values: {},
        ...extra,
      })
    },
    submit: async (request, id, body) => {
      const session = await addSession(deps.context(request), id, {
        date: dateFieldValue(body, 'date'),
        startTime: body.startTime ?? '',
        endTime: body.endTime ?? '',
        hostSchoolUrn: body.hostSchoolUrn ?? '',
        bigIdea: body.bigIdea ?? '',
        lessonObserved: body.lessonObserved ?? '',
      })
      return `/work-group-sessions/${session.id}?saved=added`
    },
  })

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
    guarded(withId((request, reply, id) => sessionPage(request, reply, id))),
  )

  app.post(
    '/work-group-sessions/:id/state',
    guarded(
      withId(async (request, reply, id) => {
        const body = firstValues(request.body)
        try {
          await moveSession(deps.context(request), id, { event: body.event ?? '' })
          return reply.redirect(`/work-group-sessions/${id}?saved=${encodeURIComponent(body.event!)}`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          return sessionPage(request, reply.code(422), id, errorsOf(error.errors, []))
        }
      }),
    ),
  )

  // --- Attendance: on screen, by file, and the advocates' code (the public page)

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

  attendancePages(app, {
    root: '/work-group-sessions',
    context: deps.context,
    // A session's attendance is recorded by those who manage it.
    load: async (context, id) => {
      const view = await viewSession(context, id)
      return view.canManage ? view : undefined
    },
    register: {
      // A session has one register.
      sheet: () => null,
      idField: 'advocateId',
      rowDigits: 3,
      page: (view) => ({
        template: 'work-group-session-attendance.njk',
        context: {
          pageTitle: `Mark attendance: ${view.group.name}`,
          group: view.group,
          session: presentSession(view.session),
          advocates: view.advocates,
          statuses: ATTENDANCE_STATUSES.map((s) => ({ value: s, text: STATUS_NAMES[s] })),
        },
      }),
      record: (context, id, _sheet, marks) =>
        markSessionAttendance(context, id, {
          marks: marks.map((m) => ({ advocateId: m.id, status: m.status, absenceReason: m.absenceReason })),
        }),
    },
    upload: {
      page: (view) => ({
        template: 'work-group-session-upload.njk',
        context: {
          pageTitle: `Upload attendance: ${view.group.name}`,
          group: view.group,
          session: presentSession(view.session),
        },
      }),
      record: importSessionAttendance,
      // One row an advocate, named by email, for the lead to fill in.
      template: async (view) => ({
        filename: `session-attendance-${view.session.id}.csv`,
        columns: SESSION_UPLOAD_COLUMNS,
        rows: view.advocates.map((a) => [a.email, '', '']),
      }),
    },
    showCode: {
      path: '/work-group-sessions/:id/code',
      params: (params) => {
        const id = idIn(params)
        return id === undefined ? undefined : { id }
      },
      show: (context, { id }) => showSessionCode(context, id),
      shown: (request, reply, { id }, code) => sessionPage(request, reply, id, { code }),
      refused: (request, reply, { id }, refusal) =>
        sessionPage(request, reply.code(422), id, errorsOf(refusal.errors, [])),
    },
    // An advocate, who usually has no account, enters their email address and the code.
    enterCode: {
      path: '/work-group-sessions/:id/attend',
      forAnyone: true,
      form: (request, reply, id) => codePage(request, reply, id),
      enter: (context, id, body) =>
        enterSessionCode(context, id, { email: body.email ?? '', code: body.code ?? '' }),
      accepted: (request, reply, id) => codePage(request, reply, id, { done: true }),
      refused: (request, reply, id, refusal, body) =>
        codePage(request, reply, id, {
          ...errorsOf(refusal.errors, ['email', 'code']),
          values: { email: body.email ?? '' },
        }),
    },
  })

  // --- Lesson study

  formPage(app, {
    form: '/work-group-sessions/:id/lesson-study',
    action: '/work-group-sessions/:id/lesson-study',
    fields: ['schoolUrn', 'lessonTaught', 'taughtBy', 'classes', 'learned'],
    show: async (request, reply, id, extra = {}) => {
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
    },
    submit: async (request, id, body) => {
      await recordLessonStudy(deps.context(request), id, {
        schoolUrn: body.schoolUrn ?? '',
        lessonTaught: body.lessonTaught ?? '',
        taughtBy: body.taughtBy ?? '',
        classes: body.classes ?? '',
        learned: body.learned ?? '',
      })
      return `/work-group-sessions/${id}?saved=lesson-study`
    },
  })

  // --- Support visits

  formPage(app, {
    form: '/work-groups/:id/support-visits/new',
    action: '/work-groups/:id/support-visits',
    fields: ['participationId', 'schoolUrn', 'visitedOn', 'halfDays', 'notes'],
    dates: ['visitedOn'],
    show: async (request, reply, id, extra = {}) => {
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
    },
    submit: async (request, id, body) => {
      await recordSupportVisit(deps.context(request), id, {
        participationId: body.participationId ?? '',
        schoolUrn: body.schoolUrn ?? '',
        visitedOn: dateFieldValue(body, 'visitedOn'),
        halfDays: body.halfDays ?? '',
        notes: body.notes || undefined,
      })
      return `/work-groups/${id}#support-visits`
    },
  })
}
