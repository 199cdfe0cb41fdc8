// SQL for payment runs and statements: the approved claim lines not yet paid, what each owed item
// has been paid so far, and the writes that fill an open run. An open run's statements are made
// again from the records each time it is filled; an issued run's are locked by the database.
import { sql } from 'kysely'
import type { Executor, Tx } from '../../../db/database.ts'

export interface PaymentRunRow {
  id: number
  hubId: string
  periodStart: string
  periodEnd: string
  state: 'open' | 'issued'
  issuedAt: Date | null
}

export async function findPaymentRun(
  db: Executor,
  id: number,
  { lock = false } = {},
): Promise<PaymentRunRow | undefined> {
  let query = db
    .selectFrom('payment_runs')
    .select(['id', 'hub_id', 'period_start', 'period_end', 'state', 'issued_at'])
    .where('id', '=', id)
  if (lock) query = query.forUpdate()
  const r = await query.executeTakeFirst()
  return r
    ? {
        id: r.id,
        hubId: r.hub_id,
        periodStart: r.period_start,
        periodEnd: r.period_end,
        state: r.state,
        issuedAt: r.issued_at,
      }
    : undefined
}

/** The latest day any issued run of the hub covers; null before the first. */
export async function lastIssuedPeriodEnd(db: Executor, hubId: string): Promise<string | null> {
  const row = await db
    .selectFrom('payment_runs')
    .select(sql<string | null>`max(period_end)::text`.as('end'))
    .where('hub_id', '=', hubId)
    .where('state', '=', 'issued')
    .executeTakeFirst()
  return row?.end ?? null
}

export async function insertPaymentRun(
  tx: Tx,
  run: { hubId: string; periodStart: string; periodEnd: string; openedBy: number | null; now: Date },
): Promise<number | undefined> {
  const row = await tx
    .insertInto('payment_runs')
    .values({
      hub_id: run.hubId,
      period_start: run.periodStart,
      period_end: run.periodEnd,
      state: 'open',
      opened_by: run.openedBy,
      opened_at: run.now,
    })
    .onConflict((oc) => oc.column('hub_id').where('state', '=', 'open').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/** Empties an open run, to fill it again from the records. */
export async function clearOpenRun(tx: Tx, runId: number): Promise<void> {
  await sql`DELETE FROM statement_lines l USING statements s
    WHERE l.statement_id = s.id AND s.payment_run_id = ${runId}`.execute(tx)
  await tx.deleteFrom('statements').where('payment_run_id', '=', runId).execute()
}

export interface LineToPay {
  schoolUrn: number
  owedItemId: number
  claimLineId: number | null
  correctsLineId: number | null
  /** A correction of the line this run pays for the same item (its amount owed changed since the claim). */
  correctsThisRun?: true
  amountPence: number
  description: string
}

/**
 * The lines a run pays: every line of the hub's approved claims approved by the end of the period
 * and not yet paid, at its claimed amount; then, for every item paid before (or in this run), the
 * difference between what is owed for it now and what it has been paid, naming the line it
 * corrects. Set-based: one statement for each.
 */
export async function linesToPay(tx: Tx, run: PaymentRunRow): Promise<LineToPay[]> {
  const claimLines = await sql<{
    school_urn: number
    owed_item_id: number
    claim_line_id: number
    amount_pence: number
    description: string
  }>`
    SELECT c.school_urn, l.owed_item_id, l.id AS claim_line_id, l.amount_pence, i.description
    FROM funding_claims c
    JOIN funding_claim_lines l ON l.claim_id = c.id AND l.released_at IS NULL
    JOIN owed_items i ON i.id = l.owed_item_id
    WHERE c.hub_id = ${run.hubId} AND c.state = 'approved'
      AND coalesce(c.national_approved_at, c.hub_approved_at) < (${run.periodEnd}::date + 1)::timestamp AT TIME ZONE 'Europe/London'
      AND NOT EXISTS (SELECT 1 FROM statement_lines p WHERE p.claim_line_id = l.id)
    ORDER BY c.school_urn, i.on_date, l.id`.execute(tx)
  const inThisRun = new Map<number, number>()
  const lines: LineToPay[] = claimLines.rows.map((r) => {
    inThisRun.set(Number(r.owed_item_id), Number(r.amount_pence))
    return {
      schoolUrn: r.school_urn,
      owedItemId: Number(r.owed_item_id),
      claimLineId: Number(r.claim_line_id),
      correctsLineId: null,
      amountPence: Number(r.amount_pence),
      description: r.description,
    }
  })
  // What each item paid before has been paid, its latest line and what is owed for it now.
  const paid = await sql<{
    owed_item_id: number
    school_urn: number
    description: string
    paid: string
    latest_line_id: number
    owed: string
  }>`
    SELECT i.id AS owed_item_id, i.school_urn, i.description,
      sum(sl.amount_pence)::text AS paid, max(sl.id) AS latest_line_id,
      (SELECT coalesce(sum(c.amount_pence), 0) FROM owed_changes c WHERE c.owed_item_id = i.id)::text AS owed
    FROM statement_lines sl
    JOIN statements s ON s.id = sl.statement_id
    JOIN payment_runs r ON r.id = s.payment_run_id AND r.state = 'issued'
    JOIN owed_items i ON i.id = sl.owed_item_id
    WHERE r.hub_id = ${run.hubId}
    GROUP BY i.id, i.school_urn, i.description`.execute(tx)
  const corrections: LineToPay[] = []
  for (const r of paid.rows) {
    const difference = Number(r.owed) - Number(r.paid) - (inThisRun.get(Number(r.owed_item_id)) ?? 0)
    if (difference === 0) continue
    corrections.push({
      schoolUrn: r.school_urn,
      owedItemId: Number(r.owed_item_id),
      claimLineId: null,
      correctsLineId: Number(r.latest_line_id),
      amountPence: difference,
      description: `Correction: ${r.description}`,
    })
  }
  // Items first paid in this run whose amount owed changed after they were claimed.
  const owedNow = await sql<{ id: number; owed: string }>`
    SELECT i.id, (SELECT coalesce(sum(c.amount_pence), 0) FROM owed_changes c WHERE c.owed_item_id = i.id)::text AS owed
    FROM owed_items i WHERE i.id = ANY(${[...inThisRun.keys()]}::bigint[])`.execute(tx)
  const paidBefore = new Set(paid.rows.map((r) => Number(r.owed_item_id)))
  const byItem = new Map(lines.map((l) => [l.owedItemId, l]))
  const sameRun: { line: LineToPay; difference: number }[] = []
  for (const r of owedNow.rows) {
    const id = Number(r.id)
    if (paidBefore.has(id)) continue
    const difference = Number(r.owed) - (inThisRun.get(id) ?? 0)
    if (difference === 0) continue
    const line = byItem.get(id)!
    sameRun.push({ line, difference })
  }
  return [
    ...lines,
    ...corrections,
    ...sameRun.map(({ line, difference }) => ({
      ...line,
      claimLineId: null,
      correctsLineId: -1, // the claim line's statement line, known once it is written
      amountPence: difference,
      description: `Correction: ${line.description}`,
    })),
  ]
}

/** Writes the run's statements and lines in a few set-based inserts; returns each statement's id by school. */
export async function writeStatements(
  tx: Tx,
  runId: number,
  lines: readonly LineToPay[],
): Promise<Map<number, number>> {
  const totals = new Map<number, number>()
  for (const line of lines) totals.set(line.schoolUrn, (totals.get(line.schoolUrn) ?? 0) + line.amountPence)
  const statements = new Map<number, number>()
  if (totals.size === 0) return statements
  for (const chunk of chunks([...totals], 1000)) {
    const rows = await tx
      .insertInto('statements')
      .values(
        chunk.map(([schoolUrn, total]) => ({
          payment_run_id: runId,
          school_urn: schoolUrn,
          total_pence: total,
        })),
      )
      .returning(['id', 'school_urn'])
      .execute()
    for (const r of rows) statements.set(r.school_urn, r.id)
  }
  const row = (line: LineToPay, correctsLineId: number | null) => ({
    statement_id: statements.get(line.schoolUrn)!,
    owed_item_id: line.owedItemId,
    claim_line_id: line.claimLineId,
    corrects_line_id: correctsLineId,
    amount_pence: line.amountPence,
    description: line.description,
  })
  // Lines paying claims and correcting earlier runs first; then corrections of lines this run pays.
  const paidHere = new Map<number, number>()
  for (const chunk of chunks(
    lines.filter((l) => !l.correctsThisRun),
    1000,
  )) {
    const written = await tx
      .insertInto('statement_lines')
      .values(chunk.map((l) => row(l, l.correctsLineId)))
      .returning(['id', 'owed_item_id', 'claim_line_id'])
      .execute()
    for (const w of written) if (w.claim_line_id !== null) paidHere.set(w.owed_item_id, w.id)
  }
  for (const chunk of chunks(
    lines.filter((l) => l.correctsThisRun),
    1000,
  )) {
    await tx
      .insertInto('statement_lines')
      .values(chunk.map((l) => row(l, paidHere.get(l.owedItemId)!)))
      .execute()
  }
  return statements
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size))
  return out
}
