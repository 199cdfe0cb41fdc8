// Sign in by emailed link, sign out, and (in the demo only) sign in as a demo person.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { createAccount } from '../../domain/auth/create-account.ts'
import { requestSignInLink, useSignInLink } from '../../domain/auth/sign-in-link.ts'
import { ALL_DEMO_PERSONAS } from '../../db/seeds/demo-people.ts'
import { inTransaction, type UseCaseContext } from '../../domain/use-case.ts'
import { ValidationError } from '../../errors.ts'
import { summaryOf } from '../page.ts'
import { RETURN_TO_COOKIE, safeReturnPath } from '../return-to.ts'
import { firstValues } from '../forms.ts'

export interface AuthRouteDeps {
  context(request: FastifyRequest): UseCaseContext
  demo: boolean
  oidcEnabled: boolean
}

/** The page this browser was on before being sent to sign in, if it is one of ours. */
function rememberedPath(request: FastifyRequest): string | undefined {
  return safeReturnPath(request.cookies[RETURN_TO_COOKIE])
}

export function authRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const signInPage = { pageTitle: 'Sign in', oidcEnabled: deps.oidcEnabled }

  app.get('/sign-in', async (request, reply) => {
    reply.ensureFormToken()
    // A link may name the page to come back to: `/sign-in?next=/reviews`.
    const { next } = firstValues(request.query)
    if (next !== undefined) reply.rememberReturnPath(next)
    return reply.view('sign-in.njk', { ...signInPage, email: '' })
  })

  app.post('/sign-in', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    try {
      const result = await requestSignInLink(
        deps.context(request),
        body,
        { ip: request.ip },
        { later: (work) => reply.afterResponse(work), next: rememberedPath(request) },
      )
      if (result.outcome === 'rate-limited') {
        reply.header('retry-after', String(result.retryAfterSeconds))
        return reply.code(429).view('rate-limited.njk', {
          pageTitle: 'You have asked for too many sign-in links',
          retryAfterMinutes: Math.ceil(result.retryAfterSeconds / 60),
        })
      }
      return reply.redirect('/sign-in/check-your-email', 303)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      return reply.code(422).view('sign-in.njk', {
        ...signInPage,
        email: typeof body.email === 'string' ? body.email : '',
        errors: summaryOf(error),
      })
    }
  })

  app.get('/create-account', async (_request, reply) => {
    reply.ensureFormToken()
    return reply.view('create-account.njk', { pageTitle: 'Create an account', values: {} })
  })

  app.post('/create-account', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const values = {
      name: typeof body.name === 'string' ? body.name : '',
      email: typeof body.email === 'string' ? body.email : '',
    }
    try {
      const result = await createAccount(
        deps.context(request),
        body,
        { ip: request.ip },
        { later: (work) => reply.afterResponse(work), next: rememberedPath(request) },
      )
      if (result.outcome === 'rate-limited') {
        reply.header('retry-after', String(result.retryAfterSeconds))
        return reply.code(429).view('rate-limited.njk', {
          pageTitle: 'You have asked for too many sign-in links',
          retryAfterMinutes: Math.ceil(result.retryAfterSeconds / 60),
        })
      }
      return reply.redirect('/sign-in/check-your-email', 303)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      return reply
        .code(422)
        .view('create-account.njk', { pageTitle: 'Create an account', values, errors: summaryOf(error) })
    }
  })

  app.get('/sign-in/check-your-email', async (_request, reply) =>
    reply.view('sign-in-check-email.njk', { pageTitle: 'Check your email' }),
  )

  // The emailed link opens a page with a button, so that mail scanners following links do not
  // spend it; the button's POST signs in.
  app.get('/sign-in/link/:token', async (request, reply) => {
    reply.ensureFormToken()
    const { token } = request.params as { token: string }
    return reply.view('sign-in-link.njk', {
      pageTitle: 'Sign in',
      action: `/sign-in/link/${encodeURIComponent(token)}`,
      next: safeReturnPath(firstValues(request.query).next) ?? '',
    })
  })

  app.post('/sign-in/link/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    const personId = await useSignInLink(deps.context(request), token)
    if (personId === undefined) {
      return reply.code(410).view('sign-in-link-expired.njk', {
        pageTitle: 'This sign-in link has expired or has already been used',
      })
    }
    await reply.startSession(personId)
    const body = (request.body ?? {}) as Record<string, unknown>
    return reply.redirect(reply.returnPathAfterSignIn(body.next), 303)
  })

  app.post('/sign-out', async (request, reply) => {
    const actor = request.actor
    if (actor.kind === 'person') {
      await inTransaction(deps.context(request), ({ audit }) =>
        audit({ action: 'sign-out', recordType: 'person', recordId: actor.personId }),
      )
    }
    await reply.endSession()
    return reply.redirect('/', 303)
  })

  if (!deps.demo) return

  app.get('/demo/personas', async (request, reply) => {
    reply.ensureFormToken()
    const db = deps.context(request).db
    const people = await db
      .selectFrom('people')
      .select(['id', 'name', 'email'])
      .where(
        'email',
        'in',
        ALL_DEMO_PERSONAS.map((p) => p.email),
      )
      .execute()
    const personas = ALL_DEMO_PERSONAS.flatMap((persona) => {
      const person = people.find((p) => p.email === persona.email)
      return person
        ? [{ personId: person.id, name: person.name, email: person.email, description: persona.description }]
        : []
    })
    return reply.view('demo-personas.njk', { pageTitle: 'Sign in as a demo person', personas })
  })

  app.post('/demo/personas/:personId', async (request, reply) => {
    const personId = Number((request.params as { personId: string }).personId)
    const db = deps.context(request).db
    // A whole number PostgreSQL's integer can hold; anything else is no one.
    const person =
      Number.isInteger(personId) && personId > 0 && personId <= 2 ** 31 - 1
        ? await db.selectFrom('people').select(['id', 'email']).where('id', '=', personId).executeTakeFirst()
        : undefined
    if (!person || !ALL_DEMO_PERSONAS.some((p) => p.email === person.email)) {
      return reply.code(404).view('not-found.njk', { pageTitle: 'Page not found' })
    }
    await inTransaction(deps.context(request), ({ audit }) =>
      audit({ action: 'sign-in.demo', recordType: 'person', recordId: person.id }),
    )
    await reply.startSession(person.id)
    return reply.redirect(reply.returnPathAfterSignIn(), 303)
  })
}
