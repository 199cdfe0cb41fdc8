// Signing in returns to the page that asked for it: through the emailed link (even opened in
// another browser), the demo's personas, and with `?next=` on the sign-in page; only this
// service's own pages, never another site. (Organisation sign-in: test/oidc.int.test.ts.)
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { safeReturnPath } from '../src/web/return-to.ts'

let t: TestApp
const PRIYA = 'priya.shah@northvale.mathshub.example'

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

/** A browser: keeps every cookie it is given (and forgets those cleared), reads forms' CSRF tokens. */
function browser() {
  const jar = new Map<string, string>()
  const keep = (response: { headers: Record<string, unknown> }) => {
    const raw = response.headers['set-cookie']
    for (const header of Array.isArray(raw) ? raw : raw ? [String(raw)] : []) {
      const [pair = ''] = String(header).split(';')
      const name = pair.slice(0, pair.indexOf('='))
      const value = pair.slice(pair.indexOf('=') + 1)
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(String(header))) jar.delete(name)
      else jar.set(name, value)
    }
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  return {
    jar,
    async get(url: string) {
      const response = await t.app.inject({
        method: 'GET',
        url,
        headers: jar.size ? { cookie: cookie() } : {},
      })
      keep(response)
      return response
    },
    async submit(formPage: string, action: string, fields: Record<string, string>) {
      const form = await this.get(formPage)
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
      const hidden = Object.fromEntries(
        [...form.body.matchAll(/<input type="hidden" name="(next)" value="([^"]*)">/g)].map((m) => [
          m[1]!,
          m[2]!.replace(/&amp;/g, '&'),
        ]),
      )
      const response = await t.app.inject({
        method: 'POST',
        url: action,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
        payload: new URLSearchParams({ _csrf: csrf, ...hidden, ...fields }).toString(),
      })
      keep(response)
      return response
    },
  }
}

async function emailedLink(): Promise<string> {
  const email = await t.database.db
    .selectFrom('outbox')
    .select('body_text')
    .where('template', '=', 'sign-in-link')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const link = /http:\/\/localhost:3000(\/sign-in\/link\/\S+)/.exec(email.body_text)?.[1]
  if (!link) throw new Error('no sign-in link in the email')
  return link
}

async function signInByLink(visitor: ReturnType<typeof browser>, opener = visitor) {
  const asked = await visitor.submit('/sign-in', '/sign-in', { email: PRIYA })
  expect(asked.statusCode).toBe(303)
  const link = await emailedLink()
  return { link, done: await opener.submit(link, link.split('?')[0]!, {}) }
}

describe('signing in returns to the page asked for', () => {
  it('through the emailed link, in the same browser and in another', async () => {
    const visitor = browser()
    const reviews = await visitor.get('/reviews?cohort=primary-mastery-specialist-13')
    expect(reviews.statusCode).toBe(302)
    expect(reviews.headers.location).toBe('/sign-in')
    const { link, done } = await signInByLink(visitor)
    expect(link).toContain(`?next=${encodeURIComponent('/reviews?cohort=primary-mastery-specialist-13')}`)
    expect(done.statusCode).toBe(303)
    expect(done.headers.location).toBe('/reviews?cohort=primary-mastery-specialist-13')
    expect((await visitor.get('/reviews')).statusCode).toBe(200)

    // Asked for in one browser, opened in another (a phone): the link carries the page.
    const laptop = browser()
    await laptop.get('/reviews')
    const phone = browser()
    const other = await signInByLink(laptop, phone)
    expect(other.done.headers.location).toBe('/reviews')
  })

  it('goes to the account page when nothing was asked for, and forgets a page once used', async () => {
    const visitor = browser()
    await visitor.get('/reviews')
    expect(visitor.jar.has('mh_return_to')).toBe(true)
    expect((await signInByLink(visitor)).done.headers.location).toBe('/reviews')
    expect(visitor.jar.has('mh_return_to')).toBe(false)
    const fresh = browser()
    expect((await signInByLink(fresh)).done.headers.location).toBe('/account')
  })

  it('takes `?next=` on the sign-in page', async () => {
    const visitor = browser()
    await visitor.get('/sign-in?next=%2Fapplications')
    const { done } = await signInByLink(visitor, browser())
    expect(done.headers.location).toBe('/applications')
  })

  it('keeps the page through the demo’s personas', async () => {
    const visitor = browser()
    await visitor.get('/reviews')
    const personas = await visitor.get('/demo/personas')
    const action = /action="(\/demo\/personas\/\d+)"/.exec(personas.body)?.[1]
    expect(action).toBeDefined()
    const done = await visitor.submit('/demo/personas', action!, {})
    expect(done.statusCode).toBe(303)
    expect(done.headers.location).toBe('/reviews')
  })

  it.each([
    '//evil.example/',
    '/\\evil.example',
    '/%5Cevil.example',
    'https://evil.example/',
    'http:/evil.example',
    'javascript:alert(1)',
    ' /reviews',
    '/\t/evil.example',
    '/sign-out',
    '/sign-in/link/abc',
    '/api/v1/me',
  ])('never follows %j', async (next) => {
    const visitor = browser()
    await visitor.get(`/sign-in?next=${encodeURIComponent(next)}`)
    const { link, done } = await signInByLink(visitor)
    const location = String(done.headers.location)
    if (next === '/%5Cevil.example') {
      // A percent-encoded backslash is only a path here: the browser stays on this site.
      expect(location).toBe('/%5Cevil.example')
    } else {
      expect(link).not.toContain('next=')
      expect(location).toBe('/account')
    }
    // A link with a hostile `next` added by hand is not followed either.
    const tampered = browser()
    await tampered.get('/sign-in')
    await tampered.submit('/sign-in', '/sign-in', { email: PRIYA })
    const plain = (await emailedLink()).split('?')[0]!
    const form = await tampered.get(plain)
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
    const answer = await t.app.inject({
      method: 'POST',
      url: plain,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...tampered.jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      payload: new URLSearchParams({ _csrf: csrf, next }).toString(),
    })
    expect(answer.statusCode).toBe(303)
    expect(answer.headers.location).toBe(next === '/%5Cevil.example' ? next : '/account')
  })
})

describe('safeReturnPath', () => {
  it('accepts this service’s pages with their query', () => {
    expect(safeReturnPath('/reviews')).toBe('/reviews')
    expect(safeReturnPath('/schools?q=oak&page=2')).toBe('/schools?q=oak&page=2')
    expect(safeReturnPath('/hubs/northvale-maths-hub/cohorts/x/selection')).toBe(
      '/hubs/northvale-maths-hub/cohorts/x/selection',
    )
  })

  it('refuses other sites, odd spellings and the sign-in pages', () => {
    for (const value of [
      undefined,
      '',
      'reviews',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      'https://evil.example',
      '/reviews#x',
      '/re views',
      '/sign-in',
      '/sign-in?next=/x',
      '/create-account',
      `/${'a'.repeat(600)}`,
    ]) {
      expect(safeReturnPath(value), String(value)).toBeUndefined()
    }
  })
})
