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
import { viewAllocationPlan } from '../src/domain/work-groups/allocation-plans/view-allocation.ts'
import { NotFoundError, ValidationError } from '../src/errors.ts'
import { createTestApp, type TestApp } from './app.ts'
import { contextOf } from './event-fixtures.ts'
import { readySchools } from './work-group-allocation-fixtures.ts'
import { freshWorkGroup, WORK_GROUP_HUB } from './work-group-fixtures.ts'

const HUB_LEAD = 'priya.shah@northvale.mathshub.example'
let t: TestApp

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t?.close()
})

/** Two recruiting groups of one programme and year, and nine schools ready for them. */
async function scenario() {
  const first = await freshWorkGroup(t, ['open-recruitment'])
  const group = await t.database.db
    .selectFrom('work_groups')
    .select(['programme_id', 'academic_year', 'name'])
    .where('id', '=', first)
    .executeTakeFirstOrThrow()
  const context = await contextOf(t, HUB_LEAD)
  const { createWorkGroup, moveWorkGroup } = await import('../src/domain/work-groups/manage-work-groups.ts')
  const leads = await t.database.db
    .selectFrom('work_group_leads')
    .select('participation_id')
    .where('work_group_id', '=', first)
    .execute()
  const second = await createWorkGroup(context, WORK_GROUP_HUB, {
    programmeId: group.programme_id,
    phase: 'primary',
    academicYear: group.academic_year,
    name: `${group.name} B`,
    meetingArea: 'Eastwick',
    leads: leads.map((l) => Number(l.participation_id)),
  })
  await moveWorkGroup(context, second.id, { event: 'open-recruitment' })
  const urns = await readySchools(t, first, 9)
  return {
    context,
    scope: { programmeId: group.programme_id, academicYear: group.academic_year },
    urns,
    groups: [first, second.id],
  }
}

async function interestRows(urns: number[]) {
  return t.database.db
    .selectFrom('work_group_interests')
    .select(['school_urn', 'status', 'work_group_id', 'updated_at'])
    .where('school_urn', 'in', urns)
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
    const rows = await interestRows(urns)
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
    expect(await interestRows(urns)).toEqual(rows)
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
    const before = await interestRows(urns)
    const error = await applyAllocationPlan(context, planId).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).errors[0]!.code).toBe('stale')
    expect(await interestRows(urns)).toEqual(before)
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
