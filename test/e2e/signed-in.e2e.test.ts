// Signed-in journeys in Chromium: a national administrator and a hub lead at work, with an
// accessibility scan of every page they see.
import type { Browser, Page } from 'playwright-core'
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

async function signInAs(page: Page, name: string) {
  await page.goto('/demo/personas')
  await checkPage(page)
  await page.getByRole('button', { name: new RegExp(name) }).click()
  await page.waitForURL(/\/account$/)
}

describe('signed in', () => {
  it('a hub lead adds a reviewer to her team, and every page passes the accessibility scan', async () => {
    const context = await browser.newContext({ baseURL: baseUrl })
    const page = await context.newPage()
    const problems = watchForProblems(page)
    try {
      await page.goto('/sign-in')
      await checkPage(page)
      await signInAs(page, 'Priya Shah')
      expect(await page.locator('h1').textContent()).toContain('Your account')
      await checkPage(page)

      await page.getByRole('link', { name: 'Northvale Maths Hub team' }).click()
      await page.waitForURL(/\/hubs\/northvale-maths-hub\/team(\?added=\d+)?$/)
      await checkPage(page)
      // A refused form first: no email address.
      await page.getByRole('button', { name: 'Add to team' }).click()
      expect(await page.locator('.govuk-error-summary').textContent()).toMatch(/Enter an email address/)
      await checkPage(page)
      await page.getByLabel('Email address').fill('new.reviewer@school.example')
      await page.getByLabel('Full name').fill('Nia Reviewer')
      await page.getByLabel('Reviewer').check()
      await page.getByRole('button', { name: 'Add to team' }).click()
      await page.waitForURL(/\/hubs\/northvale-maths-hub\/team(\?added=\d+)?$/)
      expect(await page.locator('main').textContent()).toContain('Nia Reviewer')

      await page.goto('/account/api-tokens')
      await checkPage(page)
      await page.getByLabel('Name').fill('Hub reporting')
      await page.getByRole('radio').first().check()
      await page.getByRole('button', { name: 'Create token' }).click()
      expect(await page.locator('main').textContent()).toMatch(/mh_[A-Za-z0-9_-]{20,}/)
      await checkPage(page)

      // Another hub's team is "not found".
      const other = await page.goto('/hubs/riverside-maths-hub/team')
      expect(other?.status()).toBe(404)

      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(`${baseUrl}/`)
      expect(await page.getByRole('link', { name: 'Sign in' }).count()).toBeGreaterThan(0)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('a national administrator’s pages pass the accessibility scan', async () => {
    const context = await browser.newContext({ baseURL: baseUrl })
    const page = await context.newPage()
    const problems = watchForProblems(page)
    try {
      await signInAs(page, 'Nadia Khan')
      const grace = await t.database.db
        .selectFrom('people')
        .select('id')
        .where('email', '=', 'grace.lee@northvale.mathshub.example')
        .executeTakeFirstOrThrow()
      for (const path of [
        '/account',
        '/admin/people',
        '/admin/people/new',
        `/people/${grace.id}`,
        '/schools/990001/people',
        '/admin/hubs/northvale-maths-hub',
        '/admin/audit',
        '/admin/audit?recordType=grant',
        '/demo/emails',
        '/sign-in/check-your-email',
      ]) {
        const response = await page.goto(path)
        expect(response?.status(), path).toBe(200)
        expect(await page.locator('h1').count(), path).toBe(1)
        await checkPage(page)
      }
      await page.goto('/admin/hubs/northvale-maths-hub')
      await page.getByLabel('Name', { exact: true }).fill('')
      await page.getByRole('button', { name: 'Save' }).click()
      expect(await page.locator('.govuk-error-summary').textContent()).toMatch(/Enter the hub’s name/)
      await checkPage(page)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('a national administrator erases a person’s data after confirming, every page scanned', async () => {
    const sam = await t.database.db
      .insertInto('people')
      .values({ name: 'Sam Okafor', email: 'sam.okafor@school.example', trn: '1234567' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const context = await browser.newContext({ baseURL: baseUrl })
    const page = await context.newPage()
    const problems = watchForProblems(page)
    try {
      await signInAs(page, 'Nadia Khan')
      await expect(
        page.getByRole('link', { name: 'Download the information we hold about you' }).count(),
      ).resolves.toBe(1)
      await page.goto(`/people/${sam.id}`)
      await checkPage(page)
      await page.getByRole('link', { name: 'Erase Sam Okafor’s personal data' }).click()
      await page.waitForURL(new RegExp(`/people/${sam.id}/erase$`))
      expect(await page.locator('h1').textContent()).toBe('Erase this person’s personal data')
      await checkPage(page)

      // Not confirmed: the error summary, and nothing erased.
      await page.getByRole('button', { name: 'Erase personal data' }).click()
      expect(await page.locator('.govuk-error-summary').count()).toBe(1)
      await checkPage(page)
      const before = await t.database.db
        .selectFrom('people')
        .select(['name', 'erased_at'])
        .where('id', '=', sam.id)
        .executeTakeFirstOrThrow()
      expect(before).toEqual({ name: 'Sam Okafor', erased_at: null })

      await page.getByLabel(/I understand that erasing Sam Okafor’s personal data cannot be undone/).check()
      await page.getByRole('button', { name: 'Erase personal data' }).click()
      await page.waitForURL(new RegExp(`/people/${sam.id}$`))
      expect(await page.locator('main').textContent()).toMatch(/personal data was erased at/)
      expect(await page.locator('main').textContent()).not.toMatch(/Sam Okafor|sam\.okafor/)
      await checkPage(page)
      const after = await t.database.db
        .selectFrom('people')
        .select(['name', 'email', 'trn', 'erased_at'])
        .where('id', '=', sam.id)
        .executeTakeFirstOrThrow()
      expect(after.name).not.toContain('Sam')
      expect(after.email).not.toContain('okafor')
      expect(after.trn).toBeNull()
      expect(after.erased_at).not.toBeNull()
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })
})
