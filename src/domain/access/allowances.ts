// Allowances for actions that email someone else (the headteacher's request, "tell me when it
// opens"): each is counted per client address, per account and, where it helps, per recipient, in
// the database's fixed windows, so every app process counts together. Over any of them the action
// is refused with RateLimitedError (429 with Retry-After) before anything is stored or sent.
import type { Executor } from '../../db/database.ts'
import { RateLimitedError } from '../../errors.ts'
import { hitRateLimit, type RateLimit } from './rate-limit.repository.ts'

/** Counts one use against each limit for its subject; throws once any is spent. */
export async function useAllowances(
  db: Executor,
  what: string,
  uses: readonly (readonly [RateLimit, string])[],
  now: Date,
): Promise<void> {
  let retryAfterSeconds = 0
  for (const [limit, subject] of uses) {
    const hit = await hitRateLimit(db, limit, subject, now)
    if (!hit.allowed) retryAfterSeconds = Math.max(retryAfterSeconds, hit.retryAfterSeconds)
  }
  if (retryAfterSeconds > 0) throw new RateLimitedError(what, retryAfterSeconds)
}
