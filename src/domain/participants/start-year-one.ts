// A new participation's timeline begins: development year 1 from the day its place is confirmed
// (UK date), written in the caller's transaction.
import type { Tx } from '../../db/database.ts'
import { toUkWallClock } from '../../lib/uk-time.ts'
import { insertHistory, insertStage } from './participants.repository.ts'

export function ukDateOf(instant: Date): string {
  const { year, month, day } = toUkWallClock(instant)
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

export async function startYearOne(
  tx: Tx,
  participationId: number,
  cohortId: string,
  now: Date,
): Promise<void> {
  const startsOn = ukDateOf(now)
  await insertStage(tx, { participationId, stage: 'year-one', reason: null, startsOn, createdBy: null, now })
  await insertHistory(tx, {
    participationId,
    event: 'start',
    fromStage: null,
    toStage: 'year-one',
    reason: null,
    fromCohortId: null,
    toCohortId: cohortId,
    effectiveOn: startsOn,
    actorPersonId: null,
    now,
  })
}
