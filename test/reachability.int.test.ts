// Every page a role may use is linked: signed in as each demo person, following links only from
// the account page, the crawl reaches every page the access matrix allows that role. The pages to
// reach come from the routes the app registers and docs/permissions.md (the access matrix, which
// test/access-matrix.int.test.ts keeps equal to the table it enforces), so a new page is caught
// as soon as it is registered and given its row. The people come from the demo seeds.
//
// The demo has no applications yet, so before the crawl a programme's life is staged through the
// real use-cases (the same fixtures as the other tests): the teacher's application endorsed in the
// open cohort, a round being decided, a round whose decisions are released with the teacher
// selected, and an application assigned to a reviewer. A demo person with no column of their own
// (a second reviewer) is held to the column of the persona with the same roles.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import {
  essentialEvidence,
  HEAD,
  lastEndorsementToken,
  NORTHVALE_PRIMARY,
  OPEN_COHORT,
  TEACHING,
} from './application-fixtures.ts'
import { actorByEmail, contextFor, roundAt, submittedApplication } from './decision-fixtures.ts'
import { openSession, PERSONAS, type PersonaName } from './personas.ts'
import { DEMO_PERSONAS } from '../src/db/seeds/demo-people.ts'
import { ANONYMOUS } from '../src/domain/access/actor.ts'
import { requestEndorsement } from '../src/domain/applications/request-endorsement.ts'
import { respondToEndorsement } from '../src/domain/applications/respond-to-endorsement.ts'
import { saveApplication } from '../src/domain/applications/save-application.ts'
import { startApplication } from '../src/domain/applications/start-application.ts'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'

/** Pages nobody reaches by a link, by what they are (every rule says why). */
function notLinkedByDesign(route: string, signedIn: boolean): string | undefined {
  if (/:token\b/.test(route)) return 'opened from a single-use link in an email'
  if (route === '/healthz') return 'for load balancers, not people'
  if (route === '/calendar/:file')
    return 'a private calendar feed, opened by a calendar app at its secret address'
  if (route === '/work-group-sessions/:id/attend')
    return 'opened by an advocate at a Work Group session, from the address shown with its code'
  if (route.startsWith('/assets/')) return 'styles, scripts and images'
  if (route.startsWith('/sign-in/oidc')) return 'the organisation sign-in’s own steps'
  if (signedIn && /^\/(sign-in|create-account)(\/|$)/.test(route)) return 'for people who are not signed in'
  return undefined
}

/**
 * Pages whose data the staged programme does not hold, with the state they need. Keep this small:
 * a page belongs here only when no demo person can have such data yet.
 */
const NEEDS_DATA: Record<string, string> = {}

const ALLOWED = '✓'

/** docs/permissions.md: for each `GET` route, its "What" and whether each persona may use it. */
function permissions(): Map<string, { what: string; allowed: Set<string> }> {
  const lines = fs.readFileSync(path.resolve('docs/permissions.md'), 'utf8').split('\n')
  const header = lines.find((l) => l.startsWith('| Route |'))!
  const columns = header.split('|').map((c) => c.trim())
  const rows = new Map<string, { what: string; allowed: Set<string> }>()
  for (const line of lines) {
    const match = /^\| `GET ([^`]+)` \|/.exec(line)
    if (!match) continue
    const cells = line.split('|').map((c) => c.trim())
    const allowed = new Set(columns.filter((_c, i) => i > 2 && cells[i] === ALLOWED))
    rows.set(match[1]!, { what: cells[2]!, allowed })
  }
  return rows
}

let t: TestApp
let routes: { pattern: string; regex: RegExp; params: number }[]

function routeOf(url: string): string | undefined {
  const pathname = url.split('?')[0]!
  return routes.find((r) => r.regex.test(pathname))?.pattern
}

/** Follows links (`<a href>`) from /account as the person; answers the routes reached (200). */
async function crawl(personId: number): Promise<Set<string>> {
  const { cookie } = await openSession(t.database.db, personId, t.clock.now())
  const reached = new Set<string>()
  const fetchedPerRoute = new Map<string, number>()
  const seen = new Set<string>(['/account'])
  const queue = ['/account']
  while (queue.length > 0) {
    const url = queue.shift()!
    const route = routeOf(url)
    if (!route) continue
    const response = await t.app.inject({ method: 'GET', url, headers: { cookie: `mh_session=${cookie}` } })
    if (response.statusCode !== 200) continue
    reached.add(route)
    if (!String(response.headers['content-type']).startsWith('text/html')) continue
    for (const [, raw] of response.body.matchAll(/<a\b[^>]*\shref="([^"]+)"/g)) {
      const href = raw!.replace(/&amp;/g, '&').split('#')[0]!
      if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/assets/')) continue
      if (seen.has(href)) continue
      seen.add(href)
      const target = routeOf(href)
      if (!target) continue
      // A few of each kind of page are enough: one school's page is like another's.
      const count = fetchedPerRoute.get(target) ?? 0
      if (count >= 3) continue
      fetchedPerRoute.set(target, count + 1)
      queue.push(href)
    }
  }
  return reached
}

beforeAll(async () => {
  t = await createTestApp() // 10am on 22 November 2026
  const db = t.database.db
  routes = t.app.routeTable
    .filter((r) => r.method === 'GET')
    .map((r) => {
      const params = (r.url.match(/:/g) ?? []).length
      const source = r.url
        .split('/')
        .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/')
      return { pattern: r.url, regex: new RegExp(`^${source}$`), params }
    })
    // Fixed addresses win over ones with ids (/admin/people/new before /admin/people/:id).
    .sort((a, b) => a.params - b.params)

  // The teacher's application in the open cohort, endorsed by the headteacher.
  const teacher = await actorByEmail(db, PERSONAS.teacher)
  const asTeacher = contextFor(db, t.clock, teacher)
  const { application } = await startApplication(asTeacher, OPEN_COHORT)
  await saveApplication(asTeacher, application.id, {
    school: { urn: NORTHVALE_PRIMARY },
    teaching: TEACHING,
    evidence: essentialEvidence((await findCohort(db, OPEN_COHORT))!),
  })
  await requestEndorsement(asTeacher, application.id, HEAD)
  await respondToEndorsement(contextFor(db, t.clock, ANONYMOUS), await lastEndorsementToken(db), {
    decision: 'confirm',
  })
  // A round being decided (the hub lead proposes), and one whose decisions are released.
  await roundAt(db, t.clock, 'reviewing', { number: 901 })
  // A round whose decisions wait for NCETM's approval (which NCETM may send back).
  await roundAt(db, t.clock, 'confirmed', { number: 902 })
  // A round with decisions released: the teacher selected and offered a place.
  const round = await roundAt(db, t.clock, 'released', { number: 900, applicant: teacher })
  // A submitted application in the round's cohort.
  t.clock.set('2026-11-10T10:00:00Z')
  const assigned = await submittedApplication(db, t.clock, round.cohortId, 'Ava Assigned')
  t.clock.set('2026-11-22T10:00:00Z')
  // Its headteacher, named by the teacher, is one the service could not verify (the hub may ask again).
  await db
    .updateTable('applications')
    .set({ headteacher_verification: null, headteacher_verified_at: null })
    .where('id', '=', assigned.id)
    .execute()
  // Assigned to every demo reviewer.
  for (const persona of DEMO_PERSONAS.filter((p) => p.grants.some((g) => g.role === 'reviewer'))) {
    const reviewer = await actorByEmail(db, persona.email)
    if (reviewer.kind !== 'person') throw new Error('no reviewer')
    await db
      .insertInto('review_assignments')
      .values({
        application_id: assigned.id,
        reviewer_id: reviewer.personId,
        assigned_by: null,
        assigned_at: t.clock.now(),
      })
      .execute()
  }
})
afterAll(async () => {
  await t?.close()
})

const personaByEmail = new Map<string, PersonaName>(
  Object.entries(PERSONAS).flatMap(([name, email]) => (email ? [[email, name as PersonaName]] : [])),
)

/** The access matrix's column for a demo person: theirs, or that of a persona with the same roles. */
function columnOf(email: string): PersonaName | undefined {
  const own = personaByEmail.get(email)
  if (own) return own
  const roles = (e: string) =>
    JSON.stringify(
      DEMO_PERSONAS.find((p) => p.email === e)?.grants.map((g) => [g.role, g.hubId, g.schoolUrn]),
    )
  const twin = [...personaByEmail.keys()].find((other) => roles(other) === roles(email))
  return twin ? personaByEmail.get(twin) : undefined
}

describe('every page a role may use is linked', () => {
  it.each(DEMO_PERSONAS.map((p) => [p.name, p.email]))('for %s', async (_name, email) => {
    const column = columnOf(email)
    // Every demo person is a column of the access matrix.
    expect(column, `${email} has no column in docs/permissions.md`).toBeDefined()
    const person = await t.database.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    const table = permissions()
    const required = routes
      .map((r) => r.pattern)
      .filter((route) => {
        const row = table.get(route)
        if (!row || !row.allowed.has(column!)) return false
        if (row.what.startsWith('API:')) return false // the API's JSON, for programs
        return notLinkedByDesign(route, true) === undefined && !(route in NEEDS_DATA)
      })
    const reached = await crawl(person.id)
    const unreached = required.filter((route) => !reached.has(route)).sort()
    expect(unreached, `pages ${column} may use but cannot reach by links from /account`).toEqual([])
  })

  it('knows every page the app registers', () => {
    const table = permissions()
    const unknown = routes
      .map((r) => r.pattern)
      .filter((route) => !table.has(route) && !route.startsWith('/assets/'))
    expect(unknown, 'GET routes with no row in docs/permissions.md').toEqual([])
    for (const route of Object.keys(NEEDS_DATA)) expect(table.has(route), route).toBe(true)
  })
})
