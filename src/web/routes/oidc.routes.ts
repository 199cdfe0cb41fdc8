// Sign in with an organisation's account (OpenID Connect), when the service is configured with a
// provider. The visitor's session keeps the sign-in's state, verifier and nonce until the
// provider sends them back; the callback spends them whatever happens, so each works once.
// Only people the service already knows (by a verified email address) can sign in this way.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ANONYMOUS } from '../../domain/access/actor.ts'
import { isOidcState, oidcFailureReason, type OidcSignIn } from '../../domain/auth/oidc.ts'
import { findPersonByEmail } from '../../domain/people/people.repository.ts'
import { inTransaction, type UseCaseContext } from '../../domain/use-case.ts'
import { firstValues } from '../forms.ts'
import { RETURN_TO_COOKIE, safeReturnPath } from '../return-to.ts'

export interface OidcRouteDeps {
  context(request: FastifyRequest): UseCaseContext
  oidc: OidcSignIn
}

const FAILED_TITLE = 'Sorry, we could not sign you in'

const MESSAGES = {
  unavailable: 'Your organisation’s sign-in service is not answering. Try again later.',
  noState: 'Your sign-in timed out, was already used or was started in another browser. Start again.',
  failed: 'Your organisation’s sign-in service did not confirm who you are. Start again.',
  unverified: 'Your organisation’s account does not confirm that your email address is yours.',
}

function failed(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).view('sign-in-oidc-failed.njk', { pageTitle: FAILED_TITLE, message })
}

export function oidcRoutes(app: FastifyInstance, deps: OidcRouteDeps): void {
  app.get('/sign-in/oidc', async (request, reply) => {
    let started: Awaited<ReturnType<OidcSignIn['start']>>
    try {
      started = await deps.oidc.start()
    } catch (error) {
      request.log.warn({ reason: oidcFailureReason(error) }, 'organisation sign-in could not start')
      return failed(reply, 502, MESSAGES.unavailable)
    }
    // The page to come back to: named on the link (`?next=`) or remembered in this browser.
    const next =
      safeReturnPath(firstValues(request.query).next) ?? safeReturnPath(request.cookies[RETURN_TO_COOKIE])
    await reply.saveSessionData({ ...request.session?.data, oidc: started.state, oidcNext: next ?? null })
    return reply.redirect(started.url, 302)
  })

  app.get('/sign-in/oidc/callback', async (request, reply) => {
    const data = request.session?.data ?? {}
    const stored = data.oidc
    const next = data.oidcNext
    if ('oidc' in data || 'oidcNext' in data) {
      const rest = { ...data }
      delete rest.oidc
      delete rest.oidcNext
      await reply.saveSessionData(rest)
    }
    if (!isOidcState(stored)) {
      request.log.info('organisation sign-in refused: no sign-in in progress on this session')
      return failed(reply, 400, MESSAGES.noState)
    }

    const context = deps.context(request)
    let identity: Awaited<ReturnType<OidcSignIn['finish']>>
    try {
      identity = await deps.oidc.finish(new URL(request.url, context.baseUrl), stored)
    } catch (error) {
      request.log.info({ reason: oidcFailureReason(error) }, 'organisation sign-in refused')
      return failed(reply, 400, MESSAGES.failed)
    }
    if (!identity.emailVerified) {
      request.log.info('organisation sign-in refused: email address not verified')
      return failed(reply, 400, MESSAGES.unverified)
    }

    const person = await findPersonByEmail(context.db, identity.email)
    if (!person) {
      request.log.info('organisation sign-in refused: no account for the email address')
      return reply.code(403).view('sign-in-oidc-no-account.njk', { pageTitle: 'You do not have an account' })
    }
    await inTransaction({ ...context, actor: ANONYMOUS }, ({ audit }) =>
      audit({ action: 'sign-in.oidc', recordType: 'person', recordId: person.id }),
    )
    await reply.startSession(person.id)
    return reply.redirect(reply.returnPathAfterSignIn(next), 303)
  })
}
