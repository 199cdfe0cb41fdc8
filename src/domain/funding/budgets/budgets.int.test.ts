// Budgets on a real database: NCETM allocates a hub's year (a change is a new allocation); the
// figures move with each step of a specialist's release day, from owed to claimed, approved and
// paid; the national view has every hub with the same figures; and another hub's lead is told
// the budget is not there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { fundingScenario, personWithGrant, type FundingScenario } from '../../../../test/funding-fixtures.ts'
import { loadDemo } from '../../../db/seeds/demo.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { owedItemsFor } from '../claims/claims.repository.ts'
import { decideClaim } from '../claims/decide-claim.ts'
import { submitClaim } from '../claims/submit-claim.ts'
import { issuePaymentRun, openPaymentRun } from '../payments/payment-runs.ts'
import { allocateBudget, budgetFigures, financialYearOf, viewHubBudget } from './budgets.ts'

const clock = fixedClock('2026-11-22T10:00:00Z')
const YEAR = 2026
let database: TestDatabase
let s: FundingScenario

const figures = () => viewHubBudget(s.as(s.lead), s.hubId, YEAR)

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  s = await fundingScenario(database.db, clock)
})

afterAll(async () => {
  await database?.destroy()
})

describe('financial years', () => {
  it.each([
    ['2026-04-01', 2026],
    ['2027-03-31', 2026],
    ['2026-03-31', 2025],
  ])('%s is in the year from April %i', (date, year) => {
    expect(financialYearOf(date)).toBe(year)
  })
})

describe('a hub budget', () => {
  it('is allocated by NCETM, a change being a new allocation; a bad amount changes nothing', async () => {
    await allocateBudget(s.as(s.admin), s.hubId, { financialYear: YEAR, allocatedPence: 10_000_000 })
    await allocateBudget(s.as(s.admin), s.hubId, {
      financialYear: YEAR,
      allocatedPence: 12_500_000,
      reason: 'Two more Work Groups',
    })
    expect((await figures()).allocatedPence).toBe(12_500_000)
    for (const allocatedPence of [-1, 100.5]) {
      await expect(
        allocateBudget(s.as(s.admin), s.hubId, { financialYear: YEAR, allocatedPence }),
      ).rejects.toBeInstanceOf(ValidationError)
    }
    await expect(
      allocateBudget(s.as(s.lead), s.hubId, { financialYear: YEAR, allocatedPence: 1 }),
    ).rejects.toBeInstanceOf(NotFoundError)
    expect((await figures()).allocatedPence).toBe(12_500_000)
  })

  it('moves with each step from owed to paid', async () => {
    await s.refresh()
    const start = await figures()
    expect(start.committedPence).toBeGreaterThan(0)
    await s.logDay('2026-10-05')
    await s.refresh()
    const owed = await figures()
    expect(owed.owedPence - start.owedPence).toBe(20_000)
    const items = (
      await owedItemsFor(database.db, { specialistPersonId: (s.specialist as { personId: number }).personId })
    )
      .filter((i) => i.amountPence > 0 && i.claimId === null)
      .map((i) => i.id)
    const { claimId } = await submitClaim(s.as(s.specialist), { items })
    const claimed = await figures()
    expect(claimed.claimedPence - owed.claimedPence).toBe(20_000)
    expect(claimed.approvedPence).toBe(owed.approvedPence)
    await decideClaim(s.as(s.lead), claimId, { decision: 'approve' })
    const approved = await figures()
    expect(approved.approvedPence - claimed.approvedPence).toBe(20_000)
    const { runId } = await openPaymentRun(s.as(s.lead), s.hubId, {
      periodStart: '2026-04-01',
      periodEnd: '2026-11-30',
    })
    await issuePaymentRun(s.as(s.lead), runId)
    const paid = await figures()
    expect(paid.paidPence).toBeGreaterThanOrEqual(20_000)
    expect(paid.remainingPence).toBe(paid.allocatedPence - Math.max(paid.committedPence, paid.owedPence))
  })

  it('is the same in the national view, which has every hub', async () => {
    const national = await budgetFigures(database.db, YEAR)
    const hubs = await database.db.selectFrom('hubs').select('id').execute()
    expect(national).toHaveLength(hubs.length)
    expect(national.find((f) => f.hubId === s.hubId)).toEqual(await figures())
  })

  it('is not there for another hub’s lead', async () => {
    const elsewhere = await personWithGrant(database.db, { role: 'hub-lead', hubId: 'eastmoor-maths-hub' })
    await expect(viewHubBudget(s.as(elsewhere), s.hubId, YEAR)).rejects.toBeInstanceOf(NotFoundError)
  })
})
