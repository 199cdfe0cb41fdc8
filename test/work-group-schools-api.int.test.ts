// The API for schools in Work Groups on the demo: a school's interests for its contacts and NCETM,
// a hub's for its team; registering interest, the leaders' support, naming and changing advocates,
// the hub's decisions and withdrawing (the waiting list closing up behind a school that leaves it).
// Refusals are 422 with the reasons and change nothing (an ineligible school, one out of the hub's
// area, Development a second time, a third advocate, a full group, a second withdrawal); another
// hub's lead or another school's contact gets 404. Withdrawing from the school's page asks first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answerSupportRequest } from '../src/domain/work-groups/schools/answer-support.ts'
import { createTestApp, type TestApp } from './app.ts'
import { contextOf } from './event-fixtures.ts'
import { PERSONAS, request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { demoWorkGroup, freshWorkGroup, WORK_GROUP_HUB } from './work-group-fixtures.ts'
import {
  freeSchoolsIn,
  placeSchool,
  readyInterest,
  schoolContact,
  type InterestScope,
} from './work-group-school-fixtures.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
const HELENS_SCHOOL = 990_001
const YEAR = '2026/27'
const READINESS: InterestScope = {
  hubId: WORK_GROUP_HUB,
  programmeId: 'readiness',
  academicYear: YEAR,
  phase: 'primary',
}

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

type Json = Record<string, unknown>
const json = (body: string) => JSON.parse(body) as Json
interface Interest {
  id: number
  status: string
  schoolUrn: number
  workGroupId: number | null
  workGroupName: string | null
  waitingPosition: number | null
  support: { role: string; state: string; name: string | null }[]
  advocates: { slot: number; name: string; toDate: string | null; changeReason: string | null }[]
  history?: { event: string; toStatus: string }[]
}
const interestOf = (body: string) => JSON.parse(body) as Interest

/** Schools with no interest in the programme and year, other than Helen Morris's (the demo's contact). */
async function freeSchools(scope: InterestScope, count: number): Promise<number[]> {
  return (await freeSchoolsIn(t, scope, count + 1)).filter((urn) => urn !== HELENS_SCHOOL).slice(0, count)
}

/** The contact of a school: an API token and a session of their own. */
async function contactOf(urn: number): Promise<Client> {
  return { persona: 'headteacher', ...(await schoolContact(t, urn)) }
}

const TABLES = [
  'work_group_interests',
  'work_group_interest_history',
  'work_group_advocates',
  'work_group_support_requests',
  'audit_events',
  'outbox',
] as const

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {}
  for (const table of TABLES) {
    const row = await t.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    result[table] = Number(row.n)
  }
  return result
}

/** The request is refused with 422 and the code, and nothing changes. */
async function refused(
  client: Client,
  url: string,
  body: Json | undefined,
  code: string,
): Promise<{ code: string; field: string; message: string }[]> {
  const before = await counts()
  const reply = await request(t, client, 'POST', url, body)
  expect(reply.statusCode, reply.body).toBe(422)
  const errors = json(reply.body).errors as { code: string; field: string; message: string }[]
  expect(errors.map((e) => e.code)).toContain(code)
  for (const e of errors) expect(e.field).toBeTruthy()
  expect(await counts()).toEqual(before)
  return errors
}

const interestForm = (programmeId: string, academicYear = YEAR, extra: Json = {}) => ({
  programmeId,
  academicYear,
  statement: 'We want to start teaching for mastery.',
  headOfMaths: { name: 'Jo Head', email: 'jo.head@school.example' },
  seniorLeader: { name: 'Sam Senior', email: 'sam.senior@school.example' },
  ...extra,
})

async function supportToken(email: string): Promise<string> {
  const row = await t.database.db
    .selectFrom('outbox')
    .select('body_text')
    .where('to_address', '=', email)
    .where('template', '=', 'work-group-support-request')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return /\/work-group-support\/([A-Za-z0-9_-]+)/.exec(row.body_text)![1]!
}

async function schoolOf(where: { stateFunded: boolean; laCode?: string; hub?: string }): Promise<number> {
  let query = t.database.db
    .selectFrom('schools')
    .leftJoin('school_hubs', 'school_hubs.urn', 'schools.urn')
    .select('schools.urn')
    .where('schools.open', '=', true)
    .where('schools.state_funded', '=', where.stateFunded)
  if (where.stateFunded) query = query.where('schools.phase', '=', 'Primary')
  if (where.laCode) query = query.where('schools.la_code', '=', where.laCode)
  if (where.hub) query = query.where('school_hubs.hub_id', '=', where.hub)
  query = query.where('schools.urn', '!=', HELENS_SCHOOL)
  const row = await query.orderBy('schools.urn').executeTakeFirstOrThrow()
  return row.urn
}

describe('a school’s and a hub’s interests', () => {
  it('lists a school’s interests for its contact and NCETM; a hub’s team and other schools are told it is not there', async () => {
    const url = `/api/v1/schools/${HELENS_SCHOOL}/work-group-interests`
    const own = await request(t, clients.headteacher, 'GET', url)
    expect(own.statusCode, own.body).toBe(200)
    const items = json(own.body).items as Interest[]
    const development = items.find((i) => i.workGroupName === 'Northvale Primary Development A')!
    expect(development).toMatchObject({ status: 'accepted', schoolUrn: HELENS_SCHOOL })
    expect(development.advocates.filter((a) => a.toDate === null)).toHaveLength(2)
    expect(development.support.map((s) => s.state)).toEqual(['supported', 'supported'])
    expect((await request(t, clients.nationalViewer, 'GET', url)).statusCode).toBe(200)
    const other = await contactOf(await schoolOf({ stateFunded: true, hub: WORK_GROUP_HUB }))
    for (const client of [clients.otherHubLead, clients.hubLead, clients.teacher, other])
      expect((await request(t, client, 'GET', url)).statusCode).toBe(404)
    expect((await request(t, clients.anonymous, 'GET', url)).statusCode).toBe(401)
  })

  it('lists a hub’s interests by programme and year for its team; another hub’s lead gets 404', async () => {
    const url = `/api/v1/hubs/${WORK_GROUP_HUB}/work-group-interests?programmeId=readiness&academicYear=2026/27`
    const list = await request(t, clients.hubLead, 'GET', url)
    expect(list.statusCode, list.body).toBe(200)
    const items = json(list.body).items as Interest[]
    expect(items.map((i) => i.status).sort()).toEqual([
      'awaiting-support',
      'ready',
      'ready',
      'ready',
      'waiting',
    ])
    const awaiting = items.find((i) => i.status === 'awaiting-support')!
    expect(awaiting.support.map((s) => [s.role, s.state])).toEqual([
      ['head-of-maths', 'supported'],
      ['senior-leader', 'waiting'],
    ])
    expect((await request(t, clients.otherHubLead, 'GET', url)).statusCode).toBe(404)
    expect((await request(t, clients.headteacher, 'GET', url)).statusCode).toBe(404)
    const bad = await request(
      t,
      clients.hubLead,
      'GET',
      `/api/v1/hubs/${WORK_GROUP_HUB}/work-group-interests?academicYear=next`,
    )
    expect(bad.statusCode).toBe(422)
    expect(json(bad.body).errors).toEqual([expect.objectContaining({ field: 'academicYear' })])
  })
})

describe('registering, advocates and the hub’s decision', () => {
  it('registers interest, shows its support, names and changes advocates, and the hub decides', async () => {
    const [urn] = await freeSchools(READINESS, 1)
    const contact = await contactOf(urn!)
    const head = `head.${urn}@school.example`
    const senior = `senior.${urn}@school.example`
    const made = await request(
      t,
      contact,
      'POST',
      `/api/v1/schools/${urn}/work-group-interests`,
      interestForm('readiness', YEAR, {
        headOfMaths: { name: 'Jo Head', email: head },
        seniorLeader: { name: 'Sam Senior', email: senior },
      }),
    )
    expect(made.statusCode, made.body).toBe(201)
    const interest = interestOf(made.body)
    expect(made.headers.location).toBe(`/api/v1/work-group-interests/${interest.id}`)
    expect(interest).toMatchObject({ status: 'awaiting-support', schoolUrn: urn, workGroupId: null })
    expect(interest.support.map((s) => s.state)).toEqual(['waiting', 'waiting'])
    const url = `/api/v1/work-group-interests/${interest.id}`
    for (const client of [clients.otherHubLead, clients.headteacher, clients.teacher])
      expect((await request(t, client, 'GET', url)).statusCode).toBe(404)

    // Both leaders support it through their emailed links: ready for the hub.
    const linkContext = await contextOf(t, PERSONAS.hubLead)
    for (const email of [head, senior])
      await answerSupportRequest(linkContext, await supportToken(email), { answer: 'supported' })
    const ready = interestOf((await request(t, clients.hubLead, 'GET', url)).body)
    expect(ready.status).toBe('ready')
    expect(ready.support.map((s) => s.state)).toEqual(['supported', 'supported'])
    expect(ready.history!.map((h) => h.event)).toEqual(['register', 'supported'])

    for (const name of ['Ada Advocate', 'Ben Advocate']) {
      const named = await request(t, contact, 'POST', `${url}/advocates`, {
        name,
        email: `${name.split(' ')[0]!.toLowerCase()}@school.example`,
        role: 'Year 4 teacher',
      })
      expect(named.statusCode, named.body).toBe(200)
    }
    const third = await refused(
      contact,
      `${url}/advocates`,
      { name: 'Cy Third', email: 'cy@school.example', role: 'Year 6 teacher' },
      'third-advocate',
    )
    expect(third[0]!.message).toContain('exactly two Mastery Advocates')
    expect(
      (
        await request(t, clients.hubLead, 'POST', `${url}/advocates`, {
          name: 'X Y',
          email: 'x@school.example',
          role: 'Head',
        })
      ).statusCode,
    ).toBe(404)
    const changed = await request(t, contact, 'POST', `${url}/advocates/change`, {
      slot: 2,
      name: 'Di New',
      email: 'di@school.example',
      role: 'Year 5 teacher',
      fromDate: '2026-12-01',
      reason: 'Ben has moved to another school',
    })
    expect(changed.statusCode, changed.body).toBe(200)
    const advocates = interestOf(changed.body).advocates
    expect(advocates.filter((a) => a.toDate === null).map((a) => a.name)).toEqual(['Ada Advocate', 'Di New'])
    expect(advocates.find((a) => a.name === 'Ben Advocate')).toMatchObject({ toDate: '2026-12-01' })
    await refused(
      contact,
      `${url}/advocates/change`,
      {
        slot: 1,
        name: 'Ed Early',
        email: 'ed@school.example',
        role: 'Teacher',
        fromDate: '2020-01-01',
        reason: 'x',
      },
      'before-start',
    )

    // The hub: another hub's lead cannot decide; the hub keeps it waiting, then accepts it.
    const readiness = await demoWorkGroup(t, 'Northvale Readiness')
    const before = await counts()
    const other = await request(t, clients.otherHubLead, 'POST', `${url}/decision`, {
      decision: 'accept',
      workGroupId: readiness,
    })
    expect(other.statusCode).toBe(404)
    expect(await counts()).toEqual(before)
    expect((await request(t, contact, 'POST', `${url}/decision`, { decision: 'decline' })).statusCode).toBe(
      404,
    )
    const waiting = await request(t, clients.hubLead, 'POST', `${url}/decision`, { decision: 'wait' })
    expect(waiting.statusCode, waiting.body).toBe(200)
    expect(interestOf(waiting.body)).toMatchObject({ status: 'waiting', waitingPosition: 2 })
    await refused(clients.hubLead, `${url}/decision`, { decision: 'accept' }, 'required')
    const accepted = await request(t, clients.hubLead, 'POST', `${url}/decision`, {
      decision: 'accept',
      workGroupId: readiness,
    })
    expect(accepted.statusCode, accepted.body).toBe(200)
    expect(interestOf(accepted.body)).toMatchObject({
      status: 'accepted',
      workGroupId: readiness,
      workGroupName: 'Northvale Readiness',
      waitingPosition: null,
    })
    const shown = json((await request(t, clients.hubAdmin, 'GET', url)).body)
    expect((shown.history as { event: string }[]).map((h) => h.event)).toEqual([
      'register',
      'supported',
      'wait',
      'accept',
    ])
    expect(shown.groups).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: readiness, name: 'Northvale Readiness' })]),
    )
  })

  it('refuses an ineligible school, one outside the hub’s area, Development a second time and bad input, changing nothing', async () => {
    const independent = await schoolOf({ stateFunded: false, hub: WORK_GROUP_HUB })
    const ineligible = await refused(
      await contactOf(independent),
      `/api/v1/schools/${independent}/work-group-interests`,
      interestForm('readiness'),
      'not-state-funded',
    )
    expect(ineligible[0]!.field).toBe('school')
    const riverside = await schoolOf({ stateFunded: true, laCode: '953' })
    const outside = await refused(
      await contactOf(riverside),
      `/api/v1/schools/${riverside}/work-group-interests`,
      interestForm('readiness', YEAR, { hubId: WORK_GROUP_HUB }),
      'out-of-area',
    )
    expect(outside[0]!.message).toContain('is not in Northvale Maths Hub’s area')
    const again = await refused(
      clients.headteacher,
      `/api/v1/schools/${HELENS_SCHOOL}/work-group-interests`,
      interestForm('primary-development', '2027/28'),
      'once-per-school',
    )
    expect(again[0]!.message).toContain('only once')
    await refused(
      clients.headteacher,
      `/api/v1/schools/${HELENS_SCHOOL}/work-group-interests`,
      interestForm('embedding', '2031/32'),
      'year',
    )
    const typed = await refused(
      clients.headteacher,
      `/api/v1/schools/${HELENS_SCHOOL}/work-group-interests`,
      { ...interestForm('embedding'), programmeId: 7, headOfMaths: 'Jo' },
      'invalid',
    )
    expect(typed.map((e) => e.field).sort()).toEqual(['headOfMaths', 'programmeId'])
    const nested = await refused(
      clients.headteacher,
      `/api/v1/schools/${HELENS_SCHOOL}/work-group-interests`,
      interestForm('embedding', YEAR, { seniorLeader: { name: 'Sam Senior', email: 'not an address' } }),
      'invalid',
    )
    expect(nested.map((e) => e.field)).toEqual(['seniorLeader.email'])
    // Another school's contact may not register for Helen's school.
    const stranger = await contactOf(riverside)
    const before = await counts()
    const reply = await request(
      t,
      stranger,
      'POST',
      `/api/v1/schools/${HELENS_SCHOOL}/work-group-interests`,
      interestForm('embedding'),
    )
    expect(reply.statusCode).toBe(404)
    expect(await counts()).toEqual(before)
  })

  it('refuses a third advocate for a school that has two, and an accept into a full group', async () => {
    const helens = (
      json(
        (
          await request(
            t,
            clients.headteacher,
            'GET',
            `/api/v1/schools/${HELENS_SCHOOL}/work-group-interests`,
          )
        ).body,
      ).items as Interest[]
    ).find((i) => i.status === 'accepted')!
    await refused(
      clients.headteacher,
      `/api/v1/work-group-interests/${helens.id}/advocates`,
      { name: 'Cy Third', email: 'cy@school.example', role: 'Year 6 teacher' },
      'third-advocate',
    )
    // Primary Development A has all six of its places taken.
    const development = await demoWorkGroup(t)
    const scope: InterestScope = { ...READINESS, programmeId: 'primary-development' }
    const [urn] = await freeSchools(scope, 1)
    const interest = await readyInterest(t, urn!, scope)
    const full = await refused(
      clients.hubLead,
      `/api/v1/work-group-interests/${interest}/decision`,
      { decision: 'accept', workGroupId: development },
      'over-capacity',
    )
    expect(full[0]!.message).toContain('is full')
    await refused(
      clients.hubLead,
      `/api/v1/work-group-interests/${interest}/decision`,
      { decision: 'accept', workGroupId: await demoWorkGroup(t, 'Northvale Readiness') },
      'group',
    )
    await refused(
      clients.hubLead,
      `/api/v1/work-group-interests/${interest}/decision`,
      { decision: 'maybe' },
      'invalid',
    )
  })
})

describe('withdrawing an interest', () => {
  it('withdraws a school from the waiting list, which closes up behind it; a second withdrawal is refused', async () => {
    const [first, second] = await freeSchools(READINESS, 2)
    const ids: number[] = []
    for (const urn of [first!, second!]) {
      const id = await readyInterest(t, urn, READINESS)
      const reply = await request(t, clients.hubLead, 'POST', `/api/v1/work-group-interests/${id}/decision`, {
        decision: 'wait',
      })
      expect(reply.statusCode, reply.body).toBe(200)
      ids.push(id)
    }
    const position = async (id: number) =>
      interestOf((await request(t, clients.hubLead, 'GET', `/api/v1/work-group-interests/${id}`)).body)
        .waitingPosition
    const [firstAt, secondAt] = [await position(ids[0]!), await position(ids[1]!)]
    expect(secondAt).toBe(firstAt! + 1)
    const contact = await contactOf(first!)
    const url = `/api/v1/work-group-interests/${ids[0]}/withdraw`
    // Not the hub, nor another school, nor NCETM: only the school's own contacts.
    const before = await counts()
    for (const client of [
      clients.hubLead,
      clients.nationalAdmin,
      clients.headteacher,
      await contactOf(second!),
    ])
      expect((await request(t, client, 'POST', url)).statusCode).toBe(404)
    expect(await counts()).toEqual(before)
    const withdrawn = await request(t, contact, 'POST', url)
    expect(withdrawn.statusCode, withdrawn.body).toBe(200)
    expect(interestOf(withdrawn.body)).toMatchObject({ status: 'withdrawn', waitingPosition: null })
    expect(await position(ids[1]!)).toBe(firstAt)
    const history = json((await request(t, contact, 'GET', `/api/v1/work-group-interests/${ids[0]}`)).body)
      .history as { event: string; toStatus: string }[]
    expect(history.at(-1)).toMatchObject({ event: 'withdraw', toStatus: 'withdrawn' })
    const moved = json(
      (await request(t, clients.hubLead, 'GET', `/api/v1/work-group-interests/${ids[1]}`)).body,
    ).history as { event: string }[]
    expect(moved.at(-1)).toMatchObject({ event: 'close-up' })
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'before', 'after'])
      .where('record_type', '=', 'work-group-interest')
      .where('record_id', '=', String(ids[0]))
      .where('action', '=', 'work-group-interest.withdraw')
      .execute()
    expect(audit).toHaveLength(1)
    const again = await refused(contact, url, undefined, 'not-withdrawable')
    expect(again[0]!.message).toContain('already withdrawn')
    // The school may register again for the same programme and year: it starts from the beginning.
    const fresh = await request(
      t,
      contact,
      'POST',
      `/api/v1/schools/${first}/work-group-interests`,
      interestForm('readiness'),
    )
    expect(fresh.statusCode, fresh.body).toBe(201)
  })

  it('frees a group’s place, and refuses a declined interest or one whose group has finished', async () => {
    const readiness = await demoWorkGroup(t, 'Northvale Readiness')
    const [urn, declinedUrn] = await freeSchools(READINESS, 2)
    const id = await readyInterest(t, urn!, READINESS)
    await request(t, clients.hubLead, 'POST', `/api/v1/work-group-interests/${id}/decision`, {
      decision: 'accept',
      workGroupId: readiness,
    })
    const taken = async () =>
      (
        json((await request(t, clients.hubLead, 'GET', `/api/v1/work-group-interests/${id}`)).body)
          .groups as {
          id: number
          placesLeft: number
        }[]
      ).find((g) => g.id === readiness)!.placesLeft
    const left = await taken()
    const contact = await contactOf(urn!)
    const reply = await request(t, contact, 'POST', `/api/v1/work-group-interests/${id}/withdraw`)
    expect(reply.statusCode, reply.body).toBe(200)
    expect(interestOf(reply.body)).toMatchObject({ status: 'withdrawn', workGroupId: null })
    expect(await taken()).toBe(left + 1)
    const history = await t.database.db
      .selectFrom('work_group_interest_history')
      .select(['event', 'from_status', 'work_group_id'])
      .where('interest_id', '=', id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(history).toMatchObject({ event: 'withdraw', from_status: 'accepted' })
    expect(Number(history.work_group_id)).toBe(readiness)

    const declined = await readyInterest(t, declinedUrn!, READINESS)
    await request(t, clients.hubLead, 'POST', `/api/v1/work-group-interests/${declined}/decision`, {
      decision: 'decline',
    })
    const no = await refused(
      await contactOf(declinedUrn!),
      `/api/v1/work-group-interests/${declined}/withdraw`,
      undefined,
      'not-withdrawable',
    )
    expect(no[0]!.message).toContain('declined')

    const finished = await freshWorkGroup(t, ['open-recruitment'])
    const [finishedUrn] = await freeSchools(
      { ...READINESS, programmeId: 'primary-development', academicYear: '2027/28' },
      1,
    )
    const placed = await placeSchool(t, finished, finishedUrn!)
    await t.database.db
      .updateTable('work_groups')
      .set({ state: 'completed' })
      .where('id', '=', finished)
      .execute()
    const done = await refused(
      await contactOf(finishedUrn!),
      `/api/v1/work-group-interests/${placed.interestId}/withdraw`,
      undefined,
      'not-withdrawable',
    )
    expect(done[0]!.message).toContain('has finished')
  })

  it('is offered on the school’s page, asks first, and then shows the school’s page with its banner', async () => {
    const readiness = await demoWorkGroup(t, 'Northvale Readiness')
    const id = await readyInterest(t, HELENS_SCHOOL, READINESS)
    await request(t, clients.hubLead, 'POST', `/api/v1/work-group-interests/${id}/decision`, {
      decision: 'accept',
      workGroupId: readiness,
    })
    const schoolPage = await request(t, clients.headteacher, 'GET', `/schools/${HELENS_SCHOOL}/work-groups`)
    expect(schoolPage.body).toContain(`href="/work-group-interests/${id}/withdraw"`)
    const confirm = await request(t, clients.headteacher, 'GET', `/work-group-interests/${id}/withdraw`)
    expect(confirm.statusCode).toBe(200)
    expect(confirm.body).toContain(
      'Are you sure you want to withdraw your school’s interest in Readiness, 2026/27?',
    )
    expect(confirm.body).toContain('Your school will leave Northvale Readiness')
    expect(confirm.body).toContain(`action="/work-group-interests/${id}/withdraw"`)
    expect(confirm.body).toContain('govuk-button--warning')
    for (const client of [clients.hubLead, clients.nationalViewer, clients.otherHubLead]) {
      expect((await request(t, client, 'GET', `/work-group-interests/${id}/withdraw`)).statusCode).toBe(404)
      expect((await request(t, client, 'POST', `/work-group-interests/${id}/withdraw`)).statusCode).toBe(404)
    }
    // Without the session's CSRF token the form is refused before anything changes.
    const before = await counts()
    const forged = await t.app.inject({
      method: 'POST',
      url: `/work-group-interests/${id}/withdraw`,
      headers: {
        cookie: `mh_session=${clients.headteacher.cookie}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: '',
    })
    expect(forged.statusCode).toBe(403)
    expect(await counts()).toEqual(before)
    const done = await request(t, clients.headteacher, 'POST', `/work-group-interests/${id}/withdraw`)
    expect(done.statusCode).toBe(303)
    expect(done.headers.location).toBe(`/schools/${HELENS_SCHOOL}/work-groups?saved=withdrawn`)
    const after = await request(t, clients.headteacher, 'GET', String(done.headers.location))
    expect(after.body).toContain('Your school’s interest has been withdrawn')
    expect(after.body).not.toContain(`href="/work-group-interests/${id}/withdraw"`)
    const gone = await request(t, clients.headteacher, 'GET', `/work-group-interests/${id}/withdraw`)
    expect(gone.statusCode).toBe(200)
    expect(gone.body).toContain('already withdrawn')
    expect(gone.body).not.toContain(`action="/work-group-interests/${id}/withdraw"`)
    const again = await request(t, clients.headteacher, 'POST', `/work-group-interests/${id}/withdraw`)
    expect(again.statusCode).toBe(422)
    expect(again.body).toContain('govuk-error-summary')
    expect(again.body).toContain('<title>Error: ')
  })
})

describe('the OpenAPI document', () => {
  it('names the interest endpoints under Work Groups', async () => {
    const doc = json((await request(t, clients.anonymous, 'GET', '/api/v1/openapi.json')).body) as {
      paths: Record<string, Record<string, { tags: string[] }>>
    }
    for (const [path, method] of [
      ['/api/v1/schools/{urn}/work-group-interests', 'get'],
      ['/api/v1/schools/{urn}/work-group-interests', 'post'],
      ['/api/v1/hubs/{id}/work-group-interests', 'get'],
      ['/api/v1/work-group-interests/{id}', 'get'],
      ['/api/v1/work-group-interests/{id}/advocates', 'post'],
      ['/api/v1/work-group-interests/{id}/advocates/change', 'post'],
      ['/api/v1/work-group-interests/{id}/decision', 'post'],
      ['/api/v1/work-group-interests/{id}/withdraw', 'post'],
    ] as const)
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['work-groups'])
  })
})
