// Signing in with an organisation's account, end to end over real HTTP: the app listens on a
// local port, a real OpenID Connect provider (oidc-provider, with its development login and
// consent pages) on another, and fetch with a small cookie jar plays the browser.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance, FastifyRequest } from 'fastify'
// @ts-expect-error oidc-provider ships no type declarations; the test uses its constructor and callback only
import Provider from 'oidc-provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { loadDemo } from '../src/db/seeds/demo.ts'
import { createOidcSignIn } from '../src/domain/auth/oidc.ts'
import { findPersonByEmail } from '../src/domain/people/people.repository.ts'
import type { UseCaseContext } from '../src/domain/use-case.ts'
import { fixedClock } from '../src/lib/clock.ts'
import { OIDC_COOKIE, oidcRoutes } from '../src/web/routes/oidc.routes.ts'
import { SESSION_COOKIE } from '../src/web/session.ts'
import { createTestDatabase, type TestDatabase } from './database.ts'

const CLIENT_ID = 'mastery-hub-test'
const CLIENT_SECRET = randomBytes(24).toString('hex')

/** The provider's accounts: the login typed on its sign-in page is the account id (and subject). */
const ACCOUNTS: Record<string, { email: string; email_verified: boolean; name: string }> = {
  'nadia-at-work': { email: 'Nadia.Khan@ncetm.example', email_verified: true, name: 'Nadia Khan' },
  stranger: { email: 'someone.else@elsewhere.example', email_verified: true, name: 'Someone Else' },
  unverified: { email: 'nadia.khan@ncetm.example', email_verified: false, name: 'Nadia Khan' },
}

// Parts of the failure page's messages: no sign-in in progress, and an answer that did not check out.
const NOT_IN_PROGRESS = 'was already used or was started in another browser'
const NOT_CONFIRMED = 'did not confirm who you are'

type ProviderInstance = { callback(): http.RequestListener }
const OidcProvider = Provider as new (
  issuer: string,
  configuration: Record<string, unknown>,
) => ProviderInstance

let database: TestDatabase
let app: FastifyInstance
let providerServer: http.Server
let appOrigin: string
let issuer: string
const clock = fixedClock('2026-11-22T10:00:00Z')

// ---- a browser's cookies, enough for these two sites -------------------------------------------

interface StoredCookie {
  origin: string
  name: string
  value: string
  path: string
}

class CookieJar {
  private cookies: StoredCookie[] = []

  store(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';')
      const split = pair.indexOf('=')
      const name = pair.slice(0, split).trim()
      const value = pair.slice(split + 1).trim()
      let path = url.pathname.slice(0, url.pathname.lastIndexOf('/')) || '/'
      let expired = false
      for (const attribute of attributes) {
        const [key = '', ...rest] = attribute.split('=')
        const attributeValue = rest.join('=').trim()
        switch (key.trim().toLowerCase()) {
          case 'path':
            path = attributeValue || '/'
            break
          case 'max-age':
            if (Number(attributeValue) <= 0) expired = true
            break
          case 'expires':
            if (Date.parse(attributeValue) <= Date.now()) expired = true
            break
        }
      }
      this.cookies = this.cookies.filter(
        (c) => !(c.origin === url.origin && c.name === name && c.path === path),
      )
      if (!expired) this.cookies.push({ origin: url.origin, name, value, path })
    }
  }

  header(url: URL): string {
    return this.cookies
      .filter((c) => c.origin === url.origin && pathMatches(url.pathname, c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ')
  }

  get(origin: string, name: string): string | undefined {
    return this.cookies.find((c) => c.origin === origin && c.name === name)?.value
  }

  set(origin: string, name: string, value: string): void {
    this.cookies = this.cookies.filter((c) => !(c.origin === origin && c.name === name))
    this.cookies.push({ origin, name, value, path: '/' })
  }
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  const prefix = cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`
  return requestPath.startsWith(prefix)
}

/** One request, as a browser would send it: with its cookies, not following redirects. */
async function send(jar: CookieJar, url: URL | string, form?: URLSearchParams): Promise<Response> {
  const target = new URL(url, appOrigin)
  const headers: Record<string, string> = {}
  const cookie = jar.header(target)
  if (cookie) headers.cookie = cookie
  if (form) headers['content-type'] = 'application/x-www-form-urlencoded'
  const response = await fetch(target, {
    method: form ? 'POST' : 'GET',
    headers,
    ...(form ? { body: form.toString() } : {}),
    redirect: 'manual',
  })
  jar.store(target, response)
  return response
}

function decodeHtml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** The first form on a page: where it posts, and its hidden fields. */
function firstForm(html: string, pageUrl: URL): { action: URL; fields: URLSearchParams } {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html)
  if (!form) throw new Error('the page has no form')
  const action = /\baction="([^"]*)"/i.exec(form[1]!)?.[1] ?? ''
  const fields = new URLSearchParams()
  for (const input of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    if (!/\btype="hidden"/i.test(input[0])) continue
    const name = /\bname="([^"]*)"/i.exec(input[0])?.[1]
    const value = /\bvalue="([^"]*)"/i.exec(input[0])?.[1] ?? ''
    if (name) fields.append(decodeHtml(name), decodeHtml(value))
  }
  return { action: new URL(decodeHtml(action), pageUrl), fields }
}

/**
 * Goes through the provider's pages from its authorisation address: signs in as `login` on its
 * login form, agrees on its consent form, and returns the address it sends the browser back to.
 */
async function signInAtProvider(jar: CookieJar, authorizationUrl: string, login: string): Promise<URL> {
  let next: { url: URL; form?: URLSearchParams } = { url: new URL(authorizationUrl) }
  const pagesSeen: string[] = []
  for (let step = 0; step < 20; step++) {
    if (next.url.origin === appOrigin) {
      expect(pagesSeen).toEqual(['login', 'consent'])
      return next.url
    }
    const response = await send(jar, next.url, next.form)
    if (response.status >= 300 && response.status < 400) {
      await response.arrayBuffer()
      next = { url: new URL(response.headers.get('location')!, next.url) }
      continue
    }
    const html = await response.text()
    expect(response.status, html).toBe(200)
    const { action, fields } = firstForm(html, next.url)
    expect(action.origin).toBe(issuer)
    expect(action.pathname).toMatch(/^\/interaction\/[^/]+/)
    const prompt = fields.get('prompt') ?? ''
    pagesSeen.push(prompt)
    if (prompt === 'login') {
      expect(html).toMatch(/name="login"/)
      expect(html).toMatch(/name="password"/)
      fields.set('login', login)
      fields.set('password', 'any password will do')
    }
    next = { url: action, form: fields }
  }
  throw new Error('the provider never sent the browser back to the app')
}

async function sessionRows(): Promise<number> {
  const row = await database.db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A new browser: opens the sign-in page, starts signing in with the organisation's account. */
async function startSignIn(): Promise<{ jar: CookieJar; authorizationUrl: string }> {
  const jar = new CookieJar()
  const signInPage = await send(jar, '/sign-in')
  expect(signInPage.status).toBe(200)
  await signInPage.text()
  // Neither the sign-in page nor starting an organisation sign-in stores anything: the sign-in's
  // state waits in a signed cookie.
  const before = await sessionRows()
  const start = await send(jar, '/sign-in/oidc')
  expect(start.status).toBe(302)
  await start.arrayBuffer()
  const authorizationUrl = start.headers.get('location')!
  expect(jar.get(appOrigin, SESSION_COOKIE)).toBeUndefined()
  expect(jar.get(appOrigin, OIDC_COOKIE)).toBeTruthy()
  expect(await sessionRows()).toBe(before)
  return { jar, authorizationUrl }
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function auditRows(personId: number) {
  return database.db
    .selectFrom('audit_events')
    .select(['action', 'record_type', 'record_id'])
    .where('action', '=', 'sign-in.oidc')
    .where('record_id', '=', String(personId))
    .execute()
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)

  appOrigin = `http://127.0.0.1:${await freePort()}`
  const redirectUri = `${appOrigin}/sign-in/oidc/callback`

  providerServer = http.createServer()
  await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })
  const provider = new OidcProvider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    findAccount: (_ctx: unknown, sub: string) => {
      const account = ACCOUNTS[sub]
      return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined
    },
    claims: { email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    jwks: { keys: [{ ...signingKey, kid: 'test-signing-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    ttl: { AccessToken: 600, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
  })
  providerServer.on('request', provider.callback())

  const config = {
    logLevel: 'silent' as const,
    cacheTemplates: true,
    baseUrl: appOrigin,
    session: { idleMinutes: 60, absoluteHours: 12, secureCookies: false },
    oidc: { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  }
  app = await createApp({ database, config, clock, demo: true })
  // Until createApp registers these routes itself (when config.oidc is set), register them here.
  if (!app.hasRoute({ method: 'GET', url: '/sign-in/oidc' })) {
    const context = (request: FastifyRequest): UseCaseContext => ({
      db: database.db,
      actor: request.actor,
      clock,
      requestId: request.id,
      baseUrl: config.baseUrl,
    })
    oidcRoutes(app, {
      context,
      oidc: createOidcSignIn({ ...config.oidc, redirectUri }, { allowHttp: true }),
    })
  }
  await app.listen({ host: '127.0.0.1', port: Number(new URL(appOrigin).port) })
})

afterAll(async () => {
  await app?.close()
  if (providerServer) {
    providerServer.closeAllConnections()
    await new Promise<void>((resolve) => providerServer.close(() => resolve()))
  }
  await database?.destroy()
})

describe('signing in with an organisation’s account (OpenID Connect)', () => {
  it('sends the browser to the provider with PKCE, state and nonce', async () => {
    const { authorizationUrl } = await startSignIn()
    const url = new URL(authorizationUrl)
    expect(url.origin).toBe(issuer)
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID)
    expect(url.searchParams.get('response_type')).toBe('code')
    expect(url.searchParams.get('redirect_uri')).toBe(`${appOrigin}/sign-in/oidc/callback`)
    expect(url.searchParams.get('scope')).toBe('openid email profile')
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(url.searchParams.get('state')).toBeTruthy()
    expect(url.searchParams.get('nonce')).toBeTruthy()
  })

  it('stores nothing when a sign-in starts: its state is in a short-lived, signed, HttpOnly cookie', async () => {
    const before = await sessionRows()
    const start = await fetch(new URL('/sign-in/oidc', appOrigin), { redirect: 'manual' })
    expect(start.status).toBe(302)
    await start.arrayBuffer()
    expect(await sessionRows()).toBe(before)
    const cookies = start.headers.getSetCookie()
    expect(cookies.some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))).toBe(false)
    const kept = cookies.find((cookie) => cookie.startsWith(`${OIDC_COOKIE}=`))!
    expect(kept).toMatch(/; Max-Age=600(;|$)/)
    expect(kept).toMatch(/; Path=\/(;|$)/)
    expect(kept).toMatch(/; HttpOnly(;|$)/)
    expect(kept).toMatch(/; SameSite=Lax(;|$)/)
    expect(kept).not.toMatch(/Secure/)
    // The verifier never leaves in the clear: only its challenge goes to the provider.
    const value = decodeURIComponent(kept.slice(OIDC_COOKIE.length + 1).split(';')[0]!)
    expect(value).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
  })

  it('keeps the sign-in’s cookie Secure and __Host- over https', async () => {
    const httpsApp = await createApp({
      database,
      config: {
        logLevel: 'silent',
        cacheTemplates: true,
        baseUrl: 'https://hub.example',
        session: { idleMinutes: 60, absoluteHours: 12, secureCookies: true },
        oidc: { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      },
      clock,
      demo: false,
    })
    try {
      const start = await httpsApp.inject({ method: 'GET', url: '/sign-in/oidc' })
      expect(start.statusCode).toBe(302)
      const cookies = ([] as string[]).concat(start.headers['set-cookie'] ?? [])
      const kept = cookies.find((cookie) => cookie.startsWith(`__Host-${OIDC_COOKIE}=`))!
      expect(kept).toMatch(/; Secure(;|$)/)
      expect(kept).toMatch(/; Path=\/(;|$)/)
    } finally {
      await httpsApp.close()
    }
  })

  it('signs in a person the service knows, once per callback', async () => {
    const { jar, authorizationUrl } = await startSignIn()
    const kept = jar.get(appOrigin, OIDC_COOKIE)!
    const callback = await signInAtProvider(jar, authorizationUrl, 'nadia-at-work')
    expect(callback.pathname).toBe('/sign-in/oidc/callback')
    expect(callback.searchParams.get('code')).toBeTruthy()

    const before = await sessionRows()
    const signedIn = await send(jar, callback)
    expect(signedIn.status).toBe(303)
    expect(signedIn.headers.get('location')).toBe('/account')
    await signedIn.arrayBuffer()
    expect(jar.get(appOrigin, SESSION_COOKIE)).toBeTruthy()
    // The sign-in's cookie is cleared; the one row written is the signed-in session.
    expect(jar.get(appOrigin, OIDC_COOKIE)).toBeUndefined()
    expect(await sessionRows()).toBe(before + 1)

    const account = await send(jar, '/account')
    expect(account.status).toBe(200)
    expect(await account.text()).toContain('Nadia Khan')

    const nadia = (await findPersonByEmail(database.db, 'nadia.khan@ncetm.example'))!
    expect(await auditRows(nadia.id)).toEqual([
      { action: 'sign-in.oidc', record_type: 'person', record_id: String(nadia.id) },
    ])

    // The same answer again, in the signed-in browser: refused, and still signed in.
    const replay = await send(jar, callback)
    expect(replay.status).toBe(400)
    expect(await replay.text()).toContain(NOT_IN_PROGRESS)
    expect((await send(jar, '/account')).status).toBe(200)

    // ... and with the cookie it started with, kept by someone: the provider takes a code once.
    const copied = new CookieJar()
    copied.set(appOrigin, OIDC_COOKIE, kept)
    const copiedReplay = await send(copied, callback)
    expect(copiedReplay.status).toBe(400)
    expect(await copiedReplay.text()).toContain(NOT_CONFIRMED)
    expect(copied.get(appOrigin, SESSION_COOKIE)).toBeUndefined()
    expect(await auditRows(nadia.id)).toHaveLength(1)
    expect(await sessionRows()).toBe(before + 1)
  })

  it('refuses a sign-in cookie that was changed, signed for something else or has ended', async () => {
    const nadia = (await findPersonByEmail(database.db, 'nadia.khan@ncetm.example'))!
    const audited = (await auditRows(nadia.id)).length
    const sessions = await sessionRows()
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`

    const spoil: Record<string, (kept: string, jar: CookieJar) => string> = {
      'its value changed': (kept) => flip(kept, 5),
      'its signature changed': (kept) => flip(kept, kept.length - 3),
      'its signature removed': (kept) => kept.slice(0, kept.indexOf('.')),
      'a form token instead': (_kept, jar) => jar.get(appOrigin, 'mh_csrf')!,
      'not ours at all': () => 'e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    }
    for (const [how, change] of Object.entries(spoil)) {
      const { jar, authorizationUrl } = await startSignIn()
      const callback = await signInAtProvider(jar, authorizationUrl, 'nadia-at-work')
      jar.set(appOrigin, OIDC_COOKIE, change(jar.get(appOrigin, OIDC_COOKIE)!, jar))
      const answer = await send(jar, callback)
      expect(answer.status, how).toBe(400)
      const html = await answer.text()
      expect(html, how).toContain('Sorry, we could not sign you in')
      expect(html, how).toContain(NOT_IN_PROGRESS)
      expect(jar.get(appOrigin, OIDC_COOKIE), how).toBeUndefined()
      expect(jar.get(appOrigin, SESSION_COOKIE), how).toBeUndefined()
    }

    // Ten minutes on, a genuine cookie has ended.
    const { jar, authorizationUrl } = await startSignIn()
    const callback = await signInAtProvider(jar, authorizationUrl, 'nadia-at-work')
    clock.advance(10 * 60_000)
    try {
      const answer = await send(jar, callback)
      expect(answer.status).toBe(400)
      expect(await answer.text()).toContain(NOT_IN_PROGRESS)
    } finally {
      clock.advance(-10 * 60_000)
    }
    expect(await auditRows(nadia.id)).toHaveLength(audited)
    expect(await sessionRows()).toBe(sessions)
  })

  it('turns away someone whose email address has no account', async () => {
    const { jar, authorizationUrl } = await startSignIn()
    const callback = await signInAtProvider(jar, authorizationUrl, 'stranger')
    const answer = await send(jar, callback)
    expect(answer.status).toBe(403)
    const html = await answer.text()
    expect(html).toContain('You do not have an account')
    expect(html).toContain('NCETM')
    expect(html).not.toContain('someone.else@elsewhere.example')

    const account = await send(jar, '/account')
    expect(account.status).toBe(302)
    expect(account.headers.get('location')).toBe('/sign-in')
  })

  it('refuses an email address the provider has not verified', async () => {
    const { jar, authorizationUrl } = await startSignIn()
    const callback = await signInAtProvider(jar, authorizationUrl, 'unverified')
    const answer = await send(jar, callback)
    expect(answer.status).toBe(400)
    const html = await answer.text()
    expect(html).toContain('Sorry, we could not sign you in')
    expect(html).toContain('does not confirm that your email address is yours')
    expect((await send(jar, '/account')).status).toBe(302)
  })

  it('returns to the page that sent the browser to sign in, and never to another site', async () => {
    const jar = new CookieJar()
    const asked = await send(jar, '/admin/people?q=khan')
    expect(asked.status).toBe(302)
    expect(asked.headers.get('location')).toBe('/sign-in')
    await asked.arrayBuffer()
    const start = await send(jar, '/sign-in/oidc')
    await start.arrayBuffer()
    const callback = await signInAtProvider(jar, start.headers.get('location')!, 'nadia-at-work')
    const signedIn = await send(jar, callback)
    expect(signedIn.status).toBe(303)
    expect(signedIn.headers.get('location')).toBe('/admin/people?q=khan')
    await signedIn.arrayBuffer()

    for (const next of ['//evil.example/', '/\\evil.example', 'https://evil.example/']) {
      const other = new CookieJar()
      const begin = await send(other, `/sign-in/oidc?next=${encodeURIComponent(next)}`)
      await begin.arrayBuffer()
      const back = await signInAtProvider(other, begin.headers.get('location')!, 'nadia-at-work')
      const done = await send(other, back)
      expect(done.status).toBe(303)
      expect(done.headers.get('location')).toBe('/account')
      await done.arrayBuffer()
    }
  })

  it('refuses a tampered state, and the sign-in cannot then be finished', async () => {
    const { jar, authorizationUrl } = await startSignIn()
    const callback = await signInAtProvider(jar, authorizationUrl, 'nadia-at-work')
    const tampered = new URL(callback)
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`)

    const answer = await send(jar, tampered)
    expect(answer.status).toBe(400)
    const html = await answer.text()
    expect(html).toContain('Sorry, we could not sign you in')
    expect(html).toContain(NOT_CONFIRMED)

    const genuine = await send(jar, callback)
    expect(genuine.status).toBe(400)
    expect(await genuine.text()).toContain(NOT_IN_PROGRESS)
    expect((await send(jar, '/account')).status).toBe(302)
  })

  it('shows the failure page when the provider answers with an error', async () => {
    const { jar, authorizationUrl } = await startSignIn()
    const sent = new URL(authorizationUrl)
    const callback = new URL('/sign-in/oidc/callback', appOrigin)
    callback.searchParams.set('error', 'access_denied')
    callback.searchParams.set('state', sent.searchParams.get('state')!)
    callback.searchParams.set('iss', issuer)
    const answer = await send(jar, callback)
    expect(answer.status).toBe(400)
    const html = await answer.text()
    expect(html).toContain('Sorry, we could not sign you in')
    expect(html).toContain(NOT_CONFIRMED)
    expect(html).toContain('href="/sign-in"')
  })

  it('refuses a callback when no sign-in was started', async () => {
    const answer = await send(new CookieJar(), '/sign-in/oidc/callback?code=abc&state=def')
    expect(answer.status).toBe(400)
    const html = await answer.text()
    expect(html).toContain('Sorry, we could not sign you in')
    expect(html).toContain(NOT_IN_PROGRESS)
  })
})
