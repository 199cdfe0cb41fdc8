// What the hostile-input suites share: a test app that notes which route answered each request,
// signed-in people, sending forms and JSON, the checks every answer must pass, the "a refusal
// changes nothing" snapshot, and the tally of generated inputs (each property run counts one).
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { sql } from 'kysely'
import { expect } from 'vitest'
import { createApp } from '../../src/app.ts'
import { loadDemo } from '../../src/db/seeds/demo.ts'
import { fixedClock } from '../../src/lib/clock.ts'
import { waitForWorkAfterEachAnswer, type TestApp } from '../app.ts'
import {
  errorSummary,
  HEAD,
  lastEndorsementToken,
  NORTHVALE_PRIMARY,
  OPEN_COHORT,
  TEACHING,
} from '../application-fixtures.ts'
import { createTestDatabase } from '../database.ts'
import {
  awkwardString,
  hostileJson,
  hostileKey,
  hostileString,
  RAW_JSON,
  unescapedMarkup,
  wellFormed,
} from '../hostile-arbitraries.ts'
import { issueApiToken, openSession, signInPersonas, type PersonaName } from '../personas.ts'
import { recordShare } from './tally.ts'

/** Someone signed in: a session cookie with its CSRF token for pages, an API token for the API. */
export interface Person {
  personId: number | null
  email: string
  cookie: string
  csrf: string
  apiToken: string | null
}

export interface Reply {
  statusCode: number
  body: string
  headers: Record<string, string | string[] | number | undefined>
}

export type Field = [string, string]
export type Body = { json: unknown } | { raw: string; contentType?: string }
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** The app under test; each test file has its own (vitest gives each file its own modules). */
export let t: TestApp

// --- Which route answered: every request made inside a property run is noted by its route.

export interface RouteUse {
  /** Hostile requests the route answered. */
  requests: number
  /** Of those, the ones that got past sign-in and "not found" to the route's own work. */
  reached: number
}
export const routesHit = new Map<string, RouteUse>()
let inProperty = 0

/** Refusals that come before a route's own work: sign in first, no token, no such record. */
function reachedHandler(statusCode: number, location: string): boolean {
  if ([401, 403, 404].includes(statusCode)) return false
  return !(statusCode === 302 && location === '/sign-in')
}

// --- What the service logged: every line, checked after the file's requests (see expectCleanLog).

/** Every line the app of this file logged (at info and above). */
export const logLines: string[] = []

/**
 * What must never be logged, gathered as the file goes: the secrets of the people the harness
 * signs in, and (just before the database closes) every address and single-use link the database
 * knows of, so that the log can be checked after the app has gone.
 */
export const secrets = { emails: new Set<string>(), tokens: new Set<string>() }

/** Notes a secret the suite handled (a cookie, token or address), so the log check looks for it. */
export function noteSecret(kind: 'email' | 'token', value: string | null | undefined): void {
  if (!value) return
  ;(kind === 'email' ? secrets.emails : secrets.tokens).add(kind === 'email' ? value.toLowerCase() : value)
}

/** The tokens in emailed links: sign-in links, endorsement and confirmation links, place links. */
const LINK_TOKEN = /\/(?:sign-in\/link|endorse|confirm-headteacher|places)\/([A-Za-z0-9_-]{16,})/g

/** Every address and emailed single-use token the database holds, into `secrets`. */
export async function gatherSecrets(): Promise<void> {
  const db = t.database.db
  const { rows } = await sql<{ email: string | null }>`
    SELECT email FROM people UNION SELECT email FROM cohort_interest
    UNION SELECT headteacher_email FROM applications UNION SELECT headteacher_email FROM endorsement_requests
    UNION SELECT headteacher_email FROM headteacher_confirmations
    UNION SELECT contact_email FROM hubs UNION SELECT to_address FROM outbox`.execute(db)
  for (const row of rows) noteSecret('email', row.email)
  const outbox = await db.selectFrom('outbox').select('body_text').execute()
  for (const { body_text } of outbox)
    for (const m of body_text.matchAll(LINK_TOKEN)) noteSecret('token', m[1])
}

/** What a database error says, that must reach neither a client nor the log. */
export const DATABASE_WORDS: [string, RegExp][] = [
  [
    'an SQLSTATE',
    /\b(?:sqlstate|22021|22P02|22001|22003|22007|22008|22P05|23505|23503|23502|23514|23P01|40001|40P01|25P02|42703|42P01|42883|54000|08P01|XX000)\b/i,
  ],
  ['a key detail', /Key \(|\bDETAIL\b/],
  ['"violates"', /\bviolates\b/i],
  ['"constraint"', /\bconstraint\b/i],
  ['"duplicate key"', /duplicate key/i],
  ['"invalid byte sequence"', /invalid byte sequence/i],
  ['a stack trace', /\n\s+at [^\n]+:\d+:\d+|node:internal|\.ts:\d+:\d+/],
]

/** The first database word or stack trace in the text, named; undefined when there is none. */
export function databaseLeak(text: string): string | undefined {
  for (const [name, pattern] of DATABASE_WORDS) {
    const m = pattern.exec(text)
    if (m) return `${name} (${JSON.stringify(text.slice(Math.max(0, m.index - 60), m.index + 60))})`
  }
  return undefined
}

const ANY_EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g
const API_TOKEN = /mh_[A-Za-z0-9_-]{20,}/
/** Words that could be a token: the secrets are looked up among them (a set, so long logs stay quick). */
const TOKENISH = /[A-Za-z0-9_-]{16,}/g

/** Each log line that holds an address, a secret or a database detail, with what it holds. */
export function logProblems(lines: string[] = logLines): string[] {
  const problems: string[] = []
  for (const line of lines) {
    const found: string[] = []
    // An address may be logged percent-encoded, as part of a path or query.
    const readable = line.replace(/%40/gi, '@')
    for (const m of readable.matchAll(ANY_EMAIL)) {
      found.push(secrets.emails.has(m[0].toLowerCase()) ? `the known address ${m[0]}` : `the address ${m[0]}`)
    }
    for (const m of line.matchAll(TOKENISH)) {
      if (secrets.tokens.has(m[0])) found.push(`the secret ${m[0].slice(0, 6)}…`)
    }
    if (API_TOKEN.test(line)) found.push('an API token')
    if (/mh_session=/.test(line)) found.push('a session cookie')
    // A log may name a database error's SQLSTATE and constraint, never the values in its detail.
    if (/Key \(|\bDETAIL\b|"detail"\s*:/.test(line)) found.push('a database error detail')
    if (found.length > 0) problems.push(`${[...new Set(found)].join(', ')} in: ${line.slice(0, 400)}`)
  }
  return problems
}

/** After the file: the log names no address, no secret and no database detail. */
export function expectCleanLog(file: string): void {
  expect(logLines.length, `${file}: the service logged its requests`).toBeGreaterThan(0)
  const problems = logProblems()
  expect(problems.slice(0, 20), `${file}: ${problems.length} log lines leak`).toEqual([])
}

/** The test app: the real createApp on a fresh database with the demo loaded, as test/app.ts builds it. */
export async function openHostileApp(): Promise<TestApp> {
  const database = await createTestDatabase()
  const clock = fixedClock('2026-11-22T10:00:00Z')
  await loadDemo(database.db, clock)
  const app = await createApp({
    database,
    config: {
      logLevel: 'silent',
      cacheTemplates: true,
      baseUrl: 'http://localhost:3000',
      session: { idleMinutes: 60, absoluteHours: 12, secureCookies: false },
      oidc: undefined,
      // Hostile searches are to reach validation, not the per-address limit on searching.
      searchRateLimitPerMinute: 1_000_000,
    },
    clock,
    demo: true,
    // Collected as createTestApp({ logLines }) does, for the log check after the file's requests.
    logStream: { write: (line: string) => void logLines.push(line) },
  })
  app.addHook('onResponse', async (request, reply) => {
    if (inProperty === 0 || !request.routeOptions.url) return
    const key = `${request.method} ${request.routeOptions.url}`
    const use = routesHit.get(key) ?? { requests: 0, reached: 0 }
    use.requests++
    if (reachedHandler(reply.statusCode, String(reply.getHeader('location') ?? ''))) use.reached++
    routesHit.set(key, use)
  })
  await app.ready()
  const injectAnswerOnly = waitForWorkAfterEachAnswer(app)
  t = {
    app,
    database,
    clock,
    injectAnswerOnly,
    close: async () => {
      await gatherSecrets()
      await app.close()
      await database.destroy()
    },
  }
  return t
}

// --- The tally of generated inputs

let generated = 0

/** fc.asyncProperty, counting each run into this file's tally and noting the routes it reaches. */
export function asyncProperty<Ts extends [unknown, ...unknown[]]>(
  ...args: [
    ...arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
    predicate: (...values: Ts) => Promise<unknown>,
  ]
): fc.IAsyncPropertyWithHooks<Ts> {
  const predicate = args.pop() as (...values: Ts) => Promise<unknown>
  const arbitraries = args as unknown as { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }
  return fc.asyncProperty<Ts>(...arbitraries, async (...values: Ts) => {
    generated++
    inProperty++
    try {
      await predicate(...values)
    } finally {
      inProperty--
    }
  })
}

/** The inputs generated so far in this file. */
export function inputsGenerated(): number {
  return generated
}

/**
 * After the file: checks it generated at least its share, and records the count for the run's
 * total (the last hostile file to finish checks the total; see tally.ts).
 */
export async function finishShare(file: string): Promise<void> {
  let short: unknown
  try {
    await recordShare(file, generated)
  } catch (error) {
    short = error
  }
  // Files that drive the app (not the imports, which have none) check what it logged, whatever the count.
  if (t) expectCleanLog(file)
  if (short) throw short
}

/** Counts inputs sent outside a property (a table of cases, each request one input). */
export function countInputs(n: number): void {
  generated += n
}

// --- People

/** Names the person in a counterexample, instead of printing their secrets. */
export function labelled(person: Person, label: string): Person {
  noteSecret('token', person.cookie)
  noteSecret('token', person.csrf)
  noteSecret('token', person.apiToken)
  noteSecret('email', person.email)
  return Object.assign(person, { [fc.toStringMethod]: () => label })
}

/** The demo personas, signed in. */
export async function personas(): Promise<Record<PersonaName, Person>> {
  const clients = await signInPersonas(t)
  return Object.fromEntries(
    Object.entries(clients).map(([name, c]) => [
      name,
      labelled(
        { personId: c.personId, email: '', cookie: c.cookie!, csrf: c.csrf, apiToken: c.apiToken },
        name,
      ),
    ]),
  ) as Record<PersonaName, Person>
}

/** A fresh visitor with a session of their own (for routes that end or replace the session). */
export async function freshVisitor(): Promise<Person> {
  const { cookie, csrf } = await openSession(t.database.db, null, t.clock.now())
  return labelled({ personId: null, email: '', cookie, csrf, apiToken: null }, 'a fresh visitor')
}

export async function newTeacher(): Promise<Person> {
  const db = t.database.db
  const now = t.clock.now()
  const email = `teacher-${randomUUID()}@school.example`
  const person = await db
    .insertInto('people')
    .values({ name: 'Tess Teacher', email })
    .returning('id')
    .executeTakeFirstOrThrow()
  const grant = await db
    .insertInto('grants')
    .values({ person_id: person.id, role: 'teacher' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const { cookie, csrf } = await openSession(db, person.id, now)
  const apiToken = await issueApiToken(db, person.id, grant.id, now)
  return labelled({ personId: person.id, email, cookie, csrf, apiToken }, `teacher ${person.id}`)
}

export async function started(teacher: Person, cohortId = OPEN_COHORT): Promise<number> {
  const reply = await api(teacher, 'POST', '/api/v1/applications', { json: { cohortId } })
  expect(reply.statusCode, reply.body).toBe(201)
  return (JSON.parse(reply.body) as { id: number }).id
}

/** A started application with every part answered. */
export async function completed(teacher: Person): Promise<number> {
  const id = await started(teacher)
  const evidence = Object.fromEntries(
    ['teaches-maths', 'time-commitment', 'good-teaching', 'enthusiasm', 'collaboration'].map((c) => [
      c,
      `My evidence for ${c}.`,
    ]),
  )
  const reply = await api(teacher, 'PATCH', `/api/v1/applications/${id}`, {
    json: { school: { urn: NORTHVALE_PRIMARY }, teaching: TEACHING, evidence },
  })
  expect(reply.statusCode, reply.body).toBe(200)
  return id
}

/** Asks the headteacher to endorse the application; the token of the link they are emailed. */
export async function askHeadteacher(teacher: Person, id: number): Promise<string> {
  // Setting up asks headteachers far more often than a person could: the limit is tested elsewhere.
  await t.database.db.deleteFrom('rate_limits').where('key', 'like', 'headteacher-request:%').execute()
  const reply = await api(teacher, 'POST', `/api/v1/applications/${id}/headteacher`, { json: HEAD })
  expect(reply.statusCode, reply.body).toBe(200)
  return lastEndorsementToken(t.database.db)
}

// --- Sending input

export async function page(client: Person, method: Method, url: string, fields?: Field[]): Promise<Reply> {
  const headers: Record<string, string> = { cookie: `mh_session=${client.cookie}` }
  if (method === 'GET') return t.app.inject({ method, url, headers })
  headers['content-type'] = 'application/x-www-form-urlencoded'
  const payload = new URLSearchParams([['_csrf', client.csrf], ...(fields ?? [])]).toString()
  return t.app.inject({ method, url, headers, payload })
}

export async function api(
  client: Person,
  method: Method,
  url: string,
  body?: Body,
  extraHeaders: Record<string, string> = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...extraHeaders }
  if (client.apiToken) headers.authorization = `Bearer ${client.apiToken}`
  if (!body) return t.app.inject({ method, url, headers })
  if ('json' in body) {
    headers['content-type'] = 'application/json'
    return t.app.inject({ method, url, headers, payload: JSON.stringify(body.json) ?? 'null' })
  }
  headers['content-type'] = body.contentType ?? 'application/json'
  return t.app.inject({ method, url, headers, payload: body.raw })
}

/** A query string of the pairs, lone surrogates replaced as a browser would. */
export function query(pairs: Field[]): string {
  const text = new URLSearchParams(pairs.map(([k, v]) => [wellFormed(k), wellFormed(v)])).toString()
  return text ? `?${text}` : ''
}

// --- What every answer must be

/**
 * A page's answer: no 5xx, markup escaped, and a 422 shows what is wrong and links to the field.
 * Links to fields the page has no box for (an evidence-<id> no criterion has) need not land.
 */
export function expectPage(reply: Reply, unlinkable: (href: string) => boolean = () => false): void {
  expect(reply.statusCode, reply.body.slice(0, 2000)).toBeLessThan(500)
  if (String(reply.headers['content-type']).startsWith('text/html')) {
    expect(unescapedMarkup(reply.body)).toBeUndefined()
  }
  if (reply.statusCode === 422) {
    const items = errorSummary(reply.body)
    expect(items.length, 'a 422 page shows the error summary').toBeGreaterThan(0)
    for (const item of items) {
      expect(item.text).not.toBe('')
      // A link to a field goes to that field on the page.
      if (item.href.startsWith('#') && !unlinkable(item.href)) {
        expect(reply.body).toContain(`id="${item.href.slice(1)}"`)
      }
    }
  }
}

/** Refusals that are about no field: no token, no such record, a clash, too long an address, too many requests. */
export const FIELDLESS = new Set([401, 404, 409, 414, 429])

/** An API answer: no 5xx, JSON, and a refusal lists its errors, each naming its field. */
export function expectApi(reply: Reply): void {
  expect(reply.statusCode, reply.body.slice(0, 2000)).toBeLessThan(500)
  if (reply.statusCode === 204) return expect(reply.body).toBe('')
  expect(String(reply.headers['content-type'])).toMatch(/^application\/json/)
  if (reply.statusCode < 400) return
  const body = JSON.parse(reply.body) as { errors?: { code?: unknown; field?: unknown; message?: unknown }[] }
  expect(Array.isArray(body.errors) && body.errors.length > 0, reply.body).toBe(true)
  for (const error of body.errors!) {
    expect(typeof error.code === 'string' && error.code !== '', reply.body).toBe(true)
    expect(typeof error.message === 'string' && error.message !== '', reply.body).toBe(true)
    if (!FIELDLESS.has(reply.statusCode) && error.code !== 'unreadable-address') {
      expect(typeof error.field === 'string' && error.field !== '', reply.body).toBe(true)
    }
  }
}

/** Pages that show what was saved: each must show the saved markup escaped. */
export async function expectShownEscaped(client: Person, urls: string[]): Promise<void> {
  for (const url of urls) {
    const reply = await page(client, 'GET', url)
    expect(reply.statusCode, url).toBeLessThan(500)
    expect(unescapedMarkup(reply.body), url).toBeUndefined()
  }
}

/**
 * Everything a request could change: each table's rows, as a count and a sum of the rows' hashes
 * (any row added, changed or removed changes it).
 * Sessions and rate-limit windows change with every request, refused or not, as does an API
 * token's "last used"; the register (schools and their links) is changed only by imports.
 */
const VOLATILE_TABLES = new Set(['sessions', 'rate_limits', 'schema_migrations', 'schools', 'school_links'])
let tables: string[] | undefined

export async function snapshot(): Promise<Record<string, unknown>> {
  const db = t.database.db
  tables ??= (
    await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db)
  ).rows
    .map((r) => r.table_name)
    .filter((name) => !VOLATILE_TABLES.has(name))
  const parts = tables.map(
    (name) => sql`SELECT ${name} AS name, count(*)::int AS rows,
      coalesce(sum(hashtext((to_jsonb(x) - 'last_used_at')::text)), 0)::text AS digest
      FROM ${sql.table(name)} x`,
  )
  const { rows } = await sql<{
    name: string
    rows: number
    digest: string
  }>`${sql.join(parts, sql` UNION ALL `)}`.execute(db)
  return Object.fromEntries(rows.map((r) => [r.name, `${r.rows} ${r.digest}`]))
}

/** Sends the request and checks its answer; a refusal (4xx) must have changed nothing. */
export async function exchange(send: () => Promise<Reply>, check: (reply: Reply) => void): Promise<Reply> {
  const before = await snapshot()
  const reply = await send()
  check(reply)
  if (reply.statusCode >= 400) expect(await snapshot(), 'a refusal changed nothing').toEqual(before)
  return reply
}

// --- Arbitraries for forms and bodies

/** Numbers as text that overflow a database integer, or look like numbers and are not. */
export const NUMBERISH = [
  '2147483647',
  '2147483648',
  '-2147483649',
  '99999999999',
  '9007199254740993',
  '1e20',
  '1e-7',
  '0.5',
  '-0',
  '00000000000000000001',
  ' 7 ',
  '7 7',
  '٣',
]

/** A value for a field: hostile text, or a number that is too big or not quite one. */
export const hostileValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(...NUMBERISH) },
)

export const sometimes = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 1, arbitrary: valid }, { weight: 2, arbitrary: hostileValue })

/** Form fields: each present once, missing, or repeated; then some hostile extra fields. */
export function formFields(spec: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Field[]> {
  const fields = Object.fromEntries(
    Object.entries(spec).map(([name, value]) => [
      name,
      fc.oneof(
        { weight: 8, arbitrary: value.map((v): Field[] => [[name, v]]) },
        { weight: 1, arbitrary: fc.constant<Field[]>([]) },
        {
          weight: 1,
          arbitrary: fc
            .array(value, { minLength: 2, maxLength: 3 })
            .map((vs) => vs.map((v): Field => [name, v])),
        },
      ),
    ]),
  )
  return fc
    .tuple(fc.record(fields), fc.array(fc.tuple(hostileKey, hostileString), { maxLength: 2 }))
    .map(([byName, extras]) => [...Object.values(byName).flat(), ...extras])
}

/** A valid form with one field hostile, so the request gets as far as it can. */
export function formWithOneHostile(valid: Record<string, string>): fc.Arbitrary<Field[]> {
  return fc
    .tuple(fc.constantFrom(...Object.keys(valid)), hostileValue)
    .map(([name, value]) => Object.entries(valid).map(([k, v]): Field => [k, k === name ? value : v]))
}

/** Every field the route reads, hostile; with the valid values given some of the time. */
export function hostileForm(
  names: string[],
  valid: Record<string, fc.Arbitrary<string>> = {},
): fc.Arbitrary<Field[]> {
  return formFields(
    Object.fromEntries(names.map((name) => [name, valid[name] ? sometimes(valid[name]) : hostileValue])),
  )
}

/** A valid object with one field any JSON at all. */
export function objectWithOneHostile(valid: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(fc.constantFrom(...Object.keys(valid)), fc.oneof(hostileJson, hostileString, awkwardString))
    .map(([name, value]) => ({ ...valid, [name]: value }))
}

/** A JSON body: the shape asked for, any JSON at all, or bytes that are not JSON. */
export function jsonBody(shaped: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 6, arbitrary: shaped.map((json): Body => ({ json })) },
    { weight: 2, arbitrary: hostileJson.map((json): Body => ({ json })) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_JSON).map((raw): Body => ({ raw })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(hostileString, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'text/html'))
        .map(([raw, contentType]): Body => ({ raw: wellFormed(raw), contentType })),
    },
  )
}

/** An object of the fields, each the shaped value, any JSON, or missing; with hostile extra keys. */
export function jsonObject(spec: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const fields = Object.fromEntries(
    Object.entries(spec).map(([name, value]) => [
      name,
      fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: hostileJson }),
    ]),
  )
  return fc
    .tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(hostileKey, hostileJson, { maxKeys: 1 }))
    .chain(([object, extra]) => fc.constantFrom(object, { ...extra, ...object }))
}

export { HEAD, NORTHVALE_PRIMARY, OPEN_COHORT, TEACHING }
