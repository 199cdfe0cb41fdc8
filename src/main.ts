// The command line: masteryhub serve | demo | migrate | import-schools | import-hubs | add-admin |
// export | import-dump | help
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { finished } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { createApp, PUBLIC_DIR } from './app.ts'
import { loadConfig, type Config } from './config.ts'
import { useBankHolidayChanges } from './lib/working-days.ts'
import { openDatabase, type Database } from './db/database.ts'
import { exportDump, importDump } from './db/dump.ts'
import { migrate } from './db/migrate.ts'
import { loadDemo } from './db/seeds/demo.ts'
import { importHubs } from './domain/hubs/import-hubs.ts'
import type { ImportResult } from './domain/imports/run-import.ts'
import { importSchoolLinks } from './domain/schools/import-school-links.ts'
import { importSchools } from './domain/schools/import-schools.ts'
import { DomainError, ValidationError } from './errors.ts'
import { grantRole } from './domain/people/grant-role.ts'
import { createSmtpMailer } from './jobs/mailer.ts'
import { createOutboxWorker } from './jobs/outbox-worker.ts'
import { createScheduler } from './jobs/scheduler.ts'
import { demoClock, systemClock, type Clock } from './lib/clock.ts'

const HELP = `Mastery Hub: the service that runs England's Maths Hubs teaching-for-mastery programmes.

Usage: masteryhub <command> [options]

Commands:
  demo                          migrate, load the demo data (fictional) if the register is empty, and serve
  serve                         migrate and serve, without demo data
  migrate                       apply database migrations
  import-schools FILE           import a GIAS establishments CSV (UTF-8 or Windows-1252)
      --links FILE              also import a GIAS establishment links CSV
      --partial                 do not mark schools missing from FILE as closed
  import-hubs FILE              import hub areas from a CSV with columns hub_name,la_code
  add-admin EMAIL NAME          make a person a national administrator (the first one, say)
  export FILE                   write all data to FILE as newline-delimited JSON (a backup)
  import-dump FILE              restore a backup made by export into a new, empty database
  help                          show this help

Options:
  --data-dir DIR                folder for the embedded database (default ./data, or DATA_DIR)
  --port N                      port to listen on (default 3000, or PORT)

With DATABASE_URL set, Mastery Hub uses that PostgreSQL database instead of the embedded one.`

const OPTIONS = {
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  links: { type: 'string' },
  partial: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

function overrides(values: { 'data-dir'?: string | undefined; port?: string | undefined }): Partial<Config> {
  const result: Partial<Config> = {}
  if (values['data-dir']) result.dataDir = path.resolve(values['data-dir'])
  if (values.port !== undefined) {
    const port = Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a whole number')
    result.port = port
  }
  return result
}

async function open(config: Config): Promise<Database> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  await migrate(database.db)
  return database
}

/** A one-line progress bar on a terminal; silent when output is not a terminal. */
function progressBar(label: string) {
  let last = 0
  return (done: number, total: number) => {
    if (!process.stderr.isTTY) return
    const now = Date.now()
    if (done < total && now - last < 100) return
    last = now
    const width = 30
    const filled = total === 0 ? width : Math.round((done / total) * width)
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100)
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ` +
        `${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows`,
    )
    if (done >= total) process.stderr.write('\n')
  }
}

function report(label: string, result: ImportResult): void {
  const n = (value: number) => value.toLocaleString('en-GB')
  console.log(
    `${label}: ${n(result.rowsRead)} rows read, ${n(result.inserted)} inserted, ${n(result.updated)} updated, ` +
      `${n(result.unchanged)} unchanged, ${n(result.closed)} closed, ${n(result.rejected)} rejected ` +
      `(${result.encoding}; import run ${result.runId})`,
  )
  if (result.message) console.log(`  ${result.message}`)
  for (const problem of result.problems.slice(0, 20)) {
    console.log(`  line ${problem.line}${problem.field ? ` (${problem.field})` : ''}: ${problem.message}`)
  }
  if (result.problems.length > 20) console.log(`  … and ${n(result.problems.length - 20)} more problems`)
}

function ensureAssets(): void {
  if (fs.existsSync(path.join(PUBLIC_DIR, 'assets', 'app.css'))) return
  execFileSync(process.execPath, [path.join(PUBLIC_DIR, '..', 'scripts', 'build-assets.js')], {
    stdio: 'inherit',
  })
}

/** What to say when the port cannot be listened on: one line, with what to do; undefined for other errors. */
function portRefusal(error: unknown, port: number): UsageError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'EADDRINUSE') {
    return new UsageError(`Port ${port} is already in use. Stop the other process or set PORT (or --port).`)
  }
  if (code === 'EACCES') {
    return new UsageError(
      `Port ${port} cannot be listened on by this user (ports below 1024 need extra rights). Set PORT (or --port).`,
    )
  }
  if (code === 'EADDRNOTAVAIL') {
    return new UsageError(
      `HOST is not an address of this machine, so port ${port} cannot be listened on. Set HOST.`,
    )
  }
  return undefined
}

/**
 * Refuses a port another process holds before anything is opened, so a second `serve` on one port
 * says so at once instead of migrating a database first. The real listen still checks (a race).
 */
async function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', (error) => reject(portRefusal(error, port) ?? error))
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()))
  })
}

async function serve(config: Config, options: { demo: boolean }): Promise<void> {
  await checkPortFree(config.port, config.host)
  ensureAssets()
  const database = await open(config)
  // The demo runs on a clock its demo-time control can move; `serve` always on the system clock.
  const demoTime = options.demo ? demoClock() : undefined
  const clock: Clock = demoTime ?? systemClock
  if (options.demo) {
    const loaded = await loadDemo(database.db, clock, { applications: true, baseUrl: config.baseUrl })
    if (!loaded) console.log('The register already holds data, so the demo data was not loaded.')
  }
  // After a jump of demo time, whatever is then due runs at once (the scheduler is made below).
  const runDueWork = async () => {
    await scheduler.runOnce()
    await worker?.runOnce()
  }
  const app = await createApp({
    database,
    config,
    clock,
    demo: options.demo,
    demoTime: demoTime && { clock: demoTime, runDueWork },
  })
  // Listening comes before any job starts, so a port taken since the check closes everything cleanly.
  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (error) {
    await app.close()
    await database.close()
    throw portRefusal(error, config.port) ?? error
  }
  // Email goes out through the outbox worker when SMTP is configured; otherwise it waits in the
  // outbox (and the demo lists it).
  const mailer = config.smtp ? createSmtpMailer({ ...config.smtp, from: config.emailFrom }) : undefined
  const worker = mailer
    ? createOutboxWorker({
        db: database.db,
        mailer,
        clock,
        log: app.log,
        leaseMs: config.outboxLeaseMs,
      })
    : undefined
  worker?.start(1000)
  // Reminders and other scheduled work run whether or not email can go out yet.
  const scheduler = createScheduler({
    db: database.db,
    clock,
    baseUrl: config.baseUrl,
    log: app.log,
    retentionMonths: config.retentionUnsuccessfulMonths,
  })
  scheduler.start(60_000)
  if (!mailer && !options.demo) app.log.warn('SMTP_HOST is not set: emails wait in the outbox until it is')
  // Anonymous forms are signed with CSRF_SECRET; without it each process signs with a key of its
  // own, so behind a load balancer a form shown by one process is refused by another.
  if (database.engine === 'postgres' && !config.session.csrfSecret) {
    app.log.warn(
      'CSRF_SECRET is not set: this process signs anonymous forms with a key of its own. ' +
        'Set CSRF_SECRET, the same in every process, when more than one process serves this database',
    )
  }
  const shutdown = async () => {
    await scheduler.stop()
    await worker?.stop()
    mailer?.close()
    await app.close()
    await database.close()
    process.exit(0)
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  console.log(
    `Mastery Hub is running at http://localhost:${port}${options.demo ? ' with demo data' : ''} ` +
      `(${database.engine === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
  )
}

export async function main(argv: string[]): Promise<void> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true })
    const [command = 'help', ...rest] = positionals
    if (values.help || command === 'help') {
      console.log(HELP)
      return
    }
    const config = loadConfig(process.env, overrides(values))
    useBankHolidayChanges(config.bankHolidays)
    switch (command) {
      case 'serve':
        return await serve(config, { demo: false })
      case 'demo':
        return await serve(config, { demo: true })
      case 'migrate': {
        const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
        const applied = await migrate(database.db)
        await database.close()
        console.log(applied.length > 0 ? `Applied ${applied.join(', ')}` : 'The database is up to date')
        return
      }
      case 'import-schools': {
        const file = rest[0]
        if (!file)
          throw new UsageError('import-schools needs a FILE: masteryhub import-schools FILE [--links FILE]')
        const database = await open(config)
        try {
          const result = await importSchools(database.db, systemClock, {
            fileName: path.basename(file),
            bytes: fs.readFileSync(file),
            mode: values.partial ? 'partial' : 'full',
            onProgress: progressBar('Schools'),
          })
          report('Schools', result)
          if (values.links) {
            const links = await importSchoolLinks(database.db, systemClock, {
              fileName: path.basename(values.links),
              bytes: fs.readFileSync(values.links),
              onProgress: progressBar('Links'),
            })
            report('Links', links)
          }
        } finally {
          await database.close()
        }
        return
      }
      case 'import-hubs': {
        const file = rest[0]
        if (!file) throw new UsageError('import-hubs needs a FILE: masteryhub import-hubs FILE')
        const database = await open(config)
        try {
          report(
            'Hubs',
            await importHubs(database.db, systemClock, {
              fileName: path.basename(file),
              bytes: fs.readFileSync(file),
            }),
          )
        } finally {
          await database.close()
        }
        return
      }
      case 'add-admin': {
        const [email, ...nameParts] = rest
        if (!email || nameParts.length === 0) throw new UsageError('add-admin needs an EMAIL and a NAME')
        const database = await open(config)
        try {
          // The command line stands in for a national administrator; the audit trail says so.
          const actor = {
            kind: 'person' as const,
            personId: 0,
            name: 'Command line',
            email: '',
            grants: [
              { id: 0, role: 'national-admin' as const, hubId: null, cohortId: null, schoolUrn: null },
            ],
            via: 'command-line' as const,
          }
          const { personId } = await grantRole(
            { db: database.db, actor, clock: systemClock, baseUrl: config.baseUrl },
            { email, name: nameParts.join(' '), role: 'national-admin' },
          )
          console.log(`${email} is now a national administrator (person ${personId})`)
        } finally {
          await database.close()
        }
        return
      }
      case 'export': {
        const file = rest[0]
        if (!file) throw new UsageError('export needs a FILE: masteryhub export FILE')
        const database = await open(config)
        // Written beside FILE first, so a failed export never leaves a half file under its name.
        const partial = `${file}.partial`
        try {
          const out = fs.createWriteStream(partial)
          try {
            const summary = await exportDump(database.db, out, systemClock)
            out.end()
            await finished(out)
            fs.renameSync(partial, file)
            console.log(
              `Exported ${summary.rows.toLocaleString('en-GB')} rows from ${summary.tables} tables to ${file}`,
            )
          } catch (error) {
            out.destroy()
            fs.rmSync(partial, { force: true })
            throw error
          }
        } finally {
          await database.close()
        }
        return
      }
      case 'import-dump': {
        const file = rest[0]
        if (!file) throw new UsageError('import-dump needs a FILE: masteryhub import-dump FILE')
        fs.accessSync(file, fs.constants.R_OK)
        const database = await open(config)
        try {
          const summary = await importDump(database.db, fs.createReadStream(file))
          console.log(
            `Restored ${summary.rows.toLocaleString('en-GB')} rows into ${summary.tables} tables from ${file}`,
          )
        } finally {
          await database.close()
        }
        return
      }
      default:
        throw new UsageError(`Unknown command "${command}". Run "masteryhub help" for the commands.`)
    }
  } catch (error) {
    if (error instanceof ValidationError) {
      console.error(error.errors.map((e) => `${e.field}: ${e.message}`).join('\n'))
    } else if (error instanceof DomainError || error instanceof UsageError) {
      console.error(error.message)
    } else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error(`Cannot read ${(error as NodeJS.ErrnoException).path}: no such file`)
    } else if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`${(error as Error).message}. Run "masteryhub help" for the options.`)
    } else {
      console.error(error)
    }
    process.exitCode = 1
  }
}

class UsageError extends Error {}
