// The demo-time control: only in the demo (under `serve` its routes are 404 and the banner has no
// trace of it); a CSRF-protected form in the demo banner showing the demo time in UK time, which
// jumps to the demo cohort's closing minute, to its decision date, 14 days on, or back to the real
// time; whatever scheduled work is then due runs at once; a refused jump changes nothing; a
// signed-in person stays signed in across a jump.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { errorSummary } from './application-fixtures.ts'
import { openSession, PERSONAS } from './personas.ts'

const START = '2026-11-22T10:00:00.000Z'
/** The demo cohort closes at 5pm on 21 January 2027 (GMT). */
const CLOSING = '2027-01-21T17:00:00.000Z'
/** Its decisions are released on 21 April 2027: midnight in the UK is 23:00 UTC (BST). */
const DECISION_DAY = '2027-04-20T23:00:00.000Z'

function setCookies(response: { headers: Record<string, unknown> }): string[] {
  const raw = response.headers['set-cookie']
  return Array.isArray(raw) ? raw.map(String) : raw ? [String(raw)] : []
}

function cookieValue(response: { headers: Record<string, unknown> }, name: string): string | undefined {
  const line = setCookies(response).find((c) => c.startsWith(`${name}=`))
  return line?.split(';')[0]!.slice(name.length + 1)
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? ''

describe('under serve', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ demo: false })
  })
  afterAll(async () => {
    await t?.close()
  })

  it('has no demo-time routes and no control in any page', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/demo/time' })).statusCode).toBe(404)
    const person = await t.database.db
      .insertInto('people')
      .values({ name: 'Ada Admin', email: 'ada@ncetm.example' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const session = await openSession(t.database.db, person.id, t.clock.now())
    const post = await t.app.inject({
      method: 'POST',
      url: '/demo/time',
      headers: {
        cookie: `mh_session=${session.cookie}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({ _csrf: session.csrf, jump: 'closing' }).toString(),
    })
    expect(post.statusCode).toBe(404)
    expect(t.app.routeTable.filter((r) => r.url.startsWith('/demo'))).toEqual([])
    for (const url of ['/', '/programmes', '/sign-in']) {
      const page = await t.app.inject({ method: 'GET', url })
      expect(page.body, url).not.toMatch(/Demo time|\/demo\/time|data-app-demo/)
    }
    expect(t.clock.now().toISOString()).toBe(START)
  })
})

describe('in the demo', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ demoTime: true })
  })
  afterAll(async () => {
    await t?.close()
  })
  const now = () => t.demoClock!.now().toISOString()

  it('shows the demo time in UK time in the banner, with a form that posts with a CSRF token', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/programmes' })
    expect(page.statusCode).toBe(200)
    const banner = /<div[^>]*data-app-demo-time[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? ''
    expect(banner).toContain('10am on 22 November 2026')
    expect(banner).toMatch(/<form[^>]*action="\/demo\/time"[^>]*method="post"/)
    expect(csrfOf(banner)).not.toBe('')
    expect(banner).toContain('name="returnTo" value="/programmes"')
    for (const jump of ['closing', 'decision', 'fortnight', 'real']) {
      expect(banner).toContain(`name="jump" value="${jump}"`)
    }
    // An anonymous visitor's form token is signed and kept in their cookie.
    expect(cookieValue(page, 'mh_csrf')).toBe(csrfOf(banner))
    const control = await t.app.inject({ method: 'GET', url: '/demo/time' })
    expect(control.statusCode).toBe(200)
    expect(control.body).toContain('5pm on 21 January 2027')
    expect(control.body).toContain('21 April 2027')
  })

  it('refuses a jump without the CSRF token, and changes nothing', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: '/demo/time',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'jump=closing',
    })
    expect(refused.statusCode).toBe(403)
    expect(now()).toBe(START)
  })

  it('refuses an unknown jump or a return address elsewhere with the error summary, and changes nothing', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/demo/time' })
    const csrf = csrfOf(page.body)
    const cookie = `mh_csrf=${cookieValue(page, 'mh_csrf')}`
    const refusals: Record<string, string>[] = [
      { jump: 'next-year' },
      {},
      { jump: 'closing', returnTo: '//elsewhere.example/' },
    ]
    for (const fields of refusals) {
      const refused = await t.app.inject({
        method: 'POST',
        url: '/demo/time',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      })
      expect(refused.statusCode, JSON.stringify(fields)).toBe(422)
      expect(errorSummary(refused.body).length, JSON.stringify(fields)).toBeGreaterThan(0)
      expect(now()).toBe(START)
    }
  })

  it('jumps to the closing minute, the decision date, 14 days on and back, keeping the person signed in', async () => {
    const priya = (await t.database.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', PERSONAS.hubLead)
      .executeTakeFirstOrThrow())!
    let session = await openSession(t.database.db, priya.id, t.demoClock!.now())
    const jump = async (value: string, returnTo = '/account') => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/demo/time',
        headers: {
          cookie: `mh_session=${session.cookie}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: session.csrf, jump: value, returnTo }).toString(),
      })
      expect(response.statusCode, value).toBe(303)
      expect(response.headers.location).toBe(returnTo)
      // A session opened at the new time, so the jump does not sign the person out.
      const cookie = cookieValue(response, 'mh_session')
      expect(cookie, value).toBeDefined()
      const page = await t.app.inject({
        method: 'GET',
        url: returnTo,
        headers: { cookie: `mh_session=${cookie}` },
      })
      expect(page.statusCode, value).toBe(200)
      expect(page.body, value).toContain('priya.shah@northvale.mathshub.example')
      session = { cookie: cookie!, csrf: csrfOf(page.body) }
      return page
    }
    const atClosing = await jump('closing')
    expect(Math.abs(new Date(now()).getTime() - new Date(CLOSING).getTime())).toBeLessThan(5_000)
    expect(atClosing.body).toContain('5pm on 21 January 2027')
    await jump('decision')
    expect(Math.abs(new Date(now()).getTime() - new Date(DECISION_DAY).getTime())).toBeLessThan(5_000)
    await jump('fortnight')
    expect(
      Math.abs(new Date(now()).getTime() - new Date(DECISION_DAY).getTime() - 14 * 86_400_000),
    ).toBeLessThan(5_000)
    const real = await jump('real')
    expect(now()).toBe(START)
    expect(real.body).toContain('10am on 22 November 2026')
  })

  it('runs the work due at the new time: a confirmed address is told once the Work Group opens', async () => {
    // "Tell me when it opens" for the Embedding Work Group, which opens 40 days on; confirmed.
    const email = 'waiting.teacher@school.example'
    await t.database.db
      .insertInto('cohort_interest')
      .values({ cohort_id: 'embedding-work-group-3', email, confirmed_at: t.demoClock!.now() })
      .execute()
    const told = () =>
      t.database.db.selectFrom('outbox').select('template').where('to_address', '=', email).execute()
    expect(await told()).toEqual([])
    const page = await t.app.inject({ method: 'GET', url: '/demo/time' })
    const moved = await t.app.inject({
      method: 'POST',
      url: '/demo/time',
      headers: {
        cookie: `mh_csrf=${cookieValue(page, 'mh_csrf')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({ _csrf: csrfOf(page.body), jump: 'closing' }).toString(),
    })
    expect(moved.statusCode).toBe(303)
    expect(moved.headers.location).toBe('/demo/time')
    // Without waiting for the scheduler's minute: the jump ran it.
    expect(await told()).toHaveLength(1)
  })
})
