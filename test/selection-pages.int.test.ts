// The decision pages through the real app: the hub's ranked list and proposal form (refusals shown
// with the GOV.UK error summary, nothing changed), confirming, NCETM's moderation page (places,
// approve, send back), the release on the date, the teacher's offer page, the headteacher's link,
// and passing a declined place to the next reserve. Other hubs' rounds are "page not found", and
// whatever people typed is shown escaped.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { errorSummary, pageText as text } from './application-fixtures.ts'
import {
  AFTER_CLOSE,
  completedReview,
  DECISIONS_NOW,
  decisionCohort,
  emailsTo,
  NORTHVALE,
  placeToken,
  RELEASE_DAY,
  submittedApplication,
  type Applicant,
} from './decision-fixtures.ts'
import { hostileString, unescapedMarkup, wellFormed } from './hostile-arbitraries.ts'
import { openSession, request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { releaseDecisions } from '../src/domain/selection/offers/release-decisions.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
let nextCohort = 300

const MARKUP = '<script>alert("x")</script>'

beforeAll(async () => {
  t = await createTestApp() // 10am on 22 November 2026
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

/** Moves the clock; everyone signs in again (sessions older than an hour have ended). */
async function at(instant: string): Promise<void> {
  t.clock.set(instant)
  clients = await signInPersonas(t)
}

/** A signed-in session for the applicant at the clock's current time. */
async function teacherClient(app: Applicant): Promise<Client> {
  const personId = app.teacher.kind === 'person' ? app.teacher.personId : null
  return {
    persona: 'teacher',
    personId,
    ...(await openSession(t.database.db, personId, t.clock.now())),
    apiToken: null,
  }
}

async function round(names: string[], options: { notMet?: number[] } = {}) {
  await at(DECISIONS_NOW)
  const cohortId = await decisionCohort(t.database.db, nextCohort++)
  const apps: Applicant[] = []
  for (const [i, name] of names.entries()) {
    const app = await submittedApplication(t.database.db, t.clock, cohortId, name)
    await completedReview(t.database.db, t.clock, app.id, {
      score: 4 - (i % 4),
      notMet: options.notMet?.includes(i) ? ['good-teaching'] : [],
    })
    apps.push(app)
  }
  return { cohortId, apps, path: `/hubs/${NORTHVALE}/cohorts/${cohortId}/selection` }
}

async function decisionRow(applicationId: number) {
  return t.database.db
    .selectFrom('selection_decisions')
    .selectAll()
    .where('application_id', '=', applicationId)
    .executeTakeFirst()
}

describe('the hub’s ranked list and proposals', () => {
  it('shows the ranking, and those out of it with the reason, to the hub and NCETM only', async () => {
    const { apps, path, cohortId } = await round([`Ada ${MARKUP}`, 'Ben', 'Cal'], { notMet: [2] })
    const page = await request(t, clients.hubLead, 'GET', path)
    expect(page.statusCode).toBe(200)
    const words = text(page.body)
    expect(words).toMatch(/Rank Applicant Median score Reviews Essential criteria Decision Action 1 Ada/)
    expect(words).toContain('Not in the ranking')
    expect(words).toContain(
      'Does not meet the essential criterion “Good teaching skills in maths, as shown by observation”',
    )
    expect(words).toContain('Places Not yet set by the NCETM')
    expect(page.body).not.toContain(MARKUP)
    expect(page.body).toContain('&lt;script&gt;')
    expect(page.body).toContain(`href="${path}/applications/${apps[0]!.id}"`)
    // The hub's administrator and NCETM read it, without the forms.
    for (const persona of ['hubAdmin', 'nationalAdmin', 'nationalViewer'] as const) {
      const read = await request(t, clients[persona], 'GET', path)
      expect(read.statusCode).toBe(200)
      expect(read.body).not.toContain(`${path}/applications/${apps[0]!.id}"`)
      expect(read.body).not.toContain(`action="${path}/confirm"`)
    }
    for (const persona of ['otherHubLead', 'reviewer', 'teacher', 'headteacher', 'specialist'] as const) {
      expect((await request(t, clients[persona], 'GET', path)).statusCode).toBe(404)
    }
    expect((await request(t, clients.anonymous, 'GET', path)).headers.location).toBe('/sign-in')
    expect(
      (await request(t, clients.hubLead, 'GET', `/hubs/riverside-maths-hub/cohorts/${cohortId}/selection`))
        .statusCode,
    ).toBe(404)
    expect(
      (await request(t, clients.hubLead, 'GET', `/hubs/${NORTHVALE}/cohorts/no-such-cohort/selection`))
        .statusCode,
    ).toBe(404)
    expect(
      (await request(t, clients.hubLead, 'GET', `/hubs/${NORTHVALE}/cohorts/%3Cx%3E/selection`)).statusCode,
    ).toBe(404)
    expect(
      (await request(t, clients.hubAdmin, 'GET', `${path}/applications/${apps[0]!.id}`)).statusCode,
    ).toBe(404)
  })

  it('saves a proposal, and shows a refused one again with the error summary, changing nothing', async () => {
    const { apps, path, cohortId } = await round(['Ada', 'Ben', 'Cal'], { notMet: [2] })
    const form = `${path}/applications/${apps[0]!.id}`
    expect((await request(t, clients.hubLead, 'GET', form)).statusCode).toBe(200)

    const missing = await request(t, clients.hubLead, 'POST', form, { feedback: MARKUP })
    expect(missing.statusCode).toBe(422)
    expect(errorSummary(missing.body)).toEqual([
      { href: '#decision', text: 'Select a decision: selected, reserve or not selected' },
    ])
    expect(missing.body).toContain('<title>Error: Decision for Ada')
    expect(missing.body).not.toContain(MARKUP)
    expect(missing.body).toContain('&lt;script&gt;')

    const noPlaces = await request(t, clients.hubLead, 'POST', form, { decision: 'selected' })
    expect(noPlaces.statusCode).toBe(422)
    expect(errorSummary(noPlaces.body)[0]?.href).toBe('#decision')
    expect(await decisionRow(apps[0]!.id)).toBeUndefined()

    await at(DECISIONS_NOW)
    const places = await request(
      t,
      clients.nationalAdmin,
      'POST',
      `/admin/cohorts/${cohortId}/selection/${NORTHVALE}/places`,
      {
        places: '1',
      },
    )
    expect(places.statusCode).toBe(303)
    const saved = await request(t, clients.hubLead, 'POST', form, {
      decision: 'selected',
      feedback: `Well done ${MARKUP}`,
      shareFeedback: 'yes',
    })
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(`${path}?saved=1#application-${apps[0]!.id}`)
    expect(await decisionRow(apps[0]!.id)).toMatchObject({ decision: 'selected', share_feedback: true })

    const full = await request(t, clients.hubLead, 'POST', `${path}/applications/${apps[1]!.id}`, {
      decision: 'selected',
    })
    expect(full.statusCode).toBe(422)
    expect(errorSummary(full.body)).toEqual([
      {
        href: '#decision',
        text: 'Your hub has 1 place and 1 application is already selected. Change another decision first, or propose this one as a reserve',
      },
    ])
    const excluded = await request(t, clients.hubLead, 'POST', `${path}/applications/${apps[2]!.id}`, {
      decision: 'selected',
    })
    expect(excluded.statusCode).toBe(422)
    expect(errorSummary(excluded.body)[0]?.text).toContain(
      'This application cannot be selected. Does not meet',
    )
    const rank = await request(t, clients.hubLead, 'POST', `${path}/applications/${apps[1]!.id}`, {
      decision: 'reserve',
      reserveRank: 'first',
    })
    expect(errorSummary(rank.body)).toEqual([
      {
        href: '#reserveRank',
        text: 'Enter the reserve’s place in the reserve list as a whole number, like 1',
      },
    ])
    expect(rank.body).toContain('value="first"')
    expect(await decisionRow(apps[1]!.id)).toBeUndefined()

    const list = await request(t, clients.hubLead, 'GET', `${path}?saved=1`)
    expect(text(list.body)).toContain('The decision has been saved.')
    expect(text(list.body)).toContain(
      'Selected Meets the criteria and fits the hub’s plan Feedback shared with the teacher',
    )
    // Another hub's lead cannot propose here.
    const other = await request(t, clients.otherHubLead, 'POST', form, {
      decision: 'not-selected',
      reasonCode: 'other',
    })
    expect(other.statusCode).toBe(404)
  })

  it('confirms only when every application is decided, saying what is missing', async () => {
    const { apps, path, cohortId } = await round(['Ada', 'Ben'])
    await request(
      t,
      clients.nationalAdmin,
      'POST',
      `/admin/cohorts/${cohortId}/selection/${NORTHVALE}/places`,
      { places: '1' },
    )
    await request(t, clients.hubLead, 'POST', `${path}/applications/${apps[0]!.id}`, { decision: 'selected' })
    await at(AFTER_CLOSE)
    const refused = await request(t, clients.hubLead, 'POST', `${path}/confirm`)
    expect(refused.statusCode).toBe(422)
    expect(errorSummary(refused.body)).toEqual([
      { href: '#confirm', text: `Propose a decision for Ben (${apps[1]!.reference})` },
    ])
    expect((await request(t, clients.hubAdmin, 'POST', `${path}/confirm`)).statusCode).toBe(404)
    await request(t, clients.hubLead, 'POST', `${path}/applications/${apps[1]!.id}`, {
      decision: 'not-selected',
      reasonCode: 'stronger-applications',
    })
    const confirmed = await request(t, clients.hubLead, 'POST', `${path}/confirm`)
    expect(confirmed.statusCode).toBe(303)
    const page = text((await request(t, clients.hubLead, 'GET', `${path}?confirmed=1`)).body)
    expect(page).toContain('You have confirmed the decisions.')
    expect(page).toContain('Status Confirmed by the hub lead')
    expect(page).toContain('Reopen the decisions to change them')
    const changed = await request(t, clients.hubLead, 'POST', `${path}/applications/${apps[1]!.id}`, {
      decision: 'reserve',
      reserveRank: '1',
    })
    expect(changed.statusCode).toBe(422)
    expect(errorSummary(changed.body)[0]?.text).toBe(
      'You have confirmed the decisions. Reopen them to make a change',
    )
    expect((await request(t, clients.hubLead, 'POST', `${path}/reopen`)).statusCode).toBe(303)
  })
})

describe('NCETM’s moderation, the release and the offers', () => {
  it('sets places, approves, releases on the date, and takes the answers to the offer', async () => {
    const { apps, path, cohortId } = await round(['Ada', 'Ben', 'Cal'])
    const [ada, ben, cal] = apps as [Applicant, Applicant, Applicant]
    const moderation = `/admin/cohorts/${cohortId}/selection`
    // NCETM: the viewer reads, the administrator acts; hub people are told "not found".
    const viewer = await request(t, clients.nationalViewer, 'GET', moderation)
    expect(viewer.statusCode).toBe(200)
    expect(viewer.body).not.toContain(`${moderation}/${NORTHVALE}/places`)
    expect((await request(t, clients.hubLead, 'GET', moderation)).statusCode).toBe(404)
    expect(
      (await request(t, clients.nationalViewer, 'POST', `${moderation}/${NORTHVALE}/places`, { places: '2' }))
        .statusCode,
    ).toBe(404)
    const badPlaces = await request(t, clients.nationalAdmin, 'POST', `${moderation}/${NORTHVALE}/places`, {
      places: 'lots',
    })
    expect(badPlaces.statusCode).toBe(422)
    expect(errorSummary(badPlaces.body)).toEqual([
      { href: `#places-${NORTHVALE}`, text: 'Enter the number of places as a whole number, like 12' },
    ])
    expect(badPlaces.body).toContain(`id="places-${NORTHVALE}"`)
    expect(
      (await request(t, clients.nationalAdmin, 'POST', `${moderation}/${NORTHVALE}/places`, { places: '1' }))
        .statusCode,
    ).toBe(303)

    await request(t, clients.hubLead, 'POST', `${path}/applications/${ada.id}`, {
      decision: 'selected',
      feedback: `Superb ${MARKUP}`,
      shareFeedback: 'yes',
    })
    await request(t, clients.hubLead, 'POST', `${path}/applications/${ben.id}`, {
      decision: 'reserve',
      reserveRank: '1',
    })
    await request(t, clients.hubLead, 'POST', `${path}/applications/${cal.id}`, {
      decision: 'not-selected',
      reasonCode: 'strategic-fit',
    })
    await at(AFTER_CLOSE)
    expect((await request(t, clients.hubLead, 'POST', `${path}/confirm`)).statusCode).toBe(303)
    const side = text((await request(t, clients.nationalAdmin, 'GET', moderation)).body)
    expect(side).toMatch(
      /Northvale Maths Hub Confirmed by the hub lead 3 .* 1 selected, 1 reserve, 1 not selected 8 \/ 10 \/ 12 \/ 14 \/ 16/,
    )
    // Sending back asks why: the moderation page links to the page that asks.
    expect((await request(t, clients.nationalAdmin, 'GET', moderation)).body).toContain(
      `href="${moderation}/${NORTHVALE}/send-back"`,
    )
    const ask = await request(t, clients.nationalAdmin, 'GET', `${moderation}/${NORTHVALE}/send-back`)
    expect(ask.statusCode).toBe(200)
    expect(text(ask.body)).toContain('Why are you sending the decisions back?')
    // Others may not send back, nor see the page.
    expect(
      (await request(t, clients.hubLead, 'GET', `${moderation}/${NORTHVALE}/send-back`)).statusCode,
    ).toBe(404)
    const noSendBackReason = await request(
      t,
      clients.nationalAdmin,
      'POST',
      `${moderation}/${NORTHVALE}/send-back`,
      {
        reason: '  ',
      },
    )
    expect(noSendBackReason.statusCode).toBe(422)
    expect(errorSummary(noSendBackReason.body)).toEqual([
      { text: 'Enter why you are sending the decisions back', href: '#reason' },
    ])
    expect(text((await request(t, clients.hubLead, 'GET', path)).body)).toContain('Confirmed by the hub lead')
    const sent = await request(t, clients.nationalAdmin, 'POST', `${moderation}/${NORTHVALE}/send-back`, {
      reason: `Please look again at the reserves ${MARKUP}`,
    })
    expect(sent.statusCode).toBe(303)
    expect(
      text((await request(t, clients.nationalAdmin, 'GET', String(sent.headers.location))).body),
    ).toContain(
      'You have sent the decisions back to Northvale Maths Hub. We have emailed the hub’s leads your reason.',
    )
    const hubPage = await request(t, clients.hubLead, 'GET', path)
    expect(hubPage.body).not.toContain(MARKUP)
    expect(text(hubPage.body)).toContain(
      `Sent back The NCETM sent these decisions back at 10am on 25 January 2027. They said: Please look again at the reserves &lt;script&gt;`,
    )
    const told = (await emailsTo(t.database.db, 'priya.shah@northvale.mathshub.example')).filter(
      (e) => e.template === 'decisions-sent-back' && e.body_text.includes(MARKUP),
    )
    expect(told).toHaveLength(1)
    expect((await request(t, clients.hubLead, 'POST', `${path}/confirm`)).statusCode).toBe(303)
    expect(text((await request(t, clients.hubLead, 'GET', path)).body)).not.toContain('Sent back')
    const approved = await request(t, clients.nationalAdmin, 'POST', `${moderation}/${NORTHVALE}/approve`)
    expect(approved.statusCode).toBe(303)
    expect(
      text((await request(t, clients.nationalAdmin, 'GET', String(approved.headers.location))).body),
    ).toContain(
      'You have approved the decisions of Northvale Maths Hub. They will be released on 21 April 2027.',
    )

    // The date arrives (UK time); the scheduled job releases the decisions.
    await at(RELEASE_DAY)
    expect(
      await releaseDecisions({ db: t.database.db, clock: t.clock, baseUrl: 'http://localhost:3000' }),
    ).toBe(3)
    const adaClient = await teacherClient(ada)
    const application = await request(t, adaClient, 'GET', `/applications/${ada.id}`)
    const words = text(application.body)
    expect(words).toContain(
      'Decision Selected Place Offered: to be accepted by the teacher and the headteacher by 5pm on 5 May 2027',
    )
    expect(words).toContain('Decision sent: Selected')
    expect(words).not.toContain('Decision proposed')
    expect(application.body).not.toContain(MARKUP)
    expect(application.body).toContain(`href="/applications/${ada.id}/offer"`)
    // Nobody else answers Ada's offer.
    expect(
      (await request(t, await teacherClient(ben), 'GET', `/applications/${ada.id}/offer`)).statusCode,
    ).toBe(404)
    expect((await request(t, clients.hubLead, 'GET', `/applications/${ada.id}/offer`)).statusCode).toBe(404)
    const offer = await request(t, adaClient, 'GET', `/applications/${ada.id}/offer`)
    expect(offer.statusCode).toBe(200)
    expect(text(offer.body)).toContain('Feedback from the hub Superb')
    expect(offer.body).not.toContain(MARKUP)
    const noReason = await request(t, adaClient, 'POST', `/applications/${ada.id}/offer`, {
      decision: 'decline',
    })
    expect(noReason.statusCode).toBe(422)
    expect(errorSummary(noReason.body)).toEqual([
      { href: '#reason', text: 'Enter why you are declining the place' },
    ])
    const accepted = await request(t, adaClient, 'POST', `/applications/${ada.id}/offer`, {
      decision: 'accept',
    })
    expect(accepted.statusCode).toBe(303)
    expect(text((await request(t, adaClient, 'GET', `/applications/${ada.id}/offer`)).body)).toContain(
      'You have accepted the place',
    )

    // The headteacher's link: no sign-in; used once.
    const link = `/places/${await placeToken(t.database.db, ada.reference)}`
    const head = await request(t, clients.anonymous, 'GET', link)
    expect(head.statusCode).toBe(200)
    expect(text(head.body)).toContain('Accept the place offered to Ada')
    const headAccepts = await request(t, clients.anonymous, 'POST', link, { decision: 'accept' })
    expect(headAccepts.statusCode).toBe(200)
    expect(text(headAccepts.body)).toContain('Ada has accepted it too, so their place is confirmed.')
    expect((await request(t, clients.anonymous, 'GET', link)).statusCode).toBe(410)
    const again = await request(t, clients.anonymous, 'POST', link, {
      decision: 'decline',
      reason: 'Changed my mind',
    })
    expect(again.statusCode).toBe(410)
    expect(
      (await request(t, clients.anonymous, 'GET', '/places/abcdefghijklmnopqrstuvwxyz')).statusCode,
    ).toBe(404)
    expect((await request(t, clients.anonymous, 'GET', '/places/%3Cscript%3E')).statusCode).toBe(404)
    expect(text((await request(t, adaClient, 'GET', `/applications/${ada.id}`)).body)).toContain(
      'Place confirmed: Mastery Specialist',
    )
    expect((await emailsTo(t.database.db, ada.email)).map((e) => e.template)).toContain('place-confirmed')
  })

  it('passes a declined place to the next reserve when the hub lead confirms', async () => {
    const { apps, path, cohortId } = await round(['Ada', 'Ben'])
    const [ada, ben] = apps as [Applicant, Applicant]
    await request(
      t,
      clients.nationalAdmin,
      'POST',
      `/admin/cohorts/${cohortId}/selection/${NORTHVALE}/places`,
      { places: '1' },
    )
    await request(t, clients.hubLead, 'POST', `${path}/applications/${ada.id}`, { decision: 'selected' })
    await request(t, clients.hubLead, 'POST', `${path}/applications/${ben.id}`, {
      decision: 'reserve',
      reserveRank: '1',
    })
    await at(AFTER_CLOSE)
    await request(t, clients.hubLead, 'POST', `${path}/confirm`)
    await request(
      t,
      clients.nationalAdmin,
      'POST',
      `/admin/cohorts/${cohortId}/selection/${NORTHVALE}/approve`,
    )
    await at(RELEASE_DAY)
    await releaseDecisions({ db: t.database.db, clock: t.clock, baseUrl: 'http://localhost:3000' })
    const declined = await request(t, await teacherClient(ada), 'POST', `/applications/${ada.id}/offer`, {
      decision: 'decline',
      reason: `Moving school ${MARKUP}`,
    })
    expect(declined.statusCode).toBe(303)
    const list = await request(t, clients.hubLead, 'GET', path)
    expect(text(list.body)).toContain('A place is free. The next reserve is Ben (reserve 1).')
    expect(list.body).not.toContain(MARKUP)
    expect(list.body).toContain('Moving school &lt;script&gt;')
    expect((await request(t, clients.hubAdmin, 'GET', path)).body).not.toContain(
      `action="${path}/offer-to-reserve"`,
    )
    const stale = await request(t, clients.hubLead, 'POST', `${path}/offer-to-reserve`, {
      applicationId: String(ada.id),
    })
    expect(stale.statusCode).toBe(422)
    expect(errorSummary(stale.body)).toEqual([
      {
        href: '#offer-to-reserve',
        text: 'The reserve list has changed since you looked at it: check who is next and try again',
      },
    ])
    const offered = await request(t, clients.hubLead, 'POST', `${path}/offer-to-reserve`, {
      applicationId: String(ben.id),
    })
    expect(offered.statusCode).toBe(303)
    expect(text((await request(t, clients.hubLead, 'GET', String(offered.headers.location))).body)).toContain(
      'The place has been offered to the next reserve.',
    )
    expect(
      (await emailsTo(t.database.db, ben.email)).filter((e) => e.template === 'place-offered'),
    ).toHaveLength(1)
    const benPage = await request(t, await teacherClient(ben), 'GET', `/applications/${ben.id}/offer`)
    expect(text(benPage.body)).toContain('You have been offered a place')
  })

  it('lists the rounds each person can open', async () => {
    await round(['Ada'])
    const hub = text((await request(t, clients.hubLead, 'GET', '/selection')).body)
    expect(hub).toContain('Northvale Maths Hub: Primary Mastery Specialist Programme, Cohort')
    const ncetm = text((await request(t, clients.nationalViewer, 'GET', '/selection')).body)
    expect(ncetm).toContain('Every hub, by cohort')
    for (const persona of ['teacher', 'reviewer', 'headteacher'] as const) {
      expect((await request(t, clients[persona], 'GET', '/selection')).statusCode).toBe(404)
    }
    expect((await request(t, clients.anonymous, 'GET', '/selection')).headers.location).toBe('/sign-in')
  })
})

describe('hostile input to the decision forms', () => {
  it('is refused with the error summary or taken, never a server error, and shown only escaped', async () => {
    const { apps, path, cohortId } = await round(['Ada', 'Ben'])
    await request(
      t,
      clients.nationalAdmin,
      'POST',
      `/admin/cohorts/${cohortId}/selection/${NORTHVALE}/places`,
      {
        places: '1',
      },
    )
    const value = hostileString.map(wellFormed)
    const answer = (...choices: string[]) => fc.oneof(fc.constantFrom(...choices), value)
    const check = async (response: { statusCode: number; body: string }, ok: number) => {
      expect([ok, 422]).toContain(response.statusCode)
      if (response.statusCode === 422) {
        expect(errorSummary(response.body).length).toBeGreaterThan(0)
        expect(unescapedMarkup(response.body)).toBeUndefined()
      }
    }
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          decision: answer('selected', 'reserve', 'not-selected'),
          reasonCode: answer('strategic-fit', 'other'),
          feedback: value,
          shareFeedback: answer('yes', 'no'),
          reserveRank: answer('1', '2'),
        }),
        async (form) =>
          check(await request(t, clients.hubLead, 'POST', `${path}/applications/${apps[1]!.id}`, form), 303),
      ),
      { numRuns: 60 },
    )
    await fc.assert(
      fc.asyncProperty(value, async (places) =>
        check(
          await request(
            t,
            clients.nationalAdmin,
            'POST',
            `/admin/cohorts/${cohortId}/selection/${NORTHVALE}/places`,
            {
              places,
            },
          ),
          303,
        ),
      ),
      { numRuns: 40 },
    )
    const list = await request(t, clients.hubLead, 'GET', path)
    expect(list.statusCode).toBe(200)
    expect(unescapedMarkup(list.body)).toBeUndefined()
  })
})
