// Claims on a real database: a specialist claims their owed release days; the same item claimed
// twice, or by two submissions at once, makes one claim; the submitter cannot approve their own;
// another hub's lead is told the claim is not there; a rejection needs its reason and frees the
// items; a claim above NCETM's threshold waits for NCETM finance after the hub approves it. Each
// refusal has its message and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { fundingScenario, personWithGrant, type FundingScenario } from '../../../../test/funding-fixtures.ts'
import { loadDemo } from '../../../db/seeds/demo.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { Actor } from '../../access/actor.ts'
import { claimCounts, owedItemsFor, THRESHOLD_SETTING } from './claims.repository.ts'
import { decideClaim } from './decide-claim.ts'
import { submitClaim } from './submit-claim.ts'

const clock = fixedClock('2026-11-22T10:00:00Z')
let database: TestDatabase
let s: FundingScenario

async function ownItems(scenario: FundingScenario): Promise<number[]> {
  await scenario.refresh()
  const items = await owedItemsFor(database.db, { specialistPersonId: personOf(scenario.specialist) })
  return items.filter((i) => i.amountPence > 0 && i.claimId === null).map((i) => i.id)
}

function personOf(actor: Actor): number {
  if (actor.kind !== 'person') throw new Error('a person')
  return actor.personId
}

/** Asserts the call is refused with the message, and that no claim, line or history row was added. */
async function refusedWith(call: () => Promise<unknown>, message: string | RegExp): Promise<void> {
  const before = await claimCounts(database.db)
  const error = await call().then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ValidationError)
  expect((error as ValidationError).errors.map((e) => e.message).join(' ')).toMatch(message)
  expect(await claimCounts(database.db)).toEqual(before)
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  s = await fundingScenario(database.db, clock)
  await s.logDay('2026-10-05')
})

afterAll(async () => {
  await database?.destroy()
})

describe('submitting a claim', () => {
  it('claims what is owed, each line at its amount, and holds the items', async () => {
    const items = await ownItems(s)
    expect(items).toHaveLength(2)
    const claim = await submitClaim(s.as(s.specialist), { items })
    expect(claim).toMatchObject({ totalPence: 20_000, needsNationalApproval: false })
    expect(await ownItems(s)).toEqual([])
    await refusedWith(() => submitClaim(s.as(s.specialist), { items }), /has already been claimed$/)
  })

  it('makes one claim when two submissions of the same items race', async () => {
    const other = await fundingScenario(database.db, clock, 94)
    await other.logDay('2026-10-06')
    const items = await ownItems(other)
    const before = await claimCounts(database.db)
    const results = await Promise.allSettled([
      submitClaim(other.as(other.specialist), { items }),
      submitClaim(other.as(other.specialist), { items }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toBeInstanceOf(ValidationError)
    expect((await claimCounts(database.db)).claims).toBe(before.claims + 1)
  })

  it('refuses an empty claim, and says an item it may not see is not there', async () => {
    await refusedWith(() => submitClaim(s.as(s.specialist), { items: [] }), 'Select what you are claiming')
    const stranger = await personWithGrant(database.db, { role: 'hub-admin', hubId: 'eastmoor-maths-hub' })
    const other = await fundingScenario(database.db, clock, 95)
    await other.logDay('2026-10-07')
    const items = await ownItems(other)
    await expect(submitClaim(other.as(stranger), { items })).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('deciding a claim', () => {
  it('never lets the submitter approve their own, and another hub is told it is not there', async () => {
    const contact = await personWithGrant(database.db, { role: 'school-contact', schoolUrn: s.schoolUrn })
    const other = await fundingScenario(database.db, clock, 96)
    await other.logDay('2026-10-08')
    const { claimId } = await submitClaim(other.as(contact), { items: await ownItems(other) })
    // The contact also joins the hub's team: still not the approver of their own claim.
    await database.db
      .insertInto('grants')
      .values({ person_id: personOf(contact), role: 'hub-admin', hub_id: s.hubId })
      .execute()
    const contactAtHub = (await actorForPerson(database.db, personOf(contact)))!
    const colleague = await personWithGrant(database.db, { role: 'hub-admin', hubId: s.hubId })
    await refusedWith(
      () => decideClaim(other.as(contactAtHub), claimId, { decision: 'approve' }),
      'You cannot approve a claim you submitted: ask someone else at the hub',
    )
    const elsewhere = await personWithGrant(database.db, { role: 'hub-lead', hubId: 'eastmoor-maths-hub' })
    await expect(decideClaim(other.as(elsewhere), claimId, { decision: 'approve' })).rejects.toBeInstanceOf(
      NotFoundError,
    )
    expect(await decideClaim(other.as(colleague), claimId, { decision: 'approve' })).toBe('approved')
    await refusedWith(
      () => decideClaim(other.as(colleague), claimId, { decision: 'approve' }),
      'Only a claim waiting for the hub can be approved by the hub',
    )
  })

  it('rejects with a reason, freeing the items to be claimed again', async () => {
    const other = await fundingScenario(database.db, clock, 97)
    await other.logDay('2026-10-09')
    const items = await ownItems(other)
    const { claimId } = await submitClaim(other.as(other.specialist), { items })
    await refusedWith(
      () => decideClaim(other.as(other.lead), claimId, { decision: 'reject', reason: '  ' }),
      'Enter why the claim is rejected',
    )
    expect(
      await decideClaim(other.as(other.lead), claimId, {
        decision: 'reject',
        reason: 'The days were not agreed',
      }),
    ).toBe('rejected')
    expect((await ownItems(other)).sort()).toEqual([...items].sort())
    const again = await submitClaim(other.as(other.specialist), { items })
    expect(again.claimId).not.toBe(claimId)
  })

  it('sends a claim above the threshold to NCETM finance once the hub approves it', async () => {
    await database.db
      .insertInto('service_settings')
      .values({ key: THRESHOLD_SETTING, value: JSON.stringify(10_000) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(10_000) }))
      .execute()
    const other = await fundingScenario(database.db, clock, 98)
    await other.logDay('2026-10-12')
    const claim = await submitClaim(other.as(other.specialist), { items: await ownItems(other) })
    expect(claim.needsNationalApproval).toBe(true)
    expect(await decideClaim(other.as(other.lead), claim.claimId, { decision: 'approve' })).toBe(
      'awaiting-national',
    )
    await refusedWith(
      () => decideClaim(other.as(other.lead), claim.claimId, { decision: 'approve' }),
      'This claim is waiting for NCETM finance approval',
    )
    expect(await decideClaim(other.as(other.admin), claim.claimId, { decision: 'approve' })).toBe('approved')
    const history = await database.db
      .selectFrom('funding_claim_history')
      .select(['from_state', 'to_state'])
      .where('claim_id', '=', claim.claimId)
      .orderBy('id')
      .execute()
    expect(history.map((h) => `${h.from_state ?? ''}→${h.to_state}`)).toEqual([
      '→submitted',
      'submitted→awaiting-national',
      'awaiting-national→approved',
    ])
    const audited = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('record_type', '=', 'funding-claim')
      .where('record_id', '=', String(claim.claimId))
      .orderBy('id')
      .execute()
    expect(audited.map((a) => a.action)).toEqual([
      'funding.submit-claim',
      'funding.claim.hub-approve-above-threshold',
      'funding.claim.national-approve',
    ])
  })
})
