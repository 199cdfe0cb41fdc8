// "Ask again": where the service could not verify the headteacher a teacher named, the hub's lead
// asks a headteacher whose address the hub has checked to confirm the application, through pages.
// The link works once; "yes" verifies, "no" is shown to the hub; other hubs and the teacher cannot
// ask; bad input changes nothing; the request and its answer are audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../src/domain/access/actor.ts'
import { requestEndorsement } from '../src/domain/applications/request-endorsement.ts'
import { respondToEndorsement } from '../src/domain/applications/respond-to-endorsement.ts'
import { saveApplication } from '../src/domain/applications/save-application.ts'
import { startApplication } from '../src/domain/applications/start-application.ts'
import { submitApplication } from '../src/domain/applications/submit-application.ts'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'
import type { UseCaseContext } from '../src/domain/use-case.ts'
import { createTestApp, type TestApp } from './app.ts'
import {
  errorSummary,
  essentialEvidence,
  KINGSMEAD_PRIMARY,
  lastEndorsementToken,
  OPEN_COHORT,
  pageText as text,
  TEACHING,
} from './application-fixtures.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
let teachers = 0

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

function context(actor: Actor): UseCaseContext {
  return { db: t.database.db, actor, clock: t.clock, baseUrl: 'http://localhost:3000' }
}

/** A submitted application at Kingsmead (no school contact held), endorsed by whom the teacher named. */
async function unverifiedApplication(): Promise<number> {
  teachers++
  const person = await t.database.db
    .insertInto('people')
    .values({ name: `Tara Teacher ${teachers}`, email: `tara${teachers}@kingsmead.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  await t.database.db.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
  const teacher = (await actorForPerson(t.database.db, person.id))!
  const { application } = await startApplication(context(teacher), OPEN_COHORT)
  await saveApplication(context(teacher), application.id, {
    school: { urn: KINGSMEAD_PRIMARY },
    teaching: TEACHING,
    evidence: essentialEvidence((await findCohort(t.database.db, OPEN_COHORT))!),
  })
  const named = `named${teachers}@kingsmead.example`
  await requestEndorsement(context(teacher), application.id, { name: 'Nat Named', email: named })
  const token = await lastEndorsementToken(t.database.db, named)
  await respondToEndorsement(context(ANONYMOUS), token, { decision: 'confirm' })
  await submitApplication(context(teacher), application.id, {})
  return application.id
}

/** The token in the newest confirmation link emailed to the address. */
async function confirmationToken(email: string): Promise<string> {
  const row = await t.database.db
    .selectFrom('outbox')
    .select(['body_text', 'subject'])
    .where('to_address', '=', email)
    .where('template', '=', 'headteacher-confirmation')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return /\/confirm-headteacher\/([A-Za-z0-9_-]+)/.exec(row.body_text)![1]!
}

/** A visitor without a session opens the link; they can then post its form with the cookie and token it gave. */
async function visit(path: string) {
  const opened = await t.app.inject({ method: 'GET', url: path })
  const cookies = ([] as string[]).concat(opened.headers['set-cookie'] ?? [])
  const cookie = cookies.map((c) => c.split(';')[0]).join('; ')
  const csrf = /name="_csrf" value="([^"]*)"/.exec(opened.body)?.[1] ?? ''
  const answer = (value?: string) =>
    t.app.inject({
      method: 'POST',
      url: path,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, ...(value ? { answer: value } : {}) }).toString(),
    })
  return { opened, answer }
}

async function answerAsVisitor(path: string, value?: string) {
  const visitor = await visit(path)
  return { opened: visitor.opened, answered: await visitor.answer(value) }
}

async function state(id: number) {
  const application = await t.database.db
    .selectFrom('applications')
    .select(['headteacher_verification', 'state'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  const confirmations = await t.database.db
    .selectFrom('headteacher_confirmations')
    .select(['headteacher_email', 'answer', 'replaced_at'])
    .where('application_id', '=', id)
    .orderBy('id')
    .execute()
  const outbox = Number(
    (
      await t.database.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
  return { application, confirmations, outbox }
}

describe('the hub asks the school’s headteacher to confirm', () => {
  it('is offered on the hub lead’s page of an unverified application, and the link confirms it once', async () => {
    const id = await unverifiedApplication()
    const page = await request(t, clients.hubLead, 'GET', `/applications/${id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(`href="/applications/${id}/ask-headteacher"`)

    const form = await request(t, clients.hubLead, 'GET', `/applications/${id}/ask-headteacher`)
    expect(form.statusCode).toBe(200)
    expect(text(form.body)).toContain('Ask the school’s headteacher to confirm')

    const sent = await request(t, clients.hubLead, 'POST', `/applications/${id}/ask-headteacher`, {
      name: 'Kim Kingsmead',
      email: 'head@kingsmead-primary.example',
    })
    expect(sent.statusCode).toBe(303)
    expect(sent.headers.location).toBe(`/applications/${id}?confirmation-asked=1`)
    const after = await request(t, clients.hubLead, 'GET', String(sent.headers.location))
    expect(text(after.body)).toContain('We have emailed the headteacher')
    expect(text(after.body)).toContain('You asked Kim Kingsmead to confirm it')

    const token = await confirmationToken('head@kingsmead-primary.example')
    const path = `/confirm-headteacher/${token}`
    const visitor = await visit(path)
    const { opened } = visitor
    const answered = await visitor.answer('confirmed')
    expect(opened.statusCode).toBe(200)
    // The headteacher sees the application they are asked about.
    expect(text(opened.body)).toContain(`Tara Teacher ${teachers}`)
    expect(text(opened.body)).toContain('Kingsmead')
    expect(text(opened.body)).toContain(TEACHING.currentRole)
    expect(answered.statusCode).toBe(200)
    expect(text(answered.body)).toContain('You have confirmed the application')
    expect((await state(id)).application.headteacher_verification).toBe('headteacher')

    // Once only: the link now says it has been used, and changes nothing.
    const before = await state(id)
    const again = await visitor.answer('not-confirmed')
    expect(again.statusCode).toBe(410)
    expect(text(again.body)).toContain('You have already answered this request')
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(410)
    expect(await state(id)).toEqual(before)
    const hubPage = await request(t, clients.hubLead, 'GET', `/applications/${id}`)
    expect(hubPage.body).not.toContain('Headteacher not verified')
    expect(hubPage.body).not.toContain('/ask-headteacher')

    const audit = await t.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('record_type', '=', 'application')
      .where('record_id', '=', String(id))
      .execute()
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['application.ask-headteacher', 'application.headteacher-confirmation']),
    )
  })

  it('shows the hub a “no”, and asking again retires the earlier link', async () => {
    const id = await unverifiedApplication()
    const ask = (email: string) =>
      request(t, clients.hubLead, 'POST', `/applications/${id}/ask-headteacher`, {
        name: 'Kim Kingsmead',
        email,
      })
    expect((await ask('first@kingsmead-primary.example')).statusCode).toBe(303)
    const first = await visit(
      `/confirm-headteacher/${await confirmationToken('first@kingsmead-primary.example')}`,
    )
    expect(first.opened.statusCode).toBe(200)
    expect((await ask('second@kingsmead-primary.example')).statusCode).toBe(303)
    const late = await first.answer('confirmed')
    expect(late.statusCode).toBe(410)
    expect((await state(id)).application.headteacher_verification).toBeNull()

    const second = await answerAsVisitor(
      `/confirm-headteacher/${await confirmationToken('second@kingsmead-primary.example')}`,
      'not-confirmed',
    )
    expect(second.answered.statusCode).toBe(200)
    expect((await state(id)).application.headteacher_verification).toBeNull()
    const hubPage = await request(t, clients.hubLead, 'GET', `/applications/${id}`)
    expect(text(hubPage.body)).toContain('Headteacher did not confirm')
  })

  it('refuses bad input with the error summary, and an answer not chosen, changing nothing', async () => {
    const id = await unverifiedApplication()
    const before = await state(id)
    for (const [fields, field] of [
      [{ name: '', email: 'head@kingsmead-primary.example' }, '#name'],
      [{ name: 'Kim Kingsmead', email: 'not an address' }, '#email'],
      [{ name: 'Kim Kingsmead', email: `TARA${teachers}+x@kingsmead.example` }, '#email'],
    ] as const) {
      const refused = await request(t, clients.hubLead, 'POST', `/applications/${id}/ask-headteacher`, fields)
      expect(refused.statusCode).toBe(422)
      expect(errorSummary(refused.body).map((e) => e.href)).toEqual([field])
    }
    expect(await state(id)).toEqual(before)

    await request(t, clients.hubLead, 'POST', `/applications/${id}/ask-headteacher`, {
      name: 'Kim Kingsmead',
      email: 'blank@kingsmead-primary.example',
    })
    const asked = await state(id)
    const { answered } = await answerAsVisitor(
      `/confirm-headteacher/${await confirmationToken('blank@kingsmead-primary.example')}`,
    )
    expect(answered.statusCode).toBe(422)
    expect(errorSummary(answered.body).map((e) => e.href)).toEqual(['#answer'])
    expect(await state(id)).toEqual(asked)
  })

  it('is not found for another hub’s lead, the teacher’s reviewers and the teacher, and for unknown links', async () => {
    const id = await unverifiedApplication()
    const before = await state(id)
    for (const persona of ['otherHubLead', 'reviewer', 'teacher', 'anonymous'] as const) {
      const form = await request(t, clients[persona], 'GET', `/applications/${id}/ask-headteacher`)
      expect([404, 302, 303], persona).toContain(form.statusCode)
      const sent = await request(t, clients[persona], 'POST', `/applications/${id}/ask-headteacher`, {
        name: 'Kim Kingsmead',
        email: 'someone@kingsmead-primary.example',
      })
      expect([404, 302, 303], persona).toContain(sent.statusCode)
      if (sent.statusCode !== 404) expect(String(sent.headers.location)).toMatch(/^\/sign-in/)
    }
    expect(await state(id)).toEqual(before)
    const unknown = await t.app.inject({ method: 'GET', url: `/confirm-headteacher/${'x'.repeat(43)}` })
    expect(unknown.statusCode).toBe(404)
  })
})
