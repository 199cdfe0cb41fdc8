// What the service logs about a request: the routed path with every secret in it replaced, never a
// query string, never a single-use link's token (anyone who reads the log could use it first).
import { randomBytes } from 'node:crypto'
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'

let t: TestApp
const logLines: string[] = []

beforeAll(async () => {
  t = await createTestApp({
    logLines,
    oidc: { issuer: 'http://127.0.0.1:9/unused', clientId: 'mastery-hub', clientSecret: 'not-used-here' },
  })
}, 180_000)

afterAll(async () => {
  await t?.close()
})

/** A value no log line could hold by chance. */
const secret = () => `Secret${randomBytes(18).toString('base64url')}`

/** The log lines written while the request was answered, parsed. */
async function logged(request: InjectOptions) {
  const before = logLines.length
  const reply = await t.app.inject(request)
  const lines = logLines.slice(before)
  return { reply, text: lines.join(''), entries: lines.map((l) => JSON.parse(l) as Record<string, unknown>) }
}

function loggedPath(entries: Record<string, unknown>[]): string | undefined {
  const incoming = entries.find((e) => e.msg === 'incoming request')
  return (incoming?.req as { path?: string } | undefined)?.path
}

describe('Request logs', () => {
  const links = [
    { kind: 'an endorsement link', path: (s: string) => `/endorse/${s}`, shown: '/endorse/[redacted]' },
    {
      kind: 'a sign-in link',
      path: (s: string) => `/sign-in/link/${s}`,
      shown: '/sign-in/link/[redacted]',
    },
    { kind: 'a place link', path: (s: string) => `/places/${s}`, shown: '/places/[redacted]' },
  ]

  for (const link of links) {
    it(`never log the token of ${link.kind}, opened or used`, async () => {
      for (const method of ['GET', 'POST'] as const) {
        const token = secret()
        const { text, entries } = await logged({
          method,
          url: link.path(token),
          ...(method === 'POST' ? { payload: { _csrf: 'x' } } : {}),
        })
        expect(text).not.toContain(token)
        expect(loggedPath(entries)).toBe(link.shown)
      }
    })

    it(`never log the token of ${link.kind} spelled another way or with more after it`, async () => {
      for (const spell of [
        (s: string) => link.path(s).replace(/^\/(.)/, (_m, c: string) => `/%${c.charCodeAt(0).toString(16)}`),
        (s: string) => `${link.path(s)}/more`,
        (s: string) => `${link.path(s)}%ZZ`,
        (s: string) => `${link.path(s)}?a=1`,
      ]) {
        const token = secret()
        const { text } = await logged({ method: 'GET', url: spell(token) })
        expect(text, spell('TOKEN')).not.toContain(token)
        expect(text, spell('TOKEN')).toContain('incoming request')
      }
    })
  }

  it('never log the code or state the organisation sign-in sends back', async () => {
    const code = secret()
    const state = secret()
    const { text, entries } = await logged({
      method: 'GET',
      url: `/sign-in/oidc/callback?code=${code}&state=${state}`,
    })
    expect(text).not.toContain(code)
    expect(text).not.toContain(state)
    expect(loggedPath(entries)).toBe('/sign-in/oidc/callback')
  })

  it('never log a query string', async () => {
    const value = secret()
    const { text, entries } = await logged({ method: 'GET', url: `/schools?q=${value}` })
    expect(text).not.toContain(value)
    expect(loggedPath(entries)).toBe('/schools')
  })

  it('logs record ids in paths, so a request can still be followed', async () => {
    const { entries } = await logged({ method: 'GET', url: '/hubs/northvale-maths-hub' })
    expect(loggedPath(entries)).toBe('/hubs/northvale-maths-hub')
  })

  it('redacts every path parameter of every route that is not a record id', async () => {
    // The route table decides: a route added with a new kind of parameter is redacted unless its
    // parameter is named as a record id, so no secret-carrying route can be forgotten.
    const withParams = t.app.routeTable.filter((r) => r.url.includes(':') && !r.url.includes('*'))
    expect(withParams.length).toBeGreaterThan(20)
    for (const route of withParams) {
      const values = new Map<string, string>()
      const url = route.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
        const value = `${name}${randomBytes(9).toString('hex')}`
        values.set(name, value)
        return value
      })
      const { text, entries } = await logged({
        method: route.method as 'GET',
        url,
        ...(route.method === 'GET' ? {} : { payload: {} }),
      })
      const path = loggedPath(entries) ?? ''
      for (const [name, value] of values) {
        if (['id', 'cohortId', 'hubId', 'urn', 'personId', 'applicationId', 'laCode'].includes(name)) {
          expect(path, `${route.method} ${route.url}`).toContain(value)
        } else {
          expect(text, `${route.method} ${route.url} logs :${name}`).not.toContain(value)
        }
      }
    }
  }, 120_000)
})
