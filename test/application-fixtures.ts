// What the tests (and the deadline-surge bench) of the application round share: the demo round's
// facts, a teacher's answers, the headteacher's emailed link, and reading pages as text.
import type { Executor } from '../src/db/database.ts'
import type { Criterion } from '../src/db/schema.ts'

/** The demo's open cohort: at 10am on 22 November 2026 it closes at 5pm on 21 January 2027. */
export const OPEN_COHORT = 'primary-mastery-specialist-13'
/** Christ Church Primary School, served by Northvale Maths Hub; Helen Morris is its headteacher. */
export const NORTHVALE_PRIMARY = 990_001
export const HEAD = { name: 'Helen Morris', email: 'helen.morris@school.example' }
/** Kingsmead Primary Academy, also served by Northvale: the service knows no headteacher there. */
export const KINGSMEAD_PRIMARY = 990_018

/** Complete teaching details. */
export const TEACHING = {
  hasQts: true,
  trn: '1234567',
  yearsTeachingMaths: 6,
  currentRole: 'Year 4 teacher and maths lead',
  classesTaught: 'Year 4',
}

/** An answer to every written essential criterion of a cohort. */
export function essentialEvidence(cohort: { essentialCriteria: Criterion[] }): Record<string, string> {
  return Object.fromEntries(
    cohort.essentialCriteria
      .filter((c) => c.wordLimit !== null)
      .map((c) => [c.id, `I meet “${c.text}” because of my work this year.`]),
  )
}

/** The token in the newest endorsement link emailed to the address (a request or a reminder). */
export async function lastEndorsementToken(
  db: Executor,
  email = HEAD.email,
  templates: ('endorsement-request' | 'endorsement-reminder')[] = ['endorsement-request'],
): Promise<string> {
  const row = await db
    .selectFrom('outbox')
    .select('body_text')
    .where('to_address', '=', email)
    .where('template', 'in', templates)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const token = /\/endorse\/([A-Za-z0-9_-]+)/.exec(row.body_text)?.[1]
  if (!token) throw new Error(`The newest endorsement email to ${email} has no link`)
  return token
}

/** A page's text: tags removed, common entities read, white space collapsed. */
export function pageText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The items of a page's GOV.UK error summary, with their links as written. */
export function errorSummary(html: string): { text: string; href: string }[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? ''
  return [...summary.matchAll(/<li>\s*(?:<a href="([^"]*)">)?([\s\S]*?)(?:<\/a>)?\s*<\/li>/g)].map((m) => ({
    href: m[1] ?? '',
    text: pageText(m[2] ?? ''),
  }))
}
