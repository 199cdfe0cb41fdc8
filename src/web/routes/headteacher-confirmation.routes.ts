// "Ask again": the hub's lead asks a headteacher at an address the hub has checked to confirm a
// submitted application whose headteacher the service could not verify; the headteacher answers
// through the emailed link, without signing in. Every page calls a use-case, which decides access.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  answerHeadteacherConfirmation,
  viewHeadteacherConfirmation,
} from '../../domain/applications/answer-headteacher-confirmation.ts'
import {
  askHeadteacherAgain,
  canAskHeadteacherAgain,
} from '../../domain/applications/ask-headteacher-again.ts'
import { viewApplication } from '../../domain/applications/view-applications.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { NotFoundError, ValidationError } from '../../errors.ts'
import { firstValues } from '../forms.ts'
import type { PageError } from '../page.ts'
import { idParam, notFound } from '../route-params.ts'
import { requireSignIn } from '../session.ts'

export interface HeadteacherConfirmationRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const TOKEN = /^[A-Za-z0-9_-]{1,200}$/

function pageErrors(error: ValidationError): PageError[] {
  return error.errors.map((e) => ({ text: e.message, href: `#${e.field}` }))
}

export function headteacherConfirmationRoutes(
  app: FastifyInstance,
  deps: HeadteacherConfirmationRouteDeps,
): void {
  // --- The hub's lead asks

  async function askPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: { name: string; email: string },
    errors?: PageError[],
  ) {
    const parsed = idParam.safeParse(request.params)
    if (!parsed.success) return notFound(reply)
    const context = deps.context(request)
    const view = await viewApplication(context, parsed.data.id)
    if (view.own || !canAskHeadteacherAgain(context.actor, view.application)) return notFound(reply)
    return reply.view('application-ask-headteacher.njk', {
      pageTitle: 'Ask the school’s headteacher to confirm',
      application: view.application,
      cohort: view.cohort,
      values,
      errors,
    })
  }

  app.get('/applications/:id/ask-headteacher', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply
    try {
      return await askPage(request, reply, { name: '', email: '' })
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  })

  app.post('/applications/:id/ask-headteacher', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply
    const parsed = idParam.safeParse(request.params)
    if (!parsed.success) return notFound(reply)
    const form = firstValues(request.body)
    try {
      await askHeadteacherAgain(deps.context(request), parsed.data.id, {
        name: form.name,
        email: form.email,
      })
      return reply.redirect(`/applications/${parsed.data.id}?confirmation-asked=1`, 303)
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      if (!(error instanceof ValidationError)) throw error
      return askPage(
        request,
        reply.code(422),
        { name: form.name ?? '', email: form.email ?? '' },
        pageErrors(error),
      )
    }
  })

  // --- The headteacher's link: no sign-in; the link is the authority.

  async function confirmPage(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewHeadteacherConfirmation(deps.context(request), token)
    if (view.status !== 'open') reply.code(410)
    return reply.view('headteacher-confirm.njk', {
      pageTitle:
        view.status === 'open'
          ? `Confirm ${view.application.applicantName}’s application`
          : 'This link can no longer be used',
      status: view.status,
      confirmation: view.confirmation,
      application: view.application,
      cohort: view.cohort,
      action: `/confirm-headteacher/${encodeURIComponent(token)}`,
      values: {},
      ...extra,
    })
  }

  app.get('/confirm-headteacher/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    if (!TOKEN.test(token)) return notFound(reply)
    reply.ensureFormToken()
    try {
      return await confirmPage(request, reply, token)
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  })

  app.post('/confirm-headteacher/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    if (!TOKEN.test(token)) return notFound(reply)
    const form = firstValues(request.body)
    try {
      const { answer, application } = await answerHeadteacherConfirmation(deps.context(request), token, {
        answer: form.answer || undefined,
      })
      return reply.view('headteacher-confirm.njk', {
        pageTitle:
          answer === 'confirmed' ? 'You have confirmed the application' : 'Thank you for your answer',
        answered: answer,
        application,
      })
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      if (!(error instanceof ValidationError)) throw error
      const linkGone = error.errors.some((e) => e.code.startsWith('link-'))
      return confirmPage(request, linkGone ? reply.code(410) : reply.code(422), token, {
        errors: pageErrors(error),
        values: { answer: form.answer ?? '' },
      })
    }
  })
}
