// Hostile input to the register's searches (find your hub, the school list, and their API) and to
// signing in (asking for a link, creating an account, the emailed link, "tell me when it opens"):
// values that look right mixed with hostile ones, numbers out of range, repeated parameters. No
// 5xx; a refusal shows what is wrong (or, for the searches, that too many were made: 429) and
// changes nothing.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  escapeHtml,
  hasMarkup,
  hostilePathSegment,
  hostileString,
  wellFormed,
} from '../hostile-arbitraries.ts'
import type { PersonaName } from '../personas.ts'
import {
  api,
  asyncProperty,
  exchange,
  expectApi,
  expectPage,
  finishShare,
  formFields,
  formWithOneHostile,
  freshVisitor,
  hostileValue,
  NUMBERISH,
  openHostileApp,
  page,
  personas,
  query,
  sometimes,
  t,
  type Person,
  type Reply,
} from './harness.ts'

const RUNS = 130
const TIMEOUT = 300_000

let people: Record<PersonaName, Person>

beforeAll(async () => {
  await openHostileApp()
  people = await personas()
}, TIMEOUT)

afterAll(async () => {
  await t?.close()
  await finishShare('register-and-sign-in')
})

const searchText = fc.constantFrom(
  'Christ Church',
  'Oakfield',
  'NV1 2AB',
  'nv1',
  '990001',
  '99000',
  'St. Mary’s',
  'northvale',
)
const number = fc.oneof(fc.integer({ min: -5, max: 10_000 }).map(String), fc.constantFrom(...NUMBERISH))

/** A search may be refused for asking too often: that is a clear answer too. */
function searchPage(reply: Reply): void {
  if (reply.statusCode === 429) return expect(reply.body).toMatch(/\S/)
  expectPage(reply)
}
function searchApi(reply: Reply): void {
  expectApi(reply)
}

/** Query parameters: the ones the route reads (valid or hostile, once or repeated), and hostile extras. */
function params(spec: Record<string, fc.Arbitrary<string>>) {
  return formFields(Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, sometimes(v)])))
}

describe('the register’s searches', () => {
  it(
    'GET /find-your-hub?q=',
    async () => {
      await fc.assert(
        asyncProperty(params({ q: searchText }), async (q) => {
          const reply = await exchange(
            () => page(people.anonymous, 'GET', `/find-your-hub${query(q)}`),
            searchPage,
          )
          // What was searched for is shown back escaped.
          const value = q.find(([k]) => k === 'q')?.[1]
          if (reply.statusCode === 422 && value !== undefined && hasMarkup(value)) {
            expect(reply.body).toContain(escapeHtml(wellFormed(value).trim()).slice(0, 20))
          }
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'GET /schools?q=&phase=&la=&hub=&page=',
    async () => {
      const spec = {
        q: searchText,
        phase: fc.constantFrom('primary', 'secondary', 'all-through', 'Primary'),
        la: fc.constantFrom('886', '201', '95', 'Kent'),
        hub: fc.constantFrom('northvale-maths-hub', 'riverside-maths-hub', 'no-such-hub'),
        page: number,
      }
      await fc.assert(
        asyncProperty(params(spec), async (q) => {
          await exchange(() => page(people.anonymous, 'GET', `/schools${query(q)}`), searchPage)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'GET /api/v1/schools?q=&phase=&la=&hub=&page=&pageSize=',
    async () => {
      const spec = {
        q: searchText,
        phase: fc.constantFrom('primary', 'secondary'),
        la: fc.constantFrom('886', '201'),
        hub: fc.constantFrom('northvale-maths-hub', 'no-such-hub'),
        page: number,
        pageSize: number,
      }
      await fc.assert(
        asyncProperty(params(spec), async (q) => {
          await exchange(() => api(people.anonymous, 'GET', `/api/v1/schools${query(q)}`), searchApi)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'GET /api/v1/find-hub?q= and /api/v1/schools/:urn, /api/v1/hubs/:id, /schools/:urn, /hubs/:id',
    async () => {
      const target = fc.oneof(
        params({ q: searchText }).map((q) => ({ api: true, url: `/api/v1/find-hub${query(q)}` })),
        hostilePathSegment.map((id) => ({ api: true, url: `/api/v1/schools/${id}` })),
        hostilePathSegment.map((id) => ({ api: true, url: `/api/v1/hubs/${id}` })),
        hostilePathSegment.map((id) => ({ api: false, url: `/schools/${id}` })),
        hostilePathSegment.map((id) => ({ api: false, url: `/hubs/${id}` })),
      )
      await fc.assert(
        asyncProperty(target, async ({ api: isApi, url }) => {
          await exchange(
            () => (isApi ? api(people.anonymous, 'GET', url) : page(people.anonymous, 'GET', url)),
            isApi ? searchApi : searchPage,
          )
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )
})

describe('signing in', () => {
  const validEmail = fc.uuid().map((u) => `someone-${u}@school.example`)

  it(
    'POST /sign-in {email}',
    async () => {
      await fc.assert(
        asyncProperty(params({ email: validEmail }), async (form) => {
          const reply = await exchange(() => page(people.anonymous, 'POST', '/sign-in', form), expectPage)
          expect([303, 422, 429]).toContain(reply.statusCode)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /create-account {name, email}: a valid account with one part hostile',
    async () => {
      const form = fc.oneof(
        validEmail.chain((email) => formWithOneHostile({ name: 'Siobhán O’Neill-Jones', email })),
        params({ name: fc.constant('Tess Teacher'), email: validEmail }),
      )
      await fc.assert(
        asyncProperty(form, async (fields) => {
          // Each account is asked for from a fresh session, as a new visitor would.
          const visitor = await freshVisitor()
          await t.database.db.deleteFrom('rate_limits').where('key', 'like', 'create-account:%').execute()
          await exchange(() => page(visitor, 'POST', '/create-account', fields), expectPage)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'GET and POST /sign-in/link/:token with a token that is no link',
    async () => {
      const token = fc.oneof(
        hostilePathSegment,
        fc.base64String({ minLength: 1, maxLength: 300 }).map(encodeURIComponent),
      )
      await fc.assert(
        asyncProperty(token, fc.boolean(), formFields({ extra: hostileValue }), async (to, post, form) => {
          const visitor = await freshVisitor()
          const url = `/sign-in/link/${to}`
          const reply = await exchange(() => page(visitor, post ? 'POST' : 'GET', url, form), expectPage)
          if (post) expect(reply.statusCode).toBeGreaterThanOrEqual(400)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'GET and POST /cohort-interest/:token with a token that is no link',
    async () => {
      const token = fc.oneof(
        hostilePathSegment,
        fc.base64String({ minLength: 1, maxLength: 300 }).map(encodeURIComponent),
      )
      await fc.assert(
        asyncProperty(token, fc.boolean(), formFields({ extra: hostileValue }), async (to, post, form) => {
          const visitor = await freshVisitor()
          const url = `/cohort-interest/${to}`
          const reply = await exchange(() => page(visitor, post ? 'POST' : 'GET', url, form), expectPage)
          if (post) expect(reply.statusCode).toBeGreaterThanOrEqual(400)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /cohorts/:id/interest {email} for an upcoming cohort',
    async () => {
      await fc.assert(
        asyncProperty(params({ email: validEmail }), async (form) => {
          await exchange(
            () => page(people.anonymous, 'POST', '/cohorts/embedding-work-group-3/interest', form),
            expectPage,
          )
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /demo/personas/:personId with an id that is no demo person',
    async () => {
      const id = fc.oneof(hostilePathSegment, fc.constantFrom('1', '2', '999999'))
      await fc.assert(
        asyncProperty(id, formFields({ extra: hostileString }), async (personId, form) => {
          const visitor = await freshVisitor()
          await exchange(() => page(visitor, 'POST', `/demo/personas/${personId}`, form), expectPage)
        }),
        { numRuns: RUNS / 2 },
      )
    },
    TIMEOUT,
  )
})
