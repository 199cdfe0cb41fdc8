// Anonymous visitors are stored nowhere: their forms carry a signed double-submit token (a cookie
// and the same value in the form), and only signing in makes a session row. Every form is still
// refused without its token, and a refusal changes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'

let t: TestApp
const NADIA = 'nadia.khan@ncetm.example'

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t?.close()
})
beforeEach(async () => {
  await t.database.db.deleteFrom('rate_limits').execute()
  await t.database.db.deleteFrom('outbox').execute()
})

async function count(table: 'sessions' | 'outbox' | 'people' | 'sign_in_tokens'): Promise<number> {
  const row = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

function setCookies(response: { headers: Record<string, unknown> }): string[] {
  const raw = response.headers['set-cookie']
  return Array.isArray(raw) ? raw.map(String) : raw ? [String(raw)] : []
}

/** A browser: keeps every cookie it is given and reads the CSRF token from the last form it saw. */
function browser(ip = '203.0.113.20') {
  const jar = new Map<string, string>()
  let csrf = ''
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
  const keep = <R extends { headers: Record<string, unknown>; body: string }>(response: R): R => {
    for (const line of setCookies(response)) {
      const [pair] = line.split(';')
      const at = pair!.indexOf('=')
      const name = pair!.slice(0, at)
      const value = pair!.slice(at + 1)
      if (value === '' || /Expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name)
      else jar.set(name, value)
    }
    csrf = /name="_csrf" value="([^"]*)"/.exec(response.body)?.[1] ?? csrf
    return response
  }
  return {
    jar,
    get csrf() {
      return csrf
    },
    async get(url: string) {
      const headers: Record<string, string> = jar.size ? { cookie: cookieHeader() } : {}
      return keep(await t.app.inject({ method: 'GET', url, remoteAddress: ip, headers }))
    },
    async post(url: string, fields: Record<string, string>) {
      return keep(
        await t.app.inject({
          method: 'POST',
          url,
          remoteAddress: ip,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(jar.size ? { cookie: cookieHeader() } : {}),
          },
          payload: new URLSearchParams(fields).toString(),
        }),
      )
    },
  }
}

async function lastLink(): Promise<string> {
  const email = await t.database.db
    .selectFrom('outbox')
    .select('body_text')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return /http:\/\/localhost:3000(\/sign-in\/link\/[A-Za-z0-9_-]+)/.exec(email.body_text)![1]!
}

describe('anonymous visits', () => {
  it('store no session, whatever page is opened without a cookie', async () => {
    const before = await count('sessions')
    const pages = [
      '/',
      '/find-your-hub',
      '/sign-in',
      '/create-account',
      '/sign-in/link/abcdefghijklmnopqrstuvwxyz0123',
      '/endorse/no-such-endorsement-link',
      '/places/no-such-place-offer',
    ]
    for (const url of pages) {
      const response = await t.app.inject({ method: 'GET', url })
      expect(response.statusCode, url).toBeLessThan(500)
      expect(
        setCookies(response).filter((c) => c.startsWith('mh_session=')),
        url,
      ).toEqual([])
    }
    expect(await count('sessions')).toBe(before)
  })

  it('get forms with a token, and the same token back in an HttpOnly, SameSite=Lax cookie', async () => {
    for (const url of ['/sign-in', '/create-account', '/sign-in/link/abcdefghijklmnopqrstuvwxyz0123']) {
      const visitor = browser()
      const page = await visitor.get(url)
      expect(page.statusCode, url).toBe(200)
      expect(visitor.csrf, url).toMatch(/^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}$/)
      const cookie = setCookies(page).find((c) => c.startsWith('mh_csrf='))
      expect(cookie, url).toBeDefined()
      expect(cookie).toMatch(/HttpOnly/)
      expect(cookie).toMatch(/SameSite=Lax/)
      expect(cookie).toMatch(/Path=\//)
      expect(visitor.jar.get('mh_csrf')).toBe(visitor.csrf)
    }
  })

  it('keep their token from page to page', async () => {
    const visitor = browser()
    await visitor.get('/sign-in')
    const first = visitor.csrf
    const again = await visitor.get('/create-account')
    expect(setCookies(again).filter((c) => c.startsWith('mh_csrf='))).toEqual([])
    expect(visitor.csrf).toBe(first)
  })
})

describe('anonymous forms', () => {
  it('ask for a sign-in link with the token, storing no session', async () => {
    const sessions = await count('sessions')
    const visitor = browser()
    await visitor.get('/sign-in')
    const sent = await visitor.post('/sign-in', { _csrf: visitor.csrf, email: NADIA })
    expect([sent.statusCode, sent.headers.location]).toEqual([303, '/sign-in/check-your-email'])
    expect(await count('outbox')).toBe(1)
    expect(await count('sessions')).toBe(sessions)
  })

  it('show a refused sign-in form again with a token that still works', async () => {
    const visitor = browser()
    await visitor.get('/sign-in')
    const refused = await visitor.post('/sign-in', { _csrf: visitor.csrf, email: 'not an address' })
    expect(refused.statusCode).toBe(422)
    expect(visitor.csrf).not.toBe('')
    const sent = await visitor.post('/sign-in', { _csrf: visitor.csrf, email: NADIA })
    expect(sent.statusCode).toBe(303)
  })

  it('create an account with the token', async () => {
    const people = await count('people')
    const visitor = browser()
    await visitor.get('/create-account')
    const made = await visitor.post('/create-account', {
      _csrf: visitor.csrf,
      name: 'Rosa Parks',
      email: 'rosa.parks@school.example',
    })
    expect([made.statusCode, made.headers.location]).toEqual([303, '/sign-in/check-your-email'])
    expect(await count('people')).toBe(people + 1)
  })

  describe('are refused with 403, changing nothing,', () => {
    const cases: [string, (v: ReturnType<typeof browser>) => Promise<Record<string, string>>][] = [
      ['without a token', async () => ({})],
      ['with an empty token', async () => ({ _csrf: '' })],
      ['with a made-up token', async () => ({ _csrf: 'forged-token-value' })],
      [
        'with a token that does not match the cookie',
        async (v) => {
          const other = browser()
          await other.get('/sign-in')
          expect(other.csrf).not.toBe(v.csrf)
          return { _csrf: other.csrf }
        },
      ],
      [
        'with a cookie and token of the same value that the service did not sign',
        async (v) => {
          const forged = `${'a'.repeat(32)}.${'b'.repeat(43)}`
          v.jar.set('mh_csrf', forged)
          return { _csrf: forged }
        },
      ],
      [
        'with the token but no cookie',
        async (v) => {
          const token = v.csrf
          v.jar.clear()
          return { _csrf: token }
        },
      ],
    ]
    for (const [name, tokenFor] of cases) {
      it(name, async () => {
        const tables = ['outbox', 'people', 'sessions', 'sign_in_tokens'] as const
        const before = await Promise.all(tables.map(count))
        for (const [url, fields] of [
          ['/sign-in', { email: NADIA }],
          ['/create-account', { name: 'Mallory Hacker', email: 'mallory@school.example' }],
        ] as const) {
          const visitor = browser()
          await visitor.get(url)
          const refused = await visitor.post(url, { ...fields, ...(await tokenFor(visitor)) })
          expect(refused.statusCode, url).toBe(403)
        }
        expect(await Promise.all(tables.map(count))).toEqual(before)
      })
    }
  })
})

describe('signing in', () => {
  it('makes exactly one session row, for the person', async () => {
    const visitor = browser()
    await visitor.get('/sign-in')
    await visitor.post('/sign-in', { _csrf: visitor.csrf, email: NADIA })
    const link = await lastLink()
    const before = await count('sessions')
    await visitor.get(link)
    expect(await count('sessions')).toBe(before)
    const signedIn = await visitor.post(link, { _csrf: visitor.csrf })
    expect([signedIn.statusCode, signedIn.headers.location]).toEqual([303, '/account'])
    expect(await count('sessions')).toBe(before + 1)
    const nadia = await t.database.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', NADIA)
      .executeTakeFirstOrThrow()
    const newest = await t.database.db
      .selectFrom('sessions')
      .select('person_id')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    expect(newest.person_id).toBe(nadia.id)
    const account = await visitor.get('/account')
    expect(account.statusCode).toBe(200)
    expect(account.body).toContain('Nadia Khan')
  })

  it('then protects signed-in forms with the session token, not the anonymous one', async () => {
    const visitor = browser()
    await visitor.get('/sign-in')
    const anonymousToken = visitor.csrf
    await visitor.post('/sign-in', { _csrf: anonymousToken, email: NADIA })
    const link = await lastLink()
    await visitor.get(link)
    await visitor.post(link, { _csrf: visitor.csrf })
    const account = await visitor.get('/account')
    expect(visitor.csrf).not.toBe(anonymousToken)
    const withAnonymousToken = await visitor.post('/sign-out', { _csrf: anonymousToken })
    expect(withAnonymousToken.statusCode).toBe(403)
    expect((await visitor.get('/account')).statusCode).toBe(200)
    expect(account.statusCode).toBe(200)
    const out = await visitor.post('/sign-out', { _csrf: visitor.csrf })
    expect(out.statusCode).toBe(303)
    expect((await visitor.get('/account')).statusCode).toBe(302)
  })
})
