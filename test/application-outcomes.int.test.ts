// What an application says about itself once things have happened to it, through the real app:
// the released outcome in every list and the API, the hub's rank on the decision page, no
// withdrawal once a place is accepted, a read-only task list after the window closes, an
// endorsement that no longer covers changed answers, a reserve offered a place, a second cohort
// while holding a place (docs/adr/0020), and the headteacher's page showing what they endorse.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { HEAD, lastEndorsementToken, OPEN_COHORT, pageText as text } from './application-fixtures.ts'
import { actorByEmail, contextFor, NORTHVALE, placeToken, roundAt } from './decision-fixtures.ts'
import { issueApiToken, request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import type { Actor } from '../src/domain/access/actor.ts'
import { startApplication } from '../src/domain/applications/start-application.ts'
import { offerPlaceToReserve } from '../src/domain/selection/offers/offers-pass-to-reserve.ts'
import { ValidationError } from '../src/errors.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
let cohortNumber = 300

beforeAll(async () => {
  t = await createTestApp() // 10am on 22 November 2026
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

/** A new teacher with a session and an API token of their own. */
async function newTeacher(): Promise<{ client: Client; actor: Actor; token: string }> {
  const email = `teacher-${randomUUID()}@school.example`
  const person = await t.database.db
    .insertInto('people')
    .values({ name: 'Olive Outcome', email })
    .returning('id')
    .executeTakeFirstOrThrow()
  const grant = await t.database.db
    .insertInto('grants')
    .values({ person_id: person.id, role: 'teacher' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const fresh = await signInPersonas(t)
  await t.database.db
    .updateTable('sessions')
    .set({ person_id: person.id })
    .where('csrf_token', '=', fresh.teacher.csrf)
    .execute()
  const token = await issueApiToken(t.database.db, person.id, grant.id, t.clock.now())
  return {
    client: { ...fresh.teacher, personId: person.id },
    actor: (await actorForPerson(t.database.db, person.id))!,
    token,
  }
}

async function page(client: Client, url: string): Promise<{ status: number; html: string; text: string }> {
  const response = await request(t, client, 'GET', url)
  return { status: response.statusCode, html: response.body, text: text(response.body) }
}

/** A released round where the new teacher was selected; both they and the headteacher accept. */
async function acceptedPlace() {
  const teacher = await newTeacher()
  const round = await roundAt(t.database.db, t.clock, 'released', {
    number: cohortNumber++,
    applicant: teacher.actor,
  })
  const accepted = await request(t, teacher.client, 'POST', `/applications/${round.selected.id}/offer`, {
    decision: 'accept',
  })
  expect(accepted.statusCode).toBe(303)
  const head = await request(t, clients.anonymous, 'POST', `/places/${round.placeToken}`, {
    decision: 'accept',
  })
  expect(head.statusCode).toBeLessThan(400)
  return { teacher, round }
}

describe('the outcome, once released', () => {
  it('is shown in the teacher’s list, the hub’s list and the API instead of “Submitted”', async () => {
    const { teacher, round } = await acceptedPlace()
    const own = await page(teacher.client, '/applications')
    expect(own.text).toContain('Place accepted')
    expect(own.text).not.toMatch(/\bSubmitted\b/)

    const hub = await page(clients.hubLead, `/hubs/${NORTHVALE}/applications?cohort=${round.cohortId}`)
    const row = hub.html.split('<tr').find((r) => r.includes(round.selected.reference))!
    expect(text(row)).toContain('Place accepted')
    const reserveRow = hub.html.split('<tr').find((r) => r.includes(round.reserve.reference))!
    expect(text(reserveRow)).toContain('Reserve')

    const api = await t.app.inject({
      method: 'GET',
      url: `/api/v1/applications/${round.selected.id}`,
      headers: { authorization: `Bearer ${teacher.token}` },
    })
    expect(api.statusCode).toBe(200)
    expect(api.json()).toMatchObject({
      state: 'submitted',
      outcome: 'place-accepted',
      outcomeName: 'Place accepted',
    })
  })

  it('is not shown before release', async () => {
    const teacher = await newTeacher()
    const round = await roundAt(t.database.db, t.clock, 'approved', {
      number: cohortNumber++,
      applicant: teacher.actor,
    })
    const own = await page(teacher.client, '/applications')
    expect(own.text).toContain('Submitted')
    const api = await t.app.inject({
      method: 'GET',
      url: `/api/v1/applications/${round.selected.id}`,
      headers: { authorization: `Bearer ${teacher.token}` },
    })
    expect(api.json()).toMatchObject({ outcome: null })
  })

  it('no longer offers withdrawal once the place is accepted', async () => {
    const { teacher, round } = await acceptedPlace()
    const shown = await page(teacher.client, `/applications/${round.selected.id}`)
    expect(shown.text).toContain('Accepted')
    expect(shown.html).not.toContain(`/applications/${round.selected.id}/withdraw`)
    const form = await request(t, teacher.client, 'GET', `/applications/${round.selected.id}/withdraw`)
    expect(form.statusCode).toBe(303)
    const refused = await request(
      t,
      teacher.client,
      'POST',
      `/applications/${round.selected.id}/withdraw`,
      {},
    )
    expect(refused.statusCode).toBe(422)
    const row = await t.database.db
      .selectFrom('applications')
      .select('state')
      .where('id', '=', round.selected.id)
      .executeTakeFirstOrThrow()
    expect(row.state).toBe('submitted')
  })

  it('tells a reserve who is offered a place that they are offered one, not that they are a reserve', async () => {
    const reserveTeacher = await newTeacher()
    const round = await roundAt(t.database.db, t.clock, 'place-free', { number: cohortNumber++ })
    // The staged reserve is Rory; make the reserve's application the new teacher's for the page.
    await t.database.db
      .updateTable('applications')
      .set({ applicant_id: reserveTeacher.client.personId! })
      .where('id', '=', round.reserve.id)
      .execute()
    const before = await page(reserveTeacher.client, `/applications/${round.reserve.id}`)
    expect(before.text).toContain('Reserve')
    const hubLead = contextFor(
      t.database.db,
      t.clock,
      await actorByEmail(t.database.db, 'priya.shah@northvale.mathshub.example'),
    )
    await offerPlaceToReserve(hubLead, NORTHVALE, round.cohortId, { applicationId: round.reserve.id })
    const after = await page(reserveTeacher.client, `/applications/${round.reserve.id}`)
    const decision = after.text.slice(after.text.indexOf('Decision'), after.text.indexOf('History'))
    expect(decision).toContain('Offered')
    expect(decision).not.toMatch(/reserve/i)
    const own = await page(reserveTeacher.client, '/applications')
    expect(own.text).toContain('Offered a place')
    // The hub no longer lists them as reserve 1.
    const hub = await page(clients.hubLead, `/hubs/${NORTHVALE}/cohorts/${round.cohortId}/selection`)
    const row = hub.html.split('<tr').find((r) => r.includes(round.reserve.reference)) ?? ''
    expect(text(row)).not.toContain('reserve 1')
    expect(await placeToken(t.database.db, round.reserve.reference)).toBeTruthy()
  })
})

describe('the decision page', () => {
  it('gives the rank of the application ranked first', async () => {
    const round = await roundAt(t.database.db, t.clock, 'reviewing', { number: cohortNumber++ })
    const shown = await page(
      clients.hubLead,
      `/hubs/${NORTHVALE}/cohorts/${round.cohortId}/selection/applications/${round.selected.id}`,
    )
    expect(shown.status).toBe(200)
    expect(shown.text).toMatch(/Rank 1\b/)
    expect(shown.text).not.toContain('Not ranked')
  })
})

describe('a second cohort while holding a place', () => {
  it('is refused with a clear message, and nothing is started', async () => {
    const { teacher, round } = await acceptedPlace()
    const refused = await startApplication(
      contextFor(t.database.db, t.clock, teacher.actor),
      OPEN_COHORT,
    ).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(ValidationError)
    expect((refused as ValidationError).errors[0]).toMatchObject({ code: 'holds-place', field: 'cohortId' })
    expect((refused as ValidationError).errors[0]!.message).toContain('Cohort')
    const rows = await t.database.db
      .selectFrom('applications')
      .select('id')
      .where('applicant_id', '=', teacher.client.personId!)
      .execute()
    expect(rows.map((r) => r.id)).toEqual([round.selected.id])
    const apply = await request(t, teacher.client, 'POST', `/cohorts/${OPEN_COHORT}/apply`, {})
    expect(apply.statusCode).toBe(422)
    expect(text(apply.body)).toContain('You already hold a place')
  })
})

/** A new teacher's application at Northvale's primary school, endorsed by Helen Morris. */
async function endorsed(client: Client): Promise<number> {
  const started = await request(t, client, 'POST', `/cohorts/${OPEN_COHORT}/apply`, {})
  const id = Number(/\/applications\/(\d+)/.exec(String(started.headers.location))![1])
  await request(t, client, 'POST', `/applications/${id}/school`, { urn: '990001' })
  await request(t, client, 'POST', `/applications/${id}/teaching`, {
    hasQts: 'yes',
    trn: '7654321',
    yearsTeachingMaths: '6',
    currentRole: 'Year 5 teacher and maths lead',
    classesTaught: 'Year 5',
  })
  const evidence: Record<string, string> = {}
  for (const c of ['teaches-maths', 'time-commitment', 'good-teaching', 'enthusiasm', 'collaboration']) {
    evidence[`evidence-${c}`] = `My evidence for ${c}.`
  }
  await request(t, client, 'POST', `/applications/${id}/evidence`, evidence)
  await t.database.db.deleteFrom('rate_limits').execute()
  expect((await request(t, client, 'POST', `/applications/${id}/headteacher`, HEAD)).statusCode).toBe(303)
  const link = `/endorse/${await lastEndorsementToken(t.database.db)}`
  expect((await request(t, clients.anonymous, 'POST', link, { decision: 'confirm' })).statusCode).toBe(200)
  return id
}

describe('the headteacher’s page', () => {
  it('shows the application they are endorsing, and nothing more', async () => {
    const { client } = await newTeacher()
    const started = await request(t, client, 'POST', `/cohorts/${OPEN_COHORT}/apply`, {})
    const id = Number(/\/applications\/(\d+)/.exec(String(started.headers.location))![1])
    await request(t, client, 'POST', `/applications/${id}/school`, { urn: '990001' })
    await request(t, client, 'POST', `/applications/${id}/teaching`, {
      hasQts: 'yes',
      trn: '7654321',
      yearsTeachingMaths: '6',
      currentRole: 'Year 5 teacher and maths lead',
      classesTaught: 'Year 5',
    })
    await request(t, client, 'POST', `/applications/${id}/evidence`, {
      'evidence-good-teaching': 'I run the school’s lesson study group.',
    })
    await t.database.db.deleteFrom('rate_limits').execute()
    await request(t, client, 'POST', `/applications/${id}/headteacher`, HEAD)
    const shown = await page(clients.anonymous, `/endorse/${await lastEndorsementToken(t.database.db)}`)
    expect(shown.status).toBe(200)
    expect(shown.text).toContain('Olive Outcome')
    expect(shown.text).toContain('Christ Church Primary School')
    expect(shown.text).toContain('Year 5 teacher and maths lead')
    expect(shown.text).toContain('I run the school’s lesson study group.')
    const email = (
      await t.database.db
        .selectFrom('people')
        .select('email')
        .where('id', '=', client.personId!)
        .executeTakeFirstOrThrow()
    ).email
    expect(shown.html).not.toContain(email)
    expect(shown.html).not.toContain('7654321')
  })
})

describe('after the window closes', () => {
  it('shows the task list read-only, saying when the window closed', async () => {
    const { client } = await newTeacher()
    const id = await endorsed(client)
    t.clock.set('2027-01-25T10:00:00Z')
    try {
      const fresh = await signInPersonas(t)
      await t.database.db
        .updateTable('sessions')
        .set({ person_id: client.personId })
        .where('csrf_token', '=', fresh.teacher.csrf)
        .execute()
      const shown = await page({ ...fresh.teacher, personId: client.personId }, `/applications/${id}`)
      expect(shown.text).toContain('Applications closed at 5pm on 21 January 2027')
      // The history keeps what happened; the tag and the task list above it are read-only.
      expect(shown.text.slice(0, shown.text.indexOf('History'))).not.toContain('ready to submit')
      for (const task of ['school', 'teaching', 'evidence', 'headteacher', 'check']) {
        expect(shown.html).not.toContain(`href="/applications/${id}/${task}"`)
      }
    } finally {
      t.clock.set('2026-11-22T10:00:00Z')
      clients = await signInPersonas(t)
    }
  })
})

describe('changing answers after the headteacher endorsed them', () => {
  it('cancels the endorsement, so the headteacher is asked again; saving the same answers does not', async () => {
    const { client } = await newTeacher()
    const id = await endorsed(client)
    const state = async () =>
      (
        await t.database.db
          .selectFrom('applications')
          .select('state')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).state
    const evidence: Record<string, string> = {}
    for (const c of ['teaches-maths', 'time-commitment', 'good-teaching', 'enthusiasm', 'collaboration']) {
      evidence[`evidence-${c}`] = `My evidence for ${c}.`
    }
    expect((await request(t, client, 'POST', `/applications/${id}/evidence`, evidence)).statusCode).toBe(303)
    expect(await state()).toBe('endorsed')

    const form = await page(client, `/applications/${id}/evidence`)
    expect(form.text).toContain('ask your headteacher to endorse it again')

    evidence['evidence-good-teaching'] = 'Something quite different.'
    expect((await request(t, client, 'POST', `/applications/${id}/evidence`, evidence)).statusCode).toBe(303)
    expect(await state()).toBe('draft')
    const submit = await request(t, client, 'POST', `/applications/${id}/submit`, {
      idempotencyKey: randomUUID(),
    })
    expect(submit.statusCode).toBe(422)
    const shown = await page(client, `/applications/${id}`)
    expect(shown.text).toContain('You changed your answers after your headteacher endorsed them')
  })
})
