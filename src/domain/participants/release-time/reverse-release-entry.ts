// A correction of release time: a new entry that reverses a use, with the reason, made by whoever
// may log the participation's days. The use stays in the ledger, marked reversed by it; that half
// day may then be logged again. An entry is reversed once only (the database holds it with
// release_entries_reversed_once), and a reversal is never itself reversed. A withdrawal reverses
// every use dated on or after the withdrawal date in its own transaction.
import { z } from 'zod'
import { databaseErrorIn } from '../../../db/database-errors.ts'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId, type Actor } from '../../access/actor.ts'
import { inTransaction, type Unit, type UseCaseContext } from '../../use-case.ts'
import { halfDayText } from './log-release-time.ts'
import {
  findEntry,
  findReleaseParticipation,
  insertReversal,
  liveUses,
  lockParticipation,
  type LedgerEntry,
} from './release-time.repository.ts'
import { releaseLoggerAs, type ReleaseParticipant } from './release-time.policy.ts'
import { WITHDRAWN_REASON, type ReleaseLoggedAs } from './release-time.ts'

const reverseInput = z.object({
  reason: z
    .string({ error: 'Enter the reason for the correction' })
    .trim()
    .min(1, 'Enter the reason for the correction')
    .max(2000, 'The reason must be 2,000 characters or fewer'),
})

export type ReverseReleaseEntryInput = z.input<typeof reverseInput>

function alreadyReversed(entry: Pick<LedgerEntry, 'on' | 'half'>): ValidationError {
  return new ValidationError([
    {
      code: 'already-reversed',
      field: 'entry',
      message: `${halfDayText(entry.on, entry.half)} has already been reversed`,
    },
  ])
}

async function reverse(
  unit: Unit,
  actor: Actor,
  entry: Pick<LedgerEntry, 'id' | 'participationId' | 'on' | 'half' | 'activity'>,
  reason: string,
  loggedAs: ReleaseLoggedAs,
): Promise<number> {
  let id: number
  try {
    id = await insertReversal(unit.tx, entry, {
      reason,
      loggedBy: actingPersonId(actor),
      loggedAs,
      now: unit.now,
    })
  } catch (error) {
    const e = databaseErrorIn(error)
    if (e?.code === '23505' && e.constraint === 'release_entries_reversed_once') throw alreadyReversed(entry)
    throw error
  }
  // The reason is the corrector's own words: the audit trail records the entries' ids only.
  await unit.audit({
    action: 'release-time.reverse',
    recordType: 'release-entry',
    recordId: id,
    after: {
      participationId: entry.participationId,
      reverses: entry.id,
      on: entry.on,
      half: entry.half,
      loggedAs,
    },
  })
  return id
}

/** Reverses the use; returns the reversal's id. */
export async function reverseReleaseEntry(
  context: UseCaseContext,
  participationId: number,
  entryId: number,
  raw: unknown,
): Promise<number> {
  const { reason } = parseInput(reverseInput, raw)
  return inTransaction(context, async (unit) => {
    const locked = await lockParticipation(unit.tx, participationId)
    const participation = locked ? await findReleaseParticipation(unit.tx, participationId) : undefined
    const loggedAs = participation && releaseLoggerAs(context.actor, participation)
    if (!participation || !loggedAs) throw new NotFoundError('Participation')
    const entry = await findEntry(unit.tx, participationId, entryId)
    if (!entry) throw new NotFoundError('Release time entry')
    if (entry.kind === 'reversal') {
      throw new ValidationError([
        {
          code: 'reversal',
          field: 'entry',
          message: 'This entry is a correction and cannot be reversed: log the half day again instead',
        },
      ])
    }
    if (entry.reversedById !== null) throw alreadyReversed(entry)
    return reverse(unit, context.actor, entry, reason, loggedAs)
  })
}

/**
 * Ends every funded day from the date on (inclusive): reverses each use of the participation
 * dated then or later, with the reason "Withdrawn from the programme", in the caller's
 * transaction. Returns how many it reversed.
 */
export async function reverseUsesFrom(
  unit: Unit,
  actor: Actor,
  participation: ReleaseParticipant & { id: number },
  from: string,
): Promise<number> {
  await lockParticipation(unit.tx, participation.id)
  const uses = await liveUses(unit.tx, [participation.id], { from })
  const loggedAs = releaseLoggerAs(actor, participation) ?? 'ncetm'
  for (const use of uses) {
    await reverse(unit, actor, { ...use, participationId: participation.id }, WITHDRAWN_REASON, loggedAs)
  }
  return uses.length
}
