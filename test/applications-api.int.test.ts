// API v1 for applications, through the real app over the demo register: a teacher's journey from
// start to submission and withdrawal, what each refusal leaves behind (nothing), the idempotent
// submit, and who may read an application.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANONYMOUS } from '../src/domain/access/actor.ts'
import { respondToEndorsement } from '../src/domain/applications/respond-to-endorsement.ts'
import { createTestApp, type TestApp } from './app.ts'
import {
  essentialEvidence,
  HEAD,
  lastEndorsementToken,
  NORTHVALE_PRIMARY,
  OPEN_COHORT,
  TEACHING,
} from './application-fixtures.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'

const KEY = '6f1c2d4e-8a9b-4c3d-9e2f-0a1b2c3d4e5f'

let t: TestApp
let clients: Record<PersonaName, Client>
/** The teacher's application, followed through the journey. */
let id: number

beforeAll(async () => {
  t = await createTestApp() // the clock reads 10am on 22 November 2026
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

async function api(
  persona: PersonaName,
  method: string,
  url: string,
  body?: Record<string, unknown>,
  headers?: Record<string, string>,
) {
  const response = await request(t, clients[persona], method, url, body, headers)
  return { status: response.statusCode, headers: response.headers, body: response.json() }
}

/** Answers to every written essential criterion of the cohort, as the cohort API lists them. */
async function evidence(): Promise<Record<string, string>> {
  const { body } = await api('anonymous', 'GET', `/api/v1/cohorts/${OPEN_COHORT}`)
  return essentialEvidence(body)
}

/** The stored application and its counts of history rows and queued emails, to show nothing changed. */
async function snapshot() {
  const db = t.database.db
  const application = await db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  const history = await db
    .selectFrom('application_history')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('application_id', '=', id)
    .executeTakeFirstOrThrow()
  const outbox = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return { application, history: Number(history.n), outbox: Number(outbox.n) }
}

describe('a teacher’s application through the API', () => {
  it('starts with 201, the application and its Location', async () => {
    const response = await api('teacher', 'POST', '/api/v1/applications', { cohortId: OPEN_COHORT })
    expect(response.status).toBe(201)
    id = response.body.id
    expect(response.headers.location).toBe(`/api/v1/applications/${id}`)
    expect(response.body).toMatchObject({
      reference: expect.stringMatching(/^MH-[0-9A-Z]{8}$/),
      cohortId: OPEN_COHORT,
      programmeId: 'primary-mastery-specialist',
      state: 'draft',
      stateName: 'Not yet sent to your headteacher',
      schoolUrn: null,
      hubId: null,
      eligibility: null,
      teaching: { hasQts: null, trn: null },
      evidence: {},
      headteacher: null,
      endorsedAt: null,
      submittedAt: null,
      withdrawnAt: null,
      createdAt: '2026-11-22T10:00:00.000Z',
      links: { self: `/api/v1/applications/${id}`, page: `/applications/${id}` },
    })
    const read = await api('teacher', 'GET', `/api/v1/applications/${id}`)
    expect(read).toMatchObject({ status: 200, body: { id, state: 'draft' } })
  })

  it('answers a second start with 409 already-applied and the first’s Location', async () => {
    const before = await snapshot()
    const response = await api('teacher', 'POST', '/api/v1/applications', { cohortId: OPEN_COHORT })
    expect(response.status).toBe(409)
    expect(response.headers.location).toBe(`/api/v1/applications/${id}`)
    expect(response.body.errors).toEqual([
      { code: 'already-applied', field: 'cohortId', message: expect.stringMatching(/already/) },
    ])
    const rows = await t.database.db
      .selectFrom('applications')
      .select('id')
      .where('applicant_id', '=', clients.teacher.personId!)
      .execute()
    expect(rows).toEqual([{ id }])
    expect(await snapshot()).toEqual(before)
  })

  it('refuses an unknown cohort or a missing one with 422 naming cohortId', async () => {
    for (const body of [{ cohortId: 'primary-mastery-specialist-99' }, {}]) {
      const response = await api('teacher', 'POST', '/api/v1/applications', body)
      expect(response.status, JSON.stringify(body)).toBe(422)
      expect(response.body.errors[0].field).toBe('cohortId')
    }
  })

  it('keeps a draft to its teacher: anyone else is told it was not found', async () => {
    for (const persona of ['hubLead', 'nationalViewer', 'specialist'] as const) {
      expect((await api(persona, 'GET', `/api/v1/applications/${id}`)).status, persona).toBe(404)
      const items = (await api(persona, 'GET', '/api/v1/applications')).body.items as { id: number }[]
      expect(
        items.map((i) => i.id),
        persona,
      ).not.toContain(id)
    }
    const before = await snapshot()
    const change = await api('specialist', 'PATCH', `/api/v1/applications/${id}`, { teaching: TEACHING })
    expect(change.status).toBe(404)
    expect(await snapshot()).toEqual(before)
  })

  it('saves the school, teaching details and evidence with PATCH', async () => {
    const school = await api('teacher', 'PATCH', `/api/v1/applications/${id}`, {
      school: { urn: NORTHVALE_PRIMARY },
    })
    expect(school.status).toBe(200)
    expect(school.body).toMatchObject({
      schoolUrn: NORTHVALE_PRIMARY,
      schoolName: 'Christ Church Primary School',
      hubId: 'northvale-maths-hub',
      eligibility: { outcome: 'eligible' },
      state: 'draft',
    })
    const answers = await evidence()
    const rest = await api('teacher', 'PATCH', `/api/v1/applications/${id}`, {
      teaching: TEACHING,
      evidence: answers,
    })
    expect(rest.status).toBe(200)
    expect(rest.body.teaching).toEqual(TEACHING)
    expect(rest.body.evidence).toEqual(answers)
    expect(rest.body.schoolUrn).toBe(NORTHVALE_PRIMARY)
  })

  it('refuses bad changes with 422 naming the field, and changes nothing', async () => {
    const before = await snapshot()
    const cases: [Record<string, unknown>, string][] = [
      [{ teaching: { ...TEACHING, trn: '12' } }, 'teaching.trn'],
      [{ teaching: { ...TEACHING, trn: null } }, 'teaching.trn'],
      [{ teaching: { ...TEACHING, yearsTeachingMaths: 'six' } }, 'teaching.yearsTeachingMaths'],
      [{ school: { urn: 'abc' } }, 'school.urn'],
      [{ school: { urn: 999_999 } }, 'school.urn'],
      [{ evidence: { 'no-such-criterion': 'An answer' } }, 'evidence.no-such-criterion'],
      [{ evidence: { 'teaches-maths': 7 } }, 'evidence.teaches-maths'],
      [{ evidence: { 'teaches-maths': 'word '.repeat(300) } }, 'evidence.teaches-maths'],
    ]
    for (const [body, field] of cases) {
      const response = await api('teacher', 'PATCH', `/api/v1/applications/${id}`, body)
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(422)
      expect(
        response.body.errors.map((e: { field: string }) => e.field),
        JSON.stringify(body).slice(0, 80),
      ).toContain(field)
    }
    const unknownPart = await api('teacher', 'PATCH', `/api/v1/applications/${id}`, { headteacher: HEAD })
    expect(unknownPart.status).toBe(422)
    expect(unknownPart.body.errors[0].message).toBe('Send only school, teaching and evidence')
    const badId = await api('teacher', 'PATCH', '/api/v1/applications/abc', { teaching: TEACHING })
    expect(badId).toMatchObject({ status: 422, body: { errors: [{ code: 'invalid', field: 'id' }] } })
    for (const bad of ['0', '-3', '1.5', '99999999999']) {
      expect((await api('teacher', 'GET', `/api/v1/applications/${bad}`)).body.errors[0].field, bad).toBe(
        'id',
      )
    }
    expect(await snapshot()).toEqual(before)
  })

  it('asks the headteacher to endorse it, emailing them a link', async () => {
    const before = await snapshot()
    for (const [body, field] of [
      [{ name: HEAD.name, email: 'not an email' }, 'email'],
      [{ name: '', email: HEAD.email }, 'name'],
    ] as const) {
      const response = await api('teacher', 'POST', `/api/v1/applications/${id}/headteacher`, body)
      expect(response.status, JSON.stringify(body)).toBe(422)
      expect(response.body.errors[0].field, JSON.stringify(body)).toBe(field)
    }
    expect(await snapshot()).toEqual(before)

    const response = await api('teacher', 'POST', `/api/v1/applications/${id}/headteacher`, HEAD)
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ state: 'awaiting-endorsement', headteacher: HEAD })
    const emails = await t.database.db
      .selectFrom('outbox')
      .select(['template', 'to_address'])
      .where('template', '=', 'endorsement-request')
      .execute()
    expect(emails).toEqual([{ template: 'endorsement-request', to_address: HEAD.email }])
  })

  it('sends to the headteacher the service knows, whatever address is sent, and limits each account', async () => {
    const response = await api('teacher', 'POST', `/api/v1/applications/${id}/headteacher`, {
      name: 'Not Helen',
      email: 'amir.hussain+head@school.example',
    })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ headteacher: HEAD })
    const sentBefore = await t.database.db.selectFrom('outbox').select('id').execute()
    await t.database.db
      .updateTable('rate_limits')
      .set({ hits: 10 })
      .where('key', 'like', 'headteacher-request:account:%')
      .execute()
    const refused = await api('teacher', 'POST', `/api/v1/applications/${id}/headteacher`, {})
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(refused.body.errors).toEqual([
      { code: 'rate-limited', message: expect.stringMatching(/^Too many requests to headteachers: wait /) },
    ])
    expect(await t.database.db.selectFrom('outbox').select('id').execute()).toEqual(sentBefore)
    await t.database.db.deleteFrom('rate_limits').where('key', 'like', 'headteacher-request:%').execute()
  })

  it('refuses to submit before the headteacher has endorsed it', async () => {
    const before = await snapshot()
    const response = await api('teacher', 'POST', `/api/v1/applications/${id}/submit`, undefined, {
      'idempotency-key': KEY,
    })
    expect(response.status).toBe(422)
    expect(response.body.errors).toEqual([
      expect.objectContaining({ code: 'not-endorsed', field: 'headteacher' }),
    ])
    expect(await snapshot()).toEqual(before)
  })

  it('shows the headteacher’s endorsement', async () => {
    await respondToEndorsement(
      {
        db: t.database.db,
        actor: ANONYMOUS,
        clock: t.clock,
        requestId: 'applications-api-test',
        baseUrl: 'http://localhost:3000',
      },
      await lastEndorsementToken(t.database.db),
      { decision: 'confirm' },
    )
    const read = await api('teacher', 'GET', `/api/v1/applications/${id}`)
    expect(read.body).toMatchObject({
      state: 'endorsed',
      stateName: 'Endorsed: ready to submit',
      endorsedAt: '2026-11-22T10:00:00.000Z',
    })
  })

  it('needs an Idempotency-Key to submit: 422 naming it, and nothing changed', async () => {
    const before = await snapshot()
    const refused: Record<string, string>[] = [
      {},
      { 'idempotency-key': 'short' },
      { 'idempotency-key': 'has a space in it' },
    ]
    for (const headers of refused) {
      const response = await api('teacher', 'POST', `/api/v1/applications/${id}/submit`, undefined, headers)
      expect(response.status, JSON.stringify(headers)).toBe(422)
      expect(response.body.errors, JSON.stringify(headers)).toEqual([
        { code: 'invalid', field: 'Idempotency-Key', message: expect.stringMatching(/Idempotency-Key/) },
      ])
    }
    expect(await snapshot()).toEqual(before)
  })

  it('submits once: the same key replayed answers 200 again, another key 409', async () => {
    const first = await api('teacher', 'POST', `/api/v1/applications/${id}/submit`, undefined, {
      'idempotency-key': KEY,
    })
    expect(first.status).toBe(200)
    expect(first.headers['idempotency-replayed']).toBeUndefined()
    expect(first.body).toMatchObject({ id, state: 'submitted', submittedAt: '2026-11-22T10:00:00.000Z' })
    const afterFirst = await snapshot()

    const replay = await api('teacher', 'POST', `/api/v1/applications/${id}/submit`, undefined, {
      'idempotency-key': KEY,
    })
    expect(replay.status).toBe(200)
    expect(replay.headers['idempotency-replayed']).toBe('true')
    expect(replay.body).toEqual(first.body)

    const other = await api('teacher', 'POST', `/api/v1/applications/${id}/submit`, undefined, {
      'idempotency-key': 'a-different-key-0001',
    })
    expect(other.status).toBe(409)
    expect(other.body.errors).toEqual([
      { code: 'already-submitted', field: 'state', message: expect.stringMatching(/^You submitted/) },
    ])

    expect(await snapshot()).toEqual(afterFirst)
    const submitted = await t.database.db
      .selectFrom('applications')
      .select(['id', 'submit_idempotency_key'])
      .where('applicant_id', '=', clients.teacher.personId!)
      .where('submitted_at', 'is not', null)
      .execute()
    expect(submitted).toEqual([{ id, submit_idempotency_key: KEY }])
    const submits = await t.database.db
      .selectFrom('application_history')
      .select('id')
      .where('application_id', '=', id)
      .where('event', '=', 'submit')
      .execute()
    expect(submits).toHaveLength(1)
    const receipts = await t.database.db
      .selectFrom('outbox')
      .select('id')
      .where('template', '=', 'application-submitted')
      .execute()
    expect(receipts).toHaveLength(1)
  })

  it('refuses further changes once submitted', async () => {
    const before = await snapshot()
    const response = await api('teacher', 'PATCH', `/api/v1/applications/${id}`, { teaching: TEACHING })
    expect(response).toMatchObject({
      status: 422,
      body: { errors: [{ code: 'not-editable', field: 'state' }] },
    })
    expect(await snapshot()).toEqual(before)
  })
})

describe('who may read a submitted application', () => {
  it('Northvale’s hub lead sees it in the list and by id', async () => {
    const list = await api('hubLead', 'GET', '/api/v1/applications')
    expect(list.status).toBe(200)
    expect(list.body.items.map((a: { id: number }) => a.id)).toContain(id)
    const read = await api('hubLead', 'GET', `/api/v1/applications/${id}`)
    expect(read).toMatchObject({
      status: 200,
      body: { id, state: 'submitted', hubId: 'northvale-maths-hub' },
    })
  })

  it('filters the list by cohort, hub and state', async () => {
    const ids = async (query: string) =>
      (await api('hubLead', 'GET', `/api/v1/applications?${query}`)).body.items.map(
        (a: { id: number }) => a.id,
      )
    expect(await ids(`cohort=${OPEN_COHORT}&hub=northvale-maths-hub&state=submitted`)).toEqual([id])
    expect(await ids('state=draft')).toEqual([])
    expect(await ids('cohort=primary-mastery-specialist-12')).toEqual([])
    const bad = await api('hubLead', 'GET', '/api/v1/applications?state=lost')
    expect(bad).toMatchObject({ status: 422, body: { errors: [{ field: 'state' }] } })
  })

  it('another hub’s lead is told it was not found, and does not see it listed', async () => {
    expect((await api('otherHubLead', 'GET', `/api/v1/applications/${id}`)).status).toBe(404)
    const list = await api('otherHubLead', 'GET', '/api/v1/applications')
    expect(list.status).toBe(200)
    expect(list.body.items.map((a: { id: number }) => a.id)).not.toContain(id)
  })

  it('another teacher is told it was not found', async () => {
    expect((await api('specialist', 'GET', `/api/v1/applications/${id}`)).status).toBe(404)
    const before = await snapshot()
    expect((await api('specialist', 'POST', `/api/v1/applications/${id}/withdraw`)).status).toBe(404)
    expect(await snapshot()).toEqual(before)
  })

  it('NCETM’s national viewer sees it', async () => {
    expect((await api('nationalViewer', 'GET', `/api/v1/applications/${id}`)).status).toBe(200)
    const list = await api('nationalViewer', 'GET', '/api/v1/applications')
    expect(list.body.items.map((a: { id: number }) => a.id)).toContain(id)
  })

  it('anonymous callers get 401 and are told to send a token', async () => {
    const before = await snapshot()
    for (const [method, url, body] of [
      ['GET', '/api/v1/applications', undefined],
      ['POST', '/api/v1/applications', { cohortId: OPEN_COHORT }],
      ['GET', `/api/v1/applications/${id}`, undefined],
      ['PATCH', `/api/v1/applications/${id}`, { teaching: TEACHING }],
      ['POST', `/api/v1/applications/${id}/headteacher`, HEAD],
      ['POST', `/api/v1/applications/${id}/submit`, undefined],
      ['POST', `/api/v1/applications/${id}/withdraw`, undefined],
      // A body that would be refused is not read before the caller is known.
      ['POST', '/api/v1/applications', { cohortId: 42, extra: ['x'] }],
      ['PATCH', `/api/v1/applications/${id}`, { teaching: 'not an object' }],
      ['POST', `/api/v1/applications/${id}/headteacher`, { email: 7 }],
    ] as const) {
      const response = await api('anonymous', method, url, body, { 'idempotency-key': KEY })
      expect(response.status, `${method} ${url}`).toBe(401)
      expect(response.headers['www-authenticate']).toBe('Bearer')
      expect(response.body.errors[0].code).toBe('unauthenticated')
    }
    expect(await snapshot()).toEqual(before)
  })
})

describe('withdrawing', () => {
  it('answers 200 with the application withdrawn, still seen by the hub', async () => {
    const response = await api('teacher', 'POST', `/api/v1/applications/${id}/withdraw`)
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      id,
      state: 'withdrawn',
      stateName: 'Withdrawn',
      withdrawnAt: '2026-11-22T10:00:00.000Z',
    })
    expect((await api('teacher', 'GET', `/api/v1/applications/${id}`)).body.state).toBe('withdrawn')
    expect((await api('hubLead', 'GET', `/api/v1/applications/${id}`)).body.state).toBe('withdrawn')
    const again = await api('teacher', 'POST', `/api/v1/applications/${id}/withdraw`)
    expect(again).toMatchObject({ status: 422, body: { errors: [{ code: 'refused-transition' }] } })
  })

  it('lets the teacher start again in the same cohort', async () => {
    const response = await api('teacher', 'POST', '/api/v1/applications', { cohortId: OPEN_COHORT })
    expect(response.status).toBe(201)
    expect(response.body.id).not.toBe(id)
    const own = await api('teacher', 'GET', '/api/v1/applications')
    expect(own.body.items.map((a: { state: string }) => a.state).sort()).toEqual(['draft', 'withdrawn'])
  })
})

describe('the OpenAPI document', () => {
  it('lists the application routes under their tag, with a bearer token', async () => {
    const { body } = await api('anonymous', 'GET', '/api/v1/openapi.json')
    expect(body.tags).toContainEqual(expect.objectContaining({ name: 'applications' }))
    const routes: [string, string][] = [
      ['/api/v1/applications', 'get'],
      ['/api/v1/applications', 'post'],
      ['/api/v1/applications/{id}', 'get'],
      ['/api/v1/applications/{id}', 'patch'],
      ['/api/v1/applications/{id}/headteacher', 'post'],
      ['/api/v1/applications/{id}/submit', 'post'],
      ['/api/v1/applications/{id}/withdraw', 'post'],
    ]
    for (const [path, method] of routes) {
      const operation = body.paths[path]?.[method]
      expect(operation, `${method} ${path}`).toBeDefined()
      expect(operation.tags, `${method} ${path}`).toEqual(['applications'])
      expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }])
      expect(operation.summary, `${method} ${path}`).toEqual(expect.any(String))
    }
    const submit = body.paths['/api/v1/applications/{id}/submit'].post
    expect(submit.parameters).toContainEqual(
      expect.objectContaining({ in: 'header', name: 'idempotency-key' }),
    )
    expect(
      body.paths['/api/v1/applications'].get.parameters.map((p: { name: string }) => p.name).sort(),
    ).toEqual(['cohort', 'hub', 'page', 'pageSize', 'state'])
  })
})
