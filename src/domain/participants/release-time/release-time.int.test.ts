// Release time on a real database: days logged by the specialist and by the hub, each refusal
// (outside the participation, twice, over the funded days, a second reversal, another hub) with
// its message and nothing saved, a race over one half day, reversal and logging again, extra days
// approved, a withdrawal reversing the days after it, the figures exact with 7.5 funded days, and
// Work Group support visits counted as days used in the year of their date (and in no year outside
// the programme), in the view, the funded-days check and the pace.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cohortInputWith, ensureCohort } from '../../../../test/cohort-factory.ts'
import { createTestDatabase, ENGINE, type TestDatabase } from '../../../../test/database.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { Actor } from '../../access/actor.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { becomeActive } from '../become-active.ts'
import { beginYearTwo } from '../begin-year-two.ts'
import { deferParticipation } from '../defer-participation.ts'
import { startYearOne } from '../start-year-one.ts'
import { withdrawParticipation } from '../withdraw-participation.ts'
import { approveExtraDays } from './approve-extra-days.ts'
import { logReleaseTime } from './log-release-time.ts'
import { releasePace } from './release-pace.ts'
import { releaseRowCount } from './release-time.repository.ts'
import { reverseReleaseEntry } from './reverse-release-entry.ts'
import { viewReleaseTime } from './view-release-time.ts'

const clock = fixedClock('2026-03-02T10:00:00Z')
const TODAY = '2026-03-02'
const HUB = 'northvale-maths-hub'
let database: TestDatabase
let admin: Actor
let viewer: Actor
let hubLead: Actor
let hubAdmin: Actor
let otherLead: Actor
let cohortId: string
let laterCohortId: string
let n = 0

function context(actor: Actor): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'release-test', baseUrl: 'http://localhost:3000' }
}

async function personWith(
  email: string,
  role: 'national-admin' | 'national-viewer' | 'hub-lead' | 'hub-admin',
  hub: string | null,
): Promise<Actor> {
  const person = await database.db
    .insertInto('people')
    .values({ name: email, email })
    .returning('id')
    .executeTakeFirstOrThrow()
  await database.db.insertInto('grants').values({ person_id: person.id, role, hub_id: hub }).execute()
  return (await actorForPerson(database.db, person.id))!
}

/** A specialist of the 7.5-day cohort in year 1 from 1 October 2025. */
async function specialist(hub = HUB): Promise<{ actor: Actor; id: number }> {
  n += 1
  const db = database.db
  const person = await db
    .insertInto('people')
    .values({ name: `Specialist ${n}`, email: `s${n}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('grants')
    .values({ person_id: person.id, role: 'mastery-specialist', hub_id: hub, cohort_id: cohortId })
    .execute()
  const application = await db
    .insertInto('applications')
    .values({
      reference: `MH-${String(n).padStart(8, '0')}`,
      cohort_id: cohortId,
      applicant_id: person.id,
      state: 'draft',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  const started = new Date('2025-10-01T09:00:00Z')
  const row = await db
    .insertInto('participations')
    .values({
      person_id: person.id,
      cohort_id: cohortId,
      application_id: application.id,
      hub_id: hub,
      started_at: started,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.transaction().execute((tx) => startYearOne(tx, row.id, cohortId, started))
  return { actor: (await actorForPerson(db, person.id))!, id: row.id }
}

/** The refusal a promise ends in (failing the test if it succeeds). */
async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ValidationError)
  return error as ValidationError
}

/** Asserts the call is refused with the message and saves nothing. */
async function refusedWith(id: number, call: () => Promise<unknown>, message: string): Promise<void> {
  const before = await releaseRowCount(database.db, id)
  const error = await refusal(call())
  expect(error.errors.map((e) => e.message)).toEqual([message])
  expect(await releaseRowCount(database.db, id)).toBe(before)
}

let supportGroup: number | undefined
const SUPPORTED_URN = 990_501

/** A Work Group support visit of the specialist's, as the Work Group's page records it. */
async function supportVisit(participationId: number, on: string, halfDays: number): Promise<void> {
  const db = database.db
  if (supportGroup === undefined) {
    await db
      .insertInto('schools')
      .values({
        urn: SUPPORTED_URN,
        name: 'Brookside Primary School',
        search_name: 'brookside primary school',
        type_name: 'Community school',
        type_group: 'Local authority maintained schools',
        phase: 'Primary',
        la_code: '201',
        la_name: 'City of London',
        status: 'Open',
        open: true,
        in_england: true,
        state_funded: true,
      })
      .execute()
    const now = clock.now()
    const group = await db
      .insertInto('work_groups')
      .values({
        hub_id: HUB,
        programme_id: 'readiness',
        academic_year: '2025/26',
        phase: 'primary',
        name: 'Readiness: Northvale east',
        capacity: 6,
        meeting_area: 'Northvale',
        planned_sessions: 4,
        state: 'running',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    supportGroup = Number(group.id)
  }
  await db
    .insertInto('work_group_support_visits')
    .values({
      work_group_id: supportGroup,
      participation_id: participationId,
      school_urn: SUPPORTED_URN,
      visited_on: on,
      half_days: halfDays,
      recorded_at: clock.now(),
    })
    .execute()
}

const day = (on: string, activity = 'other-schools') => ({ on, half: 'day', activity })
const morning = (on: string, activity = 'other-schools') => ({ on, half: 'morning', activity })

beforeAll(async () => {
  database = await createTestDatabase()
  await database.db
    .insertInto('hubs')
    .values([
      { id: HUB, name: 'Northvale Maths Hub' },
      { id: 'other-maths-hub', name: 'Other Maths Hub' },
    ])
    .execute()
  admin = await personWith('admin@ncetm.example', 'national-admin', null)
  viewer = await personWith('viewer@ncetm.example', 'national-viewer', null)
  hubLead = await personWith('lead@northvale.example', 'hub-lead', HUB)
  hubAdmin = await personWith('admin@northvale.example', 'hub-admin', HUB)
  otherLead = await personWith('lead@other.example', 'hub-lead', 'other-maths-hub')
  const funding = { releaseDaysPerYear: 7.5, dayRatePence: 20_000, bursaryPence: 0 }
  cohortId = await ensureCohort(database.db, cohortInputWith({ number: 91, funding }))
  laterCohortId = await ensureCohort(database.db, cohortInputWith({ number: 92, funding }))
})

afterAll(async () => {
  await database?.destroy()
})

describe('logging release time', () => {
  it('is logged by the specialist and by the hub, each shown and audited, with exact figures', async () => {
    const tess = await specialist()
    const mine = await logReleaseTime(context(tess.actor), tess.id, {
      on: '2025-11-12',
      half: 'morning',
      activity: 'residential',
      note: 'First residential',
    })
    expect(mine).toMatchObject({ year: 1 })
    expect(mine.entryIds).toHaveLength(1)
    const hubs = await logReleaseTime(context(hubLead), tess.id, day('2025-12-03', 'hub-work'))
    expect(hubs.entryIds).toHaveLength(2)
    await logReleaseTime(context(hubAdmin), tess.id, {
      on: '2026-01-14',
      half: 'afternoon',
      activity: 'department',
    })
    await logReleaseTime(context(admin), tess.id, morning('2026-03-02', 'pd-lead'))

    const view = await viewReleaseTime(context(tess.actor), tess.id)
    expect(view.funding).toEqual({ releaseDaysPerYear: 7.5, dayRatePence: 20_000 })
    expect(view.years).toEqual([
      {
        year: 1,
        stage: 'year-one',
        label: 'Year 1: development year',
        startsOn: '2025-10-01',
        endsOn: null,
        fundedHalfDays: 15,
        approvedExtraHalfDays: 0,
        loggedHalfDays: 5,
        supportHalfDays: 0,
        usedHalfDays: 5,
        remainingHalfDays: 10,
        overByHalfDays: 0,
      },
    ])
    expect(view.current?.year).toBe(1)
    expect(view.entries.map((e) => [e.on, e.half, e.activity, e.loggedAs, e.kind, e.year])).toEqual([
      ['2026-03-02', 'morning', 'pd-lead', 'ncetm', 'use', 1],
      ['2026-01-14', 'afternoon', 'department', 'hub', 'use', 1],
      ['2025-12-03', 'morning', 'hub-work', 'hub', 'use', 1],
      ['2025-12-03', 'afternoon', 'hub-work', 'hub', 'use', 1],
      ['2025-11-12', 'morning', 'residential', 'specialist', 'use', 1],
    ])
    expect(view.entries.at(-1)).toMatchObject({ note: 'First residential', loggedByName: `Specialist ${n}` })
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'after'])
      .where('record_type', '=', 'release-entry')
      .where('record_id', 'in', [...mine.entryIds, ...hubs.entryIds].map(String))
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['release-time.log', 'release-time.log', 'release-time.log'])
    // The note is the specialist's own words: the audit trail says only that there is one.
    expect(JSON.stringify(audit)).not.toContain('First residential')

    // Their hub's team, NCETM and its viewers see it too.
    for (const actor of [hubLead, hubAdmin, admin, viewer]) {
      expect((await viewReleaseTime(context(actor), tess.id)).years[0]!.usedHalfDays).toBe(5)
    }
  })

  it('refuses dates outside the participation, in the future and bad input, saving nothing', async () => {
    const tess = await specialist()
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(tess.actor), tess.id, morning('2025-09-30')),
      '30 September 2025 is before the programme began on 1 October 2025',
    )
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(hubLead), tess.id, day('2026-03-03')),
      '3 March 2026 is in the future: log days once they have happened',
    )
    await refusedWith(
      tess.id,
      () =>
        logReleaseTime(context(tess.actor), tess.id, {
          on: '2026-02-30',
          half: 'day',
          activity: 'department',
        }),
      'Enter a real date',
    )
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(tess.actor), tess.id, { on: '', half: 'day', activity: 'department' }),
      'Enter the date',
    )
    const bad = await refusal(
      logReleaseTime(context(tess.actor), tess.id, { on: '2026-02-02', half: 'evening', activity: 'golf' }),
    )
    expect(bad.errors).toEqual([
      { code: 'invalid', field: 'half', message: 'Select the morning, the afternoon or the whole day' },
      { code: 'invalid', field: 'activity', message: 'Select what the time was spent on' },
    ])
    expect(await releaseRowCount(database.db, tess.id)).toBe(0)
  })

  it('refuses a day during a deferral, keeping the days before it with the participation', async () => {
    const tess = await specialist()
    await logReleaseTime(context(tess.actor), tess.id, day('2025-12-10'))
    await deferParticipation(context(admin), tess.id, {
      on: '2026-01-05',
      reason: 'Maternity leave',
      toCohortId: laterCohortId,
    })
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(hubLead), tess.id, morning('2026-02-02')),
      '2 February 2026 is during the deferral from 5 January 2026: days cannot be logged while deferred',
    )
    const view = await viewReleaseTime(context(tess.actor), tess.id)
    expect(view.current).toBeNull()
    expect(view.years.map((y) => [y.year, y.usedHalfDays, y.fundedHalfDays])).toEqual([[1, 2, 15]])
    expect(view.entries).toHaveLength(2)
    expect((await releasePace(database.db, [tess.id], TODAY))[0]).toMatchObject({ pace: 'not-taking-part' })
  })

  it('refuses the same half day twice, in code and in the database, and a race saves one', async () => {
    const tess = await specialist()
    await logReleaseTime(context(tess.actor), tess.id, morning('2026-02-02'))
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(hubLead), tess.id, morning('2026-02-02', 'department')),
      'The morning of 2 February 2026 is already logged',
    )
    // A whole day with its morning logged saves neither half.
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(hubLead), tess.id, day('2026-02-02')),
      'The morning of 2 February 2026 is already logged',
    )
    await logReleaseTime(context(tess.actor), tess.id, {
      on: '2026-02-02',
      half: 'afternoon',
      activity: 'department',
    })
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(tess.actor), tess.id, day('2026-02-02')),
      '2 February 2026 is already logged',
    )

    const results = await Promise.allSettled([
      logReleaseTime(context(tess.actor), tess.id, morning('2026-02-03')),
      logReleaseTime(context(hubLead), tess.id, morning('2026-02-03')),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toBeInstanceOf(ValidationError)
    expect(refused.reason.errors).toEqual([
      { code: 'already-logged', field: 'on', message: 'The morning of 3 February 2026 is already logged' },
    ])
    const uses = await database.db
      .selectFrom('release_entries')
      .select('id')
      .where('participation_id', '=', tess.id)
      .where('on_date', '=', '2026-02-03')
      .execute()
    expect(uses).toHaveLength(1)

    // The database itself refuses a second use of a half day, whatever the code does.
    await expect(
      sql`INSERT INTO release_entries (participation_id, kind, on_date, half, activity, logged_as, created_at)
          VALUES (${tess.id}, 'use', '2026-02-03', 'morning', 'department', 'hub', now())`.execute(
        database.db,
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'release_entries_one_first_use' })
  })

  it.skipIf(ENGINE !== 'postgres')(
    'turns the database’s refusal of a half day saved by another request meanwhile into the plain refusal',
    async () => {
      const tess = await specialist()
      // Another request has saved the half day but not yet committed: the check cannot see it, so
      // the insert waits on the unique index and is refused when the other commits.
      const other = await database.db.startTransaction().execute()
      await sql`INSERT INTO release_entries (participation_id, kind, on_date, half, activity, logged_as, created_at)
          VALUES (${tess.id}, 'use', '2026-02-04', 'afternoon', 'department', 'hub', now())`.execute(other)
      const logging = logReleaseTime(context(tess.actor), tess.id, day('2026-02-04')).catch((e: unknown) => e)
      await new Promise((resolve) => setTimeout(resolve, 300))
      await other.commit().execute()
      const error = await logging
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).errors).toEqual([
        {
          code: 'already-logged',
          field: 'on',
          message: 'The afternoon of 4 February 2026 is already logged',
        },
      ])
      expect(await releaseRowCount(database.db, tess.id)).toBe(1)
    },
  )

  it('refuses going over the funded days until the hub approves extra, exact with 7.5 days', async () => {
    const tess = await specialist()
    for (const on of [
      '2025-10-06',
      '2025-10-13',
      '2025-10-20',
      '2025-11-03',
      '2025-11-10',
      '2025-11-17',
      '2025-11-24',
    ]) {
      await logReleaseTime(context(tess.actor), tess.id, day(on))
    }
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(tess.actor), tess.id, day('2025-12-01')),
      'This would be 8 days of 7.5 funded. Ask your hub to approve extra days first',
    )
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(hubLead), tess.id, day('2025-12-01')),
      'This would be 8 days of 7.5 funded. Record the approval of extra days first',
    )
    await logReleaseTime(context(tess.actor), tess.id, morning('2025-12-01'))
    let year = (await viewReleaseTime(context(tess.actor), tess.id)).years[0]!
    expect(year).toMatchObject({
      fundedHalfDays: 15,
      usedHalfDays: 15,
      remainingHalfDays: 0,
      overByHalfDays: 0,
    })
    await refusedWith(
      tess.id,
      () =>
        logReleaseTime(context(tess.actor), tess.id, {
          on: '2025-12-01',
          half: 'afternoon',
          activity: 'department',
        }),
      'This would be 8 days of 7.5 funded. Ask your hub to approve extra days first',
    )

    // Only the hub's team and NCETM approve, never the specialist, nor another hub.
    for (const actor of [tess.actor, otherLead, viewer]) {
      await expect(
        approveExtraDays(context(actor), tess.id, { days: '1', reason: 'Extra Work Group sessions' }),
      ).rejects.toBeInstanceOf(NotFoundError)
    }
    await refusedWith(
      tess.id,
      () => approveExtraDays(context(hubLead), tess.id, { days: '0.3', reason: 'Extra sessions' }),
      'Enter the extra days as whole or half days, like 2 or 1.5',
    )
    await refusedWith(
      tess.id,
      () => approveExtraDays(context(hubLead), tess.id, { days: '1', reason: ' ' }),
      'Enter the reason for the extra days',
    )
    await refusedWith(
      tess.id,
      () => approveExtraDays(context(hubLead), tess.id, { year: 2, days: '1', reason: 'Next year' }),
      'Select a year of the programme that has begun',
    )
    const approved = await approveExtraDays(context(hubLead), tess.id, {
      days: '1',
      reason: 'Extra Work Group sessions',
    })
    expect(approved).toMatchObject({ year: 1, halfDays: 2 })
    await logReleaseTime(context(tess.actor), tess.id, day('2025-12-08'))
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(tess.actor), tess.id, morning('2025-12-15')),
      'This would be 9 days of 7.5 funded and 1 approved. Ask your hub to approve extra days first',
    )
    await approveExtraDays(context(admin), tess.id, { year: 1, days: 0.5, reason: 'One more session' })
    await logReleaseTime(context(hubLead), tess.id, morning('2025-12-15'))

    const view = await viewReleaseTime(context(tess.actor), tess.id)
    year = view.years[0]!
    expect(year).toMatchObject({
      fundedHalfDays: 15,
      approvedExtraHalfDays: 3,
      usedHalfDays: 18,
      remainingHalfDays: 0,
      overByHalfDays: 3,
    })
    expect(view.approvals.map((a) => [a.year, a.halfDays, a.reason, a.approvedAs])).toEqual([
      [1, 2, 'Extra Work Group sessions', 'hub'],
      [1, 1, 'One more session', 'ncetm'],
    ])
    const audit = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('record_type', '=', 'release-extra-days')
      .where('record_id', '=', String(approved.approvalId))
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['release-time.approve-extra-days'])
  })

  it('is not there for another hub, another specialist or a national viewer logging', async () => {
    const tess = await specialist()
    const other = await specialist('other-maths-hub')
    const { entryIds } = await logReleaseTime(context(tess.actor), tess.id, morning('2026-02-02'))
    for (const actor of [otherLead, other.actor]) {
      await expect(viewReleaseTime(context(actor), tess.id)).rejects.toBeInstanceOf(NotFoundError)
      await expect(
        reverseReleaseEntry(context(actor), tess.id, entryIds[0]!, { reason: 'Mistake' }),
      ).rejects.toBeInstanceOf(NotFoundError)
    }
    for (const actor of [otherLead, other.actor, viewer]) {
      await expect(logReleaseTime(context(actor), tess.id, morning('2026-02-03'))).rejects.toBeInstanceOf(
        NotFoundError,
      )
    }
    // An entry of another participation is not found through this one.
    await expect(
      reverseReleaseEntry(context(other.actor), other.id, entryIds[0]!, { reason: 'Mistake' }),
    ).rejects.toBeInstanceOf(NotFoundError)
    await expect(viewReleaseTime(context(admin), 999_999)).rejects.toBeInstanceOf(NotFoundError)
    expect(await releaseRowCount(database.db, tess.id)).toBe(1)
  })
})

describe('correcting release time', () => {
  it('reverses an entry with a reason, shows it, and lets the half day be logged again', async () => {
    const tess = await specialist()
    const { entryIds } = await logReleaseTime(context(tess.actor), tess.id, morning('2026-02-02'))
    const first = entryIds[0]!
    await refusedWith(
      tess.id,
      () => reverseReleaseEntry(context(tess.actor), tess.id, first, { reason: '' }),
      'Enter the reason for the correction',
    )
    const reversal = await reverseReleaseEntry(context(hubLead), tess.id, first, {
      reason: 'It was the afternoon',
    })
    await refusedWith(
      tess.id,
      () => reverseReleaseEntry(context(tess.actor), tess.id, first, { reason: 'Again' }),
      'The morning of 2 February 2026 has already been reversed',
    )
    await refusedWith(
      tess.id,
      () => reverseReleaseEntry(context(tess.actor), tess.id, reversal, { reason: 'Undo' }),
      'This entry is a correction and cannot be reversed: log the half day again instead',
    )
    expect((await viewReleaseTime(context(tess.actor), tess.id)).years[0]!.usedHalfDays).toBe(0)

    const again = await logReleaseTime(context(tess.actor), tess.id, morning('2026-02-02', 'department'))
    const view = await viewReleaseTime(context(tess.actor), tess.id)
    expect(view.years[0]).toMatchObject({ usedHalfDays: 1, remainingHalfDays: 14 })
    expect(view.entries.map((e) => [e.id, e.kind, e.reverses, e.reversedBy?.id ?? null, e.reason])).toEqual([
      [first, 'use', null, reversal, null],
      [reversal, 'reversal', first, null, 'It was the afternoon'],
      [again.entryIds[0], 'use', null, null, null],
    ])
    expect(view.entries[0]!.reversedBy).toMatchObject({ reason: 'It was the afternoon', loggedAs: 'hub' })

    // Reversed and logged again a second time: each reversal frees the half day once.
    await reverseReleaseEntry(context(tess.actor), tess.id, again.entryIds[0]!, { reason: 'Not that day' })
    const third = await logReleaseTime(context(tess.actor), tess.id, morning('2026-02-02'))
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(tess.actor), tess.id, morning('2026-02-02')),
      'The morning of 2 February 2026 is already logged',
    )
    // The database holds it too: a use cannot follow a reversal another use already follows.
    await expect(
      sql`INSERT INTO release_entries (participation_id, kind, on_date, half, activity, logged_as, created_at, follows_reversal_id)
          VALUES (${tess.id}, 'use', '2026-02-02', 'morning', 'department', 'hub', now(), ${reversal})`.execute(
        database.db,
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'release_entries_followed_once' })
    // Nor may a reversal name a reversal, or a use of another half day.
    for (const [target, on] of [
      [reversal, '2026-02-02'],
      [third.entryIds[0]!, '2026-02-05'],
    ] as const) {
      await expect(
        sql`INSERT INTO release_entries (participation_id, kind, on_date, half, activity, reverses_entry_id, reason, logged_as, created_at)
            VALUES (${tess.id}, 'reversal', ${on}, 'morning', 'department', ${target}, 'Undo', 'hub', now())`.execute(
          database.db,
        ),
      ).rejects.toMatchObject({ code: '23503' })
    }
    const audit = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('record_type', '=', 'release-entry')
      .where('record_id', '=', String(reversal))
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['release-time.reverse'])
  })

  it('ends two racing reversals of one entry with one saved and one plain refusal', async () => {
    const tess = await specialist()
    const { entryIds } = await logReleaseTime(context(tess.actor), tess.id, morning('2026-02-09'))
    const results = await Promise.allSettled([
      reverseReleaseEntry(context(tess.actor), tess.id, entryIds[0]!, { reason: 'Mistake' }),
      reverseReleaseEntry(context(hubLead), tess.id, entryIds[0]!, { reason: 'Mistake' }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toBeInstanceOf(ValidationError)
    expect(refused.reason.message).toBe('The morning of 9 February 2026 has already been reversed')
    expect(await releaseRowCount(database.db, tess.id)).toBe(2)
  })

  it.skipIf(ENGINE !== 'postgres')(
    'turns the database’s refusal of a second reversal saved meanwhile into the plain refusal',
    async () => {
      const tess = await specialist()
      const { entryIds } = await logReleaseTime(context(tess.actor), tess.id, morning('2026-02-11'))
      const other = await database.db.startTransaction().execute()
      await sql`INSERT INTO release_entries (participation_id, kind, on_date, half, activity, reverses_entry_id, reason, logged_as, created_at)
          VALUES (${tess.id}, 'reversal', '2026-02-11', 'morning', 'other-schools', ${entryIds[0]!}, 'Mistake', 'hub', now())`.execute(
        other,
      )
      const reversing = reverseReleaseEntry(context(tess.actor), tess.id, entryIds[0]!, {
        reason: 'Mistake',
      }).catch((e: unknown) => e)
      await new Promise((resolve) => setTimeout(resolve, 300))
      await other.commit().execute()
      const error = await reversing
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).message).toBe(
        'The morning of 11 February 2026 has already been reversed',
      )
      expect(await releaseRowCount(database.db, tess.id)).toBe(2)
    },
  )

  it('never updates or deletes the ledger or the approvals', async () => {
    const tess = await specialist()
    await logReleaseTime(context(tess.actor), tess.id, morning('2026-02-02'))
    await approveExtraDays(context(hubLead), tess.id, { days: '1', reason: 'Sessions' })
    await expect(
      sql`UPDATE release_entries SET half = 'afternoon' WHERE participation_id = ${tess.id}`.execute(
        database.db,
      ),
    ).rejects.toThrow(/append-only/)
    await expect(
      sql`DELETE FROM release_entries WHERE participation_id = ${tess.id}`.execute(database.db),
    ).rejects.toThrow(/append-only/)
    await expect(
      sql`UPDATE release_extra_days SET half_days = 100 WHERE participation_id = ${tess.id}`.execute(
        database.db,
      ),
    ).rejects.toThrow(/append-only/)
    expect(await releaseRowCount(database.db, tess.id)).toBe(2)
  })
})

describe('release time over the participation’s years', () => {
  it('ends every funded day from the withdrawal on, keeping the year’s funded days whole', async () => {
    const tess = await specialist()
    await logReleaseTime(context(tess.actor), tess.id, day('2026-01-12'))
    const kept = await logReleaseTime(context(tess.actor), tess.id, morning('2026-02-10'))
    const after = await logReleaseTime(context(hubLead), tess.id, day('2026-02-16'))
    await logReleaseTime(context(tess.actor), tess.id, morning('2026-02-20'))
    await withdrawParticipation(context(hubLead), tess.id, { on: '2026-02-16', reason: 'Left teaching' })

    const view = await viewReleaseTime(context(tess.actor), tess.id)
    const reversals = view.entries.filter((e) => e.kind === 'reversal')
    expect(reversals.map((e) => [e.on, e.half, e.reason, e.loggedAs])).toEqual([
      ['2026-02-20', 'morning', 'Withdrawn from the programme', 'hub'],
      ['2026-02-16', 'morning', 'Withdrawn from the programme', 'hub'],
      ['2026-02-16', 'afternoon', 'Withdrawn from the programme', 'hub'],
    ])
    expect(view.entries.find((e) => e.id === kept.entryIds[0])!.reversedBy).toBeNull()
    expect(view.entries.find((e) => e.id === after.entryIds[0])!.reversedBy).not.toBeNull()
    expect(view.current).toBeNull()
    expect(view.years).toEqual([
      expect.objectContaining({
        year: 1,
        endsOn: '2026-02-16',
        fundedHalfDays: 15,
        usedHalfDays: 3,
        remainingHalfDays: 12,
      }),
    ])
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(hubLead), tess.id, morning('2026-02-17')),
      '17 February 2026 is after the withdrawal from the programme on 16 February 2026',
    )
    const audit = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'release-time.reverse')
      .where(sql<boolean>`(after ->> 'participationId')::bigint = ${tess.id}`)
      .execute()
    expect(audit).toHaveLength(3)
  })

  it('counts each year on its own: year 1, year 2, then each 12 months active', async () => {
    const tess = await specialist()
    await logReleaseTime(context(tess.actor), tess.id, day('2025-10-20'))
    await beginYearTwo(context(hubLead), tess.id, { on: '2025-12-01' })
    await becomeActive(context(hubLead), tess.id, { on: '2026-02-01' })
    await logReleaseTime(context(tess.actor), tess.id, morning('2026-01-05'))
    await logReleaseTime(context(tess.actor), tess.id, day('2026-02-02', 'work-group'))
    const view = await viewReleaseTime(context(tess.actor), tess.id)
    expect(
      view.years.map((y) => [y.year, y.label, y.startsOn, y.endsOn, y.fundedHalfDays, y.usedHalfDays]),
    ).toEqual([
      [1, 'Year 1: development year', '2025-10-01', '2025-12-01', 15, 2],
      [2, 'Year 2: development year', '2025-12-01', '2026-02-01', 15, 1],
      [3, 'Year 3: active specialist', '2026-02-01', '2027-02-01', 15, 2],
    ])
    expect(view.current?.year).toBe(3)
  })
})

describe('the expected pace', () => {
  it('flags release time over or far under the pace expected by today', async () => {
    // 2 March 2026 is day 153 of 365 of year 1: 15 funded half days expect 6 by now, give or take 3.
    const under = await specialist()
    const onPace = await specialist()
    const over = await specialist()
    await logReleaseTime(context(onPace.actor), onPace.id, day('2025-11-03'))
    await logReleaseTime(context(onPace.actor), onPace.id, day('2025-12-01'))
    await logReleaseTime(context(onPace.actor), onPace.id, day('2026-01-05'))
    for (const on of ['2025-10-06', '2025-10-13', '2025-10-20', '2025-10-27', '2025-11-03']) {
      await logReleaseTime(context(over.actor), over.id, day(on))
    }
    const paces = await releasePace(database.db, [under.id, onPace.id, over.id, 999_999], TODAY)
    expect(paces.map((p) => [p.participationId, p.year, p.usedHalfDays, p.expectedHalfDays, p.pace])).toEqual(
      [
        [under.id, 1, 0, 6, 'far-under'],
        [onPace.id, 1, 6, 6, 'on-pace'],
        [over.id, 1, 10, 6, 'over'],
      ],
    )
    expect(paces[2]!.explanation).toBe('5 days used of 7.5 funded in year 1: ahead of the 3 expected by now')
    expect(paces[0]!.explanation).toBe(
      '0 days used of 7.5 funded in year 1: far behind the 3 expected by now',
    )
    expect(await releasePace(database.db, [], TODAY)).toEqual([])
  })
})

describe('Work Group support visits', () => {
  it('count as days used in the year of their date, listed beside the ledger', async () => {
    const tess = await specialist()
    await logReleaseTime(context(tess.actor), tess.id, day('2026-01-12'))
    let current = (await viewReleaseTime(context(tess.actor), tess.id)).current!
    expect(current).toMatchObject({ loggedHalfDays: 2, supportHalfDays: 0, usedHalfDays: 2 })

    await supportVisit(tess.id, '2026-02-10', 3)
    const view = await viewReleaseTime(context(hubLead), tess.id)
    current = view.current!
    expect(current).toMatchObject({
      year: 1,
      fundedHalfDays: 15,
      loggedHalfDays: 2,
      supportHalfDays: 3,
      usedHalfDays: 5,
      remainingHalfDays: 10,
    })
    expect(view.supportVisits).toEqual([
      {
        id: expect.any(Number),
        on: '2026-02-10',
        workGroupId: supportGroup,
        workGroupName: 'Readiness: Northvale east',
        schoolUrn: SUPPORTED_URN,
        schoolName: 'Brookside Primary School',
        halfDays: 3,
        year: 1,
      },
    ])
    // The ledger itself is unchanged: a visit is not an entry.
    expect(view.entries).toHaveLength(2)
  })

  it('count in no year when dated outside the programme, and in their own year, not today’s', async () => {
    const tess = await specialist()
    await supportVisit(tess.id, '2025-09-15', 4) // before year 1 began on 1 October 2025
    let view = await viewReleaseTime(context(tess.actor), tess.id)
    expect(view.current).toMatchObject({ year: 1, supportHalfDays: 0, usedHalfDays: 0 })
    expect(view.supportVisits.map((v) => [v.on, v.halfDays, v.year])).toEqual([['2025-09-15', 4, null]])

    await supportVisit(tess.id, '2025-11-04', 2) // in year 1
    await beginYearTwo(context(hubLead), tess.id, { on: '2025-12-01' })
    await supportVisit(tess.id, '2026-01-20', 1) // in year 2
    view = await viewReleaseTime(context(tess.actor), tess.id)
    expect(view.years.map((y) => [y.year, y.loggedHalfDays, y.supportHalfDays, y.usedHalfDays])).toEqual([
      [1, 0, 2, 2],
      [2, 0, 1, 1],
    ])
    expect(view.current?.year).toBe(2)
    expect(view.supportVisits.map((v) => [v.on, v.year])).toEqual([
      ['2026-01-20', 2],
      ['2025-11-04', 1],
      ['2025-09-15', null],
    ])
  })

  it('are counted by the funded-days check and the pace', async () => {
    const tess = await specialist()
    await supportVisit(tess.id, '2025-10-07', 4)
    await supportVisit(tess.id, '2025-10-14', 4)
    await supportVisit(tess.id, '2025-10-21', 4)
    for (const on of ['2025-11-03', '2025-11-10', '2025-11-17']) {
      await supportVisit(tess.id, on, 1)
    }
    // 15 half days used of 15 funded, all by support visits: one more logged half day is over.
    await refusedWith(
      tess.id,
      () => logReleaseTime(context(tess.actor), tess.id, morning('2026-01-05')),
      'This would be 8 days of 7.5 funded, counting 7.5 days of Work Group support visits. Ask your hub to approve extra days first',
    )
    const [pace] = await releasePace(database.db, [tess.id], TODAY)
    expect(pace).toMatchObject({ year: 1, usedHalfDays: 15, pace: 'over' })
    expect(pace!.explanation).toBe('7.5 days used of 7.5 funded in year 1: ahead of the 3 expected by now')
  })
})
