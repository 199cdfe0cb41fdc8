// What the crash test proves, counted from the database and the SMTP server after the surge:
// every acknowledged submission stored exactly once, none that was refused stored, and each
// receipt email received exactly once by its Message-ID.
import type { Database } from '../../src/db/database.ts'
import type { SmtpSink } from '../smtp-sink.ts'
import type { SubmissionResult } from './surge-client.ts'

/** The emails a submission queues (submit-application.ts), each named by the reference in its subject. */
const RECEIPTS = {
  'application-submitted': 'Application received: ',
  'application-submitted-headteacher': 'Application submitted: ',
} as const
type ReceiptTemplate = keyof typeof RECEIPTS
const RECEIPT_TEMPLATES = Object.keys(RECEIPTS) as ReceiptTemplate[]

export interface Proof {
  submitted: number
  acknowledged: number
  replayed: number
  refused: number
  gaveUp: number
  stored: number
  storedWithoutAcknowledgement: number
  duplicated: number
  lost: number
  refusedButStored: number
  /** Refusals the plan expected (not endorsed: 422; another teacher's token: 404) that came otherwise. */
  wrongRefusals: number
  /** Valid submissions refused. */
  validRefused: number
  wrongKey: number
  receiptsExpected: number
  receiptsQueued: number
  emailsSentOnce: number
  emailsSentMoreThanOnce: number
  /**
   * Of those, emails whose first copy the SMTP server accepted just as their process was killed,
   * before the process could mark them sent: sent again, with the same Message-ID, once the dead
   * process's claim ran out. No sender can close that window alone (the receiver's 250 and the
   * sender's commit cannot be one step); a crash can cause at most one per killed process.
   */
  emailsResentAfterKill: number
  emailsMissing: number
  outboxPending: number
  outboxFailed: number
  /** Message-IDs received more than once, with the outbox's attempts for each. */
  duplicateEmails: { messageId: string; received: number; attempts: number }[]
  /** Explanations of every count that should be 0 and is not. */
  problems: string[]
  /** What was allowed but is worth reading: an email re-sent after the kill. */
  notes: string[]
}

interface ApplicationRow {
  id: number
  reference: string
  state: string
  submitted_at: Date | null
  submit_idempotency_key: string | null
  history_rows: number
  audit_rows: number
}

interface ReceiptRow {
  template: ReceiptTemplate
  subject: string
  message_id: string
  status: string
  attempts: number
}

/**
 * `receivedAtKill`: how many messages the SMTP server had accepted when the killed process was gone,
 * so that a message received twice can be placed against the kill.
 */
export async function proveOutcome(
  database: Database,
  results: readonly SubmissionResult[],
  sink: SmtpSink,
  receivedAtKill: number | undefined,
): Promise<Proof> {
  const ids = results.map((r) => r.submission.applicationId)
  const applications = await database.pool.query<ApplicationRow>(
    `SELECT a.id, a.reference, a.state, a.submitted_at, a.submit_idempotency_key,
       (SELECT count(*) FROM application_history h
        WHERE h.application_id = a.id AND h.event = 'submit') AS history_rows,
       (SELECT count(*) FROM audit_events e
        WHERE e.action = 'application.submit' AND e.record_type = 'application'
          AND e.record_id = a.id::text) AS audit_rows
     FROM applications a WHERE a.id = ANY($1::bigint[])`,
    [ids],
  )
  const byId = new Map(applications.rows.map((row) => [Number(row.id), row]))
  const receipts = await database.pool.query<ReceiptRow>(
    `SELECT template, subject, message_id, status, attempts FROM outbox WHERE template = ANY($1::text[])`,
    [RECEIPT_TEMPLATES],
  )
  const receiptsByReference = new Map<string, ReceiptRow[]>()
  for (const row of receipts.rows) {
    const reference = row.subject.slice(RECEIPTS[row.template].length)
    receiptsByReference.set(reference, [...(receiptsByReference.get(reference) ?? []), row])
  }
  const receivedCounts = sink.receivedCounts()

  const problems: string[] = []
  const proof: Proof = {
    submitted: results.length,
    acknowledged: 0,
    replayed: 0,
    refused: 0,
    gaveUp: 0,
    stored: 0,
    storedWithoutAcknowledgement: 0,
    duplicated: 0,
    lost: 0,
    refusedButStored: 0,
    wrongRefusals: 0,
    validRefused: 0,
    wrongKey: 0,
    receiptsExpected: 0,
    receiptsQueued: 0,
    emailsSentOnce: 0,
    emailsSentMoreThanOnce: 0,
    emailsResentAfterKill: 0,
    emailsMissing: 0,
    outboxPending: 0,
    outboxFailed: 0,
    duplicateEmails: [],
    problems,
    notes: [],
  }

  for (const result of results) {
    const { submission } = result
    const id = submission.applicationId
    const row = byId.get(id)
    if (!row) {
      problems.push(`application ${id} is missing from the database`)
      continue
    }
    const history = Number(row.history_rows)
    const audits = Number(row.audit_rows)
    const stored = row.state === 'submitted' || row.submitted_at !== null || history > 0 || audits > 0
    const mails = receiptsByReference.get(row.reference) ?? []

    if (result.outcome === 'acknowledged') {
      proof.acknowledged++
      if (result.replayed) proof.replayed++
    } else if (result.outcome === 'refused') {
      proof.refused++
    } else {
      proof.gaveUp++
    }

    if (submission.kind === 'valid' && result.outcome === 'refused') {
      proof.validRefused++
      problems.push(`valid submission of application ${id} was refused with ${result.status}`)
    }
    if (submission.kind !== 'valid') {
      const expected = submission.kind === 'unendorsed' ? 422 : 404
      if (result.outcome !== 'gave-up' && result.status !== expected) {
        proof.wrongRefusals++
        problems.push(
          `${submission.kind} submission of application ${id} answered ${result.status}, not ${expected}`,
        )
      }
      if (stored) {
        proof.refusedButStored++
        problems.push(`${submission.kind} submission of application ${id} was stored (${result.outcome})`)
      }
      if (mails.length > 0)
        problems.push(`${mails.length} receipt emails queued for refused application ${id}`)
      continue
    }

    if (!stored) {
      if (result.outcome === 'acknowledged') {
        proof.lost++
        problems.push(`acknowledged submission of application ${id} is not stored (state ${row.state})`)
      }
      if (mails.length > 0)
        problems.push(`${mails.length} receipt emails queued for unsubmitted application ${id}`)
      continue
    }

    proof.stored++
    if (result.outcome !== 'acknowledged') proof.storedWithoutAcknowledgement++
    const complete = row.state === 'submitted' && row.submitted_at !== null
    if (!complete) {
      problems.push(
        `application ${id} is half submitted: state ${row.state}, submitted_at ${String(row.submitted_at)}`,
      )
    }
    if (row.submit_idempotency_key !== submission.idempotencyKey) {
      proof.wrongKey++
      problems.push(`application ${id} was stored with another Idempotency-Key`)
    }
    const perTemplate = RECEIPT_TEMPLATES.map((t) => mails.filter((m) => m.template === t).length)
    if (history !== 1 || audits !== 1 || perTemplate.some((n) => n > 1)) {
      proof.duplicated++
      problems.push(
        `application ${id} submitted more than once: ${history} history rows, ${audits} audit rows, ` +
          `receipts queued ${perTemplate.join(' and ')}`,
      )
    }
    if (history === 0 || audits === 0) {
      problems.push(`application ${id} is submitted without its history or audit row`)
    }

    proof.receiptsExpected += RECEIPT_TEMPLATES.length
    proof.receiptsQueued += mails.length
    for (const [i, template] of RECEIPT_TEMPLATES.entries()) {
      if (perTemplate[i] === 0) {
        proof.emailsMissing++
        problems.push(`no ${template} email was queued for application ${id}`)
      }
    }
    for (const mail of mails) {
      if (mail.status === 'pending') proof.outboxPending++
      if (mail.status === 'failed') proof.outboxFailed++
      const received = receivedCounts.get(mail.message_id) ?? 0
      if (received === 1) proof.emailsSentOnce++
      else if (received === 0) {
        proof.emailsMissing++
        problems.push(`${mail.template} email for application ${id} never arrived (outbox: ${mail.status})`)
      } else {
        proof.emailsSentMoreThanOnce++
        proof.duplicateEmails.push({ messageId: mail.message_id, received, attempts: mail.attempts })
        const first = sink.received.findIndex((m) => m.messageId === mail.message_id)
        const firstAtKill = receivedAtKill !== undefined && Math.abs(first - receivedAtKill) <= 5
        if (firstAtKill && received === 2) proof.emailsResentAfterKill++
        const atKill = firstAtKill
          ? `; its first copy was accepted as the process was killed (message ${first + 1}, ` +
            `${receivedAtKill} accepted by then), before it could be marked sent`
          : ''
        const line =
          `${mail.template} email for application ${id} arrived ${received} times ` +
          `(outbox: ${mail.status} after ${mail.attempts} attempts${atKill})`
        if (firstAtKill && received === 2) proof.notes.push(line)
        else problems.push(line)
      }
    }
  }
  return proof
}
