// API v1 for hub and national systems, with a bearer API token: who am I, hub teams, people,
// a school's people, and the audit trail. The same use-cases as the pages decide access.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ROLE_NAMES, ROLES } from '../../domain/access/actor.ts'
import { AUDIT_PAGE_SIZE, searchAuditTrail } from '../../domain/audit/search-audit-trail.ts'
import { pagedJson, pagingParams, presentPage } from '../../lib/paging.ts'
import { editPerson, editPersonInput } from '../../domain/people/edit-person.ts'
import { grantRole } from '../../domain/people/grant-role.ts'
import { liveGrantsOf } from '../../domain/people/people.repository.ts'
import { revokeGrant } from '../../domain/people/revoke-grant.ts'
import type { GrantDetail, TeamMember } from '../../domain/people/people.repository.ts'
import {
  PEOPLE_PAGE_SIZE,
  viewHubTeam,
  viewPerson,
  viewSchoolStaff,
} from '../../domain/people/view-people.ts'
import { erasePerson } from '../../domain/privacy/erase-person.ts'
import { exportPersonalData } from '../../domain/privacy/export-personal-data.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { URN_RANGE } from '../../domain/schools/school-queries.ts'
import { recordIdText, wholeNumberText } from '../../lib/whole-number.ts'
import { errorBody } from './presenters.ts'
import { bearer, requireApiToken } from './authenticate.ts'

const grantJson = z.object({
  id: z.number().int(),
  role: z.enum(ROLES as [string, ...string[]]),
  roleName: z.string(),
  hubId: z.string().nullable(),
  schoolUrn: z.number().int().nullable(),
})

const personJson = z.object({
  id: z.number().int(),
  name: z.string(),
  email: z.string(),
  grants: z.array(grantJson),
})

const personIdParams = z.object({
  id: recordIdText('Person id'),
})

const items = z.array(z.record(z.string(), z.unknown()))

/** A person's development years in the subject access export: one entry per place on a programme. */
const developmentYearsJson = z
  .object({
    participations: z.array(
      z.object({
        cohortId: z.string(),
        applicationReference: z.string().nullable(),
        stages: items.describe(
          'Each stage with its dates, and the reason given for deferring or withdrawing',
        ),
        stageChanges: items,
        bookings: z
          .array(
            z.object({
              event: z.object({ title: z.string(), kind: z.string(), status: z.string() }),
              venue: z.string(),
              status: z.string(),
              accessNeeds: z.string().nullable(),
              dietaryNeeds: z.string().nullable(),
              needsKeptUntil: z.string().nullable().describe('YYYY-MM-DD: needs are deleted after this date'),
              needsDeletedAt: z.string().nullable(),
              bookedAt: z.string(),
              cancelledAt: z.string().nullable(),
              cancelReason: z.string().nullable(),
              attendance: items,
            }),
          )
          .describe('Places and waiting places at events, with access and dietary needs and attendance'),
        supportVisits: items,
        releaseTime: z.object({ entries: items, extraDays: items }),
        taskSubmissions: items.describe(
          'Evidence handed in: its text or link, or the file’s name and type (not its contents), and the feedback',
        ),
      }),
    ),
    accreditation: z.object({
      requirementsMet: items,
      pdLead: z.record(z.string(), z.unknown()).nullable(),
    }),
    calendarFeed: z
      .object({ held: z.boolean(), createdAt: z.string().nullable() })
      .describe('Whether the person has a private calendar feed; never its secret'),
  })
  .describe('Stages, bookings and needs, attendance, release time, tasks, PD Lead accreditation')

/** The subject access export: the same document the pages download. */
const personalDataJson = z
  .object({
    format: z.literal('masteryhub-personal-data'),
    version: z.literal(1),
    generatedAt: z.string().describe('ISO 8601 instant'),
    about: z.array(z.string()),
    person: z.record(z.string(), z.unknown()),
    roles: items,
    signIns: z.object({ sessions: items, signInLinks: items }),
    apiTokens: items,
    applications: items.describe(
      'With evidence, endorsement requests and history; reviews, scores and the decision once released',
    ),
    places: items,
    developmentYears: developmentYearsJson,
    asHeadteacher: z.object({ endorsementRequests: items, applications: items }),
    reviewsWritten: items,
    emails: items,
    interestNotices: items,
    auditTrail: items,
    withheld: z.array(z.string()).describe('What is held but not included yet, and why'),
  })
  .describe('Everything the service holds about one person; times are ISO 8601 instants in UTC')

function presentGrant(
  g: GrantDetail | { id: number; role: GrantDetail['role']; hubId: string | null; schoolUrn: number | null },
) {
  return { id: g.id, role: g.role, roleName: ROLE_NAMES[g.role], hubId: g.hubId, schoolUrn: g.schoolUrn }
}

function presentPerson(p: TeamMember) {
  return { id: p.id, name: p.name, email: p.email, grants: p.grants.map(presentGrant) }
}

export function peopleApi(
  app: FastifyInstance,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/api/v1/me',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['people'],
        summary: 'The person and role an API token acts as',
        security: bearer,
        response: { 200: personJson, 401: errorBody },
      },
    },
    async (request) => {
      const actor = request.actor
      if (actor.kind !== 'person') throw new Error('unreachable')
      return {
        id: actor.personId,
        name: actor.name,
        email: actor.email,
        grants: actor.grants.map(presentGrant),
      }
    },
  )

  api.get(
    '/api/v1/hubs/:id/team',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['people'],
        summary: 'A hub’s team (hub leads and administrators of that hub, and NCETM)',
        security: bearer,
        params: z.object({ id: z.string().max(100) }),
        querystring: z.object(pagingParams(PEOPLE_PAGE_SIZE, 200)),
        response: { 200: pagedJson(personJson), 401: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const { page, pageSize } = request.query
      const team = await viewHubTeam(deps.context(request), request.params.id, { page, pageSize })
      return presentPage(
        team.members,
        `/api/v1/hubs/${encodeURIComponent(request.params.id)}/team`,
        {},
        presentPerson,
      )
    },
  )

  api.post(
    '/api/v1/hubs/:id/team',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['people'],
        summary: 'Give someone a role in a hub’s team (hub leads: administrators and reviewers)',
        description:
          'name and workplaceUrn are used only for a person new to the service: an existing person’s profile is never changed by a grant (change it with PATCH /api/v1/people/{id}).',
        security: bearer,
        params: z.object({ id: z.string().max(100) }),
        body: z.object({
          email: z.string().max(254),
          name: z.string().max(100).optional(),
          role: z.enum(['hub-lead', 'hub-admin', 'reviewer'], {
            message: 'Role must be hub-lead, hub-admin or reviewer',
          }),
          workplaceUrn: z
            .number({ message: 'workplaceUrn must be the URN of a school in the register, like 123456' })
            .int('workplaceUrn must be the URN of a school in the register, like 123456')
            .optional()
            .describe(
              'The URN of the school where they work, so they never review their own school or trust',
            ),
        }),
        response: {
          201: z.object({ grantId: z.number().int(), personId: z.number().int() }),
          401: errorBody,
          404: errorBody,
          422: errorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await grantRole(deps.context(request), { ...request.body, hubId: request.params.id })
      return reply.code(201).send(result)
    },
  )

  api.delete(
    '/api/v1/grants/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['people'],
        summary: 'Take a role away',
        security: bearer,
        params: z.object({
          id: recordIdText('Grant id'),
        }),
        response: { 204: z.null(), 401: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      await revokeGrant(deps.context(request), request.params.id)
      return reply.code(204).send(null)
    },
  )

  api.get(
    '/api/v1/people/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['people'],
        summary: 'A person and their roles',
        security: bearer,
        params: z.object({
          id: recordIdText('Person id'),
        }),
        response: { 200: personJson, 401: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) => presentPerson(await viewPerson(deps.context(request), request.params.id)),
  )

  api.patch(
    '/api/v1/people/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['people'],
        summary:
          'Change a person’s name, workplace or TRN (themself, national administrators, and a hub lead for people whose every role is in that hub)',
        description:
          'Only the fields sent change; null clears workplaceUrn or trn. The email address cannot be changed. Audited.',
        security: bearer,
        params: personIdParams,
        body: editPersonInput,
        response: {
          200: personJson.extend({ workplaceUrn: z.number().int().nullable(), trn: z.string().nullable() }),
          401: errorBody,
          404: errorBody,
          422: errorBody,
        },
      },
    },
    async (request) => {
      const context = deps.context(request)
      const person = await editPerson(context, request.params.id, request.body)
      return {
        id: person.id,
        name: person.name,
        email: person.email,
        trn: person.trn,
        workplaceUrn: person.workplaceUrn,
        grants: (await liveGrantsOf(context.db, person.id)).map(presentGrant),
      }
    },
  )

  api.get(
    '/api/v1/people/:id/subject-access',
    {
      // No HEAD: it would build the document and audit an export nobody received.
      exposeHeadRoute: false,
      onRequest: requireApiToken,
      schema: {
        tags: ['people'],
        summary: 'Everything held about a person, for a subject access request (national administrators)',
        security: bearer,
        params: personIdParams,
        response: { 200: personalDataJson, 401: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const file = await exportPersonalData(deps.context(request), request.params.id)
      reply.header('cache-control', 'no-store')
      return JSON.parse(file.body) as z.infer<typeof personalDataJson>
    },
  )

  api.post(
    '/api/v1/people/:id/erasure',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['people'],
        summary:
          'Erase a person’s personal data: anonymised, signed out for good, history kept (national administrators)',
        description:
          'Refused (422) for yourself and for the last national administrator. Erasing an erased person changes nothing.',
        security: bearer,
        params: personIdParams,
        body: z.object({
          confirm: z.literal(true, { error: 'Send confirm: true to erase this person’s personal data' }),
        }),
        response: {
          200: z.object({
            personId: z.number().int(),
            outcome: z.enum(['erased', 'already-erased']),
            erasedAt: z.string().describe('ISO 8601 instant'),
          }),
          401: errorBody,
          404: errorBody,
          422: errorBody,
        },
      },
    },
    async (request) => {
      const result = await erasePerson(deps.context(request), request.params.id, request.body)
      return { personId: request.params.id, outcome: result.outcome, erasedAt: result.erasedAt.toISOString() }
    },
  )

  api.get(
    '/api/v1/schools/:urn/people',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['people'],
        summary: 'The people with roles at a school',
        security: bearer,
        params: z.object({ urn: wholeNumberText('URN', URN_RANGE) }),
        querystring: z.object(pagingParams(PEOPLE_PAGE_SIZE, 200)),
        response: {
          200: pagedJson(personJson),
          401: errorBody,
          404: errorBody,
          422: errorBody,
        },
      },
    },
    async (request) => {
      const { page, pageSize } = request.query
      const { staff } = await viewSchoolStaff(deps.context(request), request.params.urn, { page, pageSize })
      return presentPage(staff, `/api/v1/schools/${request.params.urn}/people`, {}, presentPerson)
    },
  )

  api.get(
    '/api/v1/audit',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['people'],
        summary: 'Search the audit trail (national administrators)',
        security: bearer,
        querystring: z.object({
          person: z.string().max(254).optional(),
          recordType: z.string().max(50).optional(),
          recordId: z.string().max(100).optional(),
          from: z.string().max(10).optional(),
          to: z.string().max(10).optional(),
          ...pagingParams(AUDIT_PAGE_SIZE, 200),
        }),
        response: {
          200: pagedJson(
            z.object({
              id: z.number().int(),
              occurredAt: z.string().describe('ISO 8601 instant'),
              actorName: z.string().nullable(),
              actorKind: z.string(),
              action: z.string(),
              recordType: z.string(),
              recordId: z.string(),
              before: z
                .unknown()
                .describe('The record as it was before the change, as a JSON object; null when none'),
              after: z
                .unknown()
                .describe('The record as it was after the change, as a JSON object; null when none'),
              requestId: z.string().nullable(),
            }),
          ),
          401: errorBody,
          404: errorBody,
          422: errorBody,
        },
      },
    },
    async (request) => {
      const { person, recordType, recordId, from, to } = request.query
      const events = await searchAuditTrail(deps.context(request), request.query)
      return presentPage(events, '/api/v1/audit', { person, recordType, recordId, from, to }, (e) => ({
        ...e,
        occurredAt: e.occurredAt.toISOString(),
      }))
    },
  )
}
