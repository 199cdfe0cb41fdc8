// Lists over the demo data that once stopped without saying: the audit trail (200 rows), the hubs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
let changes: number

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
  // More changes than the audit trail used to show.
  await t.database.db
    .insertInto('audit_events')
    .values(
      Array.from({ length: 240 }, (_, i) => ({
        occurred_at: t.clock.now(),
        actor_person_id: null,
        actor_kind: 'system',
        action: 'hub.updated',
        record_type: 'hub',
        record_id: `hub-${i}`,
        before: null,
        after: null,
        request_id: null,
      })),
    )
    .execute()
  const counted = await t.database.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  changes = Number(counted.n)
}, 120_000)
afterAll(async () => {
  await t?.close()
})

const format = (n: number) => n.toLocaleString('en-GB')

describe('the audit trail', () => {
  it('says how many changes match and pages them, 50 at a time', async () => {
    expect(changes).toBeGreaterThanOrEqual(240)
    const first = await request(t, clients.nationalAdmin, 'GET', '/admin/audit')
    expect(first.statusCode).toBe(200)
    expect(first.body).toContain(`${format(changes)} changes`)
    expect(first.body).toContain(`1 to 50 of ${format(changes)} changes`)
    expect(first.body).toContain('class="govuk-pagination"')
    const last = Math.ceil(changes / 50)
    const lastPage = await request(t, clients.nationalAdmin, 'GET', `/admin/audit?page=${last}`)
    expect(lastPage.body).toContain(
      `${format((last - 1) * 50 + 1)} to ${format(changes)} of ${format(changes)} changes`,
    )
    const past = await request(t, clients.nationalAdmin, 'GET', `/admin/audit?recordType=hub&page=999`)
    expect(past.statusCode).toBe(302)
    expect(past.headers.location).toMatch(/^\/admin\/audit\?recordType=hub&page=\d+$/)
  })

  it('answers the API with the total and links', async () => {
    const response = await request(
      t,
      clients.nationalAdmin,
      'GET',
      '/api/v1/audit?recordType=hub&pageSize=100',
    )
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.total).toBeGreaterThanOrEqual(240)
    expect(body.items).toHaveLength(100)
    expect(body.links.next).toBe('/api/v1/audit?recordType=hub&pageSize=100&page=2')
    const bad = await request(t, clients.nationalAdmin, 'GET', '/api/v1/audit?page=x')
    expect(bad.statusCode).toBe(422)
    expect(bad.json().errors[0]).toMatchObject({ field: 'page' })
  })
})

describe('the hubs', () => {
  it('page the list of hubs and its API', async () => {
    const body = (await t.app.inject({ method: 'GET', url: '/api/v1/hubs?pageSize=2' })).json()
    expect(body).toMatchObject({ page: 1, pageSize: 2, links: { next: '/api/v1/hubs?pageSize=2&page=2' } })
    expect(body.items).toHaveLength(2)
    const bad = await t.app.inject({ method: 'GET', url: '/hubs?page=nope' })
    expect(bad.statusCode).toBe(422)
    expect(bad.body).toContain('govuk-error-summary')
  })
})
