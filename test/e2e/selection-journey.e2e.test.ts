// Review and selection in Chromium: the Northvale hub lead assigns reviewers automatically, two to
// each application (spread over the hub's two reviewers and the hub lead, who reviews too); each
// of them scores their applications in the review form (after a refused, empty form) so that they
// rank Ada, Ben, Cal, Dee; and the hub lead sees the medians and the ranking. Then NCETM sets
// Northvale's places, the hub lead proposes a decision for each application (after a refusal) and
// confirms them, NCETM approves them side by side with every hub, the clock reaches the decision
// date and the scheduled job releases them, a selected teacher and their headteacher accept the
// place, and a declined place passes to the reserve once the hub lead confirms. Every page on the
// way passes the accessibility scan.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScheduler } from '../../src/jobs/scheduler.ts'
import type { TestApp } from '../app.ts'
import {
  AFTER_CLOSE,
  DECISIONS_NOW,
  decisionCohort,
  emailsTo,
  NORTHVALE,
  placeToken,
  RELEASE_DAY,
  submittedApplication,
  type Applicant,
} from '../decision-fixtures.ts'
import { openSession } from '../personas.ts'
import { checkPage, startBrowserAndApp, watchForProblems } from './browser.ts'

let t: TestApp
let browser: Browser
let baseUrl: string
let stop: (() => Promise<void>) | undefined
let cohortId: string
let ada: Applicant
let ben: Applicant
let cal: Applicant
let dee: Applicant

beforeAll(async () => {
  const started = await startBrowserAndApp()
  ;({ t, browser, baseUrl } = started)
  stop = started.close
  t.clock.set(DECISIONS_NOW)
  cohortId = await decisionCohort(t.database.db, 400)
  // Submitted, not yet reviewed: the reviews are given in the browser.
  const made: Applicant[] = []
  for (const name of ['Ada Ahmed', 'Ben Brown', 'Cal Clarke', 'Dee Davies']) {
    made.push(await submittedApplication(t.database.db, t.clock, cohortId, name))
  }
  ;[ada, ben, cal, dee] = made as [Applicant, Applicant, Applicant, Applicant]
})
afterAll(async () => {
  await stop?.()
})

/** A page signed in as the person (by email), with a session opened at the clock's time. */
async function pageAs(email: string): Promise<{ page: Page; problems: string[]; done(): Promise<void> }> {
  const person = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  const { cookie } = await openSession(t.database.db, person.id, t.clock.now())
  const context = await browser.newContext({ baseURL: baseUrl })
  await context.addCookies([{ name: 'mh_session', value: cookie, url: baseUrl }])
  const page = await context.newPage()
  const problems = watchForProblems(page)
  return {
    page,
    problems,
    done: async () => {
      expect(problems).toEqual([])
      await context.close()
    },
  }
}

const HUB_LEAD = 'priya.shah@northvale.mathshub.example'
const NCETM = 'nadia.khan@ncetm.example'
/** Who may review Northvale's applications: its two reviewers and its hub lead. */
const REVIEWERS = [
  { name: 'Grace Lee', email: 'grace.lee@northvale.mathshub.example' },
  { name: 'Daniel Osei', email: 'daniel.osei@northvale.mathshub.example' },
  { name: 'Priya Shah', email: HUB_LEAD },
]
const selectionPath = () => `/hubs/${NORTHVALE}/cohorts/${cohortId}/selection`
const reviewersPath = () => `/hubs/${NORTHVALE}/cohorts/${cohortId}/reviewers`
/** Every reviewer gives each applicant this score for every desirable criterion and strategic fit. */
const SCORES: Record<string, number> = { 'Ada Ahmed': 4, 'Ben Brown': 3, 'Cal Clarke': 2, 'Dee Davies': 1 }

/** Fills in the open review: every essential criterion met, every score `score`, and completes it. */
async function completeReview(page: Page, score: number) {
  const essential = page.getByRole('group', { name: /^Is “.*” met\?$/ })
  expect(await essential.count()).toBeGreaterThan(0)
  for (const group of await essential.all()) {
    await group.getByLabel('Met', { exact: true }).check()
  }
  const scored = page.getByRole('group', { name: /^Score for / })
  expect(await scored.count()).toBeGreaterThan(1)
  for (const group of await scored.all()) {
    await group.getByRole('radio', { name: new RegExp(`^${score}: `) }).check()
  }
  await page.getByLabel('Note on strategic fit').fill(`Scored ${score} against the hub’s priorities.`)
  await page.getByRole('button', { name: 'Complete review' }).click()
  await page.waitForURL(/\?saved=completed/)
  expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
    'Your review is complete.',
  )
}

async function decide(page: Page, who: Applicant, choose: (page: Page) => Promise<void>) {
  await page.goto(selectionPath())
  await page.getByRole('link', { name: new RegExp(`(Decide|Change).* for ${who.name}`) }).click()
  await choose(page)
  await page.getByRole('button', { name: 'Save the decision' }).click()
  await page.waitForURL(/\?saved=1/)
}

describe('selection, from review to a Mastery Specialist', () => {
  it('the hub lead assigns two reviewers to each application automatically and they score them', async () => {
    const lead = await pageAs(HUB_LEAD)
    await lead.page.goto(reviewersPath())
    await checkPage(lead.page)
    const applications = lead.page.locator('table', { hasText: 'submitted applications' })
    const row = (who: Applicant) => applications.locator('tbody tr', { hasText: who.name })
    expect(await row(ada).textContent()).toContain('None yet')
    // Hub leads take reviews automatically only when they opt in: this one does.
    await lead.page.getByRole('radio', { name: 'Yes, leads take reviews too' }).check()
    await lead.page.getByRole('button', { name: 'Save settings' }).click()
    await lead.page.waitForURL(/\?done=settings/)
    await lead.page.getByRole('button', { name: 'Assign automatically' }).click()
    await lead.page.waitForURL(/\?done=automatic&count=8/)
    expect(await lead.page.locator('.govuk-notification-banner--success').textContent()).toContain(
      '8 reviews assigned.',
    )
    await checkPage(lead.page)
    // The hub lead opted in, so the eight reviews are spread over the hub lead and the two reviewers.
    const reviewersOf = new Map<string, Applicant[]>(REVIEWERS.map((r) => [r.name, []]))
    for (const who of [ada, ben, cal, dee]) {
      const names = (await row(who).locator('ul li').allTextContents()).map(
        (text) => REVIEWERS.find((r) => text.trim().startsWith(r.name))?.name,
      )
      expect(names).toHaveLength(2)
      expect(new Set(names).size).toBe(2)
      for (const name of names) reviewersOf.get(name!)!.push(who)
      expect(await row(who).textContent()).not.toContain('Needs reviewers')
    }
    expect(reviewersOf.get('Grace Lee')!.length).toBeGreaterThan(0)
    expect(reviewersOf.get('Daniel Osei')!.length).toBeGreaterThan(0)

    let first = true
    for (const { name, email } of REVIEWERS) {
      const reviewer = await pageAs(email)
      await reviewer.page.goto('/reviews')
      if (first) await checkPage(reviewer.page)
      for (const who of reviewersOf.get(name)!) {
        await reviewer.page.goto('/reviews')
        await reviewer.page.getByRole('link', { name: `${who.name} (${who.reference})` }).click()
        await reviewer.page.waitForURL(/\/reviews\/\d+$/)
        if (first) {
          await checkPage(reviewer.page)
          // A refused form first: nothing judged or scored.
          await reviewer.page.getByRole('button', { name: 'Complete review' }).click()
          expect(await reviewer.page.locator('.govuk-error-summary').textContent()).toContain(
            'Score the strategic fit',
          )
          await checkPage(reviewer.page)
        }
        await completeReview(reviewer.page, SCORES[who.name]!)
        if (first) await checkPage(reviewer.page)
        first = false
      }
      await reviewer.page.goto('/reviews')
      for (const who of reviewersOf.get(name)!) {
        expect(await reviewer.page.locator('tbody tr', { hasText: who.reference }).textContent()).toContain(
          'Completed',
        )
      }
      await reviewer.done()
    }

    // The hub lead sees each application's median of two reviews, and the ranking they make.
    await lead.page.goto(reviewersPath())
    await checkPage(lead.page)
    const medians: number[] = []
    for (const who of [ada, ben, cal, dee]) {
      const text = (await row(who).textContent()) ?? ''
      expect(text).toContain('(2 reviews:')
      medians.push(Number(/Median (\d+)/.exec(text)?.[1]))
    }
    expect(medians[0]).toBeGreaterThan(medians[1]!)
    expect(medians[1]).toBeGreaterThan(medians[2]!)
    expect(medians[2]).toBeGreaterThan(medians[3]!)
    await lead.page.goto(selectionPath())
    await checkPage(lead.page)
    const ranked = lead.page.locator('table', { hasText: 'Rank' }).first().locator('tbody tr')
    expect(await ranked.locator('td:nth-child(2) a').allTextContents()).toEqual([
      'Ada Ahmed',
      'Ben Brown',
      'Cal Clarke',
      'Dee Davies',
    ])
    await lead.done()
  })

  it('NCETM sets the places and the hub lead proposes a decision for each application', async () => {
    const ncetm = await pageAs(NCETM)
    await ncetm.page.goto('/selection')
    await checkPage(ncetm.page)
    await ncetm.page.getByRole('link', { name: /Primary Mastery Specialist Programme, Cohort 400/ }).click()
    await checkPage(ncetm.page)
    await ncetm.page.getByLabel('Places for Northvale Maths Hub', { exact: true }).fill('1')
    await ncetm.page.getByRole('button', { name: 'Set places for Northvale Maths Hub' }).click()
    await ncetm.page.waitForURL(/\?places=/)
    expect(await ncetm.page.locator('.govuk-notification-banner--success').textContent()).toContain(
      'The places for Northvale Maths Hub have been set.',
    )
    await ncetm.done()

    const lead = await pageAs(HUB_LEAD)
    await lead.page.goto('/selection')
    await lead.page
      .getByRole('link', { name: /Northvale Maths Hub: Primary Mastery Specialist Programme, Cohort 400/ })
      .click()
    await checkPage(lead.page)
    expect(await lead.page.locator('main').textContent()).toContain('Ranked applications')
    await lead.page.getByRole('link', { name: /Decide.* for Ada Ahmed/ }).click()
    await checkPage(lead.page)
    // A refused form first: no decision.
    await lead.page.getByRole('button', { name: 'Save the decision' }).click()
    expect(await lead.page.locator('.govuk-error-summary').textContent()).toContain('Select a decision')
    await checkPage(lead.page)
    await lead.page.getByLabel('Selected', { exact: true }).check()
    await lead.page.getByLabel('Feedback (optional)').fill('A superb observed lesson.')
    await lead.page.getByLabel('Yes', { exact: true }).check()
    await lead.page.getByRole('button', { name: 'Save the decision' }).click()
    await lead.page.waitForURL(/\?saved=1/)
    await checkPage(lead.page)
    await decide(lead.page, ben, async (page) => {
      await page.getByLabel('Reserve', { exact: true }).check()
      await page.getByLabel('If a reserve, their place in the reserve list').fill('1')
    })
    await decide(lead.page, cal, async (page) => {
      await page.getByLabel('Reserve', { exact: true }).check()
      await page.getByLabel('If a reserve, their place in the reserve list').fill('2')
    })
    await decide(lead.page, dee, async (page) => {
      await page.getByLabel('Not selected', { exact: true }).check()
      await page.getByLabel('Other applications were stronger').check()
    })
    await lead.done()
  })

  it('the hub lead confirms after the window closes and NCETM approves', async () => {
    t.clock.set(AFTER_CLOSE)
    const lead = await pageAs(HUB_LEAD)
    await lead.page.goto(selectionPath())
    await lead.page.getByRole('button', { name: 'Confirm the decisions' }).click()
    await lead.page.waitForURL(/\?confirmed=1/)
    await checkPage(lead.page)
    await lead.done()

    const ncetm = await pageAs(NCETM)
    await ncetm.page.goto(`/admin/cohorts/${cohortId}/selection`)
    expect(await ncetm.page.locator('#hub-northvale-maths-hub').textContent()).toMatch(
      /Confirmed by the hub lead[\s\S]*1 selected, 2 reserve, 1 not selected/,
    )
    await ncetm.page.getByRole('button', { name: 'Approve the decisions of Northvale Maths Hub' }).click()
    await ncetm.page.waitForURL(/\?approved=/)
    await checkPage(ncetm.page)
    await ncetm.done()
  })

  it('releases the decisions on the date, and the selected teacher and her headteacher accept', async () => {
    t.clock.set(RELEASE_DAY)
    expect(
      (await createScheduler({ db: t.database.db, clock: t.clock, baseUrl }).runOnce()).releasedDecisions,
    ).toBe(4)
    expect((await emailsTo(t.database.db, ada.email)).map((e) => e.template)).toContain('decision-selected')

    const teacher = await pageAs(ada.email)
    await teacher.page.goto(`/applications/${ada.id}`)
    await checkPage(teacher.page)
    await teacher.page.getByRole('link', { name: 'Accept or decline the place' }).click()
    await checkPage(teacher.page)
    expect(await teacher.page.locator('main').textContent()).toContain('A superb observed lesson.')
    await teacher.page.getByLabel('Yes, I accept the place').check()
    await teacher.page.getByRole('button', { name: 'Send your answer' }).click()
    await teacher.page.waitForURL(/\/offer$/)
    expect(await teacher.page.locator('h1').textContent()).toContain('You have accepted the place')
    await checkPage(teacher.page)
    await teacher.done()

    const head = await browser.newContext({ baseURL: baseUrl })
    const headPage = await head.newPage()
    const problems = watchForProblems(headPage)
    await headPage.goto(`/places/${await placeToken(t.database.db, ada.reference)}`)
    await checkPage(headPage)
    await headPage.getByLabel('Yes, we accept the place and make these commitments').check()
    await headPage.getByRole('button', { name: 'Send your answer' }).click()
    expect(await headPage.locator('main').textContent()).toContain('their place is confirmed')
    await checkPage(headPage)
    expect(problems).toEqual([])
    await head.close()
    const participation = await t.database.db
      .selectFrom('participations')
      .select('application_id')
      .where('cohort_id', '=', cohortId)
      .execute()
    expect(participation).toEqual([{ application_id: ada.id }])
  })

  it('a declined place passes to the next reserve once the hub lead confirms', async () => {
    // NCETM gives Northvale a second place; Ben is offered it and declines.
    const ncetm = await pageAs(NCETM)
    await ncetm.page.goto(`/admin/cohorts/${cohortId}/selection`)
    await ncetm.page.getByLabel('Places for Northvale Maths Hub', { exact: true }).fill('2')
    await ncetm.page.getByRole('button', { name: 'Set places for Northvale Maths Hub' }).click()
    await ncetm.page.waitForURL(/\?places=/)
    await ncetm.done()

    const lead = await pageAs(HUB_LEAD)
    await lead.page.goto(selectionPath())
    expect(await lead.page.locator('main').textContent()).toContain(
      'The next reserve is Ben Brown (reserve 1)',
    )
    await lead.page.getByRole('button', { name: 'Offer the place to the next reserve' }).click()
    await lead.page.waitForURL(/\?offered=1/)
    await checkPage(lead.page)

    const benPage = await pageAs(ben.email)
    await benPage.page.goto(`/applications/${ben.id}/offer`)
    await benPage.page.getByLabel('No, I decline the place').check()
    await benPage.page.getByRole('button', { name: 'Send your answer' }).click()
    expect(await benPage.page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter why you are declining the place',
    )
    await checkPage(benPage.page)
    await benPage.page.getByLabel('If you decline, why?').fill('I am moving to a secondary school.')
    await benPage.page.getByRole('button', { name: 'Send your answer' }).click()
    await benPage.page.waitForURL(/\/offer$/)
    expect(await benPage.page.locator('h1').textContent()).toContain('The place has been declined')
    await benPage.done()

    await lead.page.goto(selectionPath())
    expect(await lead.page.locator('main').textContent()).toContain(
      'The next reserve is Cal Clarke (reserve 2)',
    )
    await lead.page.getByRole('button', { name: 'Offer the place to the next reserve' }).click()
    await lead.page.waitForURL(/\?offered=1/)
    expect(await lead.page.locator('main').textContent()).toMatch(/Cal Clarke[\s\S]*Offered/)
    await lead.done()
    expect(
      (await emailsTo(t.database.db, cal.email)).filter((e) => e.template === 'place-offered'),
    ).toHaveLength(1)
  })
})
