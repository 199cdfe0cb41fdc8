// API v1: the school register, the hubs, and "find your hub". Public, read-only.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Database } from '../../db/database.ts'
import { findHubFor } from '../../domain/hubs/find-hub.ts'
import { findHub, listHubs } from '../../domain/hubs/hubs.repository.ts'
import {
  findHubQuery,
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
  hubSummaryJson,
  presentFindHub,
  presentHub,
  presentHubSummary,
  presentSchool,
  presentSchoolSummary,
  schoolJson,
  schoolPageJson,
} from './presenters.ts'
import { z } from 'zod'

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
        response: { 200: schoolPageJson, 422: errorBody, 429: errorBody },
      },
      preHandler: searchGuard,
    },
    async (request) => {
      const search = toSchoolSearch(request.query)
      const { total, items } = await searchSchools(db, search)
      return {
        total,
        page: search.page,
        pageSize: search.pageSize,
        totalPages: Math.ceil(total / search.pageSize),
        items: items.map(presentSchoolSummary),
      }
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
        summary: 'Every Maths Hub',
        response: { 200: z.object({ items: z.array(hubSummaryJson) }) },
      },
    },
    async () => ({ items: (await listHubs(db)).map(presentHubSummary) }),
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
        querystring: findHubQuery,
        response: { 200: findHubJson, 422: errorBody, 429: errorBody },
      },
      preHandler: searchGuard,
    },
    async (request) => presentFindHub(await findHubFor(db, request.query.q)),
  )
}
