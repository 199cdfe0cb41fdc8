// SQL for erasing a person's personal data: their record anonymised in place (so history keeps its
// ids), their sign-in ended, their answers and what others wrote about them blanked, and their
// name, email address and TRN taken out of free text wherever the service wrote them.
import { sql, type RawBuilder } from 'kysely'
import type { Executor, Tx } from '../../db/database.ts'

export const ERASED_NAME = 'Erased person'
const ERASED_TEXT = 'Erased'

/** The address an erased person's record and emails carry: unique, and never deliverable. */
export function erasedAddress(personId: number): string {
  return `erased-${personId}@erased.invalid`
}

export interface ErasureFacts {
  applications: number
  emails: number
  sessions: number
  signInLinks: number
  apiTokens: number
  roles: number
  interestNotices: number
  asHeadteacher: number
}

/** What an erasure will touch, for the confirmation page (and the audit row afterwards). */
export async function erasureFacts(
  db: Executor,
  person: { id: number; email: string },
): Promise<ErasureFacts> {
  const email = person.email.toLowerCase()
  const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) =>
    Number((await query.executeTakeFirstOrThrow()).n)
  const [applications, emails, sessions, signInLinks, apiTokens, roles, interestNotices, asHeadteacher] =
    await Promise.all([
      count(
        db
          .selectFrom('applications')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('applicant_id', '=', person.id),
      ),
      count(
        db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(sql<string>`lower(to_address)`, '=', email),
      ),
      count(
        db
          .selectFrom('sessions')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('person_id', '=', person.id),
      ),
      count(
        db
          .selectFrom('sign_in_tokens')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('person_id', '=', person.id)
          .where('used_at', 'is', null),
      ),
      count(
        db
          .selectFrom('api_tokens')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('person_id', '=', person.id)
          .where('revoked_at', 'is', null),
      ),
      count(
        db
          .selectFrom('grants')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('person_id', '=', person.id)
          .where('revoked_at', 'is', null),
      ),
      count(
        db
          .selectFrom('cohort_interest')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(sql<string>`lower(email)`, '=', email),
      ),
      count(
        db
          .selectFrom('applications')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(sql<string>`lower(headteacher_email)`, '=', email),
      ),
    ])
  return { applications, emails, sessions, signInLinks, apiTokens, roles, interestNotices, asHeadteacher }
}

/** When the person's personal data was erased, or null. */
export async function erasedAtOf(db: Executor, personId: number): Promise<Date | null> {
  const row = await db.selectFrom('people').select('erased_at').where('id', '=', personId).executeTakeFirst()
  return row?.erased_at ?? null
}

export async function lockPerson(tx: Tx, personId: number) {
  return tx
    .selectFrom('people')
    .select(['id', 'name', 'email', 'trn', 'erased_at'])
    .where('id', '=', personId)
    .forUpdate()
    .executeTakeFirst()
}

/** Live NCETM administrators other than the person, locked so two erasures cannot leave none. */
export async function otherNationalAdmins(tx: Tx, personId: number): Promise<number> {
  const rows = await tx
    .selectFrom('grants as g')
    .innerJoin('people as p', 'p.id', 'g.person_id')
    .select('g.id')
    .where('g.role', '=', 'national-admin')
    .where('g.revoked_at', 'is', null)
    .where('p.erased_at', 'is', null)
    .where('g.person_id', '<>', personId)
    .forUpdate('g')
    .execute()
  return rows.length
}

/** A PostgreSQL regular expression matching the text as a whole word, whatever its case. */
function wordPattern(text: string): string {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return `(?<![[:alnum:]])${escaped}(?![[:alnum:]])`
}

/**
 * Erases the person's personal data. Returns nothing: the caller audits the facts counted before.
 * `by` is who erased it (for the grants taken away).
 */
export async function erasePersonalData(
  tx: Tx,
  person: { id: number; name: string; email: string; trn: string | null },
  by: number | null,
  now: Date,
): Promise<void> {
  const id = person.id
  const email = person.email.toLowerCase()
  const address = erasedAddress(id)
  // Too short a "name" would match ordinary words: such text is left alone.
  const patterns = [
    { text: person.name.trim(), replacement: ERASED_NAME },
    { text: person.email.trim(), replacement: address },
    { text: person.trn ?? '', replacement: 'erased TRN' },
  ]
    .filter((p) => p.text.length >= 2)
    .map((p) => ({ pattern: wordPattern(p.text), replacement: p.replacement }))
  /** The text with every mention of the person replaced. */
  const scrubbed = (text: RawBuilder<string>): RawBuilder<string> =>
    patterns.reduce(
      (result, p) => sql<string>`regexp_replace(${result}, ${p.pattern}, ${p.replacement}, 'gi')`,
      text,
    )
  const mentions = (text: RawBuilder<string>) =>
    sql<boolean>`(${sql.join(
      patterns.map((p) => sql`${text} ~* ${p.pattern}`),
      sql` OR `,
    )})`
  const column = (name: string) => sql<string>`${sql.ref(name)}`
  const asText = (name: string) => sql<string>`${sql.ref(name)}::text`
  const own = tx.selectFrom('applications').select('id').where('applicant_id', '=', id)

  // Sign-in ends: sessions and unused links go, API tokens are revoked, roles taken away.
  await tx.deleteFrom('sessions').where('person_id', '=', id).execute()
  await tx.deleteFrom('sign_in_tokens').where('person_id', '=', id).execute()
  await tx
    .updateTable('api_tokens')
    .set({ name: ERASED_TEXT, revoked_at: sql`coalesce(revoked_at, ${now})` })
    .where('person_id', '=', id)
    .execute()
  await tx
    .updateTable('grants')
    .set({ revoked_at: now, revoked_by: by })
    .where('person_id', '=', id)
    .where('revoked_at', 'is', null)
    .execute()

  // Their applications: answers, evidence and the headteacher's details; the states and dates stay.
  await tx
    .updateTable('applications')
    .set({
      teaching: '{}',
      evidence: '{}',
      headteacher_name: null,
      headteacher_email: null,
      endorsement_decline_reason: null,
      submit_idempotency_key: null,
      updated_at: now,
    })
    .where('applicant_id', '=', id)
    .execute()
  await tx
    .updateTable('endorsement_requests')
    .set({
      headteacher_name: ERASED_TEXT,
      headteacher_email: 'erased@erased.invalid',
      replaced_at: sql`coalesce(replaced_at, ${now})`,
    })
    .where('application_id', 'in', own)
    .execute()
  await tx
    .updateTable('headteacher_confirmations')
    .set({
      headteacher_name: ERASED_TEXT,
      headteacher_email: 'erased@erased.invalid',
      replaced_at: sql`coalesce(replaced_at, ${now})`,
    })
    .where('application_id', 'in', own)
    .execute()
  await tx
    .updateTable('application_history')
    .set({ note: null })
    .where('application_id', 'in', own)
    .where('event', '=', 'decline-endorsement')
    .execute()
  // What others wrote about them: reviewers' notes, conflicts declared, the hub's feedback.
  await sql`
    UPDATE reviews SET
      essential = coalesce((SELECT jsonb_object_agg(key, value || '{"note": ""}'::jsonb)
                            FROM jsonb_each(essential)), '{}'::jsonb),
      desirable = coalesce((SELECT jsonb_object_agg(key, value || '{"note": ""}'::jsonb)
                            FROM jsonb_each(desirable)), '{}'::jsonb),
      strategic_note = ''
    WHERE assignment_id IN (
      SELECT ra.id FROM review_assignments ra JOIN applications a ON a.id = ra.application_id
      WHERE a.applicant_id = ${id})`.execute(tx)
  await tx
    .updateTable('review_assignments')
    .set({ conflict_reason: ERASED_TEXT })
    .where('application_id', 'in', own)
    .where('conflict_reason', 'is not', null)
    .execute()
  await tx
    .updateTable('selection_decisions')
    .set({ feedback: '', decline_reason: null, headteacher_token_hash: null, updated_at: now })
    .where('application_id', 'in', own)
    .execute()

  // Where they are the headteacher on someone else's application.
  await tx
    .updateTable('applications')
    .set({ headteacher_name: ERASED_NAME, headteacher_email: address })
    .where(sql<string>`lower(headteacher_email)`, '=', email)
    .execute()
  await tx
    .updateTable('endorsement_requests')
    .set({ headteacher_name: ERASED_NAME, headteacher_email: address })
    .where(sql<string>`lower(headteacher_email)`, '=', email)
    .execute()
  await tx
    .updateTable('headteacher_confirmations')
    .set({ headteacher_name: ERASED_NAME, headteacher_email: address })
    .where(sql<string>`lower(headteacher_email)`, '=', email)
    .execute()

  // Emails to them: blanked, and never sent if still waiting. Emails to others that name them.
  await tx
    .updateTable('outbox')
    .set({
      to_address: address,
      subject: ERASED_TEXT,
      body_text: ERASED_TEXT,
      status: sql`CASE WHEN status = 'pending' THEN 'failed' ELSE status END`,
      last_error: sql`CASE WHEN status = 'pending' THEN 'Not sent: the person’s data was erased' ELSE last_error END`,
    })
    .where(sql<string>`lower(to_address)`, '=', email)
    .execute()
  await tx
    .updateTable('outbox')
    .set({ subject: scrubbed(column('subject')), body_text: scrubbed(column('body_text')) })
    .where((eb) =>
      eb.or([eb(mentions(column('subject')), '=', true), eb(mentions(column('body_text')), '=', true)]),
    )
    .execute()

  // "Tell me when it opens": kept as a count, with an address nobody can receive.
  await sql`
    UPDATE cohort_interest SET email = 'erased-interest-' || id || '@erased.invalid',
      notified_at = coalesce(notified_at, ${now})
    WHERE lower(email) = ${email}`.execute(tx)

  // Free text elsewhere that names them (a reviewer's name in a history note, say).
  for (const [table, name] of [
    ['application_history', 'note'],
    ['applications', 'endorsement_decline_reason'],
    ['review_assignments', 'conflict_reason'],
    ['reviews', 'strategic_note'],
    ['selection_decisions', 'feedback'],
    ['selection_decisions', 'decline_reason'],
    ['selection_rounds', 'priorities'],
  ] as const) {
    await sql`UPDATE ${sql.table(table)} SET ${sql.ref(name)} = ${scrubbed(column(name))}
      WHERE ${mentions(column(name))}`.execute(tx)
  }
  for (const name of ['essential', 'desirable'] as const) {
    await sql`UPDATE reviews SET ${sql.ref(name)} = ${scrubbed(asText(name))}::jsonb
      WHERE ${mentions(asText(name))}`.execute(tx)
  }

  // The record itself: kept, so every history row still points at it.
  await tx
    .updateTable('people')
    .set({
      name: ERASED_NAME,
      email: address,
      trn: null,
      workplace_urn: null,
      erased_at: now,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute()
}
