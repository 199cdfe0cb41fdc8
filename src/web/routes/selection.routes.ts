// Pages for decisions: the hub's ranked list with its proposals, the proposal form, confirm and
// reopen, and passing a free place to a reserve (hub lead); NCETM's moderation page with every hub
// side by side (places, approve, send back); the teacher's offer page; the headteacher's emailed
// link to accept or decline a place. Every page calls a use-case, which decides access: anything
// the actor may not see is "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import {
  DECISION_NAMES,
  offerResponseFromForm,
  passToReserveFromForm,
  placesFromForm,
  proposalFromForm,
  REASON_NAMES,
  REASONS,
} from '../../domain/selection/deciding/decisions-input.ts'
import { confirmDecisions, reopenDecisions } from '../../domain/selection/deciding/decisions-confirm.ts'
import {
  approveDecisions,
  sendBackDecisions,
  setPlaces,
} from '../../domain/selection/deciding/decisions-moderate.ts'
import { proposeDecision } from '../../domain/selection/deciding/decisions-propose.ts'
import { sendBackFromForm, sentBackShown } from '../../domain/selection/deciding/send-back-reason.ts'
import { ROUND_STATE_NAMES } from '../../domain/selection/deciding/decisions.states.ts'
import {
  listSelections,
  viewHubSelection,
  viewModeration,
  viewProposal,
  type SelectionEntry,
} from '../../domain/selection/deciding/decisions-view.ts'
import { offerPlaceToReserve } from '../../domain/selection/offers/offers-pass-to-reserve.ts'
import {
  respondToOffer,
  respondToPlaceOffer,
  viewOwnOffer,
  viewPlaceOffer,
} from '../../domain/selection/offers/offers-respond.ts'
import { OFFER_RESPONSE_DAYS } from '../../domain/selection/offers/offers-rules.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { NotFoundError, ValidationError } from '../../errors.ts'
import { firstValues } from '../forms.ts'
import type { PageError } from '../page.ts'
import { guarded, idParam, notFound, slugParam } from '../route-params.ts'

export interface SelectionRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const slug = slugParam.shape.id
const roundParams = z.object({ id: slug, cohortId: slug })
const proposalParams = roundParams.extend({ applicationId: idParam.shape.id })
const cohortParams = z.object({ cohortId: slug })
const moderationParams = z.object({ cohortId: slug, hubId: slug })
const TOKEN = /^[A-Za-z0-9_-]{1,200}$/

/** A use-case's fields as the page's ids; refusals about the round as a whole link nowhere. */
function pageErrors(error: ValidationError, ids: Record<string, string> = {}): PageError[] {
  return error.errors.map((e) =>
    ['state', 'form'].includes(e.field)
      ? { text: e.message }
      : { text: e.message, href: `#${ids[e.field] ?? e.field}` },
  )
}

const TAGS: Record<string, string> = {
  selected: 'govuk-tag--green',
  reserve: 'govuk-tag--yellow',
  'not-selected': 'govuk-tag--grey',
  reviewing: 'govuk-tag--blue',
  confirmed: 'govuk-tag--light-blue',
  approved: 'govuk-tag--turquoise',
  released: 'govuk-tag--green',
}

function roundTag(state: keyof typeof ROUND_STATE_NAMES) {
  return { text: ROUND_STATE_NAMES[state], classes: TAGS[state] ?? '' }
}

const OFFER_NAMES: Record<string, string> = {
  offered: 'Offered',
  accepted: 'Accepted',
  declined: 'Declined',
  lapsed: 'Lapsed',
}

/** One application's row on the hub's list, in words. */
function entryRow(entry: SelectionEntry & { rank?: number }) {
  const { application, score, decision } = entry
  const notMet = score.essential.filter((e) => e.outcome === 'not-met')
  const disputed = score.essential.filter((e) => e.outcome === 'disputed')
  return {
    id: application.id,
    reference: application.reference,
    applicantName: application.applicantName,
    schoolName: application.schoolName,
    headteacherVerified: application.headteacherVerification !== null,
    rank: entry.rank,
    reviews: score.reviews,
    median: score.median,
    spread: score.spread,
    essential:
      score.reviews === 0
        ? 'Not yet reviewed'
        : notMet.length > 0
          ? `Not met: ${notMet.map((e) => e.text).join('; ')}`
          : disputed.length > 0
            ? `Reviewers disagree: ${disputed.map((e) => e.text).join('; ')}`
            : 'All met',
    reasons: score.excluded ? score.reasons : score.reviews === 0 ? ['No review has been completed yet'] : [],
    decision: decision && {
      ...decision,
      name: DECISION_NAMES[decision.decision],
      tag: { text: DECISION_NAMES[decision.decision], classes: TAGS[decision.decision] ?? '' },
      reasonName: REASON_NAMES[decision.reasonCode] ?? decision.reasonCode,
      offerName: decision.offerState ? OFFER_NAMES[decision.offerState] : undefined,
    },
  }
}

export function selectionRoutes(app: FastifyInstance, deps: SelectionRouteDeps): void {
  app.get(
    '/selection',
    guarded(async (request, reply) => {
      const { hubRounds, cohorts } = await listSelections(deps.context(request))
      return reply.view('selection-index.njk', {
        pageTitle: 'Selection of Mastery Specialists',
        hubRounds: hubRounds.map((r) => ({ ...r, tag: r.state ? roundTag(r.state) : undefined })),
        cohorts,
      })
    }),
  )

  // --- The hub's ranked list and proposals

  const hubPath = (hubId: string, cohortId: string) => `/hubs/${hubId}/cohorts/${cohortId}/selection`

  async function hubPage(
    request: FastifyRequest,
    reply: FastifyReply,
    hubId: string,
    cohortId: string,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewHubSelection(deps.context(request), hubId, cohortId)
    const query = firstValues(request.query)
    // The button to offer a free place shows only while there is one and a reserve to offer it to.
    const offerShown = view.canDecide && view.freePlaces > 0 && view.nextReserve !== undefined
    const errors = (extra.errors as PageError[] | undefined)?.map((e) =>
      e.href === '#offer-to-reserve' && !offerShown ? { text: e.text } : e,
    )
    return reply.view('selection-hub.njk', {
      pageTitle: `Selection: ${view.hub.name}, ${view.cohort.programmeName} Cohort ${view.cohort.number}`,
      hub: view.hub,
      cohort: view.cohort,
      round: { ...view.round, tag: roundTag(view.round.state) },
      ranked: view.ranked.map(entryRow),
      unranked: view.unranked.map(entryRow),
      counts: view.counts,
      placesHeld: view.placesHeld,
      canDecide: view.canDecide,
      proposing: view.proposing,
      missing: view.missingForConfirmation.map((e) => e.message),
      canReopen: view.canReopen,
      offers: view.offers.map(entryRow),
      reserves: view.reserves.map(entryRow),
      freePlaces: view.freePlaces,
      nextReserve: view.nextReserve ? entryRow(view.nextReserve) : undefined,
      path: hubPath(view.hub.id, view.cohort.id),
      responseDays: OFFER_RESPONSE_DAYS,
      done: ['saved', 'confirmed', 'reopened', 'offered'].find((k) => query[k] === '1'),
      sentBack: sentBackShown(view.round),
      ...extra,
      errors,
    })
  }

  app.get(
    '/hubs/:id/cohorts/:cohortId/selection',
    guarded(async (request, reply) => {
      const params = roundParams.safeParse(request.params)
      if (!params.success) return notFound(reply)
      return hubPage(request, reply, params.data.id, params.data.cohortId)
    }),
  )

  /** A hub lead's action on the round: redirect to the list, or show it again with the refusal. */
  function roundAction(
    action: string,
    work: (
      context: UseCaseContext,
      hubId: string,
      cohortId: string,
      form: Record<string, string>,
    ) => Promise<unknown>,
    ids: Record<string, string> = {},
  ) {
    app.post(
      `/hubs/:id/cohorts/:cohortId/selection/${action}`,
      guarded(async (request, reply) => {
        const params = roundParams.safeParse(request.params)
        if (!params.success) return notFound(reply)
        const { id, cohortId } = params.data
        const done = { confirm: 'confirmed', reopen: 'reopened', 'offer-to-reserve': 'offered' }[action]
        try {
          await work(deps.context(request), id, cohortId, firstValues(request.body))
          return reply.redirect(`${hubPath(id, cohortId)}?${done}=1`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          return hubPage(request, reply.code(422), id, cohortId, { errors: pageErrors(error, ids) })
        }
      }),
    )
  }

  roundAction('confirm', (context, hubId, cohortId) => confirmDecisions(context, hubId, cohortId))
  roundAction('reopen', (context, hubId, cohortId) => reopenDecisions(context, hubId, cohortId))
  roundAction(
    'offer-to-reserve',
    (context, hubId, cohortId, form) =>
      offerPlaceToReserve(context, hubId, cohortId, passToReserveFromForm(form)),
    { applicationId: 'offer-to-reserve' },
  )

  async function proposalPage(
    request: FastifyRequest,
    reply: FastifyReply,
    params: z.infer<typeof proposalParams>,
    values?: Record<string, string>,
    errors?: PageError[],
  ) {
    const view = await viewProposal(deps.context(request), params.id, params.cohortId, params.applicationId)
    const d = view.entry.decision
    return reply.view('selection-decision.njk', {
      pageTitle: `Decision for ${view.entry.application.applicantName}`,
      hub: view.hub,
      cohort: view.cohort,
      round: { ...view.round, tag: roundTag(view.round.state) },
      entry: entryRow(view.entry),
      essential: view.entry.score.essential,
      proposing: view.proposing,
      placesHeld: view.placesHeld,
      reasons: REASONS['not-selected'],
      decisionNames: DECISION_NAMES,
      values: values ?? {
        decision: d?.decision ?? '',
        reasonCode: d?.decision === 'not-selected' ? d.reasonCode : '',
        feedback: d?.feedback ?? '',
        shareFeedback: d ? (d.feedback === '' ? '' : d.shareFeedback ? 'yes' : 'no') : '',
        reserveRank: d?.reserveRank ? String(d.reserveRank) : '',
      },
      path: hubPath(view.hub.id, view.cohort.id),
      action: `${hubPath(view.hub.id, view.cohort.id)}/applications/${view.entry.application.id}`,
      errors,
    })
  }

  app.get(
    '/hubs/:id/cohorts/:cohortId/selection/applications/:applicationId',
    guarded(async (request, reply) => {
      const params = proposalParams.safeParse(request.params)
      if (!params.success) return notFound(reply)
      return proposalPage(request, reply, params.data)
    }),
  )

  app.post(
    '/hubs/:id/cohorts/:cohortId/selection/applications/:applicationId',
    guarded(async (request, reply) => {
      const params = proposalParams.safeParse(request.params)
      if (!params.success) return notFound(reply)
      const { id, cohortId, applicationId } = params.data
      const form = firstValues(request.body)
      try {
        await proposeDecision(
          deps.context(request),
          { hubId: id, cohortId, applicationId },
          proposalFromForm(form),
        )
        return reply.redirect(`${hubPath(id, cohortId)}?saved=1#application-${applicationId}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return proposalPage(request, reply.code(422), params.data, form, pageErrors(error))
      }
    }),
  )

  // --- NCETM's moderation page

  async function moderationPage(
    request: FastifyRequest,
    reply: FastifyReply,
    cohortId: string,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewModeration(deps.context(request), cohortId)
    const query = firstValues(request.query)
    return reply.view('selection-moderation.njk', {
      pageTitle: `Selection across hubs: ${view.cohort.programmeName} Cohort ${view.cohort.number}`,
      cohort: view.cohort,
      hubs: view.hubs.map((h) => ({ ...h, tag: roundTag(h.state) })),
      overall: view.overall,
      canModerate: view.canModerate,
      path: `/admin/cohorts/${view.cohort.id}/selection`,
      done: ['places', 'approved', 'sent-back'].find((k) => query[k] !== undefined),
      doneHub: view.hubs.find((h) => Object.values(query).includes(h.hub.id))?.hub,
      values: {},
      ...extra,
    })
  }

  app.get(
    '/admin/cohorts/:cohortId/selection',
    guarded(async (request, reply) => {
      const params = cohortParams.safeParse(request.params)
      if (!params.success) return notFound(reply)
      return moderationPage(request, reply, params.data.cohortId)
    }),
  )

  function moderationAction(
    action: string,
    done: string,
    work: (
      context: UseCaseContext,
      hubId: string,
      cohortId: string,
      form: Record<string, string>,
    ) => Promise<unknown>,
  ) {
    app.post(
      `/admin/cohorts/:cohortId/selection/:hubId/${action}`,
      guarded(async (request, reply) => {
        const params = moderationParams.safeParse(request.params)
        if (!params.success) return notFound(reply)
        const { cohortId, hubId } = params.data
        const form = firstValues(request.body)
        try {
          await work(deps.context(request), hubId, cohortId, form)
          return reply.redirect(`/admin/cohorts/${cohortId}/selection?${done}=${hubId}`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          return moderationPage(request, reply.code(422), cohortId, {
            errors: pageErrors(error, { places: `places-${hubId}` }),
            values: { [hubId]: form.places ?? '' },
          })
        }
      }),
    )
  }

  moderationAction('places', 'places', (context, hubId, cohortId, form) =>
    setPlaces(context, hubId, cohortId, placesFromForm(form)),
  )
  moderationAction('approve', 'approved', (context, hubId, cohortId) =>
    approveDecisions(context, hubId, cohortId),
  )
  // Sending back asks why, on its own page: the reason is required, emailed to the hub's leads
  // and shown on the hub's page.
  async function sendBackPage(
    request: FastifyRequest,
    reply: FastifyReply,
    cohortId: string,
    hubId: string,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewModeration(deps.context(request), cohortId)
    const entry = view.hubs.find((h) => h.hub.id === hubId)
    if (!view.canModerate || !entry) throw new NotFoundError('Selection')
    return reply.view('selection-send-back.njk', {
      pageTitle: `Send back the decisions of ${entry.hub.name}`,
      cohort: view.cohort,
      hub: entry.hub,
      canSendBack: entry.canSendBack,
      backPath: `/admin/cohorts/${view.cohort.id}/selection`,
      values: {},
      ...extra,
    })
  }

  app.get(
    '/admin/cohorts/:cohortId/selection/:hubId/send-back',
    guarded(async (request, reply) => {
      const params = moderationParams.safeParse(request.params)
      if (!params.success) return notFound(reply)
      return sendBackPage(request, reply, params.data.cohortId, params.data.hubId)
    }),
  )

  app.post(
    '/admin/cohorts/:cohortId/selection/:hubId/send-back',
    guarded(async (request, reply) => {
      const params = moderationParams.safeParse(request.params)
      if (!params.success) return notFound(reply)
      const { cohortId, hubId } = params.data
      const form = firstValues(request.body)
      try {
        await sendBackDecisions(deps.context(request), hubId, cohortId, sendBackFromForm(form))
        return reply.redirect(`/admin/cohorts/${cohortId}/selection?sent-back=${hubId}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return sendBackPage(request, reply.code(422), cohortId, hubId, {
          errors: pageErrors(error),
          values: { reason: form.reason ?? '' },
        })
      }
    }),
  )

  // --- The teacher's offer

  async function offerPage(
    request: FastifyRequest,
    reply: FastifyReply,
    applicationId: number,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewOwnOffer(deps.context(request), applicationId)
    return reply.view('selection-offer.njk', {
      pageTitle: 'Your place',
      status: view.status,
      decision: view.decision,
      application: view.application,
      cohort: view.cohort,
      feedback: view.decision.shareFeedback && view.decision.feedback !== '' ? view.decision.feedback : null,
      responseDays: OFFER_RESPONSE_DAYS,
      values: {},
      ...extra,
    })
  }

  app.get(
    '/applications/:id/offer',
    guarded(async (request, reply) => {
      const params = idParam.safeParse(request.params)
      if (!params.success) return notFound(reply)
      return offerPage(request, reply, params.data.id)
    }),
  )

  app.post(
    '/applications/:id/offer',
    guarded(async (request, reply) => {
      const params = idParam.safeParse(request.params)
      if (!params.success) return notFound(reply)
      const form = firstValues(request.body)
      try {
        await respondToOffer(deps.context(request), params.data.id, offerResponseFromForm(form))
        return reply.redirect(`/applications/${params.data.id}/offer`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const gone = error.errors.some((e) => e.code.startsWith('offer-'))
        return offerPage(request, reply.code(gone ? 409 : 422), params.data.id, {
          errors: pageErrors(error),
          values: { decision: form.decision ?? '', reason: form.reason ?? '' },
        })
      }
    }),
  )

  // --- The headteacher's link: no sign-in; the link is the authority.

  async function placePage(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewPlaceOffer(deps.context(request), token)
    if (view.status !== 'open' && reply.statusCode < 400) reply.code(410)
    return reply.view('selection-place.njk', {
      pageTitle:
        view.status === 'open'
          ? `Accept the place offered to ${view.application.applicantName}`
          : 'This link can no longer be used',
      status: view.status,
      decision: view.decision,
      application: view.application,
      cohort: view.cohort,
      action: `/places/${encodeURIComponent(token)}`,
      values: {},
      ...extra,
    })
  }

  const placeRoute =
    (handler: (request: FastifyRequest, reply: FastifyReply, token: string) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { token } = request.params as { token: string }
      if (!TOKEN.test(token)) return notFound(reply)
      try {
        return await handler(request, reply, token)
      } catch (error) {
        if (error instanceof NotFoundError) return notFound(reply)
        throw error
      }
    }

  app.get(
    '/places/:token',
    placeRoute(async (request, reply, token) => {
      reply.ensureFormToken()
      return placePage(request, reply, token)
    }),
  )

  app.post(
    '/places/:token',
    placeRoute(async (request, reply, token) => {
      const form = firstValues(request.body)
      try {
        const view = await respondToPlaceOffer(deps.context(request), token, offerResponseFromForm(form))
        return reply.view('selection-place-done.njk', {
          pageTitle:
            form.decision === 'accept' ? 'You have accepted the place' : 'You have declined the place',
          accepted: form.decision === 'accept',
          status: view.status,
          application: view.application,
        })
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const gone = error.errors.some((e) => e.code.startsWith('offer-'))
        return placePage(request, reply.code(gone ? 410 : 422), token, {
          errors: pageErrors(error),
          values: { decision: form.decision ?? '', reason: form.reason ?? '' },
        })
      }
    }),
  )
}
