// API v1: reading selection, with a bearer API token. A hub's ranking for a cohort (its hub leads
// and administrators, and NCETM), an application's reviews (all of them for those, only their own
// for an assigned reviewer, and not by application in a blind round), a reviewer's own review by
// its id (nothing that says whose in a blind round), the decision on an application (the hub and NCETM always, the teacher
// once it is released), every hub's selection for a cohort (NCETM), and a round's review deadline
// with the reviewers behind on their reviews (those who run the round, as on the hub's reviewers
// page: its hub leads and NCETM's administrators). The use-cases decide access: anything the
// token's person may not read is "not found".
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  viewApplicationReviews,
  viewCohortSelection,
  viewDecision,
  viewRanking,
} from '../../domain/selection/view-selection.ts'
import { viewReview, viewReviewQueue } from '../../domain/selection/reviewing/view-reviews.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { recordIdText } from '../../lib/whole-number.ts'
import { bearer, requireApiToken } from './authenticate.ts'
import { errorBody } from './presenters.ts'
import {
  cohortSelectionJson,
  decisionJson,
  presentCohortSelection,
  presentDecision,
  ownReviewJson,
  presentOwnReview,
  presentRanking,
  presentReviewersBehind,
  presentReviews,
  rankingJson,
  reviewersBehindJson,
  reviewsJson,
} from './selection.presenters.ts'

const TAGS = ['selection']
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/

const hubId = z
  .string()
  .regex(SLUG, 'Hub id must be lower-case words joined by hyphens, like northvale-maths-hub')
  .max(100, 'Hub id must be a hub id, like northvale-maths-hub')
  .describe('The hub’s id, like northvale-maths-hub')
const cohortId = z
  .string()
  .regex(SLUG, 'Cohort id must be lower-case words joined by hyphens, like primary-mastery-specialist-13')
  .max(120, 'Cohort id must be a cohort id, like primary-mastery-specialist-13')
  .describe('The cohort’s id, like primary-mastery-specialist-13')
const applicationIdParam = z.object({
  id: recordIdText('Application id').describe('The application’s id'),
})

const errors = { 401: errorBody, 404: errorBody, 422: errorBody }

export function selectionApi(
  app: FastifyInstance,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/api/v1/hubs/:id/cohorts/:cohortId/ranking',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'A hub’s ranking for a cohort: the round, the ranked applications by median total with spread and essential criteria, those not ranked and why, and any decisions. For the hub’s leads and administrators, and NCETM',
        security: bearer,
        params: z.object({ id: hubId, cohortId }),
        response: { 200: rankingJson, ...errors },
      },
    },
    async (request) =>
      presentRanking(await viewRanking(deps.context(request), request.params.id, request.params.cohortId)),
  )

  api.get(
    '/api/v1/hubs/:id/cohorts/:cohortId/reviewers-behind',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'A hub’s review deadline for a cohort, and once it has passed the reviewers behind on their reviews, with how many each has assigned, completed and still to do. For those who run the round: the hub’s leads and NCETM’s administrators',
        security: bearer,
        params: z.object({ id: hubId, cohortId }),
        response: { 200: reviewersBehindJson, ...errors },
      },
    },
    async (request) =>
      presentReviewersBehind(
        await viewReviewQueue(deps.context(request), request.params.id, request.params.cohortId),
      ),
  )

  api.get(
    '/api/v1/applications/:id/reviews',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'The reviews of a submitted application, drafts and completed: every reviewer’s for the hub’s leads and administrators and NCETM; only your own for a reviewer assigned to it',
        security: bearer,
        params: applicationIdParam,
        response: { 200: reviewsJson, ...errors },
      },
    },
    async (request) => presentReviews(await viewApplicationReviews(deps.context(request), request.params.id)),
  )

  api.get(
    '/api/v1/reviews/:id',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Your review, by its id (the assignment): for the reviewer assigned, while the assignment is live. In a blind round it carries nothing that says whose application it is, and the application’s own links answer 404 to the reviewer',
        security: bearer,
        params: z.object({ id: recordIdText('Review id').describe('The review’s (assignment’s) id') }),
        response: { 200: ownReviewJson, ...errors },
      },
    },
    async (request) => presentOwnReview(await viewReview(deps.context(request), request.params.id)),
  )

  api.get(
    '/api/v1/applications/:id/decision',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'The hub’s decision on an application: all of it for the hub’s leads and administrators and NCETM, whenever made; for the teacher, once released, without the hub’s internal fields',
        security: bearer,
        params: applicationIdParam,
        response: { 200: decisionJson, ...errors },
      },
    },
    async (request) => presentDecision(await viewDecision(deps.context(request), request.params.id)),
  )

  api.get(
    '/api/v1/cohorts/:cohortId/selection',
    {
      onRequest: requireApiToken,
      schema: {
        tags: TAGS,
        summary:
          'Every hub’s selection for a cohort: places, state, applications, decisions and offers counted, and the spread of median scores. For NCETM',
        security: bearer,
        params: z.object({ cohortId }),
        response: { 200: cohortSelectionJson, ...errors },
      },
    },
    async (request) =>
      presentCohortSelection(await viewCohortSelection(deps.context(request), request.params.cohortId)),
  )
}
