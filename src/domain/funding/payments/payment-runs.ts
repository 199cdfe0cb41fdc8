// A hub's payment runs. The hub opens a run for a period (one open run at a time, each period
// after the last issued one); the run is filled from the records: the approved claims not yet
// paid, one statement per school, and a correction line for every paid item whose amount owed has
// changed, naming the line it corrects. Issuing the run fills it one last time, locks it (the
// database refuses any later change) and marks its claims paid, each with history and audit.
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { isCalendarDate } from '../../participants/release-time/release-years.ts'
import { ukDateText } from '../../participants/accreditation/view-accreditation.ts'
import { actingPersonId } from '../../access/actor.ts'
import { inTransaction, type Unit, type UseCaseContext } from '../../use-case.ts'
import { CLAIMS } from '../claims/claim.states.ts'
import { insertClaimHistory } from '../claims/claims.repository.ts'
import { canRunPayments } from '../funding.policy.ts'
import { refreshOwed } from '../owed/refresh-owed.ts'
import {
  clearOpenRun,
  findPaymentRun,
  insertPaymentRun,
  lastIssuedPeriodEnd,
  linesToPay,
  writeStatements,
  type PaymentRunRow,
} from './payment-runs.repository.ts'

const date = (what: string) =>
  z
    .string({ error: `Enter the ${what}` })
    .trim()
    .refine((v) => v !== '', `Enter the ${what}`)
    .refine(isCalendarDate, `The ${what} must be a real date`)

const openInput = z
  .object({ periodStart: date('first day of the period'), periodEnd: date('last day of the period') })
  .refine((v) => v.periodEnd >= v.periodStart, {
    path: ['periodEnd'],
    message: 'The last day of the period must be the same as or after the first day',
  })

export type OpenPaymentRunInput = z.input<typeof openInput>

function refuse(code: string, field: string, message: string): ValidationError {
  return new ValidationError([{ code, field, message }])
}

export interface FilledRun {
  statements: number
  lines: number
  totalPence: number
}

async function fill(unit: Unit, run: PaymentRunRow): Promise<FilledRun> {
  await refreshOwed(unit, { hubId: run.hubId })
  await clearOpenRun(unit.tx, run.id)
  const lines = await linesToPay(unit.tx, run)
  const statements = await writeStatements(unit.tx, run.id, lines)
  return {
    statements: statements.size,
    lines: lines.length,
    totalPence: lines.reduce((sum, l) => sum + l.amountPence, 0),
  }
}

export async function openPaymentRun(
  context: UseCaseContext,
  hubId: string,
  raw: unknown,
): Promise<{ runId: number } & FilledRun> {
  if (!canRunPayments(context.actor, hubId)) throw new NotFoundError('Hub')
  const input = parseInput(openInput, raw)
  return inTransaction(context, async (unit) => {
    const lastEnd = await lastIssuedPeriodEnd(unit.tx, hubId)
    if (lastEnd !== null && input.periodStart <= lastEnd) {
      throw refuse(
        'period-locked',
        'periodStart',
        `The period must start after ${ukDateText(lastEnd)}, the end of the last statement issued`,
      )
    }
    const runId = await insertPaymentRun(unit.tx, {
      hubId,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      openedBy: actingPersonId(context.actor),
      now: unit.now,
    })
    if (runId === undefined) {
      throw refuse('run-open', 'periodStart', 'The hub already has an open payment run: issue it first')
    }
    const run = (await findPaymentRun(unit.tx, runId))!
    const filled = await fill(unit, run)
    await unit.audit({
      action: 'funding.open-payment-run',
      recordType: 'payment-run',
      recordId: runId,
      after: { hubId, ...input, ...filled },
    })
    return { runId, ...filled }
  })
}

/** Loads the run for an actor who runs the hub's payments, locked; 404 otherwise. */
async function runFor(context: UseCaseContext, unit: Unit, runId: number): Promise<PaymentRunRow> {
  const run = await findPaymentRun(unit.tx, runId, { lock: true })
  if (!run || !canRunPayments(context.actor, run.hubId)) throw new NotFoundError('Payment run')
  if (run.state === 'issued') {
    throw refuse('run-locked', 'run', 'This payment run has been issued: its statements are locked')
  }
  return run
}

/** Fills an open run again from the records (claims approved since, corrections). */
export async function refillPaymentRun(context: UseCaseContext, runId: number): Promise<FilledRun> {
  return inTransaction(context, async (unit) => {
    const run = await runFor(context, unit, runId)
    const filled = await fill(unit, run)
    await unit.audit({
      action: 'funding.refill-payment-run',
      recordType: 'payment-run',
      recordId: runId,
      after: filled,
    })
    return filled
  })
}

export async function issuePaymentRun(context: UseCaseContext, runId: number): Promise<FilledRun> {
  return inTransaction(context, async (unit) => {
    const run = await runFor(context, unit, runId)
    const filled = await fill(unit, run)
    const claims = await unit.tx
      .selectFrom('statement_lines as sl')
      .innerJoin('statements as s', 's.id', 'sl.statement_id')
      .innerJoin('funding_claim_lines as l', 'l.id', 'sl.claim_line_id')
      .innerJoin('funding_claims as c', 'c.id', 'l.claim_id')
      .select(['c.id', 'c.state'])
      .distinct()
      .where('s.payment_run_id', '=', runId)
      .execute()
    const by = actingPersonId(context.actor)
    for (const claim of claims) {
      const to = CLAIMS.nextState(claim.state, 'pay')
      await unit.tx
        .updateTable('funding_claims')
        .set({ state: to, updated_at: unit.now })
        .where('id', '=', claim.id)
        .execute()
      await insertClaimHistory(unit.tx, { claimId: claim.id, from: claim.state, to, by, now: unit.now })
    }
    await unit.tx
      .updateTable('payment_runs')
      .set({ state: 'issued', issued_by: by, issued_at: unit.now })
      .where('id', '=', runId)
      .execute()
    await unit.audit({
      action: 'funding.issue-payment-run',
      recordType: 'payment-run',
      recordId: runId,
      after: { ...filled, claimsPaid: claims.map((c) => c.id) },
    })
    return filled
  })
}
