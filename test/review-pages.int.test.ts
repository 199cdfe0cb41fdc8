// The review pages through the real app: the hub lead's round page (settings, the queue, assigning
// by hand with conflicts refused, assigning automatically, taking away), the reviewer's list and
// review page (the application, the school's facts, the hub's priorities, the score form),
// refusals shown with the GOV.UK error summary, markup shown only escaped, blind review, declaring
// a conflict, and "page not found" for everyone else.
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANONYMOUS, type Actor } from '../src/domain/access/actor.ts'
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import { requestEndorsement } from '../src/domain/applications/request-endorsement.ts'
import { respondToEndorsement } from '../src/domain/applications/respond-to-endorsement.ts'
import { saveApplication } from '../src/domain/applications/save-application.ts'
import { startApplication } from '../src/domain/applications/start-application.ts'
import { submitApplication } from '../src/domain/applications/submit-application.ts'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'
import type { UseCaseContext } from '../src/domain/use-case.ts'
import { createTestApp, type TestApp } from './app.ts'
import {
  errorSummary,
  essentialEvidence,
  lastEndorsementToken,
  pageText as text,
  TEACHING,
} from './application-fixtures.ts'
import { cohortInputWith, ensureCohort } from './cohort-factory.ts'
import { hostilePathSegment, hostileString, unescapedMarkup, wellFormed } from './hostile-arbitraries.ts'
import { openSession, request, signInPersonas, type Client, type PersonaName } from './personas.ts'

const HUB = 'northvale-maths-hub'
const GRACE_SCHOOL = 990_025 // St Anne's Junior School, where the demo reviewer Grace Lee works
const SCRIPT = '<script>hostile(1)</script>'

let t: TestApp
let clients: Record<PersonaName, Client>
let daniel: Client
let cohortNumber = 300

beforeAll(async () => {
  t = await createTestApp() // 10am on 22 November 2026
  clients = await signInPersonas(t)
  const person = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', 'daniel.osei@northvale.mathshub.example')
    .executeTakeFirstOrThrow()
  daniel = {
    persona: 'reviewer',
    personId: person.id,
    ...(await openSession(t.database.db, person.id, t.clock.now())),
    apiToken: null,
  }
})
afterAll(async () => {
  await t?.close()
})

function asActor(actor: Actor): UseCaseContext {
  return {
    db: t.database.db,
    actor,
    clock: t.clock,
    requestId: 'review-pages',
    baseUrl: 'http://localhost:3000',
  }
}

async function freshCohort(): Promise<string> {
  return ensureCohort(
    t.database.db,
    cohortInputWith({
      number: cohortNumber++,
      opensAt: { day: 1, month: 11, year: 2026, hour: 9, minute: 0 },
      closesAt: { day: 21, month: 1, year: 2027, hour: 17, minute: 0 },
      decisionsReleasedOn: { day: 21, month: 4, year: 2027 },
      residentials: [
        {
          name: 'First residential',
          startsOn: { day: 14, month: 10, year: 2027 },
          endsOn: { day: 15, month: 10, year: 2027 },
          subjectToConfirmation: true,
        },
      ],
    }),
  )
}

/** A new teacher's submitted application to the cohort from the school; evidence may be changed. */
async function submitted(
  cohortId: string,
  urn: number,
  extra: { name?: string; evidence?: Record<string, string> } = {},
): Promise<{ id: number; reference: string; name: string }> {
  const name = extra.name ?? `Tess Teacher ${randomUUID().slice(0, 6)}`
  const person = await t.database.db
    .insertInto('people')
    .values({ name, email: `teacher-${randomUUID()}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const teacher = (await actorForPerson(t.database.db, person.id))!
  const { application } = await startApplication(asActor(teacher), cohortId)
  await saveApplication(asActor(teacher), application.id, {
    school: { urn },
    teaching: TEACHING,
    evidence: { ...essentialEvidence((await findCohort(t.database.db, cohortId))!), ...extra.evidence },
  })
  const head = { name: 'A Headteacher', email: `head-${application.id}@school.example` }
  // Where the service holds the school's headteacher, the request goes to them instead.
  const asked = await requestEndorsement(asActor(teacher), application.id, head)
  await respondToEndorsement(
    asActor(ANONYMOUS),
    await lastEndorsementToken(t.database.db, asked.headteacherEmail!),
    {
      decision: 'confirm',
    },
  )
  await submitApplication(asActor(teacher), application.id, { idempotencyKey: randomUUID() })
  return { id: application.id, reference: application.reference, name }
}

async function personId(email: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.id
}

async function assignmentOf(applicationId: number, reviewerId: number): Promise<number> {
  const row = await t.database.db
    .selectFrom('review_assignments')
    .select('id')
    .where('application_id', '=', applicationId)
    .where('reviewer_id', '=', reviewerId)
    .where('ended_at', 'is', null)
    .executeTakeFirstOrThrow()
  return row.id
}

const roundPath = (cohortId: string) => `/hubs/${HUB}/cohorts/${cohortId}/reviewers`

describe('the hub lead’s round page', () => {
  it('is for the hub lead and NCETM’s national administrators; everyone else is told it was not found', async () => {
    const cohortId = await freshCohort()
    await submitted(cohortId, 990_001)
    const path = roundPath(cohortId)
    for (const persona of ['hubLead', 'nationalAdmin'] as const) {
      expect((await request(t, clients[persona], 'GET', path)).statusCode, persona).toBe(200)
    }
    for (const persona of [
      'nationalViewer',
      'hubAdmin',
      'reviewer',
      'otherHubLead',
      'specialist',
      'headteacher',
      'teacher',
      'advocate',
    ] as const) {
      expect((await request(t, clients[persona], 'GET', path)).statusCode, persona).toBe(404)
      expect(
        (await request(t, clients[persona], 'POST', `${path}/assign-automatically`, {})).statusCode,
        persona,
      ).toBe(404)
    }
    const anonymous = await request(t, clients.anonymous, 'GET', path)
    expect([anonymous.statusCode, anonymous.headers.location]).toEqual([302, '/sign-in'])
    // Unknown hubs and cohorts, and ids of the wrong shape, are not found either.
    for (const url of [
      `/hubs/${HUB}/cohorts/no-such-cohort/reviewers`,
      `/hubs/no-such-hub/cohorts/${cohortId}/reviewers`,
      `/hubs/${HUB}/cohorts/Bad%20Id/reviewers`,
    ]) {
      expect((await request(t, clients.hubLead, 'GET', url)).statusCode, url).toBe(404)
    }
  })

  it('is linked from the hub’s applications for the hub lead', async () => {
    const cohortId = await freshCohort()
    await submitted(cohortId, 990_001)
    const list = await request(t, clients.hubLead, 'GET', `/hubs/${HUB}/applications`)
    expect(list.body).toContain(`href="${roundPath(cohortId)}"`)
    const forAdmin = await request(t, clients.hubAdmin, 'GET', `/hubs/${HUB}/applications`)
    expect(forAdmin.body).not.toContain('/reviewers"')
  })

  it('refuses settings out of range with the error summary, and saves good ones', async () => {
    const cohortId = await freshCohort()
    const path = roundPath(cohortId)
    const refused = await request(t, clients.hubLead, 'POST', `${path}/settings`, {
      reviewsPerApplication: '9',
      priorities: 'Keep this',
    })
    expect(refused.statusCode).toBe(422)
    expect(errorSummary(refused.body)).toEqual([
      { text: 'Select whether reviewers see applicants’ names and schools', href: '#blindReview' },
      { text: 'Reviews per application must be a whole number from 1 to 5', href: '#reviewsPerApplication' },
    ])
    expect(refused.body).toContain('Keep this</textarea>')
    const saved = await request(t, clients.hubLead, 'POST', `${path}/settings`, {
      blindReview: 'no',
      reviewsPerApplication: '3',
      priorities: `Reach Greyhaven schools ${SCRIPT}`,
    })
    expect([saved.statusCode, saved.headers.location]).toEqual([303, `${path}?done=settings`])
    const page = await request(t, clients.hubLead, 'GET', `${path}?done=settings`)
    expect(text(page.body)).toContain('The round’s settings have been saved.')
    expect(text(page.body)).toContain('Each application needs 3 reviews.')
    expect(unescapedMarkup(page.body)).toBeUndefined()
    expect(page.body).toContain('Reach Greyhaven schools &lt;script&gt;hostile(1)&lt;/script&gt;')
  })

  it('sets a review deadline and whether the hub’s leads review, and shows who is behind once it passes', async () => {
    const cohortId = await freshCohort()
    const path = roundPath(cohortId)
    const form = { blindReview: 'no', reviewsPerApplication: '2', priorities: '' }
    const page = await request(t, clients.hubLead, 'GET', path)
    expect(page.body).toContain('name="reviewDeadline-day"')
    expect(page.body).toMatch(/name="leadsReview" type="radio" value="no" checked/)
    const refused = await request(t, clients.hubLead, 'POST', `${path}/settings`, {
      ...form,
      'reviewDeadline-day': '30',
      'reviewDeadline-month': '2',
      'reviewDeadline-year': '2027',
      leadsReview: 'perhaps',
    })
    expect(refused.statusCode).toBe(422)
    expect(errorSummary(refused.body)).toEqual([
      {
        text: 'Select whether the hub’s leads take reviews when they are assigned automatically',
        href: '#leadsReview',
      },
    ])
    const badDate = await request(t, clients.hubLead, 'POST', `${path}/settings`, {
      ...form,
      'reviewDeadline-day': '30',
      'reviewDeadline-month': '2',
      'reviewDeadline-year': '2027',
    })
    expect(badDate.statusCode).toBe(422)
    expect(errorSummary(badDate.body)).toEqual([
      { text: 'The review deadline must be a real date', href: '#reviewDeadline-day' },
    ])
    expect(badDate.body).toMatch(/id="reviewDeadline-day" name="reviewDeadline-day" type="text" value="30"/)
    const saved = await request(t, clients.hubLead, 'POST', `${path}/settings`, {
      ...form,
      'reviewDeadline-day': '1',
      'reviewDeadline-month': '12',
      'reviewDeadline-year': '2026',
      leadsReview: 'yes',
    })
    expect(saved.statusCode).toBe(303)
    const a = await submitted(cohortId, 990_001)
    await request(t, clients.hubLead, 'POST', `${path}/assign-automatically`, {})
    const before = text((await request(t, clients.hubLead, 'GET', path)).body)
    expect(before).toContain('Reviews are due by 5pm on 1 December 2026.')
    expect(before).not.toContain('Reviewers behind')
    t.clock.set('2026-12-01T17:00:00Z')
    clients = await signInPersonas(t)
    const after = text((await request(t, clients.hubLead, 'GET', path)).body)
    expect(after).toContain('Reviews were due by 5pm on 1 December 2026.')
    // Two reviewers of the one application, neither finished.
    const behind = /Reviewers behind .*? Reviewer Still to complete Completed (.*?) Each application/.exec(
      after,
    )?.[1]
    expect(behind?.match(/ 1 0 of 1/g)).toHaveLength(2)
    expect(a.reference).toBeTruthy()
    t.clock.set('2026-11-22T10:00:00Z')
    clients = await signInPersonas(t)
  })

  it('does not offer a conflicted reviewer, and refuses one posted anyway, naming why', async () => {
    const cohortId = await freshCohort()
    const application = await submitted(cohortId, GRACE_SCHOOL)
    const path = roundPath(cohortId)
    const page = await request(t, clients.hubLead, 'GET', path)
    const select = new RegExp(`<select[^>]*id="reviewer-${application.id}"[\\s\\S]*?</select>`).exec(
      page.body,
    )![0]
    expect(select).toContain('Daniel Osei')
    expect(select).not.toContain('Grace Lee')
    expect(text(page.body)).toContain('Cannot review: Grace Lee (works at the applicant’s school)')

    const grace = await personId('grace.lee@northvale.mathshub.example')
    const refused = await request(t, clients.hubLead, 'POST', `${path}/assign`, {
      applicationId: application.id,
      reviewerId: grace,
    })
    expect(refused.statusCode).toBe(422)
    expect(errorSummary(refused.body)).toEqual([
      {
        text: `Grace Lee works at the applicant’s school, so cannot review application ${application.reference}`,
        href: `#reviewer-${application.id}`,
      },
    ])
    const rows = await t.database.db
      .selectFrom('review_assignments')
      .select('id')
      .where('application_id', '=', application.id)
      .execute()
    expect(rows).toEqual([])

    const assigned = await request(t, clients.hubLead, 'POST', `${path}/assign`, {
      applicationId: application.id,
      reviewerId: daniel.personId!,
    })
    expect([assigned.statusCode, assigned.headers.location]).toEqual([303, `${path}?done=assigned`])
    // No reviewer chosen: said so, next to that application's box.
    const none = await request(t, clients.hubLead, 'POST', `${path}/assign`, {
      applicationId: application.id,
    })
    expect(errorSummary(none.body)).toEqual([
      { text: 'Select a reviewer', href: `#reviewer-${application.id}` },
    ])
  })

  it('assigns automatically, shows the queue with who reviews what, and takes a reviewer away', async () => {
    const cohortId = await freshCohort()
    const a = await submitted(cohortId, 990_001)
    const b = await submitted(cohortId, GRACE_SCHOOL)
    const path = roundPath(cohortId)
    // The hub lead opts in to taking reviews herself.
    await request(t, clients.hubLead, 'POST', `${path}/settings`, {
      blindReview: 'no',
      reviewsPerApplication: '2',
      priorities: '',
      leadsReview: 'yes',
    })
    const automatic = await request(t, clients.hubLead, 'POST', `${path}/assign-automatically`, {})
    expect([automatic.statusCode, automatic.headers.location]).toEqual([
      303,
      `${path}?done=automatic&count=4`,
    ])
    const page = await request(t, clients.hubLead, 'GET', String(automatic.headers.location))
    expect(text(page.body)).toContain('4 reviews assigned.')
    expect(text(page.body)).toContain('2 submitted applications')
    for (const application of [a, b]) {
      expect(text(page.body)).toContain(application.reference)
      expect(text(page.body)).toContain(application.name)
    }
    expect(page.body).toContain('Take away<span class="govuk-visually-hidden">')
    const assignment = await assignmentOf(b.id, daniel.personId!)
    const takenAway = await request(t, clients.hubLead, 'POST', `${path}/take-away`, {
      assignmentId: assignment,
    })
    expect([takenAway.statusCode, takenAway.headers.location]).toEqual([303, `${path}?done=taken-away`])
    const after = await request(t, clients.hubLead, 'GET', `${path}?done=taken-away`)
    expect(text(after.body)).toContain('The reviewer has been taken off the application.')
    expect(text(after.body)).toContain('1 still short of reviewers')
    // Another hub's lead cannot take a reviewer away, even knowing the assignment.
    const other = (
      await t.database.db
        .selectFrom('review_assignments')
        .select('id')
        .where('application_id', '=', a.id)
        .where('ended_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).id
    expect(
      (await request(t, clients.otherHubLead, 'POST', `${path}/take-away`, { assignmentId: other }))
        .statusCode,
    ).toBe(404)
    expect(
      (
        await request(
          t,
          clients.otherHubLead,
          'POST',
          `/hubs/riverside-maths-hub/cohorts/${cohortId}/reviewers/take-away`,
          {
            assignmentId: other,
          },
        )
      ).statusCode,
    ).toBe(404)
  })
})

describe('the reviewer’s pages', () => {
  it('list their reviews, show the application with the school’s facts, and refuse an incomplete review', async () => {
    const cohortId = await freshCohort()
    // A school nobody else in this file applies from: it has not taken part yet.
    const application = await submitted(cohortId, 990_049, {
      evidence: { enthusiasm: `I love mastery ${SCRIPT}` },
    })
    await request(t, clients.hubLead, 'POST', `${roundPath(cohortId)}/settings`, {
      blindReview: 'no',
      reviewsPerApplication: '2',
      priorities: 'Schools in Greyhaven\nSchools with high FSM',
    })
    const grace = await personId('grace.lee@northvale.mathshub.example')
    await request(t, clients.hubLead, 'POST', `${roundPath(cohortId)}/assign`, {
      applicationId: application.id,
      reviewerId: grace,
    })
    const assignment = await assignmentOf(application.id, grace)

    const list = await request(t, clients.reviewer, 'GET', '/reviews')
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain(`href="/reviews/${assignment}"`)
    expect(text(list.body)).toContain(`${application.name} (${application.reference})`)
    expect(text(list.body)).toContain('Not started')
    const account = await request(t, clients.reviewer, 'GET', '/account')
    expect(account.body).toContain('href="/reviews"')
    expect(account.body).not.toContain(`href="/hubs/${HUB}/applications"`)

    const page = await request(t, clients.reviewer, 'GET', `/reviews/${assignment}`)
    expect(page.statusCode).toBe(200)
    const school = await t.database.db
      .selectFrom('schools')
      .select(['name', 'percentage_fsm'])
      .where('urn', '=', 990_049)
      .executeTakeFirstOrThrow()
    const body = text(page.body)
    expect(body).toContain(`Review: ${application.name} (${application.reference})`)
    expect(body).toContain(school.name)
    expect(body).toContain(`${Number(school.percentage_fsm)}% of pupils eligible for free school meals`)
    expect(body).toContain('No: the school has not taken part yet')
    expect(body).toContain('Schools in Greyhaven')
    expect(body).toContain('Passion and enthusiasm for teaching for mastery')
    expect(body).toContain('4: strong evidence')
    expect(page.body).toContain('I love mastery &lt;script&gt;hostile(1)&lt;/script&gt;')
    expect(unescapedMarkup(page.body)).toBeUndefined()
    expect(page.body).toContain('name="essential-qts" type="radio" value="met"')
    expect(page.body).toContain('name="desirable-subject-leader" type="radio" value="4"')
    expect(page.body).toContain('Declare a conflict')

    const incomplete = await request(t, clients.reviewer, 'POST', `/reviews/${assignment}`, {
      action: 'complete',
      'essential-qts': 'met',
      'essential-qts-note': `TRN checked ${SCRIPT}`,
      'desirable-subject-leader': '3',
    })
    expect(incomplete.statusCode).toBe(422)
    const summary = errorSummary(incomplete.body)
    expect(summary.map((e) => e.href)).toEqual([
      '#essential-teaches-maths',
      '#essential-time-commitment',
      '#essential-good-teaching',
      '#essential-enthusiasm',
      '#essential-collaboration',
      '#essential-headteacher-understands',
      '#desirable-additional-status',
      '#desirable-four-years',
      '#strategicScore',
    ])
    expect(summary[0]!.text).toContain('is met or not met')
    // The answers are kept, escaped; nothing was saved.
    expect(incomplete.body).toMatch(/name="essential-qts" type="radio" value="met" checked/)
    expect(incomplete.body).toContain('TRN checked &lt;script&gt;hostile(1)&lt;/script&gt;</textarea>')
    expect(unescapedMarkup(incomplete.body)).toBeUndefined()
    expect(
      await t.database.db
        .selectFrom('reviews')
        .select('assignment_id')
        .where('assignment_id', '=', assignment)
        .execute(),
    ).toEqual([])

    const badScore = await request(t, clients.reviewer, 'POST', `/reviews/${assignment}`, {
      action: 'save',
      'desirable-subject-leader': '7',
    })
    expect(errorSummary(badScore.body)).toEqual([
      { text: '“Mathematics subject leader”: Choose a score from 0 to 4', href: '#desirable-subject-leader' },
    ])

    const draft = await request(t, clients.reviewer, 'POST', `/reviews/${assignment}`, {
      action: 'save',
      'essential-qts': 'met',
      'essential-qts-note': `TRN checked ${SCRIPT}`,
    })
    expect([draft.statusCode, draft.headers.location]).toEqual([303, `/reviews/${assignment}?saved=draft`])
    const shown = await request(t, clients.reviewer, 'GET', `/reviews/${assignment}?saved=draft`)
    expect(text(shown.body)).toContain('Your review has been saved as a draft.')
    expect(shown.body).toContain('TRN checked &lt;script&gt;hostile(1)&lt;/script&gt;</textarea>')
    expect(unescapedMarkup(shown.body)).toBeUndefined()

    const cohort = (await findCohort(t.database.db, cohortId))!
    const complete: Record<string, string> = {
      action: 'complete',
      strategicScore: '2',
      strategicNote: 'Fits',
    }
    for (const c of cohort.essentialCriteria) complete[`essential-${c.id}`] = 'met'
    for (const c of cohort.desirableCriteria) complete[`desirable-${c.id}`] = '3'
    const done = await request(t, clients.reviewer, 'POST', `/reviews/${assignment}`, complete)
    expect([done.statusCode, done.headers.location]).toEqual([303, `/reviews/${assignment}?saved=completed`])
    expect(text((await request(t, clients.reviewer, 'GET', '/reviews')).body)).toContain('Completed')
    // The hub lead sees the score: 3 desirable criteria at 3 and strategic fit 2 = 11.
    const queue = await request(t, clients.hubLead, 'GET', roundPath(cohortId))
    expect(text(queue.body)).toContain('Median 11 Spread 0 (1 review: 11)')
  })

  it('answer "not found" to anyone but the assigned reviewer', async () => {
    const cohortId = await freshCohort()
    const application = await submitted(cohortId, 990_001)
    const grace = await personId('grace.lee@northvale.mathshub.example')
    await request(t, clients.hubLead, 'POST', `${roundPath(cohortId)}/assign`, {
      applicationId: application.id,
      reviewerId: grace,
    })
    const assignment = await assignmentOf(application.id, grace)
    for (const client of [
      clients.hubLead,
      clients.hubAdmin,
      clients.otherHubLead,
      clients.nationalAdmin,
      clients.teacher,
      daniel,
    ]) {
      expect((await request(t, client, 'GET', `/reviews/${assignment}`)).statusCode, client.persona).toBe(404)
      expect(
        (await request(t, client, 'POST', `/reviews/${assignment}`, { action: 'save' })).statusCode,
        client.persona,
      ).toBe(404)
      expect(
        (await request(t, client, 'POST', `/reviews/${assignment}/conflict`, { reason: 'x' })).statusCode,
        client.persona,
      ).toBe(404)
    }
    // A reviewer at another hub cannot open the application itself either.
    const riversideReviewer = await t.database.db
      .insertInto('people')
      .values({ name: 'Riley Rivers', email: `riley-${randomUUID()}@riverside.mathshub.example` })
      .returning('id')
      .executeTakeFirstOrThrow()
    await t.database.db
      .insertInto('grants')
      .values({ person_id: riversideReviewer.id, role: 'reviewer', hub_id: 'riverside-maths-hub' })
      .execute()
    const riley: Client = {
      persona: 'reviewer',
      personId: riversideReviewer.id,
      ...(await openSession(t.database.db, riversideReviewer.id, t.clock.now())),
      apiToken: null,
    }
    for (const url of [`/applications/${application.id}`, `/reviews/${assignment}`, roundPath(cohortId)]) {
      expect((await request(t, riley, 'GET', url)).statusCode, url).toBe(404)
    }
    expect((await request(t, riley, 'GET', '/reviews')).statusCode).toBe(200)
    // The list is for people who review: others are told it was not found.
    for (const persona of ['hubAdmin', 'nationalViewer', 'teacher'] as const) {
      expect((await request(t, clients[persona], 'GET', '/reviews')).statusCode, persona).toBe(404)
    }
    for (const url of ['/reviews/0', '/reviews/abc', '/reviews/99999999999']) {
      expect((await request(t, clients.reviewer, 'GET', url)).statusCode, url).toBe(404)
    }
  })

  it('hide the applicant’s name, reference and school when the round is blind', async () => {
    const cohortId = await freshCohort()
    const application = await submitted(cohortId, 990_001, { name: 'Bethany Blindtest' })
    await request(t, clients.hubLead, 'POST', `${roundPath(cohortId)}/settings`, {
      blindReview: 'yes',
      reviewsPerApplication: '2',
      priorities: '',
    })
    const grace = await personId('grace.lee@northvale.mathshub.example')
    await request(t, clients.hubLead, 'POST', `${roundPath(cohortId)}/assign`, {
      applicationId: application.id,
      reviewerId: grace,
    })
    const assignment = await assignmentOf(application.id, grace)
    const school = await t.database.db
      .selectFrom('schools')
      .select(['name', 'town'])
      .where('urn', '=', 990_001)
      .executeTakeFirstOrThrow()
    for (const url of ['/reviews', `/reviews/${assignment}`]) {
      const page = await request(t, clients.reviewer, 'GET', url)
      expect(page.statusCode).toBe(200)
      const body = text(page.body)
      expect(body).toContain(`Review ${assignment}`)
      for (const hidden of [
        'Bethany Blindtest',
        application.reference,
        school.name,
        '990001',
        TEACHING.trn,
      ]) {
        expect(body, `${url}: ${hidden}`).not.toContain(hidden)
      }
    }
    const review = text((await request(t, clients.reviewer, 'GET', `/reviews/${assignment}`)).body)
    expect(review).toContain('without applicants’ names and schools')
    expect(review).toContain('% of pupils eligible for free school meals')
    // Nor through the application's own page; the hub lead still sees the name.
    expect((await request(t, clients.reviewer, 'GET', `/applications/${application.id}`)).statusCode).toBe(
      404,
    )
    expect(text((await request(t, clients.hubLead, 'GET', roundPath(cohortId))).body)).toContain(
      'Bethany Blindtest',
    )
  })

  it('declare a conflict: a reason is required; then the application leaves the list and the hub lead reads why', async () => {
    const cohortId = await freshCohort()
    const application = await submitted(cohortId, 990_001)
    const grace = await personId('grace.lee@northvale.mathshub.example')
    await request(t, clients.hubLead, 'POST', `${roundPath(cohortId)}/assign`, {
      applicationId: application.id,
      reviewerId: grace,
    })
    const assignment = await assignmentOf(application.id, grace)
    const empty = await request(t, clients.reviewer, 'POST', `/reviews/${assignment}/conflict`, {
      reason: ' ',
    })
    expect(empty.statusCode).toBe(422)
    expect(errorSummary(empty.body)).toEqual([
      { text: 'Enter why you cannot review this application fairly', href: '#reason' },
    ])
    const declared = await request(t, clients.reviewer, 'POST', `/reviews/${assignment}/conflict`, {
      reason: `She is my neighbour ${SCRIPT}`,
    })
    expect([declared.statusCode, declared.headers.location]).toEqual([303, '/reviews?conflict=1'])
    const list = await request(t, clients.reviewer, 'GET', '/reviews?conflict=1')
    expect(text(list.body)).toContain('You have declared a conflict of interest.')
    expect(list.body).not.toContain(`href="/reviews/${assignment}"`)
    expect((await request(t, clients.reviewer, 'GET', `/reviews/${assignment}`)).statusCode).toBe(404)
    const queue = await request(t, clients.hubLead, 'GET', roundPath(cohortId))
    expect(text(queue.body)).toContain('Grace Lee (declared a conflict of interest: She is my neighbour')
    expect(queue.body).toContain('She is my neighbour &lt;script&gt;hostile(1)&lt;/script&gt;')
    expect(unescapedMarkup(queue.body)).toBeUndefined()
  })
})

describe('where a hub’s team members work', () => {
  it('is asked for when adding someone, checked against the register, and shown on the team', async () => {
    const email = `reviewer-${randomUUID()}@school.example`
    const refused = await request(t, clients.hubLead, 'POST', `/hubs/${HUB}/team`, {
      email,
      name: 'Wendy Workplace',
      role: 'reviewer',
      workplaceUrn: '123456',
    })
    expect(refused.statusCode).toBe(422)
    expect(errorSummary(refused.body)).toEqual([
      { text: 'No school in the register has that URN', href: '#workplaceUrn' },
    ])
    expect(refused.body).toMatch(/id="workplaceUrn" name="workplaceUrn" type="text"[^>]* value="123456"/)
    const added = await request(t, clients.hubLead, 'POST', `/hubs/${HUB}/team`, {
      email,
      name: 'Wendy Workplace',
      role: 'reviewer',
      workplaceUrn: '990026',
    })
    expect(added.statusCode).toBe(303)
    // The page it goes back to says what was done, in a success banner, once.
    const after = await request(t, clients.hubLead, 'GET', String(added.headers.location))
    expect(after.body).toContain('govuk-notification-banner--success')
    expect(text(after.body)).toContain('Success Wendy Workplace has been added to the team as a Reviewer.')
    const team = text((await request(t, clients.hubLead, 'GET', `/hubs/${HUB}/team`)).body)
    expect(team).not.toContain('has been added to the team')
    const school = await t.database.db
      .selectFrom('schools')
      .select('name')
      .where('urn', '=', 990_026)
      .executeTakeFirstOrThrow()
    expect(team).toContain(`Wendy Workplace ${email} ${school.name} (URN 990026)`)
    // Optional: a blank box is fine.
    const blank = await request(t, clients.hubLead, 'POST', `/hubs/${HUB}/team`, {
      email: `reviewer-${randomUUID()}@school.example`,
      name: 'No Workplace',
      role: 'reviewer',
      workplaceUrn: '',
    })
    expect(blank.statusCode).toBe(303)
  })

  it('can be given through the API too', async () => {
    const email = `api-reviewer-${randomUUID()}@school.example`
    const refused = await request(t, clients.hubLead, 'POST', `/api/v1/hubs/${HUB}/team`, {
      email,
      name: 'Api Reviewer',
      role: 'reviewer',
      workplaceUrn: 123_456,
    })
    expect(refused.statusCode).toBe(422)
    expect(JSON.parse(refused.body).errors).toEqual([
      { code: 'unknown', field: 'workplaceUrn', message: 'No school in the register has that URN' },
    ])
    const added = await request(t, clients.hubLead, 'POST', `/api/v1/hubs/${HUB}/team`, {
      email,
      name: 'Api Reviewer',
      role: 'reviewer',
      workplaceUrn: 990_026,
    })
    expect(added.statusCode).toBe(201)
    const person = await t.database.db
      .selectFrom('people')
      .select('workplace_urn')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    expect(person.workplace_urn).toBe(990_026)
  })
})

describe('hostile input to the review forms', () => {
  it('never answers 5xx; a refusal shows the error summary and changes nothing; markup is shown escaped', async () => {
    const cohortId = await freshCohort()
    const application = await submitted(cohortId, 990_057)
    const path = roundPath(cohortId)
    const grace = await personId('grace.lee@northvale.mathshub.example')
    await request(t, clients.hubLead, 'POST', `${path}/assign`, {
      applicationId: application.id,
      reviewerId: grace,
    })
    const assignment = await assignmentOf(application.id, grace)
    const stored = () =>
      t.database.db
        .selectFrom('reviews')
        .selectAll()
        .where('assignment_id', '=', assignment)
        .executeTakeFirst()
    const reviewFields = [
      'essential-qts',
      'essential-qts-note',
      'essential-good-teaching',
      'desirable-subject-leader',
      'desirable-subject-leader-note',
      'strategicScore',
      'strategicNote',
      'action',
    ]
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...reviewFields), hostileString.map(wellFormed), {
          minKeys: 1,
          maxKeys: 4,
        }),
        async (form) => {
          const before = await stored()
          const reply = await request(t, clients.reviewer, 'POST', `/reviews/${assignment}`, form)
          expect([303, 422]).toContain(reply.statusCode)
          if (reply.statusCode === 422) {
            expect(errorSummary(reply.body).length).toBeGreaterThan(0)
            expect(await stored()).toEqual(before)
          }
          expect(unescapedMarkup(reply.body)).toBeUndefined()
          const page = await request(t, clients.reviewer, 'GET', `/reviews/${assignment}`)
          expect(page.statusCode).toBe(200)
          expect(unescapedMarkup(page.body)).toBeUndefined()
        },
      ),
      { numRuns: 60 },
    )
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          blindReview: hostileString.map(wellFormed),
          reviewsPerApplication: hostileString.map(wellFormed),
          priorities: hostileString.map(wellFormed),
        }),
        async (form) => {
          const reply = await request(t, clients.hubLead, 'POST', `${path}/settings`, form)
          expect([303, 422]).toContain(reply.statusCode)
          if (reply.statusCode === 422) expect(errorSummary(reply.body).length).toBeGreaterThan(0)
          expect(unescapedMarkup(reply.body)).toBeUndefined()
        },
      ),
      { numRuns: 40 },
    )
    const queue = await request(t, clients.hubLead, 'GET', path)
    expect(unescapedMarkup(queue.body)).toBeUndefined()
    await fc.assert(
      fc.asyncProperty(
        hostileString.map(wellFormed),
        hostileString.map(wellFormed),
        hostilePathSegment,
        async (applicationId, reviewerId, segment) => {
          const assign = await request(t, clients.hubLead, 'POST', `${path}/assign`, {
            applicationId,
            reviewerId,
          })
          expect([404, 422]).toContain(assign.statusCode)
          expect(unescapedMarkup(assign.body)).toBeUndefined()
          // Anything but the live assignment's own id (as a number reads it) is not found.
          if (Number(applicationId) !== assignment) {
            const takeAway = await request(t, clients.hubLead, 'POST', `${path}/take-away`, {
              assignmentId: applicationId,
            })
            expect(takeAway.statusCode).toBe(404)
          }
          for (const url of [`/reviews/${segment}`, `/hubs/${HUB}/cohorts/${segment}/reviewers`]) {
            const reply = await request(t, clients.hubLead, 'GET', url)
            expect(reply.statusCode, url).toBeLessThan(500)
            expect(unescapedMarkup(reply.body)).toBeUndefined()
          }
        },
      ),
      { numRuns: 40 },
    )
    // The assignment is still there: nothing above took it away.
    expect(await assignmentOf(application.id, grace)).toBe(assignment)
  })
})
