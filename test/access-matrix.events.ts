// The access matrix's rows for the development years' pages: events, bookings, attendance, the
// specialist's programme and calendar, release time, the roster, tasks and accreditation. Organisers of a cohort's residentials are NCETM's national
// administrators; a hub's events are its lead's and administrators'; the specialist sees the events
// they are invited to. Everyone else is answered "page not found".
import { randomUUID } from 'node:crypto'
import { resetCalendarFeed } from '../src/domain/events/calendar/calendar-feed.ts'
import { addRequirement } from '../src/domain/participants/accreditation/manage-requirements.ts'
import { logReleaseTime } from '../src/domain/participants/release-time/log-release-time.ts'
import { DEMO_DEVELOPMENT_COHORT } from '../src/domain/participants/participants.demo.ts'
import type { TestApp } from './app.ts'
import type { Check } from './access-matrix.int.test.ts'
import type { PersonaName } from './personas.ts'
import {
  contextOf,
  freshBooking,
  freshPastDate,
  freshResidential,
  freshSubmission,
  freshTask,
  participationOf,
} from './event-fixtures.ts'

const COHORT = DEMO_DEVELOPMENT_COHORT
const HUB = 'northvale-maths-hub'
const SAM = 'sam.carter@school.example'

export function eventPageChecks(app: () => TestApp): Check[] {
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
  const secondResidential = async () => {
    const row = await t()
      .database.db.selectFrom('events')
      .select('id')
      .where('cohort_id', '=', COHORT)
      .where('title', '=', 'Second residential')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  }
  const samsBooking = async (eventId: number) => {
    const row = await t()
      .database.db.selectFrom('bookings')
      .innerJoin('participations', 'participations.id', 'bookings.participation_id')
      .innerJoin('people', 'people.id', 'participations.person_id')
      .select('bookings.id')
      .where('bookings.event_id', '=', eventId)
      .where('people.email', '=', SAM)
      .executeTakeFirstOrThrow()
    return Number(row.id)
  }
  const at = (prefix: string, days: number, hour: number) => {
    const d = new Date(t().clock.now().getTime() + days * 86_400_000)
    return {
      [`${prefix}.day`]: d.getUTCDate(),
      [`${prefix}.month`]: d.getUTCMonth() + 1,
      [`${prefix}.year`]: d.getUTCFullYear(),
      [`${prefix}.hour`]: hour,
      [`${prefix}.minute`]: 0,
    }
  }
  const eventForm = (days: number) => ({
    ...at('days.0.startsAt', days, 9),
    ...at('days.0.endsAt', days, 17),
    'venues.0.name': 'Leeds',
    'venues.0.address': '1 Park Row, Leeds',
    'venues.0.capacity': 30,
  })
  return [
    page(
      '/cohorts/:id/events',
      ['nationalAdmin'],
      'A cohort’s residentials and workshop',
      async () => `/cohorts/${COHORT}/events`,
    ),
    page(
      '/hubs/:id/events',
      ['nationalAdmin', 'hubLead', 'hubAdmin'],
      'A hub’s sessions and support visits',
      async () => `/hubs/${HUB}/events`,
    ),
    page(
      '/events/new',
      ['nationalAdmin'],
      'Schedule a cohort’s event',
      async () => `/events/new?cohort=${COHORT}`,
    ),
    {
      method: 'POST',
      route: '/events',
      prepare: async () => ({
        url: '/events',
        body: { cohortId: COHORT, kind: 'residential', title: 'Extra residential', ...eventForm(150) },
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Schedule an event (subject to confirmation)',
      audited: true,
    },
    page(
      '/events/:id',
      ['nationalAdmin', 'specialist'],
      'An event: its organiser’s view, or an invited specialist’s',
      async () => `/events/${await secondResidential()}`,
    ),
    {
      method: 'POST',
      route: '/events/:id/confirm',
      prepare: async () => ({ url: `/events/${await freshResidential(t())}/confirm` }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Confirm an event',
      audited: true,
    },
    page(
      '/events/:id/move',
      ['nationalAdmin'],
      'Move or change an event',
      async () => `/events/${await secondResidential()}/move`,
    ),
    {
      method: 'POST',
      route: '/events/:id/move',
      prepare: async () => ({ url: `/events/${await freshResidential(t())}/move`, body: eventForm(160) }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Move an event (everyone booked is emailed)',
      audited: true,
    },
    page(
      '/events/:id/cancel',
      ['nationalAdmin'],
      'Confirm cancelling an event',
      async () => `/events/${await secondResidential()}/cancel`,
    ),
    {
      method: 'POST',
      route: '/events/:id/cancel',
      prepare: async () => ({
        url: `/events/${await freshResidential(t())}/cancel`,
        body: { reason: 'The venue is closed' },
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Cancel an event (everyone booked is emailed)',
      audited: true,
    },
    page(
      '/events/:id/book',
      ['specialist'],
      'Book a place (the invited specialist)',
      async () => `/events/${await freshResidential(t())}/book`,
    ),
    {
      method: 'POST',
      route: '/events/:id/book',
      prepare: async () => ({
        url: `/events/${await freshResidential(t())}/book`,
        body: { accessNeeds: 'Step-free access' },
      }),
      allowed: ['specialist'],
      success: 303,
      note: 'Book a place, with access and dietary needs',
      audited: true,
    },
    {
      method: 'POST',
      route: '/bookings/:id/cancel',
      prepare: async () => ({
        url: `/bookings/${await freshBooking(t(), await freshResidential(t()))}/cancel`,
      }),
      allowed: ['nationalAdmin', 'specialist'],
      success: 303,
      note: 'Cancel a place: the person’s own, or any as the organiser',
      audited: true,
    },
    page(
      '/events/:id/attendance',
      ['nationalAdmin'],
      'Mark a day’s attendance',
      async () => `/events/${await secondResidential()}/attendance?day=2`,
    ),
    {
      method: 'POST',
      route: '/events/:id/attendance',
      prepare: async () => {
        const id = await secondResidential()
        return {
          url: `/events/${id}/attendance`,
          body: { dayNumber: 2, 'marks.0.bookingId': await samsBooking(id), 'marks.0.status': 'present' },
        }
      },
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Save attendance marked on screen',
      audited: true,
    },
    page(
      '/events/:id/attendance/upload',
      ['nationalAdmin'],
      'Upload attendance',
      async () => `/events/${await secondResidential()}/attendance/upload`,
    ),
    {
      method: 'POST',
      route: '/events/:id/attendance/upload',
      prepare: async () => ({ url: `/events/${await secondResidential()}/attendance/upload` }),
      allowed: ['nationalAdmin'],
      success: 422,
      note: 'Upload attendance (asked here without a file: the organiser is told to choose one)',
    },
    page(
      '/events/:id/attendance/template.csv',
      ['nationalAdmin'],
      'The attendance file’s template',
      async () => `/events/${await secondResidential()}/attendance/template.csv`,
    ),
    {
      method: 'POST',
      route: '/events/:id/days/:day/code',
      prepare: async () => ({ url: `/events/${await secondResidential()}/days/1/code` }),
      allowed: ['nationalAdmin'],
      success: 200,
      note: 'Show a day’s attendance code',
      audited: true,
    },
    {
      method: 'POST',
      route: '/events/:id/attendance-code',
      prepare: async () => ({
        url: `/events/${await secondResidential()}/attendance-code`,
        body: { code: 'ABCDEF' },
      }),
      allowed: ['specialist'],
      success: 422,
      note: 'Enter the day’s code (asked here outside the day’s hours: refused with the reason)',
    },
    page('/my-programme', 'signed-in', 'Your programme', async () => '/my-programme'),
    page('/my-programme/calendar', 'signed-in', 'Your calendar link', async () => '/my-programme/calendar'),
    {
      method: 'POST',
      route: '/my-programme/calendar',
      prepare: async () => ({ url: '/my-programme/calendar' }),
      allowed: 'signed-in',
      success: 200,
      note: 'Get a new calendar link (shown once)',
      audited: 'signed-in',
    },
    {
      method: 'GET',
      route: '/calendar/:file',
      prepare: async () => {
        const { token } = await resetCalendarFeed(await contextOf(t(), SAM))
        return { url: `/calendar/${token}.ics` }
      },
      allowed: 'everyone',
      success: 200,
      note: 'A calendar feed: its secret address is the key',
    },
  ]
}

/** Rows for release time, the roster, the participation page, tasks and accreditation. */
export function developmentPageChecks(app: () => TestApp): Check[] {
  const t = () => app()
  const sam = () => participationOf(t(), SAM)
  const leah = () => participationOf(t(), 'leah.patel@school.example')
  const READERS: Check['allowed'] = ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin', 'specialist']
  const TEAM: Check['allowed'] = ['nationalAdmin', 'hubLead', 'hubAdmin']
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
  const dateParts = (name: string, date: string) => {
    const [year, month, day] = date.split('-')
    return { [`${name}.day`]: day!, [`${name}.month`]: month!, [`${name}.year`]: year! }
  }
  let fileSubmission: number | undefined
  return [
    page(
      '/participations/:id',
      READERS,
      'A specialist’s participation: stages, release time, tasks, accreditation',
      async () => `/participations/${await sam()}`,
    ),
    page(
      '/participations/:id/release-time',
      READERS,
      'Release time: days used of days funded, and every entry',
      async () => `/participations/${await sam()}/release-time`,
    ),
    {
      method: 'POST',
      route: '/participations/:id/release-time',
      prepare: async () => ({
        url: `/participations/${await sam()}/release-time`,
        body: { ...dateParts('on', await freshPastDate(t())), half: 'morning', activity: 'department' },
      }),
      allowed: ['nationalAdmin', 'hubLead', 'hubAdmin', 'specialist'],
      success: 303,
      note: 'Log release time (the specialist, their hub’s team or NCETM)',
      audited: true,
    },
    page(
      '/participations/:id/release-time/:entryId/reverse',
      TEAM,
      'Correct an entry (here another specialist’s: their hub’s team and NCETM)',
      async () => {
        const id = await leah()
        const entry = await t()
          .database.db.selectFrom('release_entries')
          .select('id')
          .where('participation_id', '=', id)
          .where('kind', '=', 'use')
          .orderBy('id')
          .executeTakeFirstOrThrow()
        return `/participations/${id}/release-time/${entry.id}/reverse`
      },
    ),
    {
      method: 'POST',
      route: '/participations/:id/release-time/:entryId/reverse',
      prepare: async () => {
        const id = await leah()
        const { entryIds } = await logReleaseTime(
          await contextOf(t(), 'priya.shah@northvale.mathshub.example'),
          id,
          {
            on: await freshPastDate(t()),
            half: 'afternoon',
            activity: 'hub-work',
          },
        )
        return {
          url: `/participations/${id}/release-time/${entryIds[0]}/reverse`,
          body: { reason: 'Logged twice' },
        }
      },
      allowed: ['nationalAdmin', 'hubLead', 'hubAdmin'],
      success: 303,
      note: 'Correct an entry: a new entry reverses it',
      audited: true,
    },
    page(
      '/participations/:id/release-time/extra-days',
      TEAM,
      'Approve extra days (never one’s own)',
      async () => `/participations/${await sam()}/release-time/extra-days`,
    ),
    {
      method: 'POST',
      route: '/participations/:id/release-time/extra-days',
      prepare: async () => ({
        url: `/participations/${await sam()}/release-time/extra-days`,
        body: { days: '1', reason: 'An extra Work Group' },
      }),
      allowed: TEAM,
      success: 303,
      note: 'Approve extra days',
      audited: true,
    },
    page(
      '/cohorts/:id/specialists',
      [...(TEAM as PersonaName[]), 'nationalViewer', 'otherHubLead'],
      'A cohort’s specialists and who is at risk (a hub sees its own)',
      async () => `/cohorts/${COHORT}/specialists`,
    ),
    page(
      '/cohorts/:id/specialists.csv',
      [...(TEAM as PersonaName[]), 'nationalViewer', 'otherHubLead'],
      'The roster as CSV',
      async () => `/cohorts/${COHORT}/specialists.csv`,
    ),
    page(
      '/cohorts/:id/specialists.xlsx',
      [...(TEAM as PersonaName[]), 'nationalViewer', 'otherHubLead'],
      'The roster as XLSX',
      async () => `/cohorts/${COHORT}/specialists.xlsx`,
    ),
    {
      method: 'POST',
      route: '/participations/:id/accreditation/requirements/:requirementId',
      prepare: async () => {
        const requirement = await addRequirement(await contextOf(t(), 'nadia.khan@ncetm.example'), {
          title: `Requirement ${randomUUID()}`,
        })
        return {
          url: `/participations/${await sam()}/accreditation/requirements/${requirement.id}`,
          body: dateParts('metOn', await freshPastDate(t())),
        }
      },
      allowed: TEAM,
      success: 303,
      note: 'Record an accreditation requirement as met (never one’s own)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/participations/:id/accreditation/award',
      prepare: async () => ({
        url: `/participations/${await sam()}/accreditation/award`,
        body: dateParts('awardedOn', await freshPastDate(t())),
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Record the PD Lead award',
      refused: { nationalAdmin: { status: 422, why: 'not until every requirement is met' } },
    },
    page(
      '/participations/:id/tasks/:taskId',
      READERS,
      'A task: its evidence, handing in, accepting or returning',
      async () => `/participations/${await sam()}/tasks/${await freshTask(t())}`,
    ),
    {
      method: 'POST',
      route: '/participations/:id/tasks/:taskId',
      prepare: async () => ({
        url: `/participations/${await sam()}/tasks/${await freshTask(t())}`,
        body: { kind: 'text', text: 'What I did' },
      }),
      allowed: ['specialist'],
      success: 303,
      note: 'Hand in evidence (the specialist)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/submissions/:id/review',
      prepare: async () => ({
        url: `/submissions/${await freshSubmission(t())}/review`,
        body: { decision: 'accept' },
      }),
      allowed: TEAM,
      success: 303,
      note: 'Accept evidence, or return it with feedback',
      audited: true,
    },
    page('/submissions/:id/file', READERS, 'Download evidence handed in as a file', async () => {
      fileSubmission ??= await freshSubmission(t(), 'file')
      return `/submissions/${fileSubmission}/file`
    }),
    page(
      '/cohorts/:id/tasks',
      ['nationalAdmin'],
      'A cohort’s tasks and assignments',
      async () => `/cohorts/${COHORT}/tasks`,
    ),
    {
      method: 'POST',
      route: '/cohorts/:id/tasks',
      prepare: async () => {
        const due = new Date(t().clock.now().getTime() + 40 * 86_400_000).toISOString().slice(0, 10)
        return {
          url: `/cohorts/${COHORT}/tasks`,
          body: { title: `Task ${randomUUID()}`, description: 'Do it', ...dateParts('dueOn', due) },
        }
      },
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Set a task for the cohort',
      audited: true,
    },
  ]
}

/** Rows for the API of release time and tasks: the same people as the pages. */
export function developmentApiChecks(app: () => TestApp): Check[] {
  const t = () => app()
  const sam = () => participationOf(t(), SAM)
  const leah = () => participationOf(t(), 'leah.patel@school.example')
  const READERS: Check['allowed'] = ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin', 'specialist']
  const TEAM: Check['allowed'] = ['nationalAdmin', 'hubLead', 'hubAdmin']
  return [
    {
      method: 'GET',
      route: '/api/v1/participations/:id/release-time',
      prepare: async () => ({ url: `/api/v1/participations/${await sam()}/release-time` }),
      allowed: READERS,
      success: 200,
      note: 'API: release time, days used against funded, every entry',
    },
    {
      method: 'POST',
      route: '/api/v1/participations/:id/release-time',
      prepare: async () => ({
        url: `/api/v1/participations/${await sam()}/release-time`,
        body: { on: await freshPastDate(t()), half: 'afternoon', activity: 'hub-work' },
      }),
      allowed: ['nationalAdmin', 'hubLead', 'hubAdmin', 'specialist'],
      success: 201,
      note: 'API: log release time',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/participations/:id/release-time/:entryId/reverse',
      prepare: async () => {
        const id = await leah()
        const { entryIds } = await logReleaseTime(
          await contextOf(t(), 'priya.shah@northvale.mathshub.example'),
          id,
          {
            on: await freshPastDate(t()),
            half: 'morning',
            activity: 'hub-work',
          },
        )
        return {
          url: `/api/v1/participations/${id}/release-time/${entryIds[0]}/reverse`,
          body: { reason: 'Twice' },
        }
      },
      allowed: TEAM,
      success: 201,
      note: 'API: correct an entry (here another specialist’s)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/participations/:id/release-time/extra-days',
      prepare: async () => ({
        url: `/api/v1/participations/${await sam()}/release-time/extra-days`,
        body: { days: '0.5', reason: 'Another Work Group' },
      }),
      allowed: TEAM,
      success: 201,
      note: 'API: approve extra days',
      audited: true,
    },
    {
      method: 'GET',
      route: '/api/v1/participations/:id/tasks',
      prepare: async () => ({ url: `/api/v1/participations/${await sam()}/tasks` }),
      allowed: READERS,
      success: 200,
      note: 'API: a participation’s tasks and hand-ins',
    },
    {
      method: 'POST',
      route: '/api/v1/participations/:id/tasks/:taskId/submissions',
      prepare: async () => ({
        url: `/api/v1/participations/${await sam()}/tasks/${await freshTask(t())}/submissions`,
        body: { kind: 'link', url: 'https://www.example.com/plan' },
      }),
      allowed: ['specialist'],
      success: 201,
      note: 'API: hand in evidence',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/submissions/:id/review',
      prepare: async () => ({
        url: `/api/v1/submissions/${await freshSubmission(t())}/review`,
        body: { decision: 'return', feedback: 'Say more' },
      }),
      allowed: TEAM,
      success: 200,
      note: 'API: accept or return evidence',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/cohorts/:id/tasks',
      prepare: async () => ({
        url: `/api/v1/cohorts/${COHORT}/tasks`,
        body: {
          title: `Task ${randomUUID()}`,
          description: 'Do it',
          dueOn: new Date(t().clock.now().getTime() + 40 * 86_400_000).toISOString().slice(0, 10),
        },
      }),
      allowed: ['nationalAdmin'],
      success: 201,
      note: 'API: set a cohort’s task',
      audited: true,
    },
  ]
}
