// The outbox end to end: queued in a transaction, sent by the worker to a real SMTP server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, ENGINE, type TestDatabase } from '../../test/database.ts'
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink.ts'
import { listOutbox, outboxCounts, queueEmail } from '../domain/email/outbox.repository.ts'
import type { EmailMessage } from '../domain/email/templates.ts'
import { fixedClock } from '../lib/clock.ts'
import { createSmtpMailer, type Mailer } from './mailer.ts'
import {
  createOutboxWorker,
  retryDelayMs,
  type OutboxLog,
  type OutboxWorkerOptions,
} from './outbox-worker.ts'

const MINUTE = 60_000
const clock = fixedClock('2025-03-14T17:00:00Z')
let database: TestDatabase
let sink: SmtpSink
let mailer: ReturnType<typeof createSmtpMailer>
const logged: unknown[] = []
const log: OutboxLog = {
  info: (details, message) => logged.push([details, message]),
  warn: (details, message) => logged.push([details, message]),
  error: (details, message) => logged.push([details, message]),
}

function signInLink(to: string): EmailMessage {
  return {
    template: 'sign-in-link',
    to,
    data: {
      name: 'Ada Lovelace',
      link: 'https://mathshub.example/sign-in/abc123',
      expiresAt: new Date('2025-03-14T17:20:00Z'),
    },
  }
}

function worker(options: Partial<OutboxWorkerOptions> = {}) {
  return createOutboxWorker({ db: database.db, mailer, clock, log, ...options })
}

async function queueCommitted(messages: EmailMessage[]): Promise<number[]> {
  return database.db
    .transaction()
    .execute(async (tx) => Promise.all(messages.map((m) => queueEmail(tx, m, { queuedAt: clock.now() }))))
}

async function row(id: number) {
  return database.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

beforeAll(async () => {
  database = await createTestDatabase()
  sink = await startSmtpSink()
  mailer = createSmtpMailer({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    from: 'Maths Hubs <no-reply@mathshub.example>',
  })
})
afterAll(async () => {
  mailer?.close()
  await sink?.close()
  await database?.destroy()
})
beforeEach(async () => {
  await database.db.deleteFrom('outbox').execute()
  sink.received.length = 0
  sink.rejectRecipients = undefined
  logged.length = 0
})

describe('the outbox worker', () => {
  it('never sends a message queued in a transaction that rolled back', async () => {
    await expect(
      database.db.transaction().execute(async (tx) => {
        await queueEmail(tx, signInLink('ada@school.example'), { queuedAt: clock.now() })
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    expect(await worker().runUntilIdle()).toEqual({ sent: 0, failed: 0, retried: 0 })
    expect(sink.received).toEqual([])
    expect(await outboxCounts(database.db)).toEqual({ pending: 0, sent: 0, failed: 0 })
  })

  it('sends a committed message once, with its Message-ID, and marks it sent', async () => {
    const [id] = await queueCommitted([signInLink('ada@school.example')])
    const before = await row(id!)
    expect(before.message_id).toMatch(/^<outbox-[0-9a-f-]{36}@masteryhub>$/)

    expect(await worker().runOnce()).toEqual({ sent: 1, failed: 0, retried: 0 })
    expect(await worker().runUntilIdle()).toEqual({ sent: 0, failed: 0, retried: 0 })

    expect(sink.received).toHaveLength(1)
    const mail = sink.received[0]!
    expect(mail.messageId).toBe(before.message_id)
    expect(mail.to).toEqual(['ada@school.example'])
    expect(mail.from).toBe('no-reply@mathshub.example')
    expect(mail.raw).toContain('Subject: Your sign-in link for Maths Hubs: Teaching for Mastery')
    expect(mail.raw).toContain('Dear Ada Lovelace,')
    expect(mail.raw).toContain('This link expires at 5:20pm on 14 March 2025 and can be used once.')
    expect(mail.raw).toContain('If you did not ask to sign in, you can ignore this email.')
    expect(mail.raw).toMatch(/Content-Type: text\/plain/i)
    expect(mail.raw).not.toMatch(/text\/html/i)

    expect(await row(id!)).toMatchObject({
      status: 'sent',
      attempts: 1,
      sent_at: clock.now(),
      locked_until: null,
      last_error: null,
    })
    const [listed] = await listOutbox(database.db, { limit: 10 })
    expect(listed).toMatchObject({ id, to: 'ada@school.example', status: 'sent', attempts: 1 })
    expect(listed?.body).toContain('Dear Ada Lovelace,')
    expect(await outboxCounts(database.db)).toEqual({ pending: 0, sent: 1, failed: 0 })
    // Logs name the message, never its address or body.
    expect(JSON.stringify(logged)).not.toMatch(/ada@school\.example|Dear|sign-in\/abc123/)
  })

  it('retries a refused message with growing waits, then sends it when the server accepts', async () => {
    sink.rejectRecipients = { code: 451, message: (address) => `Mailbox ${address} busy, try again later` }
    const [id] = await queueCommitted([signInLink('busy@school.example')])
    const w = worker()

    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0, retried: 1 })
    let after = await row(id!)
    expect(after).toMatchObject({ status: 'pending', attempts: 1, locked_until: null })
    expect(after.next_attempt_at).toEqual(new Date(clock.now().getTime() + MINUTE))
    expect(after.last_error).toContain('451')
    expect(after.last_error).toContain('try again later')
    expect(after.last_error).not.toContain('busy@school.example')

    // Not due yet.
    clock.advance(MINUTE - 1000)
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0, retried: 0 })
    clock.advance(1000)
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0, retried: 1 })
    after = await row(id!)
    expect(after.attempts).toBe(2)
    expect(after.next_attempt_at).toEqual(new Date(clock.now().getTime() + 2 * MINUTE))

    sink.rejectRecipients = undefined
    clock.advance(2 * MINUTE)
    expect(await w.runOnce()).toEqual({ sent: 1, failed: 0, retried: 0 })
    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 3, sent_at: clock.now() })
    expect(sink.received.map((m) => m.messageId)).toEqual([after.message_id])
    expect(JSON.stringify(logged)).not.toContain('busy@school.example')
  })

  it('waits 1, 2, 4 … minutes between attempts, never more than an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryDelayMs(n) / MINUTE)).toEqual([
      1, 2, 4, 8, 16, 32, 60, 60, 60,
    ])
  })

  it('marks a message failed after the last attempt, and tries it no more', async () => {
    sink.rejectRecipients = { code: 550, message: () => 'No such mailbox' }
    const [id] = await queueCommitted([signInLink('nobody@school.example')])
    const w = worker({ maxAttempts: 3 })
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0, retried: 1 })
    clock.advance(retryDelayMs(1))
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0, retried: 1 })
    clock.advance(retryDelayMs(2))
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 1, retried: 0 })
    expect(await row(id!)).toMatchObject({ status: 'failed', attempts: 3, locked_until: null, sent_at: null })
    expect((await row(id!)).last_error).toContain('No such mailbox')

    sink.rejectRecipients = undefined
    clock.advance(24 * 60 * MINUTE)
    expect(await w.runUntilIdle()).toEqual({ sent: 0, failed: 0, retried: 0 })
    expect(sink.received).toEqual([])
    expect(await outboxCounts(database.db)).toEqual({ pending: 0, sent: 0, failed: 1 })
  })

  it('leaves a message claimed by another worker alone until the claim runs out', async () => {
    const [id] = await queueCommitted([signInLink('ada@school.example')])
    await database.db
      .updateTable('outbox')
      .set({ locked_until: new Date(clock.now().getTime() + MINUTE), attempts: 1 })
      .where('id', '=', id!)
      .execute()
    const w = worker()
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0, retried: 0 })
    clock.advance(MINUTE + 1)
    expect(await w.runOnce()).toEqual({ sent: 1, failed: 0, retried: 0 })
    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 2 })
  })

  it('hands back the rest of a batch, untried, once sending has used half the lease', async () => {
    await queueCommitted(Array.from({ length: 5 }, (_, i) => signInLink(`teacher${i}@school.example`)))
    const slowMailer: Mailer = {
      send: async (mail) => {
        await new Promise((resolve) => setTimeout(resolve, 80))
        await mailer.send(mail)
      },
    }
    const w = worker({ mailer: slowMailer, leaseMs: 100 })
    expect(await w.runOnce()).toEqual({ sent: 1, failed: 0, retried: 0 })
    const rows = await database.db.selectFrom('outbox').selectAll().orderBy('id').execute()
    expect(rows.map((r) => [r.status, r.attempts, r.locked_until])).toEqual([
      ['sent', 1, null],
      ...Array.from({ length: 4 }, () => ['pending', 0, null]),
    ])
    expect(await worker().runUntilIdle()).toEqual({ sent: 4, failed: 0, retried: 0 })
    expect(sink.receivedCounts().size).toBe(5)
    expect(sink.received).toHaveLength(5)
  })

  it(`sends each message exactly once when two workers share the queue (${ENGINE})`, async () => {
    const ids = await queueCommitted(
      Array.from({ length: 40 }, (_, i) => signInLink(`teacher${i}@school.example`)),
    )
    const first = worker({ batchSize: 5 })
    const second = worker({ batchSize: 5 })
    const [a, b] = await Promise.all([first.runUntilIdle(), second.runUntilIdle()])
    expect(a.sent + b.sent).toBe(40)
    if (ENGINE === 'postgres') {
      // Both really worked at once on PostgreSQL (PGlite has one connection, so they take turns).
      expect(Math.min(a.sent, b.sent)).toBeGreaterThan(0)
    }
    const rows = await database.db.selectFrom('outbox').selectAll().orderBy('id').execute()
    expect(rows.map((r) => r.id)).toEqual([...ids].sort((x, y) => x - y))
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true)
    const counts = sink.receivedCounts()
    expect(counts.size).toBe(40)
    for (const r of rows) expect(counts.get(r.message_id)).toBe(1)
  })

  it('runs on an interval once started, and stop() waits for the batch under way', async () => {
    const w = worker()
    w.start(20)
    await queueCommitted([signInLink('ada@school.example'), signInLink('grace@school.example')])
    const deadline = Date.now() + 10_000
    while (sink.received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    await w.stop()
    expect(sink.received).toHaveLength(2)
    expect(await outboxCounts(database.db)).toEqual({ pending: 0, sent: 2, failed: 0 })
  })
})
