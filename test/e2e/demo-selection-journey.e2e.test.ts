// Selection end to end in the real demo (`masteryhub demo`, started as its own process on an
// embedded database), in Chromium, through the links and forms a person would use, with the
// accessibility scan on every page. The demo's five teachers have applied, been endorsed and
// submitted in Primary Mastery Specialist cohort 13; the demo-time control in the banner jumps to
// the closing minute; Northvale's hub lead assigns reviewers automatically; each reviewer scores
// their applications; NCETM sets the places; the hub lead proposes and confirms; NCETM approves;
// the control jumps to the decision date, where the release runs; a selected teacher and her
// headteacher (by the link in the demo's emails) accept, another declines, and the hub lead offers
// her place to the reserve. Then back to the real time.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNoAxeViolations, launchBrowser, watchForProblems } from './browser.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

let demo: ChildProcess | undefined
let dataDir = ''
let baseUrl = ''
let browser: Browser

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

/** Starts `masteryhub demo` on a new embedded database and waits until it is serving. */
async function startDemo(): Promise<void> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masteryhub-demo-'))
  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = { ...process.env, BASE_URL: baseUrl, LOG_LEVEL: 'warn', HOST: '127.0.0.1' }
  delete env.DATABASE_URL
  delete env.SMTP_HOST
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'masteryhub.js'), 'demo', '--data-dir', dataDir, '--port', String(port)],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  demo = child
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The demo did not start:\n${output}`)), 240_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Mastery Hub is running')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`The demo stopped (${code}):\n${output}`))
    })
  })
}

beforeAll(async () => {
  await startDemo()
  browser = await launchBrowser()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo!.once('exit', resolve))
    demo.kill('SIGTERM')
    await exited
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

interface Visit {
  page: Page
  context: BrowserContext
  done(): Promise<void>
}

/** A fresh browser: on the home page, signed in through "Sign in as a demo person" (unless anonymous). */
async function visit(name?: string): Promise<Visit> {
  const context = await browser.newContext({ baseURL: baseUrl })
  const page = await context.newPage()
  const problems = watchForProblems(page)
  await page.goto('/')
  if (name) {
    await page.getByRole('link', { name: 'Sign in as a demo person' }).click()
    await page.getByRole('button', { name: `Sign in as ${name}`, exact: true }).click()
    await page.waitForURL(/\/account$/)
    await scanOnce(page, `account of ${name}`)
  }
  return {
    page,
    context,
    done: async () => {
      expect(problems).toEqual([])
      await context.close()
    },
  }
}

/** Pages scanned already: a page seen again (the next review, the next decision) is not scanned again. */
const scanned = new Set<string>()
async function scanOnce(page: Page, kind: string): Promise<void> {
  if (scanned.has(kind)) return
  scanned.add(kind)
  await expectNoAxeViolations(page)
}

const banner = (page: Page) => page.locator('[data-app-demo-time]')

/** Presses a demo-time button in the banner and waits for the page it comes back to. */
async function jump(page: Page, button: string): Promise<void> {
  const [answer] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/demo/time',
    ),
    banner(page).getByRole('button', { name: button }).click(),
  ])
  expect(answer.status(), button).toBe(303)
  await page.waitForLoadState('load')
  await expect.poll(() => banner(page).count()).toBe(1)
  await expectNoAxeViolations(page)
}

const HUB_LEAD = 'Priya Shah'
const NCETM = 'Nadia Khan'
const REVIEWERS = ['Grace Lee', 'Daniel Osei', HUB_LEAD]
/** The score every reviewer gives each applicant, so they rank in this order. */
const SCORES: Record<string, number> = {
  'Bella Price': 4,
  'Esther Nwosu': 3,
  'Callum Reid': 2,
  'Farah Begum': 1,
  'George Hart': 0,
}
const APPLICANTS = Object.keys(SCORES)

async function completeReview(page: Page, score: number) {
  for (const group of await page.getByRole('group', { name: /^Is “.*” met\?$/ }).all()) {
    await group.getByLabel('Met', { exact: true }).check()
  }
  for (const group of await page.getByRole('group', { name: /^Score for / }).all()) {
    await group.getByRole('radio', { name: new RegExp(`^${score}: `) }).check()
  }
  await page.getByLabel('Note on strategic fit').fill(`Scored ${score} against the hub’s priorities.`)
  await page.getByRole('button', { name: 'Complete review' }).click()
  await page.waitForURL(/\?saved=completed/)
  await scanOnce(page, 'review completed')
}

/** From the account page to the hub's ranked list for cohort 13. */
async function hubSelection(page: Page) {
  await page.goto('/account')
  await page.getByRole('link', { name: 'Selection of Mastery Specialists' }).click()
  await expectNoAxeViolations(page)
  await page
    .getByRole('link', { name: /Northvale Maths Hub: Primary Mastery Specialist Programme, Cohort 13/ })
    .click()
  await expectNoAxeViolations(page)
}

async function decide(page: Page, who: string, choose: () => Promise<void>) {
  await page.getByRole('link', { name: new RegExp(`(Decide|Change).* for ${who}`) }).click()
  await scanOnce(page, 'decision form')
  await choose()
  await page.getByRole('button', { name: 'Save the decision' }).click()
  await page.waitForURL(/\?saved=1/)
}

/** From the account page, the teacher's own application and its offer. */
async function ownOffer(page: Page) {
  await page.getByRole('link', { name: 'Your applications' }).click()
  await expectNoAxeViolations(page)
  await page.getByRole('link', { name: /Primary Mastery Specialist Programme: Cohort 13/ }).click()
  await expectNoAxeViolations(page)
  await page.getByRole('link', { name: 'Accept or decline the place' }).click()
  await expectNoAxeViolations(page)
}

describe('the demo: selection, with the demo-time control', () => {
  it('jumps to the closing minute, and the hub lead assigns reviewers who score every application', async () => {
    const lead = await visit(HUB_LEAD)
    expect(await banner(lead.page).textContent()).toContain('(the real time)')
    await jump(lead.page, 'Jump to the closing minute')
    // Still signed in, at 5pm on the closing day.
    expect(await lead.page.locator('h1').textContent()).toContain('Your account')
    expect(await banner(lead.page).textContent()).toMatch(/Demo time:\s*5pm on /)
    await lead.page.getByRole('link', { name: 'Applications to Northvale Maths Hub' }).first().click()
    await expectNoAxeViolations(lead.page)
    await lead.page
      .getByRole('link', { name: /Reviewers for Primary Mastery Specialist Programme: Cohort 13/ })
      .click()
    await expectNoAxeViolations(lead.page)
    // Hub leads take reviews automatically only when the round says so: this one does.
    await lead.page.getByRole('radio', { name: 'Yes, leads take reviews too' }).check()
    await lead.page.getByRole('button', { name: 'Save settings' }).click()
    await lead.page.waitForURL(/\?done=settings/)
    await lead.page.getByRole('button', { name: 'Assign automatically' }).click()
    await lead.page.waitForURL(/\?done=automatic/)
    await expectNoAxeViolations(lead.page)
    const applications = lead.page.locator('table', { hasText: 'submitted applications' })
    const reviewersOf = new Map<string, string[]>(REVIEWERS.map((r) => [r, []]))
    for (const who of APPLICANTS) {
      const names = (
        await applications.locator('tbody tr', { hasText: who }).locator('ul li').allTextContents()
      )
        .map((text) => REVIEWERS.find((r) => text.trim().startsWith(r)))
        .filter((n): n is string => n !== undefined)
      expect(names, who).toHaveLength(2)
      for (const name of names) reviewersOf.get(name)!.push(who)
    }
    // Daniel Osei works at Kingsmead Primary Academy: never given its teachers.
    expect(reviewersOf.get('Daniel Osei')).not.toContain('Farah Begum')
    expect(reviewersOf.get('Daniel Osei')).not.toContain('George Hart')
    await lead.done()

    for (const reviewerName of REVIEWERS) {
      const reviewer = await visit(reviewerName)
      for (const who of reviewersOf.get(reviewerName)!) {
        await reviewer.page.goto('/account')
        await reviewer.page.getByRole('link', { name: 'Applications for you to review' }).click()
        await scanOnce(reviewer.page, 'review list')
        await reviewer.page.getByRole('link', { name: new RegExp(`^${who} \\(MH-`) }).click()
        await reviewer.page.waitForURL(/\/reviews\/\d+$/)
        await scanOnce(reviewer.page, 'review form')
        await completeReview(reviewer.page, SCORES[who]!)
      }
      await reviewer.done()
    }
  }, 400_000)

  it('NCETM sets the places; the hub lead proposes and confirms; NCETM approves', async () => {
    const ncetm = await visit(NCETM)
    await ncetm.page.getByRole('link', { name: 'Selection of Mastery Specialists' }).click()
    await expectNoAxeViolations(ncetm.page)
    await ncetm.page.getByRole('link', { name: /^Primary Mastery Specialist Programme, Cohort 13$/ }).click()
    await expectNoAxeViolations(ncetm.page)
    await ncetm.page.getByLabel('Places for Northvale Maths Hub', { exact: true }).fill('2')
    await ncetm.page.getByRole('button', { name: 'Set places for Northvale Maths Hub' }).click()
    await ncetm.page.waitForURL(/\?places=/)
    await expectNoAxeViolations(ncetm.page)

    const lead = await visit(HUB_LEAD)
    await hubSelection(lead.page)
    const ranked = lead.page.locator('table', { hasText: 'Rank' }).first().locator('tbody tr')
    expect(await ranked.locator('td:nth-child(2) a').allTextContents()).toEqual(APPLICANTS)
    for (const who of ['Bella Price', 'Esther Nwosu']) {
      await decide(lead.page, who, async () => {
        await lead.page.getByLabel('Selected', { exact: true }).check()
        await lead.page.getByLabel('Feedback (optional)').fill('A strong account of lesson study.')
        await lead.page.getByLabel('Yes', { exact: true }).check()
      })
    }
    await decide(lead.page, 'Callum Reid', async () => {
      await lead.page.getByLabel('Reserve', { exact: true }).check()
      await lead.page.getByLabel('If a reserve, their place in the reserve list').fill('1')
    })
    for (const who of ['Farah Begum', 'George Hart']) {
      await decide(lead.page, who, async () => {
        await lead.page.getByLabel('Not selected', { exact: true }).check()
        await lead.page.getByLabel('Other applications were stronger').check()
      })
    }
    await expectNoAxeViolations(lead.page)
    await lead.page.getByRole('button', { name: 'Confirm the decisions' }).click()
    await lead.page.waitForURL(/\?confirmed=1/)
    await expectNoAxeViolations(lead.page)
    await lead.done()

    await ncetm.page.reload()
    expect(await ncetm.page.locator('#hub-northvale-maths-hub').textContent()).toMatch(
      /2 selected, 1 reserve, 2 not selected/,
    )
    await ncetm.page.getByRole('button', { name: 'Approve the decisions of Northvale Maths Hub' }).click()
    await ncetm.page.waitForURL(/\?approved=/)
    await expectNoAxeViolations(ncetm.page)
    await ncetm.done()
  }, 400_000)

  it('jumps to the decision date: decisions go out, places are accepted and declined, a reserve is offered', async () => {
    const bella = await visit('Bella Price')
    await jump(bella.page, 'Jump to the decision date')
    await ownOffer(bella.page)
    await bella.page.getByLabel('Yes, I accept the place').check()
    await bella.page.getByRole('button', { name: 'Send your answer' }).click()
    await bella.page.waitForURL(/\/offer$/)
    expect(await bella.page.locator('h1').textContent()).toContain('You have accepted the place')
    await expectNoAxeViolations(bella.page)
    await bella.done()

    // Helen Morris, Bella's headteacher, follows the link in her email (the demo lists it).
    const head = await visit()
    await head.page.getByRole('link', { name: 'Emails the demo would have sent' }).click()
    await expectNoAxeViolations(head.page)
    const card = head.page
      .locator('.govuk-summary-card', { hasText: 'A place has been offered to a teacher at your school' })
      .filter({ hasText: 'Bella Price' })
      .first()
    expect(await card.count()).toBe(1)
    await card.locator('a[href*="/places/"]').first().click()
    await expectNoAxeViolations(head.page)
    await head.page.getByLabel('Yes, we accept the place and make these commitments').check()
    await head.page.getByRole('button', { name: 'Send your answer' }).click()
    expect(await head.page.locator('main').textContent()).toContain('their place is confirmed')
    await expectNoAxeViolations(head.page)
    await head.done()

    const esther = await visit('Esther Nwosu')
    await ownOffer(esther.page)
    await esther.page.getByLabel('No, I decline the place').check()
    await esther.page.getByLabel('If you decline, why?').fill('I am moving to a school in another region.')
    await esther.page.getByRole('button', { name: 'Send your answer' }).click()
    await esther.page.waitForURL(/\/offer$/)
    expect(await esther.page.locator('h1').textContent()).toContain('The place has been declined')
    await expectNoAxeViolations(esther.page)
    await esther.done()

    const lead = await visit(HUB_LEAD)
    await hubSelection(lead.page)
    expect(await lead.page.locator('main').textContent()).toContain(
      'The next reserve is Callum Reid (reserve 1)',
    )
    await lead.page.getByRole('button', { name: 'Offer the place to the next reserve' }).click()
    await lead.page.waitForURL(/\?offered=1/)
    await expectNoAxeViolations(lead.page)
    expect(await lead.page.locator('main').textContent()).toMatch(/Callum Reid[\s\S]*Offered/)

    // Back to the real time.
    await jump(lead.page, 'Back to the real time')
    expect(await banner(lead.page).textContent()).toContain('(the real time)')
    await lead.done()
  }, 400_000)
})
