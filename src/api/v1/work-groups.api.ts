// API v1: Work Groups and their allocation, with a bearer API token, by the same use-cases and
// access as the pages. A hub's groups and one group (its team, NCETM, and a group's lead
// specialists for their own group); setting a group up and moving it through its states; proposing
// groups for a programme's interested schools (HiGHS's plan with its lower bound, gap and the
// greedy plan's travel), reading a proposal, moving a school in it and applying it. Refusals are
// 422 with the reasons; anything the token's person may not see is "not found".
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { createWorkGroup, moveWorkGroup } from '../../domain/work-groups/manage-work-groups.ts'
import { viewHubWorkGroups, viewWorkGroup } from '../../domain/work-groups/view-work-groups.ts'
import {
  applyAllocationPlan,
  moveSchoolInPlan,
  proposeAllocation,
} from '../../domain/work-groups/allocation-plans/plan-allocation.ts'
import {
  viewAllocationPlan,
  type PlanView,
} from '../../domain/work-groups/allocation-plans/view-allocation.ts'
import type { WorkGroupRecord } from '../../domain/work-groups/work-groups.repository.ts'
import { recordIdText } from '../../lib/whole-number.ts'
import { bearer, requireApiToken } from './authenticate.ts'
import { errorBody } from './presenters.ts'

const TAGS = ['work-groups']
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/
const hubParam = z.object({
  id: z
    .string()
    .regex(SLUG, 'Hub id must be lower-case words joined by hyphens, like northvale-maths-hub')
    .max(100, 'Hub id must be a hub id, like northvale-maths-hub')
    .describe('The hub’s id'),
})
const groupParam = z.object({ id: recordIdText('Work Group id').describe('The Work Group’s id') })
const planParam = z.object({ id: recordIdText('Plan id').describe('The proposal’s id') })
const errors = { 401: errorBody, 404: errorBody, 422: errorBody }
const text = (what: string) => z.string({ error: `Enter ${what} as text` })

const groupJson = z.object({
  id: z.number().int(),
  hubId: z.string(),
  programmeId: z.string(),
  programmeName: z.string(),
  academicYear: z.string().describe('Like 2026/27'),
  phase: z.enum(['primary', 'secondary', 'cross-phase']),
  name: z.string(),
  capacity: z.number().int().describe('The most schools the group takes'),
  meetingArea: z.string(),
  plannedSessions: z.number().int(),
  state: z.enum(['planning', 'recruiting', 'running', 'completed', 'cancelled']),
  leads: z.array(
    z.object({
      participationId: z.number().int(),
      name: z.string(),
      schoolUrn: z.number().int().nullable(),
    }),
  ),
})

function presentGroup(g: WorkGroupRecord): z.infer<typeof groupJson> {
  return {
    id: g.id,
    hubId: g.hubId,
    programmeId: g.programme.id,
    programmeName: g.programme.name,
    academicYear: g.academicYear,
    phase: g.phase,
    name: g.name,
    capacity: g.capacity,
    meetingArea: g.meetingArea,
    plannedSessions: g.plannedSessions,
    state: g.state,
    leads: g.leads.map((l) => ({ participationId: l.participationId, name: l.name, schoolUrn: l.schoolUrn })),
  }
}

const planJson = z.object({
  id: z.number().int(),
  hubId: z.string(),
  programmeId: z.string(),
  academicYear: z.string(),
  status: z.enum(['proposed', 'applied', 'discarded']),
  solverStatus: z.string().describe('optimal, gap-reached or time-limit: what HiGHS proved'),
  provenOptimal: z.boolean(),
  totalTravelMetres: z.number().int().describe('Straight lines from each school to where its group meets'),
  lowerBoundMetres: z.number().int().describe('HiGHS’s lower bound: no plan travels less'),
  gap: z.number().describe('(total − bound) ÷ total, as HiGHS reported it'),
  greedyTravelMetres: z
    .number()
    .int()
    .nullable()
    .describe('Each school to its nearest group, for comparison'),
  solveMs: z.number().int(),
  groups: z.array(
    z.object({
      workGroupId: z.number().int(),
      name: z.string(),
      capacity: z.number().int(),
      hostUrn: z.number().int(),
      hostName: z.string(),
      schools: z.array(
        z.object({
          urn: z.number().int(),
          name: z.string(),
          distanceMetres: z.number().int(),
          placed: z.boolean().describe('Already in the group before the plan'),
          moved: z.boolean().describe('Moved by the hub after the plan was proposed'),
        }),
      ),
    }),
  ),
  broken: z.array(z.string()).describe('Pairs to keep apart or together that the hub’s moves now break'),
})

function presentPlan(p: PlanView): z.infer<typeof planJson> {
  return {
    id: p.id,
    hubId: p.hubId,
    programmeId: p.programmeId,
    academicYear: p.academicYear,
    status: p.status,
    solverStatus: p.solverStatus,
    provenOptimal: p.provenOptimal,
    totalTravelMetres: p.totalTravelMetres,
    lowerBoundMetres: p.lowerBoundMetres,
    gap: p.gap,
    greedyTravelMetres: p.greedyTravelMetres,
    solveMs: p.solveMs,
    groups: p.groups.map((g) => ({
      workGroupId: g.workGroupId,
      name: g.name,
      capacity: g.capacity,
      hostUrn: g.hostUrn,
      hostName: g.hostName,
      schools: g.schools.map((s) => ({
        urn: s.urn,
        name: s.name,
        distanceMetres: s.distanceMetres,
        placed: s.placed,
        moved: s.moved,
      })),
    })),
    broken: p.broken,
  }
}

const groupBody = z.object({
  programmeId: text('the programme'),
  phase: text('the phase').describe('primary, secondary or cross-phase'),
  academicYear: text('the academic year').describe('Like 2026/27'),
  name: text('the name'),
  meetingArea: text('the meeting area'),
  capacity: z.number({ error: 'Enter the number of schools as a number' }).optional(),
  plannedSessions: z.number({ error: 'Enter the number of sessions as a number' }).optional(),
  leads: z
    .array(z.number({ error: 'Enter each lead as a participation id' }), {
      error: 'Enter one or two lead specialists’ participation ids',
    })
    .describe('One or two active Mastery Specialists’ participation ids'),
})
const stateBody = z.object({
  event: text('what to do').describe('open-recruitment, start, complete or cancel'),
})
const scopeBody = z.object({
  programmeId: text('the programme'),
  academicYear: text('the academic year').describe('Like 2026/27'),
})
const moveBody = z.object({
  urn: z.number({ error: 'Enter the school’s URN as a number' }),
  workGroupId: z.number({ error: 'Enter the group’s id as a number' }),
})

export function workGroupsApi(
  app: FastifyInstance,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/api/v1/hubs/:id/work-groups',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'A hub’s Work Groups, newest year first (its team and NCETM)',
        security: bearer,
        params: hubParam,
        response: { 200: z.object({ items: z.array(groupJson) }), ...errors },
      },
    },
    async (request) => {
      const view = await viewHubWorkGroups(deps.context(request), request.params.id)
      return { items: view.groups.map(presentGroup) }
    },
  )

  api.post(
    '/api/v1/hubs/:id/work-groups',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Set up a Work Group in planning (the hub’s lead and administrators, NCETM’s administrators); a name the hub already uses that year answers 409',
        security: bearer,
        params: hubParam,
        body: groupBody,
        response: { 201: groupJson, 409: errorBody, ...errors },
      },
    },
    async (request, reply) => {
      const group = await createWorkGroup(deps.context(request), request.params.id, request.body)
      return reply.code(201).header('location', `/api/v1/work-groups/${group.id}`).send(presentGroup(group))
    },
  )

  api.get(
    '/api/v1/work-groups/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'One Work Group (its hub’s team, NCETM, and its lead specialists)',
        security: bearer,
        params: groupParam,
        response: { 200: groupJson, ...errors },
      },
    },
    async (request) => presentGroup((await viewWorkGroup(deps.context(request), request.params.id)).group),
  )

  api.post(
    '/api/v1/work-groups/:id/state',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'Move a Work Group on: open recruitment, start, complete or cancel, where its state allows',
        security: bearer,
        params: groupParam,
        body: stateBody,
        response: { 200: groupJson, ...errors },
      },
    },
    async (request) =>
      presentGroup(await moveWorkGroup(deps.context(request), request.params.id, request.body)),
  )

  api.post(
    '/api/v1/hubs/:id/work-groups/allocation',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Propose groups for the hub’s interested schools of a programme and year: HiGHS’s plan with its lower bound and gap, and the greedy plan’s travel beside it',
        security: bearer,
        params: hubParam,
        body: scopeBody,
        response: { 201: planJson, ...errors },
      },
    },
    async (request, reply) => {
      const context = deps.context(request)
      const { planId } = await proposeAllocation(context, request.params.id, request.body)
      return reply
        .code(201)
        .header('location', `/api/v1/work-group-plans/${planId}`)
        .send(presentPlan(await viewAllocationPlan(context, planId)))
    },
  )

  api.get(
    '/api/v1/work-group-plans/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'A proposal: each group, where it meets and its schools with their distances',
        security: bearer,
        params: planParam,
        response: { 200: planJson, ...errors },
      },
    },
    async (request) => presentPlan(await viewAllocationPlan(deps.context(request), request.params.id)),
  )

  api.post(
    '/api/v1/work-group-plans/:id/move',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'Move a school of a proposal to another of its groups, where that group has room',
        security: bearer,
        params: planParam,
        body: moveBody,
        response: { 200: planJson, ...errors },
      },
    },
    async (request) => {
      const context = deps.context(request)
      await moveSchoolInPlan(context, request.params.id, request.body)
      return presentPlan(await viewAllocationPlan(context, request.params.id))
    },
  )

  api.post(
    '/api/v1/work-group-plans/:id/apply',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Apply a proposal in one transaction: each school accepted into its group, each group’s host set; refused if schools’ interest has changed since',
        security: bearer,
        params: planParam,
        response: { 200: planJson, ...errors },
      },
    },
    async (request) => {
      const context = deps.context(request)
      await applyAllocationPlan(context, request.params.id)
      return presentPlan(await viewAllocationPlan(context, request.params.id))
    },
  )
}
