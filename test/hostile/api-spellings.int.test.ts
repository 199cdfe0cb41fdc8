// The API is for bearer tokens only: a signed-in person's session cookie, sent to every API GET
// route the app registers (read from its route table) under the usual spelling and under others
// the router may take for it (first segment percent-encoded, doubled slashes, another case, dot
// segments), never makes a difference: the answer is what someone with no credentials at all
// gets, and never a 200 with that person's data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PersonaName } from '../personas.ts'
import {
  countInputs,
  finishShare,
  openHostileApp,
  OPEN_COHORT,
  personas,
  t,
  type Person,
  type Reply,
} from './harness.ts'

const TIMEOUT = 300_000
const HUB = 'northvale-maths-hub'

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

beforeAll(async () => {
  await openHostileApp()
  people = await personas()
  const rows = await t.database.db.selectFrom('people').select(['id', 'email']).execute()
  emails = Object.fromEntries(rows.map((r) => [String(r.id), r.email]))
}, TIMEOUT)

afterAll(async () => {
  await t?.close()
  await finishShare('api-spellings')
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

const send = (url: string, cookie?: string): Promise<Reply> =>
  t.app.inject({ method: 'GET', url, headers: cookie ? { cookie: `mh_session=${cookie}` } : {} })

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
            const withCookie = await send(address, person.cookie)
            countInputs(1)
            // What no credentials get matters only when the cookie got a 200.
            const without = withCookie.statusCode === 200 ? await send(address) : withCookie
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
