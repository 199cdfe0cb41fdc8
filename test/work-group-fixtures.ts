// Work Groups for tests on the demo: a demo group by name, a lead specialist's participation, and
// a fresh group set up (and moved on) through the real use-cases.
import { randomUUID } from 'node:crypto'
import { createWorkGroup, moveWorkGroup } from '../src/domain/work-groups/manage-work-groups.ts'
import { DEMO_LEADS } from '../src/domain/work-groups/work-groups.demo.ts'
import type { WorkGroupEvent } from '../src/domain/work-groups/work-group.states.ts'
import type { TestApp } from './app.ts'
import { contextOf } from './event-fixtures.ts'

export const WORK_GROUP_HUB = 'northvale-maths-hub'
const HUB_LEAD = 'priya.shah@northvale.mathshub.example'

export async function demoWorkGroup(t: TestApp, name = 'Northvale Primary Development A'): Promise<number> {
  const row = await t.database.db
    .selectFrom('work_groups')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** The participation of one of the demo's active specialists, who may lead a group. */
export async function leadParticipation(t: TestApp, index = 0): Promise<number> {
  const row = await t.database.db
    .selectFrom('participations')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .select('participations.id')
    .where('people.email', '=', DEMO_LEADS[index]!.email)
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** The form of a new group, with a name no other group has. */
export async function workGroupForm(t: TestApp): Promise<Record<string, string>> {
  const year = Number(new Date(t.clock.now()).toISOString().slice(0, 4)) + 1
  return {
    programmeId: 'primary-development',
    phase: 'primary',
    academicYear: `${year}/${String((year + 1) % 100).padStart(2, '0')}`,
    name: `Group ${randomUUID().slice(0, 8)}`,
    meetingArea: 'Eastwick',
    leads: String(await leadParticipation(t)),
  }
}

/** A fresh Northvale group, moved on by the events given. */
export async function freshWorkGroup(t: TestApp, events: WorkGroupEvent[] = []): Promise<number> {
  const context = await contextOf(t, HUB_LEAD)
  const form = await workGroupForm(t)
  const group = await createWorkGroup(context, WORK_GROUP_HUB, { ...form, leads: [Number(form.leads)] })
  for (const event of events) await moveWorkGroup(context, group.id, { event })
  return group.id
}
