// Scheduled job: clears records that have done their work. Rate-limit windows, sessions and sign-in
// links are kept one day past their end (so a late request still meets its own record), then
// deleted: nothing about a visitor outlives its use. Deleting is the same whichever process does
// it first, so every process may run this job.
import type { Executor } from '../../db/database.ts'
import type { Clock } from '../../lib/clock.ts'
import { pruneRateLimits } from './rate-limit.repository.ts'

const KEPT_PAST_END_MS = 24 * 60 * 60_000

/** Deletes rate-limit windows, sessions and sign-in links over a day past their end; returns how many. */
export async function clearExpiredRecords(deps: { db: Executor; clock: Clock }): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - KEPT_PAST_END_MS)
  const rateLimits = await pruneRateLimits(deps.db, before)
  const sessions = await deps.db.deleteFrom('sessions').where('expires_at', '<', before).executeTakeFirst()
  const links = await deps.db.deleteFrom('sign_in_tokens').where('expires_at', '<', before).executeTakeFirst()
  return rateLimits + Number(sessions.numDeletedRows) + Number(links.numDeletedRows)
}
