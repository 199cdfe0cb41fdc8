// Server-side HTML rendering with Nunjucks and GOV.UK Frontend's macros.
//
// Templates can import GOV.UK Frontend components by their usual path, for
// example:
//   {% from "govuk/components/button/macro.njk" import govukButton %}

import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import nunjucks from 'nunjucks'
import { PHASES } from '../domain/schools/establishment-types.ts'
import { counted } from '../lib/plural.ts'
import { formatUkDate, formatUkDateTime, formatUkTime } from '../lib/uk-time.ts'
import { navigationFor } from './navigation.ts'

export interface RendererOptions {
  /** Our own templates. Defaults to src/web/views beside this file. */
  viewsDir?: string
  /** Cache compiled templates (true in production, false while developing). */
  cache: boolean
}

export interface Renderer {
  render(template: string, context: Record<string, unknown>): string
}

const require = createRequire(import.meta.url)

/** node_modules/govuk-frontend/dist, found the way Node finds the package. */
export function govukFrontendDist(): string {
  return path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist')
}

export const defaultViewsDir = fileURLToPath(new URL('./views/', import.meta.url))

const numberFormat = new Intl.NumberFormat('en-GB')

/** Dates arrive as Date objects, ISO strings or epoch milliseconds. */
function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined
  const date = value instanceof Date ? value : new Date(value as string | number)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** "5pm on 14 March 2025"; empty for a missing or invalid value. */
export function ukDateTimeFilter(value: unknown): string {
  const date = toDate(value)
  return date ? formatUkDateTime(date) : ''
}

/** "9:30am"; empty for a missing or invalid value. */
export function ukTimeFilter(value: unknown): string {
  const date = toDate(value)
  return date ? formatUkTime(date) : ''
}

/** "14 March 2025"; empty for a missing or invalid value. */
export function ukDateFilter(value: unknown): string {
  const date = toDate(value)
  return date ? formatUkDate(date) : ''
}

/** "12,345"; empty for a missing value; non-numbers are returned as text. */
export function numberFilter(value: unknown): string {
  if (value === null || value === undefined || value === '') return ''
  const n = Number(value)
  return Number.isFinite(n) ? numberFormat.format(n) : String(value)
}

/** Pence as pounds: "£2,000", or "£212.50" when there are pence. */
export function moneyFilter(value: unknown): string {
  const pence = Number(value)
  if (value === null || value === undefined || value === '' || !Number.isFinite(pence)) return ''
  const digits = pence % 100 === 0 ? 0 : 2
  return new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency: 'GBP',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(pence / 100)
}

/**
 * A count and its noun, pluralised: `{{ n | counted("application") }}` gives "1 application" or
 * "2 applications"; `{{ n | counted("person", "people") }}` for an irregular plural.
 */
export function countedFilter(value: unknown, one: string, many?: string): string {
  const n = Number(value)
  if (value === null || value === undefined || value === '' || !Number.isFinite(n)) return ''
  return counted(n, one, many)
}

/**
 * The error message for one form field, from a list of {text, href} errors,
 * in the shape GOV.UK Frontend's `errorMessage` option wants, or false.
 *
 *   errorMessage: errors | fieldError("q")
 */
export function fieldErrorFilter(errors: unknown, fieldId: string): { text: string } | false {
  if (!Array.isArray(errors)) return false
  for (const error of errors) {
    if (error && typeof error === 'object') {
      const { href, text } = error as { href?: unknown; text?: unknown }
      if (href === `#${fieldId}` && typeof text === 'string') return { text }
    }
  }
  return false
}

/** Phase choices for the schools search, as {value, text} (value is the URL slug). */
export const phaseOptions: ReadonlyArray<{ value: string; text: string }> = Object.entries(PHASES).map(
  ([value, text]) => ({ value, text }),
)

export function createRenderer(options: RendererOptions): Renderer {
  const viewsDir = options.viewsDir ?? defaultViewsDir
  const loader = new nunjucks.FileSystemLoader([viewsDir, govukFrontendDist()], {
    noCache: !options.cache,
    watch: false,
  })
  const env = new nunjucks.Environment(loader, {
    autoescape: true,
    throwOnUndefined: false,
  })

  env.addFilter('ukDateTime', ukDateTimeFilter)
  env.addFilter('ukDate', ukDateFilter)
  env.addFilter('ukTime', ukTimeFilter)
  env.addFilter('number', numberFilter)
  env.addFilter('money', moneyFilter)
  env.addFilter('counted', countedFilter)
  env.addFilter('fieldError', fieldErrorFilter)
  env.addGlobal('phaseOptions', phaseOptions)
  env.addGlobal('navigationFor', navigationFor)

  return {
    render(template, context) {
      const name = template.endsWith('.njk') ? template : `${template}.njk`
      return env.render(name, context)
    },
  }
}
