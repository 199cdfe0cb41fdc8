// API v1: a Work Group's sessions, with a bearer API token, by the same use-cases and access as the
// pages. A group's sessions and support visits, and one session with its advocates' attendance and
// its schools' lesson study (the group's lead specialists, its hub's team and NCETM); adding a
// session and marking it held or cancelled; attendance marked, uploaded as a CSV or XLSX file sent
// as base64 (every row good or nothing saved), and a new code to show at the session; a school's
// lesson study; a lead specialist's support visit. Refusals are 422 with the reasons; anything the
// token's person may not see is "not found".
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { addSession, moveSession } from '../../domain/work-groups/sessions/manage-sessions.ts'
import { recordLessonStudy } from '../../domain/work-groups/sessions/record-lesson-study.ts'
import { recordSupportVisit } from '../../domain/work-groups/sessions/record-support-visit.ts'
import {
  importSessionAttendance,
  markSessionAttendance,
  showSessionCode,
} from '../../domain/work-groups/sessions/session-attendance.ts'
import type {
  LessonStudy,
  SessionRecord,
  SupportVisit,
} from '../../domain/work-groups/sessions/sessions.repository.ts'
import { viewGroupSessions, viewSession } from '../../domain/work-groups/sessions/view-sessions.ts'
import { recordIdText } from '../../lib/whole-number.ts'
import { attendanceApi } from './attendance-api.ts'
import { bearer, requireApiToken } from './authenticate.ts'
import { errorBody } from './presenters.ts'

const TAGS = ['work-groups']
const groupParam = z.object({ id: recordIdText('Work Group id').describe('The Work Group’s id') })
const sessionParam = z.object({ id: recordIdText('Session id').describe('The session’s id') })
const errors = { 401: errorBody, 404: errorBody, 422: errorBody }
const text = (what: string) => z.string({ error: `Enter ${what} as text` })
const whole = (what: string) => z.number({ error: `Enter ${what} as a number` })

const bigIdea = z.enum([
  'coherence',
  'representation-and-structure',
  'mathematical-thinking',
  'fluency',
  'variation',
])
const sessionJson = z.object({
  id: z.number().int(),
  workGroupId: z.number().int(),
  startsAt: z.string().describe('ISO 8601 instant'),
  endsAt: z.string().describe('ISO 8601 instant'),
  date: z.string().describe('The session’s date in the UK, YYYY-MM-DD'),
  hostSchoolUrn: z.number().int(),
  hostSchoolName: z.string(),
  bigIdea,
  lessonObserved: z.string(),
  status: z.enum(['planned', 'held', 'cancelled']),
})
const lessonStudyJson = z.object({
  schoolUrn: z.number().int(),
  schoolName: z.string(),
  lessonTaught: z.string(),
  taughtBy: z.string(),
  classes: z.string(),
  learned: z.string(),
  updatedAt: z.string(),
})
const visitJson = z.object({
  id: z.number().int(),
  participationId: z.number().int(),
  specialistName: z.string(),
  schoolUrn: z.number().int(),
  schoolName: z.string(),
  visitedOn: z.string().describe('YYYY-MM-DD'),
  halfDays: z.number().int(),
  notes: z.string().nullable(),
})
const sessionViewJson = sessionJson.extend({
  attendance: z.array(
    z.object({
      advocateId: z.number().int(),
      name: z.string(),
      schoolUrn: z.number().int(),
      status: z.enum(['present', 'late', 'left-early', 'absent']).nullable().describe('null: not marked'),
      absenceReason: z.string().nullable(),
      method: z.enum(['screen', 'upload', 'code']).nullable(),
    }),
  ),
  lessonStudies: z.array(lessonStudyJson),
})
const recordedJson = z.object({ recorded: z.number().int().describe('How many advocates were marked') })

function presentSession(s: SessionRecord): z.infer<typeof sessionJson> {
  return {
    id: s.id,
    workGroupId: s.workGroupId,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    date: s.date,
    hostSchoolUrn: s.hostSchoolUrn,
    hostSchoolName: s.hostSchoolName,
    bigIdea: s.bigIdea,
    lessonObserved: s.lessonObserved,
    status: s.status,
  }
}

function presentStudy(l: LessonStudy): z.infer<typeof lessonStudyJson> {
  return {
    schoolUrn: l.schoolUrn,
    schoolName: l.schoolName,
    lessonTaught: l.lessonTaught,
    taughtBy: l.taughtBy,
    classes: l.classes,
    learned: l.learned,
    updatedAt: l.updatedAt.toISOString(),
  }
}

function presentVisit(v: SupportVisit): z.infer<typeof visitJson> {
  return {
    id: v.id,
    participationId: v.participationId,
    specialistName: v.specialistName,
    schoolUrn: v.schoolUrn,
    schoolName: v.schoolName,
    visitedOn: v.visitedOn,
    halfDays: v.halfDays,
    notes: v.notes,
  }
}

const sessionBody = z.object({
  date: text('the date').describe('YYYY-MM-DD, in the UK'),
  startTime: text('the start time').describe('UK time on the 24-hour clock, like 13:00'),
  endTime: text('the end time').describe('UK time on the 24-hour clock, like 16:00'),
  hostSchoolUrn: whole('the host school’s URN').describe('One of the group’s schools or a lead specialist’s'),
  bigIdea: text('the big idea').describe(
    'coherence, representation-and-structure, mathematical-thinking, fluency or variation',
  ),
  lessonObserved: text('the lesson observed'),
})
const stateBody = z.object({ event: text('what to do').describe('hold (once it has started) or cancel') })
const marksBody = z.object({
  marks: z
    .array(
      z.object({
        advocateId: whole('the advocate’s id'),
        status: text('the status').describe('present, late, left-early or absent'),
        absenceReason: text('the reason for the absence').optional().describe('Needed when absent'),
      }),
      { error: 'Mark at least one advocate' },
    )
    .describe('Each advocate of the group’s schools on the session’s date, at most once'),
})
const importBody = z.object({
  file: text('the attendance file, as base64').describe(
    'A CSV or XLSX file, base64-encoded, with the columns Email, Status and Absence reason',
  ),
})
const studyBody = z.object({
  schoolUrn: whole('the school’s URN').describe('One of the group’s schools'),
  lessonTaught: text('the lesson taught'),
  taughtBy: text('who taught it'),
  classes: text('the classes'),
  learned: text('what was learned'),
})
const visitBody = z.object({
  participationId: whole('the lead specialist’s participation id'),
  schoolUrn: whole('the school’s URN').describe('One of the group’s schools'),
  visitedOn: text('the date of the visit').describe('YYYY-MM-DD, today or before'),
  halfDays: whole('the half-days').describe('1 to 4'),
  notes: text('the notes').optional(),
})

export function workGroupSessionsApi(
  app: FastifyInstance,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/api/v1/work-groups/:id/sessions',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'A Work Group’s sessions, earliest first, and its lead specialists’ support visits',
        security: bearer,
        params: groupParam,
        response: {
          200: z.object({
            items: z.array(sessionJson.extend({ attended: z.number().int() })),
            supportVisits: z.array(visitJson),
            supportHalfDays: z.array(
              z.object({ participationId: z.number().int(), name: z.string(), halfDays: z.number().int() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const view = await viewGroupSessions(deps.context(request), request.params.id)
      return {
        items: view.sessions.map((s) => ({ ...presentSession(s), attended: s.attended })),
        supportVisits: view.supportVisits.map(presentVisit),
        supportHalfDays: view.supportHalfDays,
      }
    },
  )

  api.post(
    '/api/v1/work-groups/:id/sessions',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Add a session to a Work Group (its lead specialists, its hub’s team); a cancelled or completed group is refused',
        security: bearer,
        params: groupParam,
        body: sessionBody,
        response: { 201: sessionJson, ...errors },
      },
    },
    async (request, reply) => {
      const session = await addSession(deps.context(request), request.params.id, request.body)
      return reply
        .code(201)
        .header('location', `/api/v1/work-group-sessions/${session.id}`)
        .send(presentSession(session))
    },
  )

  api.get(
    '/api/v1/work-group-sessions/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'One session, with each advocate’s attendance and each school’s lesson study',
        security: bearer,
        params: sessionParam,
        response: { 200: sessionViewJson, ...errors },
      },
    },
    async (request) => {
      const view = await viewSession(deps.context(request), request.params.id)
      return {
        ...presentSession(view.session),
        attendance: view.advocates.map((a) => ({
          advocateId: a.advocateId,
          name: a.name,
          schoolUrn: a.schoolUrn,
          status: a.mark?.status ?? null,
          absenceReason: a.mark?.absenceReason ?? null,
          method: a.mark?.method ?? null,
        })),
        lessonStudies: view.lessonStudies.map(presentStudy),
      }
    },
  )

  api.post(
    '/api/v1/work-group-sessions/:id/state',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'Mark a planned session as held (once it has started) or cancelled',
        security: bearer,
        params: sessionParam,
        body: stateBody,
        response: { 200: sessionJson, ...errors },
      },
    },
    async (request) =>
      presentSession(await moveSession(deps.context(request), request.params.id, request.body)),
  )

  attendanceApi(app, {
    tags: TAGS,
    context: deps.context,
    path: '/api/v1/work-group-sessions/:id',
    params: sessionParam,
    recorded: recordedJson,
    marks: {
      summary: 'Mark advocates’ attendance: every mark good, or nothing saved',
      body: marksBody,
      record: markSessionAttendance,
    },
    upload: {
      summary:
        'Upload attendance as a CSV or XLSX file sent as base64: every row good, or nothing saved and each problem named by its line and column',
      body: importBody,
      record: importSessionAttendance,
    },
    code: {
      path: '/api/v1/work-group-sessions/:id/code',
      summary:
        'A new code to show at the session, which advocates enter with their email address during its hours; only its hash is kept',
      params: sessionParam,
      response: z.object({ code: z.string() }),
      show: async (context, { id }) => ({ code: await showSessionCode(context, id) }),
    },
  })

  api.post(
    '/api/v1/work-group-sessions/:id/lesson-study',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Record (or replace) a school’s lesson study after a held session; a school not in the group is refused',
        security: bearer,
        params: sessionParam,
        body: studyBody,
        response: { 200: lessonStudyJson, ...errors },
      },
    },
    async (request) =>
      presentStudy(await recordLessonStudy(deps.context(request), request.params.id, request.body)),
  )

  api.post(
    '/api/v1/work-groups/:id/support-visits',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Record a lead specialist’s in-school support visit to one of the group’s schools, in half-days',
        security: bearer,
        params: groupParam,
        body: visitBody,
        response: { 201: visitJson, ...errors },
      },
    },
    async (request, reply) => {
      const visit = await recordSupportVisit(deps.context(request), request.params.id, request.body)
      return reply.code(201).send(presentVisit(visit))
    },
  )
}
