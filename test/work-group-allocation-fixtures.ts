// Interested schools ready for allocation: schools of the group's hub with an interest in its
// programme and year whose support is confirmed, written straight to the table (the interest and
// support use-cases have their own tests).
import type { TestApp } from './app.ts'
import { freeSchools } from './work-group-school-fixtures.ts'

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
