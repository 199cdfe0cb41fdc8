// API v1: applications to a cohort, with a bearer API token. A teacher starts, saves, sends to their
// headteacher, submits and withdraws their own; a hub's team and NCETM read those submitted to them.
// The same use-cases as the pages decide access: an application the token's person may not see is
// "not found".
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  applicationChanges,
  headteacherDetails,
  idempotencyKey,
} from '../../domain/applications/application-input.ts'
import { APPLICATION_STATES } from '../../domain/applications/application.states.ts'
import { requestEndorsement } from '../../domain/applications/request-endorsement.ts'
import {
  routeApplication,
  routeInput,
  viewRoutingQueue,
  ROUTING_PAGE_SIZE,
} from '../../domain/applications/route-application.ts'
import { saveApplication } from '../../domain/applications/save-application.ts'
import { startApplication } from '../../domain/applications/start-application.ts'
import { submitApplication } from '../../domain/applications/submit-application.ts'
import {
  APPLICATIONS_PAGE_SIZE,
  listVisibleApplications,
  viewApplication,
} from '../../domain/applications/view-applications.ts'
import { withdrawApplication } from '../../domain/applications/withdraw-application.ts'
import { releasedOutcomes } from '../../domain/selection/offers/offers-outcomes.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { pagingParams, presentPage } from '../../lib/paging.ts'
import { recordIdText } from '../../lib/whole-number.ts'
import { parseNestedInput } from '../../errors.ts'
import {
  applicationJson,
  applicationListJson,
  applicationPath,
  presentApplication,
  routingQueueJson,
} from './applications.presenters.ts'
import { errorBody } from './presenters.ts'
import { bearer, requireApiToken } from './authenticate.ts'

const TAGS = ['applications']
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/

const idParam = z.object({
  id: recordIdText('Application id').describe('The application’s id'),
})

const listQuery = z.object({
  cohort: z
    .string()
    .regex(SLUG, 'Cohort must be a cohort id, like primary-mastery-specialist-13')
    .max(120, 'Cohort must be a cohort id, like primary-mastery-specialist-13')
    .optional()
    .describe('Only applications to this cohort'),
  hub: z
    .string()
    .regex(SLUG, 'Hub must be a hub id, like northvale-maths-hub')
    .max(100, 'Hub must be a hub id, like northvale-maths-hub')
    .optional()
    .describe('Only applications from schools this hub serves'),
  state: z
    .enum(APPLICATION_STATES, { error: `State must be one of ${APPLICATION_STATES.join(', ')}` })
    .optional()
    .describe('Only applications in this state'),
  ...pagingParams(APPLICATIONS_PAGE_SIZE, 200),
})

const startBody = z.object({
  cohortId: z
    .string({ error: 'Enter a cohort id, like primary-mastery-specialist-13' })
    .describe('The cohort to apply to, like primary-mastery-specialist-13'),
})

const submitHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .optional()
    .describe(
      'Required: a unique value for this submission, like a UUID. A retry with the same key is answered as the first was',
    ),
})

const errors = { 401: errorBody, 404: errorBody, 422: errorBody }

export function applicationsApi(
  app: FastifyInstance,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/api/v1/applications',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'The applications you may read: a teacher their own; a hub’s team those submitted to its hubs; NCETM every submitted one',
        security: bearer,
        querystring: listQuery,
        response: { 200: applicationListJson, 401: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const { cohort, hub, state, page, pageSize } = request.query
      const found = await listVisibleApplications(
        deps.context(request),
        { cohortId: cohort, hubId: hub, state },
        { page, pageSize },
      )
      const context = deps.context(request)
      const outcomes = await releasedOutcomes(
        context.db,
        found.items.map((a) => a.id),
        context.clock.now(),
      )
      return presentPage(found, '/api/v1/applications', { cohort, hub, state }, (a) =>
        presentApplication(a, outcomes.get(a.id) ?? null),
      )
    },
  )

  api.post(
    '/api/v1/applications',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Start an application to an open cohort. One live application per teacher per cohort: a second answers 409 with the first’s Location',
        security: bearer,
        body: startBody,
        response: { 201: applicationJson, 409: errorBody, ...errors },
      },
    },
    async (request, reply) => {
      const { application, created } = await startApplication(deps.context(request), request.body.cohortId)
      if (!created) {
        return reply
          .code(409)
          .header('location', applicationPath(application.id))
          .send({
            errors: [
              {
                code: 'already-applied',
                field: 'cohortId',
                message: `You have already started an application to this cohort: ${application.reference}`,
              },
            ],
          })
      }
      return reply
        .code(201)
        .header('location', applicationPath(application.id))
        .send(presentApplication(application))
    },
  )

  api.get(
    '/api/v1/applications/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'One application: its state, answers and headteacher',
        security: bearer,
        params: idParam,
        response: { 200: applicationJson, ...errors },
      },
    },
    async (request) => {
      const context = deps.context(request)
      const { application } = await viewApplication(context, request.params.id)
      const outcome = (await releasedOutcomes(context.db, [application.id], context.clock.now())).get(
        application.id,
      )
      return presentApplication(application, outcome ?? null)
    },
  )

  api.patch(
    '/api/v1/applications/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Save any of the school, teaching details and evidence while the window is open. A different school voids an endorsement',
        security: bearer,
        params: idParam,
        body: applicationChanges,
        response: { 200: applicationJson, ...errors },
      },
    },
    async (request) =>
      presentApplication(await saveApplication(deps.context(request), request.params.id, request.body)),
  )

  api.post(
    '/api/v1/applications/:id/headteacher',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Ask the headteacher to endorse the application: they are emailed a single-use link, valid for 14 days. Where the service knows the school’s headteacher (a school contact), the request goes to them whatever name and email are sent; otherwise the hub sees the headteacher as not verified. Limited per account and per client address: 429 with Retry-After',
        security: bearer,
        params: idParam,
        // Not needed where the service knows the school's headteacher: the request goes to them.
        body: headteacherDetails.partial(),
        response: { 200: applicationJson, ...errors },
      },
    },
    async (request) =>
      presentApplication(
        await requestEndorsement(deps.context(request), request.params.id, request.body, { ip: request.ip }),
      ),
  )

  api.post(
    '/api/v1/applications/:id/submit',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Submit the endorsed, complete application before the window closes. Needs an Idempotency-Key header: a retry with the same key answers 200 with Idempotency-Replayed: true; another key answers 409',
        security: bearer,
        params: idParam,
        headers: submitHeaders,
        response: { 200: applicationJson, 409: errorBody, ...errors },
      },
    },
    async (request, reply) => {
      // The use-case lets pages submit without a key; the API always asks for one.
      const key = parseNestedInput(idempotencyKey, request.headers['idempotency-key'], 'Idempotency-Key')
      const { application, replayed } = await submitApplication(deps.context(request), request.params.id, {
        idempotencyKey: key,
      })
      if (replayed) reply.header('idempotency-replayed', 'true')
      return presentApplication(application)
    },
  )

  api.post(
    '/api/v1/applications/:id/withdraw',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'Withdraw the application, at any point before decisions are released',
        security: bearer,
        params: idParam,
        response: { 200: applicationJson, ...errors },
      },
    },
    async (request) =>
      presentApplication(await withdrawApplication(deps.context(request), request.params.id)),
  )
  api.get(
    '/api/v1/routing-queue',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'NCETM: submitted applications no Maths Hub holds (their school had no hub), oldest first, each with the hub that serves the school now, if any',
        security: bearer,
        querystring: z.object(pagingParams(ROUTING_PAGE_SIZE, 200)),
        response: { 200: routingQueueJson, 401: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const { page, pageSize } = request.query
      const queue = await viewRoutingQueue(deps.context(request), { page, pageSize })
      return presentPage(queue, '/api/v1/routing-queue', {}, (q) => ({
        application: presentApplication(q.application),
        suggestedHub: q.suggestedHub,
      }))
    },
  )

  api.post(
    '/api/v1/applications/:id/hub',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'NCETM administrators: pass an application in the routing queue to a Maths Hub. Audited; the hub’s leads and the applicant are emailed',
        security: bearer,
        params: idParam,
        body: routeInput,
        response: { 200: applicationJson, ...errors },
      },
    },
    async (request) =>
      presentApplication(await routeApplication(deps.context(request), request.params.id, request.body)),
  )
}
