// Hostile path and query parameters on every route the app registers, read from its own route
// table (so a route added later is covered without a line here): NUL, invalid UTF-8, lone
// surrogates, over-long values and percent-encoded path tricks in each path parameter in turn, and
// in known and unknown query names. Each answer is a 4xx or an ordinary page, never a 5xx, and
// never shows an SQLSTATE, a database error's words or a stack trace.
//
// And the API is for bearer tokens only: a signed-in person's session cookie, sent to every API
// GET route under the usual spelling and under others the router may take for it (first segment
// percent-encoded, doubled slashes, another case, dot segments), never makes a difference: the
// answer is what someone with no credentials gets, and never a 200 with that person's data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  countInputs,
  databaseLeak,
  finishShare,
  openHostileApp,
  OPEN_COHORT,
  personas,
  t,
  type Method,
  type Person,
  type Reply,
} from './harness.ts'
import { openSession, type PersonaName } from '../personas.ts'

const TIMEOUT = 300_000
const HUB = 'northvale-maths-hub'

/** Each value as it goes into the address: already percent-encoded, or raw where that is the trick. */
export const HOSTILE_PARAMETERS: [label: string, value: string][] = [
  ['NUL', '%00'],
  ['NUL inside', '7%00'],
  ['invalid UTF-8 %FF', '%FF'],
  ['invalid UTF-8 %C3%28', '%C3%28'],
  ['a lone surrogate', '%ED%A0%80'],
  ['an over-long value', 'x'.repeat(10_000)],
  ['encoded ../', '%2e%2e%2f'],
  ['encoded ../../etc/passwd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
  ['double-encoded /', '%252F'],
  ['encoded /', '1%2F2'],
  ['a double slash', '1//2'],
  ['a bare %', '%'],
  ['a broken escape', '%zz'],
  ['a number too big for the database', '99999999999'],
  ['encoded markup', '%3Cscript%3E'],
]

/** The values sent in the query: fewer than in the path, since each of these reaches the route's work. */
const HOSTILE_QUERY_VALUES = HOSTILE_PARAMETERS.filter(([label]) =>
  [
    'NUL inside',
    'invalid UTF-8 %FF',
    'invalid UTF-8 %C3%28',
    'a lone surrogate',
    'an over-long value',
    'double-encoded /',
    'a number too big for the database',
  ].includes(label),
)

/** Query names the routes read, and one none does. */
const QUERY_NAMES = [
  'q',
  'page',
  'pageSize',
  'cohort',
  'state',
  'hub',
  'phase',
  'la',
  'urn',
  'programme',
  'next',
  'interest',
  'person',
  'recordType',
  'recordId',
  'from',
  'to',
  'saved',
  'conflict',
  'places',
  'existing',
  'unknown-name',
]

/** A route's other path parameters: real records where a name says which, else none at all. */
function ordinaryValue(route: string, name: string): string {
  if (name === 'hubId' || (name === 'id' && /^\/(?:api\/v1\/|admin\/)?hubs\//.test(route))) return HUB
  if (name === 'cohortId' || (name === 'id' && /^\/(?:api\/v1\/)?cohorts\//.test(route))) return OPEN_COHORT
  if (name === 'id' && /programmes/.test(route)) return 'primary-mastery-specialist'
  if (name === 'urn') return '990001'
  if (name === 'laCode') return '958'
  if (name === 'token') return 'abcdefghijklmnopqrstuvwxyz'
  // Numbers that name no record: no hostile query reaches a real grant, person or application.
  return '987654'
}

interface RouteEntry {
  method: Method
  url: string
  params: string[]
}

/** The routes as the app registers them, less the static assets: the same list as every-route's. */
function routes(): RouteEntry[] {
  return t.app.routeTable
    .filter((r) => !r.url.startsWith('/assets/') && r.method !== 'HEAD')
    .map((r) => ({
      method: r.method as Method,
      url: r.url,
      params: [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!),
    }))
}

function address(route: RouteEntry, hostile?: { param: string; value: string }): string {
  return route.url.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    hostile?.param === name ? hostile.value : ordinaryValue(route.url, name),
  )
}

/** Routes that end or replace the session they are sent with: each request gets a session of its own. */
const ENDS_SESSION = new Set(['/sign-out', '/demo/personas/:personId', '/sign-in/link/:token'])

let admin: Person

// --- Spellings of API addresses

/** Other spellings of an API address: each takes "/api/v1/rest" and spells it differently. */
const SPELLINGS: [label: string, spell: (rest: string) => string][] = [
  ['as registered', (rest) => `/api/v1/${rest}`],
  ['first segment percent-encoded', (rest) => `/%61pi/v1/${rest}`],
  ['every letter of api percent-encoded', (rest) => `/%61%70%69/v1/${rest}`],
  ['version percent-encoded', (rest) => `/api/%761/${rest}`],
  ['a double slash before api', (rest) => `//api/v1/${rest}`],
  ['a double slash after api', (rest) => `/api//v1/${rest}`],
  ['upper case', (rest) => `/API/v1/${rest}`],
  ['mixed case', (rest) => `/Api/V1/${rest}`],
  ['a dot segment', (rest) => `/./api/v1/${rest}`],
  ['an encoded slash', (rest) => `/api%2Fv1/${rest}`],
]

const WHO: PersonaName[] = ['nationalAdmin', 'teacher']
let people: Record<PersonaName, Person>
let emails: Record<string, string>

async function send(route: RouteEntry, url: string): Promise<Reply> {
  const isApi = route.url.startsWith('/api/')
  const headers: Record<string, string> = {}
  let cookie = admin.cookie
  let csrf = admin.csrf
  if (ENDS_SESSION.has(route.url)) ({ cookie, csrf } = await openSession(t.database.db, null, t.clock.now()))
  if (isApi) headers.authorization = `Bearer ${admin.apiToken}`
  else headers.cookie = `mh_session=${cookie}`
  if (route.method === 'GET') return t.app.inject({ method: 'GET', url, headers })
  if (isApi) {
    headers['content-type'] = 'application/json'
    return t.app.inject({ method: route.method, url, headers, payload: '{}' })
  }
  headers['content-type'] = 'application/x-www-form-urlencoded'
  return t.app.inject({
    method: route.method,
    url,
    headers,
    payload: new URLSearchParams({ _csrf: csrf }).toString(),
  })
}

/** What is wrong with an answer to hostile parameters, if anything. */
function fault(route: RouteEntry, reply: Reply): string | undefined {
  if (reply.statusCode >= 500) return `${reply.statusCode}: ${reply.body.slice(0, 300)}`
  const leak = databaseLeak(reply.body)
  if (leak) return `${reply.statusCode} showing ${leak}`
  if (route.url.startsWith('/api/') && reply.statusCode >= 400) {
    try {
      const body = JSON.parse(reply.body) as { errors?: { code?: unknown; message?: unknown }[] }
      const ok =
        Array.isArray(body.errors) &&
        body.errors.length > 0 &&
        body.errors.every(
          (e) => typeof e.code === 'string' && typeof e.message === 'string' && e.message !== '',
        )
      if (!ok) return `${reply.statusCode} without {errors:[{code, message}]}: ${reply.body.slice(0, 200)}`
    } catch {
      return `${reply.statusCode} that is not JSON: ${reply.body.slice(0, 200)}`
    }
  }
  return undefined
}

beforeAll(async () => {
  await openHostileApp()
  people = await personas()
  admin = people.nationalAdmin
  const rows = await t.database.db.selectFrom('people').select(['id', 'email']).execute()
  emails = Object.fromEntries(rows.map((r) => [String(r.id), r.email]))
}, TIMEOUT)

afterAll(async () => {
  await t?.close()
  await finishShare('parameters')
})

/** The part after /api/v1/ of the route, with records the person could see. */
function rest(url: string, person: Person): string {
  return url.slice('/api/v1/'.length).replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (name === 'cohortId' || (name === 'id' && url.startsWith('/api/v1/cohorts/'))) return OPEN_COHORT
    if (name === 'id' && url.startsWith('/api/v1/hubs/')) return HUB
    if (name === 'id' && url.startsWith('/api/v1/programmes/')) return 'primary-mastery-specialist'
    if (name === 'id' && url.startsWith('/api/v1/people/')) return String(person.personId)
    if (name === 'urn') return '990001'
    return '1'
  })
}

function apiGetRoutes(): string[] {
  return t.app.routeTable.filter((r) => r.method === 'GET' && r.url.startsWith('/api/')).map((r) => r.url)
}

const sendGet = (url: string, cookie?: string): Promise<Reply> =>
  t.app.inject({ method: 'GET', url, headers: cookie ? { cookie: `mh_session=${cookie}` } : {} })

describe('hostile path and query parameters on every route', () => {
  it('reads the routes from the app, so a new route is covered by itself', () => {
    expect(routes().length).toBeGreaterThan(100)
    expect(routes().filter((r) => r.params.length > 0).length).toBeGreaterThan(50)
  })

  it(
    'no hostile path parameter gives a 5xx or shows a database error',
    async () => {
      const problems: string[] = []
      for (const route of routes()) {
        for (const param of route.params) {
          for (const [label, value] of HOSTILE_PARAMETERS) {
            const url = address(route, { param, value })
            const reply = await send(route, url)
            countInputs(1)
            const wrong = fault(route, reply)
            if (wrong) problems.push(`${route.method} ${route.url} with ${label} as :${param} → ${wrong}`)
          }
        }
      }
      expect(problems, `${problems.length} answers to hostile path parameters`).toEqual([])
    },
    TIMEOUT,
  )

  it(
    'no hostile query value or name gives a 5xx or shows a database error',
    async () => {
      const problems: string[] = []
      for (const route of routes()) {
        for (const [label, value] of HOSTILE_QUERY_VALUES) {
          // Over-long values go in a few names, so the address itself stays within reason.
          const names = value.length > 1000 ? ['q', 'page', 'unknown-name'] : QUERY_NAMES
          const pairs = [...names.map((name) => `${name}=${value}`), `${value.slice(0, 100)}=1`]
          const url = `${address(route)}?${pairs.join('&')}`
          const reply = await send(route, url)
          countInputs(1)
          const wrong = fault(route, reply)
          if (wrong) problems.push(`${route.method} ${route.url} with ${label} in the query → ${wrong}`)
        }
      }
      expect(problems, `${problems.length} answers to hostile query parameters`).toEqual([])
    },
    TIMEOUT,
  )
})

describe('a session cookie never authenticates the API, however the address is spelled', () => {
  it('reads the API routes from the app', () => {
    expect(apiGetRoutes().length).toBeGreaterThan(15)
  })

  it(
    'every API GET route answers a cookie as it answers no credentials at all',
    async () => {
      const problems: string[] = []
      for (const url of apiGetRoutes()) {
        for (const name of WHO) {
          const person = people[name]
          for (const [label, spell] of SPELLINGS) {
            const address = spell(rest(url, person))
            const withCookie = await sendGet(address, person.cookie)
            countInputs(1)
            // What no credentials get matters only when the cookie got a 200.
            const without = withCookie.statusCode === 200 ? await sendGet(address) : withCookie
            const where = `GET ${url} spelled ${label} (${address}) with ${name}'s session cookie`
            const email = emails[String(person.personId)]
            if (withCookie.statusCode >= 500) {
              problems.push(`${where} → ${withCookie.statusCode}`)
            } else if (withCookie.statusCode === 200 && without.statusCode !== 200) {
              problems.push(
                `${where} → 200 where no credentials get ${without.statusCode}: the cookie signed in`,
              )
            } else if (email && withCookie.statusCode === 200 && withCookie.body.includes(email)) {
              problems.push(`${where} → 200 showing their address`)
            } else if (
              withCookie.statusCode === 200 &&
              String(withCookie.headers['content-type']).startsWith('application/json') &&
              withCookie.body !== without.body
            ) {
              problems.push(`${where} → 200 with other data than no credentials get`)
            }
          }
        }
      }
      expect(problems, `${problems.length} API answers believed a cookie`).toEqual([])
    },
    TIMEOUT,
  )
})
