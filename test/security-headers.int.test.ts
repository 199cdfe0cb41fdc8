// Security headers on every answer: pages, the API, assets, redirects, "not found", errors and the
// framework's own early refusals (an address it cannot decode); HSTS only when the service is https.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'

let http: TestApp
let https: TestApp

beforeAll(async () => {
  http = await createTestApp({
    extraRoutes: (app) => {
      app.get('/forced/failure', async () => {
        throw new Error('a fault')
      })
    },
  })
  https = await createTestApp({ baseUrl: 'https://masteryhub.example' })
}, 180_000)

afterAll(async () => {
  await http?.close()
  await https?.close()
})

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join(';')

const REQUESTS: { what: string; method?: 'GET' | 'POST'; url: string; status: number }[] = [
  { what: 'a page', url: '/', status: 200 },
  { what: 'the API', url: '/api/v1/hubs', status: 200 },
  { what: 'an asset', url: '/assets/app.css', status: 200 },
  { what: 'a redirect', url: '/account', status: 302 },
  { what: 'a page not found', url: '/no-such-page', status: 404 },
  { what: 'the API not found', url: '/api/v1/no-such-thing', status: 404 },
  { what: 'an address the router cannot decode', url: '/hubs/%FF', status: 400 },
  { what: 'an API address the router cannot decode', url: '/api/v1/hubs/%FF', status: 400 },
  { what: 'an over-long path parameter', url: `/hubs/${'x'.repeat(200)}`, status: 414 },
  { what: 'a body that is not JSON', method: 'POST', url: '/api/v1/applications', status: 401 },
  { what: 'a fault', url: '/forced/failure', status: 500 },
  { what: 'a refused form', method: 'POST', url: '/sign-out', status: 403 },
]

function expectSecurityHeaders(headers: Record<string, unknown>, what: string) {
  expect(String(headers['content-security-policy']).replace(/; /g, ';'), what).toBe(CSP)
  expect(headers['x-content-type-options'], what).toBe('nosniff')
  expect(headers['x-frame-options'], what).toBe('DENY')
  expect(headers['referrer-policy'], what).toBe('same-origin')
  expect(headers['cross-origin-opener-policy'], what).toBe('same-origin')
  expect(headers['permissions-policy'], what).toBe(
    'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  )
  expect(headers['x-request-id'], what).toMatch(/^[0-9a-f-]{36}$/)
  expect(headers['x-powered-by'], what).toBeUndefined()
}

describe('Security headers', () => {
  for (const request of REQUESTS) {
    it(`are on ${request.what} (${request.status})`, async () => {
      const reply = await http.app.inject({
        method: request.method ?? 'GET',
        url: request.url,
        ...(request.method === 'POST' ? { headers: { 'content-type': 'text/plain' }, payload: 'x' } : {}),
      })
      expect(reply.statusCode, reply.body.slice(0, 300)).toBe(request.status)
      expectSecurityHeaders(reply.headers, request.what)
      expect(reply.headers['strict-transport-security'], request.what).toBeUndefined()
      if (!request.url.startsWith('/assets/'))
        expect(reply.headers['cache-control'], request.what).toBe('no-store')
    })
  }

  it('include HSTS on every answer when the service is served over https', async () => {
    for (const request of REQUESTS.filter((r) => !r.url.startsWith('/forced/'))) {
      const reply = await https.app.inject({ method: request.method ?? 'GET', url: request.url })
      expect(reply.headers['strict-transport-security'], request.what).toBe(
        'max-age=31536000; includeSubDomains',
      )
      expectSecurityHeaders(reply.headers, request.what)
    }
  })
})
