// The Work Group pages on the demo: the hub's groups linked from its lead's account, setting up a
// group (every refusal shown with the error summary and nothing saved), moving it on, the lead
// specialist's own view from their programme, and another hub's lead answered "page not found".
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_LEADS } from '../src/domain/work-groups/work-groups.demo.ts'
import { createTestApp, type TestApp } from './app.ts'
import { openSession, request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { demoWorkGroup, WORK_GROUP_HUB, workGroupForm } from './work-group-fixtures.ts'

let t: TestApp
let clients: Record<PersonaName, Client>

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

async function groupCount(): Promise<number> {
  const row = await t.database.db
    .selectFrom('work_groups')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('a hub’s Work Groups', () => {
  it('are linked from the hub lead’s account and the hub page, and list the demo’s three groups', async () => {
    const account = await request(t, clients.hubLead, 'GET', '/account')
    expect(account.body).toContain(`href="/hubs/${WORK_GROUP_HUB}/work-groups"`)
    const hub = await request(t, clients.nationalViewer, 'GET', `/hubs/${WORK_GROUP_HUB}`)
    expect(hub.body).toContain(`href="/hubs/${WORK_GROUP_HUB}/work-groups"`)
    const list = await request(t, clients.hubLead, 'GET', `/hubs/${WORK_GROUP_HUB}/work-groups`)
    expect(list.statusCode).toBe(200)
    const body = text(list.body)
    expect(body).toContain('Northvale Primary Development A')
    expect(body).toContain('Northvale Readiness')
    expect(body.match(/Running/g)).toHaveLength(2)
    expect(body).toContain('Recruiting schools')
    expect(list.body).toContain(`href="/hubs/${WORK_GROUP_HUB}/work-groups/new"`)
    // A national viewer sees them but cannot set one up.
    const viewer = await request(t, clients.nationalViewer, 'GET', `/hubs/${WORK_GROUP_HUB}/work-groups`)
    expect(viewer.statusCode).toBe(200)
    expect(viewer.body).not.toContain('/work-groups/new')
  })

  it('answers another hub’s lead "page not found"', async () => {
    for (const url of [`/hubs/${WORK_GROUP_HUB}/work-groups`, `/work-groups/${await demoWorkGroup(t)}`]) {
      expect((await request(t, clients.otherHubLead, 'GET', url)).statusCode).toBe(404)
    }
  })
})

describe('setting up a group', () => {
  it('offers only the hub’s active specialists as leads, sets the group up and moves it on', async () => {
    const form = await request(t, clients.hubAdmin, 'GET', `/hubs/${WORK_GROUP_HUB}/work-groups/new`)
    expect(form.statusCode).toBe(200)
    for (const lead of DEMO_LEADS) expect(form.body).toContain(lead.name)
    expect(form.body).not.toContain('Sam Carter')
    const values = await workGroupForm(t)
    const made = await request(t, clients.hubAdmin, 'POST', `/hubs/${WORK_GROUP_HUB}/work-groups`, values)
    expect(made.statusCode).toBe(303)
    const at = String(made.headers.location)
    expect(at).toMatch(/^\/work-groups\/\d+\?saved=created$/)
    const page = await request(t, clients.hubAdmin, 'GET', at)
    expect(text(page.body)).toContain('The Work Group has been set up')
    expect(text(page.body)).toContain('6 half-day meetings')
    expect(page.body).toContain('Open recruitment to schools')
    const id = at.split('?')[0]!.split('/').pop()!
    const moved = await request(t, clients.hubAdmin, 'POST', `/work-groups/${id}/state`, {
      event: 'open-recruitment',
    })
    expect(moved.statusCode).toBe(303)
    const after = await request(t, clients.hubAdmin, 'GET', String(moved.headers.location))
    expect(text(after.body)).toContain('Recruitment is open')
    expect(text(after.body)).toContain('Recruiting schools')
    expect(after.body).not.toContain('Open recruitment to schools')
    // The same move again is refused on the page, with nothing changed.
    const again = await request(t, clients.hubAdmin, 'POST', `/work-groups/${id}/state`, {
      event: 'open-recruitment',
    })
    expect(again.statusCode).toBe(422)
    expect(again.body).toContain('govuk-error-summary')
    expect(text(again.body)).toContain('Only a group being planned can open recruitment')
  })

  const refusals: [string, Record<string, string>, string, string][] = [
    ['a capacity over the programme’s', { capacity: '7' }, 'capacity', 'at most 6 schools'],
    ['no name', { name: '' }, 'name', 'Enter the group’s name'],
    ['no lead', { leads: '' }, 'leads', 'Select one or two lead specialists'],
    ['a phase the programme does not run in', { phase: 'secondary' }, 'phase', 'is primary'],
    ['a capacity that is not a number', { capacity: 'six' }, 'capacity', 'whole number'],
  ]
  it.each(refusals)(
    'refuses %s with the error summary, saving nothing',
    async (_what, change, field, message) => {
      const before = await groupCount()
      const values = { ...(await workGroupForm(t)), ...change }
      const res = await request(t, clients.hubLead, 'POST', `/hubs/${WORK_GROUP_HUB}/work-groups`, values)
      expect(res.statusCode).toBe(422)
      expect(res.body).toContain('govuk-error-summary')
      expect(res.body).toContain(`href="#${field}"`)
      expect(text(res.body)).toContain(message)
      expect(await groupCount()).toBe(before)
    },
  )

  it('refuses a name the hub already uses that year (409), saving nothing', async () => {
    const values = await workGroupForm(t)
    expect(
      (await request(t, clients.hubLead, 'POST', `/hubs/${WORK_GROUP_HUB}/work-groups`, values)).statusCode,
    ).toBe(303)
    const before = await groupCount()
    const res = await request(t, clients.hubLead, 'POST', `/hubs/${WORK_GROUP_HUB}/work-groups`, {
      ...values,
      name: values.name!.toUpperCase(),
    })
    expect(res.statusCode).toBe(409)
    expect(text(res.body)).toContain('already has a group called')
    expect(await groupCount()).toBe(before)
  })
})

describe('a lead specialist', () => {
  it('finds the groups they lead on their programme, and sees each without the hub’s controls', async () => {
    const person = await t.database.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', DEMO_LEADS[0].email)
      .executeTakeFirstOrThrow()
    const session = await openSession(t.database.db, Number(person.id), t.clock.now())
    const lead: Client = { persona: 'specialist', personId: Number(person.id), ...session, apiToken: null }
    const programme = await request(t, lead, 'GET', '/my-programme')
    expect(text(programme.body)).toContain('Work Groups you lead')
    const id = await demoWorkGroup(t)
    expect(programme.body).toContain(`href="/work-groups/${id}"`)
    const page = await request(t, lead, 'GET', `/work-groups/${id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('/state')
    expect((await request(t, lead, 'POST', `/work-groups/${id}/state`, { event: 'cancel' })).statusCode).toBe(
      404,
    )
    // Sam, in development year 1, leads none and cannot see one.
    expect((await request(t, clients.specialist, 'GET', `/work-groups/${id}`)).statusCode).toBe(404)
  })
})
