// The access matrix's rows for Work Group sessions: a group's sessions, attendance, lesson study
// and support visits are managed by its lead specialists and the hub team (its lead and
// administrators, NCETM's national administrators), and seen by national viewers too; the
// advocates' code page is public; everyone else is answered "page not found".
import { randomUUID } from 'node:crypto'
import type { Check } from './access-matrix.int.test.ts'
import type { TestApp } from './app.ts'
import type { PersonaName } from './personas.ts'
import { freshSession, sessionsGroup, sessionTargets } from './work-group-session-fixtures.ts'
import { leadParticipation } from './work-group-fixtures.ts'

const MANAGERS: PersonaName[] = ['nationalAdmin', 'hubLead', 'hubAdmin']
const VIEWERS: PersonaName[] = ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin']

export function workGroupSessionChecks(app: () => TestApp): Check[] {
  const t = () => app()
  const page = (
    route: string,
    allowed: Check['allowed'],
    note: string,
    url: () => Promise<string>,
  ): Check => ({
    method: 'GET',
    route,
    prepare: async () => ({ url: await url() }),
    allowed,
    success: 200,
    note,
  })
  const today = () => {
    const [year, month, day] = t().clock.now().toISOString().slice(0, 10).split('-')
    return { 'date.day': day!, 'date.month': month!, 'date.year': year! }
  }
  return [
    page(
      '/work-groups/:id/sessions/new',
      MANAGERS,
      'Add a session (also its lead specialists)',
      async () => `/work-groups/${await sessionsGroup(t())}/sessions/new`,
    ),
    {
      method: 'POST',
      route: '/work-groups/:id/sessions',
      prepare: async () => ({
        url: `/work-groups/${await sessionsGroup(t())}/sessions`,
        body: {
          ...today(),
          startTime: '16:00',
          endTime: '17:30',
          hostSchoolUrn: (await sessionTargets(t())).urn,
          bigIdea: 'coherence',
          lessonObserved: 'Year 1: counting on from the larger number',
        },
      }),
      allowed: MANAGERS,
      success: 303,
      note: 'Add a session to a group',
      audited: true,
    },
    page(
      '/work-group-sessions/:id',
      VIEWERS,
      'A session: attendance and lesson study (also its lead specialists)',
      async () => `/work-group-sessions/${await freshSession(t())}`,
    ),
    {
      method: 'POST',
      route: '/work-group-sessions/:id/state',
      prepare: async () => ({
        url: `/work-group-sessions/${await freshSession(t())}/state`,
        body: { event: 'hold' },
      }),
      allowed: MANAGERS,
      success: 303,
      note: 'Mark a session held or cancelled',
      audited: true,
    },
    {
      method: 'POST',
      route: '/work-group-sessions/:id/code',
      prepare: async () => ({ url: `/work-group-sessions/${await freshSession(t())}/code` }),
      allowed: MANAGERS,
      success: 200,
      note: 'Show a session’s attendance code',
      audited: true,
    },
    page(
      '/work-group-sessions/:id/attendance',
      MANAGERS,
      'Mark advocates’ attendance',
      async () => `/work-group-sessions/${await freshSession(t())}/attendance`,
    ),
    {
      method: 'POST',
      route: '/work-group-sessions/:id/attendance',
      prepare: async () => ({
        url: `/work-group-sessions/${await freshSession(t())}/attendance`,
        body: { 'marks.0.advocateId': (await sessionTargets(t())).advocateId, 'marks.0.status': 'present' },
      }),
      allowed: MANAGERS,
      success: 303,
      note: 'Save advocates’ attendance marked on screen',
      audited: true,
    },
    page(
      '/work-group-sessions/:id/attendance/upload',
      MANAGERS,
      'Upload advocates’ attendance',
      async () => `/work-group-sessions/${await freshSession(t())}/attendance/upload`,
    ),
    {
      method: 'POST',
      route: '/work-group-sessions/:id/attendance/upload',
      prepare: async () => ({ url: `/work-group-sessions/${await freshSession(t())}/attendance/upload` }),
      allowed: MANAGERS,
      success: 422,
      note: 'Upload advocates’ attendance (asked here without a file: told to choose one)',
    },
    page(
      '/work-group-sessions/:id/attendance/template.csv',
      MANAGERS,
      'The session attendance file’s template',
      async () => `/work-group-sessions/${await freshSession(t())}/attendance/template.csv`,
    ),
    page(
      '/work-group-sessions/:id/attend',
      'everyone',
      'An advocate records their attendance with the session’s code',
      async () => `/work-group-sessions/${await freshSession(t())}/attend`,
    ),
    {
      method: 'POST',
      route: '/work-group-sessions/:id/attend',
      prepare: async () => ({
        url: `/work-group-sessions/${await freshSession(t())}/attend`,
        body: { email: `visitor-${randomUUID()}@school.example`, code: 'ABCDEF' },
      }),
      allowed: 'everyone',
      success: 422,
      note: 'An advocate enters the session’s code (asked here with a wrong code: refused and counted)',
    },
    page(
      '/work-group-sessions/:id/lesson-study',
      MANAGERS,
      'Record a school’s lesson study',
      async () => `/work-group-sessions/${await freshSession(t(), { held: true })}/lesson-study`,
    ),
    {
      method: 'POST',
      route: '/work-group-sessions/:id/lesson-study',
      prepare: async () => ({
        url: `/work-group-sessions/${await freshSession(t(), { held: true })}/lesson-study`,
        body: {
          schoolUrn: (await sessionTargets(t())).urn,
          lessonTaught: 'Year 5: adding fractions',
          taughtBy: 'Mr Jones',
          classes: '5J',
          learned: 'Bar models made the common denominator visible.',
        },
      }),
      allowed: MANAGERS,
      success: 303,
      note: 'Save a school’s lesson study after a held session',
      audited: true,
    },
    page(
      '/work-groups/:id/support-visits/new',
      MANAGERS,
      'Record a support visit (also its lead specialists)',
      async () => `/work-groups/${await sessionsGroup(t())}/support-visits/new`,
    ),
    {
      method: 'POST',
      route: '/work-groups/:id/support-visits',
      prepare: async () => {
        const [year, month, day] = t().clock.now().toISOString().slice(0, 10).split('-')
        return {
          url: `/work-groups/${await sessionsGroup(t())}/support-visits`,
          body: {
            participationId: await leadParticipation(t()),
            schoolUrn: (await sessionTargets(t())).urn,
            'visitedOn.day': day,
            'visitedOn.month': month,
            'visitedOn.year': year,
            halfDays: 1,
          },
        }
      },
      allowed: MANAGERS,
      success: 303,
      note: 'Record a lead specialist’s support visit',
      audited: true,
    },
  ]
}

/** The API's rows: scoped as the pages are. */
export function workGroupSessionApiChecks(app: () => TestApp): Check[] {
  const t = () => app()
  const write = (route: string, success: number, note: string, prepare: Check['prepare']): Check => ({
    method: 'POST',
    route,
    prepare,
    allowed: MANAGERS,
    success,
    note,
    audited: true,
  })
  const today = () => t().clock.now().toISOString().slice(0, 10)
  return [
    {
      method: 'GET',
      route: '/api/v1/work-groups/:id/sessions',
      prepare: async () => ({ url: `/api/v1/work-groups/${await sessionsGroup(t())}/sessions` }),
      allowed: VIEWERS,
      success: 200,
      note: 'API: a group’s sessions and support visits',
    },
    write('/api/v1/work-groups/:id/sessions', 201, 'API: add a session', async () => ({
      url: `/api/v1/work-groups/${await sessionsGroup(t())}/sessions`,
      body: {
        date: today(),
        startTime: '16:00',
        endTime: '17:00',
        hostSchoolUrn: (await sessionTargets(t())).urn,
        bigIdea: 'fluency',
        lessonObserved: 'Year 2: doubles and near doubles',
      },
    })),
    {
      method: 'GET',
      route: '/api/v1/work-group-sessions/:id',
      prepare: async () => ({ url: `/api/v1/work-group-sessions/${await freshSession(t())}` }),
      allowed: VIEWERS,
      success: 200,
      note: 'API: a session with attendance and lesson study',
    },
    write(
      '/api/v1/work-group-sessions/:id/state',
      200,
      'API: mark a session held or cancelled',
      async () => ({
        url: `/api/v1/work-group-sessions/${await freshSession(t())}/state`,
        body: { event: 'cancel' },
      }),
    ),
    write('/api/v1/work-group-sessions/:id/attendance', 200, 'API: mark advocates’ attendance', async () => ({
      url: `/api/v1/work-group-sessions/${await freshSession(t())}/attendance`,
      body: { marks: [{ advocateId: (await sessionTargets(t())).advocateId, status: 'late' }] },
    })),
    write(
      '/api/v1/work-group-sessions/:id/attendance/import',
      200,
      'API: upload advocates’ attendance as a file',
      async () => ({
        url: `/api/v1/work-group-sessions/${await freshSession(t())}/attendance/import`,
        body: {
          file: Buffer.from(`Email,Status\r\n${(await sessionTargets(t())).email},present\r\n`).toString(
            'base64',
          ),
        },
      }),
    ),
    write('/api/v1/work-group-sessions/:id/code', 200, 'API: a new code for the session', async () => ({
      url: `/api/v1/work-group-sessions/${await freshSession(t())}/code`,
    })),
    write(
      '/api/v1/work-group-sessions/:id/lesson-study',
      200,
      'API: record a school’s lesson study',
      async () => ({
        url: `/api/v1/work-group-sessions/${await freshSession(t(), { held: true })}/lesson-study`,
        body: {
          schoolUrn: (await sessionTargets(t())).urn,
          lessonTaught: 'Year 5: adding fractions',
          taughtBy: 'Mr Jones',
          classes: '5J',
          learned: 'Bar models made the common denominator visible.',
        },
      }),
    ),
    write('/api/v1/work-groups/:id/support-visits', 201, 'API: record a support visit', async () => ({
      url: `/api/v1/work-groups/${await sessionsGroup(t())}/support-visits`,
      body: {
        participationId: await leadParticipation(t()),
        schoolUrn: (await sessionTargets(t())).urn,
        visitedOn: today(),
        halfDays: 1,
      },
    })),
  ]
}
