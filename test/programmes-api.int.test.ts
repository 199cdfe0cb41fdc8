// API v1 for programmes, cohorts and eligibility, over the demo register through the real app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { cohortInputWith, primaryCohortInput } from './cohort-factory.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'

let t: TestApp
let clients: Record<PersonaName, Client>

beforeAll(async () => {
  t = await createTestApp() // the clock reads 10am on 22 November 2026
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

async function get(url: string) {
  const response = await request(t, clients.anonymous, 'GET', url)
  return { status: response.statusCode, body: response.json() }
}

/** The URN of the first demo school matching the facts. */
async function demoSchool(facts: {
  type?: string
  phase?: string
  open?: boolean
  la?: string
}): Promise<number> {
  let query = t.database.db.selectFrom('schools').select('urn').orderBy('urn')
  if (facts.type) query = query.where('type_name', '=', facts.type)
  if (facts.phase) query = query.where('phase', '=', facts.phase)
  if (facts.open !== undefined) query = query.where('open', '=', facts.open)
  if (facts.la) query = query.where('la_code', '=', facts.la)
  return (await query.executeTakeFirstOrThrow()).urn
}

async function eligibility(urn: number | string, programme = 'primary-mastery-specialist') {
  return get(`/api/v1/eligibility?urn=${urn}&programme=${programme}`)
}

describe('the programme catalogue', () => {
  it('lists the nine programmes with who they are for and what each year involves', async () => {
    const { status, body } = await get('/api/v1/programmes')
    expect(status).toBe(200)
    expect(body.items).toHaveLength(9)
    expect(body.items[0]).toMatchObject({
      id: 'primary-mastery-specialist',
      name: 'Primary Mastery Specialist Programme',
      phases: ['Primary', 'Middle deemed primary', 'All-through'],
      specialSchoolsOnly: false,
      yearStructure: [
        { year: 1, summary: expect.stringMatching(/residentials/) },
        { year: 2, summary: expect.any(String) },
      ],
    })
    const special = await get('/api/v1/programmes/special-schools-work-group')
    expect(special).toMatchObject({ status: 200, body: { specialSchoolsOnly: true, cohorts: [] } })
  })

  it('answers 404 for an unknown programme or cohort, and 422 for a malformed id', async () => {
    expect(await get('/api/v1/programmes/no-such-programme')).toMatchObject({
      status: 404,
      body: { errors: [{ code: 'not-found' }] },
    })
    expect((await get('/api/v1/cohorts/primary-mastery-specialist-99')).status).toBe(404)
    expect(await get('/api/v1/programmes/Not_An_Id')).toMatchObject({
      status: 422,
      body: { errors: [{ code: 'invalid', field: 'id' }] },
    })
  })

  it('is in the OpenAPI document under its own tag', async () => {
    const { body } = await get('/api/v1/openapi.json')
    for (const path of [
      '/api/v1/programmes',
      '/api/v1/programmes/{id}',
      '/api/v1/cohorts',
      '/api/v1/cohorts/{id}',
      '/api/v1/eligibility',
    ]) {
      expect(body.paths, path).toHaveProperty([path])
    }
    expect(body.paths['/api/v1/cohorts'].post.tags).toEqual(['programmes'])
    expect(body.paths['/api/v1/cohorts'].post.security).toEqual([{ bearerAuth: [] }])
    expect(
      body.paths['/api/v1/eligibility'].get.parameters.map((p: { name: string }) => p.name).sort(),
    ).toEqual(['programme', 'urn'])
  })
})

describe('cohorts', () => {
  it('are set up by national administrators: 201 with the cohort', async () => {
    const response = await request(t, clients.nationalAdmin, 'POST', '/api/v1/cohorts', primaryCohortInput())
    expect(response.statusCode).toBe(201)
    expect(response.headers.location).toBe('/api/v1/cohorts/primary-mastery-specialist-11')
    expect(response.json()).toMatchObject({
      id: 'primary-mastery-specialist-11',
      name: 'Cohort 11',
      status: 'closed',
      closesAt: '2025-03-14T17:00:00.000Z',
      closesAtUk: '5pm on 14 March 2025',
    })
  })

  it('are not found by anyone else, and need a token', async () => {
    for (const persona of ['hubLead', 'nationalViewer', 'headteacher'] as const) {
      const response = await request(
        t,
        clients[persona],
        'POST',
        '/api/v1/cohorts',
        cohortInputWith({ number: 80 }),
      )
      expect(response.statusCode, persona).toBe(404)
    }
    const anonymous = await request(
      t,
      clients.anonymous,
      'POST',
      '/api/v1/cohorts',
      cohortInputWith({ number: 80 }),
    )
    expect(anonymous.statusCode).toBe(401)
    expect((await get('/api/v1/cohorts/primary-mastery-specialist-80')).status).toBe(404)
  })

  it('refuse dates out of order with 422, naming each field', async () => {
    const response = await request(
      t,
      clients.nationalAdmin,
      'POST',
      '/api/v1/cohorts',
      cohortInputWith({
        number: 81,
        closesAt: { day: 1, month: 12, year: 2024, hour: 17, minute: 0 },
        decisionsReleasedOn: { day: 1, month: 12, year: 2024 },
      }),
    )
    expect(response.statusCode).toBe(422)
    expect(response.json().errors).toEqual([
      {
        code: 'out-of-order',
        field: 'closesAt',
        message: 'The date applications close must be after the date they open',
      },
      {
        code: 'out-of-order',
        field: 'decisionsReleasedOn',
        message: 'The date decisions are released must be after the day applications close',
      },
    ])
    const parts = await request(t, clients.nationalAdmin, 'POST', '/api/v1/cohorts', {
      ...cohortInputWith({ number: 81 }),
      opensAt: { month: 12, year: 2024, hour: 9, minute: 0 },
    })
    expect(parts.statusCode).toBe(422)
    expect(parts.json().errors).toEqual([
      { code: 'invalid', field: 'opensAt.day', message: 'The date applications open must include a day' },
    ])
  })

  it('say whether they are upcoming, open or closed by the clock, with the closing time in UK time', async () => {
    const open = cohortInputWith({
      programmeId: 'secondary-mastery-specialist',
      number: 11,
      developmentYear: '2027/28',
      opensAt: { day: 2, month: 11, year: 2026, hour: 9, minute: 0 },
      closesAt: { day: 11, month: 6, year: 2027, hour: 17, minute: 0 },
      decisionsReleasedOn: { day: 9, month: 7, year: 2027 },
      residentials: [],
    })
    const upcoming = cohortInputWith({
      number: 12,
      developmentYear: '2027/28',
      opensAt: { day: 1, month: 12, year: 2026, hour: 9, minute: 0 },
      closesAt: { day: 12, month: 3, year: 2027, hour: 17, minute: 0 },
      decisionsReleasedOn: { day: 11, month: 6, year: 2027 },
      residentials: [],
    })
    for (const body of [open, upcoming]) {
      expect((await request(t, clients.nationalAdmin, 'POST', '/api/v1/cohorts', body)).statusCode).toBe(201)
    }
    expect((await get('/api/v1/cohorts/secondary-mastery-specialist-11')).body).toMatchObject({
      status: 'open',
      closesAt: '2027-06-11T16:00:00.000Z',
      closesAtUk: '5pm on 11 June 2027',
    })
    const cohort = await get('/api/v1/cohorts/primary-mastery-specialist-12')
    expect(cohort.body).toMatchObject({
      status: 'upcoming',
      opensAtUk: '9am on 1 December 2026',
      closesAtUk: '5pm on 12 March 2027',
      decisionsReleasedOn: '2027-06-11',
      decisionsReleasedOnUk: '11 June 2027',
      programmeName: 'Primary Mastery Specialist Programme',
    })
    expect(cohort.body.essentialCriteria[0]).toEqual({
      id: 'qts',
      text: 'Qualified Teacher Status',
      evidence: 'Your Teacher Reference Number',
      wordLimit: null,
    })
    const programme = await get('/api/v1/programmes/primary-mastery-specialist')
    // The demo's own cohorts (9 and 13) sit beside the two made here.
    const made = programme.body.cohorts.filter((c: { number: number }) => c.number === 11 || c.number === 12)
    expect(made.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      ['primary-mastery-specialist-12', 'upcoming'],
      ['primary-mastery-specialist-11', 'closed'],
    ])
    t.clock.set('2027-03-12T16:59:59Z')
    expect((await get('/api/v1/cohorts/primary-mastery-specialist-12')).body.status).toBe('open')
    t.clock.set('2027-03-12T17:00:00Z')
    expect((await get('/api/v1/cohorts/primary-mastery-specialist-12')).body.status).toBe('closed')
    t.clock.set('2026-11-22T10:00:00Z')
  })
})

describe('eligibility', () => {
  it('lets an open state-funded primary school in England apply to the primary programme', async () => {
    const urn = await demoSchool({ type: 'Community school', phase: 'Primary', open: true })
    expect(await eligibility(urn)).toEqual({
      status: 200,
      body: { outcome: 'eligible', reasons: [{ code: 'eligible', message: expect.any(String) }] },
    })
  })

  it('refuses a secondary school applying to the primary programme, but not the secondary one', async () => {
    const urn = await demoSchool({ type: 'Academy converter', phase: 'Secondary', open: true })
    const { body } = await eligibility(urn)
    expect(body.outcome).toBe('not-eligible')
    expect(body.reasons).toEqual([
      {
        code: 'phase-not-served',
        message:
          'This programme is for primary, middle deemed primary or all-through schools. The school’s phase is secondary.',
      },
    ])
    expect((await eligibility(urn, 'secondary-mastery-specialist')).body.outcome).toBe('eligible')
  })

  it('refuses an independent school', async () => {
    const urn = await demoSchool({ type: 'Other independent school' })
    const { body } = await eligibility(urn, 'secondary-development-work-group')
    expect(body.outcome).toBe('not-eligible')
    expect(body.reasons.map((r: { code: string }) => r.code)).toContain('not-state-funded')
  })

  it('refuses the Welsh school', async () => {
    expect((await eligibility(999_001)).body).toEqual({
      outcome: 'not-eligible',
      reasons: [
        {
          code: 'not-in-england',
          message: 'The school is not in England. Maths Hubs programmes are for schools in England.',
        },
      ],
    })
  })

  it('refuses a closed school', async () => {
    const urn = await demoSchool({ open: false })
    const { body } = await eligibility(urn, 'embedding-work-group')
    expect(body.outcome).toBe('not-eligible')
    expect(body.reasons.map((r: { code: string }) => r.code)).toContain('school-closed')
  })

  it('asks the hub to review a special school, and says when a URN is not in the register', async () => {
    const special = await demoSchool({ type: 'Community special school', open: true })
    expect((await eligibility(special)).body).toMatchObject({
      outcome: 'needs-review',
      reasons: [{ code: 'special-school-needs-review' }],
    })
    expect((await eligibility(special, 'special-schools-work-group')).body.outcome).toBe('eligible')
    expect((await eligibility(123_456)).body).toMatchObject({
      outcome: 'not-eligible',
      reasons: [{ code: 'school-not-found' }],
    })
  })

  it('answers 422 for a malformed URN or an unknown programme, naming the field', async () => {
    expect(await eligibility('abc')).toMatchObject({
      status: 422,
      body: {
        errors: [
          {
            code: 'invalid',
            field: 'urn',
            message: 'URN must be a whole number from 1 to 999999999, like 100000',
          },
        ],
      },
    })
    expect(await eligibility(990_001, 'no-such-programme')).toMatchObject({
      status: 422,
      body: { errors: [{ code: 'unknown', field: 'programme' }] },
    })
    expect(await eligibility(990_001, 'Primary!')).toMatchObject({
      status: 422,
      body: { errors: [{ code: 'invalid', field: 'programme' }] },
    })
    const missing = await get('/api/v1/eligibility')
    expect(missing.status).toBe(422)
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['programme', 'urn'])
  })
})
