// Pages for events: a cohort's residentials and workshop (NCETM) and a hub's sessions and support
// visits (its lead and administrators) listed, scheduled, confirmed, moved and cancelled; one
// event's page, showing an organiser its places, waiting list, needs and attendance and showing an
// invited specialist their place; booking and cancelling a place. Attendance pages are in
// attendance.routes.ts. A refusal shows the form again (422) with the GOV.UK error summary and
// changes nothing; anyone who may not see the event is answered "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { hubsAdministered, isNationalAdmin } from '../../domain/access/access.policy.ts'
import { bookPlace, cancelBooking } from '../../domain/events/bookings/book-place.ts'
import { HUB_KINDS, NATIONAL_KINDS } from '../../domain/events/events.policy.ts'
import { cancelEvent, confirmEvent, moveEvent } from '../../domain/events/scheduling/change-event.ts'
import { scheduleEvent } from '../../domain/events/scheduling/schedule-event.ts'
import {
  listCohortEvents,
  listHubEvents,
  viewEvent,
  type EventSummary,
  type EventView,
} from '../../domain/events/viewing/view-events.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import type { EventKind } from '../../db/schema.ts'
import { ValidationError, type FieldError } from '../../errors.ts'
import {
  blankEventForm,
  eventFormErrors,
  eventFormValues,
  eventInputOf,
  formRowField,
  readEventForm,
  type EventFormValues,
} from '../event-form.ts'
import { firstValues } from '../forms.ts'
import { guarded, idParam, notFound, slugParam } from '../route-params.ts'

export interface EventRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

export const EVENT_KIND_NAMES: Record<EventKind, string> = {
  residential: 'Residential',
  workshop: 'Collaborative lesson observation workshop',
  'hub-session': 'Hub session',
  'support-visit': 'Support visit',
}

export const EVENT_STATUS_TAGS = {
  planned: { text: 'Subject to confirmation', classes: 'govuk-tag--yellow' },
  confirmed: { text: 'Confirmed', classes: 'govuk-tag--green' },
  cancelled: { text: 'Cancelled', classes: 'govuk-tag--red' },
} as const

export const BOOKING_STATUS_NAMES = {
  booked: 'Booked',
  waiting: 'On the waiting list',
  cancelled: 'Cancelled',
}

const numberOf = (params: unknown) => {
  const parsed = idParam.safeParse(params)
  return parsed.success ? parsed.data.id : undefined
}
const slugOf = (params: unknown) => {
  const parsed = slugParam.safeParse(params)
  return parsed.success ? parsed.data.id : undefined
}

/** The banners a page may show after a change, by the name its redirect gives. */
export const SAVED_BANNERS = [
  'scheduled',
  'confirmed',
  'moved',
  'cancelled',
  'booked',
  'waiting',
  'place-cancelled',
  'marked',
  'uploaded',
  'code-accepted',
] as const

/** The change just made, when the address names one the page knows (anything else shows no banner). */
export function savedOf(query: unknown): string | undefined {
  const saved = firstValues(query).saved
  return SAVED_BANNERS.find((name) => name === saved)
}

/** Where an event's list is: its cohort's or its hub's. */
export function eventListHref(event: { cohortId: string | null; hubId: string | null }): string {
  return event.cohortId ? `/cohorts/${event.cohortId}/events` : `/hubs/${event.hubId}/events`
}

const owner = z.object({
  cohort: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(120)
    .optional(),
  hub: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(120)
    .optional(),
})

function eventRows(events: EventSummary[]) {
  return events.map((e) => ({ ...e, kindName: EVENT_KIND_NAMES[e.kind], tag: EVENT_STATUS_TAGS[e.status] }))
}

export function eventRoutes(app: FastifyInstance, deps: EventRouteDeps): void {
  app.get(
    '/cohorts/:id/events',
    guarded(async (request, reply) => {
      const id = slugOf(request.params)
      if (!id) return notFound(reply)
      const context = deps.context(request)
      const events = await listCohortEvents(context, id)
      const cohort = await context.db
        .selectFrom('cohorts')
        .innerJoin('programmes', 'programmes.id', 'cohorts.programme_id')
        .select(['cohorts.number', 'programmes.name'])
        .where('cohorts.id', '=', id)
        .executeTakeFirstOrThrow()
      return reply.view('events.njk', {
        pageTitle: `Events: ${cohort.name}, Cohort ${cohort.number}`,
        caption: `${cohort.name}, Cohort ${cohort.number}`,
        back: { text: `Cohort ${cohort.number}`, href: `/cohorts/${id}` },
        events: eventRows(events),
        scheduleHref: `/events/new?cohort=${encodeURIComponent(id)}`,
        saved: savedOf(request.query),
      })
    }),
  )

  app.get(
    '/hubs/:id/events',
    guarded(async (request, reply) => {
      const id = slugOf(request.params)
      if (!id) return notFound(reply)
      const context = deps.context(request)
      const events = await listHubEvents(context, id)
      const hub = await context.db
        .selectFrom('hubs')
        .select('name')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      return reply.view('events.njk', {
        pageTitle: `Events: ${hub.name}`,
        caption: hub.name,
        back: { text: hub.name, href: `/hubs/${id}` },
        events: eventRows(events),
        scheduleHref: `/events/new?hub=${encodeURIComponent(id)}`,
        saved: savedOf(request.query),
      })
    }),
  )

  /** The organiser's choice of kinds: a cohort's or a hub's. */
  function kindsFor(cohortId: string | undefined) {
    return (cohortId ? NATIONAL_KINDS : HUB_KINDS).map((k) => ({ value: k, text: EVENT_KIND_NAMES[k] }))
  }

  async function participationsOfHub(context: UseCaseContext, hubId: string) {
    const rows = await context.db
      .selectFrom('participations as p')
      .innerJoin('people', 'people.id', 'p.person_id')
      .select(['p.id', 'people.name'])
      .where('p.hub_id', '=', hubId)
      .where('people.erased_at', 'is', null)
      .orderBy('people.name')
      .execute()
    return rows.map((r) => ({ value: String(r.id), text: r.name }))
  }

  async function schedulePage(
    request: FastifyRequest,
    reply: FastifyReply,
    where: { cohort?: string | undefined; hub?: string | undefined },
    values: EventFormValues | undefined,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const actor = context.actor
    // Only someone who may organise there sees the form.
    if (where.cohort) {
      if (!isNationalAdmin(actor)) return notFound(reply)
      await listCohortEvents(context, where.cohort)
    } else if (where.hub) {
      if (!isNationalAdmin(actor) && !hubsAdministered(actor).includes(where.hub)) return notFound(reply)
      await listHubEvents(context, where.hub)
    } else return notFound(reply)
    const kinds = kindsFor(where.cohort)
    const participations = where.hub ? await participationsOfHub(context, where.hub) : []
    // A problem with a support visit's fields links to them only where the form shows them.
    if (Array.isArray(extra.errors) && participations.length === 0) {
      extra.errors = (extra.errors as { text: string; href?: string }[]).map((e) =>
        e.href === '#participationId' || e.href === '#halfDays' ? { text: e.text } : e,
      )
    }
    return reply.view('event-form.njk', {
      pageTitle: 'Schedule an event',
      heading: 'Schedule an event',
      action: '/events',
      back: where.cohort ? `/cohorts/${where.cohort}/events` : `/hubs/${where.hub}/events`,
      cohortId: where.cohort,
      hubId: where.hub,
      kinds,
      participations,
      values: values ?? blankEventForm(kinds[0]!.value),
      ...extra,
    })
  }

  app.get(
    '/events/new',
    guarded(async (request, reply) => {
      const parsed = owner.safeParse(firstValues(request.query))
      if (!parsed.success) return notFound(reply)
      return schedulePage(request, reply, parsed.data, undefined)
    }),
  )

  function refused(errors: FieldError[], rows: Parameters<typeof formRowField>[1]) {
    const { summary, byField } = eventFormErrors(
      errors.map((e) => ({ ...e, field: formRowField(e.field, rows) })),
    )
    return { errors: summary, fieldErrors: byField }
  }

  app.post(
    '/events',
    guarded(async (request, reply) => {
      const body = firstValues(request.body)
      const where = owner.safeParse({ cohort: body.cohortId || undefined, hub: body.hubId || undefined })
      if (!where.success) return notFound(reply)
      const values = readEventForm(body)
      const { input, errors, rows } = eventInputOf(values)
      // Only the kinds this form offers: a cohort's, or a hub's.
      if (!kindsFor(where.data.cohort).some((k) => k.value === values.kind)) {
        errors.unshift({ code: 'invalid', field: 'kind', message: 'Select the kind of event' })
      }
      if (errors.length > 0)
        return schedulePage(request, reply.code(422), where.data, values, refused(errors, rows))
      try {
        const event = await scheduleEvent(deps.context(request), {
          ...input,
          kind: input.kind || undefined,
          ...(where.data.cohort ? { cohortId: where.data.cohort } : { hubId: where.data.hub }),
        })
        return reply.redirect(`/events/${event.id}?saved=scheduled`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return schedulePage(request, reply.code(422), where.data, values, refused(error.errors, rows))
      }
    }),
  )

  async function eventPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewEvent(deps.context(request), id)
    return reply.view('event.njk', {
      pageTitle: view.event.title,
      ...presentEvent(view, deps.context(request).clock.now()),
      ...extra,
    })
  }

  app.get(
    '/events/:id',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      return eventPage(request, reply, id, { saved: savedOf(request.query) })
    }),
  )

  app.post(
    '/events/:id/confirm',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      try {
        await confirmEvent(deps.context(request), id)
        return reply.redirect(`/events/${id}?saved=confirmed`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return eventPage(request, reply.code(422), id, {
          errors: error.errors.map((e) => ({ text: e.message })),
        })
      }
    }),
  )

  async function movePage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    values: EventFormValues | undefined,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewEvent(deps.context(request), id)
    if (!view.organiser) return notFound(reply)
    return reply.view('event-form.njk', {
      pageTitle: `Move ${view.event.title}`,
      heading: `Move or change ${view.event.title}`,
      moving: true,
      event: view.event,
      action: `/events/${id}/move`,
      back: `/events/${id}`,
      values: values ?? eventFormValues(view.event),
      ...extra,
    })
  }

  app.get(
    '/events/:id/move',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      return movePage(request, reply, id, undefined)
    }),
  )

  app.post(
    '/events/:id/move',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      const values = readEventForm(firstValues(request.body))
      const { input, errors, rows } = eventInputOf(values)
      if (errors.length > 0) return movePage(request, reply.code(422), id, values, refused(errors, rows))
      try {
        await moveEvent(deps.context(request), id, { days: input.days, venues: input.venues })
        return reply.redirect(`/events/${id}?saved=moved`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return movePage(request, reply.code(422), id, values, refused(error.errors, rows))
      }
    }),
  )

  async function cancelPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewEvent(deps.context(request), id)
    if (!view.organiser) return notFound(reply)
    return reply.view('event-cancel.njk', {
      pageTitle: `Cancel ${view.event.title}`,
      event: view.event,
      booked: view.bookings.filter((b) => b.status === 'booked').length,
      ...extra,
    })
  }

  app.get(
    '/events/:id/cancel',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      return cancelPage(request, reply, id)
    }),
  )

  app.post(
    '/events/:id/cancel',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await cancelEvent(deps.context(request), id, { reason: body.reason })
        return reply.redirect(`/events/${id}?saved=cancelled`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const { summary, byField } = eventFormErrors(error.errors.map((e) => ({ ...e, field: 'reason' })))
        return cancelPage(request, reply.code(422), id, {
          errors: summary,
          fieldErrors: byField,
          reason: body.reason,
        })
      }
    }),
  )

  async function bookPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewEvent(deps.context(request), id)
    if (!view.mine) return notFound(reply)
    // With one venue there is no choice on the page to link to.
    if (Array.isArray(extra.errors) && view.event.venues.length < 2) {
      extra.errors = (extra.errors as { text: string; href?: string }[]).map((e) =>
        e.href === '#venueId' ? { text: e.text } : e,
      )
    }
    return reply.view('event-book.njk', {
      pageTitle: `Book a place: ${view.event.title}`,
      ...presentEvent(view, deps.context(request).clock.now()),
      ...extra,
    })
  }

  app.get(
    '/events/:id/book',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      return bookPage(request, reply, id)
    }),
  )

  app.post(
    '/events/:id/book',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      const body = firstValues(request.body)
      try {
        const result = await bookPlace(deps.context(request), id, {
          venueId: body.venueId || undefined,
          accessNeeds: body.accessNeeds,
          dietaryNeeds: body.dietaryNeeds,
        })
        return reply.redirect(`/events/${id}?saved=${result.waiting ? 'waiting' : 'booked'}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const { summary, byField } = eventFormErrors(
          error.errors.map((e) => ({ ...e, field: e.field === 'event' ? 'form' : e.field })),
        )
        return bookPage(request, reply.code(422), id, { errors: summary, fieldErrors: byField, values: body })
      }
    }),
  )

  app.post(
    '/bookings/:id/cancel',
    guarded(async (request, reply) => {
      const id = numberOf(request.params)
      if (id === undefined) return notFound(reply)
      const context = deps.context(request)
      const booking = await context.db
        .selectFrom('bookings')
        .select('event_id')
        .where('id', '=', id)
        .executeTakeFirst()
      try {
        await cancelBooking(context, id)
        return reply.redirect(`/events/${booking!.event_id}?saved=place-cancelled`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return eventPage(request, reply.code(422), Number(booking!.event_id), {
          errors: error.errors.map((e) => ({ text: e.message })),
        })
      }
    }),
  )
}

/** What the event page and the booking page show. */
export function presentEvent(view: EventView, now: Date) {
  const { event } = view
  const over = event.days.every((d) => d.endsAt <= now)
  const today = event.days.find((d) => d.startsAt <= now && now < d.endsAt)
  const venueName = (id: number) => event.venues.find((v) => v.id === id)?.name ?? ''
  const booked = view.bookings.filter((b) => b.status === 'booked')
  return {
    event: {
      ...event,
      kindName: EVENT_KIND_NAMES[event.kind],
      tag: EVENT_STATUS_TAGS[event.status],
      listHref: eventListHref(event),
      places: event.venues.map((v) => ({
        ...v,
        booked: booked.filter((b) => b.venueId === v.id).length,
        waiting: view.bookings.filter((b) => b.venueId === v.id && b.status === 'waiting').length,
      })),
    },
    organiser: view.organiser,
    bookings: view.bookings.map((b) => ({
      ...b,
      statusName: BOOKING_STATUS_NAMES[b.status],
      venueName: venueName(b.venueId),
      marks: event.days.map((d) =>
        view.attendance.find((a) => a.bookingId === b.id && a.dayNumber === d.dayNumber),
      ),
    })),
    mine: view.mine && {
      ...view.mine,
      statusName: view.mine.booking ? BOOKING_STATUS_NAMES[view.mine.booking.status] : undefined,
      marks: event.days.map((d) => ({
        day: d,
        mark: view.mine!.attendance.find((a) => a.dayNumber === d.dayNumber),
      })),
    },
    over,
    today,
    canBook: !!view.mine && !view.mine.booking && !over && event.status !== 'cancelled',
  }
}
