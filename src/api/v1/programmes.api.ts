// API v1: the programme catalogue, cohorts and their application windows, and whether a school
// can take part in a programme. Reading is public; setting up a cohort needs a national
// administrator's API token (anyone else is answered "not found").
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { closeCohort } from '../../domain/programmes/close-cohort.ts'
import {
  cohortInput,
  cohortPatchInput,
  createCohort,
  updateCohortDetails,
} from '../../domain/programmes/manage-cohorts.ts'
import {
  checkSchoolEligibility,
  cohortStatus,
  viewCohort,
  viewProgramme,
  viewProgrammes,
} from '../../domain/programmes/view-programmes.ts'
import { urnParam } from '../../domain/schools/school-queries.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import {
  cohortJson,
  eligibilityJson,
  presentCohort,
  presentEligibility,
  presentProgramme,
  programmeJson,
} from './programmes.presenters.ts'
import { errorBody } from './presenters.ts'
import { bearer, requireApiToken } from './authenticate.ts'

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/

const programmeIdParam = z.object({
  id: z
    .string()
    .regex(SLUG, 'Programme id must be lower-case words joined by hyphens, like primary-mastery-specialist')
    .max(100, 'Programme id must be 100 characters or fewer'),
})

const cohortIdParam = z.object({
  id: z
    .string()
    .regex(SLUG, 'Cohort id must be lower-case words joined by hyphens, like primary-mastery-specialist-11')
    .max(120, 'Cohort id must be 120 characters or fewer'),
})

const eligibilityQuery = z.object({
  urn: urnParam.shape.urn.describe('The school’s URN'),
  programme: z
    .string({ error: 'Enter a programme id, like primary-mastery-specialist' })
    .regex(SLUG, 'Programme must be a programme id, like primary-mastery-specialist')
    .max(100, 'Programme must be a programme id, like primary-mastery-specialist')
    .describe('The programme’s id'),
})

export function programmesApi(
  app: FastifyInstance,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/api/v1/programmes',
    {
      schema: {
        tags: ['programmes'],
        summary: 'Every programme Maths Hubs run, with its cohorts',
        response: { 200: z.object({ items: z.array(programmeJson) }) },
      },
    },
    async (request) => ({ items: (await viewProgrammes(deps.context(request))).map(presentProgramme) }),
  )

  api.get(
    '/api/v1/programmes/:id',
    {
      schema: {
        tags: ['programmes'],
        summary: 'One programme: who it is for, what each year involves, and its cohorts',
        params: programmeIdParam,
        response: { 200: programmeJson, 404: errorBody, 422: errorBody },
      },
    },
    async (request) => presentProgramme(await viewProgramme(deps.context(request), request.params.id)),
  )

  api.get(
    '/api/v1/cohorts/:id',
    {
      schema: {
        tags: ['programmes'],
        summary: 'One cohort: its application window and whether it is open now, criteria and funding',
        params: cohortIdParam,
        response: { 200: cohortJson, 404: errorBody, 422: errorBody },
      },
    },
    async (request) => presentCohort(await viewCohort(deps.context(request), request.params.id)),
  )

  api.post(
    '/api/v1/cohorts',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['programmes'],
        summary: 'Set up a cohort (national administrators): the window in UK date and time parts',
        security: bearer,
        body: cohortInput,
        response: { 201: cohortJson, 401: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const context = deps.context(request)
      const cohort = await createCohort(context, request.body)
      return reply
        .code(201)
        .header('location', `/api/v1/cohorts/${cohort.id}`)
        .send(presentCohort({ ...cohort, status: cohortStatus(cohort, context.clock.now()) }))
    },
  )

  api.patch(
    '/api/v1/cohorts/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['programmes'],
        summary:
          'Change a cohort (national administrators): each detail sent replaces the stored one, a list whole; the rest stay',
        security: bearer,
        params: cohortIdParam,
        body: cohortPatchInput,
        response: { 200: cohortJson, 401: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const context = deps.context(request)
      const cohort = await updateCohortDetails(context, request.params.id, request.body)
      return presentCohort({ ...cohort, status: cohortStatus(cohort, context.clock.now()) })
    },
  )

  api.post(
    '/api/v1/cohorts/:id/close',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['programmes'],
        summary:
          'Close a cohort early (national administrators): its application window ends now; refused once closed',
        security: bearer,
        params: cohortIdParam,
        response: { 200: cohortJson, 401: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const context = deps.context(request)
      const cohort = await closeCohort(context, request.params.id)
      return presentCohort({ ...cohort, status: cohortStatus(cohort, context.clock.now()) })
    },
  )

  api.get(
    '/api/v1/eligibility',
    {
      schema: {
        tags: ['programmes'],
        summary: 'Whether a school can take part in a programme, with the reasons',
        querystring: eligibilityQuery,
        response: { 200: eligibilityJson, 422: errorBody },
      },
    },
    async (request) => presentEligibility(await checkSchoolEligibility(deps.context(request), request.query)),
  )
}
