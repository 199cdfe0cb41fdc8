// The access matrix's rows for the development years' pages: events, bookings, attendance, the
// specialist's programme and calendar. Organisers of a cohort's residentials are NCETM's national
// administrators; a hub's events are its lead's and administrators'; the specialist sees the events
// they are invited to. Everyone else is answered "page not found".
import { resetCalendarFeed } from '../src/domain/events/calendar/calendar-feed.ts'
import { DEMO_DEVELOPMENT_COHORT } from '../src/domain/participants/participants.demo.ts'
import type { TestApp } from './app.ts'
import type { Check } from './access-matrix.int.test.ts'
import { contextOf, freshBooking, freshResidential } from './event-fixtures.ts'

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
