// Data protection pages and API on the real app: the account page's download of your own data, an
// NCETM administrator's download of anyone's and the erasure confirmation page (with its GOV.UK
// error summary for a missing confirmation and for erasing yourself), the erased person's page and
// signed-out session; the API's subject access and erasure, with its 422 refusals.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { errorSummary, pageText } from './application-fixtures.ts'
import { openSession, request, signInPersonas, type Client, type PersonaName } from './personas.ts'

let t: TestApp
let clients: Record<PersonaName, Client>

async function personId(email: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.id
}

/** A new teacher with a session of their own. */
async function freshTeacher(name: string): Promise<{ id: number; email: string; client: Client }> {
  const email = `teacher-${randomUUID()}@school.example`
  const person = await t.database.db
    .insertInto('people')
    .values({ name, email, trn: '2468024' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await t.database.db.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
  const session = await openSession(t.database.db, person.id, t.clock.now())
  return {
    id: person.id,
    email,
    client: { persona: 'teacher', personId: person.id, ...session, apiToken: null },
  }
}

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})

afterAll(async () => {
  await t?.close()
})

describe('downloading the information held about you', () => {
  it('is offered on the account page and downloads your own data as a JSON file', async () => {
    const account = await request(t, clients.teacher, 'GET', '/account')
    expect(pageText(account.body)).toContain('Download the information we hold about you')
    const response = await request(t, clients.teacher, 'GET', '/account/personal-data')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="personal-data-\d+-[\d-]+\.json"$/,
    )
    expect(response.headers['cache-control']).toBe('no-store')
    const document = JSON.parse(response.body) as { person: { email: string }; roles: { role: string }[] }
    expect(document.person.email).toBe('amir.hussain@school.example')
    expect(document.roles.map((r) => r.role)).toContain('Teacher')
  })

  it('sends anonymous visitors to sign in', async () => {
    const response = await request(t, clients.anonymous, 'GET', '/account/personal-data')
    expect(response.statusCode).toBe(302)
    expect(response.headers.location).toBe('/sign-in')
  })

  it('gives NCETM administrators anyone’s, from the person’s page, and nobody else', async () => {
    const grace = await personId('grace.lee@northvale.mathshub.example')
    const page = await request(t, clients.nationalAdmin, 'GET', `/people/${grace}`)
    expect(pageText(page.body)).toContain('Download the information we hold about Grace Lee')
    expect(page.body).toContain(`href="/people/${grace}/erase"`)
    const viewerPage = await request(t, clients.nationalViewer, 'GET', `/people/${grace}`)
    expect(viewerPage.statusCode).toBe(200)
    expect(viewerPage.body).not.toContain('/personal-data')
    expect(viewerPage.body).not.toContain('/erase')

    const download = await request(t, clients.nationalAdmin, 'GET', `/people/${grace}/personal-data`)
    expect(download.statusCode).toBe(200)
    expect((JSON.parse(download.body) as { person: { name: string } }).person.name).toBe('Grace Lee')
    for (const persona of ['nationalViewer', 'hubLead', 'teacher'] as const) {
      expect(
        (await request(t, clients[persona], 'GET', `/people/${grace}/personal-data`)).statusCode,
        persona,
      ).toBe(404)
    }
  })
})

describe('erasing a person from the pages', () => {
  it('shows a confirmation page saying what will happen, to NCETM administrators only', async () => {
    const teacher = await freshTeacher('Pia Pagetest')
    const page = await request(t, clients.nationalAdmin, 'GET', `/people/${teacher.id}/erase`)
    expect(page.statusCode).toBe(200)
    const text = pageText(page.body)
    expect(text).toContain('Erase this person’s personal data')
    expect(text).toContain('Erasing cannot be undone.')
    expect(text).toContain('They will not be able to sign in: 1 session will end')
    expect(text).toContain('What will be kept')
    expect(page.body).toContain('govuk-warning-text')
    expect(page.body).toContain('name="_csrf"')
    expect(page.body).not.toContain('govuk-error-summary')
    for (const persona of ['nationalViewer', 'hubLead', 'teacher'] as const) {
      expect(
        (await request(t, clients[persona], 'GET', `/people/${teacher.id}/erase`)).statusCode,
        persona,
      ).toBe(404)
    }
  })

  it('lists what of a specialist’s development year will be erased, and what is kept', async () => {
    const sam = await personId('sam.carter@school.example')
    const text = pageText((await request(t, clients.nationalAdmin, 'GET', `/people/${sam}/erase`)).body)
    // The demo's Sam asked for step-free access on two bookings and handed in a reflection as a PDF.
    expect(text).toContain(
      'On their 1 place on a programme: access and dietary needs on 2 bookings, 0 reasons for an absence, 0 reasons for deferring or withdrawing, and the notes and reasons on 0 release-time entries and approvals will be removed.',
    )
    expect(text).toContain(
      'The evidence they handed in for 1 task (text, links and 1 file) and the feedback on it will be deleted.',
    )
    expect(text).not.toContain('calendar feed')
    expect(text).toContain('their development years’ stages, bookings, attendance, release days')
  })

  it('asks for confirmation with the GOV.UK error summary, changing nothing', async () => {
    const teacher = await freshTeacher('Quinn Unconfirmed')
    const response = await request(t, clients.nationalAdmin, 'POST', `/people/${teacher.id}/erase`, {})
    expect(response.statusCode).toBe(422)
    expect(errorSummary(response.body)).toEqual([
      { text: 'Confirm that you want to erase this person’s personal data', href: '#confirm' },
    ])
    expect(response.body).toContain('id="confirm"')
    const person = await t.database.db
      .selectFrom('people')
      .select(['name', 'erased_at'])
      .where('id', '=', teacher.id)
      .executeTakeFirstOrThrow()
    expect(person).toEqual({ name: 'Quinn Unconfirmed', erased_at: null })
  })

  it('refuses to erase yourself, with a clear message', async () => {
    const nadia = await personId('nadia.khan@ncetm.example')
    const response = await request(t, clients.nationalAdmin, 'POST', `/people/${nadia}/erase`, {
      confirm: 'yes',
    })
    expect(response.statusCode).toBe(422)
    expect(errorSummary(response.body)).toEqual([
      { text: 'You cannot erase your own personal data: ask another NCETM administrator', href: '#confirm' },
    ])
    const page = await request(t, clients.nationalAdmin, 'GET', `/people/${nadia}`)
    expect(page.body).not.toContain(`/people/${nadia}/erase`)
  })

  it('erases, shows "Erased person" and ends the person’s session', async () => {
    const teacher = await freshTeacher('Rhea Erasable')
    expect((await request(t, teacher.client, 'GET', '/account')).statusCode).toBe(200)
    const response = await request(t, clients.nationalAdmin, 'POST', `/people/${teacher.id}/erase`, {
      confirm: 'yes',
    })
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(`/people/${teacher.id}`)
    const page = await request(t, clients.nationalAdmin, 'GET', `/people/${teacher.id}`)
    const text = pageText(page.body)
    expect(text).toContain('Erased person')
    expect(text).toContain('This person’s personal data was erased at 10am on 22 November 2026')
    expect(text).not.toContain('Rhea')
    expect(page.body).not.toContain(`/people/${teacher.id}/erase"`)
    expect(page.body).not.toContain('Give role')
    // Their session is gone: they are sent to sign in.
    const account = await request(t, teacher.client, 'GET', '/account')
    expect(account.statusCode).toBe(302)
    expect(account.headers.location).toBe('/sign-in')
    // Again: the confirmation page says it is done, and posting changes nothing.
    const again = await request(t, clients.nationalAdmin, 'GET', `/people/${teacher.id}/erase`)
    expect(pageText(again.body)).toContain('There is nothing more to erase.')
    expect(
      (await request(t, clients.nationalAdmin, 'POST', `/people/${teacher.id}/erase`, { confirm: 'yes' }))
        .statusCode,
    ).toBe(303)
  })
})

describe('the API', () => {
  it('gives NCETM administrators a person’s data, and answers 404 to others', async () => {
    const grace = await personId('grace.lee@northvale.mathshub.example')
    const response = await request(t, clients.nationalAdmin, 'GET', `/api/v1/people/${grace}/subject-access`)
    expect(response.statusCode).toBe(200)
    const body = response.json<{ format: string; person: { email: string }; withheld: string[] }>()
    expect(body.format).toBe('masteryhub-personal-data')
    expect(body.person.email).toBe('grace.lee@northvale.mathshub.example')
    expect(
      (await request(t, clients.hubLead, 'GET', `/api/v1/people/${grace}/subject-access`)).statusCode,
    ).toBe(404)
    expect(
      (await request(t, clients.anonymous, 'GET', `/api/v1/people/${grace}/subject-access`)).statusCode,
    ).toBe(401)
  })

  it('includes a specialist’s development years: needs and evidence files by name, never their bytes', async () => {
    const sam = await personId('sam.carter@school.example')
    const response = await request(t, clients.nationalAdmin, 'GET', `/api/v1/people/${sam}/subject-access`)
    expect(response.statusCode).toBe(200)
    const body = response.json<{
      developmentYears: {
        participations: {
          bookings: { accessNeeds: string | null; attendance: { status: string }[] }[]
          releaseTime: { entries: unknown[] }
          taskSubmissions: { evidence: { kind: string; file: { name: string; type: string } | null } }[]
        }[]
        accreditation: { requirementsMet: unknown[]; pdLead: unknown }
        calendarFeed: { held: boolean }
      }
    }>()
    const [year] = body.developmentYears.participations
    expect(year!.bookings.map((b) => b.accessNeeds)).toEqual([
      'Step-free access to rooms, please',
      'Step-free access to rooms, please',
    ])
    expect(year!.bookings[0]!.attendance.map((a) => a.status)).toEqual(['present', 'present'])
    expect(year!.releaseTime.entries.length).toBeGreaterThan(0)
    expect(year!.taskSubmissions).toEqual([
      expect.objectContaining({
        evidence: expect.objectContaining({
          kind: 'file',
          file: expect.objectContaining({ name: 'reflection.pdf', type: 'pdf' }),
        }),
      }),
    ])
    expect(response.body).not.toContain('stem sentences in every lesson')
    expect(body.developmentYears.accreditation.requirementsMet).toHaveLength(1)
    expect(body.developmentYears.calendarFeed).toEqual({ held: false, createdAt: null })
  })

  it('erases with confirm: true, refuses anything else with 422, and erasing twice is harmless', async () => {
    const teacher = await freshTeacher('Sol Apierase')
    const url = `/api/v1/people/${teacher.id}/erasure`
    const missing = await request(t, clients.nationalAdmin, 'POST', url, {})
    expect(missing.statusCode).toBe(422)
    expect(missing.json()).toEqual({
      errors: [
        {
          code: 'invalid',
          field: 'confirm',
          message: 'Send confirm: true to erase this person’s personal data',
        },
      ],
    })
    expect((await request(t, clients.nationalAdmin, 'POST', url, { confirm: 'yes' })).statusCode).toBe(422)
    expect((await request(t, clients.hubLead, 'POST', url, { confirm: true })).statusCode).toBe(404)
    const erased = await request(t, clients.nationalAdmin, 'POST', url, { confirm: true })
    expect(erased.statusCode).toBe(200)
    expect(erased.json()).toEqual({
      personId: teacher.id,
      outcome: 'erased',
      erasedAt: '2026-11-22T10:00:00.000Z',
    })
    const again = await request(t, clients.nationalAdmin, 'POST', url, { confirm: true })
    expect(again.json()).toMatchObject({ outcome: 'already-erased' })
    const nadia = await personId('nadia.khan@ncetm.example')
    const self = await request(t, clients.nationalAdmin, 'POST', `/api/v1/people/${nadia}/erasure`, {
      confirm: true,
    })
    expect(self.statusCode).toBe(422)
    expect(self.json()).toMatchObject({ errors: [{ code: 'self', field: 'confirm' }] })
  })

  it('is described in the OpenAPI document', async () => {
    const document = (await request(t, clients.anonymous, 'GET', '/api/v1/openapi.json')).json<{
      paths: Record<string, Record<string, unknown>>
    }>()
    expect(Object.keys(document.paths['/api/v1/people/{id}/subject-access'] ?? {})).toEqual(['get'])
    expect(Object.keys(document.paths['/api/v1/people/{id}/erasure'] ?? {})).toEqual(['post'])
    const schema = JSON.stringify(document.paths['/api/v1/people/{id}/subject-access'])
    for (const property of ['developmentYears', 'accessNeeds', 'taskSubmissions', 'calendarFeed']) {
      expect(schema).toContain(`"${property}"`)
    }
  })
})

describe('HEAD requests', () => {
  it('do not build or audit a download', async () => {
    const grace = await personId('grace.lee@northvale.mathshub.example')
    const before = await t.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'person.subject-access-export')
      .execute()
    for (const url of [
      '/account/personal-data',
      `/people/${grace}/personal-data`,
      `/api/v1/people/${grace}/subject-access`,
    ]) {
      expect((await request(t, clients.nationalAdmin, 'HEAD', url)).statusCode, url).toBe(404)
    }
    const after = await t.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'person.subject-access-export')
      .execute()
    expect(after).toHaveLength(before.length)
  })
})
