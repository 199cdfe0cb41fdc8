// Schools in Work Groups for the hostile and access suites: the demo's school contact's school and
// its accepted interest, a ready interest of the Readiness group for the hub to decide, an open
// support link (the demo's senior leader who has not answered yet), and two interests of the
// contact's school to withdraw (one by the page, one through the API).
import type { TestApp } from './app.ts'

export interface SchoolRouteFixtures {
  urn: number
  interest: number
  ready: number
  token: string
  withdrawable: number
  apiWithdrawable: number
}

export async function schoolRouteFixtures(t: TestApp): Promise<SchoolRouteFixtures> {
  const db = t.database.db
  const contact = await db
    .selectFrom('grants')
    .innerJoin('people', 'people.id', 'grants.person_id')
    .select('grants.school_urn')
    .where('people.email', '=', 'helen.morris@school.example')
    .where('grants.role', '=', 'school-contact')
    .executeTakeFirstOrThrow()
  const urn = contact.school_urn!
  const interest = await db
    .selectFrom('work_group_interests')
    .select('id')
    .where('school_urn', '=', urn)
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const ready = await db
    .selectFrom('work_group_interests')
    .select('id')
    .where('programme_id', '=', 'readiness')
    .where('status', '=', 'ready')
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const open = await db
    .selectFrom('work_group_support_requests as r')
    .innerJoin('work_group_interests as i', 'i.id', 'r.interest_id')
    .select('r.email')
    .where('i.status', '=', 'awaiting-support')
    .where('r.answered_at', 'is', null)
    .where('r.replaced_at', 'is', null)
    .orderBy('r.id')
    .executeTakeFirstOrThrow()
  const mail = await db
    .selectFrom('outbox')
    .select('body_text')
    .where('to_address', '=', open.email)
    .where('template', '=', 'work-group-support-request')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const token = /\/work-group-support\/([A-Za-z0-9_-]+)/.exec(mail.body_text)![1]!
  const now = t.clock.now()
  const toWithdraw: number[] = []
  for (const academicYear of ['2045/46', '2046/47']) {
    const row = await db
      .insertInto('work_group_interests')
      .values({
        school_urn: urn,
        hub_id: 'northvale-maths-hub',
        programme_id: 'sustaining',
        academic_year: academicYear,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    toWithdraw.push(Number(row.id))
  }
  return {
    urn,
    interest: Number(interest.id),
    ready: Number(ready.id),
    token,
    withdrawable: toWithdraw[0]!,
    apiWithdrawable: toWithdraw[1]!,
  }
}
