// API v1: schools' interest in Work Groups, with a bearer API token, by the same use-cases and access
// as the pages. A school's interests (its contacts and NCETM) and a hub's (its team and NCETM), one
// interest with its leaders' support, advocates, history and, for those who decide, the groups that
// take schools; registering interest, naming and changing Mastery Advocates and withdrawing (the
// school's contacts); the hub's decision: accept into a group, keep on the waiting list or decline
// (the hub's lead and administrators, NCETM's national administrators). Refusals are 422 with the
// reasons and change nothing; anything the token's person may not see is "not found".
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { URN_RANGE } from '../../domain/schools/school-queries.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { decideInterest } from '../../domain/work-groups/schools/decide-interest.ts'
import { expressInterest } from '../../domain/work-groups/schools/express-interest.ts'
import { changeAdvocate, nameAdvocate } from '../../domain/work-groups/schools/name-advocates.ts'
import { SUPPORT_ROLES } from '../../domain/work-groups/schools/schools.input.ts'
import type {
  InterestHistoryRow,
  InterestRecord,
} from '../../domain/work-groups/schools/schools.repository.ts'
import {
  viewHubInterests,
  viewInterest,
  viewSchoolWorkGroups,
} from '../../domain/work-groups/schools/view-school-work-groups.ts'
import { withdrawInterest } from '../../domain/work-groups/schools/withdraw-interest.ts'
import { recordIdText, wholeNumberText } from '../../lib/whole-number.ts'
import { bearer, requireApiToken } from './authenticate.ts'
import { errorBody } from './presenters.ts'

const TAGS = ['work-groups']
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/
const urnParam = z.object({ urn: wholeNumberText('URN', URN_RANGE).describe('The school’s URN') })
const hubParam = z.object({
  id: z
    .string()
    .regex(SLUG, 'Hub id must be lower-case words joined by hyphens, like northvale-maths-hub')
    .max(100, 'Hub id must be a hub id, like northvale-maths-hub')
    .describe('The hub’s id'),
})
const interestParam = z.object({ id: recordIdText('Interest id').describe('The interest’s id') })
const hubQuery = z.object({
  programmeId: z
    .string()
    .regex(SLUG, 'Programme id must be a Work Group programme’s id, like readiness')
    .max(100, 'Programme id must be a Work Group programme’s id, like readiness')
    .optional()
    .describe('Only this Work Group programme, like readiness'),
  academicYear: z
    .string()
    .regex(/^\d{4}\/\d{2}$/, 'Academic year must be like 2026/27')
    .optional()
    .describe('Only this academic year, like 2026/27'),
})
const errors = { 401: errorBody, 404: errorBody, 422: errorBody }
const text = (what: string) => z.string({ error: `Enter ${what} as text` })

const STATUSES = ['awaiting-support', 'ready', 'accepted', 'waiting', 'declined', 'withdrawn'] as const

const interestJson = z.object({
  id: z.number().int(),
  schoolUrn: z.number().int(),
  schoolName: z.string(),
  hubId: z.string(),
  hubName: z.string(),
  programmeId: z.string(),
  programmeName: z.string(),
  academicYear: z.string().describe('Like 2026/27'),
  status: z.enum(STATUSES),
  workGroupId: z.number().int().nullable().describe('The group the school is in, while accepted'),
  workGroupName: z.string().nullable(),
  waitingPosition: z.number().int().nullable().describe('While on the waiting list: 1 is next'),
  statement: z.string().nullable().describe('Why the school is interested, in its own words'),
  createdAt: z.string().describe('ISO 8601 instant'),
  decidedAt: z.string().nullable().describe('When the hub last decided, as an ISO 8601 instant'),
  support: z
    .array(
      z.object({
        role: z.enum(SUPPORT_ROLES),
        name: z.string().nullable().describe('Who was asked; null if no one has been'),
        state: z
          .enum(['not-asked', 'waiting', 'expired', 'supported', 'not-supported'])
          .describe('waiting: the emailed link is open; expired: it was not answered in time'),
        askedAt: z.string().nullable(),
        expiresAt: z.string().nullable(),
        answeredAt: z.string().nullable(),
      }),
    )
    .describe(
      'The newest request to the head of maths and to a senior leader: both supported makes it ready',
    ),
  advocates: z
    .array(
      z.object({
        id: z.number().int(),
        slot: z.number().int().describe('1 or 2: a school has two Mastery Advocates at a time'),
        name: z.string(),
        email: z.string(),
        role: z.string(),
        fromDate: z.string().describe('YYYY-MM-DD'),
        toDate: z.string().nullable().describe('YYYY-MM-DD, when replaced; null for a current advocate'),
        changeReason: z.string().nullable(),
      }),
    )
    .describe('Current advocates by slot, then past ones, newest first'),
})

const interestViewJson = interestJson.extend({
  history: z.array(
    z.object({
      event: z.string().describe('register, supported, accept, wait, close-up, decline, withdraw, allocated'),
      fromStatus: z.enum(STATUSES).nullable(),
      toStatus: z.enum(STATUSES),
      workGroupName: z.string().nullable(),
      waitingPosition: z.number().int().nullable(),
      by: z.string().nullable().describe('Who made the change; null for the service or a leader’s link'),
      at: z.string(),
    }),
  ),
  groups: z
    .array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        state: z.enum(['recruiting', 'running']),
        capacity: z.number().int(),
        placesLeft: z.number().int(),
      }),
    )
    .describe('For those who decide: the groups of this hub, programme and year that take schools'),
})

function presentInterest(i: InterestRecord, now: Date): z.infer<typeof interestJson> {
  return {
    id: i.id,
    schoolUrn: i.schoolUrn,
    schoolName: i.schoolName,
    hubId: i.hubId,
    hubName: i.hubName,
    programmeId: i.programmeId,
    programmeName: i.programmeName,
    academicYear: i.academicYear,
    status: i.status,
    workGroupId: i.workGroupId,
    workGroupName: i.workGroupName,
    waitingPosition: i.waitingPosition,
    statement: i.statement,
    createdAt: i.createdAt.toISOString(),
    decidedAt: i.decidedAt?.toISOString() ?? null,
    support: SUPPORT_ROLES.map((role) => {
      const r = i.support.find((s) => s.role === role)
      const state = !r
        ? 'not-asked'
        : r.answer
          ? r.answer
          : r.expiresAt.getTime() <= now.getTime()
            ? 'expired'
            : 'waiting'
      return {
        role,
        name: r?.name ?? null,
        state,
        askedAt: r?.createdAt.toISOString() ?? null,
        expiresAt: r?.expiresAt.toISOString() ?? null,
        answeredAt: r?.answeredAt?.toISOString() ?? null,
      }
    }),
    advocates: i.advocates.map((a) => ({
      id: a.id,
      slot: a.slot,
      name: a.name,
      email: a.email,
      role: a.role,
      fromDate: a.fromDate,
      toDate: a.toDate,
      changeReason: a.changeReason,
    })),
  }
}

function presentHistory(h: InterestHistoryRow) {
  return {
    event: h.event,
    fromStatus: h.fromStatus,
    toStatus: h.toStatus,
    workGroupName: h.workGroupName,
    waitingPosition: h.waitingPosition,
    by: h.actorName,
    at: h.at.toISOString(),
  }
}

const supporter = (who: string) =>
  z.object(
    { name: text(`the ${who}’s full name`), email: text(`the ${who}’s email address`) },
    { error: `Enter the ${who}’s full name and email address` },
  )
const interestBody = z.object({
  programmeId: text('the programme').describe('A Work Group programme’s id, like readiness'),
  academicYear: text('the academic year').describe('This academic year or the next, like 2026/27'),
  hubId: text('the hub')
    .optional()
    .describe('The hub serving the school’s area (the only one it may register with); that hub if not given'),
  statement: text('why the school is interested').optional(),
  headOfMaths: supporter('head of maths').describe('Emailed a single-use link to support the interest'),
  seniorLeader: supporter('senior leader').describe('Emailed a single-use link to support the interest'),
})
const advocateBody = z.object({
  name: text('the advocate’s full name'),
  email: text('the advocate’s email address'),
  role: text('the advocate’s role in school').describe('Like Year 4 teacher'),
})
const changeBody = advocateBody.extend({
  slot: z.number({ error: 'Enter which advocate is changing as 1 or 2' }).describe('1 or 2'),
  fromDate: text('the date the new advocate starts').describe('YYYY-MM-DD, on or after the old one started'),
  reason: text('why the advocate is changing'),
})
const decisionBody = z.object({
  decision: text('the decision').describe('accept (with workGroupId), wait or decline'),
  workGroupId: z
    .number({ error: 'Enter the group’s id as a number' })
    .optional()
    .describe(
      'For accept: a group of the hub, programme and year that is recruiting or running, with a place left',
    ),
})

export function workGroupSchoolsApi(
  app: FastifyInstance,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/api/v1/schools/:urn/work-group-interests',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'A school’s interests in Work Groups, newest year first (its contacts and NCETM)',
        security: bearer,
        params: urnParam,
        response: {
          200: z.object({
            school: z.object({ urn: z.number().int(), name: z.string(), hubName: z.string().nullable() }),
            items: z.array(interestJson),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const context = deps.context(request)
      const view = await viewSchoolWorkGroups(context, request.params.urn)
      const now = context.clock.now()
      return { school: view.school, items: view.interests.map((i) => presentInterest(i, now)) }
    },
  )

  api.post(
    '/api/v1/schools/:urn/work-group-interests',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Register a school’s interest in a Work Group programme for a year (its contacts): refused if the school is not eligible, not in the hub’s area, already registered, or has taken a once-only programme before',
        security: bearer,
        params: urnParam,
        body: interestBody,
        response: { 201: interestJson, ...errors },
      },
    },
    async (request, reply) => {
      const context = deps.context(request)
      const interest = await expressInterest(context, request.params.urn, request.body)
      return reply
        .code(201)
        .header('location', `/api/v1/work-group-interests/${interest.id}`)
        .send(presentInterest(interest, context.clock.now()))
    },
  )

  api.get(
    '/api/v1/hubs/:id/work-group-interests',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'A hub’s schools interested in Work Groups, by year, programme, status and waiting position (its team and NCETM)',
        security: bearer,
        params: hubParam,
        querystring: hubQuery,
        response: { 200: z.object({ items: z.array(interestJson) }), ...errors },
      },
    },
    async (request) => {
      const context = deps.context(request)
      const view = await viewHubInterests(context, request.params.id, {
        programmeId: request.query.programmeId,
        academicYear: request.query.academicYear,
      })
      const now = context.clock.now()
      return { items: view.interests.map((i) => presentInterest(i, now)) }
    },
  )

  api.get(
    '/api/v1/work-group-interests/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'One interest with its leaders’ support, advocates and history (the school, the hub’s team, NCETM)',
        security: bearer,
        params: interestParam,
        response: { 200: interestViewJson, ...errors },
      },
    },
    async (request) => {
      const context = deps.context(request)
      const view = await viewInterest(context, request.params.id)
      return {
        ...presentInterest(view.interest, context.clock.now()),
        history: view.history.map(presentHistory),
        groups: view.groups.map((g) => ({
          id: g.id,
          name: g.name,
          state: g.state as 'recruiting' | 'running',
          capacity: g.capacity,
          placesLeft: Math.max(g.capacity - g.accepted, 0),
        })),
      }
    },
  )

  api.post(
    '/api/v1/work-group-interests/:id/advocates',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Name one of the school’s two Mastery Advocates, from today (its contacts); a third is refused: change one instead',
        security: bearer,
        params: interestParam,
        body: advocateBody,
        response: { 200: interestJson, ...errors },
      },
    },
    async (request) => {
      const context = deps.context(request)
      return presentInterest(
        await nameAdvocate(context, request.params.id, request.body),
        context.clock.now(),
      )
    },
  )

  api.post(
    '/api/v1/work-group-interests/:id/advocates/change',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Change an advocate: the old one’s period ends on the date the new one starts, in the same slot, with the reason (its contacts)',
        security: bearer,
        params: interestParam,
        body: changeBody,
        response: { 200: interestJson, ...errors },
      },
    },
    async (request) => {
      const context = deps.context(request)
      return presentInterest(
        await changeAdvocate(context, request.params.id, request.body),
        context.clock.now(),
      )
    },
  )

  api.post(
    '/api/v1/work-group-interests/:id/decision',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'The hub’s decision on a ready (or waiting) school: accept into a group with a place left, keep on the waiting list, or decline; the school is emailed',
        security: bearer,
        params: interestParam,
        body: decisionBody,
        response: { 200: interestJson, ...errors },
      },
    },
    async (request) => {
      const context = deps.context(request)
      return presentInterest(
        await decideInterest(context, request.params.id, request.body),
        context.clock.now(),
      )
    },
  )

  api.post(
    '/api/v1/work-group-interests/:id/withdraw',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Withdraw the school’s interest (its contacts): from a group that has not finished, the waiting list (which closes up) or the hub’s list; a declined or withdrawn one is refused',
        security: bearer,
        params: interestParam,
        response: { 200: interestJson, ...errors },
      },
    },
    async (request) => {
      const context = deps.context(request)
      return presentInterest(await withdrawInterest(context, request.params.id), context.clock.now())
    },
  )
}
