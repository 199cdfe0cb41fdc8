// The public search's rate limit: each client (by address) may search the school register and the
// hubs so many times a minute, counted in the database so every app process counts together.
import type { Executor } from '../../db/database.ts'
import { RateLimitedError } from '../../errors.ts'
import { hitRateLimit, type RateLimit } from './rate-limit.repository.ts'

export function searchLimit(perMinute: number): RateLimit {
  return { name: 'search:ip', limit: perMinute, windowMs: 60_000 }
}

/** Counts one search by this client; throws RateLimitedError once the minute's allowance is spent. */
export async function useSearchAllowance(
  db: Executor,
  limit: RateLimit,
  client: { ip: string },
  now: Date,
): Promise<void> {
  const hit = await hitRateLimit(db, limit, client.ip, now)
  if (!hit.allowed) throw new RateLimitedError('searches', hit.retryAfterSeconds)
}
