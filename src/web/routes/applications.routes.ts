// Pages for the application round: a teacher's own applications and the GOV.UK task list (school,
// teaching details, evidence, headteacher, check and submit, withdraw); the headteacher's emailed
// link; and the lists a hub's team and NCETM read. Every page calls a use-case, which decides
// access: a record the actor may not see is "page not found".
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { SearchGuard } from '../../api/v1/register.api.ts'
import { isNational, schoolUrnsContacted } from '../../domain/access/access.policy.ts'
import { findSchool } from '../../domain/schools/schools.repository.ts'
import {
  evidenceFromForm,
  schoolFromForm,
  teachingFromForm,
} from '../../domain/applications/application-input.ts'
import { APPLICATION_STATES, IN_PROGRESS, STATE_NAMES } from '../../domain/applications/application.states.ts'
import { hubsSeeingApplications } from '../../domain/applications/applications.policy.ts'
import type { Application } from '../../domain/applications/applications.repository.ts'
import { findSchoolsToChoose } from '../../domain/applications/find-schools.ts'
import { knownHeadteacher, requestEndorsement } from '../../domain/applications/request-endorsement.ts'
import {
  respondToEndorsement,
  viewEndorsementRequest,
} from '../../domain/applications/respond-to-endorsement.ts'
import {
  canRouteApplications,
  ROUTE_EVENT,
  routeApplication,
  viewRoutingQueue,
  ROUTING_PAGE_SIZE,
} from '../../domain/applications/route-application.ts'
import { saveApplication } from '../../domain/applications/save-application.ts'
import { submitApplication } from '../../domain/applications/submit-application.ts'
import {
  listAllApplications,
  listHubApplications,
  listOwnApplications,
  viewApplication,
  type ApplicationView,
  APPLICATIONS_PAGE_SIZE,
} from '../../domain/applications/view-applications.ts'
import { headteacherConfirmationFor } from '../../domain/applications/ask-headteacher-again.ts'
import { canVerifyHeadteacher, verifyHeadteacher } from '../../domain/applications/verify-headteacher.ts'
import { mayWithdraw, withdrawApplication } from '../../domain/applications/withdraw-application.ts'
import { findHubName, listHubs } from '../../domain/hubs/hubs.repository.ts'
import { searchExample } from '../../domain/schools/schools.repository.ts'
import { cohortStatus } from '../../domain/programmes/view-programmes.ts'
import {
  OUTCOME_NAMES,
  OUTCOME_TAGS,
  releasedOutcomes,
  type ApplicationOutcome,
} from '../../domain/selection/offers/offers-outcomes.ts'
import { selectionOnApplicationPage } from '../../domain/selection/offers/offers-view.ts'
import { canManageReviews } from '../../domain/selection/reviewing/reviews.policy.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../errors.ts'
import type { Paged } from '../../lib/paging.ts'
import { timeLeft } from '../../lib/time-left.ts'
import { firstValues } from '../forms.ts'
import type { PageError } from '../page.ts'
import { pageRequest, pagingFor } from '../paging.ts'
import { idParam, notFound, slugParam as hubParam } from '../route-params.ts'
import { requireSignIn } from '../session.ts'

export interface ApplicationRouteDeps {
  context(request: FastifyRequest): UseCaseContext
  /** The public search's allowance: the school step's search counts against it too. */
  searchGuard: SearchGuard
}

const TAG_FOR_STATE: Record<string, string> = {
  draft: 'govuk-tag--grey',
  'awaiting-endorsement': 'govuk-tag--yellow',
  'endorsement-declined': 'govuk-tag--red',
  endorsed: 'govuk-tag--blue',
  submitted: 'govuk-tag--green',
  withdrawn: 'govuk-tag--grey',
}

/**
 * The application's tag: its released outcome once there is one; "not submitted" once the window
 * has closed on an application still being written; otherwise its state.
 */
export function stateTag(
  state: Application['state'],
  options: { outcome?: ApplicationOutcome | undefined; windowClosed?: boolean } = {},
): { text: string; classes: string } {
  if (options.outcome) return { text: OUTCOME_NAMES[options.outcome], classes: OUTCOME_TAGS[options.outcome] }
  if (options.windowClosed && IN_PROGRESS.includes(state)) {
    return { text: 'Not submitted: applications closed', classes: 'govuk-tag--grey' }
  }
  return { text: STATE_NAMES[state], classes: TAG_FOR_STATE[state] ?? '' }
}

/** The applications with their tags, their released outcomes read in one query. */
async function tagged(context: UseCaseContext, applications: Application[]) {
  const outcomes = await releasedOutcomes(
    context.db,
    applications.map((a) => a.id),
    context.clock.now(),
  )
  return applications.map((a) => ({ ...a, tag: stateTag(a.state, { outcome: outcomes.get(a.id) }) }))
}

/**
 * A use-case's field names as the ids of this page's inputs: "school.urn" is the URN choice,
 * "teaching.trn" the TRN box, "evidence.good-teaching" that criterion's box. Refusals about the
 * application as a whole (the window, its state) have no field to link to; on the check page
 * (given the application's id) a missing part links to the page, and the box, that fills it.
 */
function pageErrors(error: ValidationError | ConflictError, applicationId?: number): PageError[] {
  const on = (task: string) => (applicationId === undefined ? '' : `/applications/${applicationId}/${task}`)
  return error.errors.map((e: FieldError) => {
    const [part, ...rest] = e.field.split('.')
    const field = rest.join('.')
    if (part === 'school' && field === 'urn') return { text: e.message, href: `${on('school')}#urn` }
    if (part === 'teaching' && field) return { text: e.message, href: `${on('teaching')}#${field}` }
    if (part === 'evidence' && field) return { text: e.message, href: `${on('evidence')}#evidence-${field}` }
    if (applicationId !== undefined && ['school', 'teaching', 'headteacher'].includes(e.field)) {
      return { text: e.message, href: `/applications/${applicationId}/${e.field}` }
    }
    if (['cohort', 'state', 'form', 'Idempotency-Key'].includes(e.field)) return { text: e.message }
    return { text: e.message, href: `#${e.field}` }
  })
}

function idOf(request: FastifyRequest): number | undefined {
  const parsed = idParam.safeParse(request.params)
  return parsed.success ? parsed.data.id : undefined
}

const TOKEN = /^[A-Za-z0-9_-]{1,200}$/

const APPLICATIONS_NOUN = { one: 'application', many: 'applications' }

export function applicationRoutes(app: FastifyInstance, deps: ApplicationRouteDeps): void {
  /** Signed in, a valid id, and "not found" for anything the use-case will not show. */
  const withApplication =
    (handler: (request: FastifyRequest, reply: FastifyReply, id: number) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      if (!requireSignIn(request, reply)) return reply
      const id = idOf(request)
      if (id === undefined) return notFound(reply)
      try {
        return await handler(request, reply, id)
      } catch (error) {
        if (error instanceof NotFoundError) return notFound(reply)
        throw error
      }
    }

  /** The applicant's own application, still open to change; anything else goes to its page. */
  async function editable(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
  ): Promise<ApplicationView | undefined> {
    const view = await viewApplication(deps.context(request), id)
    if (!view.own) throw new NotFoundError('Application')
    const closed = cohortStatus(view.cohort, deps.context(request).clock.now()) !== 'open'
    if (!IN_PROGRESS.includes(view.application.state) || closed) {
      await reply.redirect(`/applications/${id}`, 303)
      return undefined
    }
    return view
  }

  function common(request: FastifyRequest, view: ApplicationView) {
    const now = deps.context(request).clock.now()
    const status = cohortStatus(view.cohort, now)
    return {
      application: {
        ...view.application,
        tag: stateTag(view.application.state, { windowClosed: status === 'closed' }),
      },
      cohort: view.cohort,
      windowOpen: status === 'open',
      timeLeft: status === 'open' ? timeLeft(view.cohort.closesAt, now) : undefined,
    }
  }

  app.get('/applications', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply
    const context = deps.context(request)
    const applications = await listOwnApplications(context)
    const links: { text: string; href: string }[] = []
    for (const hubId of hubsSeeingApplications(context.actor)) {
      const name = await findHubName(context.db, hubId)
      if (name) links.push({ text: `Applications to ${name}`, href: `/hubs/${hubId}/applications` })
    }
    if (isNational(context.actor)) {
      links.push({ text: 'Every hub’s applications', href: '/admin/applications' })
      links.push({ text: 'Applications to pass to a hub', href: '/admin/routing' })
    }
    for (const urn of schoolUrnsContacted(context.actor)) {
      const school = await findSchool(context.db, urn)
      if (school)
        links.push({ text: `Applications from ${school.name}`, href: `/schools/${urn}/applications` })
    }
    return reply.view('applications.njk', {
      pageTitle: 'Your applications',
      applications: await tagged(context, applications),
      links,
    })
  })

  app.get(
    '/applications/:id',
    withApplication(async (request, reply, id) => {
      const context = deps.context(request)
      const view = await viewApplication(context, id)
      const query = firstValues(request.query)
      const selection = await selectionOnApplicationPage(context, view)
      const now = context.clock.now()
      const shared = common(request, view)
      const outcome = (await releasedOutcomes(context.db, [id], now)).get(id)
      const last = view.history.at(-1)
      return reply.view('application.njk', {
        pageTitle: view.own ? 'Your application' : `Application ${view.application.reference}`,
        ...shared,
        application: outcome
          ? { ...shared.application, tag: stateTag(view.application.state, { outcome }) }
          : shared.application,
        canWithdraw:
          view.own && mayWithdraw(view.application, view.cohort, now, selection.offer !== undefined),
        answersChanged: view.own && view.application.state === 'draft' && last?.event === 'change-answers',
        own: view.own,
        tasks: view.tasks,
        criteria: view.criteria,
        history: view.history.map((h) => ({
          ...h,
          stateName:
            h.event === ROUTE_EVENT ? 'Passed to a Maths Hub' : h.toState ? STATE_NAMES[h.toState] : '',
        })),
        editable: view.own && IN_PROGRESS.includes(view.application.state),
        existing: query.existing === '1',
        justSubmitted: query.submitted === '1' && view.application.state === 'submitted',
        justWithdrawn: query.withdrawn === '1' && view.application.state === 'withdrawn',
        headteacherAsked: query.asked === '1' && view.application.state === 'awaiting-endorsement',
        headteacherVerified: query.verified === '1',
        canVerifyHeadteacher:
          !view.own &&
          view.application.headteacherEmail !== null &&
          view.application.headteacherVerification === null &&
          canVerifyHeadteacher(context.actor, view.application),
        confirmationAsked: query['confirmation-asked'] === '1',
        headteacherConfirmation: await headteacherConfirmationFor(context, view.application),
        selection,
      })
    }),
  )

  // --- The school

  async function schoolPage(
    request: FastifyRequest,
    reply: FastifyReply,
    view: ApplicationView,
    q: string | undefined,
    extra: Record<string, unknown> = {},
    pageNumber?: string,
  ) {
    let found: Awaited<ReturnType<typeof findSchoolsToChoose>> | undefined
    let errors: PageError[] | undefined
    if (q !== undefined) {
      await deps.searchGuard(request)
      try {
        found = await findSchoolsToChoose(deps.context(request), view.application.id, { q, page: pageNumber })
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        errors = error.errors.map((e) =>
          e.field === 'q' ? { text: e.message, href: '#q' } : { text: e.message },
        )
        reply.code(422)
      }
    }
    return reply.view('application-school.njk', {
      pageTitle: 'Your school',
      ...common(request, view),
      q: q ?? '',
      example: await searchExample(deps.context(request).db),
      results: found?.items,
      suggestions: found?.suggestions,
      paging:
        found &&
        pagingFor(
          found,
          `/applications/${view.application.id}/school`,
          { q },
          { one: 'school', many: 'schools' },
        ),
      errors,
      ...extra,
    })
  }

  app.get(
    '/applications/:id/school',
    withApplication(async (request, reply, id) => {
      const view = await editable(request, reply, id)
      const query = firstValues(request.query)
      return view ? schoolPage(request, reply, view, query.q, {}, query.page) : reply
    }),
  )

  app.post(
    '/applications/:id/school',
    withApplication(async (request, reply, id) => {
      const view = await editable(request, reply, id)
      if (!view) return reply
      const form = firstValues(request.body)
      try {
        await saveApplication(deps.context(request), id, { school: schoolFromForm(form) })
        return reply.redirect(`/applications/${id}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const q = form.q?.trim() ? form.q : undefined
        return schoolPage(request, reply.code(422), view, q, { errors: pageErrors(error) })
      }
    }),
  )

  // --- Teaching details

  app.get(
    '/applications/:id/teaching',
    withApplication(async (request, reply, id) => {
      const view = await editable(request, reply, id)
      if (!view) return reply
      const t = view.application.teaching
      return reply.view('application-teaching.njk', {
        pageTitle: 'Your teaching',
        ...common(request, view),
        values: {
          hasQts: t.hasQts === undefined ? '' : t.hasQts ? 'yes' : 'no',
          trn: t.trn ?? '',
          yearsTeachingMaths: t.yearsTeachingMaths === undefined ? '' : String(t.yearsTeachingMaths),
          currentRole: t.currentRole ?? '',
          classesTaught: t.classesTaught ?? '',
        },
      })
    }),
  )

  app.post(
    '/applications/:id/teaching',
    withApplication(async (request, reply, id) => {
      const view = await editable(request, reply, id)
      if (!view) return reply
      const form = firstValues(request.body)
      try {
        await saveApplication(deps.context(request), id, { teaching: teachingFromForm(form) })
        return reply.redirect(`/applications/${id}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return reply.code(422).view('application-teaching.njk', {
          pageTitle: 'Your teaching',
          ...common(request, view),
          values: form,
          errors: pageErrors(error),
        })
      }
    }),
  )

  // --- Evidence for each criterion

  function evidencePage(
    request: FastifyRequest,
    reply: FastifyReply,
    view: ApplicationView,
    answers: Record<string, string>,
    errors?: PageError[],
  ) {
    return reply.view('application-evidence.njk', {
      pageTitle: 'Your evidence',
      ...common(request, view),
      criteria: view.criteria.map((c) => ({ ...c, answer: answers[c.id] ?? '' })),
      errors,
    })
  }

  app.get(
    '/applications/:id/evidence',
    withApplication(async (request, reply, id) => {
      const view = await editable(request, reply, id)
      return view ? evidencePage(request, reply, view, view.application.evidence) : reply
    }),
  )

  app.post(
    '/applications/:id/evidence',
    withApplication(async (request, reply, id) => {
      const view = await editable(request, reply, id)
      if (!view) return reply
      const answers = evidenceFromForm(firstValues(request.body))
      try {
        await saveApplication(deps.context(request), id, { evidence: answers })
        return reply.redirect(`/applications/${id}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return evidencePage(request, reply.code(422), view, answers, pageErrors(error))
      }
    }),
  )

  // --- The headteacher

  app.get(
    '/applications/:id/headteacher',
    withApplication(async (request, reply, id) => {
      const view = await editable(request, reply, id)
      if (!view) return reply
      return reply.view('application-headteacher.njk', {
        pageTitle: 'Your headteacher',
        ...common(request, view),
        known: await knownHeadteacher(deps.context(request).db, view.application),
        values: {
          name: view.application.headteacherName ?? '',
          email: view.application.headteacherEmail ?? '',
        },
        sentAt: view.endorsementRequest?.createdAt,
      })
    }),
  )

  app.post(
    '/applications/:id/headteacher',
    withApplication(async (request, reply, id) => {
      const view = await editable(request, reply, id)
      if (!view) return reply
      const form = firstValues(request.body)
      try {
        await requestEndorsement(
          deps.context(request),
          id,
          { name: form.name, email: form.email },
          { ip: request.ip },
        )
        return reply.redirect(`/applications/${id}?asked=1`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return reply.code(422).view('application-headteacher.njk', {
          pageTitle: 'Your headteacher',
          ...common(request, view),
          known: await knownHeadteacher(deps.context(request).db, view.application),
          values: { name: form.name ?? '', email: form.email ?? '' },
          errors: pageErrors(error, id),
        })
      }
    }),
  )

  // The hub's lead vouches for a headteacher the service could not verify.
  app.post(
    '/applications/:id/headteacher-verification',
    withApplication(async (request, reply, id) => {
      try {
        await verifyHeadteacher(deps.context(request), id)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        // Already verified (by another lead, say): the page shows how it stands.
      }
      return reply.redirect(`/applications/${id}?verified=1`, 303)
    }),
  )

  // --- Check and submit

  function checkPage(
    request: FastifyRequest,
    reply: FastifyReply,
    view: ApplicationView,
    errors?: PageError[],
  ) {
    return reply.view('application-check.njk', {
      pageTitle: 'Check your answers before you submit',
      ...common(request, view),
      criteria: view.criteria.map((c) => ({ ...c, answer: view.application.evidence[c.id] ?? '' })),
      missing: pageErrors(new ValidationError(view.missing), view.application.id),
      // One key per showing of the page: a second click or a resent form is the same submission.
      idempotencyKey: randomUUID(),
      errors,
    })
  }

  app.get(
    '/applications/:id/check',
    withApplication(async (request, reply, id) => {
      const view = await editable(request, reply, id)
      return view ? checkPage(request, reply, view) : reply
    }),
  )

  app.post(
    '/applications/:id/submit',
    withApplication(async (request, reply, id) => {
      const form = firstValues(request.body)
      try {
        await submitApplication(deps.context(request), id, {
          idempotencyKey: form.idempotencyKey || undefined,
        })
        return reply.redirect(`/applications/${id}?submitted=1`, 303)
      } catch (error) {
        if (error instanceof ConflictError) return reply.redirect(`/applications/${id}`, 303)
        if (!(error instanceof ValidationError)) throw error
        const view = await viewApplication(deps.context(request), id)
        if (!view.own) return notFound(reply)
        return checkPage(request, reply.code(422), view, pageErrors(error, id))
      }
    }),
  )

  // --- Withdraw

  app.get(
    '/applications/:id/withdraw',
    withApplication(async (request, reply, id) => {
      const context = deps.context(request)
      const view = await viewApplication(context, id)
      if (!view.own) return notFound(reply)
      const released = (await selectionOnApplicationPage(context, view)).offer !== undefined
      if (!mayWithdraw(view.application, view.cohort, context.clock.now(), released)) {
        return reply.redirect(`/applications/${id}`, 303)
      }
      return reply.view('application-withdraw.njk', {
        pageTitle: 'Withdraw your application',
        ...common(request, view),
      })
    }),
  )

  app.post(
    '/applications/:id/withdraw',
    withApplication(async (request, reply, id) => {
      try {
        await withdrawApplication(deps.context(request), id)
        return reply.redirect(`/applications/${id}?withdrawn=1`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const view = await viewApplication(deps.context(request), id)
        return reply.code(422).view('application-withdraw.njk', {
          pageTitle: 'Withdraw your application',
          ...common(request, view),
          errors: pageErrors(error),
        })
      }
    }),
  )

  // --- The headteacher's link: no sign-in; the link is the authority.

  async function endorsePage(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewEndorsementRequest(deps.context(request), token)
    if (view.status !== 'open') reply.code(410)
    const criteria = [...view.cohort.essentialCriteria, ...view.cohort.desirableCriteria]
    return reply.view('endorse.njk', {
      pageTitle:
        view.status === 'open'
          ? `Endorse ${view.application.applicantName}’s application`
          : 'This link can no longer be used',
      status: view.status,
      request: view.request,
      // Only what the headteacher is endorsing: never the whole application.
      application: {
        applicantName: view.application.applicantName,
        schoolName: view.application.schoolName,
        reference: view.application.reference,
      },
      endorsing: view.endorsing,
      cohort: view.cohort,
      criteria,
      action: `/endorse/${encodeURIComponent(token)}`,
      values: {},
      ...extra,
    })
  }

  app.get('/endorse/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    if (!TOKEN.test(token)) return notFound(reply)
    reply.ensureFormToken()
    try {
      return await endorsePage(request, reply, token)
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  })

  app.post('/endorse/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    if (!TOKEN.test(token)) return notFound(reply)
    const form = firstValues(request.body)
    try {
      const { decision, application } = await respondToEndorsement(deps.context(request), token, {
        decision: form.decision || undefined,
        reason: form.decision === 'decline' ? form.reason : undefined,
      })
      return reply.view('endorse-done.njk', {
        pageTitle:
          decision === 'confirm'
            ? 'You have endorsed the application'
            : 'You have declined to endorse the application',
        decision,
        application,
      })
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      if (!(error instanceof ValidationError)) throw error
      const linkGone = error.errors.some((e) => e.code.startsWith('link-'))
      return endorsePage(request, linkGone ? reply.code(410) : reply.code(422), token, {
        errors: pageErrors(error),
        values: { decision: form.decision ?? '', reason: form.reason ?? '' },
      })
    }
  })

  // --- Lists for a hub's team and NCETM

  const filterQuery = z.object({
    cohort: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      .max(120)
      .optional()
      .catch(undefined),
    state: z
      .enum(APPLICATION_STATES as unknown as [string, ...string[]])
      .optional()
      .catch(undefined),
  })

  async function listPage(
    context: UseCaseContext,
    reply: FastifyReply,
    options: {
      title: string
      caption?: string
      applications: Paged<Application>
      path: string
      filter: { cohort?: string | undefined; state?: string | undefined }
      reviewLinks?: { text: string; href: string }[]
    },
  ) {
    const { cohort, state } = options.filter
    return reply.view('applications-list.njk', {
      pageTitle: options.title,
      caption: options.caption,
      reviewLinks: options.reviewLinks ?? [],
      applications: await tagged(context, options.applications.items),
      paging: pagingFor(options.applications, options.path, { cohort, state }, APPLICATIONS_NOUN),
      filter: options.filter,
      stateOptions: APPLICATION_STATES.filter((s) => s === 'submitted' || s === 'withdrawn').map((s) => ({
        value: s,
        text: STATE_NAMES[s],
      })),
    })
  }

  app.get('/hubs/:id/applications', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply
    const parsed = hubParam.safeParse(request.params)
    if (!parsed.success) return notFound(reply)
    const context = deps.context(request)
    const filter = filterQuery.parse(firstValues(request.query))
    try {
      const applications = await listHubApplications(
        context,
        parsed.data.id,
        { cohortId: filter.cohort, state: filter.state as Application['state'] | undefined },
        pageRequest(request.query, APPLICATIONS_PAGE_SIZE),
      )
      const name = await findHubName(context.db, parsed.data.id)
      if (name === undefined) return notFound(reply)
      const hub = { id: parsed.data.id, name }
      return await listPage(context, reply, {
        title: `Applications to ${hub.name}`,
        caption: hub.name,
        applications,
        path: `/hubs/${hub.id}/applications`,
        filter,
        reviewLinks: canManageReviews(context.actor, hub.id)
          ? applications.cohorts.map((a) => ({
              text: `Reviewers for ${a.programmeName}: Cohort ${a.cohortNumber}`,
              href: `/hubs/${hub.id}/cohorts/${a.cohortId}/reviewers`,
            }))
          : [],
      })
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  })

  app.get('/admin/applications', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply
    const filter = filterQuery.parse(firstValues(request.query))
    try {
      const applications = await listAllApplications(
        deps.context(request),
        { cohortId: filter.cohort, state: filter.state as Application['state'] | undefined },
        pageRequest(request.query, APPLICATIONS_PAGE_SIZE),
      )
      return await listPage(deps.context(request), reply, {
        title: 'Every hub’s applications',
        applications,
        path: '/admin/applications',
        filter,
      })
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  })
  // --- The NCETM's routing queue: applications from schools with no hub recorded (docs/adr/0020)

  async function routingPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      routed?: { reference: string; hubName: string }
      failedId?: number
      values?: object
      errors?: PageError[]
    } = {},
  ) {
    const context = deps.context(request)
    const queue = await viewRoutingQueue(context, pageRequest(request.query, ROUTING_PAGE_SIZE))
    // An application no longer in the queue (or not on this page of it) has no form to link the error to.
    if (extra.errors && !queue.items.some((q) => q.application.id === extra.failedId)) {
      extra = { ...extra, errors: extra.errors.map((e) => ({ text: e.text })) }
    }
    return reply.view('routing-queue.njk', {
      pageTitle: 'Applications to pass to a hub',
      queue: queue.items.map((q) => ({ ...q, selectId: `hubId-${q.application.id}` })),
      paging: pagingFor(queue, '/admin/routing', {}, APPLICATIONS_NOUN),
      hubs: (await listHubs(context.db)).map((h) => ({ id: h.id, name: h.name })),
      canRoute: canRouteApplications(context.actor),
      values: {},
      ...extra,
    })
  }

  app.get('/admin/routing', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply
    const query = firstValues(request.query)
    try {
      const routed = idParam.safeParse({ id: query.routed })
      let done: { reference: string; hubName: string } | undefined
      if (routed.success) {
        const view = await viewApplication(deps.context(request), routed.data.id).catch(() => undefined)
        if (view?.application.hubName) {
          done = { reference: view.application.reference, hubName: view.application.hubName }
        }
      }
      return await routingPage(request, reply, done ? { routed: done } : {})
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  })

  app.post(
    '/admin/routing/:id',
    withApplication(async (request, reply, id) => {
      const form = firstValues(request.body)
      try {
        await routeApplication(deps.context(request), id, { hubId: form.hubId ?? '' })
        return reply.redirect(`/admin/routing?routed=${id}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return routingPage(request, reply.code(422), {
          failedId: id,
          values: { hubId: form.hubId ?? '' },
          errors: error.errors.map((e) => ({ text: e.message, href: `#hubId-${id}` })),
        })
      }
    }),
  )
}
