// Schools in Work Groups for tests that need them before their own use-cases run: a school of the
// group's hub accepted into a group with its two Mastery Advocates, written straight to the tables
// (the interest, support and decision use-cases have their own tests).
import type { TestApp } from './app.ts'

export interface PlacedSchool {
  interestId: number
  urn: number
  advocateIds: [number, number]
}

/** Open state-funded schools of the group's hub and phase that have no interest in its programme and year. */
export async function freeSchools(t: TestApp, workGroupId: number, count: number): Promise<number[]> {
  const group = await t.database.db
    .selectFrom('work_groups')
    .select(['hub_id', 'programme_id', 'academic_year', 'phase'])
    .where('id', '=', workGroupId)
    .executeTakeFirstOrThrow()
  const phases =
    group.phase === 'primary'
      ? ['Primary', 'Middle deemed primary']
      : ['Secondary', 'Middle deemed secondary']
  const rows = await t.database.db
    .selectFrom('schools')
    .innerJoin('school_hubs', 'school_hubs.urn', 'schools.urn')
    .select('schools.urn')
    .where('school_hubs.hub_id', '=', group.hub_id)
    .where('schools.open', '=', true)
    .where('schools.state_funded', '=', true)
    .where('schools.phase', 'in', phases)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('work_group_interests')
            .select('id')
            .whereRef('work_group_interests.school_urn', '=', 'schools.urn')
            .where('work_group_interests.programme_id', '=', group.programme_id)
            .where('work_group_interests.academic_year', '=', group.academic_year),
        ),
      ),
    )
    .orderBy('schools.urn')
    .limit(count)
    .execute()
  if (rows.length < count) throw new Error(`only ${rows.length} free schools for group ${workGroupId}`)
  return rows.map((r) => r.urn)
}

/** Accepts a school into a group, with two advocates from the first of September of its year. */
export async function placeSchool(t: TestApp, workGroupId: number, urn: number): Promise<PlacedSchool> {
  const db = t.database.db
  const now = t.clock.now()
  const group = await db
    .selectFrom('work_groups')
    .select(['hub_id', 'programme_id', 'academic_year'])
    .where('id', '=', workGroupId)
    .executeTakeFirstOrThrow()
  return db.transaction().execute(async (tx) => {
    const interest = await tx
      .insertInto('work_group_interests')
      .values({
        school_urn: urn,
        hub_id: group.hub_id,
        programme_id: group.programme_id,
        academic_year: group.academic_year,
        status: 'accepted',
        work_group_id: workGroupId,
        created_at: now,
        updated_at: now,
        decided_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const from = `${group.academic_year.slice(0, 4)}-09-01`
    const advocateIds: number[] = []
    for (const slot of [1, 2] as const) {
      const row = await tx
        .insertInto('work_group_advocates')
        .values({
          interest_id: interest.id,
          slot,
          name: `Advocate ${slot} of ${urn}`,
          email: `advocate${slot}.${urn}@school.example`,
          role: slot === 1 ? 'Maths lead' : 'Class teacher',
          from_date: from,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      advocateIds.push(Number(row.id))
    }
    return { interestId: Number(interest.id), urn, advocateIds: advocateIds as [number, number] }
  })
}

/** A group with schools in it: the first free schools of its hub, each with two advocates. */
export async function fillGroup(t: TestApp, workGroupId: number, count = 3): Promise<PlacedSchool[]> {
  const placed: PlacedSchool[] = []
  for (const urn of await freeSchools(t, workGroupId, count))
    placed.push(await placeSchool(t, workGroupId, urn))
  return placed
}
