// Journeys a teacher or school business manager takes to find their Maths Hub, with and without
// JavaScript, and an accessibility scan of every page on the way.
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../app.ts'
import { checkPage, startBrowserAndApp, watchForProblems } from './browser.ts'

let t: TestApp
let browser: Browser
let baseUrl: string
let stop: (() => Promise<void>) | undefined

beforeAll(async () => {
  const started = await startBrowserAndApp()
  ;({ t, browser, baseUrl } = started)
  stop = started.close
})
afterAll(async () => {
  await stop?.()
})

async function unservedSchool(): Promise<number> {
  const row = await t.database.db
    .selectFrom('schools')
    .select('urn')
    .where('la_code', '=', '958')
    .where('open', '=', true)
    .where('urn', '!=', 990016)
    .orderBy('urn')
    .executeTakeFirstOrThrow()
  return row.urn
}

async function withContext<T>(
  options: { javaScriptEnabled: boolean },
  run: (context: BrowserContext) => Promise<T>,
) {
  const context = await browser.newContext({ ...options, baseURL: baseUrl })
  try {
    return await run(context)
  } finally {
    await context.close()
  }
}

describe('finding your Maths Hub', () => {
  it('with JavaScript: the type-ahead suggests schools and shows the chosen school’s hub', async () => {
    await withContext({ javaScriptEnabled: true }, async (context) => {
      const page = await context.newPage()
      const problems = watchForProblems(page)
      await page.goto('/')
      expect(await page.locator('h1').count()).toBe(1)
      await checkPage(page)
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Find your hub' })
        .click()
      await page.waitForURL(/\/find-your-hub$/)
      await checkPage(page)

      const box = page.getByRole('combobox', { name: 'School name, URN or postcode' })
      await box.fill('Oakfield')
      const option = page.getByRole('option', { name: /Oakfield/ }).first()
      await option.waitFor()
      const chosen = (await option.textContent()) ?? ''
      expect(chosen).toMatch(/Oakfield .*\(URN 99\d{4}/)
      await checkPage(page)
      await option.click()
      await page.waitForURL(/\/find-your-hub\?q=99\d{4}/)
      const result = page.locator('main')
      await expect.poll(() => result.textContent()).toMatch(/Maths Hub/)
      expect(await result.textContent()).toContain(chosen.split(' (')[0])
      await checkPage(page)
      expect(problems).toEqual([])
    })
  })

  it('without JavaScript: the form searches, explains a school with no hub, and reports an empty search', async () => {
    // (axe needs JavaScript, so the "every page" scan below covers these pages with it on.)
    await withContext({ javaScriptEnabled: false }, async (context) => {
      const page = await context.newPage()
      await page.goto('/find-your-hub')
      const box = page.getByLabel('School name, URN or postcode')
      const search = page.getByRole('button', { name: 'Search' })
      const main = page.locator('main')

      await box.fill('990016')
      await Promise.all([page.waitForURL(/find-your-hub\?q=990016$/), search.click()])
      expect(await main.textContent()).toContain('Eastmoor Maths Hub')
      expect(await main.locator('a[href="mailto:eastmoor@mathshub.example"]').count()).toBe(1)

      // Farthingdale has no hub recorded: the page says so plainly.
      const unserved = await unservedSchool()
      await box.fill(String(unserved))
      await Promise.all([page.waitForURL(new RegExp(`find-your-hub\\?q=${unserved}$`)), search.click()])
      expect(await main.textContent()).toMatch(/No Maths Hub is recorded for Farthingdale yet/)

      await box.fill('')
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/find-your-hub?q=')),
        search.click(),
      ])
      expect(response.status()).toBe(422)
      await page.waitForLoadState()
      expect(await page.title()).toMatch(/^Error: /)
      const summary = page.locator('.govuk-error-summary')
      expect(await summary.textContent()).toMatch(/Enter at least 2 characters/)
      expect(await summary.locator('a[href="#q"]').count()).toBe(1)
    })
  })

  it('shows markup typed into the search as text, never as HTML', async () => {
    await withContext({ javaScriptEnabled: true }, async (context) => {
      const page = await context.newPage()
      const problems = watchForProblems(page)
      await page.goto(`/find-your-hub?q=${encodeURIComponent('<img src=x onerror=alert(1)>')}`)
      expect(await page.locator('main img').count()).toBe(0)
      expect(await page.locator('main').textContent()).toContain('<img src=x onerror=alert(1)>')
      expect(problems).toEqual([])
    })
  })
})

describe('every page', () => {
  it('passes the accessibility scan, has one h1 and carries no GOV.UK branding', async () => {
    await withContext({ javaScriptEnabled: true }, async (context) => {
      const page = await context.newPage()
      const problems = watchForProblems(page)
      const [closed] = await t.database.db
        .selectFrom('schools')
        .select('urn')
        .where('open', '=', false)
        .limit(1)
        .execute()
      const paths = [
        '/',
        '/find-your-hub',
        '/hubs',
        '/hubs/northvale-maths-hub',
        '/schools',
        '/schools?phase=secondary&page=2',
        '/schools?la=1',
        '/schools/990001',
        `/schools/${closed!.urn}`,
        '/schools/999001',
        `/find-your-hub?q=${await unservedSchool()}`,
        '/find-your-hub?q=990016',
        `/find-your-hub?q=${closed!.urn}`,
        '/find-your-hub?q=',
        '/find-your-hub?q=zzzzzz',
        '/accessibility',
        '/privacy',
        '/cookies',
        '/no-such-page',
      ]
      for (const path of paths) {
        const response = await page.goto(path)
        expect(response?.status(), path).toBe(
          path === '/no-such-page' ? 404 : /la=1$|q=$/.test(path) ? 422 : 200,
        )
        expect(await page.locator('h1').count(), path).toBe(1)
        const text = (await page.locator('body').textContent()) ?? ''
        expect(text, path).toContain('Maths Hubs: Teaching for Mastery')
        expect(text, path).not.toMatch(/GOV\.UK|Crown copyright/)
        await checkPage(page)
      }
      const fonts = await page.evaluate(() => getComputedStyle(document.body).fontFamily)
      expect(fonts).not.toMatch(/GDS Transport/)
      expect(problems).toEqual([])
    })
  })

  it('lets someone browse the register by phase and page through it', async () => {
    await withContext({ javaScriptEnabled: false }, async (context) => {
      const page = await context.newPage()
      await page.goto('/schools')
      await page.getByLabel('Phase').selectOption('secondary')
      await page.getByRole('button', { name: /Search|Filter|Apply/ }).click()
      await page.waitForURL(/phase=secondary/)
      const phases = await page.locator('main table tbody tr td:nth-child(3)').allTextContents()
      expect(phases.length).toBeGreaterThan(0)
      for (const phase of phases) expect(phase.trim()).toBe('Secondary')
    })
  })
})
