// API v1 for reading selection, through the real app: a hub's ranking (its leads and
// administrators, and NCETM; never reviewers, blind round or not), an application's reviews (a
// reviewer sees only their own), the decision (the applicant only once released, without the hub's
// internal fields), every hub's selection for a cohort (NCETM), and a round's review deadline with
// the reviewers behind (its hub lead and NCETM's administrators). Anyone else is told "not found".
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { OPEN_COHORT } from './application-fixtures.ts'
import { issueApiToken, request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import {
  decide,
  personIdOf,
  review,
  riversidePrimary,
  submittedApplication,
  type Submitted,
} from './selection-read-fixtures.ts'

const HUB = 'northvale-maths-hub'
const RANKING = `/api/v1/hubs/${HUB}/cohorts/${OPEN_COHORT}/ranking`
const SELECTION = `/api/v1/cohorts/${OPEN_COHORT}/selection`
const BEHIND = `/api/v1/hubs/${HUB}/cohorts/${OPEN_COHORT}/reviewers-behind`
const NOW = '2026-11-22T10:00:00.000Z'

let t: TestApp
let clients: Record<PersonaName, Client>
let grace: number
let tom: number
/** Reviewed by Grace (completed) and Tom (a draft); selected, released tomorrow, feedback kept back. */
let ada: Submitted & { client: Client }
/** Reviewed by Tom only; a reserve, released yesterday, feedback shared. */
let ben: Submitted & { client: Client }
/** Reviewed by both; judged not to meet an essential criterion. */
let cai: Submitted
/** Withdrawn after submitting. */
let dee: Submitted
/** Riverside's. */
let rita: Submitted

/** An API client for a teacher the fixtures made, with a token for their teacher grant. */
async function clientFor(applicantId: number): Promise<Client> {
  const db = t.database.db
  const grant = await db
    .selectFrom('grants')
    .select('id')
    .where('person_id', '=', applicantId)
    .executeTakeFirstOrThrow()
  const apiToken = await issueApiToken(db, applicantId, grant.id, t.clock.now())
  return { persona: 'teacher', personId: applicantId, cookie: null, csrf: '', apiToken }
}

beforeAll(async () => {
  t = await createTestApp() // 10am on 22 November 2026
  clients = await signInPersonas(t)
  const db = t.database.db
  grace = await personIdOf(db, 'grace.lee@northvale.mathshub.example')
  tom = await personIdOf(db, 'tom.evans@northvale.mathshub.example')
  const priya = await personIdOf(db, 'priya.shah@northvale.mathshub.example')

  const a = await submittedApplication(t, { name: 'Ada Lovelace' })
  ada = { ...a, client: await clientFor(a.applicantId) }
  await review(t, ada.id, grace, { desirable: [3, 4], strategic: 4 }) // 11
  await review(t, ada.id, tom, { desirable: [1, 1], strategic: 1, draft: true })
  await decide(t, ada.id, {
    decision: 'selected',
    reasonCode: 'meets-criteria-and-plan',
    feedback: 'Kept within the hub',
    shareFeedback: false,
    decidedBy: priya,
    releasedAt: new Date('2026-11-23T10:00:00Z'),
  })

  const b = await submittedApplication(t, { name: 'Ben Harlow' })
  ben = { ...b, client: await clientFor(b.applicantId) }
  await review(t, ben.id, tom, { desirable: [2, 2], strategic: 2 }) // 6
  await decide(t, ben.id, {
    decision: 'reserve',
    reasonCode: 'meets-criteria-place-limit',
    feedback: 'A strong application; the places were filled',
    reserveRank: 2,
    releasedAt: new Date('2026-11-21T10:00:00Z'),
  })

  cai = await submittedApplication(t, { name: 'Cai Morgan' })
  await review(t, cai.id, grace, { desirable: [4, 4], strategic: 4, notMet: ['qts'] })
  await review(t, cai.id, tom, { desirable: [4, 4], strategic: 4, notMet: ['qts'] })

  dee = await submittedApplication(t, { name: 'Dee Walsh', withdraw: true })

  rita = await submittedApplication(t, { name: 'Rita Banks', urn: await riversidePrimary(db) })
  await review(t, rita.id, await personIdOf(db, 'ruth.okafor@riverside.mathshub.example'), {
    desirable: [1, 2],
    strategic: 3,
  })
})
afterAll(async () => {
  await t?.close()
})

async function api(who: PersonaName | Client, url: string) {
  const client = typeof who === 'string' ? clients[who] : who
  const response = await request(t, client, 'GET', url)
  return { status: response.statusCode, body: response.json() }
}

describe('a hub’s ranking', () => {
  it('ranks by median total, and says why the others are not ranked', async () => {
    const { status, body } = await api('hubLead', RANKING)
    expect(status).toBe(200)
    expect(body.round).toEqual({
      hubId: HUB,
      hubName: 'Northvale Maths Hub',
      cohortId: OPEN_COHORT,
      places: null,
      state: 'reviewing',
      blindReview: false,
      reviewsPerApplication: 2,
      confirmedAt: null,
      approvedAt: null,
      releasedAt: null,
    })
    expect(body.ranked).toMatchObject([
      {
        rank: 1,
        applicationId: ada.id,
        reference: ada.reference,
        reviews: 1,
        median: 11,
        spread: 0,
        totals: [11],
        decision: { decision: 'selected', reasonCode: 'meets-criteria-and-plan', reserveRank: null },
        withinPlaces: false,
      },
      { rank: 2, applicationId: ben.id, median: 6, decision: { decision: 'reserve', reserveRank: 2 } },
    ])
    expect(body.ranked[0].essential).toContainEqual({
      criterionId: 'qts',
      text: 'Qualified Teacher Status',
      met: 1,
      notMet: 0,
      outcome: 'met',
    })
    expect(body.unranked).toMatchObject([
      {
        applicationId: cai.id,
        reason: 'essential-not-met',
        reasons: ['Does not meet the essential criterion “Qualified Teacher Status”'],
        median: 12,
        reviews: 2,
        decision: null,
      },
      { applicationId: dee.id, reason: 'withdrawn', median: null, reviews: 0 },
    ])
    expect(JSON.stringify(body)).not.toContain(rita.reference)
  })

  it('shows the places and blind reviewing once the round has them', async () => {
    await t.database.db
      .insertInto('selection_rounds')
      .values({
        hub_id: HUB,
        cohort_id: OPEN_COHORT,
        places: 1,
        blind_review: true,
        updated_at: new Date(NOW),
      })
      .execute()
    const { body } = await api('nationalViewer', RANKING)
    expect(body.round).toMatchObject({ places: 1, blindReview: true })
    expect(body.ranked.map((r: { withinPlaces: boolean }) => r.withinPlaces)).toEqual([true, false])
  })

  it('is for the hub’s lead and administrator and NCETM: reviewers and everyone else get 404', async () => {
    for (const persona of ['hubLead', 'hubAdmin', 'nationalAdmin', 'nationalViewer'] as const) {
      expect((await api(persona, RANKING)).status, persona).toBe(200)
    }
    for (const persona of ['reviewer', 'otherHubLead', 'teacher', 'specialist', 'headteacher'] as const) {
      const response = await api(persona, RANKING)
      expect(response.status, persona).toBe(404)
      expect(response.body.errors[0].code, persona).toBe('not-found')
    }
    expect((await api(ada.client, RANKING)).status).toBe(404)
    expect((await api('anonymous', RANKING)).status).toBe(401)
  })

  it('keeps each hub to its own: another hub’s ranking is 404 to this hub’s lead', async () => {
    const riverside = `/api/v1/hubs/riverside-maths-hub/cohorts/${OPEN_COHORT}/ranking`
    expect((await api('hubLead', riverside)).status).toBe(404)
    const theirs = await api('otherHubLead', riverside)
    expect(theirs.status).toBe(200)
    expect(theirs.body.ranked.map((r: { applicationId: number }) => r.applicationId)).toEqual([rita.id])
  })

  it('answers 404 for a hub or cohort that does not exist, and 422 for ids of the wrong shape', async () => {
    expect(
      (await api('nationalAdmin', `/api/v1/hubs/no-such-hub/cohorts/${OPEN_COHORT}/ranking`)).status,
    ).toBe(404)
    expect((await api('hubLead', `/api/v1/hubs/${HUB}/cohorts/no-such-cohort/ranking`)).status).toBe(404)
    const bad = await api('hubLead', `/api/v1/hubs/${HUB}/cohorts/Not_An_Id/ranking`)
    expect(bad.status).toBe(422)
    expect(bad.body.errors[0].field).toBe('cohortId')
  })
})

describe('an application’s reviews', () => {
  it('shows the hub’s lead every review, drafts too, with its total once completed', async () => {
    const { status, body } = await api('hubLead', `/api/v1/applications/${ada.id}/reviews`)
    expect(status).toBe(200)
    expect(body).toMatchObject({ applicationId: ada.id, reference: ada.reference, scope: 'all' })
    expect(body.items).toMatchObject([
      {
        reviewer: { id: grace, name: 'Grace Lee' },
        state: 'completed',
        total: 11,
        strategicScore: 4,
        strategicNote: 'Fits the plan',
        desirable: { 'additional-status': { score: 3, note: 'Score 3' }, 'subject-leader': { score: 4 } },
        completedAt: NOW,
      },
      { reviewer: { id: tom, name: 'Tom Evans' }, state: 'draft', total: null, completedAt: null },
    ])
    expect(body.items[0].essential.qts).toEqual({ met: true, note: '' })
    for (const persona of ['hubAdmin', 'nationalAdmin', 'nationalViewer'] as const) {
      const response = await api(persona, `/api/v1/applications/${ada.id}/reviews`)
      expect(response.status, persona).toBe(200)
      expect(response.body.items, persona).toHaveLength(2)
    }
  })

  it('shows a reviewer only their own review, and nothing of an application they are not assigned', async () => {
    // The round is blind since the ranking's tests: a reviewer may not reach it by application.
    const blindRound = t.database.db
      .updateTable('selection_rounds')
      .where('hub_id', '=', HUB)
      .where('cohort_id', '=', OPEN_COHORT)
    expect((await api('reviewer', `/api/v1/applications/${ada.id}/reviews`)).status).toBe(404)
    await blindRound.set({ blind_review: false }).execute()
    const own = await api('reviewer', `/api/v1/applications/${ada.id}/reviews`)
    await blindRound.set({ blind_review: true }).execute()
    expect(own.status).toBe(200)
    expect(own.body.scope).toBe('own')
    expect(own.body.items.map((r: { reviewer: { id: number } }) => r.reviewer.id)).toEqual([grace])
    expect(JSON.stringify(own.body)).not.toContain('Tom Evans')
    // Ben's application is Tom's alone to review.
    expect((await api('reviewer', `/api/v1/applications/${ben.id}/reviews`)).status).toBe(404)
  })

  it('answers 404 to another hub, the applicant and everyone else', async () => {
    for (const who of ['otherHubLead', 'teacher', 'specialist', 'headteacher', ada.client] as const) {
      const response = await api(who, `/api/v1/applications/${ada.id}/reviews`)
      expect(response.status, typeof who === 'string' ? who : 'applicant').toBe(404)
    }
    expect((await api('hubLead', `/api/v1/applications/${rita.id}/reviews`)).status).toBe(404)
    expect((await api('hubLead', '/api/v1/applications/999999/reviews')).status).toBe(404)
    expect((await api('anonymous', `/api/v1/applications/${ada.id}/reviews`)).status).toBe(401)
  })
})

describe('the decision on an application', () => {
  it('shows the hub’s team and NCETM the whole decision, before it is released', async () => {
    const { status, body } = await api('hubLead', `/api/v1/applications/${ada.id}/decision`)
    expect(status).toBe(200)
    expect(body).toEqual({
      applicationId: ada.id,
      reference: ada.reference,
      decision: 'selected',
      reasonCode: 'meets-criteria-and-plan',
      feedback: 'Kept within the hub',
      reserveRank: null,
      releasedAt: '2026-11-23T10:00:00.000Z',
      offer: null,
      internal: {
        roundState: 'reviewing',
        shareFeedback: false,
        decidedBy: { id: clients.hubLead.personId, name: 'Priya Shah' },
        decidedAt: NOW,
        updatedAt: NOW,
      },
    })
    for (const persona of ['hubAdmin', 'nationalAdmin', 'nationalViewer'] as const) {
      expect((await api(persona, `/api/v1/applications/${ada.id}/decision`)).status, persona).toBe(200)
    }
  })

  it('keeps it from the applicant until it is released, then shows only what is theirs', async () => {
    const url = `/api/v1/applications/${ada.id}/decision`
    expect((await api(ada.client, url)).status).toBe(404)
    // Another applicant never sees it, released or not.
    expect((await api(ben.client, url)).status).toBe(404)
    t.clock.set('2026-11-23T10:00:00Z')
    try {
      const { status, body } = await api(ada.client, url)
      expect(status).toBe(200)
      expect(body).toMatchObject({
        applicationId: ada.id,
        decision: 'selected',
        reasonCode: 'meets-criteria-and-plan',
        feedback: null,
        reserveRank: null,
        releasedAt: '2026-11-23T10:00:00.000Z',
        internal: null,
      })
      expect(JSON.stringify(body)).not.toContain('Kept within the hub')
      expect((await api(ben.client, url)).status).toBe(404)
    } finally {
      t.clock.set(NOW)
    }
  })

  it('shows a released reserve their place in the reserve list and the feedback shared with them', async () => {
    const { status, body } = await api(ben.client, `/api/v1/applications/${ben.id}/decision`)
    expect(status).toBe(200)
    expect(body).toMatchObject({
      decision: 'reserve',
      reserveRank: 2,
      feedback: 'A strong application; the places were filled',
      internal: null,
    })
  })

  it('answers 404 to reviewers, another hub and everyone else, and where there is no decision', async () => {
    const url = `/api/v1/applications/${ada.id}/decision`
    for (const persona of ['reviewer', 'otherHubLead', 'teacher', 'specialist', 'headteacher'] as const) {
      expect((await api(persona, url)).status, persona).toBe(404)
    }
    expect((await api('anonymous', url)).status).toBe(401)
    expect((await api('hubLead', `/api/v1/applications/${cai.id}/decision`)).status).toBe(404)
  })
})

describe('every hub’s selection for a cohort', () => {
  it('gives NCETM each hub’s places, state, counts and the spread of medians', async () => {
    const { status, body } = await api('nationalAdmin', SELECTION)
    expect(status).toBe(200)
    expect(body.cohortId).toBe(OPEN_COHORT)
    const byHub = new Map(body.hubs.map((h: { hubId: string }) => [h.hubId, h]))
    expect(byHub.get(HUB)).toEqual({
      hubId: HUB,
      hubName: 'Northvale Maths Hub',
      places: 1,
      state: 'reviewing',
      applications: 4,
      withdrawn: 1,
      reviewed: 3,
      ranked: 2,
      decisions: { selected: 1, reserve: 1, notSelected: 0, undecided: 1 },
      offers: { offered: 0, accepted: 0, declined: 0, lapsed: 0 },
      // Medians 11, 6 and 12.
      medians: { min: 6, q1: 8.5, median: 11, q3: 11.5, max: 12 },
    })
    expect(byHub.get('riverside-maths-hub')).toMatchObject({
      places: null,
      applications: 1,
      reviewed: 1,
      medians: { min: 6, q1: 6, median: 6, q3: 6, max: 6 },
    })
    expect(byHub.get('eastmoor-maths-hub')).toMatchObject({ applications: 0, medians: null })
    expect((await api('nationalViewer', SELECTION)).status).toBe(200)
  })

  it('is NCETM’s only', async () => {
    for (const persona of ['hubLead', 'hubAdmin', 'reviewer', 'otherHubLead', 'teacher'] as const) {
      expect((await api(persona, SELECTION)).status, persona).toBe(404)
    }
    expect((await api('anonymous', SELECTION)).status).toBe(401)
    expect((await api('nationalAdmin', '/api/v1/cohorts/no-such-cohort/selection')).status).toBe(404)
  })
})

describe('a round’s review deadline and the reviewers behind', () => {
  async function setDeadline(deadline: Date | null) {
    await t.database.db
      .insertInto('selection_rounds')
      .values({ hub_id: HUB, cohort_id: OPEN_COHORT, review_deadline: deadline, updated_at: new Date(NOW) })
      .onConflict((oc) => oc.columns(['hub_id', 'cohort_id']).doUpdateSet({ review_deadline: deadline }))
      .execute()
  }

  it('names nobody before the deadline or without one, and once it has passed each reviewer with reviews to do', async () => {
    await setDeadline(null)
    let answer = await api('hubLead', BEHIND)
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      hubId: HUB,
      hubName: 'Northvale Maths Hub',
      cohortId: OPEN_COHORT,
      state: 'reviewing',
      reviewDeadline: null,
      deadlinePassed: false,
      behind: [],
    })

    await setDeadline(new Date('2026-11-23T17:00:00Z')) // tomorrow, 5pm
    answer = await api('hubLead', BEHIND)
    expect(answer.body).toMatchObject({
      reviewDeadline: '2026-11-23T17:00:00.000Z',
      deadlinePassed: false,
      behind: [],
    })

    // Yesterday, 5pm: Grace has completed both of hers (Ada's, Cai's); Tom has Ada's still in draft.
    // Dee's withdrawn application counts for nobody.
    await setDeadline(new Date('2026-11-21T17:00:00Z'))
    answer = await api('hubLead', BEHIND)
    expect(answer.body).toMatchObject({ reviewDeadline: '2026-11-21T17:00:00.000Z', deadlinePassed: true })
    expect(answer.body.behind).toEqual([
      { reviewer: { id: tom, name: 'Tom Evans' }, assigned: 3, completed: 2, outstanding: 1 },
    ])
    expect((await api('nationalAdmin', BEHIND)).body).toEqual(answer.body)
    expect(answer.body.behind.map((r: { reviewer: { id: number } }) => r.reviewer.id)).not.toContain(grace)
  })

  it('is for those who run the round, as the reviewers page is: anyone else gets 404', async () => {
    for (const persona of ['hubLead', 'nationalAdmin'] as const) {
      expect((await api(persona, BEHIND)).status, persona).toBe(200)
    }
    for (const persona of [
      'hubAdmin',
      'nationalViewer',
      'reviewer',
      'otherHubLead',
      'teacher',
      'specialist',
      'headteacher',
      'advocate',
    ] as const) {
      const response = await api(persona, BEHIND)
      expect(response.status, persona).toBe(404)
      expect(response.body.errors[0].code, persona).toBe('not-found')
    }
    expect((await api(ada.client, BEHIND)).status).toBe(404)
    expect((await api('anonymous', BEHIND)).status).toBe(401)
    // Each hub lead sees her own hub's round only.
    const riverside = `/api/v1/hubs/riverside-maths-hub/cohorts/${OPEN_COHORT}/reviewers-behind`
    expect((await api('hubLead', riverside)).status).toBe(404)
    const theirs = await api('otherHubLead', riverside)
    expect(theirs.status).toBe(200)
    expect(theirs.body).toMatchObject({ hubId: 'riverside-maths-hub', behind: [] })
  })

  it('answers 404 for a hub or cohort that does not exist, and 422 for ids of the wrong shape', async () => {
    expect(
      (await api('nationalAdmin', `/api/v1/hubs/no-such-hub/cohorts/${OPEN_COHORT}/reviewers-behind`)).status,
    ).toBe(404)
    expect((await api('hubLead', `/api/v1/hubs/${HUB}/cohorts/no-such-cohort/reviewers-behind`)).status).toBe(
      404,
    )
    const bad = await api('hubLead', `/api/v1/hubs/Not_A_Hub/cohorts/${OPEN_COHORT}/reviewers-behind`)
    expect(bad.status).toBe(422)
    expect(bad.body.errors[0].field).toBe('id')
  })
})

describe('the OpenAPI document', () => {
  it('describes the selection endpoints under their tag, with a bearer token', async () => {
    const { body } = await api('anonymous', '/api/v1/openapi.json')
    for (const path of [
      '/api/v1/hubs/{id}/cohorts/{cohortId}/ranking',
      '/api/v1/applications/{id}/reviews',
      '/api/v1/applications/{id}/decision',
      '/api/v1/reviews/{id}',
      '/api/v1/cohorts/{cohortId}/selection',
      '/api/v1/hubs/{id}/cohorts/{cohortId}/reviewers-behind',
    ]) {
      expect(body.paths[path].get.tags, path).toEqual(['selection'])
      expect(body.paths[path].get.security, path).toEqual([{ bearerAuth: [] }])
      expect(body.paths[path].get.summary, path).toEqual(expect.any(String))
    }
    expect(body.tags.map((tag: { name: string }) => tag.name)).toContain('selection')
  })
})
