// Pages for the end-of-year questionnaire: NCETM's questions (add, reword, reorder, retire); the
// hub's team sending it to a group's advocates; an advocate answering through their single-use
// link without signing in; a lead specialist answering signed in; and the answers per group, per
// hub and nationally. A refusal shows the form again (422) with the GOV.UK error summary and
// changes nothing; anyone who may not see the page is answered "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { UseCaseContext } from '../../domain/use-case.ts'
import {
  answerAdvocateQuestionnaire,
  answerAsSpecialist,
  viewAdvocateQuestionnaire,
  viewSpecialistQuestionnaire,
} from '../../domain/work-groups/evaluation/answer-questionnaire.ts'
import { canManageQuestions } from '../../domain/work-groups/evaluation/evaluation.policy.ts'
import {
  addQuestion,
  AUDIENCE_NAMES,
  changeQuestion,
  listQuestions,
} from '../../domain/work-groups/evaluation/questions.ts'
import { sendQuestionnaire } from '../../domain/work-groups/evaluation/send-questionnaire.ts'
import {
  viewEvaluationResults,
  type EvaluationScope,
} from '../../domain/work-groups/evaluation/view-evaluation-results.ts'
import { NotFoundError, ValidationError } from '../../errors.ts'
import { firstValues } from '../forms.ts'
import { errorsOf } from '../page.ts'
import { guarded, idParam, notFound, slugParam } from '../route-params.ts'

export interface EvaluationRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const TOKEN = /^[A-Za-z0-9_-]{1,200}$/

const SCALE = [
  { value: '1', text: '1: not at all' },
  { value: '2', text: '2' },
  { value: '3', text: '3' },
  { value: '4', text: '4' },
  { value: '5', text: '5: a great deal' },
]

const SAVED: Record<string, string> = {
  added: 'The question has been added',
  changed: 'The question has been changed',
  sent: 'The questionnaire has been sent to the group’s advocates',
  answered: 'Thank you: your answers have been saved',
}

function savedOf(request: FastifyRequest): string | undefined {
  const saved = firstValues(request.query).saved
  return saved && Object.hasOwn(SAVED, saved) ? SAVED[saved] : undefined
}

export function evaluationRoutes(app: FastifyInstance, deps: EvaluationRouteDeps): void {
  // --- NCETM's questions

  async function questionsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    if (!canManageQuestions(context.actor)) return notFound(reply)
    const questions = await listQuestions(context.db, { withRetired: true })
    return reply.view('evaluation-questions.njk', {
      pageTitle: `End-of-year questionnaire: questions`,
      groups: (['advocate', 'specialist'] as const).map((audience) => ({
        audience,
        name: AUDIENCE_NAMES[audience],
        questions: questions.filter((q) => q.audience === audience),
      })),
      saved: savedOf(request),
      values: {},
      ...extra,
    })
  }

  app.get(
    '/evaluation/questions',
    guarded(async (request, reply) => questionsPage(request, reply)),
  )

  app.post(
    '/evaluation/questions',
    guarded(async (request, reply) => {
      const body = firstValues(request.body)
      try {
        await addQuestion(deps.context(request), {
          audience: body.audience ?? '',
          kind: body.kind ?? '',
          text: body.text ?? '',
        })
        return reply.redirect('/evaluation/questions?saved=added', 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return questionsPage(request, reply.code(422), {
          ...errorsOf(error.errors, ['audience', 'kind', 'text']),
          values: body,
        })
      }
    }),
  )

  app.post(
    '/evaluation/questions/:id',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await changeQuestion(deps.context(request), parsed.data.id, {
          action: body.action ?? '',
          text: body.text,
        })
        return reply.redirect('/evaluation/questions?saved=changed', 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return questionsPage(request, reply.code(422), errorsOf(error.errors, []))
      }
    }),
  )

  // --- Sending, and the answers

  app.post(
    '/work-groups/:id/evaluation/send',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      try {
        await sendQuestionnaire(deps.context(request), parsed.data.id)
        return reply.redirect(`/work-groups/${parsed.data.id}/evaluation?saved=sent`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return resultsPage(
          request,
          reply.code(422),
          { kind: 'group', id: parsed.data.id },
          errorsOf(error.errors, []),
        )
      }
    }),
  )

  async function resultsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    scope: EvaluationScope,
    extra: Record<string, unknown> = {},
  ) {
    const results = await viewEvaluationResults(deps.context(request), scope)
    return reply.view('evaluation-results.njk', {
      pageTitle: `Questionnaire answers: ${results.title}`,
      results,
      scope,
      audiences: (['advocate', 'specialist'] as const).map((audience) => ({
        audience,
        name: AUDIENCE_NAMES[audience],
        responses: results.responses[audience],
        questions: results.questions.filter((q) => q.audience === audience),
      })),
      saved: savedOf(request),
      ...extra,
    })
  }

  app.get(
    '/work-groups/:id/evaluation',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return resultsPage(request, reply, { kind: 'group', id: parsed.data.id })
    }),
  )

  app.get(
    '/hubs/:id/evaluation',
    guarded(async (request, reply) => {
      const parsed = slugParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return resultsPage(request, reply, { kind: 'hub', id: parsed.data.id })
    }),
  )

  app.get(
    '/evaluation/results',
    guarded(async (request, reply) => resultsPage(request, reply, { kind: 'national' })),
  )

  // --- A lead specialist answers, signed in

  async function specialistPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewSpecialistQuestionnaire(deps.context(request), id)
    return reply.view('evaluation-answer.njk', {
      pageTitle: `End-of-year questionnaire: ${view.group.name}`,
      groupName: view.group.name,
      answered: view.answered,
      questions: view.questions,
      scale: SCALE,
      action: `/work-groups/${id}/evaluation/answer`,
      backHref: `/work-groups/${id}`,
      values: {},
      ...extra,
    })
  }

  app.get(
    '/work-groups/:id/evaluation/answer',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return specialistPage(request, reply, parsed.data.id)
    }),
  )

  app.post(
    '/work-groups/:id/evaluation/answer',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await answerAsSpecialist(deps.context(request), parsed.data.id, body)
        return reply.redirect(`/work-groups/${parsed.data.id}?saved=evaluation`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return specialistPage(request, reply.code(422), parsed.data.id, {
          ...errorsOf(
            error.errors,
            Object.keys(body)
              .filter((k) => /^q\d+$/.test(k))
              .concat(error.errors.map((e) => e.field).filter((f) => f !== 'form')),
          ),
          values: body,
        })
      }
    }),
  )

  // --- An advocate's single-use link: no sign-in; the link is the authority.

  async function advocatePage(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewAdvocateQuestionnaire(deps.context(request), token)
    if (view.status === 'unknown') return notFound(reply)
    if (view.status !== 'open') reply.code(410)
    return reply.view('evaluation-answer.njk', {
      pageTitle:
        view.status === 'open'
          ? `End-of-year questionnaire: ${view.groupName}`
          : 'This link can no longer be used',
      status: view.status,
      groupName: view.groupName,
      questions: view.questions,
      scale: SCALE,
      action: `/questionnaire/${encodeURIComponent(token)}`,
      values: {},
      ...extra,
    })
  }

  app.get('/questionnaire/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    if (!TOKEN.test(token)) return notFound(reply)
    reply.ensureFormToken()
    return advocatePage(request, reply, token)
  })

  app.post('/questionnaire/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    if (!TOKEN.test(token)) return notFound(reply)
    const body = firstValues(request.body)
    try {
      await answerAdvocateQuestionnaire(deps.context(request), token, body)
      return reply.view('evaluation-answer.njk', { pageTitle: 'Thank you', done: true })
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      if (!(error instanceof ValidationError)) throw error
      if (error.errors.some((e) => e.field === 'form')) return advocatePage(request, reply, token)
      return advocatePage(request, reply.code(422), token, {
        ...errorsOf(
          error.errors,
          error.errors.map((e) => e.field),
        ),
        values: body,
      })
    }
  })
}
