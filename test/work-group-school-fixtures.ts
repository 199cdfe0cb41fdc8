// Schools in Work Groups for tests that need them before their own use-cases run: a school of the
// group's hub accepted into a group with its two Mastery Advocates, a school's interest ready for
// the hub's decision, and a school's contact signed in, written straight to the tables (the
// interest, support and decision use-cases have their own tests).
import { randomUUID } from 'node:crypto'
import type { TestApp } from './app.ts'
import { issueApiToken, openSession } from './personas.ts'

export interface PlacedSchool {
  interestId: number
  urn: number
  advocateIds: [number, number]
}

/** A hub's programme and year, for schools of a phase. */
export interface InterestScope {
  hubId: string
  programmeId: string
  academicYear: string
  phase: 'primary' | 'secondary'
}

/** Open state-funded schools of the hub and phase that have no interest in the programme and year. */
export async function freeSchoolsIn(t: TestApp, scope: InterestScope, count: number): Promise<number[]> {
  const phases =
    scope.phase === 'primary'
      ? ['Primary', 'Middle deemed primary']
      : ['Secondary', 'Middle deemed secondary']
  const rows = await t.database.db
    .selectFrom('schools')
    .innerJoin('school_hubs', 'school_hubs.urn', 'schools.urn')
    .select('schools.urn')
    .where('school_hubs.hub_id', '=', scope.hubId)
    .where('schools.open', '=', true)
    .where('schools.state_funded', '=', true)
    .where('schools.phase', 'in', phases)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('work_group_interests')
            .select('id')
            .whereRef('work_group_interests.school_urn', '=', 'schools.urn')
            .where('work_group_interests.programme_id', '=', scope.programmeId)
            .where('work_group_interests.academic_year', '=', scope.academicYear),
        ),
      ),
    )
    .orderBy('schools.urn')
    .limit(count)
    .execute()
  if (rows.length < count)
    throw new Error(`only ${rows.length} free schools for ${scope.programmeId} ${scope.academicYear}`)
  return rows.map((r) => r.urn)
}

/** Open state-funded schools of the group's hub and phase that have no interest in its programme and year. */
export async function freeSchools(t: TestApp, workGroupId: number, count: number): Promise<number[]> {
  const group = await t.database.db
    .selectFrom('work_groups')
    .select(['hub_id', 'programme_id', 'academic_year', 'phase'])
    .where('id', '=', workGroupId)
    .executeTakeFirstOrThrow()
  return freeSchoolsIn(
    t,
    {
      hubId: group.hub_id,
      programmeId: group.programme_id,
      academicYear: group.academic_year,
      phase: group.phase === 'primary' ? 'primary' : 'secondary',
    },
    count,
  )
}

/** A school's interest ready for the hub's decision (both leaders have supported it), with its history. */
export async function readyInterest(t: TestApp, urn: number, scope: InterestScope): Promise<number> {
  const now = t.clock.now()
  return t.database.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('work_group_interests')
      .values({
        school_urn: urn,
        hub_id: scope.hubId,
        programme_id: scope.programmeId,
        academic_year: scope.academicYear,
        status: 'ready',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await tx
      .insertInto('work_group_interest_history')
      .values([
        { interest_id: row.id, event: 'register', from_status: null, to_status: 'awaiting-support', at: now },
        {
          interest_id: row.id,
          event: 'supported',
          from_status: 'awaiting-support',
          to_status: 'ready',
          at: now,
        },
      ])
      .execute()
    return Number(row.id)
  })
}

/** A fresh person who is the school's contact, signed in: a session for the pages, a token for the API. */
export async function schoolContact(
  t: TestApp,
  urn: number,
): Promise<{ personId: number; email: string; cookie: string; csrf: string; apiToken: string }> {
  const db = t.database.db
  const now = t.clock.now()
  const email = `contact-${randomUUID()}@school.example`
  const person = await db
    .insertInto('people')
    .values({ name: 'Cara Contact', email })
    .returning('id')
    .executeTakeFirstOrThrow()
  const grant = await db
    .insertInto('grants')
    .values({ person_id: person.id, role: 'school-contact', school_urn: urn })
    .returning('id')
    .executeTakeFirstOrThrow()
  const { cookie, csrf } = await openSession(db, person.id, now)
  const apiToken = await issueApiToken(db, person.id, grant.id, now)
  return { personId: person.id, email, cookie, csrf, apiToken }
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
