// API v1: participations, with a bearer API token. A specialist's own participations; the roster
// of a cohort or hub (a hub's leads and administrators see their own hubs', NCETM every hub's);
// one participation with its dated stages and history (the person, the hub's team and NCETM); and
// a change of stage (begin year 2, become active, defer to a later cohort, resume, withdraw) by
// NCETM's national administrators or the participation's hub lead. The use-cases decide access:
// anything the token's person may not see is "not found".
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { becomeActive } from '../../domain/participants/become-active.ts'
import { beginYearTwo } from '../../domain/participants/begin-year-two.ts'
import { deferParticipation } from '../../domain/participants/defer-participation.ts'
import type { ParticipationEvent } from '../../domain/participants/participation.states.ts'
import { resumeParticipation } from '../../domain/participants/resume-participation.ts'
import {
  listParticipations,
  myParticipations,
  viewParticipation,
} from '../../domain/participants/view-participation.ts'
import { withdrawParticipation } from '../../domain/participants/withdraw-participation.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { ValidationError } from '../../errors.ts'
import { recordIdText } from '../../lib/whole-number.ts'
import { bearer, requireApiToken } from './authenticate.ts'
import {
  ownParticipationsJson,
  participationJson,
  participationListJson,
  presentParticipation,
  presentParticipationSummary,
} from './participations.presenters.ts'
import { errorBody } from './presenters.ts'

const TAGS = ['participations']
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/

const idParam = z.object({
  id: recordIdText('Participation id').describe('The participation’s id'),
})

const listQuery = z.object({
  cohort: z
    .string()
    .regex(SLUG, 'Cohort must be a cohort id, like primary-mastery-specialist-13')
    .max(120, 'Cohort must be a cohort id, like primary-mastery-specialist-13')
    .optional()
    .describe('Only participations in this cohort'),
  hub: z
    .string()
    .regex(SLUG, 'Hub must be a hub id, like northvale-maths-hub')
    .max(100, 'Hub must be a hub id, like northvale-maths-hub')
    .optional()
    .describe('Only participations of this hub'),
})

const CHANGES = ['begin-year-two', 'become-active', 'defer', 'resume', 'withdraw'] as const
const stageChangeBody = z.object({
  change: z
    .enum(CHANGES, {
      error: 'Select the change: begin-year-two, become-active, defer, resume or withdraw',
    })
    .describe(
      'begin-year-two (after year 1, where the programme has a year 2); become-active (after the development years); defer (to a later cohort, in year 1: give cohortId and a reason); resume (a deferred specialist begins the later cohort); withdraw (with a reason: ends every future booking)',
    ),
  on: z
    .string({ error: 'Enter the date the change takes effect, like 2027-09-01' })
    .describe('The first day of the new stage, a UK date YYYY-MM-DD, after the current stage began'),
  reason: z
    .string({ error: 'Enter the reason as text' })
    .optional()
    .describe('Why: needed to defer or withdraw'),
  cohortId: z
    .string({ error: 'Enter the later cohort’s id, like primary-mastery-specialist-14' })
    .optional()
    .describe('To defer only: the later cohort of the same programme'),
})

const errors = { 401: errorBody, 404: errorBody, 422: errorBody }

/** A use-case's name for the later cohort is this API's cohortId. */
function asCohortId(error: unknown): never {
  if (error instanceof ValidationError) {
    throw new ValidationError(
      error.errors.map((e) => (e.field === 'toCohortId' ? { ...e, field: 'cohortId' } : e)),
    )
  }
  throw error
}

async function changeStage(
  context: UseCaseContext,
  id: number,
  body: z.infer<typeof stageChangeBody>,
): Promise<void> {
  const { change, on, reason, cohortId } = body
  if (change !== 'defer' && cohortId !== undefined) {
    throw new ValidationError([
      { code: 'invalid', field: 'cohortId', message: 'Give a cohort only when deferring' },
    ])
  }
  const input = { on, ...(reason === undefined ? {} : { reason }) }
  const use: Record<ParticipationEvent, () => Promise<void>> = {
    'begin-year-two': () => beginYearTwo(context, id, input),
    'become-active': () => becomeActive(context, id, input),
    defer: () => deferParticipation(context, id, { ...input, toCohortId: cohortId ?? '' }).catch(asCohortId),
    resume: () => resumeParticipation(context, id, input),
    withdraw: () => withdrawParticipation(context, id, input),
  }
  await use[change]()
}

export function participationsApi(
  app: FastifyInstance,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/api/v1/me/participations',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary: 'Your own participations, each with its stages and history',
        security: bearer,
        response: { 200: ownParticipationsJson, 401: errorBody },
      },
    },
    async (request) => ({
      items: (await myParticipations(deps.context(request))).map(presentParticipation),
    }),
  )

  api.get(
    '/api/v1/participations',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'The specialists of a cohort or a hub, with the stage each is in today: a hub’s leads and administrators see their own hubs’; NCETM every hub’s',
        security: bearer,
        querystring: listQuery,
        response: { 200: participationListJson, ...errors },
      },
    },
    async (request) => ({
      items: (
        await listParticipations(deps.context(request), {
          cohortId: request.query.cohort,
          hubId: request.query.hub,
        })
      ).map(presentParticipationSummary),
    }),
  )

  api.get(
    '/api/v1/participations/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'One participation: its dated stages and the history of every move. For the specialist, the hub’s leads and administrators, and NCETM',
        security: bearer,
        params: idParam,
        response: { 200: participationJson, ...errors },
      },
    },
    async (request) =>
      presentParticipation(await viewParticipation(deps.context(request), request.params.id)),
  )

  api.post(
    '/api/v1/participations/:id/stage-changes',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Change a participation’s stage from a date (NCETM’s national administrators and the hub’s lead): the current stage ends and the new one begins that day, written to the history. Answers the participation as it now is',
        security: bearer,
        params: idParam,
        body: stageChangeBody,
        response: { 200: participationJson, ...errors },
      },
    },
    async (request) => {
      const context = deps.context(request)
      await changeStage(context, request.params.id, request.body)
      return presentParticipation(await viewParticipation(context, request.params.id))
    },
  )
}
