// Server-side sessions in the database (so several app processes share them), the actor behind
// each request, and CSRF protection for every state-changing form.
//
// Pages: a cookie holds a random session id; the database keeps only its hash. Sessions end
// after an idle time and an absolute time; signing in replaces the session id. Only signing in
// makes a session: anonymous forms carry a signed double-submit token (csrf.ts), stored nowhere,
// and other short-lived anonymous state (an organisation sign-in's) sits in a signed cookie.
// API: a bearer token (Authorization: Bearer mh_...) and never a cookie, so the API needs no CSRF.
import fastifyCookie from '@fastify/cookie'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'
import { ANONYMOUS, type Actor } from '../domain/access/actor.ts'
import { actorForApiToken, actorForPerson } from '../domain/access/actors.repository.ts'
import { hashSecret, newSecret, sameSecret } from '../domain/auth/tokens.ts'
import { isApiRequest } from '../http/request-kind.ts'
import type { Clock } from '../lib/clock.ts'
import { formTokenCookie, formTokenMatches, formTokens, hostOnlyCookie, signer, signingKey } from './csrf.ts'
import { RETURN_TO_COOKIE, RETURN_TO_MINUTES, safeReturnPath } from './return-to.ts'

export const SESSION_COOKIE = 'mh_session'

export interface SessionState {
  idHash: string
  personId: number | null
  csrfToken: string
  data: Record<string, unknown>
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor
    session: SessionState | null
    /** An anonymous visitor's signed CSRF token, from their cookie or just issued; null when none. */
    formToken: string | null
  }
}

export interface SessionDeps {
  db: Db
  clock: Clock
  config: Pick<Config, 'session'>
}

const SIGNED_COOKIE = z.object({ expires: z.number().int(), value: z.string() })

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** An API route (decided on the route reached, however its address was spelled): never a cookie. */
export function isApiPath(request: FastifyRequest): boolean {
  return isApiRequest(request)
}

export async function registerSessions(app: FastifyInstance, deps: SessionDeps): Promise<void> {
  const { db, clock, config } = deps
  await app.register(fastifyCookie)
  app.decorateRequest('actor', null as never)
  app.decorateRequest('session', null)
  app.decorateRequest('formToken', null)
  const key = signingKey(config.session.csrfSecret)
  const tokens = formTokens(key)
  const csrfCookie = formTokenCookie(config.session.secureCookies)

  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.session.secureCookies,
  }

  app.addHook('onRequest', async (request) => {
    request.actor = ANONYMOUS
    request.session = null
    if (request.url.startsWith('/assets/')) return
    if (isApiPath(request)) {
      const header = request.headers.authorization
      const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null
      if (match) request.actor = (await actorForApiToken(db, match[1]!, clock.now())) ?? ANONYMOUS
      return
    }
    const cookie = request.cookies[SESSION_COOKIE]
    if (!cookie) return
    const idHash = hashSecret(cookie)
    const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst()
    if (!row) return
    const now = clock.now()
    const idleLimit = row.last_seen_at.getTime() + config.session.idleMinutes * 60_000
    if (row.expires_at.getTime() <= now.getTime() || idleLimit <= now.getTime()) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
      return
    }
    request.session = { idHash, personId: row.person_id, csrfToken: row.csrf_token, data: row.data }
    if (row.person_id !== null) request.actor = (await actorForPerson(db, row.person_id)) ?? ANONYMOUS
    if (now.getTime() - row.last_seen_at.getTime() > 30_000) {
      await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute()
    }
  })

  // An anonymous visitor's CSRF token comes back in its cookie; one we did not sign is ignored.
  app.addHook('onRequest', async (request) => {
    request.formToken = null
    const cookie = request.cookies[csrfCookie]
    if (!request.session && cookie && tokens.isSigned(cookie)) request.formToken = cookie
  })

  // CSRF: every state-changing page request must carry the session's token or, with no session,
  // the token in the visitor's signed cookie.
  app.addHook('preHandler', async (request, reply) => {
    if (!UNSAFE_METHODS.has(request.method) || isApiPath(request)) return
    const body = request.body as Record<string, unknown> | undefined
    const sent = typeof body?._csrf === 'string' ? body._csrf : ''
    const accepted = request.session
      ? sent !== '' && sameSecret(sent, request.session.csrfToken)
      : formTokenMatches(tokens, sent, request.cookies[csrfCookie])
    if (!accepted) {
      request.log.info('form refused: missing or wrong CSRF token')
      return reply.code(403).view('forbidden-form.njk', { pageTitle: 'Sorry, this form has expired' })
    }
  })

  async function createSession(reply: FastifyReply, personId: number): Promise<SessionState> {
    const now = clock.now()
    const id = newSecret()
    const state: SessionState = { idHash: hashSecret(id), personId, csrfToken: newSecret(), data: {} }
    await db
      .insertInto('sessions')
      .values({
        id_hash: state.idHash,
        person_id: personId,
        csrf_token: state.csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + config.session.absoluteHours * 3_600_000),
      })
      .execute()
    reply.setCookie(SESSION_COOKIE, id, cookieOptions)
    return state
  }

  app.decorateReply('ensureFormToken', function (this: FastifyReply) {
    const request = this.request
    if (request.session) return request.session.csrfToken
    if (!request.formToken) {
      request.formToken = tokens.issue()
      this.setCookie(csrfCookie, request.formToken, cookieOptions)
    }
    return request.formToken
  })

  app.decorateReply('rememberReturnPath', function (this: FastifyReply, path: string) {
    const target = safeReturnPath(path)
    if (target !== undefined) {
      this.setCookie(RETURN_TO_COOKIE, target, { ...cookieOptions, maxAge: RETURN_TO_MINUTES * 60 })
    }
  })

  app.decorateReply('returnPathAfterSignIn', function (this: FastifyReply, next?: unknown) {
    const remembered = this.request.cookies[RETURN_TO_COOKIE]
    if (remembered !== undefined) this.clearCookie(RETURN_TO_COOKIE, cookieOptions)
    return safeReturnPath(next) ?? safeReturnPath(remembered) ?? '/account'
  })

  app.decorateReply('startSession', async function (this: FastifyReply, personId: number) {
    const request = this.request
    if (request.session)
      await db.deleteFrom('sessions').where('id_hash', '=', request.session.idHash).execute()
    request.session = await createSession(this, personId)
    request.actor = (await actorForPerson(db, personId)) ?? ANONYMOUS
    if (request.cookies[csrfCookie]) this.clearCookie(csrfCookie, cookieOptions)
    request.formToken = null
  })

  app.decorateReply('endSession', async function (this: FastifyReply) {
    const request = this.request
    if (request.session)
      await db.deleteFrom('sessions').where('id_hash', '=', request.session.idHash).execute()
    request.session = null
    request.actor = ANONYMOUS
    this.clearCookie(SESSION_COOKIE, cookieOptions)
  })

  app.decorateReply(
    'setSignedCookie',
    function (this: FastifyReply, name: string, value: string, minutes: number) {
      const expires = clock.now().getTime() + minutes * 60_000
      const payload = Buffer.from(JSON.stringify({ expires, value }), 'utf8').toString('base64url')
      const signed = signer(key, `mh-cookie:${name}`).sign(payload)
      this.setCookie(hostOnlyCookie(name, config.session.secureCookies), signed, {
        ...cookieOptions,
        maxAge: minutes * 60,
      })
    },
  )

  app.decorateReply('takeSignedCookie', function (this: FastifyReply, name: string) {
    const cookieName = hostOnlyCookie(name, config.session.secureCookies)
    const cookie = this.request.cookies[cookieName]
    if (cookie === undefined) return undefined
    this.clearCookie(cookieName, cookieOptions)
    const payload = signer(key, `mh-cookie:${name}`).verified(cookie)
    if (payload === undefined) return undefined
    const parsed = SIGNED_COOKIE.safeParse(parseJson(Buffer.from(payload, 'base64url').toString('utf8')))
    if (!parsed.success || parsed.data.expires <= clock.now().getTime()) return undefined
    return parsed.data.value
  })
}

declare module 'fastify' {
  interface FastifyReply {
    /**
     * The CSRF token for a form on this page: the session's, or for an anonymous visitor a signed
     * token in a cookie (issued now if they have none). Stores nothing.
     */
    ensureFormToken(): string
    /** Signs the person in with a new session id, ending any previous session. */
    startSession(personId: number): Promise<void>
    endSession(): Promise<void>
    /**
     * Keeps a short-lived value in this browser instead of the database: an HttpOnly, SameSite=Lax
     * cookie (Secure and __Host- over https) holding the value and when it ends, signed with the
     * service's key for this cookie alone. Stores nothing.
     */
    setSignedCookie(name: string, value: string, minutes: number): void
    /**
     * The value of a cookie set by setSignedCookie, when its signature is ours and it has not
     * ended; undefined otherwise. Clears the cookie whatever it held, so it is read once.
     */
    takeSignedCookie(name: string): string | undefined
    /** Remembers a page of this service to return to once signed in (anything else is ignored). */
    rememberReturnPath(path: string): void
    /**
     * Where to go once signed in: `next` when it is one of this service's pages, else the page
     * remembered in this browser, else the account page. Forgets the remembered page.
     */
    returnPathAfterSignIn(next?: unknown): string
    view(template: string, context: Record<string, unknown>): FastifyReply
  }
}

/** Pages for signed-in people: anonymous visitors are sent to sign in. */
export function requireSignIn(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.actor.kind === 'person') return true
  if (request.method === 'GET') reply.rememberReturnPath(request.url)
  void reply.redirect('/sign-in')
  return false
}
