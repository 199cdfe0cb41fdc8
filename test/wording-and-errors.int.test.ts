// What pages say: counts pluralised, the home page's programmes from the catalogue, one message
// per field, and the error summary in the order of the fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { errorSummary, pageText as text } from './application-fixtures.ts'
import { completedReview, decisionCohort, NORTHVALE, submittedApplication } from './decision-fixtures.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { listProgrammes } from '../src/domain/programmes/programmes.repository.ts'

let t: TestApp
let clients: Record<PersonaName, Client>

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

describe('counts', () => {
  it('say "1 application", not "1 applications", on a hub’s selection page', async () => {
    const cohortId = await decisionCohort(t.database.db, 700)
    const app = await submittedApplication(t.database.db, t.clock, cohortId, 'Ona Only')
    await completedReview(t.database.db, t.clock, app.id)
    const page = await request(t, clients.hubLead, 'GET', `/hubs/${NORTHVALE}/cohorts/${cohortId}/selection`)
    expect(page.statusCode).toBe(200)
    expect(text(page.body)).toContain('(1 application)')
    expect(text(page.body)).not.toMatch(/\b1 applications\b/)
  })
})

describe('the home page', () => {
  it('lists every programme in the catalogue, each linked, and says how many', async () => {
    const programmes = await listProgrammes(t.database.db)
    expect(programmes.length).toBeGreaterThan(2)
    const page = await request(t, clients.anonymous, 'GET', '/')
    expect(page.statusCode).toBe(200)
    expect(text(page.body)).toContain(`There are ${programmes.length} programmes:`)
    for (const programme of programmes) {
      expect(page.body).toContain(`href="/programmes/${programme.id}"`)
      expect(text(page.body)).toContain(programme.name)
    }
  })
})

describe('form errors', () => {
  it('give one message for an empty email field, in the summary and beside the field', async () => {
    for (const [url, body] of [
      ['/sign-in', { email: '' }],
      ['/create-account', { name: 'Ann Teacher', email: '   ' }],
    ] as const) {
      const page = await request(t, clients.anonymous, 'POST', url, body)
      expect(page.statusCode).toBe(422)
      expect(errorSummary(page.body)).toEqual([{ href: '#email', text: 'Enter your email address' }])
      expect(page.body.match(/class="govuk-error-message"/g)).toHaveLength(1)
    }
  })

  it('give one error per field in the API too', async () => {
    const answer = await request(t, clients.hubLead, 'POST', `/api/v1/hubs/${NORTHVALE}/team`, {
      email: '',
      name: 'New Reviewer',
      role: 'reviewer',
    })
    expect(answer.statusCode).toBe(422)
    expect((answer.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['email'])
  })

  it('list the summary in the order of the fields on create account', async () => {
    const page = await request(t, clients.anonymous, 'POST', '/create-account', { name: '', email: '' })
    expect(page.statusCode).toBe(422)
    const summary = errorSummary(page.body).map((e) => e.href)
    expect(summary).toEqual(['#name', '#email'])
    const fieldOrder = [...page.body.matchAll(/<input[^>]*\bid="(name|email)"/g)].map((m) => `#${m[1]}`)
    expect(summary).toEqual(fieldOrder)
  })
})
