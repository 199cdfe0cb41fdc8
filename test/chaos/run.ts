// The crash test (`npm run test:chaos`): real `masteryhub serve` processes take a deadline surge of
// submissions, one is killed with SIGKILL mid-surge and started again, and afterwards the database
// and a real SMTP server are counted. Every acknowledged submission must exist exactly once, none
// that was refused may exist, and each receipt email must have arrived exactly once.
//
// On PostgreSQL (TEST_DATABASE_URL, or the local server): three processes on one scratch database.
// On PGlite: one process on a data folder, killed and started again on the same folder.
// `npm run test:chaos -- pglite` (or postgres) runs one engine. Exits 1 when any check fails.
import { assertSupportedNode } from '../../scripts/node-version.js'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { migrate } from '../../src/db/migrate.ts'
import { loadDemo } from '../../src/db/seeds/demo.ts'
import { systemClock } from '../../src/lib/clock.ts'
import { createScratchDatabase, type ScratchDatabase } from '../scratch-database.ts'
import { startSmtpSink, type SmtpSink } from '../smtp-sink.ts'
import { proveOutcome, type Proof } from './proof.ts'
import { freePort, serveProcess, type ServeProcess } from './serve-process.ts'
import { runSurge, type PlannedSubmission } from './surge-client.ts'
import { addTeachers, countSubmissions, endorsedTemplate, type Teacher } from './surge-teachers.ts'

assertSupportedNode()

type Engine = 'postgres' | 'pglite'

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
/** Teachers with endorsed applications submitting with their own token: these must succeed. */
const VALID = 300
/** Teachers whose headteacher has not endorsed the application: refused with 422. */
const UNENDORSED = 30
/** Endorsed applications submitted with another teacher's token: refused with 404. */
const FOREIGN_TOKEN = 30
const CONCURRENCY = 30
/** The kill comes while at least this many requests are under way to the process. */
const KILL_AMONG_IN_FLIGHT = 3
/** The surge lasts at least this long, so the killed process is back before it ends. */
const SURGE_MINIMUM_MS = 25_000
/** A client's attempts at one submission, with waits of 0.25, 0.5, 1, 2, then 4 seconds between. */
const ATTEMPTS = 12
/** Short, so a dead process's claimed messages are sent by another within seconds. */
const OUTBOX_LEASE_MS = 5000
/**
 * How long the outbox may take to empty once the surge is over. Each email is its own SMTP
 * connection, and the test server waits 100 ms before greeting each one, so one process sends
 * about nine a second: a single PGlite process needs about a minute for the surge's 600.
 */
const DRAIN_TIMEOUT_MS = 180_000
/** The wait between the killed process going and its restart. */
const RESTART_PAUSE_MS = 500

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const started = performance.now()
const log = (message: string) =>
  console.log(`[${seconds(performance.now() - started).padStart(7)}] ${message}`)

/** Everything started, so a failure or an interruption can stop it. */
const children = new Set<ServeProcess>()
process.on('exit', () => {
  for (const child of children) {
    const pid = child.pid()
    try {
      if (pid !== undefined) process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})
process.once('SIGINT', () => process.exit(130))

interface Seeded {
  plan: PlannedSubmission[]
  valid: Teacher[]
}

/**
 * The demo register, one endorsed application made through the use-cases, and its copies for every
 * teacher; the unendorsed group's copies are put back to waiting for the headteacher.
 */
async function seed(database: Database): Promise<Seeded> {
  await migrate(database.db)
  await loadDemo(database.db, systemClock)
  const templateId = await endorsedTemplate(database, systemClock)
  const teachers = await addTeachers(
    database,
    templateId,
    VALID + UNENDORSED + FOREIGN_TOKEN,
    systemClock.now(),
  )
  const valid = teachers.slice(0, VALID)
  const unendorsed = teachers.slice(VALID, VALID + UNENDORSED)
  const foreign = teachers.slice(VALID + UNENDORSED)
  const unendorsedIds = unendorsed.map((t) => t.applicationId)
  await database.pool.query(
    `UPDATE applications SET state = 'awaiting-endorsement', endorsed_at = NULL WHERE id = ANY($1::bigint[])`,
    [unendorsedIds],
  )
  await database.pool.query(
    `DELETE FROM application_history WHERE event = 'endorse' AND application_id = ANY($1::bigint[])`,
    [unendorsedIds],
  )
  const own = (kind: PlannedSubmission['kind']) => (t: Teacher) => ({
    kind,
    applicationId: t.applicationId,
    token: t.token,
    idempotencyKey: t.idempotencyKey,
  })
  const notEndorsed = unendorsed.map(own('unendorsed'))
  // Each endorsed, complete application is sent with the next teacher's token: only the owner may submit.
  const otherToken = foreign.map((t, i) => ({
    ...own('foreign-token')(t),
    token: foreign[(i + 1) % foreign.length]!.token,
  }))
  const refusals = notEndorsed.flatMap((s, i) => (otherToken[i] ? [s, otherToken[i]] : [s]))
  refusals.push(...otherToken.slice(notEndorsed.length))
  // The refusals spread evenly among the valid submissions.
  const every = Math.max(1, Math.floor(VALID / Math.max(1, refusals.length)))
  const plan: PlannedSubmission[] = []
  for (const [i, submission] of valid.map(own('valid')).entries()) {
    plan.push(submission)
    if ((i + 1) % every === 0 && refusals.length > 0) plan.push(refusals.shift()!)
  }
  plan.push(...refusals)
  return { plan, valid }
}

interface KillRecord {
  acknowledgedAtKill: number
  inFlightAtKill: number
  killedAt: number
  /** From the SIGKILL to the restarted process answering /healthz. */
  backInMs: number
  restartedAt: number
  staleLock: string | undefined
  /** Messages the SMTP server had accepted when the killed process was gone. */
  receivedAtKill: number
}

interface EngineRun {
  engine: Engine
  processes: number
  proof: Proof
  kill: KillRecord | undefined
  acknowledgedAfterRestart: number
  surgeMs: number
  drainMs: number
  checks: { label: string; ok: boolean }[]
}

async function runEngine(engine: Engine): Promise<EngineRun> {
  const label = engine === 'postgres' ? 'PostgreSQL' : 'PGlite'
  const cleanups: (() => Promise<void> | void)[] = []
  try {
    // The database, seeded before any app process starts.
    let scratch: ScratchDatabase | undefined
    let dataDir: string | undefined
    let database: Database | undefined
    if (engine === 'postgres') {
      scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL)
      cleanups.push(() => scratch!.drop())
      database = await openDatabase({ databaseUrl: scratch.url, poolSize: 2 })
    } else {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masteryhub-chaos-'))
      cleanups.push(() => fs.rmSync(dataDir!, { recursive: true, force: true }))
      database = await openDatabase({ dataDir })
    }
    cleanups.push(() => database?.close())
    const { plan, valid } = await seed(database)
    log(
      `${label}: ${plan.length} teachers seeded (${VALID} endorsed, ${UNENDORSED} not endorsed, ${FOREIGN_TOKEN} sent with another teacher's token)`,
    )
    if (engine === 'pglite') {
      // The folder allows one process: the app's.
      await database.close()
      database = undefined
    }

    const sink = await startSmtpSink()
    cleanups.push(() => sink.close())
    const count = engine === 'postgres' ? 3 : 1
    const env: Record<string, string> = {
      DATABASE_URL: scratch?.url ?? '',
      DATA_DIR: dataDir ?? '',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      SMTP_SECURE: 'false',
      OUTBOX_LEASE_MS: String(OUTBOX_LEASE_MS),
      LOG_LEVEL: 'warn',
    }
    const processes: ServeProcess[] = []
    for (let i = 0; i < count; i++) {
      const port = await freePort()
      const child = serveProcess({
        name: `process ${i + 1}`,
        port,
        env: { ...env, BASE_URL: `http://localhost:${port}` },
      })
      processes.push(child)
      children.add(child)
      cleanups.push(async () => {
        await child.stop()
        children.delete(child)
      })
    }
    const startTimes = await Promise.all(processes.map((p) => p.start()))
    log(
      `${label}: ${count} serve process${count > 1 ? 'es' : ''} answering (started in ${startTimes.map(seconds).join(', ')})`,
    )

    // The surge, with the kill once a third of the valid submissions are acknowledged.
    const victimIndex = count > 1 ? 1 : 0
    const victim = processes[victimIndex]!
    let kill: KillRecord | undefined
    let killing: Promise<void> | undefined
    const killAndRestart = async (acknowledged: number, inFlight: number) => {
      const killedAt = performance.now()
      await victim.kill()
      const receivedAtKill = sink.received.length
      log(
        `${label}: ${victim.name} killed with SIGKILL after ${acknowledged} acknowledgements, ${plural(inFlight, 'request')} in flight to it`,
      )
      await sleep(RESTART_PAUSE_MS)
      const lockPath = dataDir ? path.join(dataDir, 'masteryhub.lock') : undefined
      const staleLock =
        lockPath && fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8').trim() : undefined
      await victim.start()
      const restartedAt = performance.now()
      kill = {
        acknowledgedAtKill: acknowledged,
        inFlightAtKill: inFlight,
        killedAt,
        backInMs: restartedAt - killedAt,
        restartedAt,
        staleLock,
        receivedAtKill,
      }
      log(
        `${label}: ${victim.name} answering again ${seconds(restartedAt - killedAt)} after the kill` +
          (staleLock ? ` (it took over the lock left by pid ${staleLock})` : ''),
      )
    }
    const surgeStarted = performance.now()
    const results = await runSurge({
      origins: processes.map((p) => p.origin),
      submissions: plan,
      concurrency: CONCURRENCY,
      minimumMs: SURGE_MINIMUM_MS,
      attempts: ATTEMPTS,
      // Killed just after it answers one request of a wave while others of the wave are still under
      // way to it: some of those are mid-transaction, some committed but not yet answered.
      onProgress: ({ event, target, acknowledged, inFlight }) => {
        if (killing || event !== 'answered' || target !== victimIndex) return
        if (acknowledged < Math.floor(VALID / 3) || inFlight[victimIndex]! < KILL_AMONG_IN_FLIGHT) return
        killing = killAndRestart(acknowledged, inFlight[victimIndex]!)
        killing.catch(() => {})
      },
    })
    const surgeMs = performance.now() - surgeStarted
    if (!killing) throw new Error(`${label}: the surge ended before the kill`)
    await killing
    const acknowledgedAfterRestart = results.filter(
      (r) => r.answeredBy === victimIndex && kill && r.answeredAt! > kill.restartedAt,
    ).length
    log(
      `${label}: surge over in ${seconds(surgeMs)}; ${acknowledgedAfterRestart} answers from the restarted process`,
    )

    // Let the outbox empty, then stop every process the way the service stops.
    const drainStarted = performance.now()
    const acknowledgedValid = results.filter((r) => r.outcome === 'acknowledged').length
    await drainOutbox(database, sink, acknowledgedValid * 2)
    const drainMs = performance.now() - drainStarted
    log(`${label}: outbox empty ${seconds(drainMs)} after the surge; ${sink.received.length} emails received`)
    for (const child of processes) await child.stop()
    if (!database) database = await openDatabase({ dataDir: dataDir! })

    const proof = await proveOutcome(database, results, sink, kill?.receivedAtKill)
    const counted = await countSubmissions(database, valid)
    const checks = [
      {
        label: 'killed mid-surge with requests in flight to it',
        ok: kill !== undefined && kill.inFlightAtKill > 0,
      },
      { label: 'the restarted process answered submissions', ok: acknowledgedAfterRestart > 0 },
      {
        label: 'acknowledged and stored exactly once (lost 0, duplicated 0)',
        ok: proof.lost === 0 && proof.duplicated === 0,
      },
      { label: 'none refused is stored', ok: proof.refusedButStored === 0 },
      {
        label: 'refusals as planned (422 not endorsed, 404 another teacher\u2019s token)',
        ok: proof.wrongRefusals === 0 && proof.validRefused === 0,
      },
      { label: 'stored with the request\u2019s own Idempotency-Key', ok: proof.wrongKey === 0 },
      {
        label:
          'each receipt email received exactly once (at most one re-sent, same Message-ID, ' +
          'if its process was killed between the server\u2019s 250 and marking it sent)',
        ok:
          proof.emailsSentOnce + proof.emailsResentAfterKill === proof.receiptsExpected &&
          proof.emailsSentMoreThanOnce === proof.emailsResentAfterKill &&
          proof.emailsResentAfterKill <= (kill ? 1 : 0) &&
          proof.emailsMissing === 0 &&
          proof.outboxPending === 0 &&
          proof.outboxFailed === 0,
      },
      {
        label: 'the surge bench\u2019s count agrees',
        ok:
          counted.submitted === proof.stored &&
          counted.duplicated === 0 &&
          counted.audit_rows === counted.submitted &&
          counted.emails_queued === counted.submitted &&
          counted.wrong_key === 0,
      },
      { label: 'no other problem found', ok: proof.problems.length === 0 },
    ]
    return { engine, processes: count, proof, kill, acknowledgedAfterRestart, surgeMs, drainMs, checks }
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup()
      } catch (error) {
        log(`cleanup: ${(error as Error).message}`)
      }
    }
  }
}

/**
 * Waits until nothing is pending in the outbox. On PostgreSQL the outbox is read directly; a PGlite
 * folder belongs to its one process, so there the SMTP server is watched instead: every
 * acknowledged submission's two emails in, then nothing new for longer than a claim lasts.
 */
async function drainOutbox(database: Database | undefined, sink: SmtpSink, atLeast: number): Promise<void> {
  const deadline = performance.now() + DRAIN_TIMEOUT_MS
  const quietMs = OUTBOX_LEASE_MS + 3000
  let lastCount = -1
  let lastChange = performance.now()
  let lastReport = performance.now()
  while (performance.now() < deadline) {
    if (database) {
      const pending = await database.pool.query<{ n: number }>(
        `SELECT count(*) AS n FROM outbox WHERE status = 'pending'`,
      )
      if (Number(pending.rows[0]?.n) === 0) return
    } else {
      if (sink.received.length !== lastCount) {
        lastCount = sink.received.length
        lastChange = performance.now()
      } else if (lastCount >= atLeast && performance.now() - lastChange > quietMs) {
        return
      }
    }
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now()
      log(`waiting for the outbox: ${sink.received.length} emails received so far`)
    }
    await sleep(250)
  }
  log(`the outbox was still sending ${seconds(DRAIN_TIMEOUT_MS)} after the surge`)
}

function table(run: EngineRun): string {
  const p = run.proof
  const rows: [string, string | number][] = [
    ['app processes', run.processes],
    ['submitted (requests planned)', p.submitted],
    ['acknowledged (2xx)', `${p.acknowledged} (${p.replayed} replayed after a retry)`],
    ['refused (4xx)', p.refused],
    ['gave up (no answer after every attempt)', p.gaveUp],
    ['stored', p.stored],
    ['stored without an acknowledgement', p.storedWithoutAcknowledgement],
    ['duplicated', p.duplicated],
    ['lost', p.lost],
    ['refused but stored', p.refusedButStored],
    ['receipt emails expected', p.receiptsExpected],
    ['emails sent once', p.emailsSentOnce],
    ['emails sent more than once', p.emailsSentMoreThanOnce],
    ['  of which re-sent after the kill (same Message-ID)', p.emailsResentAfterKill],
    ['emails missing', p.emailsMissing],
    [
      'kill moment',
      run.kill
        ? `after ${run.kill.acknowledgedAtKill} acknowledgements, ${plural(run.kill.inFlightAtKill, 'request')} in flight to it`
        : 'no kill',
    ],
    ['restart time (kill to answering)', run.kill ? seconds(run.kill.backInMs) : '-'],
    ['answers from the restarted process', run.acknowledgedAfterRestart],
    ['surge', seconds(run.surgeMs)],
    ['outbox empty after', seconds(run.drainMs)],
  ]
  if (run.kill?.staleLock) rows.push(['stale data-folder lock taken over', `pid ${run.kill.staleLock}`])
  const width = Math.max(...rows.map(([name]) => name.length))
  const lines = rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`)
  for (const check of run.checks) lines.push(`  ${check.ok ? 'PASS' : 'FAIL'}  ${check.label}`)
  for (const note of p.notes) lines.push(`  note: ${note}`)
  for (const problem of p.problems.slice(0, 20)) lines.push(`  problem: ${problem}`)
  if (p.problems.length > 20) lines.push(`  … and ${p.problems.length - 20} more problems`)
  return lines.join('\n')
}

const requested = process.argv.slice(2)
const engines: Engine[] = requested.length > 0 ? (requested as Engine[]) : ['postgres', 'pglite']
for (const engine of engines) {
  if (engine !== 'postgres' && engine !== 'pglite') {
    console.error(`Unknown engine "${engine}": name postgres, pglite or neither (for both)`)
    process.exit(2)
  }
}

const reports: string[] = []
let failed = false
for (const engine of engines) {
  const label = engine === 'postgres' ? 'PostgreSQL' : 'PGlite'
  try {
    const run = await runEngine(engine)
    const ok = run.checks.every((c) => c.ok)
    failed ||= !ok
    reports.push(`Crash test on ${label}: ${ok ? 'passed' : 'FAILED'}\n${table(run)}`)
  } catch (error) {
    failed = true
    reports.push(`Crash test on ${label}: FAILED\n  ${(error as Error).stack ?? String(error)}`)
  }
}
console.log(`\n${reports.join('\n\n')}\n`)
process.exit(failed ? 1 : 0)
