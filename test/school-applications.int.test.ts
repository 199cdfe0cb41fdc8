// A headteacher (a school's contact) sees their school's applications once asked to endorse them,
// what waits for their endorsement, and places waiting for their answer; no other school's, and
// nobody else sees theirs. The list is linked from their menu and account page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import {
  essentialEvidence,
  HEAD,
  KINGSMEAD_PRIMARY,
  NORTHVALE_PRIMARY,
  pageText as text,
  TEACHING,
} from './application-fixtures.ts'
import { actorByEmail, contextFor, roundAt } from './decision-fixtures.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { requestEndorsement } from '../src/domain/applications/request-endorsement.ts'
import { saveApplication } from '../src/domain/applications/save-application.ts'
import { startApplication } from '../src/domain/applications/start-application.ts'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
const PAGE = `/schools/${NORTHVALE_PRIMARY}/applications`

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

/** A new teacher's complete draft at the school for the open demo cohort; asks the head when told. */
async function draftAt(urn: number, name: string, ask: boolean) {
  const teacher = await t.database.db
    .insertInto('people')
    .values({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  await t.database.db.insertInto('grants').values({ person_id: teacher.id, role: 'teacher' }).execute()
  const context = contextFor(
    t.database.db,
    t.clock,
    await actorByEmail(t.database.db, `${name.toLowerCase().replace(/\W+/g, '.')}@school.example`),
  )
  const cohortId = 'primary-mastery-specialist-13'
  const { application } = await startApplication(context, cohortId)
  await saveApplication(context, application.id, {
    school: { urn },
    teaching: TEACHING,
    evidence: essentialEvidence((await findCohort(t.database.db, cohortId))!),
  })
  await t.database.db.deleteFrom('rate_limits').where('key', 'like', 'headteacher-request:%').execute()
  if (ask) await requestEndorsement(context, application.id, HEAD)
  return application
}

describe('a school’s applications, for its headteacher', () => {
  it('lists those the headteacher was asked to endorse, and what waits for them', async () => {
    const unsent = await draftAt(NORTHVALE_PRIMARY, 'Una Unsent', false)
    const asked = await draftAt(NORTHVALE_PRIMARY, 'Asha Asked', true)
    const elsewhere = await draftAt(KINGSMEAD_PRIMARY, 'Ezra Elsewhere', true)

    const page = await request(t, clients.headteacher, 'GET', PAGE)
    expect(page.statusCode).toBe(200)
    const words = text(page.body)
    expect(words).toContain('Applications from your school')
    expect(words).toMatch(
      /Waiting for your endorsement Asha Asked ?, Primary Mastery Specialist Programme: Cohort 13/,
    )
    expect(words).toContain(asked.reference)
    expect(words).toContain('We emailed a link to helen.morris@school.example')
    expect(words).not.toContain(unsent.reference)
    expect(words).not.toContain('Una Unsent')
    expect(words).not.toContain(elsewhere.reference)
  })

  it('shows a place offered, waiting for the headteacher’s answer', async () => {
    const round = await roundAt(t.database.db, t.clock, 'released', { number: 810 })
    clients = await signInPersonas(t)
    const words = text((await request(t, clients.headteacher, 'GET', PAGE)).body)
    expect(words).toMatch(
      new RegExp(`Places waiting for your answer ${round.selected.name} has been offered a place`),
    )
    expect(words).toContain('Place offered: waiting for your answer')
  })

  it('is “page not found” for another school and for everyone else; anonymous visitors sign in', async () => {
    expect(
      (await request(t, clients.headteacher, 'GET', `/schools/${KINGSMEAD_PRIMARY}/applications`)).statusCode,
    ).toBe(404)
    expect((await request(t, clients.headteacher, 'GET', '/schools/0/applications')).statusCode).toBe(404)
    expect((await request(t, clients.headteacher, 'GET', '/schools/abc/applications')).statusCode).toBe(404)
    for (const persona of ['teacher', 'hubLead', 'reviewer', 'nationalViewer', 'specialist'] as const) {
      expect((await request(t, clients[persona], 'GET', PAGE)).statusCode, persona).toBe(404)
    }
    const anonymous = await request(t, clients.anonymous, 'GET', PAGE)
    expect(anonymous.statusCode).toBe(302)
    expect(anonymous.headers.location).toBe('/sign-in')
  })

  it('is linked from the headteacher’s menu and account page', async () => {
    const account = await request(t, clients.headteacher, 'GET', '/account')
    expect(account.body).toMatch(
      new RegExp(`<a class="govuk-service-navigation__link" href="${PAGE}"[^>]*>\\s*Applications\\s*</a>`),
    )
    expect(account.body).toContain(`<a class="govuk-link" href="${PAGE}">Applications from`)
  })
})
