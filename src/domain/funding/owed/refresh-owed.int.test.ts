// What is owed on a real database, from what happened: half days of release logged (and one
// reversed), a support visit and a grant due each become an owed item for the right school, in
// pence, under the funding rule of the day; a reversal or extra days approved change the amount
// by a new change with its reason, never an edit; a second refresh writes nothing; the ledger
// refuses updates and deletes; and each refresh that moves money writes its audit entry with it.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { fundingScenario, type FundingScenario } from '../../../../test/funding-fixtures.ts'
import { loadDemo } from '../../../db/seeds/demo.ts'
import { fixedClock } from '../../../lib/clock.ts'
import type { Actor } from '../../access/actor.ts'
import { approveExtraDays } from '../../participants/release-time/approve-extra-days.ts'
import { logReleaseTime } from '../../participants/release-time/log-release-time.ts'
import { reverseReleaseEntry } from '../../participants/release-time/reverse-release-entry.ts'
import type { UseCaseContext } from '../../use-case.ts'

const clock = fixedClock('2026-11-22T10:00:00Z')
let database: TestDatabase
let scenario: FundingScenario
let lead: Actor
let specialist: Actor
let participationId: number
let schoolUrn: number
let HUB: string

const as = (actor: Actor): UseCaseContext => scenario.as(actor)
const refresh = () => scenario.refresh()

/** The participation's release-time items: each with its amount and its changes' reasons. */
async function releaseItems() {
  const rows = await database.db
    .selectFrom('owed_items as i')
    .innerJoin('owed_changes as c', 'c.owed_item_id', 'i.id')
    .select(['i.id', 'i.source_id', 'i.school_urn', 'i.description', 'c.amount_pence', 'c.reason'])
    .where('i.participation_id', '=', participationId)
    .where('i.kind', '=', 'release-time')
    .orderBy('i.id')
    .orderBy('c.id')
    .execute()
  const items = new Map<number, { sourceId: number; schoolUrn: number; amount: number; reasons: string[] }>()
  for (const r of rows) {
    const item = items.get(r.id) ?? { sourceId: r.source_id, schoolUrn: r.school_urn, amount: 0, reasons: [] }
    item.amount += r.amount_pence
    item.reasons.push(r.reason)
    items.set(r.id, item)
  }
  return [...items.values()]
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  scenario = await fundingScenario(database.db, clock)
  ;({ lead, specialist, participationId, schoolUrn, hubId: HUB } = scenario)
})

afterAll(async () => {
  await database?.destroy()
})

describe('release time owed', () => {
  it('owes each half day logged to the specialist’s school at half the day rate, once', async () => {
    await logReleaseTime(as(specialist), participationId, {
      on: '2026-10-05',
      half: 'day',
      activity: 'other-schools',
    })
    const first = await refresh()
    expect(first.changesWritten).toBeGreaterThanOrEqual(2)
    const items = await releaseItems()
    expect(items).toHaveLength(2)
    for (const item of items) {
      expect(item.schoolUrn).toBe(schoolUrn)
      expect(item.amount).toBe(10_000) // £200 a day under the primary rule from September 2020
      expect(item.reasons).toEqual(['Within the funded and approved days'])
    }
    expect(items.map((i) => i.sourceId)).toHaveLength(new Set(items.map((i) => i.sourceId)).size)
    const again = await refresh()
    expect(again).toMatchObject({ itemsAdded: 0, changesWritten: 0, netPence: 0 })
  })

  it('takes a reversed half day back out by a negative change, keeping the history', async () => {
    const [morning] = await releaseItems()
    await reverseReleaseEntry(as(lead), participationId, morning!.sourceId, { reason: 'Logged in error' })
    const refreshed = await refresh()
    expect(refreshed.netPence).toBe(-10_000)
    const after = await releaseItems()
    expect(after[0]).toMatchObject({
      amount: 0,
      reasons: ['Within the funded and approved days', 'The half day was reversed'],
    })
    expect(after[1]!.amount).toBe(10_000)
  })

  it('owes half days beyond the funded day once the hub approves them', async () => {
    await approveExtraDays(as(lead), participationId, { days: '1', reason: 'Work Group sessions ran long' })
    await logReleaseTime(as(specialist), participationId, {
      on: '2026-10-12',
      half: 'day',
      activity: 'other-schools',
    })
    await logReleaseTime(as(specialist), participationId, {
      on: '2026-10-19',
      half: 'morning',
      activity: 'other-schools',
    })
    const refreshed = await refresh()
    expect(refreshed.netPence).toBe(30_000)
    // Live: the afternoon of 5 October, both halves of 12 October and the morning of 19 October.
    const owed = (await releaseItems()).reduce((sum, i) => sum + i.amount, 0)
    expect(owed).toBe(40_000)
  })
})

describe('support visits and grants owed', () => {
  it('owes a support visit at half the support day rate a half day while the year’s days last, and a grant due in full', async () => {
    const group = await database.db
      .selectFrom('work_groups')
      .select(['id'])
      .where('hub_id', '=', HUB)
      .executeTakeFirstOrThrow()
    const visit = await database.db
      .insertInto('work_group_support_visits')
      .values({
        work_group_id: group.id,
        participation_id: participationId,
        school_urn: schoolUrn,
        visited_on: '2026-11-03',
        half_days: 3,
        recorded_at: clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // The year's days are all used by the half days logged: nothing is owed for the visit yet.
    const visitOwed = async () => {
      const rows = await database.db
        .selectFrom('owed_items as i')
        .innerJoin('owed_changes as c', 'c.owed_item_id', 'i.id')
        .select(['i.school_urn', 'i.description', 'c.amount_pence', 'c.reason'])
        .where('i.kind', '=', 'support-visit')
        .where('i.source_id', '=', visit.id)
        .orderBy('c.id')
        .execute()
      return { rows, amount: rows.reduce((sum, r) => sum + r.amount_pence, 0) }
    }
    await refresh()
    expect((await visitOwed()).rows).toEqual([])
    // A day more approved pays two of its three half days; half a day more, the third.
    await approveExtraDays(as(lead), participationId, { days: '1', reason: 'Support for a new school' })
    await refresh()
    const part = await visitOwed()
    expect(part.amount).toBe(2 * 17_500)
    expect(part.rows[0]).toMatchObject({
      school_urn: schoolUrn,
      reason: '2 of 3 half days of support within the funded and approved days',
    })
    expect(part.rows[0]!.description).toMatch(/^Support visit to .+ on 3 November 2026$/)
    await approveExtraDays(as(lead), participationId, { days: '0.5', reason: 'Support for a new school' })
    await refresh()
    expect((await visitOwed()).amount).toBe(3 * 17_500)
    // The release days logged before the visit stay owed.
    expect((await releaseItems()).reduce((sum, i) => sum + i.amount, 0)).toBe(40_000)

    const grants = await database.db
      .selectFrom('work_group_grants_due as d')
      .innerJoin('work_groups as g', 'g.id', 'd.work_group_id')
      .select(['d.id', 'd.amount_pence', 'd.school_urn'])
      .where('g.hub_id', '=', HUB)
      .execute()
    for (const grant of grants) {
      const owed = await database.db
        .selectFrom('owed_items as i')
        .innerJoin('owed_changes as c', 'c.owed_item_id', 'i.id')
        .select(['i.school_urn', sql<string>`sum(c.amount_pence)`.as('amount')])
        .where('i.kind', '=', 'grant')
        .where('i.source_id', '=', grant.id)
        .groupBy('i.school_urn')
        .executeTakeFirstOrThrow()
      expect({ school: owed.school_urn, amount: Number(owed.amount) }).toEqual({
        school: grant.school_urn,
        amount: grant.amount_pence,
      })
    }
  })
})

describe('the ledger', () => {
  it('refuses an edit or a deletion of what is owed', async () => {
    await expect(sql`UPDATE owed_changes SET amount_pence = 1`.execute(database.db)).rejects.toThrow(
      /append-only/,
    )
    await expect(sql`DELETE FROM owed_items`.execute(database.db)).rejects.toThrow(/append-only/)
  })

  it('writes an audit entry naming every change, in the same transaction', async () => {
    const audited = await database.db
      .selectFrom('audit_events')
      .select(sql<string>`after::text`.as('after'))
      .where('action', '=', 'funding.refresh-owed')
      .execute()
    const named = new Set(audited.flatMap((a) => (JSON.parse(a.after) as { changeIds: number[] }).changeIds))
    const changes = await database.db.selectFrom('owed_changes').select('id').execute()
    expect(changes.length).toBeGreaterThan(0)
    for (const change of changes) expect(named.has(change.id)).toBe(true)
  })
})
