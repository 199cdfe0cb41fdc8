// What every use-case receives, and the transaction that binds a change to its audit row and
// its outbox emails.
import type { Db, Tx } from '../db/database.ts'
import type { Clock } from '../lib/clock.ts'
import type { Actor } from './access/actor.ts'
import { recordAudit, type AuditEntry } from './audit/audit.ts'

export interface UseCaseContext {
  db: Db
  actor: Actor
  clock: Clock
  requestId?: string | undefined
  /** Public base URL, for links in emails. */
  baseUrl: string
}

export interface Unit {
  tx: Tx
  now: Date
  audit(entry: AuditEntry): Promise<void>
}

/** Runs work in one transaction; its audit rows and queued emails commit or roll back with it. */
export async function inTransaction<T>(
  context: UseCaseContext,
  work: (unit: Unit) => Promise<T>,
): Promise<T> {
  const now = context.clock.now()
  return context.db.transaction().execute((tx) =>
    work({
      tx,
      now,
      audit: (entry) => recordAudit(tx, { actor: context.actor, requestId: context.requestId, now }, entry),
    }),
  )
}
