// Teachers for a deadline surge, shared by the surge bench and the crash test: one endorsed
// application made through the use-cases, copied in bulk for many teachers (each with a person, a
// teacher grant and an API token), and the count of what their submissions did in the database.
import { randomUUID } from 'node:crypto'
import type { Database } from '../../src/db/database.ts'
import { actorForPerson } from '../../src/domain/access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../../src/domain/access/actor.ts'
import { missingForSubmission } from '../../src/domain/applications/application-rules.ts'
import { findApplication, newReference } from '../../src/domain/applications/applications.repository.ts'
import { requestEndorsement } from '../../src/domain/applications/request-endorsement.ts'
import { respondToEndorsement } from '../../src/domain/applications/respond-to-endorsement.ts'
import { saveApplication } from '../../src/domain/applications/save-application.ts'
import { startApplication } from '../../src/domain/applications/start-application.ts'
import { TOKEN_PREFIX } from '../../src/domain/auth/api-tokens.ts'
import { hashSecret, newSecret } from '../../src/domain/auth/tokens.ts'
import { findCohort } from '../../src/domain/programmes/programmes.repository.ts'
import type { UseCaseContext } from '../../src/domain/use-case.ts'
import type { Clock } from '../../src/lib/clock.ts'
import {
  essentialEvidence,
  HEAD as HEADTEACHER,
  lastEndorsementToken,
  NORTHVALE_PRIMARY,
  OPEN_COHORT,
  TEACHING,
} from '../application-fixtures.ts'

const BASE_URL = 'http://localhost:3000'
const EMAIL_PATTERN = 'surge.teacher.%@school.example'
export const teacherEmail = (n: number) => `surge.teacher.${n}@school.example`

export interface Teacher {
  email: string
  applicationId: number
  token: string
  idempotencyKey: string
}

function useCaseContext(database: Database, actor: Actor, clock: Clock): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'surge-teachers', baseUrl: BASE_URL }
}

/**
 * One application taken to `endorsed` through the use-cases (start, save the school, teaching and
 * evidence, ask the headteacher, the headteacher confirms through the emailed link): the pattern the
 * surge's applications are copied from, so they hold what the domain itself writes.
 */
export async function endorsedTemplate(database: Database, clock: Clock): Promise<number> {
  const db = database.db
  const person = await db
    .insertInto('people')
    .values({ name: 'Surge Template Teacher', email: 'surge.template@school.example' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
  const teacher = (await actorForPerson(db, person.id))!
  const context = useCaseContext(database, teacher, clock)
  const { application } = await startApplication(context, OPEN_COHORT)
  const cohort = (await findCohort(db, OPEN_COHORT))!
  await saveApplication(context, application.id, {
    school: { urn: NORTHVALE_PRIMARY },
    teaching: TEACHING,
    evidence: essentialEvidence(cohort),
  })
  await requestEndorsement(context, application.id, HEADTEACHER)
  const token = await lastEndorsementToken(db, HEADTEACHER.email)
  await respondToEndorsement(useCaseContext(database, ANONYMOUS, clock), token, { decision: 'confirm' })
  const endorsed = (await findApplication(db, application.id))!
  const missing = missingForSubmission(endorsed, cohort)
  if (endorsed.state !== 'endorsed' || missing.length > 0) {
    throw new Error(
      `The template application is ${endorsed.state}, missing ${missing.map((m) => m.field).join(', ') || 'nothing'}`,
    )
  }
  return application.id
}

/**
 * `count` teachers, each with a person, a teacher grant, an API token and a copy of the template
 * application (with its history), inserted in bulk.
 */
export async function addTeachers(
  database: Database,
  templateId: number,
  count: number,
  now: Date,
): Promise<Teacher[]> {
  const numbers = Array.from({ length: count }, (_, i) => i + 1)
  const tokens = numbers.map(() => `${TOKEN_PREFIX}${newSecret()}`)
  const template = (await findApplication(database.db, templateId))!
  const references = new Set<string>([template.reference])
  while (references.size < count + 1) references.add(newReference())
  references.delete(template.reference)

  const client = await database.pool.connect()
  try {
    await client.query('BEGIN')
    await client.query(
      `INSERT INTO people (name, email, created_at, updated_at)
       SELECT 'Surge Teacher ' || n, 'surge.teacher.' || n || '@school.example', $2, $2
       FROM unnest($1::int[]) AS n`,
      [numbers, now],
    )
    await client.query(
      `INSERT INTO grants (person_id, role, created_at)
       SELECT id, 'teacher', $2 FROM people WHERE email LIKE $1`,
      [EMAIL_PATTERN, now],
    )
    await client.query(
      `INSERT INTO api_tokens (person_id, name, token_hash, token_prefix, grant_id, created_at)
       SELECT p.id, 'Deadline surge', t.token_hash, t.token_prefix, g.id, $4
       FROM unnest($1::int[], $2::text[], $3::text[]) AS t(n, token_hash, token_prefix)
       JOIN people p ON p.email = 'surge.teacher.' || t.n || '@school.example'
       JOIN grants g ON g.person_id = p.id AND g.role = 'teacher' AND g.revoked_at IS NULL`,
      [numbers, tokens.map(hashSecret), tokens.map((t) => t.slice(0, 10)), now],
    )
    await client.query(
      `INSERT INTO applications (reference, cohort_id, applicant_id, state, school_urn, hub_id, eligibility,
         teaching, evidence, headteacher_name, headteacher_email, endorsed_at, created_at, updated_at)
       SELECT r.reference, a.cohort_id, p.id, a.state, a.school_urn, a.hub_id, a.eligibility,
         a.teaching, a.evidence, a.headteacher_name, a.headteacher_email, a.endorsed_at, a.created_at, a.updated_at
       FROM unnest($1::int[], $2::text[]) AS r(n, reference)
       JOIN people p ON p.email = 'surge.teacher.' || r.n || '@school.example'
       CROSS JOIN applications a
       WHERE a.id = $3`,
      [numbers, [...references], templateId],
    )
    // The template's history (started, sent to the headteacher, endorsed), each move made by the copy's teacher.
    await client.query(
      `INSERT INTO application_history (application_id, event, from_state, to_state, actor_person_id,
         actor_kind, note, occurred_at)
       SELECT copy.id, h.event, h.from_state, h.to_state,
         CASE WHEN h.actor_person_id = template.applicant_id THEN copy.applicant_id ELSE h.actor_person_id END,
         h.actor_kind, h.note, h.occurred_at
       FROM applications template
       JOIN application_history h ON h.application_id = template.id
       JOIN applications copy ON copy.applicant_id IN (SELECT id FROM people WHERE email LIKE $2)
       WHERE template.id = $1
       ORDER BY copy.id, h.id`,
      [templateId, EMAIL_PATTERN],
    )
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  } finally {
    client.release()
  }
  // A database weeks into its round has up-to-date planner statistics; a bulk load does not, until this.
  await database.pool.query('ANALYZE')

  const rows = await database.pool.query<{ id: number; email: string }>(
    `SELECT a.id, p.email FROM applications a JOIN people p ON p.id = a.applicant_id WHERE p.email LIKE $1`,
    [EMAIL_PATTERN],
  )
  const idByEmail = new Map(rows.rows.map((r) => [r.email, Number(r.id)]))
  return numbers.map((n, i) => {
    const email = teacherEmail(n)
    const applicationId = idByEmail.get(email)
    if (applicationId === undefined) throw new Error(`No application was made for ${email}`)
    return { email, applicationId, token: tokens[i]!, idempotencyKey: randomUUID() }
  })
}

export interface CountProof {
  expected: number
  submitted: number
  lost: number
  duplicated: number
  history_rows: number
  audit_rows: number
  emails_queued: number
  wrong_key: number
}

/** Counts, in the database, what the requests did to the teachers' applications. */
export async function countSubmissions(
  database: Database,
  teachers: readonly Teacher[],
): Promise<CountProof> {
  const ids = teachers.map((t) => t.applicationId)
  const keyById = new Map(teachers.map((t) => [t.applicationId, t.idempotencyKey]))
  const submitted = await database.pool.query<{ id: number; submit_idempotency_key: string | null }>(
    `SELECT id, submit_idempotency_key FROM applications
     WHERE id = ANY($1::bigint[]) AND state = 'submitted' AND submitted_at IS NOT NULL`,
    [ids],
  )
  const count = async (text: string, values: unknown[]) =>
    Number((await database.pool.query<{ n: number }>(text, values)).rows[0]?.n ?? 0)
  const historyRows = await count(
    `SELECT count(*) AS n FROM application_history WHERE event = 'submit' AND application_id = ANY($1::bigint[])`,
    [ids],
  )
  const auditRows = await count(
    `SELECT count(*) AS n FROM audit_events
     WHERE action = 'application.submit' AND record_type = 'application' AND record_id = ANY($1::text[])`,
    [ids.map(String)],
  )
  const emails = await count(
    `SELECT count(*) AS n FROM outbox WHERE template = 'application-submitted' AND to_address = ANY($1::text[])`,
    [teachers.map((t) => t.email)],
  )
  const wrongKey = submitted.rows.filter((r) => r.submit_idempotency_key !== keyById.get(Number(r.id))).length
  const done = submitted.rows.length
  return {
    expected: teachers.length,
    submitted: done,
    lost: teachers.length - done,
    duplicated: historyRows - done,
    history_rows: historyRows,
    audit_rows: auditRows,
    emails_queued: emails,
    wrong_key: wrongKey,
  }
}
