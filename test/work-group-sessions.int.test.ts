// The Work Group session pages on the demo: the group's page lists its sessions and links to add
// one; a cancelled group's session is refused with the error summary and nothing saved; a
// session's page with its moves; attendance marked on screen, uploaded as a file and entered by an
// advocate with the session's code on the public page; lesson study (a school not in the group
// refused); support visits; and anyone else answered "page not found".
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_LEADS } from '../src/domain/work-groups/work-groups.demo.ts'
import { createTestApp, type TestApp } from './app.ts'
import { openSession, request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { demoWorkGroup, freshWorkGroup } from './work-group-fixtures.ts'
import { fillGroup, freeSchools, type PlacedSchool } from './work-group-school-fixtures.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
let ruth: Client
let groupId: number
let schools: PlacedSchool[]

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

async function count(table: 'work_group_sessions' | 'work_group_attendance' | 'work_group_lesson_studies') {
  const row = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The session form for today (the test clock's day), 9am to noon, at the group's first school. */
function sessionForm(hostSchoolUrn: number, day = '22') {
  return {
    'date.day': day,
    'date.month': '11',
    'date.year': '2026',
    startTime: '09:00',
    endTime: '12:00',
    hostSchoolUrn: String(hostSchoolUrn),
    bigIdea: 'fluency',
    lessonObserved: 'Year 2: number bonds to 10 with ten frames',
  }
}

async function addSession(form: Record<string, string>): Promise<number> {
  const made = await request(t, ruth, 'POST', `/work-groups/${groupId}/sessions`, form)
  expect(made.statusCode).toBe(303)
  return Number(/\/work-group-sessions\/(\d+)/.exec(String(made.headers.location))![1])
}

function multipart(fields: Record<string, string>, file: { name: string; content: string }) {
  const boundary = '----sessionstest'
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  )
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`,
  )
  return {
    payload: parts.join('') + `--${boundary}--\r\n`,
    type: `multipart/form-data; boundary=${boundary}`,
  }
}

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
  const person = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', DEMO_LEADS[0].email)
    .executeTakeFirstOrThrow()
  ruth = {
    persona: 'specialist',
    personId: person.id,
    apiToken: null,
    ...(await openSession(t.database.db, person.id, t.clock.now())),
  }
  groupId = await demoWorkGroup(t)
  schools = await fillGroup(t, groupId, 2)
})
afterAll(async () => {
  await t?.close()
})

describe('a group’s sessions', () => {
  it('are listed on the group’s page, which links to add one, for its lead and the hub team', async () => {
    for (const client of [ruth, clients.hubLead]) {
      const page = await request(t, client, 'GET', `/work-groups/${groupId}`)
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('id="sessions"')
      expect(page.body).toContain(`href="/work-groups/${groupId}/sessions/new"`)
      expect(page.body).toContain(`href="/work-groups/${groupId}/support-visits/new"`)
    }
    const viewer = await request(t, clients.nationalViewer, 'GET', `/work-groups/${groupId}`)
    expect(viewer.body).toContain('id="sessions"')
    expect(viewer.body).not.toContain('/sessions/new')
  })

  it('adds a session from the form, and shows it on the group’s page and its own', async () => {
    const form = await request(t, ruth, 'GET', `/work-groups/${groupId}/sessions/new`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('Representation and Structure')
    const id = await addSession(sessionForm(schools[0]!.urn))
    const page = await request(t, ruth, 'GET', `/work-group-sessions/${id}?saved=added`)
    expect(page.statusCode).toBe(200)
    const body = text(page.body)
    expect(body).toContain('The session has been added')
    expect(body).toContain('22 November 2026, 9am to midday')
    expect(body).toContain('Fluency')
    const group = await request(t, ruth, 'GET', `/work-groups/${groupId}`)
    expect(group.body).toContain(`href="/work-group-sessions/${id}"`)
  })

  it('refuses a session for a cancelled group with the error summary, saving nothing', async () => {
    const cancelled = await freshWorkGroup(t, ['cancel'])
    const before = await count('work_group_sessions')
    const refused = await request(
      t,
      clients.hubLead,
      'POST',
      `/work-groups/${cancelled}/sessions`,
      sessionForm(990_025),
    )
    expect(refused.statusCode).toBe(422)
    expect(refused.body).toContain('govuk-error-summary')
    expect(text(refused.body)).toContain('This group has been cancelled, so no sessions can be added to it')
    expect(await count('work_group_sessions')).toBe(before)
  })

  it('refuses a form with its problems named by field', async () => {
    const before = await count('work_group_sessions')
    const refused = await request(t, ruth, 'POST', `/work-groups/${groupId}/sessions`, {
      ...sessionForm(schools[0]!.urn),
      'date.day': '',
      bigIdea: '',
    })
    expect(refused.statusCode).toBe(422)
    expect(refused.body).toContain('href="#date.day"')
    expect(refused.body).toContain('href="#bigIdea"')
    expect(await count('work_group_sessions')).toBe(before)
  })

  it('answers anyone else "page not found"', async () => {
    const id = await addSession(sessionForm(schools[0]!.urn, '26'))
    for (const persona of ['otherHubLead', 'specialist', 'teacher'] as const) {
      for (const url of [`/work-group-sessions/${id}`, `/work-groups/${groupId}/sessions/new`]) {
        expect((await request(t, clients[persona], 'GET', url)).statusCode).toBe(404)
      }
    }
    expect((await request(t, clients.nationalViewer, 'GET', `/work-group-sessions/${id}`)).statusCode).toBe(
      200,
    )
    expect(
      (await request(t, clients.nationalViewer, 'GET', `/work-group-sessions/${id}/attendance`)).statusCode,
    ).toBe(404)
  })
})

describe('attendance at a session', () => {
  it('is marked on screen; an absence without a reason is refused and nothing saved', async () => {
    const id = await addSession(sessionForm(schools[0]!.urn))
    const form = await request(t, ruth, 'GET', `/work-group-sessions/${id}/attendance`)
    expect(form.statusCode).toBe(200)
    const advocates = [...form.body.matchAll(/name="marks\.(\d+)\.advocateId" value="(\d+)"/g)].map((m) => [
      m[1]!,
      m[2]!,
    ])
    expect(advocates.length).toBeGreaterThanOrEqual(4)
    const mine = schools[0]!.advocateIds.map(String)
    const row = (advocateId: string) => advocates.find((a) => a[1] === advocateId)![0]!
    const body: Record<string, string> = {}
    for (const [i, advocateId] of advocates) body[`marks.${i}.advocateId`] = advocateId!
    body[`marks.${row(mine[0]!)}.status`] = 'late'
    body[`marks.${row(mine[1]!)}.status`] = 'absent'
    const before = await count('work_group_attendance')
    const refused = await request(t, ruth, 'POST', `/work-group-sessions/${id}/attendance`, body)
    expect(refused.statusCode).toBe(422)
    expect(refused.body).toContain(`href="#marks.${row(mine[1]!)}.absenceReason"`)
    expect(await count('work_group_attendance')).toBe(before)
    body[`marks.${row(mine[1]!)}.absenceReason`] = 'Parents’ evening'
    const saved = await request(t, ruth, 'POST', `/work-group-sessions/${id}/attendance`, body)
    expect(saved.statusCode).toBe(303)
    expect(await count('work_group_attendance')).toBe(before + 2)
    const page = text((await request(t, ruth, 'GET', `/work-group-sessions/${id}`)).body)
    expect(page).toContain('Late')
    expect(page).toContain('Absent: Parents’ evening')
  })

  it('is uploaded as a file: a bad row saves nothing and names its line and column', async () => {
    const id = await addSession(sessionForm(schools[1]!.urn))
    const template = await request(t, ruth, 'GET', `/work-group-sessions/${id}/attendance/template.csv`)
    expect(template.statusCode).toBe(200)
    expect(template.body.split('\n')[0]).toContain('Email,Status,Absence reason')
    const urn = schools[1]!.urn
    const bad = [
      'Email,Status,Absence reason',
      `advocate1.${urn}@school.example,present,`,
      `advocate2.${urn}@school.example,asleep,`,
    ].join('\n')
    const upload = (content: string) => {
      const body = multipart({ _csrf: ruth.csrf }, { name: 'a.csv', content })
      return t.app.inject({
        method: 'POST',
        url: `/work-group-sessions/${id}/attendance/upload`,
        headers: { cookie: `mh_session=${ruth.cookie}`, 'content-type': body.type },
        payload: body.payload,
      })
    }
    const before = await count('work_group_attendance')
    const refused = await upload(bad)
    expect(refused.statusCode).toBe(422)
    expect(text(refused.body)).toContain(
      'Line 3, column &quot;Status&quot;: enter present, late, left early or absent',
    )
    expect(await count('work_group_attendance')).toBe(before)
    expect((await upload(bad.replace('asleep', 'left early'))).statusCode).toBe(303)
    expect(await count('work_group_attendance')).toBe(before + 2)
  })

  it('is entered by an advocate on the public page with the code shown, the same answer for any address', async () => {
    const id = await addSession(sessionForm(schools[1]!.urn))
    const shown = await request(t, ruth, 'POST', `/work-group-sessions/${id}/code`)
    expect(shown.statusCode).toBe(200)
    const code = /<strong class="govuk-!-font-size-36">([A-Z0-9]{6})<\/strong>/.exec(shown.body)![1]!
    const page = await request(t, clients.anonymous, 'GET', `/work-group-sessions/${id}/attend`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('name="_csrf"')
    const before = await count('work_group_attendance')
    const stranger = await request(t, clients.anonymous, 'POST', `/work-group-sessions/${id}/attend`, {
      email: 'someone@elsewhere.example',
      code,
    })
    expect(stranger.statusCode).toBe(200)
    expect(await count('work_group_attendance')).toBe(before)
    const wrong = await request(t, clients.anonymous, 'POST', `/work-group-sessions/${id}/attend`, {
      email: `advocate1.${schools[1]!.urn}@school.example`,
      code: 'ZZZZZZ',
    })
    expect(wrong.statusCode).toBe(422)
    expect(text(wrong.body)).toContain('The code is not right')
    const right = await request(t, clients.anonymous, 'POST', `/work-group-sessions/${id}/attend`, {
      email: `advocate1.${schools[1]!.urn}@school.example`,
      code,
    })
    expect(right.statusCode).toBe(200)
    expect(text(right.body)).toBe(text(stranger.body))
    expect(await count('work_group_attendance')).toBe(before + 1)
  })
})

describe('lesson study and support visits', () => {
  it('records a school’s lesson study after the session is held, refusing a school not in the group', async () => {
    const id = await addSession(sessionForm(schools[0]!.urn))
    expect(
      (await request(t, ruth, 'POST', `/work-group-sessions/${id}/state`, { event: 'hold' })).statusCode,
    ).toBe(303)
    const study = {
      schoolUrn: String(schools[0]!.urn),
      lessonTaught: 'Year 2: number bonds within 20',
      taughtBy: 'Mr Shah',
      classes: '2S',
      learned: 'Ten frames helped pupils see the bond to ten first.',
    }
    const [outside] = await freeSchools(t, groupId, 1)
    const before = await count('work_group_lesson_studies')
    const refused = await request(t, ruth, 'POST', `/work-group-sessions/${id}/lesson-study`, {
      ...study,
      schoolUrn: String(outside),
    })
    expect(refused.statusCode).toBe(422)
    expect(text(refused.body)).toContain(
      'This school is not in the group, so its lesson study cannot be recorded',
    )
    expect(await count('work_group_lesson_studies')).toBe(before)
    const form = await request(
      t,
      ruth,
      'GET',
      `/work-group-sessions/${id}/lesson-study?school=${schools[0]!.urn}`,
    )
    expect(form.statusCode).toBe(200)
    expect(
      (await request(t, ruth, 'POST', `/work-group-sessions/${id}/lesson-study`, study)).statusCode,
    ).toBe(303)
    expect(await count('work_group_lesson_studies')).toBe(before + 1)
    expect(
      text((await request(t, clients.nationalViewer, 'GET', `/work-group-sessions/${id}`)).body),
    ).toContain('Ten frames helped pupils see the bond to ten first.')
  })

  it('records a lead’s support visit, shown with their half-days on the group’s page', async () => {
    const form = await request(t, ruth, 'GET', `/work-groups/${groupId}/support-visits/new`)
    expect(form.statusCode).toBe(200)
    const participationId = /name="participationId"[^]*?<option value="(\d+)"/.exec(form.body)![1]!
    const saved = await request(t, ruth, 'POST', `/work-groups/${groupId}/support-visits`, {
      participationId,
      schoolUrn: String(schools[0]!.urn),
      'visitedOn.day': '20',
      'visitedOn.month': '11',
      'visitedOn.year': '2026',
      halfDays: '3',
      notes: 'Co-planned a fluency lesson',
    })
    expect(saved.statusCode).toBe(303)
    const page = text((await request(t, ruth, 'GET', `/work-groups/${groupId}`)).body)
    expect(page).toContain('Co-planned a fluency lesson')
    expect(page).toMatch(/Ruth Adeyemi: \d+ half-days of in-school support/)
    const refused = await request(t, ruth, 'POST', `/work-groups/${groupId}/support-visits`, {
      participationId,
      schoolUrn: String(schools[0]!.urn),
      'visitedOn.day': '20',
      'visitedOn.month': '11',
      'visitedOn.year': '2026',
      halfDays: '5',
    })
    expect(refused.statusCode).toBe(422)
    expect(refused.body).toContain('href="#halfDays"')
  })
})

describe('the sessions API', () => {
  it('is in the OpenAPI document', async () => {
    const doc = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).body) as {
      paths: Record<string, unknown>
    }
    for (const path of [
      '/api/v1/work-groups/{id}/sessions',
      '/api/v1/work-group-sessions/{id}',
      '/api/v1/work-group-sessions/{id}/attendance',
      '/api/v1/work-group-sessions/{id}/attendance/import',
      '/api/v1/work-group-sessions/{id}/lesson-study',
      '/api/v1/work-groups/{id}/support-visits',
    ])
      expect(Object.keys(doc.paths)).toContain(path)
  })

  it('adds a session, marks and uploads attendance, and records lesson study, scoped like the pages', async () => {
    const lead = clients.hubLead
    const made = await request(t, lead, 'POST', `/api/v1/work-groups/${groupId}/sessions`, {
      date: '2026-11-22',
      startTime: '09:00',
      endTime: '12:00',
      hostSchoolUrn: schools[0]!.urn,
      bigIdea: 'variation',
      lessonObserved: 'Year 6: ratio with bar models',
    })
    expect(made.statusCode).toBe(201)
    const session = JSON.parse(made.body) as { id: number; status: string }
    expect(session.status).toBe('planned')
    const [a, b] = schools[0]!.advocateIds
    const marked = await request(t, lead, 'POST', `/api/v1/work-group-sessions/${session.id}/attendance`, {
      marks: [{ advocateId: a, status: 'present' }],
    })
    expect(JSON.parse(marked.body)).toEqual({ recorded: 1 })
    const csv = `Email,Status,Absence reason\r\nadvocate2.${schools[0]!.urn}@school.example,absent,Ill\r\n`
    const imported = await request(
      t,
      lead,
      'POST',
      `/api/v1/work-group-sessions/${session.id}/attendance/import`,
      {
        file: Buffer.from(csv).toString('base64'),
      },
    )
    expect(JSON.parse(imported.body)).toEqual({ recorded: 1 })
    const read = JSON.parse(
      (await request(t, clients.nationalViewer, 'GET', `/api/v1/work-group-sessions/${session.id}`)).body,
    ) as { attendance: { advocateId: number; status: string | null; method: string | null }[] }
    expect(read.attendance.find((m) => m.advocateId === a)).toMatchObject({
      status: 'present',
      method: 'screen',
    })
    expect(read.attendance.find((m) => m.advocateId === b)).toMatchObject({
      status: 'absent',
      method: 'upload',
    })
    expect(
      (await request(t, lead, 'POST', `/api/v1/work-group-sessions/${session.id}/state`, { event: 'hold' }))
        .statusCode,
    ).toBe(200)
    const [outside] = await freeSchools(t, groupId, 1)
    const study = {
      lessonTaught: 'Year 6: ratio',
      taughtBy: 'Ms Khan',
      classes: '6K',
      learned: 'Bar models help.',
    }
    const before = await count('work_group_lesson_studies')
    const refused = await request(t, lead, 'POST', `/api/v1/work-group-sessions/${session.id}/lesson-study`, {
      ...study,
      schoolUrn: outside,
    })
    expect(refused.statusCode).toBe(422)
    expect(JSON.parse(refused.body)).toEqual({
      errors: [
        {
          code: 'not-in-group',
          field: 'schoolUrn',
          message: 'This school is not in the group, so its lesson study cannot be recorded',
        },
      ],
    })
    expect(await count('work_group_lesson_studies')).toBe(before)
    const saved = await request(t, lead, 'POST', `/api/v1/work-group-sessions/${session.id}/lesson-study`, {
      ...study,
      schoolUrn: schools[0]!.urn,
    })
    expect(saved.statusCode).toBe(200)
    expect(
      (await request(t, clients.otherHubLead, 'GET', `/api/v1/work-group-sessions/${session.id}`)).statusCode,
    ).toBe(404)
  })

  it('refuses a session for a cancelled group with 422, saving nothing', async () => {
    const cancelled = await freshWorkGroup(t, ['cancel'])
    const before = await count('work_group_sessions')
    const refused = await request(t, clients.hubLead, 'POST', `/api/v1/work-groups/${cancelled}/sessions`, {
      date: '2026-11-30',
      startTime: '09:00',
      endTime: '12:00',
      hostSchoolUrn: 990_025,
      bigIdea: 'coherence',
      lessonObserved: 'Year 1: counting',
    })
    expect(refused.statusCode).toBe(422)
    expect(JSON.parse(refused.body)).toMatchObject({
      errors: [{ code: 'group-finished', field: 'workGroup' }],
    })
    expect(await count('work_group_sessions')).toBe(before)
  })
})
