// The allocation demo: Northvale's hub lead has had the service propose a group for the schools
// ready for this year's Readiness group, and has not applied it yet, so the proposal's map, tables
// and moves can be tried. Made through the real use-case on the demo's clock.
import type { Db } from '../../../db/database.ts'
import type { Clock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import { proposeAllocation } from './plan-allocation.ts'

const NORTHVALE = 'northvale-maths-hub'

export async function loadDemoAllocation(db: Db, clock: Clock): Promise<void> {
  const group = await db
    .selectFrom('work_groups')
    .select(['programme_id', 'academic_year'])
    .where('hub_id', '=', NORTHVALE)
    .where('name', '=', 'Northvale Readiness')
    .executeTakeFirst()
  const lead = await db
    .selectFrom('people')
    .select('id')
    .where('email', '=', 'priya.shah@northvale.mathshub.example')
    .executeTakeFirst()
  if (!group || !lead) return
  const waiting = await db
    .selectFrom('work_group_interests')
    .select('id')
    .where('hub_id', '=', NORTHVALE)
    .where('programme_id', '=', group.programme_id)
    .where('academic_year', '=', group.academic_year)
    .where('status', 'in', ['ready', 'waiting'])
    .executeTakeFirst()
  if (!waiting) return
  const actor = await actorForPerson(db, Number(lead.id))
  if (!actor) return
  await proposeAllocation(
    { db, actor, clock, requestId: 'demo', baseUrl: 'http://localhost:3000' },
    NORTHVALE,
    { programmeId: group.programme_id, academicYear: group.academic_year },
  )
}
