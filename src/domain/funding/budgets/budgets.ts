// Budgets per hub per financial year (April to March), in pence (ADR 0027): what NCETM allocated;
// what is committed (the release time funded for the hub's specialists in the year, and the grants
// its schools accepted into the year's groups would be due); what is owed, claimed, approved and
// paid for things that happened in the year; the forecast to the year's end (what is owed, plus
// what is committed and not yet owed); and what remains of the allocation after the forecast.
// One set of queries serves one hub or all of them, so NCETM's national view is the same figures.
import { sql } from 'kysely'
import { z } from 'zod'
import type { Executor } from '../../../db/database.ts'
import { NotFoundError, parseInput } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { isNationalAdmin } from '../../access/access.policy.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canReadPayments } from '../funding.policy.ts'
import { MOST_PENCE } from '../../../lib/money.ts'

export interface BudgetFigures {
  hubId: string
  hubName: string
  financialYear: number
  allocatedPence: number
  committedPence: number
  owedPence: number
  claimedPence: number
  approvedPence: number
  paidPence: number
  forecastPence: number
  remainingPence: number
}

/** The financial year a UK date falls in, by its first calendar year (2026 for 1 April 2026 to 31 March 2027). */
export function financialYearOf(date: string): number {
  const year = Number(date.slice(0, 4))
  return date.slice(5) >= '04-01' ? year : year - 1
}

export function financialYearSpan(year: number): { from: string; to: string } {
  return { from: `${year}-04-01`, to: `${year + 1}-03-31` }
}

/** "2026 to 2027". */
export function financialYearName(year: number): string {
  return `${year} to ${year + 1}`
}

type ByHub = Map<string, number>

async function sums(
  db: Executor,
  query: ReturnType<typeof sql<{ hub_id: string; pence: string }>>,
): Promise<ByHub> {
  const rows = await query.execute(db)
  return new Map(rows.rows.map((r) => [r.hub_id, Number(r.pence)]))
}

export async function budgetFigures(db: Executor, year: number, hubId?: string): Promise<BudgetFigures[]> {
  const { from, to } = financialYearSpan(year)
  const hubFilter = (column: string) => (hubId === undefined ? sql`true` : sql`${sql.ref(column)} = ${hubId}`)
  const hubs = await db
    .selectFrom('hubs')
    .select(['id', 'name'])
    .$if(hubId !== undefined, (q) => q.where('id', '=', hubId!))
    .orderBy('name')
    .execute()
  const allocated = await sums(
    db,
    sql`SELECT DISTINCT ON (hub_id) hub_id, allocated_pence::text AS pence FROM hub_budget_allocations
      WHERE financial_year = ${year} AND ${hubFilter('hub_id')} ORDER BY hub_id, id DESC`,
  )
  const owed = await sums(
    db,
    sql`SELECT i.hub_id, sum(c.amount_pence)::text AS pence FROM owed_items i
      JOIN owed_changes c ON c.owed_item_id = i.id
      WHERE i.on_date BETWEEN ${from}::date AND ${to}::date AND ${hubFilter('i.hub_id')} GROUP BY i.hub_id`,
  )
  const claimedIn = (states: string[]) =>
    sums(
      db,
      sql`SELECT c.hub_id, sum(l.amount_pence)::text AS pence FROM funding_claims c
        JOIN funding_claim_lines l ON l.claim_id = c.id AND l.released_at IS NULL
        JOIN owed_items i ON i.id = l.owed_item_id
        WHERE c.state = ANY(${states}::text[]) AND i.on_date BETWEEN ${from}::date AND ${to}::date
          AND ${hubFilter('c.hub_id')} GROUP BY c.hub_id`,
    )
  const claimed = await claimedIn(['submitted', 'awaiting-national', 'approved', 'paid'])
  const approved = await claimedIn(['approved', 'paid'])
  const paid = await sums(
    db,
    sql`SELECT r.hub_id, sum(sl.amount_pence)::text AS pence FROM statement_lines sl
      JOIN statements s ON s.id = sl.statement_id
      JOIN payment_runs r ON r.id = s.payment_run_id AND r.state = 'issued'
      JOIN owed_items i ON i.id = sl.owed_item_id
      WHERE i.on_date BETWEEN ${from}::date AND ${to}::date AND ${hubFilter('r.hub_id')} GROUP BY r.hub_id`,
  )
  // Release time funded for each specialist in a development or active stage during the year, at
  // the day rate of the rule applying at the year's start.
  const releaseCommitted = await sums(
    db,
    sql`SELECT p.hub_id, sum(
        round((c.funding->>'releaseDaysPerYear')::numeric * 2) * coalesce((
          SELECT r.release_day_rate_pence / 2 FROM funding_rules r
          WHERE r.programme_id = c.programme_id AND r.applies_from <= ${from}::date
          ORDER BY r.applies_from DESC LIMIT 1), 0)
      )::text AS pence
      FROM participations p JOIN cohorts c ON c.id = p.cohort_id
      WHERE p.hub_id IS NOT NULL AND ${hubFilter('p.hub_id')} AND EXISTS (
        SELECT 1 FROM participation_stages st WHERE st.participation_id = p.id
          AND st.stage IN ('year-one', 'year-two', 'active')
          AND st.starts_on <= ${to}::date AND (st.ends_on IS NULL OR st.ends_on > ${from}::date))
      GROUP BY p.hub_id`,
  )
  // Grants the schools accepted into the year's groups would be due (first year's rule).
  const academicYear = `${year}/${String((year + 1) % 100).padStart(2, '0')}`
  const grantsCommitted = await sums(
    db,
    sql`SELECT g.hub_id, sum(gr.amount_pence)::text AS pence FROM work_group_interests i
      JOIN work_groups g ON g.id = i.work_group_id
      JOIN work_group_grant_rules gr ON gr.programme_id = g.programme_id
        AND gr.academic_year = g.academic_year AND gr.participation_year = 1
      WHERE i.status = 'accepted' AND g.academic_year = ${academicYear} AND g.state <> 'cancelled'
        AND ${hubFilter('g.hub_id')} GROUP BY g.hub_id`,
  )
  return hubs.map((hub) => {
    const get = (m: ByHub) => m.get(hub.id) ?? 0
    const committedPence = get(releaseCommitted) + get(grantsCommitted)
    const owedPence = get(owed)
    const forecastPence = Math.max(committedPence, owedPence)
    return {
      hubId: hub.id,
      hubName: hub.name,
      financialYear: year,
      allocatedPence: get(allocated),
      committedPence,
      owedPence,
      claimedPence: get(claimed),
      approvedPence: get(approved),
      paidPence: get(paid),
      forecastPence,
      remainingPence: get(allocated) - forecastPence,
    }
  })
}

/** One hub's budget for the year, for its team and NCETM; 404 for anyone else. */
export async function viewHubBudget(
  context: UseCaseContext,
  hubId: string,
  year: number,
): Promise<BudgetFigures> {
  if (!canReadPayments(context.actor, hubId)) throw new NotFoundError('Hub')
  const [figures] = await budgetFigures(context.db, year, hubId)
  if (!figures) throw new NotFoundError('Hub')
  return figures
}

const allocateInput = z.object({
  financialYear: z.coerce
    .number({ error: 'Enter the financial year' })
    .int('Enter the financial year, like 2026')
    .min(2014, 'Enter a financial year from 2014')
    .max(2100, 'Enter a financial year before 2100'),
  allocatedPence: z
    .number({ error: 'Enter the allocation in pence' })
    .int('The allocation must be a whole number of pence')
    .min(0, 'The allocation must be £0.00 or more')
    .max(MOST_PENCE * 10_000, 'The allocation must be £1,000,000,000.00 or less'),
  reason: z.string().trim().max(2000, 'The reason must be 2,000 characters or fewer').optional(),
})

export type AllocateBudgetInput = z.input<typeof allocateInput>

/** NCETM allocates a hub's budget for a year; a change is a new allocation, with its reason. */
export async function allocateBudget(context: UseCaseContext, hubId: string, raw: unknown): Promise<number> {
  if (!isNationalAdmin(context.actor)) throw new NotFoundError('Hub')
  const input = parseInput(allocateInput, raw)
  return inTransaction(context, async (unit) => {
    const hub = await unit.tx.selectFrom('hubs').select('id').where('id', '=', hubId).executeTakeFirst()
    if (!hub) throw new NotFoundError('Hub')
    const row = await unit.tx
      .insertInto('hub_budget_allocations')
      .values({
        hub_id: hubId,
        financial_year: input.financialYear,
        allocated_pence: input.allocatedPence,
        reason: input.reason || null,
        set_by: actingPersonId(context.actor),
        set_at: unit.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await unit.audit({
      action: 'funding.allocate-budget',
      recordType: 'hub-budget',
      recordId: row.id,
      after: { hubId, ...input },
    })
    return row.id
  })
}
