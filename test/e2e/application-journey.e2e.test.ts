// One application in Chromium, from start to the hub's list, over the real register and real email:
// a new teacher creates an account and applies for a real school from the GIAS register, their
// headteacher endorses it through the link emailed to them over SMTP, the teacher submits it, and
// the lead of the Maths Hub that serves the school (by the real hub areas) reads it. Every page on
// the way, refusals included, passes the accessibility scan.
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importHubs } from '../../src/domain/hubs/import-hubs.ts'
import { importSchools } from '../../src/domain/schools/import-schools.ts'
import { createSmtpMailer } from '../../src/jobs/mailer.ts'
import { createOutboxWorker, type OutboxWorker } from '../../src/jobs/outbox-worker.ts'
import type { Clock } from '../../src/lib/clock.ts'
import type { TestApp } from '../app.ts'
import { GIAS_OPEN, HUB_AREAS } from '../shared-data.ts'
import { startSmtpSink, type SmtpSink } from '../smtp-sink.ts'
import { checkPage as checkEveryPage, startBrowserAndApp, watchForProblems } from './browser.ts'

const COHORT = 'primary-mastery-specialist-13'
const TEACHER = { name: 'Jo Applicant', email: 'jo.applicant@school.example' }
const HEADTEACHER = { name: 'Sam Head', email: 'head.teacher@school.example' }
const HUB_LEAD = { name: 'Lee Hublead', email: 'lee.hublead@mathshub.example' }

interface RealSchool {
  urn: number
  name: string
  hubId: string
  hubName: string
}

let t: TestApp
let browser: Browser
let baseUrl: string
let stopApp: (() => Promise<void>) | undefined
let sink: SmtpSink | undefined
let mailer: ReturnType<typeof createSmtpMailer> | undefined
let worker: OutboxWorker | undefined
let school: RealSchool

// The journey's state, handed from one step to the next.
let teacher: { context: BrowserContext; page: Page; problems: string[] } | undefined
let applicationId: number
let reference: string

/**
 * The first open, state-funded, mainstream primary school (by URN) in a local authority the hub
 * areas give to a hub, whose name no other school shares, so that searching by name finds it.
 */
async function chooseRealSchool(): Promise<RealSchool> {
  const db = t.database.db
  const row = await db
    .selectFrom('schools as s')
    .innerJoin('hub_areas as a', 'a.la_code', 's.la_code')
    .innerJoin('hubs as h', 'h.id', 'a.hub_id')
    .select(['s.urn', 's.name', 'h.id as hubId', 'h.name as hubName'])
    .where('s.open', '=', true)
    .where('s.in_england', '=', true)
    .where('s.state_funded', '=', true)
    .where('s.phase', '=', 'Primary')
    .where('s.type_group', '!=', 'Special schools')
    .where('s.type_name', 'not ilike', '%special%')
    .where('s.urn', '<', 990_000) // not the demo's invented schools
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('schools as other')
            .select('other.urn')
            .whereRef('other.name', '=', 's.name')
            .whereRef('other.urn', '!=', 's.urn'),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('school_hub_overrides as o').select('o.urn').whereRef('o.urn', '=', 's.urn'))),
    )
    .orderBy('s.urn')
    .executeTakeFirstOrThrow()
  return row
}

// --- Email over SMTP

interface Mail {
  to: string[]
  subject: string
  text: string
}

/** RFC 2047 encoded words in a header, decoded. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
    )
}

/** A single-part plain-text message as the SMTP server received it, decoded. */
function readMail(raw: string, to: string[]): Mail {
  const split = /\r?\n\r?\n/.exec(raw)
  const head = (split ? raw.slice(0, split.index) : raw).replace(/\r?\n[ \t]+/g, ' ')
  const body = split ? raw.slice(split.index + split[0].length) : ''
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? ''
  expect(header('Content-Type')).toMatch(/^text\/plain/i)
  const encoding = header('Content-Transfer-Encoding').toLowerCase()
  let text = body
  if (encoding === 'base64') text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding === 'quoted-printable') {
    text = Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8')
  }
  return { to, subject: decodeHeader(header('Subject')), text: text.replace(/\r\n/g, '\n') }
}

/** Waits for the outbox worker to deliver a message to `address` that `matches`. */
async function mailTo(address: string, matches: (mail: Mail) => boolean): Promise<Mail> {
  let found: Mail | undefined
  await expect
    .poll(
      () => {
        found = sink!.received
          .filter((m) => m.to.includes(address))
          .map((m) => readMail(m.raw, m.to))
          .find(matches)
        return found !== undefined
      },
      { timeout: 15_000, interval: 100, message: `an email to ${address}` },
    )
    .toBe(true)
  return found!
}

/** The path of the link in an email, to open on this test's server (emails name the configured base URL). */
function linkPath(mail: Mail, pathPattern: RegExp): string {
  const link = mail.text.split(/\s+/).find((word) => /^https?:\/\//.test(word) && pathPattern.test(word))
  expect(link, `a link in “${mail.subject}”`).toBeDefined()
  return new URL(link!).pathname
}

// --- Pages

/** A fresh browser profile: no cookies, so nobody is signed in. Fails fast when a step goes wrong. */
async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl })
  context.setDefaultTimeout(10_000)
  return context
}

/** Every page: one h1, no accessibility violations, and it fits a small screen. */
async function checkPage(page: Page): Promise<void> {
  expect(await page.locator('h1').count(), page.url()).toBe(1)
  await checkEveryPage(page)
}

async function signInByEmail(page: Page, email: string, name: string): Promise<void> {
  await page.goto('/sign-in')
  await page.getByLabel('Email address').fill(email)
  await page.getByRole('button', { name: 'Send me a sign-in link' }).click()
  await page.waitForURL(/\/sign-in\/check-your-email$/)
  const mail = await mailTo(email, (m) => /sign-in link/.test(m.subject))
  expect(mail.text).toContain(`Dear ${name},`)
  await page.goto(linkPath(mail, /\/sign-in\/link\//))
  await checkPage(page)
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.waitForURL(/\/account$/)
}

beforeAll(async () => {
  const started = await startBrowserAndApp()
  ;({ t, browser, baseUrl } = started)
  stopApp = started.close
  // The real register beside the demo (a partial import, so the demo's schools stay open), and
  // the real hub areas, which become the whole area map.
  const schools = await importSchools(t.database.db, t.clock, {
    fileName: path.basename(GIAS_OPEN),
    bytes: fs.readFileSync(GIAS_OPEN),
    mode: 'partial',
  })
  expect(schools.rejected).toBe(0)
  const hubs = await importHubs(t.database.db, t.clock, {
    fileName: path.basename(HUB_AREAS),
    bytes: fs.readFileSync(HUB_AREAS),
  })
  expect(hubs.rejected).toBe(0)
  school = await chooseRealSchool()

  sink = await startSmtpSink()
  mailer = createSmtpMailer({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    from: 'Maths Hubs <no-reply@mathshub.example>',
  })
  // The app's clock stands still in 2026; messages queued without it are due at the database's
  // "now". The worker goes by whichever is later, so it finds both due at once.
  const workerClock: Clock = { now: () => new Date(Math.max(Date.now(), t.clock.now().getTime())) }
  worker = createOutboxWorker({ db: t.database.db, mailer, clock: workerClock })
  worker.start(100)
})

afterAll(async () => {
  await teacher?.context.close()
  await worker?.stop()
  mailer?.close()
  await sink?.close()
  await stopApp?.()
})

describe('an application, from a real school to its Maths Hub', () => {
  it('a new teacher creates an account from the cohort page and signs in with the emailed link', async () => {
    const context = await newContext()
    const page = await context.newPage()
    teacher = { context, page, problems: watchForProblems(page) }

    await page.goto('/programmes')
    await checkPage(page)
    await page.getByRole('link', { name: /^Cohort 13 / }).click()
    await page.waitForURL(new RegExp(`/cohorts/${COHORT}$`))
    await checkPage(page)
    await page.locator('main').getByRole('link', { name: 'create an account' }).click()
    await page.waitForURL(/\/create-account$/)
    await checkPage(page)

    await page.getByRole('button', { name: 'Create account' }).click()
    expect(await page.locator('.govuk-error-summary').textContent()).toMatch(/Enter your full name/)
    await checkPage(page)
    await page.getByLabel('Full name').fill(TEACHER.name)
    await page.getByLabel('Email address').fill(TEACHER.email)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL(/\/sign-in\/check-your-email$/)
    await checkPage(page)

    const mail = await mailTo(TEACHER.email, (m) => /sign-in link/.test(m.subject))
    await page.goto(linkPath(mail, /\/sign-in\/link\//))
    await checkPage(page)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(/\/account$/)
    expect(await page.locator('main').textContent()).toContain(TEACHER.name)
    await checkPage(page)
    expect(teacher.problems).toEqual([])
  })

  it('starts an application and chooses the real school from the register', async () => {
    const { page, problems } = teacher!
    await page.goto('/programmes')
    await page.getByRole('link', { name: /^Cohort 13 / }).click()
    await page.waitForURL(new RegExp(`/cohorts/${COHORT}$`))
    await checkPage(page)
    await page.getByRole('button', { name: 'Start your application' }).click()
    await page.waitForURL(/\/applications\/\d+$/)
    applicationId = Number(/\/applications\/(\d+)$/.exec(page.url())![1])
    expect(await page.locator('h1').textContent()).toContain('Your application')
    await checkPage(page)

    await page.getByRole('link', { name: 'Your school' }).click()
    await page.waitForURL(new RegExp(`/applications/${applicationId}/school$`))
    await checkPage(page)
    // A search with nothing in it is refused.
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/\/school\?q=$/)
    expect(await page.locator('.govuk-error-summary').count()).toBe(1)
    await checkPage(page)

    // The type-ahead suggests schools as the name is typed; choosing one lists it to confirm.
    const box = page.getByRole('combobox', { name: 'Search for the school you teach at' })
    await box.fill(school.name)
    const suggestion = page.getByRole('option', { name: `${school.name} (URN ${school.urn})` })
    await suggestion.waitFor()
    await checkPage(page)
    await suggestion.click()
    await page.waitForURL(new RegExp(`/applications/${applicationId}/school\\?q=${school.urn}$`))
    const radio = page.getByRole('radio', { name: school.name, exact: true })
    expect(await radio.isEnabled()).toBe(true)
    const main = (await page.locator('main').textContent()) ?? ''
    expect(main).toContain(`URN ${school.urn}`)
    expect(main).toContain(`served by ${school.hubName}`)
    await checkPage(page)
    await radio.check()
    await page.getByRole('button', { name: 'Save and continue' }).click()
    await page.waitForURL(new RegExp(`/applications/${applicationId}$`))
    expect(await page.locator('main').textContent()).toContain(school.name)
    await checkPage(page)

    const saved = await t.database.db
      .selectFrom('applications')
      .select(['school_urn', 'hub_id'])
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow()
    expect(saved).toEqual({ school_urn: school.urn, hub_id: school.hubId })
    expect(problems).toEqual([])
  })

  it('gives the teaching details (after the empty form is refused) and evidence for every essential criterion', async () => {
    const { page, problems } = teacher!
    await page.getByRole('link', { name: 'Your teaching' }).click()
    await page.waitForURL(new RegExp(`/applications/${applicationId}/teaching$`))
    await checkPage(page)
    await page.getByRole('button', { name: 'Save and continue' }).click()
    const summary = page.locator('.govuk-error-summary')
    await summary.waitFor()
    expect(await page.title()).toMatch(/^Error: /)
    expect(await summary.locator('a').count()).toBeGreaterThan(1)
    await checkPage(page)

    await page.getByLabel('Yes', { exact: true }).check()
    await page.getByLabel('Teacher reference number (TRN)').fill('1234567')
    await page.getByLabel('How many years have you taught maths?').fill('6')
    await page.getByLabel('What is your current role?').fill('Year 5 class teacher and maths lead')
    await page.getByLabel('Which classes do you teach maths to?').fill('Year 5')
    await page.getByRole('button', { name: 'Save and continue' }).click()
    await page.waitForURL(new RegExp(`/applications/${applicationId}$`))
    await checkPage(page)

    await page.getByRole('link', { name: 'Your evidence against the criteria' }).click()
    await page.waitForURL(new RegExp(`/applications/${applicationId}/evidence$`))
    await checkPage(page)
    const boxes = page.locator('textarea')
    let essential = 0
    for (let i = 0; i < (await boxes.count()); i++) {
      const box = boxes.nth(i)
      const label = await page.locator(`label[for="${await box.getAttribute('id')}"]`).textContent()
      if (/desirable/.test(label ?? '')) continue
      await box.fill(`At ${school.name} I ${(label ?? '').trim().toLowerCase()}: an example from this year.`)
      essential++
    }
    expect(essential).toBe(5)
    await checkPage(page)
    await page.getByRole('button', { name: 'Save and continue' }).click()
    await page.waitForURL(new RegExp(`/applications/${applicationId}$`))
    await checkPage(page)
    expect(problems).toEqual([])
  })

  it('names the headteacher, who endorses it through the emailed link without signing in', async () => {
    const { page, problems } = teacher!
    await page.getByRole('link', { name: 'Your headteacher’s endorsement' }).click()
    await page.waitForURL(new RegExp(`/applications/${applicationId}/headteacher$`))
    expect(await page.locator('main').textContent()).toContain(school.name)
    await checkPage(page)
    await page.getByLabel('Headteacher’s full name').fill(HEADTEACHER.name)
    await page.getByLabel('Headteacher’s email address').fill(HEADTEACHER.email)
    await page.getByRole('button', { name: 'Send the request to your headteacher' }).click()
    await page.waitForURL(new RegExp(`/applications/${applicationId}\\?asked=1$`))
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toMatch(
      /emailed your headteacher/,
    )
    await checkPage(page)

    const request = await mailTo(HEADTEACHER.email, (m) => /^Please endorse/.test(m.subject))
    expect(request.text).toContain(`Dear ${HEADTEACHER.name},`)
    expect(request.text).toContain(`named you as the headteacher of ${school.name}`)
    const endorsePath = linkPath(request, /\/endorse\/[A-Za-z0-9_-]+$/)

    // The headteacher has no account and is not signed in.
    const context = await newContext()
    try {
      const head = await context.newPage()
      const headProblems = watchForProblems(head)
      await head.goto(endorsePath)
      expect(await head.locator('h1').textContent()).toBe(`Endorse ${TEACHER.name}’s application`)
      const main = (await head.locator('main').textContent()) ?? ''
      expect(main).toContain(school.name)
      expect(main).toContain('Release the teacher for the programme’s residentials and development days')
      await checkPage(head)
      // Sending no answer is refused.
      await head.getByRole('button', { name: 'Send your answer' }).click()
      await head.locator('.govuk-error-summary').waitFor()
      await checkPage(head)
      await head.getByLabel('Yes, I endorse it and make these commitments').check()
      await head.getByRole('button', { name: 'Send your answer' }).click()
      await head.getByRole('heading', { name: 'You have endorsed the application' }).waitFor()
      await checkPage(head)
      // The link works once.
      const again = await head.goto(endorsePath)
      expect(again?.status()).toBe(410)
      await checkPage(head)
      expect(headProblems).toEqual([])
    } finally {
      await context.close()
    }

    const endorsed = await mailTo(TEACHER.email, (m) => /has endorsed your application/.test(m.subject))
    expect(endorsed.text).toContain(`${HEADTEACHER.name} has endorsed your application.`)
    expect(problems).toEqual([])
  })

  it('the teacher checks and submits it, and both of them receive a receipt', async () => {
    const { page, problems } = teacher!
    await page.goto(`/applications/${applicationId}`)
    await checkPage(page)
    await page.getByRole('link', { name: 'Check and submit' }).click()
    await page.waitForURL(new RegExp(`/applications/${applicationId}/check$`))
    const check = (await page.locator('main').textContent()) ?? ''
    expect(check).toContain(school.name)
    expect(check).toContain(school.hubName)
    expect(check).toContain('1234567')
    expect(check).not.toContain('Before you can submit')
    await checkPage(page)
    await page.getByRole('button', { name: 'Submit your application' }).click()
    await page.waitForURL(new RegExp(`/applications/${applicationId}\\?submitted=1$`))
    const panel = page.locator('.govuk-panel')
    expect(await panel.locator('h2').textContent()).toContain('Application submitted')
    reference = ((await panel.locator('strong').textContent()) ?? '').trim()
    expect(reference).not.toBe('')
    await checkPage(page)

    const receipt = await mailTo(TEACHER.email, (m) => m.subject === `Application received: ${reference}`)
    expect(receipt.text).toContain(`Your reference is ${reference}.`)
    expect(receipt.text).toContain(`${school.hubName} will assess it.`)
    const copy = await mailTo(HEADTEACHER.email, (m) => m.subject === `Application submitted: ${reference}`)
    expect(copy.text).toContain(`which you endorsed for ${school.name}`)
    expect(problems).toEqual([])
  })

  it('the lead of the hub serving the school finds it in the hub’s list and reads it', async () => {
    const lead = await t.database.db
      .insertInto('people')
      .values({ name: HUB_LEAD.name, email: HUB_LEAD.email })
      .returning('id')
      .executeTakeFirstOrThrow()
    await t.database.db
      .insertInto('grants')
      .values({ person_id: lead.id, role: 'hub-lead', hub_id: school.hubId })
      .execute()

    const context = await newContext()
    try {
      const page = await context.newPage()
      const problems = watchForProblems(page)
      await signInByEmail(page, HUB_LEAD.email, HUB_LEAD.name)
      await checkPage(page)
      await page.getByRole('link', { name: 'Your applications' }).click()
      await page.waitForURL(/\/applications$/)
      await checkPage(page)
      await page.getByRole('link', { name: `Applications to ${school.hubName}` }).click()
      await page.waitForURL(new RegExp(`/hubs/${school.hubId}/applications$`))
      await checkPage(page)
      const row = page.locator('main tbody tr', { hasText: reference })
      expect(await row.count()).toBe(1)
      const cells = await row.locator('td').allTextContents()
      expect(cells.map((c) => c.trim()).slice(0, 3)).toEqual([reference, TEACHER.name, school.name])

      await row.getByRole('link', { name: reference }).click()
      await page.waitForURL(new RegExp(`/applications/${applicationId}$`))
      expect(await page.locator('h1').textContent()).toBe(`Application ${reference}`)
      const main = (await page.locator('main').textContent()) ?? ''
      expect(main).toContain(school.name)
      expect(main).toContain(school.hubName)
      expect(main).toContain(HEADTEACHER.name)
      await checkPage(page)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })
})
