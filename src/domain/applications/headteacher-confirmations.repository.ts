// SQL for "ask again": the hub's requests to a headteacher it has checked, to confirm an application.
import type { Executor, Tx } from '../../db/database.ts'

export interface HeadteacherConfirmation {
  id: number
  applicationId: number
  headteacherName: string
  headteacherEmail: string
  askedBy: number
  askedAt: Date
  expiresAt: Date
  replacedAt: Date | null
  answeredAt: Date | null
  answer: 'confirmed' | 'not-confirmed' | null
}

function confirmationQuery(db: Executor) {
  return db
    .selectFrom('headteacher_confirmations')
    .select([
      'id',
      'application_id',
      'headteacher_name',
      'headteacher_email',
      'asked_by',
      'asked_at',
      'expires_at',
      'replaced_at',
      'answered_at',
      'answer',
    ])
}

type Row = Awaited<ReturnType<ReturnType<typeof confirmationQuery>['executeTakeFirstOrThrow']>>

function toConfirmation(r: Row): HeadteacherConfirmation {
  return {
    id: r.id,
    applicationId: r.application_id,
    headteacherName: r.headteacher_name,
    headteacherEmail: r.headteacher_email,
    askedBy: r.asked_by,
    askedAt: r.asked_at,
    expiresAt: r.expires_at,
    replacedAt: r.replaced_at,
    answeredAt: r.answered_at,
    answer: r.answer,
  }
}

export async function findConfirmationByToken(
  db: Executor,
  tokenHash: string,
): Promise<HeadteacherConfirmation | undefined> {
  const row = await confirmationQuery(db).where('token_hash', '=', tokenHash).executeTakeFirst()
  return row ? toConfirmation(row) : undefined
}

/** The newest request for the application, answered or not. */
export async function latestConfirmation(
  db: Executor,
  applicationId: number,
): Promise<HeadteacherConfirmation | undefined> {
  const row = await confirmationQuery(db)
    .where('application_id', '=', applicationId)
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return row ? toConfirmation(row) : undefined
}

/** A new request; any the hub sent before for the application stops working. */
export async function insertConfirmation(
  tx: Tx,
  values: Omit<HeadteacherConfirmation, 'id' | 'replacedAt' | 'answeredAt' | 'answer'> & {
    tokenHash: string
  },
): Promise<void> {
  await tx
    .updateTable('headteacher_confirmations')
    .set({ replaced_at: values.askedAt })
    .where('application_id', '=', values.applicationId)
    .where('replaced_at', 'is', null)
    .where('answered_at', 'is', null)
    .execute()
  await tx
    .insertInto('headteacher_confirmations')
    .values({
      application_id: values.applicationId,
      token_hash: values.tokenHash,
      headteacher_name: values.headteacherName,
      headteacher_email: values.headteacherEmail,
      asked_by: values.askedBy,
      asked_at: values.askedAt,
      expires_at: values.expiresAt,
    })
    .execute()
}

/** Records the answer, once: false when the request was answered or retired meanwhile. */
export async function answerConfirmation(
  tx: Tx,
  id: number,
  answer: 'confirmed' | 'not-confirmed',
  now: Date,
): Promise<boolean> {
  const result = await tx
    .updateTable('headteacher_confirmations')
    .set({ answer, answered_at: now })
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .where('replaced_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
