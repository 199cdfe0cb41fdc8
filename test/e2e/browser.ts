// Real Chromium (Debian's package) driven by playwright-core, with axe-core scanning pages.
import { createRequire } from 'node:module'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { createTestApp, type TestApp } from '../app.ts'

const require = createRequire(import.meta.url)
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

interface AxeViolation {
  id: string
  impact: string
  help: string
  nodes: { target: string[] }[]
}

/** Runs axe (WCAG 2.0, 2.1 and 2.2 A and AA) on the page and fails on any violation. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's strict CSP stays in force for the page.
  await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } })
      .axe
    const result = await axe.run({
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }))
  })
  expect(violations, `axe violations on ${page.url()}`).toEqual([])
}

/** The narrowest screen the service is used on (a small phone), in CSS pixels. */
export const SMALL_SCREEN = { width: 375, height: 812 }

/**
 * At 375 px, nothing makes the page wider than the screen: a wide table scrolls inside its own
 * container (macros.njk: scrollingTable), never the whole page. Names what sticks out when it fails.
 */
export async function expectFitsSmallScreen(page: Page): Promise<void> {
  const before = page.viewportSize()
  await page.setViewportSize(SMALL_SCREEN)
  try {
    const result = await page.evaluate(() => {
      const root = document.documentElement
      const width = root.clientWidth
      const clipped = (element: Element) => {
        for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
          const overflow = getComputedStyle(e).overflowX
          if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true
        }
        return false
      }
      const describe = (e: Element) =>
        `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.classList.length ? `.${Array.from(e.classList).join('.')}` : ''}`
      const wide = Array.from(document.body.querySelectorAll('*'))
        .filter((e) => e.getBoundingClientRect().right > width + 1 && !clipped(e))
        .slice(0, 5)
        .map(describe)
      return { scrollWidth: root.scrollWidth, width, wide }
    })
    expect(
      result.scrollWidth <= result.width ? [] : result.wide,
      `${page.url()} is ${result.scrollWidth} px wide at ${SMALL_SCREEN.width} px`,
    ).toEqual([])
    expect(
      result.scrollWidth,
      `${page.url()} scrolls sideways at ${SMALL_SCREEN.width} px`,
    ).toBeLessThanOrEqual(result.width)
  } finally {
    if (before) await page.setViewportSize(before)
  }
}

/** Every page a journey visits: no accessibility violations, and it fits a small screen. */
export async function checkPage(page: Page): Promise<void> {
  await expectNoAxeViolations(page)
  await expectFitsSmallScreen(page)
}

/** Collects Content-Security-Policy violations and page errors, which should never happen. */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    // A page answered with 404 or 422 on purpose is logged as "Failed to load resource"; failing
    // assets are caught below instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${message.text()}`)
    }
  })
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'document' && response.status() >= 400) {
      problems.push(`${response.status()} for ${response.url()}`)
    }
  })
  return problems
}

/** The demo app listening on the loopback interface, and Chromium to visit it. */
export async function startBrowserAndApp(): Promise<{
  t: TestApp
  browser: Browser
  baseUrl: string
  close(): Promise<void>
}> {
  const t = await createTestApp()
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  const browser = await launchBrowser()
  return {
    t,
    browser,
    baseUrl,
    close: async () => {
      await browser.close()
      await t.close()
    },
  }
}
