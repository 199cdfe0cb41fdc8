// Figure 4: the deadline surge. Many teachers submit their applications at once through
// POST /api/v1/applications/:id/submit on the real app, some retrying with the same Idempotency-Key,
// beside a bare Fastify endpoint doing one single-row INSERT over the same pool, hit the same way in
// the same run. Afterwards the database is counted: no submission lost, none made twice.
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { createApp } from '../src/app.ts'
import { openDatabase, type Database } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { loadDemo } from '../src/db/seeds/demo.ts'
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../src/domain/access/actor.ts'
import { missingForSubmission } from '../src/domain/applications/application-rules.ts'
import { findApplication, newReference } from '../src/domain/applications/applications.repository.ts'
import { requestEndorsement } from '../src/domain/applications/request-endorsement.ts'
import { respondToEndorsement } from '../src/domain/applications/respond-to-endorsement.ts'
import { saveApplication } from '../src/domain/applications/save-application.ts'
import { startApplication } from '../src/domain/applications/start-application.ts'
import { TOKEN_PREFIX } from '../src/domain/auth/api-tokens.ts'
import { hashSecret, newSecret } from '../src/domain/auth/tokens.ts'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'
import type { UseCaseContext } from '../src/domain/use-case.ts'
import { fixedClock } from '../src/lib/clock.ts'
import {
  essentialEvidence,
  HEAD as HEADTEACHER,
  lastEndorsementToken,
  NORTHVALE_PRIMARY,
  OPEN_COHORT,
  TEACHING,
} from '../test/application-fixtures.ts'
import { figure, progress, type Figure, type Measured } from './figures.ts'
import { createScratchDatabase } from './scratch-pg.ts'
import { seededRandom, summarize } from './stats.ts'
import { fireSurge, type PlannedRequest, type SurgeLoadResult } from './surge-load.ts'

/** Inside the window of the demo's open cohort, which closes at 5pm on 21 January 2027 (as test/app.ts). */
const NOW = '2026-11-22T10:00:00Z'
const BASE_URL = 'http://localhost:3000'
const EMAIL_PATTERN = 'surge.teacher.%@school.example'
const teacherEmail = (n: number) => `surge.teacher.${n}@school.example`
const REPLY_TIMEOUT_S = 120

export interface SurgeBenchOptions {
  /** Teachers in the measured surge, each submitting once (plus the retries). */
  teachers: number
  /** autocannon connections: teachers submitting at the same moment. */
  connections: number
  /** The share of requests that repeat an earlier teacher's request with the same Idempotency-Key. */
  retryShare: number
}

interface Teacher {
  email: string
  applicationId: number
  token: string
  idempotencyKey: string
}

interface PlannedSubmission {
  teacher: Teacher
  retry: boolean
}

/**
 * Each teacher once, in order, with a retry of every 1/retryShare-th teacher placed a seeded random
 * distance (up to `spread` requests) after its original: some arrive while the original is still
 * being answered, some after.
 */
function submissionPlan(
  teachers: readonly Teacher[],
  retryShare: number,
  spread: number,
  seed: number,
): PlannedSubmission[] {
  const random = seededRandom(seed)
  const keyed = teachers.map((teacher, i) => ({ order: i, teacher, retry: false }))
  const retries = Math.round(teachers.length * retryShare)
  for (let r = 0; r < retries; r++) {
    const i = Math.floor((r * teachers.length) / retries)
    keyed.push({ order: i + 0.5 + Math.floor(random() * spread), teacher: teachers[i]!, retry: true })
  }
  return keyed.sort((a, b) => a.order - b.order).map(({ teacher, retry }) => ({ teacher, retry }))
}

function submitRequest(submission: PlannedSubmission): PlannedRequest {
  return {
    path: `/api/v1/applications/${submission.teacher.applicationId}/submit`,
    headers: {
      authorization: `Bearer ${submission.teacher.token}`,
      'idempotency-key': submission.teacher.idempotencyKey,
    },
  }
}

/** The same request, headers and all, to the bare endpoint. */
function bareRequest(submission: PlannedSubmission): PlannedRequest {
  const request = submitRequest(submission)
  return { ...request, path: `/bare/${submission.teacher.applicationId}/submit` }
}

interface Tally {
  requests: number
  replies: number
  ok: number
  non2xx: number
  noReply: number
  replayed: number
  statuses: Record<string, number>
}

function tally(result: SurgeLoadResult): Tally {
  const statuses: Record<string, number> = {}
  let ok = 0
  let replayed = 0
  let noReply = 0
  for (const reply of result.replies) {
    if (!reply) {
      noReply++
      continue
    }
    statuses[reply.status] = (statuses[reply.status] ?? 0) + 1
    if (reply.status >= 200 && reply.status < 300) ok++
    if (reply.replayed) replayed++
  }
  const replies = result.replies.length - noReply
  return { requests: result.replies.length, replies, ok, non2xx: replies - ok, noReply, replayed, statuses }
}

function measured(short: string, label: string, result: SurgeLoadResult): Measured {
  const counts = tally(result)
  const latency = summarize(result.replies.flatMap((reply) => (reply ? [reply.ms] : [])))
  return {
    short,
    label,
    unit: 'ms',
    metrics: {
      requests_per_s: counts.replies / (result.wallMs / 1000),
      p50: latency.p50,
      p99: latency.p99,
      non_2xx: counts.non2xx,
    },
    detail: {
      requests: counts.requests,
      replies: counts.replies,
      replies_2xx: counts.ok,
      no_reply: counts.noReply,
      replayed_replies: counts.replayed,
      statuses: counts.statuses,
      seconds: result.wallMs / 1000,
      p95: latency.p95,
      max: latency.max,
      mean: latency.mean,
      autocannon_errors: result.errors,
      autocannon_timeouts: result.timeouts,
    },
  }
}

function useCaseContext(
  database: Database,
  actor: Actor,
  clock: ReturnType<typeof fixedClock>,
): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'deadline-surge-bench', baseUrl: BASE_URL }
}

/**
 * One application taken to `endorsed` through the use-cases (start, save the school, teaching and
 * evidence, ask the headteacher, the headteacher confirms through the emailed link): the pattern the
 * surge's applications are copied from, so they hold what the domain itself writes.
 */
async function endorsedTemplate(database: Database, clock: ReturnType<typeof fixedClock>): Promise<number> {
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
async function addTeachers(
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

interface CountProof {
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
async function countSubmissions(database: Database, teachers: readonly Teacher[]): Promise<CountProof> {
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

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

async function benchSurge(
  engine: 'pglite' | 'postgres',
  engineLabel: string,
  database: Database,
  options: SurgeBenchOptions,
): Promise<Figure[]> {
  const label = engine === 'pglite' ? 'PGlite' : 'PostgreSQL'
  const clock = fixedClock(NOW)
  const started = performance.now()
  await migrate(database.db)
  await loadDemo(database.db, clock)
  const templateId = await endorsedTemplate(database, clock)
  // A warm-up surge of one request per connection comes first, through its own teachers.
  const warmupCount = options.connections
  const teachers = await addTeachers(database, templateId, warmupCount + options.teachers, clock.now())
  const warmupTeachers = teachers.slice(0, warmupCount)
  const surgeTeachers = teachers.slice(warmupCount)
  progress(
    `${label}: ${teachers.length} endorsed applications ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )

  const spread = 2 * options.connections
  const warmupPlan = submissionPlan(warmupTeachers, options.retryShare, spread, 11)
  const surgePlan = submissionPlan(surgeTeachers, options.retryShare, spread, 12)
  const retries = surgePlan.filter((s) => s.retry).length

  await sql`CREATE TABLE bench_surge_inserts (
    id bigserial PRIMARY KEY,
    application_id bigint NOT NULL,
    idempotency_key text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`.execute(database.db)
  const bare = Fastify({ logger: false })
  bare.post<{ Params: { id: string } }>('/bare/:id/submit', async (request) => {
    const key = String(request.headers['idempotency-key'])
    await sql`INSERT INTO bench_surge_inserts (application_id, idempotency_key)
      VALUES (${Number(request.params.id)}, ${key})`.execute(database.db)
    return { ok: true }
  })
  const app = await createApp({
    database,
    config: {
      logLevel: 'silent',
      cacheTemplates: true,
      baseUrl: BASE_URL,
      session: { idleMinutes: 60, absoluteHours: 12, secureCookies: false },
      oidc: undefined,
    },
    clock,
    demo: false,
  })
  let surge: SurgeLoadResult
  let baseline: SurgeLoadResult
  let baselineRows: number
  try {
    const appOrigin = await listen(app)
    const bareOrigin = await listen(bare)
    const load = (origin: string, requests: PlannedRequest[]) =>
      fireSurge({
        origin,
        connections: options.connections,
        method: 'POST',
        requests,
        timeoutSeconds: REPLY_TIMEOUT_S,
      })
    await load(appOrigin, warmupPlan.map(submitRequest))
    await load(bareOrigin, warmupPlan.map(bareRequest))
    baseline = await load(bareOrigin, surgePlan.map(bareRequest))
    progress(
      `${label}: bare INSERT endpoint, ${surgePlan.length} requests over ${options.connections} connections ` +
        `in ${(baseline.wallMs / 1000).toFixed(2)} s`,
    )
    surge = await load(appOrigin, surgePlan.map(submitRequest))
    progress(
      `${label}: deadline surge, ${surgePlan.length} submissions (${retries} retries) over ${options.connections} ` +
        `connections in ${(surge.wallMs / 1000).toFixed(2)} s`,
    )
    baselineRows = Number(
      (await database.pool.query<{ n: number }>('SELECT count(*) AS n FROM bench_surge_inserts')).rows[0]?.n,
    )
  } finally {
    await app.close()
    await bare.close()
  }

  const proof = await countSubmissions(database, teachers)
  const surgeTally = tally(surge)
  const result = measured(
    'POST …/submit, createApp',
    `POST /api/v1/applications/:id/submit on createApp listening on the loopback interface, ${engineLabel}: ` +
      `${surgeTeachers.length} teachers each with their own API token and Idempotency-Key, ${retries} retries, ` +
      `${options.connections} connections`,
    surge,
  )
  result.metrics.lost = proof.lost
  result.metrics.duplicated = proof.duplicated
  result.detail = {
    ...result.detail,
    teachers: surgeTeachers.length,
    retries,
    warmup_requests: warmupPlan.length,
    count: proof,
  }
  const baselineMeasured = measured(
    'bare Fastify, one INSERT',
    `POST /bare/:id/submit on a bare Fastify instance doing one single-row INSERT through the same Kysely and ` +
      `pg.Pool, the same ${surgePlan.length} requests (headers and all) over ${options.connections} connections`,
    baseline,
  )
  baselineMeasured.detail = { ...baselineMeasured.detail, rows_inserted_with_warmup: baselineRows }
  progress(
    `${label}: ${surgeTally.ok}/${surgeTally.requests} answered 2xx (${surgeTally.replayed} replayed); ` +
      `${proof.submitted}/${proof.expected} submitted, lost ${proof.lost}, duplicated ${proof.duplicated}`,
  )

  const problems: string[] = []
  if (proof.lost !== 0) problems.push(`${proof.lost} lost`)
  if (proof.duplicated !== 0) problems.push(`${proof.duplicated} duplicated`)
  if (proof.audit_rows !== proof.submitted) problems.push(`${proof.audit_rows} audit rows`)
  if (proof.emails_queued !== proof.submitted) problems.push(`${proof.emails_queued} confirmation emails`)
  if (proof.wrong_key !== 0) problems.push(`${proof.wrong_key} stored with another Idempotency-Key`)
  if (problems.length > 0) {
    throw new Error(
      `Deadline surge on ${label}: ${proof.submitted} of ${proof.expected} applications submitted; ${problems.join(', ')}`,
    )
  }

  return [
    figure({
      id: `http.deadline-surge.${engine}`,
      section: 'http',
      title: 'Deadline surge: POST /api/v1/applications/:id/submit',
      engine,
      result,
      baselines: [baselineMeasured],
      explanation:
        `${surgeTeachers.length} endorsed teachers submit at once through autocannon over ${options.connections} ` +
        `connections, ${retries} requests retrying an earlier teacher's with the same Idempotency-Key, after a ` +
        `warm-up of ${warmupPlan.length}: ${surgeTally.ok} of ${surgeTally.requests} answered 2xx, ` +
        `${surgeTally.replayed} of them as replays. Counted afterwards in ` +
        `the database: ${proof.submitted} of ${proof.expected} submitted (warm-up included), ${proof.lost} lost, ` +
        `${proof.duplicated} duplicated. Ratio = ÷ bare single-INSERT endpoint.`,
    }),
  ]
}

export async function benchSurgePglite(options: SurgeBenchOptions): Promise<Figure[]> {
  const database = await openDatabase({ dataDir: 'memory://' })
  try {
    return await benchSurge('pglite', 'in-memory PGlite', database, options)
  } finally {
    await database.close()
  }
}

export async function benchSurgePostgres(adminUrl: string, options: SurgeBenchOptions): Promise<Figure[]> {
  const scratch = await createScratchDatabase(adminUrl)
  try {
    // The pool the service itself opens on PostgreSQL (its default size).
    const database = await openDatabase({ databaseUrl: scratch.url })
    try {
      return await benchSurge('postgres', 'PostgreSQL', database, options)
    } finally {
      await database.close()
    }
  } finally {
    await scratch.drop()
  }
}
