// Allocation for a hub's team on the demo: two recruiting groups of a programme and year, nine
// schools ready for a place; the service proposes groups (every school once, no group over its
// capacity, travel never below the solver's bound), the hub moves a school and applies the plan in
// one transaction with history and audit. Refusals (a full group, a stale plan, a plan applied
// twice, a school already placed) change nothing; another hub's lead is told the plan is not there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  applyAllocationPlan,
  moveSchoolInPlan,
  proposeAllocation,
} from '../src/domain/work-groups/allocation-plans/plan-allocation.ts'
import { createWorkGroup, moveWorkGroup } from '../src/domain/work-groups/manage-work-groups.ts'
import { viewAllocationPlan } from '../src/domain/work-groups/allocation-plans/view-allocation.ts'
import { NotFoundError, ValidationError } from '../src/errors.ts'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { contextOf } from './event-fixtures.ts'
import { allocationScenario } from './work-group-allocation-fixtures.ts'
import { WORK_GROUP_HUB, workGroupForm } from './work-group-fixtures.ts'

const HUB_LEAD = 'priya.shah@northvale.mathshub.example'
let t: TestApp
let clients: Record<PersonaName, Client>

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

/** Two recruiting groups of one programme and year, and nine schools ready for them. */
const scenario = () => allocationScenario(t)

/** The schools' interests in the scenario's programme and year (they may take part in others). */
async function interestRows(urns: number[], academicYear: string) {
  return t.database.db
    .selectFrom('work_group_interests')
    .select(['school_urn', 'status', 'work_group_id', 'updated_at'])
    .where('school_urn', 'in', urns)
    .where('academic_year', '=', academicYear)
    .orderBy('school_urn')
    .execute()
}

describe('allocation of a hub’s interested schools', () => {
  it('proposes groups, lets the hub move a school, and applies the plan in one transaction', async () => {
    const { context, scope, urns, groups } = await scenario()
    const { planId } = await proposeAllocation(context, WORK_GROUP_HUB, scope)
    const plan = await viewAllocationPlan(context, planId)
    const placed = plan.groups.flatMap((g) => g.schools.map((s) => s.urn)).sort((a, b) => a - b)
    expect(placed).toEqual([...urns].sort((a, b) => a - b))
    for (const g of plan.groups) {
      expect(groups).toContain(g.workGroupId)
      expect(g.schools.length).toBeLessThanOrEqual(g.capacity)
    }
    expect(plan.totalTravelMetres).toBeGreaterThanOrEqual(plan.lowerBoundMetres)
    expect(plan.greedyTravelMetres).not.toBeNull()
    expect(plan.totalTravelMetres).toBeLessThanOrEqual(plan.greedyTravelMetres!)
    expect(plan.provenOptimal).toBe(true)

    // A move into a full group is refused and changes nothing.
    const full = plan.groups.find((g) => g.schools.length === g.capacity)
    const other = plan.groups.find((g) => g !== full)!
    if (full) {
      const before = await t.database.db
        .selectFrom('work_group_allocation_plans')
        .select('assignments')
        .where('id', '=', planId)
        .executeTakeFirstOrThrow()
      await expect(
        moveSchoolInPlan(context, planId, { urn: other.schools[0]!.urn, workGroupId: full.workGroupId }),
      ).rejects.toThrow(/is full/)
      const after = await t.database.db
        .selectFrom('work_group_allocation_plans')
        .select('assignments')
        .where('id', '=', planId)
        .executeTakeFirstOrThrow()
      expect(after.assignments).toEqual(before.assignments)
    }
    // The hub moves one school from the larger group to the other.
    const from = plan.groups.reduce((a, b) => (a.schools.length >= b.schools.length ? a : b))
    const to = plan.groups.find((g) => g !== from)!
    const moving = from.schools[from.schools.length - 1]!
    await moveSchoolInPlan(context, planId, { urn: moving.urn, workGroupId: to.workGroupId })
    const moved = await viewAllocationPlan(context, planId)
    const movedSchool = moved.groups.flatMap((g) => g.schools).find((s) => s.urn === moving.urn)!
    expect(movedSchool.workGroupId).toBe(to.workGroupId)
    expect(movedSchool.moved).toBe(true)

    const audits = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('action', '=', 'work-group.allocation-applied')
            .executeTakeFirstOrThrow()
        ).n,
      )
    const auditsBefore = await audits()
    await applyAllocationPlan(context, planId)
    const rows = await interestRows(urns, scope.academicYear)
    for (const row of rows) {
      const planned = moved.groups.flatMap((g) => g.schools).find((s) => s.urn === row.school_urn)!
      expect(row.status).toBe('accepted')
      expect(Number(row.work_group_id)).toBe(planned.workGroupId)
    }
    const history = await t.database.db
      .selectFrom('work_group_interest_history as h')
      .innerJoin('work_group_interests as i', 'i.id', 'h.interest_id')
      .select(['i.school_urn', 'h.event', 'h.to_status'])
      .where('i.school_urn', 'in', urns)
      .where('i.academic_year', '=', scope.academicYear)
      .where('h.event', '=', 'allocated')
      .execute()
    expect(history).toHaveLength(urns.length)
    const hosts = await t.database.db
      .selectFrom('work_groups')
      .select(['id', 'host_school_urn'])
      .where('id', 'in', groups)
      .execute()
    for (const g of moved.groups)
      expect(hosts.find((h) => Number(h.id) === g.workGroupId)!.host_school_urn).toBe(g.hostUrn)
    expect(await audits()).toBe(auditsBefore + 1)

    // Applying twice is refused and changes nothing.
    await expect(applyAllocationPlan(context, planId)).rejects.toThrow(/already been applied/)
    expect(await interestRows(urns, scope.academicYear)).toEqual(rows)
  })

  it('refuses a plan the schools’ interest has moved on from, changing nothing', async () => {
    const { context, scope, urns } = await scenario()
    const { planId } = await proposeAllocation(context, WORK_GROUP_HUB, scope)
    await t.database.db
      .updateTable('work_group_interests')
      .set({ status: 'withdrawn', updated_at: new Date(t.clock.now().getTime() + 60_000) })
      .where('school_urn', '=', urns[0]!)
      .where('programme_id', '=', scope.programmeId)
      .where('academic_year', '=', scope.academicYear)
      .execute()
    const before = await interestRows(urns, scope.academicYear)
    const error = await applyAllocationPlan(context, planId).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).errors[0]!.code).toBe('stale')
    expect(await interestRows(urns, scope.academicYear)).toEqual(before)
  })

  it('answers another hub’s lead that the plan is not there', async () => {
    const { context, scope } = await scenario()
    const { planId } = await proposeAllocation(context, WORK_GROUP_HUB, scope)
    const other = await t.database.db
      .selectFrom('grants')
      .innerJoin('people', 'people.id', 'grants.person_id')
      .select('people.email')
      .where('grants.role', 'in', ['hub-lead', 'hub-admin'])
      .where('grants.hub_id', '<>', WORK_GROUP_HUB)
      .executeTakeFirstOrThrow()
    const stranger = await contextOf(t, other.email)
    await expect(viewAllocationPlan(stranger, planId)).rejects.toBeInstanceOf(NotFoundError)
    await expect(applyAllocationPlan(stranger, planId)).rejects.toBeInstanceOf(NotFoundError)
  })
})

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('the allocation pages', () => {
  it('are linked from the hub’s Work Groups, propose a plan, show it on a map and tables, move and apply', async () => {
    const { scope, urns } = await scenario()
    const list = await request(t, clients.hubLead, 'GET', `/hubs/${WORK_GROUP_HUB}/work-groups`)
    expect(list.body).toContain(`href="/hubs/${WORK_GROUP_HUB}/work-groups/allocation"`)
    const scopeValue = `${scope.programmeId}|${scope.academicYear}`
    const page = await request(
      t,
      clients.hubLead,
      'GET',
      `/hubs/${WORK_GROUP_HUB}/work-groups/allocation?scope=${encodeURIComponent(scopeValue)}`,
    )
    expect(page.statusCode).toBe(200)
    expect(text(page.body)).toContain('9 schools waiting for a group')
    const proposed = await request(
      t,
      clients.hubLead,
      'POST',
      `/hubs/${WORK_GROUP_HUB}/work-groups/allocation`,
      {
        scope: scopeValue,
      },
    )
    expect(proposed.statusCode).toBe(303)
    const planUrl = proposed.headers.location as string
    expect(planUrl).toMatch(/^\/work-group-plans\/\d+$/)
    const plan = await request(t, clients.hubLead, 'GET', planUrl)
    expect(plan.statusCode).toBe(200)
    expect(plan.body).toContain('<svg class="app-allocation-map"')
    expect(plan.body.match(/<circle /g)?.length).toBe(urns.length)
    const body = text(plan.body)
    expect(body).toContain('Least possible travel')
    expect(body).toContain('proven the shortest')
    expect(body).toContain('Each school to its nearest group')
    // A move to a group that is not in the plan is refused on the page, with the summary.
    const refused = await request(t, clients.hubLead, 'POST', `${planUrl}/move`, {
      urn: urns[0]!,
      workGroupId: 1,
    })
    expect(refused.statusCode).toBe(422)
    expect(refused.body).toContain('govuk-error-summary')
    expect(text(refused.body)).toContain('Select one of this plan’s groups')
    const planId = Number(planUrl.split('/').pop())
    const view = await viewAllocationPlan(await contextOf(t, HUB_LEAD), planId)
    const from = view.groups.reduce((a, b) => (a.schools.length >= b.schools.length ? a : b))
    const to = view.groups.find((g) => g !== from)!
    const moving = from.schools[0]!
    const move = await request(t, clients.hubLead, 'POST', `${planUrl}/move`, {
      urn: moving.urn,
      workGroupId: to.workGroupId,
    })
    expect(move.statusCode).toBe(303)
    const applied = await request(t, clients.hubLead, 'POST', `${planUrl}/apply`)
    expect(applied.statusCode).toBe(303)
    const after = await request(t, clients.hubLead, 'GET', applied.headers.location as string)
    expect(text(after.body)).toContain('The plan has been applied')
    const row = await t.database.db
      .selectFrom('work_group_interests')
      .select(['status', 'work_group_id'])
      .where('school_urn', '=', moving.urn)
      .where('programme_id', '=', scope.programmeId)
      .where('academic_year', '=', scope.academicYear)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'accepted', work_group_id: to.workGroupId })
  })

  it('refuses a proposal with nobody waiting, with the error summary, and saves no plan', async () => {
    const context = await contextOf(t, HUB_LEAD)
    const form = await workGroupForm(t)
    const group = await createWorkGroup(context, WORK_GROUP_HUB, {
      ...form,
      programmeId: 'embedding',
      leads: [Number(form.leads)],
    })
    await moveWorkGroup(context, group.id, { event: 'open-recruitment' })
    const plans = async () =>
      (await t.database.db.selectFrom('work_group_allocation_plans').select('id').execute()).length
    const before = await plans()
    const response = await request(
      t,
      clients.hubLead,
      'POST',
      `/hubs/${WORK_GROUP_HUB}/work-groups/allocation`,
      {
        scope: `embedding|${form.academicYear}`,
      },
    )
    expect(response.statusCode).toBe(422)
    expect(response.body).toContain('govuk-error-summary')
    expect(text(response.body)).toContain('No school of this programme and year is waiting for a group')
    expect(await plans()).toBe(before)
  })

  it('answer other hubs’ leads and specialists “page not found”', async () => {
    for (const persona of ['specialist', 'otherHubLead'] as PersonaName[]) {
      const response = await request(
        t,
        clients[persona],
        'GET',
        `/hubs/${WORK_GROUP_HUB}/work-groups/allocation`,
      )
      expect(response.statusCode).toBe(404)
    }
  })
})
