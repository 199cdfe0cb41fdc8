// API v1: a school's teaching-for-mastery journey, with a bearer API token, by the same use-cases
// and access as the pages: its stage periods, its timeline across years, and recording a move to
// the next stage (the hub's team and NCETM's national administrators), refused with 422 and the
// reasons. Anyone who may not see the school is told it is not there.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { UseCaseContext } from '../../domain/use-case.ts'
import type { StagePeriod } from '../../domain/work-groups/journey/journey.repository.ts'
import { MASTERY_STAGES } from '../../domain/work-groups/journey/journey.stages.ts'
import { recordStageMove } from '../../domain/work-groups/journey/record-stage-move.ts'
import { viewSchoolJourney } from '../../domain/work-groups/journey/view-school-journey.ts'
import { wholeNumberText } from '../../lib/whole-number.ts'
import { URN_RANGE } from '../../domain/schools/school-queries.ts'
import { bearer, requireApiToken } from './authenticate.ts'
import { errorBody } from './presenters.ts'

const urnParam = z.object({ urn: wholeNumberText('URN', URN_RANGE).describe('The school’s URN') })
const errors = { 401: errorBody, 404: errorBody, 422: errorBody }

const periodJson = z.object({
  id: z.number().int(),
  stage: z.enum(MASTERY_STAGES),
  fromDate: z.string().describe('A UK date, YYYY-MM-DD'),
  toDate: z.string().nullable().describe('The day the next stage began; null for the stage now'),
  evidence: z.string(),
  hubId: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string(),
})
const stagesJson = z.object({
  urn: z.number().int(),
  current: z.enum(MASTERY_STAGES).nullable(),
  periods: z.array(periodJson).describe('Oldest first: the periods are the history of the school’s moves'),
})
const timelineJson = z.object({
  urn: z.number().int(),
  name: z.string(),
  current: z.enum(MASTERY_STAGES).nullable(),
  groups: z.array(
    z.object({
      programmeId: z.string(),
      programmeName: z.string(),
      academicYear: z.string(),
      status: z.string(),
      workGroupId: z.number().int().nullable(),
      workGroupName: z.string().nullable(),
    }),
  ),
  grantsDue: z.array(
    z.object({
      workGroupId: z.number().int(),
      academicYear: z.string(),
      participationYear: z.number().int(),
      amountPence: z.number().int(),
      dueAt: z.string(),
    }),
  ),
  timeline: z
    .array(
      z.object({
        on: z.string().describe('A UK date, YYYY-MM-DD'),
        kind: z.enum([
          'interest',
          'advocate',
          'attendance',
          'lesson-study',
          'support-visit',
          'stage',
          'grant',
        ]),
        text: z.string(),
        workGroupId: z.number().int().nullable(),
        amountPence: z.number().int().nullable(),
      }),
    )
    .describe('In date order'),
})
const moveBody = z.object({
  stage: z
    .string({ error: 'Enter the stage as text' })
    .describe('readiness, development, embedding or sustaining'),
  movedOn: z
    .string({ error: 'Enter the date as text' })
    .describe('A UK date, YYYY-MM-DD: the day the move took effect'),
  evidence: z.string({ error: 'Enter the evidence as text' }),
})

function presentPeriods(urn: number, periods: StagePeriod[]): z.infer<typeof stagesJson> {
  return {
    urn,
    current: periods.find((p) => p.toDate === null)?.stage ?? null,
    periods: periods.map((p) => ({ ...p, decidedAt: p.decidedAt.toISOString() })),
  }
}

export function schoolJourneyApi(
  app: FastifyInstance,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/api/v1/schools/:urn/stages',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['schools'],
        summary:
          'A school’s teaching-for-mastery stage periods (NCETM, the serving hub’s team, the school’s contacts)',
        security: bearer,
        params: urnParam,
        response: { 200: stagesJson, ...errors },
      },
    },
    async (request) => {
      const journey = await viewSchoolJourney(deps.context(request), request.params.urn)
      return presentPeriods(request.params.urn, journey.stages)
    },
  )

  api.post(
    '/api/v1/schools/:urn/stages',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['schools'],
        summary:
          'Record a school’s move to its next stage, with the date and evidence (the serving hub’s team or NCETM’s national administrators): never back, to the same stage or skipping one, nor dated on or before the current stage began or in the future',
        security: bearer,
        params: urnParam,
        body: moveBody,
        response: { 201: stagesJson, ...errors },
      },
    },
    async (request, reply) => {
      const periods = await recordStageMove(deps.context(request), request.params.urn, request.body)
      return reply.code(201).send(presentPeriods(request.params.urn, periods))
    },
  )

  api.get(
    '/api/v1/schools/:urn/timeline',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['schools'],
        summary:
          'A school’s journey across years: its programmes and groups, grants due, and a timeline of interests, advocates, sessions attended, lesson study, support visits and stages',
        security: bearer,
        params: urnParam,
        response: { 200: timelineJson, ...errors },
      },
    },
    async (request) => {
      const j = await viewSchoolJourney(deps.context(request), request.params.urn)
      return {
        urn: j.school.urn,
        name: j.school.name,
        current: j.current?.stage ?? null,
        groups: j.groups.map((g) => ({
          programmeId: g.programmeId,
          programmeName: g.programmeName,
          academicYear: g.academicYear,
          status: g.status,
          workGroupId: g.workGroupId,
          workGroupName: g.workGroupName,
        })),
        grantsDue: j.grants.map((g) => ({
          workGroupId: g.workGroupId,
          academicYear: g.academicYear,
          participationYear: g.participationYear,
          amountPence: g.amountPence,
          dueAt: g.dueAt.toISOString(),
        })),
        timeline: j.timeline.map((e) => ({ ...e, amountPence: e.amountPence ?? null })),
      }
    },
  )
}
