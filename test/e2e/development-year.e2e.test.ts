// The development year in Chromium, on the demo's cohort in its development year, through the
// links and forms a person would use, with the accessibility scan (and the small-screen check) on
// every page: NCETM schedules three residentials and confirms two; the specialist books one with an
// access need; NCETM moves it, and the specialist's email and calendar feed show the move (same UID,
// higher SEQUENCE); attendance is taken all three ways (the day's code entered by the specialist,
// marked on screen, and uploaded as a CSV); release days are logged by the specialist and by the
// hub; and the specialist's page and the hub's at-risk view show the results.
import ical, { type VEvent } from 'node-ical'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_DEVELOPMENT_COHORT } from '../../src/domain/participants/participants.demo.ts'
import type { TestApp } from '../app.ts'
import { freshBooking } from '../event-fixtures.ts'
import { openSession } from '../personas.ts'
import { checkPage, startBrowserAndApp, watchForProblems } from './browser.ts'

let t: TestApp
let browser: Browser
let baseUrl: string
let stop: (() => Promise<void>) | undefined
/** The specialist's calendar link, as the page showed it once. */
let calendarLink = ''

const NCETM = 'nadia.khan@ncetm.example'
const SAM = 'sam.carter@school.example'
const HUB_LEAD = 'priya.shah@northvale.mathshub.example'
const COHORT = DEMO_DEVELOPMENT_COHORT
const DAY = 86_400_000

beforeAll(async () => {
  const started = await startBrowserAndApp()
  ;({ t, browser, baseUrl } = started)
  stop = started.close
}, 300_000)
afterAll(async () => {
  await stop?.()
})

async function pageAs(email: string): Promise<{ page: Page; done(): Promise<void> }> {
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
    done: async () => {
      expect(problems).toEqual([])
      await context.close()
    },
  }
}

/** The date `days` from the clock's now, as the form's day, month and year. */
function dateOf(days: number): { day: string; month: string; year: string } {
  const d = new Date(t.clock.now().getTime() + days * DAY)
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) }
}

async function fillDayTime(page: Page, prefix: string, days: number, hour: string) {
  const d = dateOf(days)
  await page.locator(`[id="${prefix}.day"]`).fill(d.day)
  await page.locator(`[id="${prefix}.month"]`).fill(d.month)
  await page.locator(`[id="${prefix}.year"]`).fill(d.year)
  await page.locator(`[id="${prefix}.hour"]`).fill(hour)
  await page.locator(`[id="${prefix}.minute"]`).fill('00')
}

const titles = ['Spring residential', 'Summer residential', 'Autumn residential']

describe('the development year in the browser', () => {
  it('NCETM schedules three residentials for the cohort and confirms two', async () => {
    const { page, done } = await pageAs(NCETM)
    for (const [i, title] of titles.entries()) {
      await page.goto(`/cohorts/${COHORT}`)
      await checkPage(page)
      await page.getByRole('link', { name: 'Residentials and other events' }).click()
      await checkPage(page)
      await page.getByRole('button', { name: 'Schedule an event' }).click()
      await checkPage(page)
      await page.getByLabel('Residential', { exact: true }).check()
      await page.getByLabel('Title').fill(title)
      const start = 60 + i * 30
      await fillDayTime(page, 'days.0.startsAt', start, '09')
      await fillDayTime(page, 'days.0.endsAt', start, '17')
      await fillDayTime(page, 'days.1.startsAt', start + 1, '09')
      await fillDayTime(page, 'days.1.endsAt', start + 1, '16')
      await page.locator('[id="venues.0.name"]').fill('Conference Centre, Leeds')
      await page.locator('[id="venues.0.address"]').fill('1 Park Row\nLeeds\nLS1 5HN')
      await page.locator('[id="venues.0.capacity"]').fill('60')
      if (i === 0) {
        // A refusal first: the end of day 2 left out.
        await page.locator('[id="days.1.endsAt.hour"]').fill('')
        await page.getByRole('button', { name: 'Save' }).click()
        expect(await page.locator('.govuk-error-summary').first().textContent()).toContain(
          'Enter when day 2 ends',
        )
        await checkPage(page)
        await page.locator('[id="days.1.endsAt.hour"]').fill('16')
      }
      await page.getByRole('button', { name: 'Save' }).click()
      expect((await page.locator('h1').first().textContent())?.trim()).toBe(title)
      expect((await page.locator('main .govuk-tag').first().textContent())?.trim()).toBe(
        'Subject to confirmation',
      )
      await checkPage(page)
      if (i < 2) {
        await page.getByRole('button', { name: 'Confirm the event' }).click()
        expect((await page.locator('main .govuk-tag').first().textContent())?.trim()).toBe('Confirmed')
        await checkPage(page)
      }
    }
    await page.goto(`/cohorts/${COHORT}/events`)
    for (const title of titles)
      expect(await page.getByRole('link', { name: title }).count()).toBeGreaterThan(0)
    await done()
  }, 240_000)

  it('the specialist books a place with an access need, and gets their calendar link', async () => {
    const { page, done } = await pageAs(SAM)
    await page.goto('/account')
    await page
      .getByRole('link', { name: /Your programme/ })
      .first()
      .click()
    await checkPage(page)
    await page.getByRole('link', { name: 'Spring residential' }).click()
    await checkPage(page)
    await page.getByRole('button', { name: 'Book a place' }).click()
    await checkPage(page)
    await page.getByLabel('Access needs (optional)').fill('A hearing loop in the main room')
    await page.getByRole('button', { name: 'Book a place' }).click()
    expect(await page.locator('.govuk-notification-banner--success').first().textContent()).toContain(
      'Your place is booked',
    )
    expect(await page.locator('main').first().textContent()).toContain('A hearing loop in the main room')
    await checkPage(page)
    await page.goto('/my-programme')
    await page.getByRole('link', { name: /calendar link/ }).click()
    await checkPage(page)
    await page.getByRole('button', { name: /calendar link/ }).click()
    const link = await page.locator('#calendar-link').textContent()
    expect(link).toMatch(/\/calendar\/[A-Za-z0-9_-]+\.ics$/)
    calendarLink = link!
    await checkPage(page)
    await done()
  }, 120_000)

  it('NCETM moves the residential: the specialist is emailed and their calendar moves it', async () => {
    const link = calendarLink
    const feed = async () => {
      const response = await fetch(new URL(new URL(link).pathname, baseUrl))
      expect(response.status).toBe(200)
      return Object.values(ical.sync.parseICS(await response.text())).filter(
        (c): c is VEvent => c?.type === 'VEVENT' && (c as VEvent).summary === 'Spring residential',
      )
    }
    const before = await feed()
    expect(before).toHaveLength(2)
    const { page, done } = await pageAs(NCETM)
    await page.goto(`/cohorts/${COHORT}/events`)
    await page.getByRole('link', { name: 'Spring residential' }).click()
    expect(await page.locator('main').first().textContent()).toContain('A hearing loop in the main room')
    await page.getByRole('link', { name: 'Move or change the event' }).click()
    await checkPage(page)
    await fillDayTime(page, 'days.0.startsAt', 67, '09')
    await fillDayTime(page, 'days.0.endsAt', 67, '17')
    await fillDayTime(page, 'days.1.startsAt', 68, '09')
    await fillDayTime(page, 'days.1.endsAt', 68, '16')
    await page.getByRole('button', { name: 'Save' }).click()
    expect(await page.locator('.govuk-notification-banner--success').first().textContent()).toContain(
      'Everyone with a place has been emailed',
    )
    await checkPage(page)
    // The email, as the demo shows what it would have sent.
    await page.goto('/demo/emails')
    const email = page
      .locator('.govuk-summary-card', { hasText: SAM })
      .filter({ hasText: 'Spring residential' })
    expect(await email.first().textContent()).toMatch(/moved|changed/i)
    await checkPage(page)
    await done()
    const after = await feed()
    expect(after.map((e) => e.uid).sort()).toEqual(before.map((e) => e.uid).sort())
    for (const event of after) {
      const was = before.find((e) => e.uid === event.uid)!
      expect(Number(event.sequence)).toBeGreaterThan(Number(was.sequence))
      expect(new Date(event.start).getTime() - new Date(was.start).getTime()).toBe(7 * DAY)
    }
  }, 120_000)

  it('attendance is taken by the day’s code, on screen and by a CSV upload', async () => {
    const event = await t.database.db
      .selectFrom('events')
      .select('id')
      .where('title', '=', 'Spring residential')
      .executeTakeFirstOrThrow()
    const eventId = Number(event.id)
    await freshBooking(t, eventId, 'leah.patel@school.example')
    const days = await t.database.db
      .selectFrom('event_days')
      .select(['day_number', 'starts_at'])
      .where('event_id', '=', eventId)
      .orderBy('day_number')
      .execute()
    const realNow = t.clock.now()
    // NCETM shows day 1's code at the event, an hour after it starts.
    t.clock.set(new Date(new Date(days[0]!.starts_at).getTime() + 3_600_000))
    const ncetm = await pageAs(NCETM)
    await ncetm.page.goto(`/events/${eventId}`)
    await ncetm.page.getByRole('button', { name: 'Show day 1’s code' }).click()
    const code = await ncetm.page.locator('.app-attendance-code').textContent()
    expect(code).toMatch(/^[A-Z2-9]{6}$/)
    await checkPage(ncetm.page)
    // The specialist enters it: a wrong one first.
    const sam = await pageAs(SAM)
    await sam.page.goto(`/events/${eventId}`)
    await sam.page.getByLabel('The code shown at the event').fill('WRONG1')
    await sam.page.getByRole('button', { name: 'I am here' }).click()
    expect(await sam.page.locator('.govuk-error-summary').first().textContent()).toContain(
      'The code is not right',
    )
    await checkPage(sam.page)
    await sam.page.getByLabel('The code shown at the event').fill(code!)
    await sam.page.getByRole('button', { name: 'I am here' }).click()
    expect(await sam.page.locator('.govuk-notification-banner--success').first().textContent()).toContain(
      'you are marked as present',
    )
    await checkPage(sam.page)
    await sam.done()
    // On screen: Leah on day 1.
    await ncetm.page.goto(`/events/${eventId}`)
    await ncetm.page.getByRole('link', { name: 'Mark attendance' }).click()
    await checkPage(ncetm.page)
    await ncetm.page.getByLabel('Attendance of Leah Patel').selectOption('late')
    await ncetm.page.getByRole('button', { name: 'Save attendance' }).click()
    expect(await ncetm.page.locator('.govuk-notification-banner--success').first().textContent()).toContain(
      'Attendance has been saved',
    )
    // Day 2 by upload: a bad row first saves nothing, then the corrected file.
    await ncetm.page.getByRole('link', { name: 'Upload attendance from a spreadsheet' }).click()
    await checkPage(ncetm.page)
    const upload = async (rows: string[]) => {
      await ncetm.page.getByLabel('Attendance file').setInputFiles({
        name: 'day-2.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(['Email,Day,Status,Absence reason', ...rows].join('\n')),
      })
      await ncetm.page.getByRole('button', { name: 'Upload' }).click()
    }
    await upload([`${SAM},2,present,`, 'leah.patel@school.example,2,absent,'])
    expect(await ncetm.page.locator('.govuk-error-summary').first().textContent()).toContain('Line 3')
    await checkPage(ncetm.page)
    await upload([`${SAM},2,present,`, 'leah.patel@school.example,2,absent,Unwell'])
    expect(await ncetm.page.locator('.govuk-notification-banner--success').first().textContent()).toContain(
      'The attendance file has been saved',
    )
    const table = ncetm.page.getByRole('region', { name: 'Places' })
    expect(
      await table
        .getByRole('row', { name: /Sam Carter/ })
        .first()
        .textContent(),
    ).toContain('Present')
    expect(
      await table
        .getByRole('row', { name: /Leah Patel/ })
        .first()
        .textContent(),
    ).toContain('Absent')
    await checkPage(ncetm.page)
    await ncetm.done()
    t.clock.set(realNow)
  }, 180_000)

  it('release days are logged by the specialist and by the hub, and both pages show the results', async () => {
    const d = dateOf(-2)
    const sam = await pageAs(SAM)
    await sam.page.goto('/my-programme')
    await sam.page.getByRole('link', { name: 'See and log release time' }).click()
    await checkPage(sam.page)
    const used = async (page: Page) =>
      Number(/([\d.]+) of 15 days/.exec((await page.locator('#days-used').textContent())!)![1])
    const before = await used(sam.page)
    await sam.page.locator('[id="on.day"]').fill(d.day)
    await sam.page.locator('[id="on.month"]').fill(d.month)
    await sam.page.locator('[id="on.year"]').fill(d.year)
    await sam.page.getByLabel('The whole day').check()
    await sam.page.getByLabel('What the time was spent on').selectOption('department')
    await sam.page.getByRole('button', { name: 'Log release time' }).click()
    expect(await sam.page.locator('.govuk-notification-banner--success').first().textContent()).toContain(
      'logged',
    )
    expect(await used(sam.page)).toBe(before + 1)
    await checkPage(sam.page)
    // The same day again is refused, and nothing changes.
    await sam.page.locator('[id="on.day"]').fill(d.day)
    await sam.page.locator('[id="on.month"]').fill(d.month)
    await sam.page.locator('[id="on.year"]').fill(d.year)
    await sam.page.getByLabel('The morning').check()
    await sam.page.getByLabel('What the time was spent on').selectOption('department')
    await sam.page.getByRole('button', { name: 'Log release time' }).click()
    expect(await sam.page.locator('.govuk-error-summary').count()).toBeGreaterThan(0)
    await checkPage(sam.page)
    await sam.done()

    const lead = await pageAs(HUB_LEAD)
    await lead.page.goto('/hubs/northvale-maths-hub')
    await lead.page
      .getByRole('link', { name: /Mastery Specialists: Primary Mastery Specialist Programme, Cohort 9/ })
      .click()
    await checkPage(lead.page)
    expect(
      await lead.page
        .getByRole('row', { name: /Owen Hughes/ })
        .first()
        .textContent(),
    ).toContain('Missed a residential')
    await lead.page.getByLabel('Show').selectOption('release-pace')
    await lead.page.getByRole('button', { name: 'Apply filters' }).click()
    expect(
      await lead.page
        .getByRole('row', { name: /Leah Patel/ })
        .first()
        .textContent(),
    ).toContain('far behind')
    await checkPage(lead.page)
    await lead.page.getByRole('link', { name: 'Leah Patel' }).click()
    await checkPage(lead.page)
    await lead.page.getByRole('link', { name: 'See and log release time' }).click()
    const leahBefore = await used(lead.page)
    const e = dateOf(-3)
    await lead.page.locator('[id="on.day"]').fill(e.day)
    await lead.page.locator('[id="on.month"]').fill(e.month)
    await lead.page.locator('[id="on.year"]').fill(e.year)
    await lead.page.getByLabel('The whole day').check()
    await lead.page.getByLabel('What the time was spent on').selectOption('other-schools')
    await lead.page.getByRole('button', { name: 'Log release time' }).click()
    expect(await used(lead.page)).toBe(leahBefore + 1)
    expect(
      await lead.page.getByRole('region', { name: 'Release time entries' }).first().textContent(),
    ).toContain('Priya Shah')
    await checkPage(lead.page)
    await lead.done()

    const back = await pageAs(SAM)
    await back.page.goto('/my-programme')
    expect(await back.page.locator('main').first().textContent()).toContain(`${before + 1} of 15 days used`)
    expect(await back.page.locator('main').first().textContent()).toContain('Spring residential')
    await back.page.getByRole('link', { name: 'Spring residential' }).click()
    expect(await back.page.getByText('Your attendance').count()).toBeGreaterThan(0)
    await checkPage(back.page)
    await back.done()
  }, 180_000)
})
