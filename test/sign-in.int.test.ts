// Sign-in by emailed one-time link, sessions and CSRF, through the real app.
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

function cookieFrom(response: { headers: Record<string, unknown> }, name: string): string | undefined {
  const raw = response.headers['set-cookie']
  const all = Array.isArray(raw) ? raw : raw ? [String(raw)] : []
  const match = all.map((c) => new RegExp(`^${name}=([^;]*)`).exec(c)).find(Boolean)
  return match?.[1]
}

/** A browser-like visitor: keeps its cookies (session, CSRF) and reads the CSRF token from forms. */
function visitor(ip = '203.0.113.10') {
  let cookie: string | undefined
  let csrfCookie: string | undefined
  const cookies = () =>
    [cookie && `mh_session=${cookie}`, csrfCookie && `mh_csrf=${csrfCookie}`].filter(Boolean).join('; ')
  const keep = (response: { headers: Record<string, unknown> }) => {
    cookie = cookieFrom(response, 'mh_session') ?? cookie
    csrfCookie = cookieFrom(response, 'mh_csrf') ?? csrfCookie
  }
  return {
    get cookie() {
      return cookie
    },
    async get(url: string) {
      const response = await t.app.inject({
        method: 'GET',
        url,
        remoteAddress: ip,
        headers: cookies() ? { cookie: cookies() } : {},
      })
      keep(response)
      return response
    },
    async post(url: string, fields: Record<string, string>, options: { csrf?: boolean } = {}) {
      let csrf = ''
      if (options.csrf !== false) {
        const form = await this.get(url.startsWith('/sign-in/link/') ? url : '/sign-in')
        csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
      }
      const response = await t.app.inject({
        method: 'POST',
        url,
        remoteAddress: ip,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(cookies() ? { cookie: cookies() } : {}),
        },
        payload: new URLSearchParams({ ...(csrf ? { _csrf: csrf } : {}), ...fields }).toString(),
      })
      keep(response)
      return response
    },
  }
}

async function lastLink(): Promise<string> {
  const email = await t.database.db
    .selectFrom('outbox')
    .select(['body_text', 'to_address'])
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const link = /http:\/\/localhost:3000(\/sign-in\/link\/[A-Za-z0-9_-]+)/.exec(email.body_text)
  if (!link) throw new Error('no sign-in link in the email')
  return link[1]!
}

describe('signing in by emailed link', () => {
  it('answers the same whether or not the address is known, and emails only a known one', async () => {
    const known = await visitor().post('/sign-in', { email: NADIA.toUpperCase() })
    const unknown = await visitor().post('/sign-in', { email: 'stranger@school.example' })
    expect([known.statusCode, known.headers.location]).toEqual([303, '/sign-in/check-your-email'])
    expect([unknown.statusCode, unknown.headers.location]).toEqual([303, '/sign-in/check-your-email'])
    const emails = await t.database.db
      .selectFrom('outbox')
      .select(['to_address', 'template', 'subject'])
      .execute()
    expect(emails).toEqual([
      { to_address: NADIA, template: 'sign-in-link', subject: expect.stringMatching(/sign-in link/i) },
    ])
  })

  it('works once, signs in with a new session id, and then is spent', async () => {
    const browser = visitor()
    await browser.post('/sign-in', { email: NADIA })
    const before = browser.cookie
    const link = await lastLink()
    const page = await browser.get(link)
    expect(page.statusCode).toBe(200)
    const signedIn = await browser.post(link, {})
    expect([signedIn.statusCode, signedIn.headers.location]).toEqual([303, '/account'])
    expect(browser.cookie).toBeDefined()
    expect(browser.cookie).not.toBe(before)
    const setCookie = String(signedIn.headers['set-cookie'])
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    const account = await browser.get('/account')
    expect(account.statusCode).toBe(200)
    expect(account.body).toContain('Nadia Khan')

    const again = await visitor().post(link, {})
    expect(again.statusCode).toBe(410)
  })

  it('expires after 20 minutes', async () => {
    await visitor().post('/sign-in', { email: NADIA })
    const link = await lastLink()
    t.clock.advance(20 * 60_000 + 1)
    const late = await visitor().post(link, {})
    expect(late.statusCode).toBe(410)
  })

  it('is rate-limited per address and per IP address', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 6; i++)
      statuses.push((await visitor(`198.51.100.${i}`).post('/sign-in', { email: NADIA })).statusCode)
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429])
    const fromOneIp: number[] = []
    for (let i = 0; i < 31; i++)
      fromOneIp.push(
        (await visitor('192.0.2.1').post('/sign-in', { email: `person${i}@school.example` })).statusCode,
      )
    expect(fromOneIp.slice(0, 30).every((s) => s === 303)).toBe(true)
    expect(fromOneIp[30]).toBe(429)
    const outbox = await t.database.db.selectFrom('outbox').select('id').execute()
    expect(outbox).toHaveLength(5)
  })

  it('refuses a form without a valid CSRF token and changes nothing', async () => {
    const browser = visitor()
    await browser.get('/sign-in')
    const refused = await browser.post('/sign-in', { email: NADIA }, { csrf: false })
    expect(refused.statusCode).toBe(403)
    const forged = await browser.post(
      '/sign-in',
      { email: NADIA, _csrf: 'forged-token-value' },
      { csrf: false },
    )
    expect(forged.statusCode).toBe(403)
    expect(await t.database.db.selectFrom('outbox').select('id').execute()).toEqual([])
  })
})

describe('sessions', () => {
  async function signedInBrowser() {
    const browser = visitor()
    await browser.post('/sign-in', { email: NADIA })
    await browser.post(await lastLink(), {})
    return browser
  }

  it('end after an hour idle', async () => {
    const browser = await signedInBrowser()
    t.clock.advance(59 * 60_000)
    expect((await browser.get('/account')).statusCode).toBe(200)
    t.clock.advance(61 * 60_000)
    const after = await browser.get('/account')
    expect([after.statusCode, after.headers.location]).toEqual([302, '/sign-in'])
  })

  it('end 12 hours after sign-in however active', async () => {
    const browser = await signedInBrowser()
    for (let hour = 0; hour < 11; hour++) {
      t.clock.advance(59 * 60_000)
      expect((await browser.get('/account')).statusCode).toBe(200)
    }
    t.clock.advance(60 * 60_000)
    expect((await browser.get('/account')).statusCode).toBe(302)
  })

  it('end on sign-out', async () => {
    const browser = await signedInBrowser()
    const account = await browser.get('/account')
    const csrf = /name="_csrf" value="([^"]+)"/.exec(account.body)?.[1] ?? ''
    const out = await t.app.inject({
      method: 'POST',
      url: '/sign-out',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `mh_session=${browser.cookie}`,
      },
      payload: `_csrf=${encodeURIComponent(csrf)}`,
    })
    expect(out.statusCode).toBe(303)
    const after = await t.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie: `mh_session=${browser.cookie}` },
    })
    expect(after.statusCode).toBe(302)
  })
})
