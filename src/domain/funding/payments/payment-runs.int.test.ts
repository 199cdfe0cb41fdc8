// Payment runs on a real database: a specialist's approved claim becomes a statement line for
// their school; issuing the run locks the statement and pays the claim; a half day reversed after
// payment lands in the next run as a negative line naming the line it corrects; one open run at a
// time, each period after the last issued; and statement lines always sum to the statement.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { fundingScenario, type FundingScenario } from '../../../../test/funding-fixtures.ts'
import { loadDemo } from '../../../db/seeds/demo.ts'
import { ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { reverseReleaseEntry } from '../../participants/release-time/reverse-release-entry.ts'
import { owedItemsFor } from '../claims/claims.repository.ts'
import { decideClaim } from '../claims/decide-claim.ts'
import { submitClaim } from '../claims/submit-claim.ts'
import { issuePaymentRun, openPaymentRun } from './payment-runs.ts'

const clock = fixedClock('2026-11-22T10:00:00Z')
let database: TestDatabase
let s: FundingScenario

async function statementOf(runId: number) {
  const lines = await database.db
    .selectFrom('statement_lines as l')
    .innerJoin('statements as st', 'st.id', 'l.statement_id')
    .select([
      'st.id as statement_id',
      'st.school_urn',
      'st.total_pence',
      'l.id',
      'l.amount_pence',
      'l.corrects_line_id',
      'l.claim_line_id',
      'l.owed_item_id',
    ])
    .where('st.payment_run_id', '=', runId)
    .where('st.school_urn', '=', s.schoolUrn)
    .orderBy('l.id')
    .execute()
  return lines
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ValidationError)
  return (error as ValidationError).errors.map((e) => e.message).join(' ')
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  s = await fundingScenario(database.db, clock)
})

afterAll(async () => {
  await database?.destroy()
})

describe('a payment run', () => {
  let firstRun: number
  let entryIds: number[]

  it('pays an approved claim as a statement line for the school, and locks it when issued', async () => {
    entryIds = await s.logDay('2026-10-05')
    await s.refresh()
    const items = (
      await owedItemsFor(database.db, { specialistPersonId: (s.specialist as { personId: number }).personId })
    )
      .filter((i) => i.amountPence > 0)
      .map((i) => i.id)
    const { claimId } = await submitClaim(s.as(s.specialist), { items })
    await decideClaim(s.as(s.lead), claimId, { decision: 'approve' })
    const opened = await openPaymentRun(s.as(s.lead), s.hubId, {
      periodStart: '2026-09-01',
      periodEnd: '2026-11-30',
    })
    firstRun = opened.runId
    const lines = await statementOf(firstRun)
    expect(lines.map((l) => l.amount_pence)).toEqual([10_000, 10_000])
    expect(lines.every((l) => l.claim_line_id !== null && l.corrects_line_id === null)).toBe(true)
    expect(lines[0]!.total_pence).toBe(20_000)

    await issuePaymentRun(s.as(s.lead), firstRun)
    // Issuing fills the run one last time from the records: the same lines.
    const issued = await statementOf(firstRun)
    expect(issued.map((l) => l.amount_pence)).toEqual([10_000, 10_000])
    const claim = await database.db
      .selectFrom('funding_claims')
      .select('state')
      .where('id', '=', claimId)
      .executeTakeFirstOrThrow()
    expect(claim.state).toBe('paid')
    await expect(
      sql`UPDATE statement_lines SET amount_pence = 1 WHERE id = ${issued[0]!.id}`.execute(database.db),
    ).rejects.toThrow(/locked/)
    await expect(
      sql`UPDATE statements SET total_pence = 1 WHERE id = ${issued[0]!.statement_id}`.execute(database.db),
    ).rejects.toThrow(/locked/)
    expect(await refusal(issuePaymentRun(s.as(s.lead), firstRun))).toBe(
      'This payment run has been issued: its statements are locked',
    )
  })

  it('refuses a period that overlaps the last one issued', async () => {
    expect(
      await refusal(
        openPaymentRun(s.as(s.lead), s.hubId, { periodStart: '2026-11-30', periodEnd: '2026-12-31' }),
      ),
    ).toBe('The period must start after 30 November 2026, the end of the last statement issued')
  })

  it('lands a correction after payment in the next run, naming the line it corrects', async () => {
    const paid = await statementOf(firstRun)
    await reverseReleaseEntry(s.as(s.lead), s.participationId, entryIds[0]!, {
      reason: 'The morning was a training day',
    })
    const next = await openPaymentRun(s.as(s.lead), s.hubId, {
      periodStart: '2026-12-01',
      periodEnd: '2027-02-28',
    })
    expect(
      await refusal(
        openPaymentRun(s.as(s.lead), s.hubId, { periodStart: '2027-03-01', periodEnd: '2027-03-31' }),
      ),
    ).toBe('The hub already has an open payment run: issue it first')
    const lines = await statementOf(next.runId)
    const corrected = paid.find((l) => lines.some((c) => c.owed_item_id === l.owed_item_id))!
    expect(lines).toEqual([
      expect.objectContaining({
        amount_pence: -10_000,
        corrects_line_id: corrected.id,
        claim_line_id: null,
        total_pence: -10_000,
      }),
    ])
    // The first statement is as it was.
    expect(await statementOf(firstRun)).toEqual(paid)
  })

  it('keeps every statement equal to the sum of its lines', async () => {
    const sums = await sql<{ id: number; total_pence: number; lines: string }>`
      SELECT s.id, s.total_pence, (SELECT coalesce(sum(amount_pence), 0) FROM statement_lines l WHERE l.statement_id = s.id)::text AS lines
      FROM statements s`.execute(database.db)
    expect(sums.rows.length).toBeGreaterThan(0)
    for (const row of sums.rows) expect(Number(row.lines)).toBe(row.total_pence)
  })
})
