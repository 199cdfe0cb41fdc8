// A school's contact, or a specialist for their own school, claims owed items. What is owed is
// brought up to date first (in the same transaction), then every item must be one the claimant
// may claim, owed to one school by one hub, owed more than nothing, and not held by another claim.
// Each line claims its item's amount at the time: no amount is ever typed. An item is held by at
// most one claim that is not rejected, even when two submissions race (a partial unique index;
// the loser is told plainly). A claim above NCETM's threshold will need NCETM finance approval.
import { z } from 'zod'
import { databaseErrorIn } from '../../../db/database-errors.ts'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { formatPence } from '../../../lib/money.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { claimantAs } from '../funding.policy.ts'
import { refreshOwed } from '../owed/refresh-owed.ts'
import { insertClaim, nationalThresholdPence, owedItemsById } from './claims.repository.ts'

/** The most lines one claim may have. */
export const MOST_LINES = 500

const submitInput = z.object({
  items: z
    .array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER), {
      error: 'Select what you are claiming',
    })
    .min(1, 'Select what you are claiming')
    .max(MOST_LINES, `A claim can have up to ${MOST_LINES} lines`)
    .refine((ids) => new Set(ids).size === ids.length, 'Select each item once'),
})

export type SubmitClaimInput = z.input<typeof submitInput>

export interface SubmittedClaim {
  claimId: number
  totalPence: number
  needsNationalApproval: boolean
}

function refuse(code: string, message: string): ValidationError {
  return new ValidationError([{ code, field: 'items', message }])
}

export async function submitClaim(context: UseCaseContext, raw: unknown): Promise<SubmittedClaim> {
  const input = parseInput(submitInput, raw)
  const actor = context.actor
  if (actor.kind !== 'person') throw new NotFoundError('Owed item')
  try {
    return await inTransaction(context, async (unit) => {
      const before = await owedItemsById(unit.tx, input.items)
      const as = before.map((item) => claimantAs(actor, item))
      if (before.length !== input.items.length || as.some((a) => a === undefined)) {
        throw new NotFoundError('Owed item')
      }
      const first = before[0]!
      if (before.some((i) => i.hubId !== first.hubId || i.schoolUrn !== first.schoolUrn)) {
        throw refuse('one-school', 'A claim is for one school from one hub: claim for each school separately')
      }
      await refreshOwed(unit, { hubId: first.hubId })
      const items = await owedItemsById(unit.tx, input.items)
      const claimed = items.find((i) => i.claimId !== null)
      if (claimed) throw refuse('already-claimed', `${claimed.description} has already been claimed`)
      const nothing = items.find((i) => i.amountPence <= 0)
      if (nothing) throw refuse('nothing-owed', `Nothing is owed for ${lowerFirst(nothing.description)}`)
      const totalPence = items.reduce((sum, i) => sum + i.amountPence, 0)
      const threshold = await nationalThresholdPence(unit.tx)
      const submittedAs = as.includes('school-contact') ? 'school-contact' : 'specialist'
      const claimId = await insertClaim(
        unit.tx,
        {
          hubId: first.hubId,
          schoolUrn: first.schoolUrn,
          totalPence,
          needsNationalApproval: totalPence > threshold,
          submittedBy: actor.personId,
          submittedAs,
          now: unit.now,
        },
        items.map((i) => ({ owedItemId: i.id, amountPence: i.amountPence })),
      )
      await unit.audit({
        action: 'funding.submit-claim',
        recordType: 'funding-claim',
        recordId: claimId,
        after: {
          schoolUrn: first.schoolUrn,
          hubId: first.hubId,
          totalPence,
          total: formatPence(totalPence),
          lines: items.map((i) => ({ owedItemId: i.id, amountPence: i.amountPence })),
          submittedAs,
        },
      })
      return { claimId, totalPence, needsNationalApproval: totalPence > threshold }
    })
  } catch (error) {
    const e = databaseErrorIn(error)
    if (e?.code === '23505' && e.constraint === 'funding_claim_lines_claimed_once') {
      throw refuse(
        'already-claimed',
        'Something in this claim has just been claimed: check what is still owed',
      )
    }
    throw error
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}
