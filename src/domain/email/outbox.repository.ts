// SQL for the email outbox. A message is written in the same transaction as the change that causes
// it, so it exists if and only if the change was committed; the outbox worker sends it afterwards.
import { randomUUID } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { Executor } from '../../db/database.ts'
import type { OutboxTable } from '../../db/schema.ts'
import { renderEmail, type EmailMessage } from './templates.ts'

export type OutboxStatus = Selectable<OutboxTable>['status']

export interface QueueEmailOptions {
  /** The domain part of the Message-ID header; 'masteryhub' unless told. */
  messageIdDomain?: string
  /** When the message is queued and first due; the database's now() unless told. */
  queuedAt?: Date
}

/**
 * Renders a message and adds it to the outbox. Pass the transaction of the change that causes the
 * email. The Message-ID is chosen now, so every attempt to send the message carries the same one.
 */
export async function queueEmail(
  tx: Executor,
  message: EmailMessage,
  options: QueueEmailOptions = {},
): Promise<number> {
  const { subject, text } = renderEmail(message)
  const messageId = `<outbox-${randomUUID()}@${options.messageIdDomain ?? 'masteryhub'}>`
  const row = await tx
    .insertInto('outbox')
    .values({
      to_address: message.to,
      subject,
      body_text: text,
      template: message.template,
      message_id: messageId,
      ...(options.queuedAt ? { created_at: options.queuedAt, next_attempt_at: options.queuedAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export interface OutboxEntry {
  id: number
  to: string
  subject: string
  body: string
  template: string
  status: OutboxStatus
  attempts: number
  lastError: string | null
  createdAt: Date
  sentAt: Date | null
}

/** The most recent messages, newest first. */
export async function listOutbox(
  db: Executor,
  { limit = 50 }: { limit?: number } = {},
): Promise<OutboxEntry[]> {
  const rows = await db
    .selectFrom('outbox')
    .select([
      'id',
      'to_address',
      'subject',
      'body_text',
      'template',
      'status',
      'attempts',
      'last_error',
      'created_at',
      'sent_at',
    ])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    to: r.to_address,
    subject: r.subject,
    body: r.body_text,
    template: r.template,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }))
}

export type OutboxCounts = Record<OutboxStatus, number>

/** How many messages are pending, sent and failed. */
export async function outboxCounts(db: Executor): Promise<OutboxCounts> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute()
  const counts: OutboxCounts = { pending: 0, sent: 0, failed: 0 }
  for (const row of rows) counts[row.status] = row.count
  return counts
}
