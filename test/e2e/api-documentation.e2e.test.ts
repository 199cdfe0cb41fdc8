// The API documentation page, as a developer finds it: from the footer, readable at 375 px wide
// with nothing wider than the screen, under the service's Content-Security-Policy (no violation,
// nothing from another host), and through the accessibility scan.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNoAxeViolations, startBrowserAndApp, watchForProblems } from './browser.ts'

let browser: Browser
let baseUrl: string
let stop: (() => Promise<void>) | undefined

beforeAll(async () => {
  const started = await startBrowserAndApp()
  ;({ browser, baseUrl } = started)
  stop = started.close
})
afterAll(async () => {
  await stop?.()
})

describe('the API documentation', () => {
  it('is linked from the footer and readable on a small screen', async () => {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 375, height: 800 } })
    try {
      const page = await context.newPage()
      const problems = watchForProblems(page)
      const requests: string[] = []
      page.on('request', (request) => requests.push(request.url()))
      await page.goto('/')
      await page.locator('footer').getByRole('link', { name: 'API documentation' }).click()
      await page.waitForURL('**/api-documentation')
      expect(await page.locator('h1').textContent()).toBe('API documentation')
      await expect(
        page.getByRole('heading', { name: 'GET /api/v1/schools', exact: true }).count(),
      ).resolves.toBe(1)
      await page.getByRole('link', { name: 'Selection' }).click()
      expect(page.url()).toMatch(/#tag-selection$/)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, 'pixels wider than the screen').toBeLessThanOrEqual(0)
      expect(requests.filter((url) => !url.startsWith(baseUrl))).toEqual([])
      await expectNoAxeViolations(page)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })
})
