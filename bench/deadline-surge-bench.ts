// Figure 4: the deadline surge. Many teachers submit their applications at once through
// POST /api/v1/applications/:id/submit on the real app, some retrying with the same Idempotency-Key,
// beside a bare Fastify endpoint doing one single-row INSERT over the same pool, hit the same way in
// the same run. Afterwards the database is counted: no submission lost, none made twice.
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { createApp } from '../src/app.ts'
import { openDatabase, type Database } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { loadDemo } from '../src/db/seeds/demo.ts'
import { fixedClock } from '../src/lib/clock.ts'
import {
  addTeachers,
  countSubmissions,
  endorsedTemplate,
  type Teacher,
} from '../test/chaos/surge-teachers.ts'
import { figure, progress, type Figure, type Measured } from './figures.ts'
import { createScratchDatabase } from './scratch-pg.ts'
import { seededRandom, summarize } from './stats.ts'
import { fireSurge, type PlannedRequest, type SurgeLoadResult } from './surge-load.ts'

/** Inside the window of the demo's open cohort, which closes at 5pm on 21 January 2027 (as test/app.ts). */
const NOW = '2026-11-22T10:00:00Z'
const BASE_URL = 'http://localhost:3000'
const REPLY_TIMEOUT_S = 120

export interface SurgeBenchOptions {
  /** Teachers in the measured surge, each submitting once (plus the retries). */
  teachers: number
  /** autocannon connections: teachers submitting at the same moment. */
  connections: number
  /** The share of requests that repeat an earlier teacher's request with the same Idempotency-Key. */
  retryShare: number
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
