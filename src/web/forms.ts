// zod results as the GOV.UK error summary wants them: [{ text, href }] plus a message per field.
import type { z } from 'zod'

export interface PageErrors {
  summary: { text: string; href: string }[]
  byField: Record<string, { text: string }>
}

export function toPageErrors(error: z.ZodError): PageErrors {
  const summary: PageErrors['summary'] = []
  const byField: PageErrors['byField'] = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form')
    if (byField[field]) continue
    byField[field] = { text: issue.message }
    summary.push({ text: issue.message, href: `#${field}` })
  }
  return { summary, byField }
}

/** Query string values arrive as a string, an array (repeated key) or nothing; keep the first. */
export function firstValues(query: unknown): Record<string, string> {
  const result: Record<string, string> = {}
  if (query && typeof query === 'object') {
    for (const [key, value] of Object.entries(query)) {
      const first = Array.isArray(value) ? value[0] : value
      if (typeof first === 'string') result[key] = first
    }
  }
  return result
}

/** A date typed as day, month and year, as the use-cases take it (YYYY-MM-DD); blank stays blank. */
export function dateFieldValue(body: Record<string, string>, name: string): string {
  const [day, month, year] = ['day', 'month', 'year'].map((p) => (body[`${name}.${p}`] ?? '').trim())
  if (!day && !month && !year) return ''
  if (![day, month, year].every((p) => /^\d{1,4}$/.test(p!))) return 'not-a-date'
  return `${year!.padStart(4, '0')}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`
}
