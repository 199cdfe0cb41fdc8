// Database errors never reach a client, and reach the log without values: a uniqueness race is
// answered like any duplicate (409), input the database cannot read (a NUL, half a surrogate pair)
// is refused before it reaches SQL, and no answer carries an SQLSTATE or a row's values.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { signInPersonas, type Client, type PersonaName } from './personas.ts'

let t: TestApp
let people: Record<PersonaName, Client>
const logLines: string[] = []
const TAKEN = 'amir.hussain@school.example'
const VALUE = 'SecretValue1234'

beforeAll(async () => {
  t = await createTestApp({
    logLines,
    // Routes that make the database refuse, as a race or a fault would, for pages and the API.
    extraRoutes: (app) => {
      for (const prefix of ['', '/api/v1']) {
        app.get(`${prefix}/forced/duplicate`, async () => {
          await t.database.db
            .insertInto('people')
            .values({ name: 'Someone', email: TAKEN.toUpperCase() })
            .execute()
          return {}
        })
        app.get(`${prefix}/forced/missing-reference`, async () => {
          await t.database.db
            .insertInto('grants')
            .values({ person_id: 2_000_000_000, role: 'teacher' })
            .execute()
          return {}
        })
        app.get(`${prefix}/forced/bad-value`, async () => {
          await sql`SELECT ${VALUE}::int`.execute(t.database.db)
          return {}
        })
        app.get(`${prefix}/forced/fault`, async () => {
          await sql`SELECT * FROM no_such_table WHERE name = ${VALUE}`.execute(t.database.db)
          return {}
        })
      }
    },
  })
  people = await signInPersonas(t)
}, 180_000)

afterAll(async () => {
  await t?.close()
})

async function logged(url: string) {
  const before = logLines.length
  const reply = await t.app.inject({ method: 'GET', url })
  const lines = logLines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>)
  return { reply, lines, text: logLines.slice(before).join('') }
}

/** What no answer may hold: an SQLSTATE, the database's own words, a row's values. */
function expectNothingFromTheDatabase(body: string) {
  for (const code of ['23505', '23503', '22P02', '22021', '42P01', 'SQLSTATE'])
    expect(body).not.toContain(code)
  for (const words of [
    'duplicate key',
    'violates',
    'constraint',
    'invalid input syntax',
    'relation',
    'Key (',
  ]) {
    expect(body).not.toContain(words)
  }
  expect(body.toLowerCase()).not.toContain(TAKEN)
  expect(body).not.toContain(VALUE)
}

describe('Database errors', () => {
  it('answers a uniqueness violation as a duplicate, 409, on pages and the API', async () => {
    const page = await logged('/forced/duplicate')
    expect(page.reply.statusCode).toBe(409)
    expect(page.reply.headers['content-type']).toMatch(/^text\/html/)
    expectNothingFromTheDatabase(page.reply.body)
    const api = await logged('/api/v1/forced/duplicate')
    expect(api.reply.statusCode).toBe(409)
    const body = JSON.parse(api.reply.body) as { errors: { code: string; message: string }[] }
    expect(body.errors[0]).toMatchObject({ code: 'conflict' })
    expectNothingFromTheDatabase(api.reply.body)
  })

  it('logs the SQLSTATE and constraint of a uniqueness violation, never the values in it', async () => {
    const { lines, text } = await logged('/api/v1/forced/duplicate')
    const entry = lines.find((l) => l.err !== undefined)
    expect(entry, text).toBeDefined()
    expect(entry!.err).toMatchObject({ code: '23505', constraint: 'people_email_unique', table: 'people' })
    expect(text.toLowerCase()).not.toContain(TAKEN)
    expect(text).not.toContain('"detail"')
    expect(text).not.toContain('Key (')
  })

  it('answers a missing reference as a conflict, and logs its constraint without values', async () => {
    const { reply, lines, text } = await logged('/api/v1/forced/missing-reference')
    expect(reply.statusCode).toBe(409)
    expectNothingFromTheDatabase(reply.body)
    expect(lines.find((l) => l.err)?.err).toMatchObject({ code: '23503', table: 'grants' })
    expect(text).not.toContain('2000000000')
  })

  it('answers a value the database cannot read with a 4xx, and logs no value', async () => {
    for (const url of ['/forced/bad-value', '/api/v1/forced/bad-value']) {
      const { reply, lines, text } = await logged(url)
      expect(reply.statusCode, url).toBeGreaterThanOrEqual(400)
      expect(reply.statusCode, url).toBeLessThan(500)
      expectNothingFromTheDatabase(reply.body)
      expect(lines.find((l) => l.err)?.err).toMatchObject({ code: '22P02' })
      expect(text).not.toContain(VALUE)
    }
  })

  it('answers a fault with 500 and no SQLSTATE, and logs the code without the query’s values', async () => {
    for (const url of ['/forced/fault', '/api/v1/forced/fault']) {
      const { reply, lines, text } = await logged(url)
      expect(reply.statusCode, url).toBe(500)
      expectNothingFromTheDatabase(reply.body)
      expect(lines.find((l) => l.err)?.err).toMatchObject({ code: '42P01' })
      expect(text).not.toContain(VALUE)
    }
  })
})

describe('Input the database cannot read', () => {
  /** Who asks: a page gets a session cookie, the API a token. */
  function as(client: Client, url: string): Record<string, string> {
    return url.startsWith('/api/')
      ? { authorization: `Bearer ${client.apiToken}` }
      : { cookie: `mh_session=${client.cookie}` }
  }

  const NUL_PATHS = [
    '/api/v1/hubs/%00/team',
    '/api/v1/hubs/%00',
    '/api/v1/schools/%00',
    '/api/v1/people/%00',
    '/api/v1/programmes/%00',
    '/api/v1/cohorts/%00',
    '/api/v1/hubs/northvale-maths-hub/cohorts/%00/ranking',
    '/api/v1/hubs/nul%00hub/cohorts/primary-mastery-specialist-13/ranking',
    '/hubs/%00',
    '/hubs/%00/team',
    '/admin/hubs/%00',
    '/programmes/%00',
    '/cohorts/%00',
    '/endorse/%00',
    '/places/%00',
    '/sign-in/link/%00',
  ]

  it('refuses a NUL in a path parameter with a 4xx, never reaching SQL', async () => {
    for (const persona of ['nationalAdmin', 'hubLead', 'anonymous'] as const) {
      for (const url of NUL_PATHS) {
        const reply = await t.app.inject({ method: 'GET', url, headers: as(people[persona], url) })
        expect(reply.statusCode, `${persona} ${url}: ${reply.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400)
        expect(reply.statusCode, `${persona} ${url}: ${reply.body.slice(0, 300)}`).toBeLessThan(500)
        expectNothingFromTheDatabase(reply.body)
      }
    }
  })

  it('refuses a NUL in any path parameter of any route with a 4xx', async () => {
    const routes = t.app.routeTable.filter((r) => r.url.includes(':'))
    for (const route of routes) {
      const names = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!)
      for (const name of names) {
        const url = route.url.replace(/:([A-Za-z]+)/g, (_m, n: string) => (n === name ? 'nul%00' : '1'))
        for (const persona of ['nationalAdmin', 'hubLead'] as const) {
          const headers = as(people[persona], url)
          const reply = await t.app.inject({
            method: route.method as 'GET',
            url,
            headers: route.method === 'GET' ? headers : { ...headers, 'content-type': 'application/json' },
            ...(route.method === 'GET' ? {} : { payload: '{}' }),
          })
          expect(reply.statusCode, `${route.method} ${url}`).toBeLessThan(500)
          expect(reply.statusCode, `${route.method} ${url}`).toBeGreaterThanOrEqual(400)
        }
      }
    }
  }, 120_000)

  it('refuses a NUL in a query with a 4xx, as the API’s errors or a page', async () => {
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/schools?q=nul%00byte' })
    expect(api.statusCode).toBe(400)
    const body = JSON.parse(api.body) as { errors: { code: string; field: string; message: string }[] }
    expect(body.errors[0]).toMatchObject({ field: 'q' })
    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit?action=%00',
      headers: as(people.nationalAdmin, '/api/'),
    })
    expect(audit.statusCode).toBe(400)
    const page = await t.app.inject({ method: 'GET', url: '/schools?q=%00' })
    expect(page.statusCode).toBe(400)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
  })

  it('refuses a NUL or half a surrogate pair in a JSON body with 422 naming the field', async () => {
    for (const value of ['nul\\u0000byte', 'half \\ud800 pair', '\\udc00']) {
      const reply = await t.app.inject({
        method: 'POST',
        url: '/api/v1/hubs/northvale-maths-hub/team',
        headers: { ...as(people.hubLead, '/api/'), 'content-type': 'application/json' },
        payload: `{"email":"someone@school.example","name":"${value}","role":"reviewer"}`,
      })
      expect(reply.statusCode, reply.body).toBe(422)
      const body = JSON.parse(reply.body) as { errors: { code: string; field: string }[] }
      expect(body.errors[0]).toMatchObject({ field: 'name' })
    }
  })

  it('refuses a NUL in a form with a 4xx page', async () => {
    const reply = await t.app.inject({
      method: 'POST',
      url: '/hubs/northvale-maths-hub/team',
      headers: {
        cookie: `mh_session=${people.hubLead.cookie}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `_csrf=${people.hubLead.csrf}&email=someone%00@school.example&name=Someone&role=reviewer`,
    })
    expect(reply.statusCode).toBeGreaterThanOrEqual(400)
    expect(reply.statusCode).toBeLessThan(500)
    expect(reply.headers['content-type']).toMatch(/^text\/html/)
  })
})
