// Public pages for the programme catalogue and each cohort: who a programme is for, its cohorts,
// and a cohort's application window in UK time with how long is left. An open cohort lets a
// signed-in teacher start an application; an upcoming one lets anyone ask to be told when it opens.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { startApplication } from '../../domain/applications/start-application.ts'
import { findLiveApplication } from '../../domain/applications/applications.repository.ts'
import { isNational, isSignedIn } from '../../domain/access/access.policy.ts'
import { viewCohortHistory } from '../../domain/programmes/cohort-history.ts'
import { canManageCohorts } from '../../domain/programmes/programmes.policy.ts'
import { confirmInterest, registerInterest } from '../../domain/programmes/opening-notices.ts'
import {
  viewCohort,
  viewProgramme,
  viewProgrammes,
  type CohortStatus,
  type CohortView,
} from '../../domain/programmes/view-programmes.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { NotFoundError, ValidationError } from '../../errors.ts'
import { timeLeft } from '../../lib/time-left.ts'
import { firstValues } from '../forms.ts'
import { notFound, slugParam } from '../route-params.ts'
import { summaryOf } from '../page.ts'
import { requireSignIn } from '../session.ts'

/** The banners after a national administrator's change ("?saved=..."). */
const SAVED = ['created', 'changed', 'closed'] as const

export interface ProgrammeRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

export const COHORT_STATUS_TAGS: Record<CohortStatus, { text: string; classes: string }> = {
  upcoming: { text: 'Opens soon', classes: 'govuk-tag--blue' },
  open: { text: 'Open for applications', classes: 'govuk-tag--green' },
  closed: { text: 'Closed', classes: 'govuk-tag--grey' },
}

/** The id from the path, or undefined when it cannot be one (answered "not found"). */
function slugOf(request: FastifyRequest): string | undefined {
  const parsed = slugParam.safeParse(request.params)
  return parsed.success ? parsed.data.id : undefined
}

export function programmeRoutes(app: FastifyInstance, deps: ProgrammeRouteDeps): void {
  app.get('/programmes', async (request, reply) => {
    const programmes = await viewProgrammes(deps.context(request))
    return reply.view('programmes.njk', {
      pageTitle: 'Programmes',
      programmes: programmes.map((p) => ({
        ...p,
        cohorts: p.cohorts.map((c) => ({ ...c, tag: COHORT_STATUS_TAGS[c.status] })),
      })),
    })
  })

  app.get('/programmes/:id', async (request, reply) => {
    const id = slugOf(request)
    if (!id) return notFound(reply)
    try {
      const programme = await viewProgramme(deps.context(request), id)
      return reply.view('programme.njk', {
        pageTitle: programme.name,
        manage: canManageCohorts(deps.context(request).actor),
        programme: {
          ...programme,
          cohorts: programme.cohorts.map((c) => ({ ...c, tag: COHORT_STATUS_TAGS[c.status] })),
        },
      })
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  })

  async function cohortPage(
    request: FastifyRequest,
    reply: FastifyReply,
    cohort: CohortView,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const now = context.clock.now()
    const actor = context.actor
    const existing =
      isSignedIn(actor) && cohort.status === 'open'
        ? await findLiveApplication(context.db, cohort.id, actor.personId)
        : undefined
    const query = firstValues(request.query)
    const history = await viewCohortHistory(context, cohort.id)
    return reply.view('cohort.njk', {
      pageTitle: `${cohort.programmeName}: Cohort ${cohort.number}`,
      cohort: { ...cohort, tag: COHORT_STATUS_TAGS[cohort.status] },
      timeLeft: cohort.status === 'open' ? timeLeft(cohort.closesAt, now) : undefined,
      opensIn: cohort.status === 'upcoming' ? timeLeft(cohort.opensAt, now) : undefined,
      signedIn: isSignedIn(actor),
      existingApplicationId: existing?.id,
      interestRegistered: query.interest === 'registered',
      interestCheckEmail: query.interest === 'check-email',
      saved: SAVED.find((s) => s === query.saved),
      manage: canManageCohorts(actor),
      seeSpecialists: isNational(actor),
      history,
      values: {},
      ...extra,
    })
  }

  app.get('/cohorts/:id', async (request, reply) => {
    const id = slugOf(request)
    if (!id) return notFound(reply)
    reply.ensureFormToken()
    try {
      return await cohortPage(request, reply, await viewCohort(deps.context(request), id))
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  })

  app.post('/cohorts/:id/interest', async (request, reply) => {
    const id = slugOf(request)
    if (!id) return notFound(reply)
    const body = firstValues(request.body)
    try {
      const { confirmed } = await registerInterest(
        deps.context(request),
        id,
        { email: body.email },
        { ip: request.ip },
      )
      const outcome = confirmed ? 'registered' : 'check-email'
      return reply.redirect(`/cohorts/${id}?interest=${outcome}#interest`, 303)
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      if (!(error instanceof ValidationError)) throw error
      const cohort = await viewCohort(deps.context(request), id)
      return cohortPage(request, reply.code(422), cohort, {
        errors: summaryOf(error).map((e) => (e.href === '#cohort' ? { text: e.text } : e)),
        values: { email: body.email ?? '' },
      })
    }
  })

  // The link that confirms an address for "tell me when it opens": the page's button confirms it,
  // so email security software that opens links does not.
  app.get('/cohort-interest/:token', async (request, reply) => {
    reply.ensureFormToken()
    const { token } = request.params as { token: string }
    return reply.view('cohort-interest.njk', {
      pageTitle: 'Confirm your email address',
      action: `/cohort-interest/${encodeURIComponent(token)}`,
    })
  })

  app.post('/cohort-interest/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    const outcome = await confirmInterest(deps.context(request), token)
    if (outcome === 'gone') {
      return reply.code(410).view('cohort-interest.njk', {
        pageTitle: 'This link has expired or has already been used',
        gone: true,
      })
    }
    return reply.view('cohort-interest.njk', {
      pageTitle: 'We will email you when applications open',
      confirmed: true,
    })
  })

  app.post('/cohorts/:id/apply', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply
    const id = slugOf(request)
    if (!id) return notFound(reply)
    try {
      const { application, created } = await startApplication(deps.context(request), id)
      return reply.redirect(`/applications/${application.id}${created ? '' : '?existing=1'}`, 303)
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      if (!(error instanceof ValidationError)) throw error
      const cohort = await viewCohort(deps.context(request), id).catch(() => undefined)
      if (!cohort) return notFound(reply)
      return cohortPage(request, reply.code(422), cohort, {
        errors: summaryOf(error).map((e) => ({ text: e.text })),
      })
    }
  })
}
