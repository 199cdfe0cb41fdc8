// A worker process killed between the commit of its messages and the sending of them all:
// once a worker runs again, every message arrives exactly once and every row is marked sent.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { outboxCounts, queueEmail } from '../src/domain/email/outbox.repository.ts'
import { TEST_DATABASE_URL } from './database.ts'
import { createScratchDatabase } from './scratch-database.ts'
import { startSmtpSink } from './smtp-sink.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const WORKER = fileURLToPath(new URL('./fixtures/outbox-worker-process.ts', import.meta.url))
const MESSAGES = 30
const ACCEPTED_BEFORE_CRASH = 10

const cleanups: (() => Promise<void> | void)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

interface Target {
  open(): Promise<Database>
  env: Record<string, string>
}

function startWorker(target: Target, smtpPort: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      DATA_DIR: '',
      ...target.env,
      SMTP_PORT: String(smtpPort),
      OUTBOX_BATCH_SIZE: '5',
      OUTBOX_LEASE_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })),
  )
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { child, exited }
}

async function runCrashScenario(target: Target): Promise<void> {
  // Commit the messages, then let go of the database (a PGlite folder allows one process).
  let database = await target.open()
  await migrate(database.db)
  await database.db.transaction().execute(async (tx) => {
    for (let i = 0; i < MESSAGES; i++) {
      await queueEmail(tx, {
        template: 'api-token-created',
        to: `teacher${i}@school.example`,
        data: { name: `Teacher ${i}`, tokenName: `Token ${i}` },
      })
    }
  })
  const queued = await database.db.selectFrom('outbox').select('message_id').orderBy('id').execute()
  const messageIds = queued.map((r) => r.message_id)
  expect(messageIds).toHaveLength(MESSAGES)
  await database.close()

  // The server holds each message 50 ms before saying 250; the first worker is killed while the
  // server holds the message after the tenth, so that message never reached the worker as sent.
  const crashing: { child?: ChildProcess } = {}
  let droppedId: string | undefined
  const sink = await startSmtpSink({
    acceptDelayMs: 50,
    onHeld(held) {
      if (crashing.child && droppedId === undefined && sink.received.length >= ACCEPTED_BEFORE_CRASH) {
        droppedId = held.messageId
        crashing.child.kill('SIGKILL')
        held.drop()
      }
    },
  })
  cleanups.push(() => sink.close())

  const first = startWorker(target, sink.port)
  crashing.child = first.child
  const crash = await first.exited
  expect(crash.signal, crash.output).toBe('SIGKILL')
  expect(sink.received).toHaveLength(ACCEPTED_BEFORE_CRASH)
  expect(messageIds).toContain(droppedId)

  // Everything the server accepted was marked sent before the next message was begun.
  database = await target.open()
  expect(await outboxCounts(database.db)).toEqual({
    pending: MESSAGES - ACCEPTED_BEFORE_CRASH,
    sent: ACCEPTED_BEFORE_CRASH,
    failed: 0,
  })
  const held = await database.db
    .selectFrom('outbox')
    .select(['status', 'attempts', 'locked_until'])
    .where('message_id', '=', droppedId!)
    .executeTakeFirstOrThrow()
  expect(held).toMatchObject({ status: 'pending', attempts: 1 })
  expect(held.locked_until).not.toBeNull()
  await database.close()

  // A new worker waits for the dead one's claims to run out, then sends the rest.
  const second = startWorker(target, sink.port)
  const finish = await second.exited
  expect(finish.code, finish.output).toBe(0)

  const counts = sink.receivedCounts()
  expect([...counts.keys()].sort()).toEqual([...messageIds].sort())
  expect([...counts.values()].every((n) => n === 1)).toBe(true)
  expect(sink.received).toHaveLength(MESSAGES)

  database = await target.open()
  expect(await outboxCounts(database.db)).toEqual({ pending: 0, sent: MESSAGES, failed: 0 })
  const retried = await database.db
    .selectFrom('outbox')
    .select(['status', 'attempts'])
    .where('message_id', '=', droppedId!)
    .executeTakeFirstOrThrow()
  expect(retried).toEqual({ status: 'sent', attempts: 2 })
  await database.close()
}

// Two worker processes started through tsx, one killed and one run to the end: on a busy two-core
// machine that is more than the suite's default minute.
const CRASH_TIMEOUT_MS = 240_000

describe('a worker process killed part way through the outbox', () => {
  it(
    'on PGlite: every message is sent exactly once after a restart',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masteryhub-outbox-'))
      cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }))
      await runCrashScenario({ open: () => openDatabase({ dataDir }), env: { DATA_DIR: dataDir } })
    },
    CRASH_TIMEOUT_MS,
  )

  it.skipIf(!TEST_DATABASE_URL)(
    'on PostgreSQL: every message is sent exactly once after a restart',
    async () => {
      const scratch = await createScratchDatabase(TEST_DATABASE_URL!)
      cleanups.push(() => scratch.drop())
      await runCrashScenario({
        open: () => openDatabase({ databaseUrl: scratch.url, poolSize: 2 }),
        env: { DATABASE_URL: scratch.url },
      })
    },
    CRASH_TIMEOUT_MS,
  )
})
