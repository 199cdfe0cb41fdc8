// The whole access matrix: every route the app registers, asked by every role. Each role sees
// exactly its own data; a record it may not see answers 404; anonymous visitors are sent to sign
// in (pages) or get 401 (API). docs/permissions.md is generated from this table and checked here.
import fs from 'node:fs'
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { cohortInputWith, ensureCohort } from './cohort-factory.ts'
import { PERSONA_NAMES, request, signInPersonas, type Client, type PersonaName } from './personas.ts'

type Outcome = 'ok' | 'not-found' | 'sign-in' | 'unauthenticated'

interface Check {
  method: string
  route: string
  /** Builds the concrete request, setting up a fresh target when the route changes state. */
  prepare(): Promise<{ url: string; body?: Record<string, unknown> }>
  /** Who may: everyone else gets 404 (or must sign in). */
  allowed: PersonaName[] | 'everyone' | 'signed-in'
  /** What success looks like: a status. */
  success: number
  note: string
  /** Routes that end or replace the session get a fresh client for each role. */
  freshClient?: boolean
  /** A change of state: each success must leave an audit row with its request id. */
  audited?: boolean | 'signed-in'
}

const HUB = 'northvale-maths-hub'
const SCHOOL = 990_001 // in Northvale's area; Helen Morris is its headteacher
const PEOPLE_OF_NCETM: PersonaName[] = ['nationalAdmin', 'nationalViewer']
const HUB_TEAM_VIEWERS: PersonaName[] = [...PEOPLE_OF_NCETM, 'hubLead', 'hubAdmin']
const HUB_TEAM_MANAGERS: PersonaName[] = ['nationalAdmin', 'hubLead']

let t: TestApp
let clients: Record<PersonaName, Client>
let checks: Check[]
let nextCohortNumber = 100

async function personId(email: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.id
}

/** A fresh Northvale reviewer, so each role's revoke attempt has a live grant to aim at. */
async function freshReviewerGrant(): Promise<number> {
  const person = await t.database.db
    .insertInto('people')
    .values({ name: 'Fresh Reviewer', email: `reviewer-${randomUUID()}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const grant = await t.database.db
    .insertInto('grants')
    .values({ person_id: person.id, role: 'reviewer', hub_id: HUB })
    .returning('id')
    .executeTakeFirstOrThrow()
  return grant.id
}

async function freshTokenOfHubLead(): Promise<number> {
  const owner = await personId('priya.shah@northvale.mathshub.example')
  const grant = await t.database.db
    .selectFrom('grants')
    .select('id')
    .where('person_id', '=', owner)
    .executeTakeFirstOrThrow()
  const row = await t.database.db
    .insertInto('api_tokens')
    .values({
      person_id: owner,
      name: 'fresh',
      token_hash: randomUUID(),
      token_prefix: 'mh_fresh',
      grant_id: grant.id,
      created_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

function buildChecks(): Check[] {
  const get = (route: string, allowed: Check['allowed'], note: string, url = route): Check => ({
    method: 'GET',
    route,
    prepare: async () => ({ url }),
    allowed,
    success: 200,
    note,
  })
  return [
    get('/', 'everyone', 'Home'),
    get('/find-your-hub', 'everyone', 'Find your hub', '/find-your-hub?q=oakfield'),
    get('/hubs', 'everyone', 'Hubs'),
    get('/hubs/:id', 'everyone', 'A hub', `/hubs/${HUB}`),
    get('/schools', 'everyone', 'The register'),
    get('/schools/:urn', 'everyone', 'A school', `/schools/${SCHOOL}`),
    get('/accessibility', 'everyone', 'Accessibility statement'),
    get('/privacy', 'everyone', 'Privacy notice'),
    get('/cookies', 'everyone', 'Cookies'),
    get('/healthz', 'everyone', 'Health check'),
    get('/api/v1/openapi.json', 'everyone', 'OpenAPI document'),
    get('/api/v1/schools', 'everyone', 'API: the register'),
    get('/api/v1/schools/:urn', 'everyone', 'API: a school', `/api/v1/schools/${SCHOOL}`),
    get('/api/v1/hubs', 'everyone', 'API: hubs'),
    get('/api/v1/hubs/:id', 'everyone', 'API: a hub', `/api/v1/hubs/${HUB}`),
    get('/api/v1/find-hub', 'everyone', 'API: find your hub', '/api/v1/find-hub?q=oakfield'),
    get('/sign-in', 'everyone', 'Sign in'),
    get('/sign-in/check-your-email', 'everyone', 'Sign in: check your email'),
    get(
      '/sign-in/link/:token',
      'everyone',
      'Sign in: the emailed link',
      '/sign-in/link/abcdefghijklmnopqrstuvwxyz',
    ),
    {
      method: 'POST',
      route: '/sign-in',
      prepare: async () => ({ url: '/sign-in', body: { email: `nobody-${randomUUID()}@school.example` } }),
      allowed: 'everyone',
      success: 303,
      note: 'Ask for a sign-in link',
    },
    get('/create-account', 'everyone', 'Create an account (to apply)'),
    {
      method: 'POST',
      route: '/create-account',
      prepare: async () => {
        // One address asks for each role here; the per-address limit is tested elsewhere.
        await t.database.db.deleteFrom('rate_limits').where('key', 'like', 'create-account:%').execute()
        return {
          url: '/create-account',
          body: { name: 'New Teacher', email: `teacher-${randomUUID()}@school.example` },
        }
      },
      allowed: 'everyone',
      success: 303,
      note: 'Create an account: a teacher’s role and an emailed sign-in link',
      audited: true,
    },
    {
      method: 'POST',
      route: '/sign-in/link/:token',
      prepare: async () => ({ url: '/sign-in/link/abcdefghijklmnopqrstuvwxyz' }),
      allowed: 'everyone',
      success: 410,
      note: 'Use a sign-in link (this one is unknown)',
    },
    {
      method: 'POST',
      route: '/sign-out',
      prepare: async () => ({ url: '/sign-out' }),
      allowed: 'everyone',
      success: 303,
      note: 'Sign out',
      audited: 'signed-in',
      freshClient: true,
    },
    get('/demo/personas', 'everyone', 'Demo only: sign in as a demo person'),
    get('/demo/emails', 'everyone', 'Demo only: emails the demo would have sent'),
    {
      method: 'POST',
      route: '/demo/personas/:personId',
      prepare: async () => ({ url: `/demo/personas/${await personId('amir.hussain@school.example')}` }),
      allowed: 'everyone',
      success: 303,
      note: 'Demo only: sign in as a demo person',
      audited: true,
      freshClient: true,
    },
    get('/account', 'signed-in', 'Your account'),
    get('/account/api-tokens', 'signed-in', 'Your API tokens'),
    {
      method: 'POST',
      route: '/account/api-tokens',
      prepare: async () => ({ url: '/account/api-tokens', body: { name: 'Matrix token', grantId: '' } }),
      allowed: 'signed-in',
      success: 422,
      note: 'Create an API token (here without choosing a role: refused with a message)',
    },
    {
      method: 'POST',
      route: '/account/api-tokens/:id/revoke',
      prepare: async () => ({ url: `/account/api-tokens/${await freshTokenOfHubLead()}/revoke` }),
      allowed: ['nationalAdmin', 'hubLead'],
      success: 303,
      note: 'Revoke an API token (a hub lead’s: the owner, or a national administrator)',
      audited: true,
    },
    get('/hubs/:id/team', HUB_TEAM_VIEWERS, 'A hub’s team', `/hubs/${HUB}/team`),
    {
      method: 'POST',
      route: '/hubs/:id/team',
      prepare: async () => ({
        url: `/hubs/${HUB}/team`,
        body: { email: `new-${randomUUID()}@school.example`, name: 'New Reviewer', role: 'reviewer' },
      }),
      allowed: HUB_TEAM_MANAGERS,
      success: 303,
      note: 'Add someone to a hub’s team',
      audited: true,
    },
    {
      method: 'POST',
      route: '/grants/:id/revoke',
      prepare: async () => ({
        url: `/grants/${await freshReviewerGrant()}/revoke`,
        body: { next: `/hubs/${HUB}/team` },
      }),
      allowed: HUB_TEAM_MANAGERS,
      success: 303,
      note: 'Take a hub role away',
      audited: true,
    },
    get('/admin/people', PEOPLE_OF_NCETM, 'Everyone, and their roles'),
    get('/admin/people/new', ['nationalAdmin'], 'Add a person or role'),
    {
      method: 'POST',
      route: '/admin/people/new',
      prepare: async () => ({
        url: '/admin/people/new',
        body: { email: `viewer-${randomUUID()}@ncetm.example`, name: 'New Viewer', role: 'national-viewer' },
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Add a person or role',
      audited: true,
    },
    get(
      '/people/:id',
      [...HUB_TEAM_VIEWERS, 'reviewer'],
      'A person (here a Northvale reviewer: NCETM, her hub’s leads and administrators, and herself)',
      '/people/PERSON',
    ),
    {
      method: 'POST',
      route: '/people/:id/grants',
      prepare: async () => ({
        url: `/people/${await personId('grace.lee@northvale.mathshub.example')}/grants`,
        body: { role: 'teacher' },
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Give a person a role',
      audited: true,
    },
    get(
      '/schools/:urn/people',
      [...HUB_TEAM_VIEWERS, 'headteacher'],
      'A school’s people (NCETM, the hub serving it, its own contacts)',
      `/schools/${SCHOOL}/people`,
    ),
    get('/admin/hubs/:id', ['nationalAdmin'], 'Edit a hub', `/admin/hubs/${HUB}`),
    {
      method: 'POST',
      route: '/admin/hubs/:id',
      prepare: async () => ({
        url: `/admin/hubs/${HUB}`,
        body: { name: 'Northvale Maths Hub', contactEmail: 'northvale@mathshub.example' },
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Change a hub’s name and contacts',
      audited: true,
    },
    {
      method: 'POST',
      route: '/admin/hubs/:id/areas',
      prepare: async () => ({ url: `/admin/hubs/${HUB}/areas`, body: { laCode: '958' } }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Give a local authority to a hub',
      audited: true,
    },
    {
      method: 'POST',
      route: '/admin/hubs/:id/areas/:laCode/remove',
      prepare: async () => {
        await t.database.db
          .insertInto('hub_areas')
          .values({ la_code: '958', la_name: 'Farthingdale', hub_id: HUB, import_id: null })
          .onConflict((oc) => oc.column('la_code').doUpdateSet({ hub_id: HUB }))
          .execute()
        return { url: `/admin/hubs/${HUB}/areas/958/remove` }
      },
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Take a local authority from a hub',
      audited: true,
    },
    get('/admin/audit', ['nationalAdmin'], 'The audit trail'),
    get('/api/v1/programmes', 'everyone', 'API: the programme catalogue'),
    get(
      '/api/v1/programmes/:id',
      'everyone',
      'API: a programme and its cohorts',
      '/api/v1/programmes/primary-mastery-specialist',
    ),
    {
      method: 'GET',
      route: '/api/v1/cohorts/:id',
      prepare: async () => ({ url: `/api/v1/cohorts/${await ensureCohort(t.database.db)}` }),
      allowed: 'everyone',
      success: 200,
      note: 'API: a cohort, its application window and whether it is open',
    },
    {
      method: 'POST',
      route: '/api/v1/cohorts',
      prepare: async () => ({
        url: '/api/v1/cohorts',
        body: cohortInputWith({ number: nextCohortNumber++ }),
      }),
      allowed: ['nationalAdmin'],
      success: 201,
      note: 'API: set up a cohort',
      audited: true,
    },
    get(
      '/api/v1/eligibility',
      'everyone',
      'API: whether a school can take part in a programme',
      `/api/v1/eligibility?urn=${SCHOOL}&programme=primary-mastery-specialist`,
    ),
    get('/api/v1/me', 'signed-in', 'API: who the token acts as'),
    get('/api/v1/hubs/:id/team', HUB_TEAM_VIEWERS, 'API: a hub’s team', `/api/v1/hubs/${HUB}/team`),
    {
      method: 'POST',
      route: '/api/v1/hubs/:id/team',
      prepare: async () => ({
        url: `/api/v1/hubs/${HUB}/team`,
        body: { email: `api-${randomUUID()}@school.example`, name: 'Api Reviewer', role: 'reviewer' },
      }),
      allowed: HUB_TEAM_MANAGERS,
      success: 201,
      note: 'API: add someone to a hub’s team',
      audited: true,
    },
    {
      method: 'DELETE',
      route: '/api/v1/grants/:id',
      prepare: async () => ({ url: `/api/v1/grants/${await freshReviewerGrant()}` }),
      allowed: HUB_TEAM_MANAGERS,
      success: 204,
      note: 'API: take a hub role away',
      audited: true,
    },
    get(
      '/api/v1/people/:id',
      [...HUB_TEAM_VIEWERS, 'reviewer'],
      'API: a person (a Northvale reviewer)',
      '/api/v1/people/PERSON',
    ),
    get(
      '/api/v1/schools/:urn/people',
      [...HUB_TEAM_VIEWERS, 'headteacher'],
      'API: a school’s people',
      `/api/v1/schools/${SCHOOL}/people`,
    ),
    get('/api/v1/audit', ['nationalAdmin'], 'API: the audit trail'),
  ]
}

function expectedOutcome(check: Check, persona: PersonaName): Outcome {
  if (check.allowed === 'everyone') return 'ok'
  if (persona === 'anonymous') return check.route.startsWith('/api/') ? 'unauthenticated' : 'sign-in'
  if (check.allowed === 'signed-in') return 'ok'
  return check.allowed.includes(persona) ? 'ok' : 'not-found'
}

function statusFor(check: Check, outcome: Outcome): number {
  return { ok: check.success, 'not-found': 404, 'sign-in': 302, unauthenticated: 401 }[outcome]
}

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
  checks = buildChecks()
})
afterAll(async () => {
  await t?.close()
})

describe('the access matrix', () => {
  it('has a row for every route the app registers', () => {
    const registered = t.app.routeTable
      .filter((r) => !r.url.startsWith('/assets/'))
      .map((r) => `${r.method} ${r.url}`)
      .sort()
    const covered = checks.map((c) => `${c.method} ${c.route}`).sort()
    expect(covered).toEqual(registered)
  })

  it('answers every role exactly as the matrix says', async () => {
    const grace = await personId('grace.lee@northvale.mathshub.example')
    const failures: string[] = []
    for (const check of checks) {
      for (const persona of PERSONA_NAMES) {
        // Each role gets its own fresh client for sign-out, which ends the session it is given.
        const client = check.freshClient ? (await signInPersonas(t))[persona] : clients[persona]
        const { url, body } = await check.prepare()
        const response = await request(t, client, check.method, url.replace('PERSON', String(grace)), body)
        const outcome = expectedOutcome(check, persona)
        const status = statusFor(check, outcome)
        const location = String(response.headers.location ?? '')
        const ok = response.statusCode === status && (outcome !== 'sign-in' || location === '/sign-in')
        if (!ok)
          failures.push(
            `${check.method} ${url} as ${persona}: expected ${status}, got ${response.statusCode} ${location}`,
          )
        // Every change of state made here is in the audit trail, under this request's id.
        const changed =
          outcome === 'ok' &&
          (check.audited === true || (check.audited === 'signed-in' && persona !== 'anonymous'))
        if (changed) {
          const requestId = String(response.headers['x-request-id'])
          const rows = await t.database.db
            .selectFrom('audit_events')
            .select('id')
            .where('request_id', '=', requestId)
            .execute()
          if (rows.length === 0)
            failures.push(`${check.method} ${url} as ${persona}: no audit row for ${requestId}`)
        }
      }
    }
    expect(failures).toEqual([])
  })

  it('is written down in docs/permissions.md', () => {
    const columns = PERSONA_NAMES
    const mark: Record<Outcome, string> = {
      ok: '✓',
      'not-found': '404',
      'sign-in': 'sign in',
      unauthenticated: '401',
    }
    const lines = [
      '# Permissions',
      '',
      'Generated by test/access-matrix.int.test.ts from the matrix it enforces; do not edit by hand',
      '(run `UPDATE_PERMISSIONS_DOC=1 npx vitest run --project integration test/access-matrix.int.test.ts`).',
      '',
      '✓: allowed. 404: answered "not found", so the record’s existence is not revealed. sign in: the',
      'page sends an anonymous visitor to sign in. 401: the API needs a token. Hub roles are shown for',
      'Northvale Maths Hub’s records; "other hub lead" leads a different hub. The school is one in',
      'Northvale’s area whose headteacher is the "headteacher".',
      '',
      `| Route | What | ${columns.join(' | ')} |`,
      `| --- | --- | ${columns.map(() => '---').join(' | ')} |`,
      ...checks.map(
        (c) =>
          `| \`${c.method} ${c.route}\` | ${c.note} | ${columns.map((p) => mark[expectedOutcome(c, p)]).join(' | ')} |`,
      ),
      '',
    ]
    const text = lines.join('\n')
    const file = path.resolve('docs/permissions.md')
    if (process.env.UPDATE_PERMISSIONS_DOC) fs.writeFileSync(file, text)
    expect(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').toBe(text)
  })
})

describe('cross-hub and cross-school requests by id', () => {
  it('answer 404 in pages and the API', async () => {
    const priya = clients.hubLead
    for (const url of [
      '/hubs/riverside-maths-hub/team',
      '/api/v1/hubs/riverside-maths-hub/team',
      '/admin/hubs/riverside-maths-hub',
    ]) {
      expect((await request(t, priya, 'GET', url)).statusCode, url).toBe(404)
    }
    const riversideSchool = await t.database.db
      .selectFrom('schools')
      .select('urn')
      .where('la_code', '=', '953')
      .executeTakeFirstOrThrow()
    expect(
      (await request(t, clients.headteacher, 'GET', `/schools/${riversideSchool.urn}/people`)).statusCode,
    ).toBe(404)
    expect(
      (await request(t, clients.hubLead, 'GET', `/api/v1/schools/${riversideSchool.urn}/people`)).statusCode,
    ).toBe(404)
    const ruth = await personId('ruth.okafor@riverside.mathshub.example')
    expect((await request(t, priya, 'GET', `/people/${ruth}`)).statusCode).toBe(404)
    // Writes too: Priya cannot add to Riverside's team.
    const write = await request(t, priya, 'POST', '/hubs/riverside-maths-hub/team', {
      email: 'x@school.example',
      name: 'X',
      role: 'reviewer',
    })
    expect(write.statusCode).toBe(404)
    const count = await t.database.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', 'x@school.example')
      .execute()
    expect(count).toEqual([])
  })
})
