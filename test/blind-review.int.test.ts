// Blind review through the real app: in a round where the hub hides names while scoring, every
// surface a reviewer reaches (their list and review pages, the API, their subject access export)
// calls an application by its review only: no reference, no application id that maps back, no
// name, school or URN. The reviewer's links are by review (assignment) id; the old links by
// application id answer 404 to them. The hub lead and NCETM still see everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { NORTHVALE_PRIMARY, OPEN_COHORT } from './application-fixtures.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { personIdOf, review, submittedApplication, type Submitted } from './selection-read-fixtures.ts'

const HUB = 'northvale-maths-hub'
const ROUND = `/hubs/${HUB}/cohorts/${OPEN_COHORT}/reviewers`

let t: TestApp
let clients: Record<PersonaName, Client>
let grace: number
let schoolName: string
/** Assigned to Grace, the reviewer, with a draft review. */
let ada: Submitted & { assignmentId: number }
/** Assigned to Grace, who declares a conflict of interest with it. */
let ben: Submitted & { assignmentId: number }

beforeAll(async () => {
  t = await createTestApp() // 10am on 22 November 2026
  clients = await signInPersonas(t)
  const db = t.database.db
  grace = await personIdOf(db, 'grace.lee@northvale.mathshub.example')
  schoolName = (
    await db
      .selectFrom('schools')
      .select('name')
      .where('urn', '=', NORTHVALE_PRIMARY)
      .executeTakeFirstOrThrow()
  ).name
  const a = await submittedApplication(t, { name: 'Ada Quillfeather' })
  ada = { ...a, assignmentId: await review(t, a.id, grace, { desirable: [3], strategic: 2, draft: true }) }
  const b = await submittedApplication(t, { name: 'Ben Marchbank' })
  const benAssignment = await t.database.db
    .insertInto('review_assignments')
    .values({ application_id: b.id, reviewer_id: grace, assigned_at: t.clock.now() })
    .returning('id')
    .executeTakeFirstOrThrow()
  ben = { ...b, assignmentId: benAssignment.id }
  const settings = await request(t, clients.hubLead, 'POST', `${ROUND}/settings`, {
    blindReview: 'yes',
    reviewsPerApplication: '2',
    priorities: 'Reach schools in Greyhaven',
  })
  expect(settings.statusCode).toBe(303)
  const conflict = await request(t, clients.reviewer, 'POST', `/reviews/${ben.assignmentId}/conflict`, {
    reason: 'I taught with them',
  })
  expect(conflict.statusCode).toBe(303)
})
afterAll(async () => {
  await t?.close()
})

/** The ways an application could be known: reference, applicant's name, school's name and URN. */
function identifying(application: Submitted, name: string): string[] {
  return [application.reference, name, schoolName, String(NORTHVALE_PRIMARY)]
}

/** Every key naming an application's id whose value is this application's id, anywhere in the value. */
function applicationIdsIn(value: unknown, applicationId: number, path = '$'): string[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) => applicationIdsIn(v, applicationId, `${path}[${i}]`))
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => {
      const here = `${path}.${key}`
      const named = /application_?id/i.test(key) && Number(v) === applicationId ? [here] : []
      return [...named, ...applicationIdsIn(v, applicationId, here)]
    })
  }
  return []
}

describe('a reviewer in a blind round', () => {
  it('sees neither reference nor name nor school on their list and review pages, which link by review', async () => {
    const list = await request(t, clients.reviewer, 'GET', '/reviews')
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain(`href="/reviews/${ada.assignmentId}"`)
    expect(list.body).toContain(`Review ${ada.assignmentId}`)
    const page = await request(t, clients.reviewer, 'GET', `/reviews/${ada.assignmentId}`)
    expect(page.statusCode).toBe(200)
    for (const body of [list.body, page.body]) {
      for (const text of identifying(ada, 'Ada Quillfeather')) expect(body).not.toContain(text)
      expect(body).not.toContain(`/applications/${ada.id}`)
    }
  })

  it('reads their review through the API by its review id, without anything that maps back', async () => {
    const response = await request(t, clients.reviewer, 'GET', `/api/v1/reviews/${ada.assignmentId}`)
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body).toMatchObject({
      assignmentId: ada.assignmentId,
      label: `Review ${ada.assignmentId}`,
      blindReview: true,
      cohortId: OPEN_COHORT,
      hubId: HUB,
      application: null,
      state: 'draft',
      review: { strategicScore: 2 },
    })
    for (const text of identifying(ada, 'Ada Quillfeather')) expect(response.body).not.toContain(text)
    expect(applicationIdsIn(body, ada.id)).toEqual([])
  })

  it('is told "not found" at the old links by application id, pages and API alike', async () => {
    for (const url of [
      `/api/v1/applications/${ada.id}/reviews`,
      `/api/v1/applications/${ada.id}`,
      `/api/v1/applications/${ada.id}/decision`,
      `/applications/${ada.id}`,
    ]) {
      const response = await request(t, clients.reviewer, 'GET', url)
      expect(response.statusCode, url).toBe(404)
      for (const text of identifying(ada, 'Ada Quillfeather')) expect(response.body, url).not.toContain(text)
    }
  })

  it('finds no reference, application id, name or school in their subject access export', async () => {
    for (const [who, url] of [
      ['reviewer', '/account/personal-data'],
      ['reviewer', `/api/v1/people/${grace}/subject-access`],
      ['nationalAdmin', `/api/v1/people/${grace}/subject-access`],
    ] as const) {
      const response = await request(t, clients[who], 'GET', url)
      expect(response.statusCode, url).toBe(200)
      const document = response.json()
      expect(document.reviewsWritten, url).toEqual([
        expect.objectContaining({ label: `Review ${ada.assignmentId}`, applicationReference: null }),
        expect.objectContaining({
          label: `Review ${ben.assignmentId}`,
          applicationReference: null,
          conflictOfInterest: 'I taught with them',
        }),
      ])
      for (const [application, name] of [
        [ada, 'Ada Quillfeather'],
        [ben, 'Ben Marchbank'],
      ] as const) {
        for (const text of identifying(application, name)) expect(response.body, url).not.toContain(text)
        expect(applicationIdsIn(document, application.id), url).toEqual([])
      }
    }
  })
})

describe('the hub lead and NCETM in a blind round', () => {
  it('still see the reference and every review', async () => {
    for (const persona of ['hubLead', 'nationalAdmin'] as const) {
      const response = await request(t, clients[persona], 'GET', `/api/v1/applications/${ada.id}/reviews`)
      expect(response.statusCode, persona).toBe(200)
      expect(response.json()).toMatchObject({ applicationId: ada.id, reference: ada.reference, scope: 'all' })
    }
    const queue = await request(t, clients.hubLead, 'GET', ROUND)
    expect(queue.body).toContain(ada.reference)
    expect(queue.body).toContain('Ada Quillfeather')
  })
})

describe('a reviewer in a round that is not blind', () => {
  it('reads the reference and the applicant in the API and their export', async () => {
    const settings = await request(t, clients.hubLead, 'POST', `${ROUND}/settings`, {
      blindReview: 'no',
      reviewsPerApplication: '2',
      priorities: '',
    })
    expect(settings.statusCode).toBe(303)
    const own = await request(t, clients.reviewer, 'GET', `/api/v1/reviews/${ada.assignmentId}`)
    expect(own.json()).toMatchObject({
      blindReview: false,
      label: `Ada Quillfeather (${ada.reference})`,
      application: { id: ada.id, reference: ada.reference, applicantName: 'Ada Quillfeather' },
    })
    const old = await request(t, clients.reviewer, 'GET', `/api/v1/applications/${ada.id}/reviews`)
    expect(old.json()).toMatchObject({ reference: ada.reference, scope: 'own' })
    const exported = await request(t, clients.reviewer, 'GET', '/account/personal-data')
    expect(exported.json().reviewsWritten[0]).toMatchObject({ applicationReference: ada.reference })
  })
})
