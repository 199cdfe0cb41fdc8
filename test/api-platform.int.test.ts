// The API as a whole: its OpenAPI description and readable documentation page, the audit trail's
// before and after as JSON objects (not JSON text inside JSON) in the API and the subject access
// export, and query parameters refused unless the endpoint declares them.
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { exportDump } from '../src/db/dump.ts'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
let grace: number

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
  grace = (
    await t.database.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', 'grace.lee@northvale.mathshub.example')
      .executeTakeFirstOrThrow()
  ).id
  // An audited change with a before and an after: a hub lead changes a reviewer's name.
  const changed = await request(t, clients.hubLead, 'PATCH', `/api/v1/people/${grace}`, { name: 'Grace Li' })
  expect(changed.statusCode, changed.body).toBe(200)
})
afterAll(async () => {
  await t?.close()
})

describe('the audit trail’s before and after', () => {
  it('are JSON objects in the API', async () => {
    const reply = await request(
      t,
      clients.nationalAdmin,
      'GET',
      `/api/v1/audit?recordType=person&recordId=${grace}`,
    )
    expect(reply.statusCode, reply.body).toBe(200)
    const { items } = reply.json() as { items: { action: string; before: unknown; after: unknown }[] }
    const edit = items.find((e) => e.before !== null && e.after !== null)
    expect(edit, JSON.stringify(items)).toBeDefined()
    expect(typeof edit!.before).toBe('object')
    expect(typeof edit!.after).toBe('object')
    expect(edit!.after).toMatchObject({ changed: ['name'] })
  })

  it('are described as objects in the OpenAPI document', async () => {
    const document = (await request(t, clients.anonymous, 'GET', '/api/v1/openapi.json')).json()
    const item =
      document.paths['/api/v1/audit'].get.responses['200'].content['application/json'].schema.properties.items
        .items.properties
    for (const field of ['before', 'after']) expect(item[field].type, field).not.toBe('string')
  })

  it('are JSON objects in the subject access export and in the backup', async () => {
    const reply = await request(t, clients.nationalAdmin, 'GET', `/api/v1/people/${grace}/subject-access`)
    expect(reply.statusCode, reply.body).toBe(200)
    const { auditTrail } = reply.json() as { auditTrail: { before: unknown; after: unknown }[] }
    const edit = auditTrail.find((e) => e.before !== null && e.after !== null)
    expect(edit).toBeDefined()
    expect(typeof edit!.before).toBe('object')
    expect(typeof edit!.after).toBe('object')
    const out = new PassThrough()
    const chunks: Buffer[] = []
    out.on('data', (chunk: Buffer) => chunks.push(chunk))
    await exportDump(t.database.db, out, t.clock)
    const rows = Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { table?: string; row?: { before: unknown; after: unknown } })
      .filter(
        (line) => line.row && 'before' in line.row && line.row.after !== null && line.row.before !== null,
      )
    expect(rows.length).toBeGreaterThan(0)
    for (const { row } of rows) expect(typeof row!.after).toBe('object')
  })

  it('are still shown readably on the audit trail page', async () => {
    const reply = await request(
      t,
      clients.nationalAdmin,
      'GET',
      `/admin/audit?recordType=person&recordId=${grace}`,
    )
    expect(reply.statusCode).toBe(200)
    expect(reply.body).toMatch(/<pre class="app-audit-change">\{\n {2}&quot;/)
  })
})

describe('the API’s description', () => {
  it('describes the whole API, not only the register', async () => {
    const document = (await request(t, clients.anonymous, 'GET', '/api/v1/openapi.json')).json()
    const description = document.info.description as string
    expect(description).not.toMatch(/^The school register, the Maths Hubs and the areas they serve\./)
    for (const part of [
      'register',
      'programmes',
      'applications',
      'selection',
      'people',
      'audit',
      'token',
      '422',
    ]) {
      expect(description.toLowerCase(), part).toContain(part)
    }
  })

  it('has a readable documentation page, linked from every page’s footer and the API tokens page', async () => {
    const docs = await request(t, clients.anonymous, 'GET', '/api-documentation')
    expect(docs.statusCode).toBe(200)
    expect(docs.headers['content-type']).toMatch(/^text\/html/)
    // Every endpoint of the OpenAPI document, by method and path, and a link to the document itself.
    const document = (await request(t, clients.anonymous, 'GET', '/api/v1/openapi.json')).json()
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(methods)) {
        expect(docs.body, `${method} ${path}`).toContain(`${method.toUpperCase()} ${path}`)
      }
    }
    expect(docs.body).toContain('href="/api/v1/openapi.json"')
    expect(docs.body).toContain('unknown-parameter')
    // Served under the service's own strict Content-Security-Policy: no inline script or style.
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'")
    expect(docs.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(docs.body).not.toMatch(/\sstyle="/)
    const home = await request(t, clients.anonymous, 'GET', '/')
    expect(home.body).toContain('href="/api-documentation"')
    const tokens = await request(t, clients.hubLead, 'GET', '/account/api-tokens')
    expect(tokens.body).toContain('href="/api-documentation"')
  })
})

describe('query parameters', () => {
  it('declared ones are taken; any other is refused with 422 naming it, on each kind of route', async () => {
    const declared = await request(t, clients.anonymous, 'GET', '/api/v1/schools?q=Northvale&page=1')
    expect(declared.statusCode, declared.body).toBe(200)
    const misspelt = await request(t, clients.anonymous, 'GET', '/api/v1/schools?q=Northvale&pgae=2')
    expect(misspelt.statusCode).toBe(422)
    expect(misspelt.json()).toEqual({
      errors: [
        {
          code: 'unknown-parameter',
          field: 'pgae',
          message: expect.stringMatching(
            /^pgae is not a query parameter of this endpoint\. This endpoint takes q, /,
          ),
        },
      ],
    })
    const none = await request(t, clients.anonymous, 'GET', '/api/v1/programmes?page=2')
    expect(none.statusCode).toBe(422)
    expect(none.json().errors[0].message).toBe(
      'page is not a query parameter of this endpoint. This endpoint takes no query parameters.',
    )
    // A page (not the API) still ignores what it does not read.
    expect((await request(t, clients.anonymous, 'GET', '/programmes?page=2')).statusCode).toBe(200)
  })

  it('a route that declares parameters later needs only to declare them', async () => {
    const extra = await createTestApp({
      demo: false,
      extraRoutes: (app) => {
        app.get(
          '/api/v1/test-paging',
          {
            schema: {
              querystring: z.object({
                page: z.coerce.number().optional(),
                perPage: z.coerce.number().optional(),
              }),
            },
          },
          async () => ({ ok: true }),
        )
      },
    })
    try {
      expect((await extra.app.inject({ url: '/api/v1/test-paging?page=2&perPage=10' })).statusCode).toBe(200)
      const refused = await extra.app.inject({ url: '/api/v1/test-paging?page=2&per_page=10' })
      expect(refused.statusCode).toBe(422)
      expect(refused.json().errors[0]).toMatchObject({ code: 'unknown-parameter', field: 'per_page' })
    } finally {
      await extra.close()
    }
  })
})
