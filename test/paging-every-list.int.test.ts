// The lists that still stopped without saying (people, a hub's team, a school's people, the
// applications lists, the reviewer's reviews, a school's applications, the routing queue): each has
// more rows than a page, says "1 to 50 of N", links to the next page, shows the rest there, and
// answers a page past the end as every list does (a page goes to the last page, the API 404).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { OPEN_COHORT } from './application-fixtures.ts'
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
  // Applications: submitted to the hub from the school (its headteacher asked to endorse each, and
  // each assigned to the reviewer), and as many from schools with no hub, for the routing queue.
  const now = t.clock.now().getTime()
  const minutesAgo = (n: number) => new Date(now - n * 60_000)
  const applications = await db
    .insertInto('applications')
    .values(
      people.map((p, i) => ({
        reference: `MH-${i < EXTRA ? 'PG' : 'RT'}${String(i % EXTRA).padStart(6, '0')}`,
        cohort_id: OPEN_COHORT,
        applicant_id: p.id,
        state: 'submitted' as const,
        school_urn: i < EXTRA ? URN : null,
        hub_id: i < EXTRA ? HUB : null,
        // Newest first in the hub's list, oldest first in the routing queue.
        submitted_at: minutesAgo(i < EXTRA ? i : 2 * EXTRA - i),
        created_at: minutesAgo(i < EXTRA ? i : 2 * EXTRA - i),
        updated_at: minutesAgo(0),
      })),
    )
    .returning('id')
    .execute()
  const toHub = applications.slice(0, EXTRA)
  await db
    .insertInto('endorsement_requests')
    .values(
      toHub.map((a, i) => ({
        application_id: a.id,
        token_hash: `paged-endorsement-${i}`,
        headteacher_name: 'Helen Morris',
        headteacher_email: 'helen.morris@school.example',
        created_at: minutesAgo(EXTRA),
        expires_at: minutesAgo(-10_000),
        remind_after: minutesAgo(-5_000),
        used_at: minutesAgo(EXTRA - 1),
      })),
    )
    .execute()
  await db
    .insertInto('review_assignments')
    .values(
      toHub.map((a, i) => ({
        application_id: a.id,
        reviewer_id: clients.reviewer.personId!,
        assigned_by: clients.hubLead.personId!,
        // Oldest first: Reviewer 000 was assigned first.
        assigned_at: minutesAgo(EXTRA - i),
      })),
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

/** The demo's own submitted applications (its development-year cohort's), listed after this file's. */
async function demoSubmitted(hubId?: string): Promise<number> {
  let query = t.database.db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('state', '=', 'submitted')
    .where('reference', 'not like', 'MH-PG%')
    .where('reference', 'not like', 'MH-RT%')
  if (hubId) query = query.where('hub_id', '=', hubId)
  return Number((await query.executeTakeFirstOrThrow()).n)
}

describe('applications', () => {
  it('a hub’s list pages, keeping the filter in its links', async () => {
    const inHub = EXTRA + (await demoSubmitted(HUB))
    const first = await request(t, clients.hubLead, 'GET', `/hubs/${HUB}/applications?state=submitted`)
    expect(first.statusCode).toBe(200)
    expect(pagingOf(first.body)).toEqual({
      summary: `1 to 50 of ${inHub} applications`,
      next: `/hubs/${HUB}/applications?state=submitted&page=2`,
    })
    expect(first.body).toContain('MH-PG000000')
    expect(first.body).not.toContain('MH-PG000059')
    const second = await request(
      t,
      clients.hubLead,
      'GET',
      `/hubs/${HUB}/applications?state=submitted&page=2`,
    )
    expect(pagingOf(second.body).summary).toBe(`51 to ${inHub} of ${inHub} applications`)
    expect(second.body).toContain('MH-PG000059')
    expect(second.body).not.toContain('MH-PG000000')
    // The reviewers link is for every cohort the hub has applications to, whatever the page.
    expect(second.body).toContain(`/hubs/${HUB}/cohorts/${OPEN_COHORT}/reviewers`)
    const past = await request(t, clients.hubLead, 'GET', `/hubs/${HUB}/applications?state=submitted&page=3`)
    expect(past.statusCode).toBe(302)
    expect(past.headers.location).toBe(`/hubs/${HUB}/applications?state=submitted&page=2`)
    const bad = await request(t, clients.hubLead, 'GET', `/hubs/${HUB}/applications?page=two`)
    expect(bad.statusCode).toBe(422)
  })

  it('NCETM’s list pages every hub’s, and the routed and unrouted alike', async () => {
    const total = 2 * EXTRA + (await demoSubmitted())
    const first = await request(t, clients.nationalAdmin, 'GET', '/admin/applications')
    expect(pagingOf(first.body)).toEqual({
      summary: `1 to 50 of ${total} applications`,
      next: '/admin/applications?page=2',
    })
    const last = await request(t, clients.nationalAdmin, 'GET', '/admin/applications?page=3')
    expect(pagingOf(last.body).summary).toBe(`101 to ${total} of ${total} applications`)
    expect(pagingOf(last.body).next).toBeUndefined()
    const past = await request(t, clients.nationalAdmin, 'GET', '/admin/applications?page=4')
    expect(past.headers.location).toBe('/admin/applications?page=3')
  })

  it('the API pages what the token may read, keeping the filter in its links', async () => {
    const api = await request(t, clients.hubLead, 'GET', `/api/v1/applications?hub=${HUB}&pageSize=25&page=2`)
    expect(api.statusCode).toBe(200)
    const body = api.json()
    expect(body).toMatchObject({
      total: EXTRA + (await demoSubmitted(HUB)),
      page: 2,
      pageSize: 25,
      totalPages: 3,
    })
    expect(body.items).toHaveLength(25)
    expect(body.items[0].reference).toBe('MH-PG000025')
    expect(body.links.next).toBe(`/api/v1/applications?hub=${HUB}&pageSize=25&page=3`)
    const past = await request(t, clients.hubLead, 'GET', '/api/v1/applications?page=3')
    expect(past.statusCode).toBe(404)
    expect(past.json().errors[0]).toMatchObject({ field: 'page' })
    const tooBig = await request(t, clients.hubLead, 'GET', '/api/v1/applications?pageSize=201')
    expect(tooBig.statusCode).toBe(422)
  })

  it('a school’s applications page for its headteacher', async () => {
    const first = await request(t, clients.headteacher, 'GET', `/schools/${URN}/applications`)
    expect(first.statusCode).toBe(200)
    const total = Number(/of (\d+) applications/.exec(pagingOf(first.body).summary ?? '')?.[1])
    expect(total).toBeGreaterThanOrEqual(EXTRA)
    expect(pagingOf(first.body)).toEqual({
      summary: `1 to 50 of ${total} applications`,
      next: `/schools/${URN}/applications?page=2`,
    })
    const second = await request(t, clients.headteacher, 'GET', `/schools/${URN}/applications?page=2`)
    expect(pagingOf(second.body).summary).toBe(`51 to ${total} of ${total} applications`)
    // Newest first.
    expect(first.body).toContain('MH-PG000000')
    expect(second.body).toContain('MH-PG000059')
    expect(first.body).not.toContain('MH-PG000059')
    const past = await request(t, clients.headteacher, 'GET', `/schools/${URN}/applications?page=3`)
    expect(past.headers.location).toBe(`/schools/${URN}/applications?page=2`)
  })

  it('the routing queue pages, 20 at a time, on its page and in the API', async () => {
    const first = await request(t, clients.nationalAdmin, 'GET', '/admin/routing')
    expect(first.statusCode).toBe(200)
    expect(pagingOf(first.body)).toEqual({
      summary: `1 to 20 of ${EXTRA} applications`,
      next: '/admin/routing?page=2',
    })
    expect(first.body).toContain('MH-RT000000')
    expect(first.body).not.toContain('MH-RT000020')
    const second = await request(t, clients.nationalAdmin, 'GET', '/admin/routing?page=2')
    expect(pagingOf(second.body).summary).toBe(`21 to 40 of ${EXTRA} applications`)
    expect(second.body).toContain('MH-RT000020')
    expect(second.body).not.toContain('MH-RT000000')
    const past = await request(t, clients.nationalAdmin, 'GET', '/admin/routing?page=4')
    expect(past.headers.location).toBe('/admin/routing?page=3')

    const api = await request(t, clients.nationalAdmin, 'GET', '/api/v1/routing-queue?page=2')
    const body = api.json()
    expect(body).toMatchObject({ total: EXTRA, page: 2, pageSize: 20, totalPages: 3 })
    expect(body.items[0].application.reference).toBe('MH-RT000020')
    expect(body.links.next).toBe('/api/v1/routing-queue?pageSize=20&page=3')
    const apiPast = await request(t, clients.nationalAdmin, 'GET', '/api/v1/routing-queue?page=4')
    expect(apiPast.statusCode).toBe(404)
  })
})

describe('the reviewer’s reviews', () => {
  it('page, oldest assignment first', async () => {
    const first = await request(t, clients.reviewer, 'GET', '/reviews')
    expect(first.statusCode).toBe(200)
    const total = Number(/of (\d+) reviews/.exec(pagingOf(first.body).summary ?? '')?.[1])
    expect(total).toBeGreaterThanOrEqual(EXTRA)
    expect(pagingOf(first.body)).toEqual({ summary: `1 to 50 of ${total} reviews`, next: '/reviews?page=2' })
    const second = await request(t, clients.reviewer, 'GET', '/reviews?page=2')
    expect(pagingOf(second.body).summary).toBe(`51 to ${total} of ${total} reviews`)
    expect(second.body).toContain('MH-PG000059')
    expect(first.body).not.toContain('MH-PG000059')
    const past = await request(t, clients.reviewer, 'GET', '/reviews?page=3')
    expect(past.statusCode).toBe(302)
    expect(past.headers.location).toBe('/reviews?page=2')
  })
})
