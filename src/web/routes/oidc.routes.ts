// Sign in with an organisation's account (OpenID Connect), when the service is configured with a
// provider. The sign-in's state, verifier and nonce, and the page to return to, wait in a signed
// cookie in the visitor's browser (ten minutes at most) until the provider sends them back: nothing
// is stored before the sign-in succeeds. The callback clears the cookie whatever happens, and the
// provider takes each code once, so each sign-in finishes at most once. Only people the service
// already knows (by a verified email address) can sign in this way. See docs/adr/0013.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ANONYMOUS } from '../../domain/access/actor.ts'
import { z } from 'zod'
import { oidcFailureReason, type OidcSignIn } from '../../domain/auth/oidc.ts'
import { findPersonByEmail } from '../../domain/people/people.repository.ts'
import { inTransaction, type UseCaseContext } from '../../domain/use-case.ts'
import { firstValues } from '../forms.ts'
import { RETURN_TO_COOKIE, safeReturnPath } from '../return-to.ts'

export interface OidcRouteDeps {
  context(request: FastifyRequest): UseCaseContext
  oidc: OidcSignIn
}

/** The signed cookie that carries a sign-in from its start to its callback, and how long it lasts. */
export const OIDC_COOKIE = 'mh_oidc'
export const OIDC_COOKIE_MINUTES = 10

const IN_PROGRESS = z.object({
  codeVerifier: z.string().min(1),
  state: z.string().min(1),
  nonce: z.string().min(1),
  next: z.string().nullable(),
})

function inProgress(value: string | undefined): z.infer<typeof IN_PROGRESS> | undefined {
  if (value === undefined) return undefined
  try {
    const parsed = IN_PROGRESS.safeParse(JSON.parse(value))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
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
    const kept = { ...started.state, next: next ?? null }
    reply.setSignedCookie(OIDC_COOKIE, JSON.stringify(kept), OIDC_COOKIE_MINUTES)
    return reply.redirect(started.url, 302)
  })

  app.get('/sign-in/oidc/callback', async (request, reply) => {
    // Missing, not signed by us, ended or unreadable: all the same to the visitor.
    const kept = inProgress(reply.takeSignedCookie(OIDC_COOKIE))
    if (!kept) {
      request.log.info('organisation sign-in refused: no sign-in in progress in this browser')
      return failed(reply, 400, MESSAGES.noState)
    }
    const { next, ...stored } = kept

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
