// The lists that still stopped without saying (people, a hub's team, a school's people, the
// applications lists, the reviewer's reviews, a school's applications, the routing queue): each has
// more rows than a page, says "1 to 50 of N", links to the next page, shows the rest there, and
// answers a page past the end as every list does (a page goes to the last page, the API 404).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'

let t: TestApp
let clients: Record<PersonaName, Client>

const HUB = 'northvale-maths-hub'
const URN = 990_001
/** More than the 50 on a page. */
const EXTRA = 60
const label = (i: number) => String(i).padStart(3, '0')

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
  const db = t.database.db
  // People named to sort after everyone in the demo: reviewers at the hub, contacts at a school.
  const people = await db
    .insertInto('people')
    .values(
      Array.from({ length: EXTRA * 2 }, (_, i) => ({
        name: `Zz Paged ${i < EXTRA ? 'Reviewer' : 'Contact'} ${label(i % EXTRA)}`,
        email: `paged-${i}@lists.example`,
      })),
    )
    .returning('id')
    .execute()
  await db
    .insertInto('grants')
    .values(
      people.map((p, i) =>
        i < EXTRA
          ? { person_id: p.id, role: 'reviewer' as const, hub_id: HUB, school_urn: null }
          : { person_id: p.id, role: 'school-contact' as const, hub_id: null, school_urn: URN },
      ),
    )
    .execute()
}, 120_000)
afterAll(async () => {
  await t?.close()
})

/** What a page says, from its HTML: the paging line and the next link. */
function pagingOf(html: string) {
  return {
    summary: /data-app-paging-summary>([^<]*)</.exec(html)?.[1],
    next: /<div class="govuk-pagination__next">\s*<a class="govuk-link govuk-pagination__link" href="([^"]*)"/
      .exec(html)?.[1]
      ?.replace(/&amp;/g, '&'),
  }
}

async function count(query: Promise<{ n: string | number | bigint }>) {
  return Number((await query).n)
}

describe('people', () => {
  it('the national list pages the search, keeping it in the links', async () => {
    const first = await request(t, clients.nationalAdmin, 'GET', '/admin/people?q=zz+paged')
    expect(first.statusCode).toBe(200)
    expect(pagingOf(first.body)).toEqual({
      summary: `1 to 50 of ${EXTRA * 2} people`,
      next: '/admin/people?q=zz+paged&page=2',
    })
    expect(first.body).toContain('Zz Paged Contact 000')
    expect(first.body).not.toContain('Zz Paged Reviewer 059')
    const second = await request(t, clients.nationalAdmin, 'GET', '/admin/people?q=zz+paged&page=2')
    expect(pagingOf(second.body).summary).toBe(`51 to 100 of ${EXTRA * 2} people`)
    expect(second.body).toContain('Zz Paged Reviewer 000')
    expect(second.body).not.toContain('Zz Paged Contact 000')
    const past = await request(t, clients.nationalAdmin, 'GET', '/admin/people?q=zz+paged&page=9')
    expect(past.statusCode).toBe(302)
    expect(past.headers.location).toBe('/admin/people?q=zz+paged&page=3')
    const bad = await request(t, clients.nationalAdmin, 'GET', '/admin/people?page=0')
    expect(bad.statusCode).toBe(422)
    expect(bad.body).toContain('govuk-error-summary')
  })

  it('a hub’s team pages, on its page and in the API', async () => {
    const db = t.database.db
    const members = await count(
      db
        .selectFrom('people as p')
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('grants as g')
              .select('g.id')
              .whereRef('g.person_id', '=', 'p.id')
              .where('g.hub_id', '=', HUB)
              .where('g.revoked_at', 'is', null),
          ),
        )
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    )
    expect(members).toBeGreaterThan(EXTRA)
    const first = await request(t, clients.hubLead, 'GET', `/hubs/${HUB}/team`)
    expect(first.statusCode).toBe(200)
    expect(pagingOf(first.body)).toEqual({
      summary: `1 to 50 of ${members} people`,
      next: `/hubs/${HUB}/team?page=2`,
    })
    const second = await request(t, clients.hubLead, 'GET', `/hubs/${HUB}/team?page=2`)
    expect(second.statusCode).toBe(200)
    expect(pagingOf(second.body).summary).toBe(`51 to ${members} of ${members} people`)
    expect(second.body).toContain('Zz Paged Reviewer 059')
    expect(first.body).not.toContain('Zz Paged Reviewer 059')
    const past = await request(t, clients.hubLead, 'GET', `/hubs/${HUB}/team?page=5`)
    expect(past.statusCode).toBe(302)
    expect(past.headers.location).toBe(`/hubs/${HUB}/team?page=2`)

    const api = await request(t, clients.hubLead, 'GET', `/api/v1/hubs/${HUB}/team?pageSize=40&page=2`)
    expect(api.statusCode).toBe(200)
    const body = api.json()
    expect(body).toMatchObject({ total: members, page: 2, pageSize: 40, totalPages: 2 })
    expect(body.items).toHaveLength(members - 40)
    expect(body.links.prev).toBe(`/api/v1/hubs/${HUB}/team?pageSize=40&page=1`)
    const whole = await request(t, clients.hubLead, 'GET', `/api/v1/hubs/${HUB}/team`)
    expect(whole.json().links.next).toBe(`/api/v1/hubs/${HUB}/team?pageSize=50&page=2`)
    const apiPast = await request(t, clients.hubLead, 'GET', `/api/v1/hubs/${HUB}/team?page=3`)
    expect(apiPast.statusCode).toBe(404)
    expect(apiPast.json().errors[0]).toMatchObject({ field: 'page' })
  })

  it('a hub’s team still names who was just added, on whichever page they are', async () => {
    const grant = await t.database.db
      .selectFrom('grants as g')
      .innerJoin('people as p', 'p.id', 'g.person_id')
      .select(['g.id', 'p.name'])
      .where('p.name', '=', 'Zz Paged Reviewer 059')
      .executeTakeFirstOrThrow()
    const page = await request(t, clients.hubLead, 'GET', `/hubs/${HUB}/team?added=${grant.id}`)
    expect(page.body).toContain('Zz Paged Reviewer 059 has been added to the team as a Reviewer.')
    // Another hub's grant names nobody here.
    const elsewhere = await request(
      t,
      clients.otherHubLead,
      'GET',
      `/hubs/riverside-maths-hub/team?added=${grant.id}`,
    )
    expect(elsewhere.body).not.toContain('has been added to the team')
  })

  it('a school’s people page, on its page and in the API', async () => {
    const first = await request(t, clients.nationalAdmin, 'GET', `/schools/${URN}/people`)
    expect(first.statusCode).toBe(200)
    const staff = Number(/of (\d+) people/.exec(pagingOf(first.body).summary ?? '')?.[1])
    expect(staff).toBeGreaterThan(EXTRA)
    expect(pagingOf(first.body)).toEqual({
      summary: `1 to 50 of ${staff} people`,
      next: `/schools/${URN}/people?page=2`,
    })
    const second = await request(t, clients.nationalAdmin, 'GET', `/schools/${URN}/people?page=2`)
    expect(pagingOf(second.body).summary).toBe(`51 to ${staff} of ${staff} people`)
    expect(second.body).toContain('Zz Paged Contact 059')
    expect(first.body).not.toContain('Zz Paged Contact 059')
    const past = await request(t, clients.nationalAdmin, 'GET', `/schools/${URN}/people?page=4`)
    expect(past.statusCode).toBe(302)
    expect(past.headers.location).toBe(`/schools/${URN}/people?page=2`)

    const api = await request(t, clients.nationalAdmin, 'GET', `/api/v1/schools/${URN}/people?pageSize=100`)
    expect(api.json()).toMatchObject({ total: staff, totalPages: 1, links: { next: null } })
    const apiPast = await request(t, clients.nationalAdmin, 'GET', `/api/v1/schools/${URN}/people?page=3`)
    expect(apiPast.statusCode).toBe(404)
  })
})
