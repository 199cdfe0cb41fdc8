// Release time pages: a participation's days used against days funded for each year, every entry
// in its ledger (a correction shown beside what it reverses), the Work Group support visits that
// count as days used, the form to log a half day or a whole day, correcting an entry (a new entry
// that reverses it, with a reason), and the hub's approval of extra days. The specialist, their
// hub's team and NCETM see them; anyone else is answered "page not found". A refusal shows the
// form again (422) with the GOV.UK error summary and saves nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { approveExtraDays } from '../../domain/participants/release-time/approve-extra-days.ts'
import { logReleaseTime } from '../../domain/participants/release-time/log-release-time.ts'
import {
  extraDaysApproverAs,
  releaseLoggerAs,
} from '../../domain/participants/release-time/release-time.policy.ts'
import {
  HALF_NAMES,
  LOGGED_AS_NAMES,
  RELEASE_ACTIVITIES,
} from '../../domain/participants/release-time/release-time.ts'
import { daysText } from '../../domain/participants/release-time/release-years.ts'
import { reverseReleaseEntry } from '../../domain/participants/release-time/reverse-release-entry.ts'
import {
  viewReleaseTime,
  type ReleaseTimeView,
} from '../../domain/participants/release-time/view-release-time.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { ValidationError } from '../../errors.ts'
import { dateFieldValue, firstValues } from '../forms.ts'
import { errorsOf } from '../page.ts'
import { guarded, idParam, notFound } from '../route-params.ts'

export interface ReleaseTimeRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const entryParams = z.object({ id: idParam.shape.id, entryId: idParam.shape.id })
const SAVED = ['logged', 'reversed', 'approved'] as const

/** The page's field for a problem: the date input's first box for the date. */
export function presentReleaseTime(view: ReleaseTimeView) {
  const years = view.years.map((y) => ({
    ...y,
    funded: daysText(y.fundedHalfDays),
    approved: daysText(y.approvedExtraHalfDays),
    logged: daysText(y.loggedHalfDays),
    support: daysText(y.supportHalfDays),
    used: daysText(y.usedHalfDays),
    remaining: daysText(y.remainingHalfDays),
    over: daysText(y.overByHalfDays),
  }))
  return {
    ...view,
    years,
    current: years.find((y) => y.year === view.current?.year) ?? null,
    entries: view.entries.map((e) => ({
      ...e,
      halfName: HALF_NAMES[e.half],
      loggedAsName: LOGGED_AS_NAMES[e.loggedAs],
    })),
    supportVisits: view.supportVisits.map((v) => ({
      ...v,
      yearLabel: years.find((y) => y.year === v.year)?.label ?? null,
    })),
    approvals: view.approvals.map((a) => ({ ...a, days: daysText(a.halfDays) })),
  }
}

export function releaseTimeRoutes(app: FastifyInstance, deps: ReleaseTimeRouteDeps): void {
  async function releasePage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const view = await viewReleaseTime(context, id)
    const person = await context.db
      .selectFrom('people')
      .select('name')
      .where('id', '=', view.personId)
      .executeTakeFirstOrThrow()
    const own = context.actor.kind === 'person' && context.actor.personId === view.personId
    return reply.view('release-time.njk', {
      pageTitle: own ? 'Your release time' : `Release time: ${person.name}`,
      own,
      personName: person.name,
      release: presentReleaseTime(view),
      canLog: releaseLoggerAs(context.actor, view) !== undefined,
      canApprove: extraDaysApproverAs(context.actor, view) !== undefined,
      activities: Object.entries(RELEASE_ACTIVITIES).map(([value, text]) => ({ value, text })),
      values: {},
      ...extra,
    })
  }

  app.get(
    '/participations/:id/release-time',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const saved = SAVED.find((s) => s === firstValues(request.query).saved)
      return releasePage(request, reply, parsed.data.id, { saved })
    }),
  )

  app.post(
    '/participations/:id/release-time',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await logReleaseTime(deps.context(request), parsed.data.id, {
          on: dateFieldValue(body, 'on'),
          half: body.half || undefined,
          activity: body.activity || undefined,
          note: body.note,
        })
        return reply.redirect(`/participations/${parsed.data.id}/release-time?saved=logged`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return releasePage(request, reply.code(422), parsed.data.id, {
          ...errorsOf(error.errors, ['on', 'half', 'activity', 'note'], ['on']),
          values: body,
        })
      }
    }),
  )

  async function reversePage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    entryId: number,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const view = await viewReleaseTime(context, id)
    const entry = view.entries.find((e) => e.id === entryId && e.kind === 'use')
    if (!entry || !releaseLoggerAs(context.actor, view)) return notFound(reply)
    return reply.view('release-time-reverse.njk', {
      pageTitle: 'Correct a release time entry',
      participationId: id,
      entry: { ...entry, halfName: HALF_NAMES[entry.half] },
      ...extra,
    })
  }

  app.get(
    '/participations/:id/release-time/:entryId/reverse',
    guarded(async (request, reply) => {
      const parsed = entryParams.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return reversePage(request, reply, parsed.data.id, parsed.data.entryId)
    }),
  )

  app.post(
    '/participations/:id/release-time/:entryId/reverse',
    guarded(async (request, reply) => {
      const parsed = entryParams.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await reverseReleaseEntry(deps.context(request), parsed.data.id, parsed.data.entryId, {
          reason: body.reason,
        })
        return reply.redirect(`/participations/${parsed.data.id}/release-time?saved=reversed`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return reversePage(request, reply.code(422), parsed.data.id, parsed.data.entryId, {
          ...errorsOf(
            error.errors.map((e) => (e.field === 'reason' ? e : { ...e, field: 'form' })),
            ['reason'],
          ),
          reason: body.reason,
        })
      }
    }),
  )

  async function extraDaysPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const view = await viewReleaseTime(context, id)
    if (!extraDaysApproverAs(context.actor, view)) return notFound(reply)
    const person = await context.db
      .selectFrom('people')
      .select('name')
      .where('id', '=', view.personId)
      .executeTakeFirstOrThrow()
    return reply.view('release-time-extra.njk', {
      pageTitle: `Approve extra days: ${person.name}`,
      participationId: id,
      personName: person.name,
      release: presentReleaseTime(view),
      values: {},
      ...extra,
    })
  }

  app.get(
    '/participations/:id/release-time/extra-days',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return extraDaysPage(request, reply, parsed.data.id)
    }),
  )

  app.post(
    '/participations/:id/release-time/extra-days',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await approveExtraDays(deps.context(request), parsed.data.id, {
          year: body.year || undefined,
          days: body.days ?? '',
          reason: body.reason,
        })
        return reply.redirect(`/participations/${parsed.data.id}/release-time?saved=approved`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return extraDaysPage(request, reply.code(422), parsed.data.id, {
          ...errorsOf(error.errors, ['year', 'days', 'reason']),
          values: body,
        })
      }
    }),
  )
}
