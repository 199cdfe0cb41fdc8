// createApp(deps): plugins, security headers, routes and the error handler. No globals: everything
// the app needs arrives in deps, so tests build it on their own database and clock.
//
// Before any route: security headers (helmet), a refusal of input no database can read (a NUL or
// half a surrogate pair in the path's parameters, the query, a header or the body), then the
// actor. The error handler answers a database's refusal like the service's own (a duplicate is
// 409) and never sends an SQLSTATE or a value; logs hold the routed path with secrets redacted,
// and database errors without values.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyFormbody from '@fastify/formbody'
import fastifyHelmet from '@fastify/helmet'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify'
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod'
import { sql } from 'kysely'
import { applicationsApi } from './api/v1/applications.api.ts'
import { eventsApi } from './api/v1/events.api.ts'
import { schoolJourneyApi } from './api/v1/school-journey.api.ts'
import { workGroupsApi } from './api/v1/work-groups.api.ts'
import { workGroupSessionsApi } from './api/v1/work-group-sessions.api.ts'
import { workGroupSchoolsApi } from './api/v1/work-group-schools.api.ts'
import { participationsApi } from './api/v1/participations.api.ts'
import { developmentApi } from './api/v1/development.api.ts'
import { peopleApi } from './api/v1/people.api.ts'
import { programmesApi } from './api/v1/programmes.api.ts'
import { registerApi } from './api/v1/register.api.ts'
import { selectionApi } from './api/v1/selection.api.ts'
import type { Config } from './config.ts'
import type { Database } from './db/database.ts'
import { databaseErrorIn, refusalOf, type DatabaseRefusal } from './db/database-errors.ts'
import { searchLimit, useSearchAllowance } from './domain/access/search-allowance.ts'
import { createOidcSignIn, isLoopbackUrl } from './domain/auth/oidc.ts'
import { listOutbox } from './domain/email/outbox.repository.ts'
import type { UseCaseContext } from './domain/use-case.ts'
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from './errors.ts'
import { PageOutOfRangeError } from './lib/paging.ts'
import { PageNumberError } from './web/paging.ts'
import { isApiRequest } from './http/request-kind.ts'
import { errorForLog, SecretPaths } from './http/request-log.ts'
import { applyEarly, helmetOptions, ownHeaders } from './http/security-headers.ts'
import { refuseUndeclaredQueryParameters } from './http/strict-query.ts'
import {
  refuseUnreadableAddress,
  refuseUnreadableBody,
  UnreadableInputError,
} from './http/unreadable-input.ts'
import type { Clock } from './lib/clock.ts'
import { pageRenderer } from './web/page.ts'
import { createRenderer } from './web/render.ts'
import { notFound, registerPages } from './web/routes/register.routes.ts'
import { authRoutes } from './web/routes/auth.routes.ts'
import { oidcRoutes } from './web/routes/oidc.routes.ts'
import { peopleRoutes } from './web/routes/people.routes.ts'
import { programmeRoutes } from './web/routes/programmes.routes.ts'
import { cohortAdminRoutes } from './web/routes/cohort-admin.routes.ts'
import { applicationRoutes } from './web/routes/applications.routes.ts'
import { headteacherConfirmationRoutes } from './web/routes/headteacher-confirmation.routes.ts'
import { selectionRoutes } from './web/routes/selection.routes.ts'
import { reviewRoutes } from './web/routes/reviews.routes.ts'
import { selectionExportRoutes } from './web/routes/selection-exports.routes.ts'
import { schoolApplicationRoutes } from './web/routes/school-applications.routes.ts'
import { eventRoutes } from './web/routes/events.routes.ts'
import { attendanceRoutes } from './web/routes/attendance.routes.ts'
import { myProgrammeRoutes } from './web/routes/my-programme.routes.ts'
import { releaseTimeRoutes } from './web/routes/release-time.routes.ts'
import { rosterRoutes } from './web/routes/roster.routes.ts'
import { workGroupRoutes } from './web/routes/work-groups.routes.ts'
import { workGroupAllocationRoutes } from './web/routes/work-group-allocation.routes.ts'
import { workGroupSessionRoutes } from './web/routes/work-group-sessions.routes.ts'
import { schoolJourneyRoutes } from './web/routes/school-journey.routes.ts'
import { workGroupSchoolRoutes } from './web/routes/work-group-schools.routes.ts'
import { evaluationRoutes } from './web/routes/evaluation.routes.ts'
import { participationRoutes } from './web/routes/participation.routes.ts'
import { registerUploads } from './web/uploads.ts'
import { staticPages } from './web/routes/static-pages.routes.ts'
import { demoTimeRoutes, type DemoTimeControl } from './web/routes/demo-time.routes.ts'
import { apiDocumentationRoutes } from './web/routes/api-documentation.routes.ts'
import { registerSessions } from './web/session.ts'
import { registerWorkAfterResponse } from './web/after-response.ts'

export interface AppDeps {
  database: Database
  config: Pick<Config, 'logLevel' | 'cacheTemplates' | 'session' | 'baseUrl' | 'oidc'> &
    Partial<Pick<Config, 'trustProxy' | 'searchRateLimitPerMinute'>>
  clock: Clock
  /** Demo mode shows the demo banner on every page. */
  demo: boolean
  /**
   * Demo mode only: the demo-time control in the banner, moving `clock` (which must be its clock).
   * Never given under `serve`, so its routes and banner do not exist there.
   */
  demoTime?: DemoTimeControl
  /** Where log lines go (standard output when absent): tests read what the service logs. */
  logStream?: { write(line: string): void }
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: { method: string; url: string }[]
  }
}

export const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public')

/** A hop count becomes the function Fastify's types ask for; addresses and booleans pass as they are. */
function trustProxyOption(value: Config['trustProxy']) {
  return typeof value === 'number' ? (_address: string, hop: number) => hop < value : value
}

/** What to tell someone whose request the database refused, as the service's own refusal. */
const DATABASE_REFUSALS: Record<DatabaseRefusal, { status: number; code: string; message: string }> = {
  duplicate: {
    status: 409,
    code: 'conflict',
    message: 'This has already been done, perhaps at the same moment by another request. Reload and check.',
  },
  'missing-reference': {
    status: 409,
    code: 'conflict',
    message: 'This names a record that does not exist, or one that is still in use. Reload and check.',
  },
  'unreadable-value': {
    status: 400,
    code: 'unreadable',
    message: 'Something sent cannot be read or kept: check the address and the values sent.',
  },
}

/** What to tell someone whose request the framework refused before any route saw it. */
function unreadableRequest(error: FastifyError) {
  const status = error.statusCode ?? 500
  if (!error.code?.startsWith('FST_') || status < 400 || status >= 500) return undefined
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status,
      code: 'too-large',
      field: 'body',
      api: 'The body must be 1 MB or smaller',
      title: 'What you sent is too large',
      page: 'A form can hold up to 1 MB. Go back, shorten your answers and send the form again.',
    }
  }
  if (error.code.startsWith('FST_ERR_CTP_')) {
    return {
      status,
      code: 'unreadable-body',
      field: 'body',
      api: 'Send the body as JSON, with Content-Type: application/json',
      title: 'Sorry, the form could not be read',
      page: 'Go back to the page, reload it and send the form again.',
    }
  }
  return {
    status,
    code: 'unreadable-address',
    field: 'url',
    api: 'The address could not be read: check its spelling and percent-encoding',
    title: 'Sorry, the address could not be read',
    page: 'Check the address is spelled correctly, or go back and follow the link again.',
  }
}

export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const secretPaths = new SecretPaths()
  const securityHeaders = helmetOptions(deps.config.baseUrl)
  const app = Fastify({
    logger:
      deps.config.logLevel === 'silent' && !deps.logStream
        ? false
        : {
            level: deps.config.logLevel === 'silent' ? 'info' : deps.config.logLevel,
            ...(deps.logStream ? { stream: deps.logStream } : {}),
            // No personal data or secrets in logs: the routed path with secret parameters
            // redacted, never query strings or bodies; database errors without values.
            serializers: {
              req: (req) => ({ id: req.id, method: req.method, path: secretPaths.pathOf(req) }),
              res: (res) => ({ statusCode: res.statusCode }),
              err: (err) => errorForLog(err),
            },
          },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: trustProxyOption(deps.config.trustProxy ?? false),
    routerOptions: { ignoreTrailingSlash: true },
    // A path the router cannot read (bad percent-encoding, an over-long id) is answered like any
    // other refusal: a page, or the API's {errors}; no hook runs, so its headers are written here.
    frameworkErrors: (error, request, reply) => {
      applyEarly(securityHeaders, request, reply)
      return answerError(error, request, reply)
    },
  })
  // Every route, as registered: the access matrix test checks each one for every role.
  const routeTable: { method: string; url: string }[] = []
  app.addHook('onRoute', (route) => {
    secretPaths.add(route.url)
    // An API route takes only the query parameters its schema declares (422 for any other).
    refuseUndeclaredQueryParameters(route)
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeTable.push({ method, url: route.url })
    }
  })
  app.decorate('routeTable', routeTable)
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  const demoTime = deps.demo ? deps.demoTime : undefined
  const page = pageRenderer(createRenderer({ cache: deps.config.cacheTemplates }), {
    demo: deps.demo,
    demoClock: demoTime?.clock,
  })
  app.decorateReply(
    'view',
    function (this: FastifyReply, template: string, context: Record<string, unknown>) {
      return page(this, template, context)
    },
  )
  const context = (request: FastifyRequest): UseCaseContext => ({
    db: deps.database.db,
    actor: request.actor,
    clock: deps.clock,
    requestId: request.id,
    baseUrl: deps.config.baseUrl,
  })

  // Headers first, so every answer has them, however early it is refused.
  await app.register(fastifyHelmet, securityHeaders)
  app.addHook('onRequest', async (request, reply) => {
    ownHeaders(request, reply)
    refuseUnreadableAddress(request)
  })
  // An API body is refused here, naming the field; a page's form goes on to its own validation,
  // which shows the GOV.UK error summary for the field (the database's refusal is the last net).
  app.addHook('preValidation', async (request) => {
    if (isApiRequest(request)) refuseUnreadableBody(request.body)
  })
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('cache-control') && !request.url.startsWith('/assets/')) {
      reply.header('cache-control', 'no-store')
    }
    return payload
  })

  await app.register(fastifyFormbody)
  await registerUploads(app)
  await registerSessions(app, { db: deps.database.db, clock: deps.clock, config: deps.config })
  registerWorkAfterResponse(app)
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Mastery Hub API',
        description:
          'The JSON API of Mastery Hub, the service that runs England’s Maths Hubs teaching-for-mastery ' +
          'programmes. Public, with no token: the school register (from Get Information About Schools), ' +
          'the Maths Hubs and the areas they serve, finding a school’s hub, and the programmes, their ' +
          'cohorts and eligibility. With an API token (Authorization: Bearer mh_…, made on the API ' +
          'tokens page; it acts as one of your roles): people and their roles, hub teams, subject access ' +
          'and erasure, and the audit trail; applications (start, change, ask the headteacher, submit ' +
          'with an Idempotency-Key, withdraw); selection (hubs’ rankings, reviews, decisions and ' +
          'every hub’s selection); participations (stages, history, stage changes); and events ' +
          '(scheduling, bookings, attendance). Times are ISO 8601 instants in UTC. Errors answer ' +
          '{errors:[{code, field, message}]}: invalid input answers 422, and so does a query parameter ' +
          'the endpoint does not declare (code unknown-parameter); a record you may not see answers 404.',
        version: '1.0.0',
      },
      tags: [
        { name: 'schools', description: 'The school register, from the DfE’s Get Information About Schools' },
        { name: 'hubs', description: 'Maths Hubs and the schools they serve' },
        { name: 'people', description: 'People and their roles; needs an API token' },
        {
          name: 'programmes',
          description: 'Programmes, their cohorts and application windows, and eligibility',
        },
        {
          name: 'applications',
          description: 'Applications to a cohort, headteacher endorsement and submission; needs an API token',
        },
        {
          name: 'selection',
          description: 'Hubs’ rankings, reviews and decisions, and every hub’s selection; needs an API token',
        },
        {
          name: 'participations',
          description:
            'Mastery Specialists’ participations: their dated stages, history and stage changes; needs an API token',
        },
        {
          name: 'events',
          description:
            'Residentials, hub sessions, support visits and workshops: scheduling, bookings and attendance; needs an API token',
        },
        {
          name: 'work-groups',
          description:
            'Work Groups: a hub’s groups, their states, schools’ interest, advocates and the hub’s decisions, allocating interested schools to them, sessions, attendance, lesson study and support visits; needs an API token',
        },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (mh_…)' },
        },
      },
    },
    hideUntagged: true,
    transform: jsonSchemaTransform,
  })
  if (fs.existsSync(path.join(PUBLIC_DIR, 'assets'))) {
    await app.register(fastifyStatic, {
      root: path.join(PUBLIC_DIR, 'assets'),
      prefix: '/assets/',
      maxAge: '1h',
    })
  } else {
    app.log.warn('public/assets is missing: run "npm run build:assets" for the stylesheet and scripts')
  }

  const answerError = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof UnreadableInputError) {
      const field = error.field
      if (isApiRequest(request)) {
        const message = `${field} has a character that cannot be read: a NUL, or half of a surrogate pair`
        return reply.code(error.statusCode).send({ errors: [{ code: 'unreadable', field, message }] })
      }
      return page(reply.code(400), 'error.njk', {
        pageTitle: 'Sorry, the address could not be read',
        message: 'Check the address is spelled correctly, or go back and follow the link again.',
      })
    }
    const database = databaseErrorIn(error)
    const refusal = database && refusalOf(database)
    if (refusal) {
      // The database refused what was sent (a race lost, a record gone, a value it cannot hold):
      // answered like the service's own refusal, logged with its SQLSTATE and constraint only.
      request.log.warn({ err: database }, 'request refused by the database')
      const { status, code, message } = DATABASE_REFUSALS[refusal]
      if (status === 409)
        return answerError(new ConflictError([{ code, field: 'record', message }]) as never, request, reply)
      if (isApiRequest(request))
        return reply.code(status).send({ errors: [{ code, field: 'request', message }] })
      return page(reply.code(status), 'error.njk', {
        pageTitle: 'Sorry, what you sent could not be read',
        message: 'Go back to the page, check what you entered and send it again.',
      })
    }
    if (error instanceof PageOutOfRangeError) {
      // A page past the end (the list shrank, or a hand-made address): the API says which page is
      // the last; a page goes there, keeping the rest of the query.
      if (isApiRequest(request))
        return reply
          .code(404)
          .send({ errors: [{ code: 'not-found', field: 'page', message: error.message }] })
      const url = new URL(request.url, 'http://localhost')
      if (error.lastPage > 1) url.searchParams.set('page', String(error.lastPage))
      else url.searchParams.delete('page')
      // One leading slash, so the address stays on this site whatever the request spelled.
      return reply.redirect(`${url.pathname.replace(/^\/+/, '/')}${url.search}`)
    }
    if (error instanceof NotFoundError) {
      if (isApiRequest(request))
        return reply.code(404).send({ errors: [{ code: 'not-found', message: error.message }] })
      return page(reply.code(404), 'not-found.njk', { pageTitle: 'Page not found' })
    }
    if (error instanceof PageNumberError && !isApiRequest(request)) {
      return page(reply.code(422), 'error.njk', {
        pageTitle: 'There is no such page',
        message: 'Go back to the list and choose a page from its page links.',
        errors: error.errors.map((e) => ({ text: e.message })),
      })
    }
    if (error instanceof ValidationError && isApiRequest(request)) {
      return reply.code(422).send({ errors: error.errors })
    }
    if (error instanceof ConflictError) {
      if (isApiRequest(request)) return reply.code(409).send({ errors: error.errors })
      return page(reply.code(409), 'error.njk', {
        pageTitle: 'This has already been done',
        message: error.message,
      })
    }
    if (error instanceof RateLimitedError) {
      reply.header('retry-after', String(error.retryAfterSeconds))
      if (isApiRequest(request))
        return reply.code(429).send({ errors: [{ code: 'rate-limited', message: error.message }] })
      return page(reply.code(429), 'error.njk', {
        pageTitle: `You have made too many ${error.what}`,
        message: `${error.message}.`,
      })
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.code(422).send({
        errors: error.validation.map((issue) => {
          const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.')
          const part = error.validationContext ?? 'body'
          // A refusal of the whole body (or query) names it; zod's own wording says what to send.
          const message =
            !path && part === 'body' && /^Invalid input/.test(issue.message ?? '')
              ? 'Send the body as a JSON object with the fields this endpoint describes'
              : issue.message
          return { code: 'invalid', field: path || part, message }
        }),
      })
    }
    // A request the framework could not read (a body too large, of another media type or not JSON;
    // an address it cannot decode): say what to send instead, never the framework's own words.
    const unreadable = unreadableRequest(error)
    if (unreadable) {
      if (isApiRequest(request)) {
        const { code, field, api: message } = unreadable
        return reply.code(unreadable.status).send({ errors: [{ code, field, message }] })
      }
      return page(reply.code(unreadable.status), 'error.njk', {
        pageTitle: unreadable.title,
        message: unreadable.page,
      })
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error({ err: error }, 'request failed')
    const message =
      status === 500 ? 'Sorry, there is a problem with the service. Try again later.' : error.message
    if (isApiRequest(request)) {
      // A fault's code is never sent: it may be the database's SQLSTATE.
      // Nor is the framework's: its FST_ codes are its own, not this API's.
      const code =
        status === 500
          ? 'internal-error'
          : error.code && !error.code.startsWith('FST_')
            ? error.code
            : 'refused'
      return reply.code(status).send({ errors: [{ code, message }] })
    }
    return page(reply.code(status), 'error.njk', {
      pageTitle: 'Sorry, there is a problem with the service',
      // A framework's own wording is not for the public: the page says to try again.
      message: undefined,
    })
  }
  app.setErrorHandler(answerError)

  app.setNotFoundHandler((request, reply) => {
    if (isApiRequest(request)) {
      return reply
        .code(404)
        .send({ errors: [{ code: 'not-found', message: 'There is no such address in this API.' }] })
    }
    return notFound(reply, page)
  })

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(deps.database.db)
      return { status: 'ok', database: deps.database.engine }
    } catch {
      return reply.code(503).send({ status: 'unavailable' })
    }
  })

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  // The public search is limited per client address, counted in the database across processes.
  const searchAllowance = searchLimit(deps.config.searchRateLimitPerMinute ?? 120)
  const searchGuard = (request: FastifyRequest) =>
    useSearchAllowance(deps.database.db, searchAllowance, { ip: request.ip }, deps.clock.now())
  registerApi(app, deps.database, searchGuard)
  peopleApi(app, { context })
  programmesApi(app, { context })
  applicationsApi(app, { context })
  selectionApi(app, { context })
  participationsApi(app, { context })
  developmentApi(app, { context })
  eventsApi(app, { context })
  schoolJourneyApi(app, { context })
  workGroupsApi(app, { context })
  workGroupSchoolsApi(app, { context })
  workGroupSessionsApi(app, { context })
  registerPages(app, deps.database, page, searchGuard)
  staticPages(app, page, { context })
  apiDocumentationRoutes(app, page)
  authRoutes(app, { context, demo: deps.demo, oidcEnabled: deps.config.oidc !== undefined })
  peopleRoutes(app, { context })
  programmeRoutes(app, { context })
  cohortAdminRoutes(app, { context })
  applicationRoutes(app, { context, searchGuard })
  headteacherConfirmationRoutes(app, { context })
  selectionRoutes(app, { context })
  reviewRoutes(app, { context })
  selectionExportRoutes(app, { context })
  schoolApplicationRoutes(app, { context })
  eventRoutes(app, { context })
  attendanceRoutes(app, { context })
  myProgrammeRoutes(app, { context })
  releaseTimeRoutes(app, { context })
  rosterRoutes(app, { context })
  participationRoutes(app, { context })
  workGroupRoutes(app, { context })
  workGroupAllocationRoutes(app, { context })
  workGroupSessionRoutes(app, { context })
  schoolJourneyRoutes(app, { context })
  workGroupSchoolRoutes(app, { context })
  evaluationRoutes(app, { context })
  if (deps.config.oidc) {
    oidcRoutes(app, {
      context,
      oidc: createOidcSignIn(
        { ...deps.config.oidc, redirectUri: new URL('/sign-in/oidc/callback', deps.config.baseUrl).href },
        { allowHttp: isLoopbackUrl(deps.config.oidc.issuer) },
      ),
    })
  }
  if (demoTime) demoTimeRoutes(app, { context, control: demoTime })
  if (deps.demo) {
    app.get('/demo/emails', async (_request, reply) =>
      reply.view('demo-emails.njk', {
        pageTitle: 'Emails the demo would have sent',
        emails: await listOutbox(deps.database.db, { limit: 50 }),
      }),
    )
  }
  return app
}
