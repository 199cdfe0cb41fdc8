// API v1 for participations, through the real app: a specialist's own; the roster by cohort and
// hub (its hub's team sees only its own hub's, NCETM every hub's); one with its stages and history;
// and stage changes by the hub's lead or NCETM's administrators. Refusals answer 422 with
// {errors:[{code, field, message}]} and save nothing; another hub's lead is told "not found";
// no token is 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_DEVELOPMENT_COHORT } from '../src/domain/participants/participants.demo.ts'
import { createTestApp, type TestApp } from './app.ts'
import { cohortInputWith, ensureCohort } from './cohort-factory.ts'
import { makeParticipation, type MadeParticipation } from './participation-fixtures.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'

const HUB = 'northvale-maths-hub'
const RIVERSIDE = 'riverside-maths-hub'

let t: TestApp
let clients: Record<PersonaName, Client>
let cohortId: string
let laterCohortId: string
let sams: MadeParticipation
let ada: MadeParticipation
let rita: MadeParticipation

async function api(who: PersonaName, method: string, url: string, body?: Record<string, unknown>) {
  const response = await request(t, clients[who], method, url, body)
  return { status: response.statusCode, body: response.json() }
}

/** What a stage change writes: stages, history and audit rows, and where the participations are. */
async function saved() {
  const db = t.database.db
  const n = async (table: 'participation_stages' | 'participation_history' | 'audit_events') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const cohorts = await db.selectFrom('participations').select(['id', 'cohort_id']).orderBy('id').execute()
  return {
    stages: await n('participation_stages'),
    history: await n('participation_history'),
    audit: await n('audit_events'),
    cohorts,
  }
}

beforeAll(async () => {
  t = await createTestApp() // 10am on 22 November 2026
  clients = await signInPersonas(t)
  const db = t.database.db
  cohortId = await ensureCohort(db, cohortInputWith({ number: 61 }))
  laterCohortId = await ensureCohort(db, cohortInputWith({ number: 62 }))
  sams = await makeParticipation(db, { cohortId, hubId: HUB, personId: clients.specialist.personId! })
  ada = await makeParticipation(db, { cohortId, hubId: HUB, name: 'Ada Lovelace' })
  rita = await makeParticipation(db, { cohortId, hubId: RIVERSIDE, name: 'Rita Banks' })
})
afterAll(async () => {
  await t?.close()
})

describe('your own participations', () => {
  it('are the specialist’s, with stages and history; anyone else has none; no token is 401', async () => {
    const { status, body } = await api('specialist', 'GET', '/api/v1/me/participations')
    expect(status).toBe(200)
    // Sam also holds the demo's place in its development-year cohort: this test's is the other.
    expect(body.items.map((p: { cohortId: string }) => p.cohortId).sort()).toEqual(
      [cohortId, DEMO_DEVELOPMENT_COHORT].sort(),
    )
    expect(body.items.filter((p: { cohortId: string }) => p.cohortId === cohortId)).toEqual([
      {
        id: sams.participationId,
        personId: sams.personId,
        personName: 'Sam Carter',
        cohortId,
        hubId: HUB,
        startedAt: '2026-06-01T09:00:00.000Z',
        currentStage: 'year-one',
        currentStageName: 'Development year 1',
        stages: [{ stage: 'year-one', startsOn: '2026-06-01', endsOn: null, reason: null }],
        history: [
          {
            event: 'start',
            fromStage: null,
            toStage: 'year-one',
            reason: null,
            fromCohortId: null,
            toCohortId: cohortId,
            effectiveOn: '2026-06-01',
            at: '2026-06-01T09:00:00.000Z',
          },
        ],
      },
    ])
    expect((await api('teacher', 'GET', '/api/v1/me/participations')).body).toEqual({ items: [] })
    expect((await api('anonymous', 'GET', '/api/v1/me/participations')).status).toBe(401)
  })
})

describe('the roster', () => {
  it('lists a hub’s own for its team, every hub’s for NCETM', async () => {
    const names = async (who: PersonaName, query = `?cohort=${cohortId}`) => {
      const { status, body } = await api(who, 'GET', `/api/v1/participations${query}`)
      expect(status, who).toBe(200)
      return body.items.map((p: { personName: string }) => p.personName)
    }
    expect(await names('hubLead')).toEqual(['Ada Lovelace', 'Sam Carter'])
    expect(await names('hubAdmin', `?cohort=${cohortId}&hub=${HUB}`)).toEqual(['Ada Lovelace', 'Sam Carter'])
    expect(await names('otherHubLead')).toEqual(['Rita Banks'])
    expect(await names('nationalViewer')).toEqual(['Ada Lovelace', 'Rita Banks', 'Sam Carter'])
    expect(await names('nationalAdmin', `?cohort=${cohortId}&hub=${RIVERSIDE}`)).toEqual(['Rita Banks'])
  })

  it('is not found for another hub named by its lead, or for a specialist; 401 without a token', async () => {
    expect((await api('otherHubLead', 'GET', `/api/v1/participations?hub=${HUB}`)).status).toBe(404)
    expect((await api('specialist', 'GET', '/api/v1/participations')).status).toBe(404)
    expect((await api('anonymous', 'GET', '/api/v1/participations')).status).toBe(401)
  })

  it('refuses an unknown or malformed query parameter with 422', async () => {
    const unknown = await api('hubLead', 'GET', '/api/v1/participations?stage=year-one')
    expect(unknown.status).toBe(422)
    expect(unknown.body.errors).toEqual([
      {
        code: 'unknown-parameter',
        field: 'stage',
        message: 'stage is not a query parameter of this endpoint. This endpoint takes cohort, hub.',
      },
    ])
    const bad = await api('hubLead', 'GET', '/api/v1/participations?hub=Not%20A%20Hub')
    expect(bad.status).toBe(422)
    expect(bad.body.errors).toEqual([
      { code: 'invalid', field: 'hub', message: 'Hub must be a hub id, like northvale-maths-hub' },
    ])
  })
})

describe('one participation', () => {
  it('is shown to the specialist, the hub’s team and NCETM', async () => {
    for (const who of ['specialist', 'hubLead', 'hubAdmin', 'nationalAdmin', 'nationalViewer'] as const) {
      const { status, body } = await api(who, 'GET', `/api/v1/participations/${sams.participationId}`)
      expect(status, who).toBe(200)
      expect(body).toMatchObject({
        id: sams.participationId,
        personName: 'Sam Carter',
        currentStage: 'year-one',
      })
    }
  })

  it('is not found for another hub’s lead, a reviewer or a teacher; 401 without a token; 422 for a bad id', async () => {
    for (const who of ['otherHubLead', 'reviewer', 'teacher'] as const) {
      const { status, body } = await api(who, 'GET', `/api/v1/participations/${sams.participationId}`)
      expect(status, who).toBe(404)
      expect(body.errors[0].code).toBe('not-found')
    }
    expect((await api('hubLead', 'GET', `/api/v1/participations/${rita.participationId}`)).status).toBe(404)
    expect((await api('anonymous', 'GET', `/api/v1/participations/${sams.participationId}`)).status).toBe(401)
    const bad = await api('hubLead', 'GET', '/api/v1/participations/abc')
    expect(bad.status).toBe(422)
    expect(bad.body.errors[0]).toMatchObject({ code: 'invalid', field: 'id' })
  })
})

describe('changing a stage', () => {
  it('defers to a later cohort from a date, answering the participation as it now is', async () => {
    const fresh = await makeParticipation(t.database.db, { cohortId, hubId: HUB, name: 'Dee Walsh' })
    const { status, body } = await api(
      'hubLead',
      'POST',
      `/api/v1/participations/${fresh.participationId}/stage-changes`,
      {
        change: 'defer',
        on: '2026-11-01',
        reason: 'Maternity leave',
        cohortId: laterCohortId,
      },
    )
    expect(status).toBe(200)
    expect(body).toMatchObject({
      cohortId: laterCohortId,
      currentStage: 'deferred',
      stages: [
        { stage: 'year-one', startsOn: '2026-06-01', endsOn: '2026-11-01', reason: null },
        { stage: 'deferred', startsOn: '2026-11-01', endsOn: null, reason: 'Maternity leave' },
      ],
    })
    expect(body.history[1]).toMatchObject({
      event: 'defer',
      fromCohortId: cohortId,
      toCohortId: laterCohortId,
      effectiveOn: '2026-11-01',
    })
    const resumed = await api(
      'nationalAdmin',
      'POST',
      `/api/v1/participations/${fresh.participationId}/stage-changes`,
      {
        change: 'resume',
        on: '2026-11-20',
      },
    )
    expect(resumed.status).toBe(200)
    expect(resumed.body.currentStage).toBe('year-one')
  })

  it('refuses what is wrong with 422, naming the field, and saves nothing', async () => {
    const url = `/api/v1/participations/${ada.participationId}/stage-changes`
    const cases: [Record<string, unknown>, { code: string; field: string; message: string }][] = [
      [
        { change: 'defer', on: '2026-11-01', cohortId: laterCohortId },
        { code: 'required', field: 'reason', message: 'Enter the reason' },
      ],
      [
        { change: 'defer', on: '2026-11-01', reason: 'Moving school' },
        { code: 'invalid', field: 'cohortId', message: 'Choose the later cohort' },
      ],
      [
        { change: 'withdraw', on: '2026-11-01', reason: 'Moving school', cohortId: laterCohortId },
        { code: 'invalid', field: 'cohortId', message: 'Give a cohort only when deferring' },
      ],
      [
        { change: 'become-active', on: '2026-11-01' },
        {
          code: 'refused-transition',
          field: 'stage',
          message: 'A specialist becomes active only at the end of their development years',
        },
      ],
      [
        { change: 'begin-year-two', on: '2026-05-01' },
        {
          code: 'too-early',
          field: 'on',
          message: 'The change must take effect after the current stage began',
        },
      ],
      [
        { change: 'graduate', on: '2026-11-01' },
        {
          code: 'invalid',
          field: 'change',
          message: 'Select the change: begin-year-two, become-active, defer, resume or withdraw',
        },
      ],
      [
        { change: 'withdraw' },
        { code: 'invalid', field: 'on', message: 'Enter the date the change takes effect, like 2027-09-01' },
      ],
    ]
    for (const [body, error] of cases) {
      const before = await saved()
      const answer = await api('hubLead', 'POST', url, body)
      expect(answer.status, JSON.stringify(body)).toBe(422)
      expect(answer.body).toEqual({ errors: [error] })
      expect(await saved()).toEqual(before)
    }
  })

  it('is not found for another hub’s lead or the hub’s administrator, and 401 without a token; nothing saved', async () => {
    const url = `/api/v1/participations/${ada.participationId}/stage-changes`
    const body = { change: 'withdraw', on: '2026-11-01', reason: 'Moving school' }
    const before = await saved()
    for (const who of ['otherHubLead', 'hubAdmin', 'specialist'] as const) {
      const answer = await api(who, 'POST', url, body)
      expect(answer.status, who).toBe(404)
      expect(answer.body.errors[0].code).toBe('not-found')
    }
    expect((await api('anonymous', 'POST', url, body)).status).toBe(401)
    expect(await saved()).toEqual(before)
  })
})
