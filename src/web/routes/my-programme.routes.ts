// The Mastery Specialist's own pages: "Your programme" (their participation's stage, what is next,
// the events they are invited to or have a place at, and their attendance) and their private
// calendar link, which they can get again (the old link then stops working). The calendar feed
// itself (/calendar/<secret>.ics) needs no sign-in: the secret in its address is the key, so the
// request log never records it.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { isSignedIn } from '../../domain/access/access.policy.ts'
import {
  calendarFeed,
  hasCalendarFeed,
  resetCalendarFeed,
} from '../../domain/events/calendar/calendar-feed.ts'
import { myEvents } from '../../domain/events/viewing/view-events.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { viewMyWorkGroups } from '../../domain/work-groups/view-work-groups.ts'
import { NotFoundError } from '../../errors.ts'
import { guarded, notFound } from '../route-params.ts'
import { BOOKING_STATUS_NAMES, EVENT_KIND_NAMES, EVENT_STATUS_TAGS } from './events.routes.ts'
import { myProgrammeSections } from '../my-programme.ts'
import { presentGroup } from './work-groups.routes.ts'

export interface MyProgrammeRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const feedFile = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{20,100}\.ics$/) })

export function myProgrammeRoutes(app: FastifyInstance, deps: MyProgrammeRouteDeps): void {
  app.get(
    '/my-programme',
    guarded(async (request, reply) => {
      const context = deps.context(request)
      if (!isSignedIn(context.actor)) return notFound(reply)
      const now = context.clock.now()
      const events = (await myEvents(context)).map((e) => ({
        ...e,
        kindName: EVENT_KIND_NAMES[e.kind],
        tag: EVENT_STATUS_TAGS[e.status],
        bookingName: e.bookingStatus ? BOOKING_STATUS_NAMES[e.bookingStatus] : 'Not booked',
      }))
      const sections = await myProgrammeSections(context)
      return reply.view('my-programme.njk', {
        pageTitle: 'Your programme',
        ...sections,
        upcoming: events.filter((e) => !e.endsAt || e.endsAt > now),
        past: events.filter((e) => e.endsAt && e.endsAt <= now).reverse(),
        hasCalendar: await hasCalendarFeed(context.db, context.actor.personId),
        workGroups: (await viewMyWorkGroups(context)).map(presentGroup),
      })
    }),
  )

  app.get(
    '/my-programme/calendar',
    guarded(async (request, reply) => {
      const context = deps.context(request)
      if (!isSignedIn(context.actor)) return notFound(reply)
      return reply.view('my-calendar.njk', {
        pageTitle: 'Your calendar link',
        hasCalendar: await hasCalendarFeed(context.db, context.actor.personId),
      })
    }),
  )

  app.post(
    '/my-programme/calendar',
    guarded(async (request, reply) => {
      const context = deps.context(request)
      const { token } = await resetCalendarFeed(context)
      // The link is shown this once: only its hash is kept.
      return reply.view('my-calendar.njk', {
        pageTitle: 'Your calendar link',
        hasCalendar: true,
        link: `${context.baseUrl}/calendar/${token}.ics`,
      })
    }),
  )

  app.get('/calendar/:file', async (request, reply) => {
    const parsed = feedFile.safeParse(request.params)
    if (!parsed.success) return notFound(reply)
    try {
      const ics = await calendarFeed(deps.context(request).db, parsed.data.file.replace(/\.ics$/, ''))
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', 'inline; filename="mastery-hub.ics"')
        .send(ics)
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  })
}
