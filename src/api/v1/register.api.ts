// API v1: the school register, the hubs, and "find your hub". Public, read-only.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Database } from '../../db/database.ts'
import { findHubFor } from '../../domain/hubs/find-hub.ts'
import { findHub, listHubs } from '../../domain/hubs/hubs.repository.ts'
import {
  findHubApiQuery,
  hubIdParam,
  schoolSearchParams,
  toSchoolSearch,
  urnParam,
} from '../../domain/schools/school-queries.ts'
import { findSchool, linkedSchools, searchSchools } from '../../domain/schools/schools.repository.ts'
import {
  errorBody,
  findHubJson,
  hubJson,
  hubPageJson,
  presentFindHubResult,
  presentHub,
  presentHubSummary,
  presentSchool,
  presentSchoolSummary,
  schoolJson,
  schoolPageJson,
} from './presenters.ts'
import { z } from 'zod'
import { pageOfList, pagingParams, presentPage } from '../../lib/paging.ts'

function notFound(message: string) {
  return { errors: [{ code: 'not-found', message }] }
}

/** Counts one public search by the requesting client; throws RateLimitedError when over the limit. */
export type SearchGuard = (request: FastifyRequest) => Promise<void>

export function registerApi(app: FastifyInstance, { db }: Database, searchGuard: SearchGuard): void {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/api/v1/schools',
    {
      schema: {
        tags: ['schools'],
        summary: 'Search the school register',
        querystring: schoolSearchParams,
        response: { 200: schoolPageJson, 404: errorBody, 422: errorBody, 429: errorBody },
      },
      preHandler: searchGuard,
    },
    async (request) => {
      const { q, phase, la, hub, open } = request.query
      const found = await searchSchools(db, toSchoolSearch(request.query))
      return presentPage(found, '/api/v1/schools', { q, phase, la, hub, open }, presentSchoolSummary)
    },
  )

  api.get(
    '/api/v1/schools/:urn',
    {
      schema: {
        tags: ['schools'],
        summary: 'One school, with its hub and the schools it replaced or was replaced by',
        params: urnParam,
        response: { 200: schoolJson, 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const { urn } = request.params
      const [school, links] = await Promise.all([findSchool(db, urn), linkedSchools(db, urn)])
      if (!school) {
        const successor = links.successors.find((s) => s.inRegister)
        const hint = successor ? ` It was replaced by URN ${successor.urn}.` : ''
        return reply.code(404).send(notFound(`No school in the register has URN ${urn}.${hint}`))
      }
      return presentSchool(school, links)
    },
  )

  api.get(
    '/api/v1/hubs',
    {
      schema: {
        tags: ['hubs'],
        summary: 'Every Maths Hub, a page at a time',
        querystring: z.object(pagingParams(50, 100)),
        response: { 200: hubPageJson, 404: errorBody, 422: errorBody },
      },
    },
    async (request) =>
      presentPage(pageOfList(await listHubs(db), request.query), '/api/v1/hubs', {}, presentHubSummary),
  )

  api.get(
    '/api/v1/hubs/:id',
    {
      schema: {
        tags: ['hubs'],
        summary: 'One Maths Hub and the local authorities it serves',
        params: hubIdParam,
        response: { 200: hubJson, 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const hub = await findHub(db, request.params.id)
      if (!hub) return reply.code(404).send(notFound(`No hub has the id ${request.params.id}.`))
      return presentHub(hub)
    },
  )

  api.get(
    '/api/v1/find-hub',
    {
      schema: {
        tags: ['hubs'],
        summary: 'Find the Maths Hub for a school by name, URN or postcode',
        querystring: findHubApiQuery,
        response: { 200: findHubJson, 404: errorBody, 422: errorBody, 429: errorBody },
      },
      preHandler: searchGuard,
    },
    async (request) => {
      const { q, page, pageSize } = request.query
      const found = await findHubFor(db, q, { page, pageSize })
      return {
        ...presentPage(found, '/api/v1/find-hub', { q }, presentFindHubResult),
        suggestions: found.suggestions,
      }
    },
  )
}
