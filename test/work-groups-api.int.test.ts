// The Work Groups API on the demo: a hub's groups and one group for its team, setting one up and
// moving it on, and allocation: propose (with the bound, the gap and the greedy plan's travel), move
// a school, apply. Refusals are 422 with the reasons and change nothing; another hub's lead gets 404;
// the routes are in the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { allocationScenario } from './work-group-allocation-fixtures.ts'
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

const json = (body: string) => JSON.parse(body) as Record<string, unknown>
const groupCount = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('work_groups')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('the Work Groups API', () => {
  it('lists a hub’s groups and shows one to its team; another hub’s lead is told it is not there', async () => {
    const list = await request(t, clients.hubLead, 'GET', `/api/v1/hubs/${WORK_GROUP_HUB}/work-groups`)
    expect(list.statusCode).toBe(200)
    const names = (json(list.body).items as { name: string }[]).map((g) => g.name)
    expect(names).toEqual(expect.arrayContaining(['Northvale Primary Development A', 'Northvale Readiness']))
    const id = await demoWorkGroup(t)
    const one = await request(t, clients.hubLead, 'GET', `/api/v1/work-groups/${id}`)
    expect(json(one.body)).toMatchObject({ id, state: 'running', hubId: WORK_GROUP_HUB })
    expect((await request(t, clients.otherHubLead, 'GET', `/api/v1/work-groups/${id}`)).statusCode).toBe(404)
    expect(
      (await request(t, clients.otherHubLead, 'GET', `/api/v1/hubs/${WORK_GROUP_HUB}/work-groups`))
        .statusCode,
    ).toBe(404)
  })

  it('sets a group up and moves it on; a bad group is refused with 422 and nothing saved', async () => {
    const form = await workGroupForm(t)
    const before = await groupCount()
    const bad = await request(t, clients.hubLead, 'POST', `/api/v1/hubs/${WORK_GROUP_HUB}/work-groups`, {
      ...form,
      capacity: 12,
      leads: [Number(form.leads)],
    })
    expect(bad.statusCode).toBe(422)
    expect(json(bad.body).errors).toEqual([
      expect.objectContaining({ field: 'capacity', message: 'A group has at most 8 schools' }),
    ])
    expect(await groupCount()).toBe(before)
    const made = await request(t, clients.hubLead, 'POST', `/api/v1/hubs/${WORK_GROUP_HUB}/work-groups`, {
      ...form,
      leads: [Number(form.leads)],
    })
    expect(made.statusCode).toBe(201)
    const group = json(made.body) as { id: number; state: string }
    expect(group.state).toBe('planning')
    expect(made.headers.location).toBe(`/api/v1/work-groups/${group.id}`)
    const moved = await request(t, clients.hubLead, 'POST', `/api/v1/work-groups/${group.id}/state`, {
      event: 'open-recruitment',
    })
    expect(json(moved.body).state).toBe('recruiting')
    const refused = await request(t, clients.hubLead, 'POST', `/api/v1/work-groups/${group.id}/state`, {
      event: 'complete',
    })
    expect(refused.statusCode).toBe(422)
  })

  it('proposes groups with the bound, the gap and the greedy plan, moves a school and applies the plan', async () => {
    const { scope, urns } = await allocationScenario(t)
    const proposed = await request(
      t,
      clients.hubLead,
      'POST',
      `/api/v1/hubs/${WORK_GROUP_HUB}/work-groups/allocation`,
      scope,
    )
    expect(proposed.statusCode).toBe(201)
    type Plan = {
      id: number
      status: string
      totalTravelMetres: number
      lowerBoundMetres: number
      gap: number
      greedyTravelMetres: number
      provenOptimal: boolean
      groups: { workGroupId: number; capacity: number; schools: { urn: number; moved: boolean }[] }[]
    }
    const plan = json(proposed.body) as unknown as Plan
    expect(plan.groups.flatMap((g) => g.schools.map((s) => s.urn)).sort()).toEqual([...urns].sort())
    expect(plan.totalTravelMetres).toBeGreaterThanOrEqual(plan.lowerBoundMetres)
    expect(plan.greedyTravelMetres).toBeGreaterThanOrEqual(plan.totalTravelMetres)
    expect(plan.provenOptimal).toBe(true)
    const [from, to] = [...plan.groups].sort((a, b) => b.schools.length - a.schools.length)
    const bad = await request(t, clients.hubLead, 'POST', `/api/v1/work-group-plans/${plan.id}/move`, {
      urn: 'one',
      workGroupId: to!.workGroupId,
    })
    expect(bad.statusCode).toBe(422)
    const moved = await request(t, clients.hubLead, 'POST', `/api/v1/work-group-plans/${plan.id}/move`, {
      urn: from!.schools[0]!.urn,
      workGroupId: to!.workGroupId,
    })
    expect(moved.statusCode).toBe(200)
    const after = json(moved.body) as unknown as Plan
    expect(after.groups.find((g) => g.workGroupId === to!.workGroupId)!.schools.some((s) => s.moved)).toBe(
      true,
    )
    expect(
      (await request(t, clients.otherHubLead, 'POST', `/api/v1/work-group-plans/${plan.id}/apply`))
        .statusCode,
    ).toBe(404)
    const applied = await request(t, clients.hubLead, 'POST', `/api/v1/work-group-plans/${plan.id}/apply`)
    expect(applied.statusCode).toBe(200)
    expect(json(applied.body).status).toBe('applied')
    const again = await request(t, clients.hubLead, 'POST', `/api/v1/work-group-plans/${plan.id}/apply`)
    expect(again.statusCode).toBe(422)
    expect(json(again.body).errors).toEqual([expect.objectContaining({ code: 'applied' })])
  })

  it('is in the OpenAPI document', async () => {
    const doc = json((await request(t, clients.anonymous, 'GET', '/api/v1/openapi.json')).body) as {
      paths: Record<string, unknown>
    }
    for (const path of [
      '/api/v1/hubs/{id}/work-groups',
      '/api/v1/work-groups/{id}',
      '/api/v1/work-groups/{id}/state',
      '/api/v1/hubs/{id}/work-groups/allocation',
      '/api/v1/work-group-plans/{id}',
      '/api/v1/work-group-plans/{id}/move',
      '/api/v1/work-group-plans/{id}/apply',
    ])
      expect(doc.paths, path).toHaveProperty([path])
  })
})
