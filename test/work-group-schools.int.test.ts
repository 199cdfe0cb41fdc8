// The pages for schools in Work Groups on the demo: a school contact reaches the school's page
// from their account and registers interest (a refusal shown with the error summary, nothing
// saved); a leader answers by the emailed link, once; the hub's team sees its interested schools
// and decides, a full group refused; a group's page lists its schools; others see "page not found".
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { demoWorkGroup, WORK_GROUP_HUB } from './work-group-fixtures.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
let urn: number
const LINES: string[] = []

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

async function count(table: 'work_group_interests' | 'work_group_interest_history'): Promise<number> {
  const row = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

beforeAll(async () => {
  t = await createTestApp({ logLines: LINES })
  clients = await signInPersonas(t)
  const helen = await t.database.db
    .selectFrom('grants')
    .innerJoin('people', 'people.id', 'grants.person_id')
    .select('grants.school_urn')
    .where('people.email', '=', 'helen.morris@school.example')
    .where('grants.role', '=', 'school-contact')
    .executeTakeFirstOrThrow()
  urn = helen.school_urn!
})
afterAll(async () => {
  await t?.close()
})

describe('a school’s own page', () => {
  it('is linked from the school contact’s account and shows its group and advocates', async () => {
    const account = await request(t, clients.headteacher, 'GET', '/account')
    expect(account.body).toContain(`href="/schools/${urn}/work-groups"`)
    const page = await request(t, clients.headteacher, 'GET', `/schools/${urn}/work-groups`)
    expect(page.statusCode).toBe(200)
    const body = text(page.body)
    expect(body).toContain('Primary Development')
    expect(body).toContain('Northvale Primary Development A')
    expect(body).toContain('Maths lead')
    expect(page.body).toContain(`href="/schools/${urn}/work-groups/interest"`)
  })

  it('registers interest, and refuses Development a second time with nothing saved', async () => {
    const form = {
      programmeId: 'primary-development',
      academicYear: '2027/28',
      'headOfMaths.name': 'Jo Head',
      'headOfMaths.email': 'jo.head@school.example',
      'seniorLeader.name': 'Sam Senior',
      'seniorLeader.email': 'sam.senior@school.example',
    }
    const before = await count('work_group_interests')
    const refused = await request(
      t,
      clients.headteacher,
      'POST',
      `/schools/${urn}/work-groups/interest`,
      form,
    )
    expect(refused.statusCode).toBe(422)
    expect(refused.body).toContain('govuk-error-summary')
    expect(text(refused.body)).toContain('only once')
    expect(await count('work_group_interests')).toBe(before)
    const done = await request(t, clients.headteacher, 'POST', `/schools/${urn}/work-groups/interest`, {
      ...form,
      programmeId: 'readiness',
      academicYear: '2026/27',
    })
    expect(done.statusCode).toBe(303)
    expect(await count('work_group_interests')).toBe(before + 1)
    const page = await request(t, clients.headteacher, 'GET', `/schools/${urn}/work-groups`)
    expect(text(page.body)).toContain('Waiting for support')
  })

  it('is not found for another hub’s lead or a teacher', async () => {
    for (const client of [clients.otherHubLead, clients.teacher])
      expect((await request(t, client, 'GET', `/schools/${urn}/work-groups`)).statusCode).toBe(404)
  })
})

describe('a leader’s single-use link', () => {
  it('shows what is asked, takes one answer, and then says it was used', async () => {
    const row = await t.database.db
      .selectFrom('outbox')
      .select('body_text')
      .where('to_address', '=', 'sam.senior@school.example')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const path = /(\/work-group-support\/[A-Za-z0-9_-]+)/.exec(row.body_text)![1]!
    const page = await t.app.inject({ method: 'GET', url: path })
    expect(page.statusCode).toBe(200)
    expect(text(page.body)).toContain('Do you support')
    const cookie = page.headers['set-cookie']
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
    const answer = await t.app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: (Array.isArray(cookie) ? cookie : [cookie ?? '']).map((c) => c.split(';')[0]).join('; '),
      },
      payload: new URLSearchParams({ _csrf: csrf, answer: 'not-supported' }).toString(),
    })
    expect(answer.statusCode).toBe(200)
    expect(text(answer.body)).toContain('do not support')
    const again = await request(t, clients.anonymous, 'GET', path)
    expect(again.statusCode).toBe(410)
    expect(text(again.body)).toContain('already answered')
  })
})

describe('the hub’s decisions', () => {
  it('lists the hub’s interested schools from its Work Groups page and decides one', async () => {
    const groups = await request(t, clients.hubLead, 'GET', `/hubs/${WORK_GROUP_HUB}/work-groups`)
    expect(groups.body).toContain(`href="/hubs/${WORK_GROUP_HUB}/work-group-schools"`)
    const list = await request(t, clients.hubLead, 'GET', `/hubs/${WORK_GROUP_HUB}/work-group-schools`)
    expect(list.statusCode).toBe(200)
    expect(text(list.body)).toContain('Ready for the hub’s decision')
    const ready = await t.database.db
      .selectFrom('work_group_interests')
      .select('id')
      .where('status', '=', 'ready')
      .where('programme_id', '=', 'readiness')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const readiness = await demoWorkGroup(t, 'Northvale Readiness')
    const page = await request(t, clients.hubLead, 'GET', `/work-group-interests/${ready.id}`)
    expect(page.body).toContain('The hub’s decision')
    // Another hub's lead may not decide, and nothing changes.
    const history = await count('work_group_interest_history')
    const other = await request(
      t,
      clients.otherHubLead,
      'POST',
      `/work-group-interests/${ready.id}/decision`,
      {
        decision: 'accept',
        workGroupId: readiness,
      },
    )
    expect(other.statusCode).toBe(404)
    expect(await count('work_group_interest_history')).toBe(history)
    const accepted = await request(t, clients.hubLead, 'POST', `/work-group-interests/${ready.id}/decision`, {
      decision: 'accept',
      workGroupId: readiness,
    })
    expect(accepted.statusCode).toBe(303)
    const group = await request(t, clients.hubLead, 'GET', `/work-groups/${readiness}`)
    expect(text(group.body)).toContain('1 of 8 places taken')
  })

  it('refuses a full group with the error summary and nothing changed', async () => {
    const development = await demoWorkGroup(t)
    const ready = await t.database.db
      .selectFrom('work_group_interests')
      .select('id')
      .where('status', '=', 'ready')
      .where('programme_id', '=', 'readiness')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    // Primary Development A is full (six of six) and of another programme: refused either way.
    await t.database.db
      .updateTable('work_group_interests')
      .set({ programme_id: 'primary-development' })
      .where('id', '=', ready.id)
      .execute()
    const history = await count('work_group_interest_history')
    const refused = await request(t, clients.hubLead, 'POST', `/work-group-interests/${ready.id}/decision`, {
      decision: 'accept',
      workGroupId: development,
    })
    expect(refused.statusCode).toBe(422)
    expect(text(refused.body)).toContain('is full')
    expect(await count('work_group_interest_history')).toBe(history)
  })
})
