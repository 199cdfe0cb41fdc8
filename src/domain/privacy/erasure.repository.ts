// SQL for erasing a person's personal data: their record anonymised in place (so history keeps its
// ids), their sign-in ended, their answers and what others wrote about them blanked, their
// development years' needs, reasons, notes, evidence and calendar feed removed (the stages,
// bookings, attendance, release days and tasks' outcomes stay), and their name, email address and
// TRN taken out of free text wherever the service wrote them.
import { sql, type RawBuilder } from 'kysely'
import type { Executor, Tx } from '../../db/database.ts'
import { WITHDRAWN_REASON } from '../participants/release-time/release-time.ts'

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
  /** Their places on a programme (participations), and what of their development years is erased. */
  participations: number
  bookingNeeds: number
  absenceReasons: number
  stageReasons: number
  releaseTexts: number
  taskSubmissions: number
  evidenceFiles: number
  accreditationSources: number
  calendarFeeds: number
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
  return {
    applications,
    emails,
    sessions,
    signInLinks,
    apiTokens,
    roles,
    interestNotices,
    asHeadteacher,
    ...(await developmentYearFacts(db, person.id)),
  }
}

/** The person's participations, as a subquery. */
function participationsOf(db: Executor, personId: number) {
  return db.selectFrom('participations').select('id').where('person_id', '=', personId)
}

async function developmentYearFacts(db: Executor, personId: number) {
  const theirs = participationsOf(db, personId)
  const result = await sql<Record<string, string | number>>`
    SELECT
      (SELECT count(*) FROM participations WHERE person_id = ${personId}) AS participations,
      (SELECT count(*) FROM bookings WHERE participation_id IN (${theirs})
         AND (access_needs IS NOT NULL OR dietary_needs IS NOT NULL)) AS booking_needs,
      (SELECT count(*) FROM attendance a JOIN bookings b ON b.id = a.booking_id
         WHERE b.participation_id IN (${theirs}) AND a.absence_reason IS NOT NULL) AS absence_reasons,
      (SELECT count(*) FROM participation_stages WHERE participation_id IN (${theirs})
         AND reason IS NOT NULL) AS stage_reasons,
      (SELECT count(*) FROM release_entries WHERE participation_id IN (${theirs})
         AND (note IS NOT NULL OR (reason IS NOT NULL AND reason <> ${WITHDRAWN_REASON})))
        + (SELECT count(*) FROM release_extra_days WHERE participation_id IN (${theirs})) AS release_texts,
      (SELECT count(*) FROM task_submissions WHERE participation_id IN (${theirs})) AS task_submissions,
      (SELECT count(*) FROM task_submissions WHERE participation_id IN (${theirs})
         AND file_id IS NOT NULL) AS evidence_files,
      (SELECT count(*) FROM pd_lead_accreditations WHERE person_id = ${personId}
         AND source IS NOT NULL) AS accreditation_sources,
      (SELECT count(*) FROM calendar_feeds WHERE person_id = ${personId}) AS calendar_feeds`.execute(db)
  const row = result.rows[0]!
  const n = (name: string) => Number(row[name])
  return {
    participations: n('participations'),
    bookingNeeds: n('booking_needs'),
    absenceReasons: n('absence_reasons'),
    stageReasons: n('stage_reasons'),
    releaseTexts: n('release_texts'),
    taskSubmissions: n('task_submissions'),
    evidenceFiles: n('evidence_files'),
    accreditationSources: n('accreditation_sources'),
    calendarFeeds: n('calendar_feeds'),
  }
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

  // Their development years: access and dietary needs, absence reasons, the reasons they deferred
  // or withdrew, task evidence (text, links, files) and its feedback, where their PD Lead
  // accreditation came from and their calendar feed go. The stages, bookings, attendance marks,
  // tasks' outcomes and accreditation stay, for funding and counts.
  const theirs = participationsOf(tx, id)
  await tx
    .updateTable('bookings')
    .set({
      access_needs: null,
      dietary_needs: null,
      needs_deleted_at: sql`coalesce(needs_deleted_at, ${now})`,
    })
    .where('participation_id', 'in', theirs)
    .where((eb) => eb.or([eb('access_needs', 'is not', null), eb('dietary_needs', 'is not', null)]))
    .execute()
  await tx
    .updateTable('attendance')
    .set({ absence_reason: ERASED_TEXT })
    .where('booking_id', 'in', tx.selectFrom('bookings').select('id').where('participation_id', 'in', theirs))
    .where('absence_reason', 'is not', null)
    .execute()
  for (const table of ['participation_stages', 'participation_history'] as const) {
    await tx
      .updateTable(table)
      .set({ reason: ERASED_TEXT })
      .where('participation_id', 'in', theirs)
      .where('reason', 'is not', null)
      .execute()
  }
  const files = await tx
    .selectFrom('task_submissions')
    .select('file_id')
    .where('participation_id', 'in', theirs)
    .where('file_id', 'is not', null)
    .execute()
  // Evidence of every kind becomes the text "Erased"; whether it was accepted or returned stays.
  await tx
    .updateTable('task_submissions')
    .set({
      evidence_kind: 'text',
      evidence_text: ERASED_TEXT,
      evidence_url: null,
      file_id: null,
      feedback: sql`CASE WHEN feedback IS NULL THEN NULL ELSE ${ERASED_TEXT} END`,
    })
    .where('participation_id', 'in', theirs)
    .execute()
  const fileIds = files.map((f) => Number(f.file_id))
  if (fileIds.length > 0) await tx.deleteFrom('task_evidence_files').where('id', 'in', fileIds).execute()
  await tx
    .updateTable('pd_lead_accreditations')
    .set({ source: ERASED_TEXT })
    .where('person_id', '=', id)
    .where('source', 'is not', null)
    .execute()
  await tx.deleteFrom('calendar_feeds').where('person_id', '=', id).execute()

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
    ['events', 'cancel_reason'],
    ['attendance', 'absence_reason'],
    ['participation_stages', 'reason'],
    ['participation_history', 'reason'],
    ['task_submissions', 'evidence_text'],
    ['task_submissions', 'feedback'],
  ] as const) {
    await sql`UPDATE ${sql.table(table)} SET ${sql.ref(name)} = ${scrubbed(column(name))}
      WHERE ${mentions(column(name))}`.execute(tx)
  }
  // An event's title (a support visit's, say) keeps within its 200 characters.
  await sql`UPDATE events SET title = left(${scrubbed(column('title'))}, 200)
    WHERE ${mentions(column('title'))}`.execute(tx)
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

  // The release-time ledger is append-only: once the person is erased (above), the database allows
  // only their entries' notes and reasons to be blanked (migration 0021). A withdrawal's own
  // reason is the service's words, and stays.
  await tx
    .updateTable('release_entries')
    .set({
      note: null,
      reason: sql`CASE WHEN reason IS NULL OR reason = ${WITHDRAWN_REASON} THEN reason ELSE ${ERASED_TEXT} END`,
    })
    .where('participation_id', 'in', theirs)
    .where((eb) =>
      eb.or([
        eb('note', 'is not', null),
        eb.and([eb('reason', 'is not', null), eb('reason', '<>', WITHDRAWN_REASON)]),
      ]),
    )
    .execute()
  await tx
    .updateTable('release_extra_days')
    .set({ reason: ERASED_TEXT })
    .where('participation_id', 'in', theirs)
    .where('reason', '<>', ERASED_TEXT)
    .execute()
}
