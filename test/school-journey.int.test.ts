// A school's teaching-for-mastery journey on the demo: the hub's team records each move with its
// date and evidence (every refusal shown with the error summary and nothing changed), the timeline
// shows everything the school has done in Work Groups in date order, the school's own contact
// reaches it from their account, and anyone else is answered "page not found".
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { freshWorkGroup } from './work-group-fixtures.ts'
import { placeSchool } from './work-group-school-fixtures.ts'
import { attend, holdSessions, schoolWithoutStage } from './work-group-journey-fixtures.ts'

let t: TestApp
let clients: Record<PersonaName, Client>

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

async function periods(urn: number) {
  return t.database.db
    .selectFrom('school_mastery_stages')
    .select(['stage', 'from_date', 'to_date', 'evidence'])
    .where('school_urn', '=', urn)
    .orderBy('from_date')
    .execute()
}

function move(stage: string, date: string, evidence = 'Seen in lessons and the subject leader’s plan') {
  const [year, month, day] = date.split('-') as [string, string, string]
  return { stage, 'movedOn.day': day, 'movedOn.month': month, 'movedOn.year': year, evidence }
}

describe('recording a school’s stage moves', () => {
  it('opens a period for each move, ending the one before on the day of the move, with an audit row', async () => {
    const urn = await schoolWithoutStage(t)
    const url = `/schools/${urn}/journey/stage`
    const form = await request(t, clients.hubLead, 'GET', url)
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('name="stage"')
    for (const [stage, on] of [
      ['readiness', '2024-09-01'],
      ['development', '2025-09-01'],
      ['embedding', '2026-09-01'],
    ] as const) {
      const res = await request(t, clients.hubAdmin, 'POST', url, move(stage, on))
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe(`/schools/${urn}/journey?saved=stage`)
    }
    const rows = await periods(urn)
    expect(
      rows.map((r) => [
        r.stage,
        String(r.from_date).slice(0, 10),
        r.to_date && String(r.to_date).slice(0, 10),
      ]),
    ).toEqual([
      ['readiness', '2024-09-01', '2025-09-01'],
      ['development', '2025-09-01', '2026-09-01'],
      ['embedding', '2026-09-01', null],
    ])
    const audits = await t.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'school.stage-move')
      .where('record_type', '=', 'school-mastery-stage')
      .execute()
    expect(audits.length).toBeGreaterThanOrEqual(3)
    const page = await request(t, clients.hubLead, 'GET', `/schools/${urn}/journey?saved=stage`)
    const body = text(page.body)
    expect(body).toContain('The school’s stage has been recorded')
    expect(body).toContain('Stage now Embedding')
    expect(body).toContain('1 September 2024')
    expect(body).toContain('Moved to Development: Seen in lessons')
  })

  const refusals: [string, string, string, Record<string, string>, string, string][] = [
    [
      'a move back',
      'development',
      '2025-09-01',
      move('readiness', '2026-01-05'),
      'stage',
      'cannot move back from Development to Readiness',
    ],
    [
      'the same stage',
      'development',
      '2025-09-01',
      move('development', '2026-01-05'),
      'stage',
      'already at Development',
    ],
    [
      'a skipped stage',
      'readiness',
      '2025-09-01',
      move('embedding', '2026-01-05'),
      'stage',
      'not straight to Embedding',
    ],
    [
      'a date before the current stage began',
      'readiness',
      '2025-09-01',
      move('development', '2025-06-01'),
      'movedOn.day',
      'must be after 1 September 2025',
    ],
    [
      'the day the current stage began',
      'readiness',
      '2025-09-01',
      move('development', '2025-09-01'),
      'movedOn.day',
      'must be after 1 September 2025',
    ],
    [
      'a date in the future',
      'readiness',
      '2025-09-01',
      move('development', '2027-01-05'),
      'movedOn.day',
      'today or in the past',
    ],
    [
      'empty evidence',
      'readiness',
      '2025-09-01',
      move('development', '2026-01-05', '   '),
      'evidence',
      'Enter the evidence for the move',
    ],
    [
      'no date',
      'readiness',
      '2025-09-01',
      { stage: 'development', evidence: 'x' },
      'movedOn.day',
      'Enter the date of the move',
    ],
    [
      'no stage',
      'readiness',
      '2025-09-01',
      { ...move('development', '2026-01-05'), stage: '' },
      'stage',
      'Select the stage',
    ],
  ]
  it.each(refusals)(
    'refuses %s with the error summary, changing nothing',
    async (_what, start, from, body, field, message) => {
      const urn = await schoolWithoutStage(t)
      const url = `/schools/${urn}/journey/stage`
      expect((await request(t, clients.hubLead, 'POST', url, move(start, from))).statusCode).toBe(303)
      const before = await periods(urn)
      const res = await request(t, clients.hubLead, 'POST', url, body)
      expect(res.statusCode).toBe(422)
      expect(res.body).toContain('govuk-error-summary')
      expect(res.body).toContain(`href="#${field}"`)
      expect(text(res.body)).toContain(message)
      expect(await periods(urn)).toEqual(before)
    },
  )

  it('answers those who may not record a move "page not found", changing nothing', async () => {
    const urn = await schoolWithoutStage(t)
    const url = `/schools/${urn}/journey/stage`
    for (const who of ['otherHubLead', 'nationalViewer', 'headteacher', 'specialist', 'reviewer'] as const) {
      expect((await request(t, clients[who], 'GET', url)).statusCode).toBe(404)
      expect((await request(t, clients[who], 'POST', url, move('readiness', '2025-09-01'))).statusCode).toBe(
        404,
      )
    }
    expect(await periods(urn)).toEqual([])
    // NCETM's national administrators may.
    expect(
      (await request(t, clients.nationalAdmin, 'POST', url, move('readiness', '2025-09-01'))).statusCode,
    ).toBe(303)
    expect(await periods(urn)).toHaveLength(1)
  })
})

describe('a school’s timeline', () => {
  it('shows the school’s groups, advocates, sessions attended, stages and grant in date order', async () => {
    const group = await freshWorkGroup(t, ['open-recruitment', 'start'])
    const urn = await schoolWithoutStage(t)
    const placed = await placeSchool(t, group, urn)
    await t.database.db
      .insertInto('work_group_interest_history')
      .values({
        interest_id: placed.interestId,
        event: 'accept',
        from_status: 'ready',
        to_status: 'accepted',
        work_group_id: group,
        actor_person_id: null,
        at: new Date('2027-07-01T10:00:00Z'),
      })
      .execute()
    const sessions = await holdSessions(t, group, 6)
    await attend(t, placed.advocateIds[0], sessions, 6)
    await attend(t, placed.advocateIds[1], sessions, 5, 'late')
    await request(
      t,
      clients.hubLead,
      'POST',
      `/schools/${urn}/journey/stage`,
      move('development', '2025-09-01'),
    )
    expect(
      (await request(t, clients.hubLead, 'POST', `/work-groups/${group}/state`, { event: 'complete' }))
        .statusCode,
    ).toBe(303)

    const page = await request(t, clients.nationalViewer, 'GET', `/schools/${urn}/journey`)
    expect(page.statusCode).toBe(200)
    const body = text(page.body)
    expect(body).toContain('Primary Development')
    expect(body).toContain(`Advocate 1 of ${urn} (Maths lead) became a Mastery Advocate`)
    expect(body.match(new RegExp(`Advocate 1 of ${urn} attended a session`, 'g'))).toHaveLength(6)
    expect(body.match(new RegExp(`Advocate 2 of ${urn} attended \\(arrived late\\)`, 'g'))).toHaveLength(5)
    expect(body).toContain(`Advocate 2 of ${urn} was absent from`)
    expect(body).toContain('Moved to Development')
    expect(body).toContain('was accepted into')
    // Every interest event in plain words, never the history's own codes.
    expect(body).not.toMatch(/\b(register|accept|close-up|allocated|withdraw):/)
    expect(body).toContain('Participation grant due')
    expect(body).toContain('£1,000')
    // In date order: the stage (2025), then the advocates and sessions of the next year.
    expect(body.indexOf('Moved to Development')).toBeLessThan(body.indexOf('became a Mastery Advocate'))
    expect(body.indexOf('became a Mastery Advocate')).toBeLessThan(body.indexOf('attended a session'))
    // A national viewer cannot record a move.
    expect(page.body).not.toContain(`/schools/${urn}/journey/stage`)
  })

  it('is linked from the school’s page for the hub’s team, and from the account of the school’s contact', async () => {
    const account = await request(t, clients.headteacher, 'GET', '/account')
    expect(account.body).toContain('href="/schools/990001/journey"')
    expect((await request(t, clients.headteacher, 'GET', '/schools/990001/journey')).statusCode).toBe(200)
    const school = await request(t, clients.hubLead, 'GET', '/schools/990001')
    expect(school.body).toContain('href="/schools/990001/journey"')
    const lead = await request(t, clients.hubLead, 'GET', '/schools/990001/journey')
    expect(lead.body).toContain('href="/schools/990001/journey/stage"')
  })

  it('answers another hub’s lead, a teacher and another school’s contact "page not found"', async () => {
    const urn = await schoolWithoutStage(t)
    for (const who of ['otherHubLead', 'teacher', 'specialist', 'headteacher'] as const)
      expect((await request(t, clients[who], 'GET', `/schools/${urn}/journey`)).statusCode).toBe(404)
    expect((await request(t, clients.hubLead, 'GET', '/schools/1/journey')).statusCode).toBe(404)
  })
})

describe('the demo’s school at Embedding', () => {
  it('shows Readiness two years ago, last year’s Development group with its grant, and Embedding now', async () => {
    const stage = await t.database.db
      .selectFrom('school_mastery_stages')
      .select('school_urn')
      .where('stage', '=', 'embedding')
      .where('to_date', 'is', null)
      .where('evidence', 'like', 'Completed the Development year%')
      .executeTakeFirstOrThrow()
    const page = await request(t, clients.hubLead, 'GET', `/schools/${stage.school_urn}/journey`)
    expect(page.statusCode).toBe(200)
    const body = text(page.body)
    expect(body).toContain('Stage now Embedding')
    for (const seen of [
      'Readiness 1 September 2024 1 September 2025',
      'Development 1 September 2025 1 September 2026',
      'Embedding 1 September 2026 Now',
      'Northvale Primary Development (last year) (Completed)',
      'became a Mastery Advocate for Primary Development, 2025/26',
      'attended a session of Northvale Primary Development (last year)',
      'Lesson study for Northvale Primary Development (last year)',
      'Support visit by',
      '£1,000 for Northvale Primary Development (last year), 2025/26',
    ])
      expect(body).toContain(seen)
    expect(
      body.match(/attended( \(arrived late\))? a session of Northvale Primary Development \(last year\)/g),
    ).toHaveLength(12)
  })
})

describe('the journey in the API', () => {
  it('reads a school’s stages and timeline, records a move (201) and refuses a bad one (422), changing nothing', async () => {
    const urn = await schoolWithoutStage(t)
    const url = `/api/v1/schools/${urn}/stages`
    const made = await request(t, clients.hubLead, 'POST', url, {
      stage: 'readiness',
      movedOn: '2025-09-01',
      evidence: 'The school has agreed its plan',
    })
    expect(made.statusCode).toBe(201)
    expect(made.json()).toMatchObject({
      urn,
      current: 'readiness',
      periods: [{ stage: 'readiness', toDate: null }],
    })
    const back = await request(t, clients.hubLead, 'POST', url, {
      stage: 'readiness',
      movedOn: '2025-08-01',
      evidence: '',
    })
    expect(back.statusCode).toBe(422)
    const fields = (back.json() as { errors: { field: string; message: string }[] }).errors.map(
      (e) => e.field,
    )
    expect(fields).toContain('evidence')
    const skip = await request(t, clients.hubLead, 'POST', url, {
      stage: 'embedding',
      movedOn: '2026-01-05',
      evidence: 'x',
    })
    expect(skip.statusCode).toBe(422)
    expect(JSON.stringify(skip.json())).toContain('not straight to Embedding')
    expect(await periods(urn)).toHaveLength(1)
    const read = await request(t, clients.nationalViewer, 'GET', url)
    expect(read.statusCode).toBe(200)
    expect(read.json()).toMatchObject({ current: 'readiness' })
    const timeline = await request(t, clients.hubAdmin, 'GET', `/api/v1/schools/${urn}/timeline`)
    expect(timeline.statusCode).toBe(200)
    expect((timeline.json() as { timeline: { kind: string; on: string }[] }).timeline).toContainEqual(
      expect.objectContaining({ kind: 'stage', on: '2025-09-01' }),
    )
    for (const who of ['otherHubLead', 'teacher'] as const) {
      expect((await request(t, clients[who], 'GET', url)).statusCode).toBe(404)
      expect(
        (
          await request(t, clients[who], 'POST', url, {
            stage: 'development',
            movedOn: '2026-01-05',
            evidence: 'x',
          })
        ).statusCode,
      ).toBe(404)
    }
    expect(
      (
        await request(t, clients.nationalViewer, 'POST', url, {
          stage: 'development',
          movedOn: '2026-01-05',
          evidence: 'x',
        })
      ).statusCode,
    ).toBe(404)
    expect(await periods(urn)).toHaveLength(1)
  })

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>
    }
    expect(Object.keys(doc.paths['/api/v1/schools/{urn}/stages']!)).toEqual(
      expect.arrayContaining(['get', 'post']),
    )
    expect(doc.paths['/api/v1/schools/{urn}/timeline']).toHaveProperty('get')
  })
})
