// The outbox worker: claims messages that are due, sends each through the mailer and records what
// happened to it. Several workers, in one process or many, can share one PostgreSQL database.
//
// A message is claimed with a lease (locked_until): a worker that crashes holds its messages only
// until the lease runs out, and then another worker sends them. A message is marked sent in its
// own statement as soon as the SMTP server accepts it, so only a crash in the moment between the
// server's acceptance and that statement can lead to a second copy, and that copy carries the
// same Message-ID, so a receiving server can drop it.
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import type { Clock } from '../lib/clock.ts'
import type { Mailer } from './mailer.ts'

/** Structured logging, as Fastify's logger provides. Never given email addresses or bodies. */
export interface OutboxLog {
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

export interface OutboxWorkerOptions {
  db: Db
  mailer: Mailer
  clock: Clock
  log?: OutboxLog | undefined
  /** Messages claimed at a time. */
  batchSize?: number
  /** Attempts before a message is marked failed. */
  maxAttempts?: number
  /** How long a claim lasts. Every send must finish well within it. */
  leaseMs?: number
}

export interface OutboxRunResult {
  sent: number
  /** Failed for the last time: marked failed. */
  failed: number
  /** Failed, and will be tried again later. */
  retried: number
}

export interface OutboxWorker {
  /** Claims one batch of due messages and tries to send each once. */
  runOnce(): Promise<OutboxRunResult>
  /** Runs batches until none is due; for tests and the demo. */
  runUntilIdle(): Promise<OutboxRunResult>
  /** Runs a batch now and then every intervalMs (at once again after a full batch). */
  start(intervalMs?: number): void
  /** Stops the loop, waiting for the batch under way to finish. */
  stop(): Promise<void>
}

interface ClaimedMessage {
  id: number
  to_address: string
  subject: string
  body_text: string
  template: string
  message_id: string
  attempts: number
}

const MINUTE_MS = 60_000
const LONGEST_RETRY_DELAY_MS = 60 * MINUTE_MS
const LONGEST_ERROR = 500

/** The wait after a failed attempt: 1 minute, then 2, 4, 8 and so on, but never more than an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MINUTE_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_DELAY_MS)
}

const EMAIL_ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g

/** An error's message, on one line, without email addresses (SMTP servers often quote them). */
export function describeSendError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const cleaned = message.replace(EMAIL_ADDRESS, '[email address]').replace(/\s+/g, ' ').trim()
  return cleaned.slice(0, LONGEST_ERROR) || 'Unknown error'
}

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, mailer, clock, log, batchSize = 20, maxAttempts = 8, leaseMs = 60_000 } = options

  async function claim(now: Date, leaseUntil: Date): Promise<ClaimedMessage[]> {
    const result = await sql<ClaimedMessage>`
      UPDATE outbox SET locked_until = ${leaseUntil}::timestamptz, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbox
        WHERE status = 'pending' AND next_attempt_at <= ${now}::timestamptz
          AND (locked_until IS NULL OR locked_until < ${now}::timestamptz)
        ORDER BY id
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, to_address, subject, body_text, template, message_id, attempts`.execute(db)
    return result.rows.sort((a, b) => a.id - b.id)
  }

  async function recordSent(message: ClaimedMessage): Promise<void> {
    await db
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: clock.now(), locked_until: null })
      .where('id', '=', message.id)
      .execute()
    log?.info({ outboxId: message.id, template: message.template, attempts: message.attempts }, 'Email sent')
  }

  async function recordFailure(message: ClaimedMessage, error: unknown): Promise<'failed' | 'retried'> {
    const lastError = describeSendError(error)
    const details = {
      outboxId: message.id,
      template: message.template,
      attempts: message.attempts,
      lastError,
    }
    if (message.attempts >= maxAttempts) {
      await db
        .updateTable('outbox')
        .set({ status: 'failed', last_error: lastError, locked_until: null })
        .where('id', '=', message.id)
        .execute()
      log?.error(details, 'Email not sent; no more attempts will be made')
      return 'failed'
    }
    const nextAttemptAt = new Date(clock.now().getTime() + retryDelayMs(message.attempts))
    await db
      .updateTable('outbox')
      .set({ next_attempt_at: nextAttemptAt, last_error: lastError, locked_until: null })
      .where('id', '=', message.id)
      .execute()
    log?.warn({ ...details, nextAttemptAt }, 'Email not sent; it will be tried again')
    return 'retried'
  }

  /** Hands back claimed messages that were not tried, as if they had never been claimed. */
  async function release(messages: ClaimedMessage[], leaseUntil: Date): Promise<void> {
    await sql`
      UPDATE outbox SET locked_until = NULL, attempts = attempts - 1
      WHERE id = ANY(${messages.map((m) => m.id)}::int8[])
        AND status = 'pending' AND locked_until = ${leaseUntil}::timestamptz`.execute(db)
    log?.warn(
      { released: messages.length, leaseMs },
      'Sending took more than half the lease; the rest of the batch goes back to the queue',
    )
  }

  async function runBatch(): Promise<OutboxRunResult & { claimed: number }> {
    const now = clock.now()
    const leaseUntil = new Date(now.getTime() + leaseMs)
    const started = performance.now()
    const messages = await claim(now, leaseUntil)
    const result = { sent: 0, failed: 0, retried: 0, claimed: messages.length }
    for (const [index, message] of messages.entries()) {
      // Never send once the claim may have run out: another worker could be sending it too.
      if (index > 0 && performance.now() - started > leaseMs / 2) {
        await release(messages.slice(index), leaseUntil)
        break
      }
      try {
        await mailer.send({
          to: message.to_address,
          subject: message.subject,
          text: message.body_text,
          messageId: message.message_id,
        })
      } catch (error) {
        result[await recordFailure(message, error)]++
        continue
      }
      // Outside the try: a failure to record a sent message must not count as a failure to send.
      await recordSent(message)
      result.sent++
    }
    return result
  }

  async function runOnce(): Promise<OutboxRunResult> {
    const { sent, failed, retried } = await runBatch()
    return { sent, failed, retried }
  }

  async function runUntilIdle(): Promise<OutboxRunResult> {
    const total = { sent: 0, failed: 0, retried: 0 }
    for (;;) {
      const { claimed, ...result } = await runBatch()
      total.sent += result.sent
      total.failed += result.failed
      total.retried += result.retried
      if (claimed === 0) return total
    }
  }

  let stopped = true
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined

  function schedule(intervalMs: number, delayMs: number): void {
    timer = setTimeout(() => {
      timer = undefined
      running = runBatch().then(
        (result) => {
          running = undefined
          if (!stopped) schedule(intervalMs, result.claimed >= batchSize ? 0 : intervalMs)
        },
        (error: unknown) => {
          running = undefined
          log?.error({ error: describeSendError(error) }, 'The outbox worker could not run a batch')
          if (!stopped) schedule(intervalMs, intervalMs)
        },
      )
    }, delayMs)
  }

  return {
    runOnce,
    runUntilIdle,
    start(intervalMs = 1000) {
      if (!stopped) return
      stopped = false
      schedule(intervalMs, 0)
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = undefined
      await running
    },
  }
}
