// The public search's rate limit: each client address may search the register and the hubs so many
// times a minute, across every app process; the next search is refused with 429, a plain message
// and Retry-After, and a new minute brings a new allowance.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { createTestApp, type TestApp } from './app.ts'
import { OPEN_COHORT, pageText } from './application-fixtures.ts'
import { request, signInPersonas } from './personas.ts'

const LIMIT = 4
let t: TestApp

beforeAll(async () => {
  t = await createTestApp({ searchRateLimitPerMinute: LIMIT })
})
afterAll(async () => {
  await t?.close()
})
beforeEach(async () => {
  await t.database.db.deleteFrom('rate_limits').execute()
  // Start each test at the beginning of a minute, so its searches share one window.
  t.clock.set('2026-11-22T10:00:00Z')
})

function search(url: string, ip = '203.0.113.20') {
  return t.app.inject({ method: 'GET', url, remoteAddress: ip })
}

describe('the public search’s rate limit', () => {
  it('refuses the search after the limit with a page that says how long to wait', async () => {
    const urls = ['/find-your-hub?q=Leeds', '/schools?q=primary', '/api/v1/schools?q=academy']
    for (let i = 0; i < LIMIT; i++) {
      const reply = await search(urls[i % urls.length]!)
      expect(reply.statusCode, urls[i % urls.length]).toBe(200)
    }
    const page = await search('/find-your-hub?q=Bradford')
    expect(page.statusCode).toBe(429)
    expect(page.headers['retry-after']).toBe('60')
    const text = pageText(page.body)
    expect(text).toContain('You have made too many searches')
    expect(text).toContain('wait 1 minute and try again')

    const api = await search('/api/v1/find-hub?q=LS1')
    expect(api.statusCode).toBe(429)
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0)
    expect(api.json()).toEqual({
      errors: [{ code: 'rate-limited', message: 'Too many searches: wait 1 minute and try again' }],
    })
  })

  it('counts each address on its own, and gives a new allowance the next minute', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await search('/schools?q=a')).statusCode).toBe(200)
    expect((await search('/schools?q=a')).statusCode).toBe(429)
    expect((await search('/schools?q=a', '198.51.100.7')).statusCode).toBe(200)

    t.clock.advance(45_000)
    const later = await search('/schools?q=a')
    expect(later.statusCode).toBe(429)
    expect(later.headers['retry-after']).toBe('15')

    t.clock.advance(15_000)
    expect((await search('/schools?q=a')).statusCode).toBe(200)
  })

  it('does not count the empty find-your-hub form, a school’s own page or a refused query', async () => {
    for (let i = 0; i < LIMIT * 2; i++) {
      expect((await search('/find-your-hub')).statusCode).toBe(200)
      expect((await search('/hubs')).statusCode).toBe(200)
      expect((await search('/api/v1/schools?page=0')).statusCode).toBe(422)
    }
    expect((await search('/find-your-hub?q=Leeds')).statusCode).toBe(200)
  })

  it('is shared by two app processes on one database', async () => {
    const second = await createApp({
      database: t.database,
      config: {
        logLevel: 'silent',
        cacheTemplates: true,
        baseUrl: 'http://localhost:3000',
        session: { idleMinutes: 60, absoluteHours: 12, secureCookies: false },
        oidc: undefined,
        searchRateLimitPerMinute: LIMIT,
      },
      clock: t.clock,
      demo: false,
    })
    try {
      for (let i = 0; i < LIMIT; i++) {
        const app = i % 2 === 0 ? t.app : second
        const reply = await app.inject({
          method: 'GET',
          url: '/api/v1/find-hub?q=Leeds',
          remoteAddress: '192.0.2.9',
        })
        expect(reply.statusCode).toBe(200)
      }
      const refused = await second.inject({
        method: 'GET',
        url: '/api/v1/find-hub?q=Leeds',
        remoteAddress: '192.0.2.9',
      })
      expect(refused.statusCode).toBe(429)
    } finally {
      await second.close()
    }
  })

  it('reads the client’s address from the load balancer only when told to trust it', async () => {
    const behindProxy = await createApp({
      database: t.database,
      config: {
        logLevel: 'silent',
        cacheTemplates: true,
        baseUrl: 'http://localhost:3000',
        session: { idleMinutes: 60, absoluteHours: 12, secureCookies: false },
        oidc: undefined,
        searchRateLimitPerMinute: LIMIT,
        trustProxy: 1,
      },
      clock: t.clock,
      demo: false,
    })
    try {
      // Many clients behind one balancer: each has its own allowance.
      for (let client = 0; client < LIMIT * 2; client++) {
        const reply = await behindProxy.inject({
          method: 'GET',
          url: '/api/v1/find-hub?q=Leeds',
          remoteAddress: '10.0.0.1',
          headers: { 'x-forwarded-for': `203.0.113.${100 + client}` },
        })
        expect(reply.statusCode).toBe(200)
      }
      // Without trust, a forged header changes nothing: the connection's address is counted.
      for (let i = 0; i < LIMIT; i++) {
        await search('/api/v1/find-hub?q=Leeds', '10.9.9.9')
      }
      const forged = await t.app.inject({
        method: 'GET',
        url: '/api/v1/find-hub?q=Leeds',
        remoteAddress: '10.9.9.9',
        headers: { 'x-forwarded-for': '203.0.113.250' },
      })
      expect(forged.statusCode).toBe(429)
    } finally {
      await behindProxy.close()
    }
  })

  it('counts the school search inside an application too, as a page with Retry-After', async () => {
    const { teacher } = await signInPersonas(t)
    const started = await request(t, teacher, 'POST', `/cohorts/${OPEN_COHORT}/apply`, {})
    const id = Number(/\/applications\/(\d+)/.exec(String(started.headers.location))![1])
    await t.database.db.deleteFrom('rate_limits').execute()
    for (let i = 0; i < LIMIT; i++) {
      expect((await request(t, teacher, 'GET', `/applications/${id}/school?q=990001`)).statusCode).toBe(200)
    }
    const refused = await request(t, teacher, 'GET', `/applications/${id}/school?q=990001`)
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['retry-after']).toBe('60')
    expect(pageText(refused.body)).toContain('You have made too many searches')
    // The public search from the same address shares the allowance.
    expect((await request(t, teacher, 'GET', '/find-your-hub?q=Leeds')).statusCode).toBe(429)
    // Showing the school step without a search does not count.
    expect((await request(t, teacher, 'GET', `/applications/${id}/school`)).statusCode).toBe(200)
  })
})
