// The Mastery Hub bench: `npm run bench`. Measures, in one run, each figure beside a baseline
// measured in the same run, prints progress to stderr and the Markdown table to stdout, and writes
// bench/results/latest.md and bench/results/latest.json.
//
// BENCH_DATABASE_URL: PostgreSQL server to create scratch databases on (default
// postgres://postgres@127.0.0.1:5432/postgres); the PostgreSQL figures are skipped if it cannot connect.
// BENCH_QUICK=1: fewer runs and queries, for trying the bench out.
// `node --import tsx bench/run.ts allocation`: the Work Group allocation figures alone, put in place
// of those in bench/results/latest.json and latest.md (the other figures are kept as they were).
import { assertSupportedNode } from '../scripts/node-version.js'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { allocationDataAvailable } from '../test/allocation-register.ts'
import { GIAS_LINKS, GIAS_OPEN, GIAS_STATE_FUNDED, HUB_AREAS } from '../test/shared-data.ts'
import { benchAllocation } from './allocation-bench.ts'
import { benchColdStart, killChildren } from './cold-start-bench.ts'
import { benchSurgePglite, benchSurgePostgres } from './deadline-surge-bench.ts'
import { progress, type Figure } from './figures.ts'
import { benchImportPglite, benchImportPostgres, type DataFile, type RegisterFiles } from './import-bench.ts'
import { writeReport, type BenchReport, type Environment } from './report.ts'
import { dropAllScratchDatabases, benchDatabaseUrl, probePostgres } from './scratch-pg.ts'
import { benchSearch } from './search-bench.ts'

assertSupportedNode()

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(BENCH_DIR, '..')
const QUICK = process.env.BENCH_QUICK === '1'
const ONLY = process.argv[2]
if (ONLY !== undefined && ONLY !== 'allocation') throw new Error(`Unknown bench "${ONLY}": try "allocation"`)

const SETTINGS = QUICK
  ? {
      import: { freshRuns: 1, baselineRuns: 1 },
      search: { warmupPasses: 1, passes: 2, httpPasses: 1 },
      coldStart: { freshRuns: 1, warmRunsPerFolder: 1, baselineRuns: 3 },
      surge: { teachers: 600, connections: 200, retryShare: 0.05 },
    }
  : {
      import: { freshRuns: 3, baselineRuns: 5 },
      search: { warmupPasses: 1, passes: 12, httpPasses: 8 },
      coldStart: { freshRuns: 3, warmRunsPerFolder: 2, baselineRuns: 9 },
      surge: { teachers: 2000, connections: 200, retryShare: 0.05 },
    }

function readDataFile(file: string): DataFile {
  return { fileName: path.basename(file), bytes: fs.readFileSync(file) }
}

function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { version?: string }
    return pkg.version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

async function cleanUp(): Promise<void> {
  killChildren()
  await dropAllScratchDatabases()
}

let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (interrupted) return
    interrupted = true
    progress(`${signal}: stopping children and dropping scratch databases`)
    void cleanUp().finally(() => process.exit(130))
  })
}

const ALLOCATION_NOTE =
  'Allocation: each problem is built from the real register (test/allocation-register.ts): the state-funded ' +
  "schools of one phase in the hubs' local authorities, straight-line travel from Easting/Northing, groups of 6, " +
  "as few groups as the capacities allow; the candidate hosts stand for the Mastery Specialists' schools (twice as " +
  'many as the groups, the schools with most pupils) except where the row says every school may host. The greedy ' +
  'plan is made inside the same solveAllocation call. Every plan is checked by checkPlan; the bound and gap hold ' +
  'over every host (docs/adr/0024-work-group-allocation.md). HiGHS runs in WebAssembly on one thread.'

async function allocationFigures(): Promise<Figure[]> {
  if (!allocationDataAvailable()) {
    progress('real register not found: skipping allocation')
    return []
  }
  progress('Work Group allocation')
  return benchAllocation()
}

/** The allocation figures alone, in place of the last run's (the rest of that run is kept). */
async function mainAllocationOnly(): Promise<void> {
  const started = performance.now()
  const file = path.join(BENCH_DIR, 'results', 'latest.json')
  const previous = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as BenchReport)
    : undefined
  const figures = await allocationFigures()
  const kept = previous?.figures.filter((f) => f.section !== 'allocation') ?? []
  const notes = (previous?.notes ?? []).filter((n) => !n.startsWith('Allocation'))
  const report: BenchReport = {
    generated_at: previous?.generated_at ?? new Date().toISOString(),
    duration_s: previous?.duration_s ?? (performance.now() - started) / 1000,
    quick: previous?.quick ?? QUICK,
    environment: previous?.environment ?? {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: os.availableParallelism(),
      cpu_model: os.cpus()[0]?.model.trim() ?? 'unknown',
      memory_gb: Math.round(os.totalmem() / 2 ** 30),
      engines: { pglite: { skipped: 'not run' }, postgres: { skipped: 'not run' } },
    },
    figures: [...kept, ...figures],
    notes: [
      ...notes,
      `${ALLOCATION_NOTE} These allocation figures were measured on their own (bench/run.ts allocation) at ` +
        `${new Date().toISOString()}, in ${((performance.now() - started) / 1000).toFixed(0)} s; the others are from ` +
        'the full run dated above.',
    ],
  }
  const { markdown } = writeReport(path.join(BENCH_DIR, 'results'), report)
  progress('wrote the allocation figures into bench/results/latest.md and bench/results/latest.json')
  process.stdout.write(markdown)
}

async function main(): Promise<void> {
  if (ONLY === 'allocation') return mainAllocationOnly()
  const started = performance.now()
  const figures: Figure[] = []
  const notes: string[] = [
    'Percentiles interpolate linearly between ranks of the sorted samples; every time is taken with performance.now().',
    'Search queries are a fixed mix (name fragments, URNs picked at even intervals from the register, old URNs found only ' +
      'through successor links, full postcodes and outward codes from the state-funded extract), shuffled with a fixed seed.',
    "Each import figure is set against the same engine's own COPY of the same file: PGlite COPY FROM '/dev/blob' for PGlite, " +
      'PostgreSQL COPY FROM STDIN for PostgreSQL.',
    "Cold starts run after the rest of the bench, so the operating system's file cache and tsx's transform cache are warm; " +
      'they measure start-up work, not disk reads. One unmeasured bare-server start comes first.',
  ]
  const pglitePackage = packageVersion('@electric-sql/pglite')
  const environment: Environment = {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    cpu_model: os.cpus()[0]?.model.trim() ?? 'unknown',
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    engines: {
      pglite: {
        version: pglitePackage,
        storage:
          'in memory (memory://) for import, search and the deadline surge; a data folder on disk for cold start',
      },
      postgres: { skipped: 'not tried' },
    },
  }

  const haveData = [GIAS_OPEN, GIAS_STATE_FUNDED, GIAS_LINKS, HUB_AREAS].every((file) => fs.existsSync(file))
  let files: RegisterFiles | undefined
  if (haveData) {
    files = {
      open: readDataFile(GIAS_OPEN),
      stateFunded: readDataFile(GIAS_STATE_FUNDED),
      links: readDataFile(GIAS_LINKS),
      hubs: readDataFile(HUB_AREAS),
    }
  } else {
    notes.push(
      'The real GIAS and hub-area files were not found beside the repository, so the import and search figures were skipped.',
    )
    progress('real data files not found: skipping import and search')
  }

  const adminUrl = benchDatabaseUrl()
  const probe = await probePostgres(adminUrl)
  if (probe.ok) {
    environment.engines.postgres = { version: probe.version }
    progress(`PostgreSQL ${probe.version} reachable`)
  } else {
    environment.engines.postgres = { skipped: 'could not connect' }
    // The reason (which names the server) goes to the console only, not into the results files.
    notes.push(
      'PostgreSQL could not be reached, so its figures were skipped; set BENCH_DATABASE_URL to include them.',
    )
    progress(`PostgreSQL not reachable (${probe.reason}): skipping its figures`)
  }

  if (files) {
    progress('PGlite: import and search')
    const pglite = await benchImportPglite(files, SETTINGS.import)
    figures.push(...pglite.figures)
    try {
      figures.push(...(await benchSearch('pglite', 'in-memory PGlite', pglite.database, SETTINGS.search)))
    } finally {
      await pglite.database.close()
    }

    if (probe.ok) {
      progress('PostgreSQL: import and search')
      const postgres = await benchImportPostgres(adminUrl, files, SETTINGS.import)
      figures.push(...postgres.figures)
      try {
        figures.push(...(await benchSearch('postgres', 'PostgreSQL', postgres.database, SETTINGS.search)))
      } finally {
        await postgres.database.close()
        await postgres.scratch?.drop()
      }
      notes.push(
        'The PostgreSQL COPY baseline sends COPY … FROM STDIN through pg-copy-streams; a single ' +
          'INSERT … FROM unnest of the same rows is shown beside it as a second baseline.',
      )
    }
  }

  progress('PGlite: deadline surge')
  figures.push(...(await benchSurgePglite(SETTINGS.surge)))
  if (probe.ok) {
    progress('PostgreSQL: deadline surge')
    figures.push(...(await benchSurgePostgres(adminUrl, SETTINGS.surge)))
  }
  notes.push(
    `The deadline surge loads the demo with the clock fixed at 10am on 22 November 2026, inside the open window of ` +
      `primary-mastery-specialist-13, takes one application to endorsed through the use-cases and copies it in bulk ` +
      `to ${SETTINGS.surge.teachers} more teachers (plus one per connection for a warm-up), each with a teacher grant ` +
      `and an API token. autocannon, in a worker thread, sends each teacher's POST /api/v1/applications/:id/submit ` +
      `exactly once with their own token and Idempotency-Key over ${SETTINGS.surge.connections} keep-alive ` +
      `connections (one request at a time on each); a further ${Math.round(SETTINGS.surge.retryShare * 100)}% of ` +
      "requests repeat an earlier teacher's request with the same key, some while the first is still being answered. " +
      'Throughput is replies ÷ the time from the first request to the last reply; latency runs from writing a request ' +
      'to the end of its reply. The bare endpoint gets the same requests, over the same number of connections, ' +
      "and does one INSERT into a scratch table through the app's Kysely and pg.Pool (PostgreSQL: the service's default " +
      'pool of 10; PGlite: its single connection). Afterwards the database is counted: applications submitted, submit ' +
      'history rows, audit rows and confirmation emails; the bench fails if any submission was lost or made twice.',
  )

  const allocation = await allocationFigures()
  figures.push(...allocation)
  if (allocation.length > 0) notes.push(ALLOCATION_NOTE)

  progress('cold start')
  figures.push(...(await benchColdStart(SETTINGS.coldStart)))

  const report: BenchReport = {
    generated_at: new Date().toISOString(),
    duration_s: (performance.now() - started) / 1000,
    quick: QUICK,
    environment,
    figures,
    notes,
  }
  const { markdown } = writeReport(path.join(BENCH_DIR, 'results'), report)
  progress(`wrote bench/results/latest.md and bench/results/latest.json in ${report.duration_s.toFixed(0)} s`)
  process.stdout.write(markdown)
}

try {
  await main()
} catch (error) {
  process.exitCode = 1
  console.error(error)
} finally {
  await cleanUp()
}
