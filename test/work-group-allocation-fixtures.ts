// Interested schools ready for allocation: schools of the group's hub with an interest in its
// programme and year whose support is confirmed, written straight to the table (the interest and
// support use-cases have their own tests).
import { addPairRule } from '../src/domain/work-groups/allocation-plans/pair-rules.ts'
import { proposeAllocation } from '../src/domain/work-groups/allocation-plans/plan-allocation.ts'
import { createWorkGroup, moveWorkGroup } from '../src/domain/work-groups/manage-work-groups.ts'
import type { TestApp } from './app.ts'
import { contextOf } from './event-fixtures.ts'
import { WORK_GROUP_HUB, workGroupForm } from './work-group-fixtures.ts'
import { freeSchools } from './work-group-school-fixtures.ts'

const HUB_LEAD = 'priya.shah@northvale.mathshub.example'
// Each scenario has an academic year of its own, so no two share their schools.
let nextYear = 2100 + Math.floor(Math.random() * 700)

/** Marks `count` free schools of the group's hub as ready for a place in its programme and year. */
export async function readySchools(t: TestApp, workGroupId: number, count: number): Promise<number[]> {
  const group = await t.database.db
    .selectFrom('work_groups')
    .select(['hub_id', 'programme_id', 'academic_year'])
    .where('id', '=', workGroupId)
    .executeTakeFirstOrThrow()
  const urns = await freeSchools(t, workGroupId, count)
  const now = t.clock.now()
  await t.database.db
    .insertInto('work_group_interests')
    .values(
      urns.map((urn) => ({
        school_urn: urn,
        hub_id: group.hub_id,
        programme_id: group.programme_id,
        academic_year: group.academic_year,
        status: 'ready' as const,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute()
  return urns
}

/** Two recruiting groups of one programme in a year of their own, and `count` schools ready for them. */
export async function allocationScenario(t: TestApp, count = 9) {
  const context = await contextOf(t, HUB_LEAD)
  const form = await workGroupForm(t)
  const start = nextYear++
  const academicYear = `${start}/${String((start + 1) % 100).padStart(2, '0')}`
  const groups: number[] = []
  for (const suffix of ['A', 'B']) {
    const group = await createWorkGroup(context, WORK_GROUP_HUB, {
      ...form,
      academicYear,
      name: `${form.name} ${suffix}`,
      leads: [Number(form.leads)],
    })
    await moveWorkGroup(context, group.id, { event: 'open-recruitment' })
    groups.push(group.id)
  }
  const urns = await readySchools(t, groups[0]!, count)
  return { context, scope: { programmeId: form.programmeId!, academicYear }, urns, groups }
}

/** A proposed plan for a fresh scenario, with its schools. */
export async function proposedPlan(
  t: TestApp,
): Promise<{ planId: number; urns: number[]; groups: number[] }> {
  const scenario = await allocationScenario(t)
  const { planId } = await proposeAllocation(scenario.context, WORK_GROUP_HUB, scenario.scope)
  return { planId, urns: scenario.urns, groups: scenario.groups }
}

export interface AllocationRouteFixtures {
  plan: number
  toApply: number
  apiToApply: number
  pair: number
}

/** For the hostile suite: a proposal to review and change, one to apply, and a pair to remove. */
export async function allocationRouteFixtures(t: TestApp): Promise<AllocationRouteFixtures> {
  const scenario = await allocationScenario(t, 4)
  const pair = await addPairRule(scenario.context, WORK_GROUP_HUB, {
    ...scenario.scope,
    kind: 'apart',
    schoolA: scenario.urns[0],
    schoolB: scenario.urns[1],
  })
  return {
    plan: (await proposedPlan(t)).planId,
    toApply: (await proposedPlan(t)).planId,
    apiToApply: (await proposedPlan(t)).planId,
    pair,
  }
}
