// Fixed-window rate limits kept in the database, so every app process counts together.
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Executor } from '../../db/database.ts'

export interface RateLimit {
  /** e.g. "sign-in:ip" */
  name: string
  limit: number
  windowMs: number
}

/** Keys are hashed: no email address or IP address is stored. */
export function rateLimitKey(limit: RateLimit, subject: string): string {
  return `${limit.name}:${createHash('sha256').update(subject.toLowerCase()).digest('hex').slice(0, 32)}`
}

/** Counts one hit; says whether it is within the limit and, if not, when to try again. */
export async function hitRateLimit(
  db: Executor,
  limit: RateLimit,
  subject: string,
  now: Date,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const windowStart = new Date(Math.floor(now.getTime() / limit.windowMs) * limit.windowMs)
  const key = rateLimitKey(limit, subject)
  const result = await sql<{ hits: number }>`
    INSERT INTO rate_limits (key, window_start, hits) VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
    RETURNING hits`.execute(db)
  const hits = result.rows[0]?.hits ?? 1
  const retryAfterSeconds = Math.ceil((windowStart.getTime() + limit.windowMs - now.getTime()) / 1000)
  return { allowed: hits <= limit.limit, retryAfterSeconds }
}

/** Deletes the windows that began before the given instant; returns how many. */
export async function pruneRateLimits(db: Executor, before: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('window_start', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}
