// Scheduled job: clears records that have done their work. Rate-limit windows, sessions, sign-in
// links and "tell me when it opens" sign-ups never confirmed are kept one day past their end (so a late request still meets its own record), then
// deleted: nothing about a visitor outlives its use. Emails that were sent (or given up on) are
// kept 90 days, long enough to answer "did you send it?", then deleted with the names and links
// they hold. Access and dietary needs given for an event are deleted once its retention date
// (30 days after its last day) has passed. Deleting is the same whichever process does it first, so every process may run this
// job.
import type { Executor } from '../../db/database.ts'
import type { Clock } from '../../lib/clock.ts'
import { deleteExpiredNeeds } from '../events/bookings/book-place.ts'
import { pruneUnconfirmedInterest } from '../programmes/opening-notices.ts'
import { pruneRateLimits } from './rate-limit.repository.ts'

const DAY_MS = 24 * 60 * 60_000
const KEPT_PAST_END_MS = DAY_MS
/** Days a sent or failed email stays in the outbox. */
export const SENT_EMAILS_KEPT_DAYS = 90

/**
 * Deletes rate-limit windows, sessions and sign-in links over a day past their end, and emails sent
 * or failed over 90 days ago; returns how many.
 */
export async function clearExpiredRecords(deps: { db: Executor; clock: Clock }): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - KEPT_PAST_END_MS)
  const rateLimits = await pruneRateLimits(deps.db, before)
  const sessions = await deps.db.deleteFrom('sessions').where('expires_at', '<', before).executeTakeFirst()
  const links = await deps.db.deleteFrom('sign_in_tokens').where('expires_at', '<', before).executeTakeFirst()
  const unconfirmedInterest = await pruneUnconfirmedInterest(deps.db, before)
  const emailsBefore = new Date(deps.clock.now().getTime() - SENT_EMAILS_KEPT_DAYS * DAY_MS)
  const emails = await deps.db
    .deleteFrom('outbox')
    .where('status', 'in', ['sent', 'failed'])
    .where((eb) => eb(eb.fn.coalesce('sent_at', 'created_at'), '<', emailsBefore))
    .executeTakeFirst()
  const needs = await deleteExpiredNeeds(deps.db, deps.clock.now())
  return (
    needs +
    rateLimits +
    unconfirmedInterest +
    Number(sessions.numDeletedRows) +
    Number(links.numDeletedRows) +
    Number(emails.numDeletedRows)
  )
}
