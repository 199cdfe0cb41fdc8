// Pages for a hub's review of its applicants: a reviewer's list and the review page (the
// application, the criteria, the hub's priorities, the school's facts, the score form and "declare
// a conflict"); and the hub lead's page for a round (settings, the queue with scores, assigning by
// hand or automatically, taking away). Every page calls a use-case, which decides access: anything
// the actor may not see is "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import {
  assignReviewer,
  assignReviewersAutomatically,
} from '../../domain/selection/reviewing/assign-reviewers.ts'
import { declareReviewConflict } from '../../domain/selection/reviewing/declare-review-conflict.ts'
import {
  assignmentFromForm,
  reviewFromForm,
  reviewSettingsFromForm,
} from '../../domain/selection/reviewing/review-input.ts'
import { updateReviewSettings } from '../../domain/selection/reviewing/review-settings.ts'
import { deadlineBoxes } from '../../domain/selection/reviewing/review-deadlines.ts'
import { saveReview } from '../../domain/selection/reviewing/save-review.ts'
import { SCORE_LABELS, SCORE_MAX, SCORE_MIN } from '../../domain/selection/reviewing/scores.ts'
import { takeAwayReviewer } from '../../domain/selection/reviewing/take-away-reviewer.ts'
import {
  listOwnReviews,
  REVIEWS_PAGE_SIZE,
  viewReview,
  viewReviewQueue,
  type ReviewView,
} from '../../domain/selection/reviewing/view-reviews.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { NotFoundError, ValidationError, type FieldError } from '../../errors.ts'
import { firstValues } from '../forms.ts'
import { pageRequest, pagingFor } from '../paging.ts'
import type { PageError } from '../page.ts'
import { guarded, idParam, slugParam } from '../route-params.ts'

export interface ReviewRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const roundParams = z.object({ id: slugParam.shape.id, cohortId: slugParam.shape.id })

/** The 0 to 4 scale as radio choices, with their words. */
const SCALE = Array.from({ length: SCORE_MAX - SCORE_MIN + 1 }, (_, i) => ({
  value: String(SCORE_MIN + i),
  text: SCORE_LABELS[SCORE_MIN + i] ?? String(SCORE_MIN + i),
}))

/** A review's field names as the ids of the page's inputs: essential.qts -> #essential-qts. */
function reviewErrors(error: ValidationError): PageError[] {
  return error.errors.map((e: FieldError) => {
    if (['round', 'state', 'form'].includes(e.field)) return { text: e.message }
    const [part, id, note] = e.field.split('.')
    if ((part === 'essential' || part === 'desirable') && id) {
      return { text: e.message, href: `#${part}-${id}${note ? '-note' : ''}` }
    }
    // A date input's error links to its first box.
    return { text: e.message, href: `#${e.field === 'reviewDeadline' ? 'reviewDeadline-day' : e.field}` }
  })
}

/** The hub page's errors: the assignment forms are one per application, so link to its reviewer box. */
function queueErrors(error: ValidationError, applicationId?: number): PageError[] {
  return error.errors.map((e) => {
    if (e.field === 'reviewerId' && applicationId !== undefined) {
      return { text: e.message, href: `#reviewer-${applicationId}` }
    }
    // Without an application there is no reviewer box to link to.
    if (['round', 'applicationId', 'reviewerId', 'form'].includes(e.field)) return { text: e.message }
    // A date input's error links to its first box.
    return { text: e.message, href: `#${e.field === 'reviewDeadline' ? 'reviewDeadline-day' : e.field}` }
  })
}

/** The review form's values: as posted when it is shown again, else as saved. */
function formValues(view: ReviewView, posted?: Record<string, string>): Record<string, string> {
  if (posted) return posted
  const values: Record<string, string> = {}
  const review = view.review
  if (!review) return values
  for (const [id, j] of Object.entries(review.essential)) {
    values[`essential-${id}`] = j.met === null ? '' : j.met ? 'met' : 'not-met'
    values[`essential-${id}-note`] = j.note
  }
  for (const [id, d] of Object.entries(review.desirable)) {
    values[`desirable-${id}`] = d.score === null ? '' : String(d.score)
    values[`desirable-${id}-note`] = d.note
  }
  values.strategicScore = review.strategicScore === null ? '' : String(review.strategicScore)
  values.strategicNote = review.strategicNote
  return values
}

export function reviewRoutes(app: FastifyInstance, deps: ReviewRouteDeps): void {
  // --- The reviewer's side

  app.get(
    '/reviews',
    guarded(async (request, reply) => {
      const reviews = await listOwnReviews(
        deps.context(request),
        pageRequest(request.query, REVIEWS_PAGE_SIZE),
      )
      return reply.view('review-list.njk', {
        pageTitle: 'Your reviews',
        reviews: reviews.items,
        paging: pagingFor(reviews, '/reviews', {}, { one: 'review', many: 'reviews' }),
        conflictDeclared: firstValues(request.query).conflict === '1',
      })
    }),
  )

  async function reviewPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: { errors?: PageError[]; posted?: Record<string, string>; reason?: string } = {},
  ) {
    const view = await viewReview(deps.context(request), id)
    const values = formValues(view, extra.posted)
    const saved = firstValues(request.query).saved
    return reply.view('review-application.njk', {
      pageTitle: `Review: ${view.label}`,
      view,
      criteria: {
        essential: view.cohort.essentialCriteria.map((c) => ({
          ...c,
          answer: view.evidence[c.id] ?? '',
          value: values[`essential-${c.id}`] ?? '',
          note: values[`essential-${c.id}-note`] ?? '',
        })),
        desirable: view.cohort.desirableCriteria.map((c) => ({
          ...c,
          answer: view.evidence[c.id] ?? '',
          value: values[`desirable-${c.id}`] ?? '',
          note: values[`desirable-${c.id}-note`] ?? '',
        })),
      },
      strategic: { value: values.strategicScore ?? '', note: values.strategicNote ?? '' },
      scale: SCALE,
      reason: extra.reason ?? '',
      errors: extra.errors,
      justSaved: extra.errors ? undefined : saved === 'draft' || saved === 'completed' ? saved : undefined,
    })
  }

  function assignmentId(request: FastifyRequest): number {
    const parsed = idParam.safeParse(request.params)
    if (!parsed.success) throw new NotFoundError('Review')
    return parsed.data.id
  }

  app.get(
    '/reviews/:id',
    guarded(async (request, reply) => reviewPage(request, reply, assignmentId(request))),
  )

  app.post(
    '/reviews/:id',
    guarded(async (request, reply) => {
      const id = assignmentId(request)
      const context = deps.context(request)
      const form = firstValues(request.body)
      const complete = form.action === 'complete'
      // The form's fields are named by the cohort's criteria, which the review page knows.
      const view = await viewReview(context, id)
      const input = reviewFromForm(form, {
        essential: view.cohort.essentialCriteria,
        desirable: view.cohort.desirableCriteria,
      })
      try {
        await saveReview(context, id, input, { complete })
        return reply.redirect(`/reviews/${id}?saved=${complete ? 'completed' : 'draft'}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return reviewPage(request, reply.code(422), id, { errors: reviewErrors(error), posted: form })
      }
    }),
  )

  app.post(
    '/reviews/:id/conflict',
    guarded(async (request, reply) => {
      const id = assignmentId(request)
      const form = firstValues(request.body)
      try {
        await declareReviewConflict(deps.context(request), id, { reason: form.reason ?? '' })
        return reply.redirect('/reviews?conflict=1', 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return reviewPage(request, reply.code(422), id, {
          errors: error.errors.map((e) =>
            e.field === 'round' ? { text: e.message } : { text: e.message, href: '#reason' },
          ),
          reason: form.reason ?? '',
        })
      }
    }),
  )

  // --- The hub lead's side

  function roundOf(request: FastifyRequest): { hubId: string; cohortId: string } {
    const parsed = roundParams.safeParse(request.params)
    if (!parsed.success) throw new NotFoundError('Hub')
    return { hubId: parsed.data.id, cohortId: parsed.data.cohortId }
  }

  const pathOf = (hubId: string, cohortId: string) => `/hubs/${hubId}/cohorts/${cohortId}/reviewers`

  async function queuePage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: PageError[]; settings?: Record<string, string>; assign?: Record<string, string> } = {},
  ) {
    const { hubId, cohortId } = roundOf(request)
    const queue = await viewReviewQueue(deps.context(request), hubId, cohortId)
    const query = firstValues(request.query)
    const number = (value: string | undefined) =>
      value && /^\d{1,6}$/.test(value) ? Number(value) : undefined
    // Link only to reviewer boxes the page shows: an application outside this queue has none.
    const boxes = new Set(
      queue.round.state === 'reviewing'
        ? queue.items.filter((i) => i.options.length > 0).map((i) => `#reviewer-${i.applicationId}`)
        : [],
    )
    const errors = extra.errors?.map((e) =>
      e.href?.startsWith('#reviewer-') && !boxes.has(e.href) ? { text: e.text } : e,
    )
    return reply.view('hub-reviewers.njk', {
      pageTitle: `Reviewers: ${queue.cohort.programmeName}, Cohort ${queue.cohort.number}`,
      queue,
      roundPath: pathOf(hubId, cohortId),
      settings: extra.settings ?? {
        blindReview: queue.round.blindReview ? 'yes' : 'no',
        reviewsPerApplication: String(queue.round.reviewsPerApplication),
        priorities: queue.round.priorities,
        leadsReview: queue.round.leadsReview ? 'yes' : 'no',
        ...Object.fromEntries(
          Object.entries(deadlineBoxes(queue.round.reviewDeadline)).map(([k, v]) => [
            `reviewDeadline-${k}`,
            v,
          ]),
        ),
      },
      assign: extra.assign ?? {},
      errors,
      done: extra.errors
        ? undefined
        : {
            settings: query.done === 'settings',
            assigned: query.done === 'assigned',
            takenAway: query.done === 'taken-away',
            automatic: query.done === 'automatic',
            count: number(query.count) ?? 0,
          },
    })
  }

  app.get(
    '/hubs/:id/cohorts/:cohortId/reviewers',
    guarded((request, reply) => queuePage(request, reply)),
  )

  app.post(
    '/hubs/:id/cohorts/:cohortId/reviewers/settings',
    guarded(async (request, reply) => {
      const { hubId, cohortId } = roundOf(request)
      const form = firstValues(request.body)
      try {
        await updateReviewSettings(deps.context(request), hubId, cohortId, reviewSettingsFromForm(form))
        return reply.redirect(`${pathOf(hubId, cohortId)}?done=settings`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return queuePage(request, reply.code(422), { errors: queueErrors(error), settings: form })
      }
    }),
  )

  app.post(
    '/hubs/:id/cohorts/:cohortId/reviewers/assign',
    guarded(async (request, reply) => {
      const { hubId, cohortId } = roundOf(request)
      const form = firstValues(request.body)
      try {
        await assignReviewer(deps.context(request), hubId, cohortId, assignmentFromForm(form))
        return reply.redirect(`${pathOf(hubId, cohortId)}?done=assigned`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const applicationId = /^\d{1,10}$/.test(form.applicationId ?? '')
          ? Number(form.applicationId)
          : undefined
        return queuePage(request, reply.code(422), {
          errors: queueErrors(error, applicationId),
          assign: form,
        })
      }
    }),
  )

  app.post(
    '/hubs/:id/cohorts/:cohortId/reviewers/assign-automatically',
    guarded(async (request, reply) => {
      const { hubId, cohortId } = roundOf(request)
      try {
        const result = await assignReviewersAutomatically(deps.context(request), hubId, cohortId)
        return reply.redirect(`${pathOf(hubId, cohortId)}?done=automatic&count=${result.assigned}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return queuePage(request, reply.code(422), { errors: queueErrors(error) })
      }
    }),
  )

  app.post(
    '/hubs/:id/cohorts/:cohortId/reviewers/take-away',
    guarded(async (request, reply) => {
      const { hubId, cohortId } = roundOf(request)
      const form = firstValues(request.body)
      const parsed = idParam.safeParse({ id: form.assignmentId })
      if (!parsed.success) throw new NotFoundError('Assignment')
      try {
        await takeAwayReviewer(deps.context(request), hubId, cohortId, parsed.data.id)
        return reply.redirect(`${pathOf(hubId, cohortId)}?done=taken-away`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return queuePage(request, reply.code(422), { errors: queueErrors(error) })
      }
    }),
  )
}
