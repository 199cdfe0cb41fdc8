// Figure 1: importing the real GIAS register, beside a bare COPY of the same rows.
import { PGlite } from '@electric-sql/pglite'
import { parse } from 'csv-parse/sync'
import pg from 'pg'
import { openDatabase, type Database } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { importHubs } from '../src/domain/hubs/import-hubs.ts'
import type { ImportResult } from '../src/domain/imports/run-import.ts'
import { importSchoolLinks } from '../src/domain/schools/import-school-links.ts'
import { importSchools } from '../src/domain/schools/import-schools.ts'
import { systemClock } from '../src/lib/clock.ts'
import { figure, progress, type Figure, type Measured } from './figures.ts'
import { copyFromStdin } from './pg-copy-in.ts'
import { createScratchDatabase, type ScratchDatabase } from './scratch-pg.ts'
import { median } from './stats.ts'

export interface DataFile {
  fileName: string
  bytes: Buffer
}

export interface RegisterFiles {
  open: DataFile
  stateFunded: DataFile
  links: DataFile
  hubs: DataFile
}

export interface ImportBenchOptions {
  /** Fresh imports to time (each into a new, freshly migrated database); the median is reported. */
  freshRuns: number
  /** Timed runs of each baseline, after one untimed warm-up run; the median is reported. */
  baselineRuns: number
}

export interface ImportBenchResult {
  figures: Figure[]
  /** The database the last fresh import went into, now also holding postcodes, links and hubs. */
  database: Database
  scratch?: ScratchDatabase
}

function csvHeader(bytes: Buffer): string[] {
  const firstLine = bytes
    .subarray(0, bytes.indexOf(0x0a))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '')
  const header = (parse(firstLine) as string[][])[0]
  if (!header) throw new Error('The register file has no header line')
  return header
}

function textTable(name: string, header: string[], kind: 'UNLOGGED' | 'TEMPORARY' | ''): string {
  const columns = header.map((h) => `"${h.replace(/"/g, '""')}" text`).join(', ')
  return `CREATE ${kind} TABLE ${name} (${columns})`
}

function rate(rows: number, ms: number): Record<string, number> {
  return { rows_per_s: rows / (ms / 1000), seconds: ms / 1000 }
}

/** Times importSchools (mode full) into a freshly migrated empty database, then a re-import. */
async function timedImports(
  open: () => Promise<{ database: Database; scratch?: ScratchDatabase }>,
  file: DataFile,
  runs: number,
  label: string,
): Promise<{
  fresh: number[]
  reimport: number
  rowsRead: number
  freshResult: ImportResult
  reimportResult: ImportResult
  last: { database: Database; scratch?: ScratchDatabase }
}> {
  const fresh: number[] = []
  let last: { database: Database; scratch?: ScratchDatabase } | undefined
  let freshResult: ImportResult | undefined
  for (let run = 1; run <= runs; run++) {
    if (last) {
      await last.database.close()
      await last.scratch?.drop()
    }
    last = await open()
    await migrate(last.database.db)
    const start = performance.now()
    freshResult = await importSchools(last.database.db, systemClock, {
      fileName: file.fileName,
      bytes: file.bytes,
      mode: 'full',
    })
    const ms = performance.now() - start
    fresh.push(ms)
    progress(
      `${label}: fresh import ${run}/${runs}: ${freshResult.inserted} rows inserted in ${(ms / 1000).toFixed(2)} s`,
    )
  }
  if (!last || !freshResult) throw new Error('No import ran')
  const start = performance.now()
  const reimportResult = await importSchools(last.database.db, systemClock, {
    fileName: file.fileName,
    bytes: file.bytes,
    mode: 'full',
  })
  const reimport = performance.now() - start
  progress(
    `${label}: re-import: ${reimportResult.unchanged} unchanged, ${reimportResult.updated} updated in ${(reimport / 1000).toFixed(2)} s`,
  )
  return { fresh, reimport, rowsRead: freshResult.rowsRead, freshResult, reimportResult, last }
}

/** Adds postcodes and towns (state-funded extract, partial), successor links and hub areas, for search. */
async function loadSearchData(database: Database, files: RegisterFiles, label: string): Promise<void> {
  const start = performance.now()
  // A failed import throws (and records the failed run), so reaching the next line means it succeeded.
  await importSchools(database.db, systemClock, {
    fileName: files.stateFunded.fileName,
    bytes: files.stateFunded.bytes,
    mode: 'partial',
  })
  await importSchoolLinks(database.db, systemClock, files.links)
  await importHubs(database.db, systemClock, files.hubs)
  await database.pool.query('ANALYZE')
  progress(
    `${label}: postcodes, links and hub areas loaded in ${((performance.now() - start) / 1000).toFixed(2)} s`,
  )
}

function importFigures(
  engine: 'pglite' | 'postgres',
  engineLabel: string,
  timed: Awaited<ReturnType<typeof timedImports>>,
  baselines: Measured[],
): Figure[] {
  const freshMs = median(timed.fresh)
  return [
    figure({
      id: `import.fresh.${engine}`,
      section: 'import',
      title: 'Import of the real register (fresh)',
      engine,
      result: {
        short: 'importSchools',
        label: `importSchools, mode full, into an empty ${engineLabel}`,
        unit: 'rows/s',
        metrics: rate(timed.rowsRead, freshMs),
        detail: {
          rows: timed.rowsRead,
          inserted: timed.freshResult.inserted,
          rejected: timed.freshResult.rejected,
          runs_ms: timed.fresh,
        },
      },
      baselines,
      explanation:
        `Full import of the ${timed.rowsRead.toLocaleString('en-GB')}-row GIAS open-establishments file (decode, parse, ` +
        `validate, upsert, record the run) into an empty, freshly migrated database; median of ${timed.fresh.length} ` +
        'run(s). Ratio = import rows/s ÷ COPY rows/s of the same file.',
    }),
    figure({
      id: `import.reimport.${engine}`,
      section: 'import',
      title: 'Re-import of the same file (all unchanged)',
      engine,
      result: {
        short: 'importSchools again',
        label: `importSchools again, same file, ${engineLabel}`,
        unit: 'rows/s',
        metrics: rate(timed.rowsRead, timed.reimport),
        detail: {
          rows: timed.rowsRead,
          unchanged: timed.reimportResult.unchanged,
          updated: timed.reimportResult.updated,
          closed: timed.reimportResult.closed,
          ms: timed.reimport,
        },
      },
      baselines,
      explanation:
        'The same full import again over the populated register: every row compares equal, so nothing is ' +
        'written; one run. Ratio = ÷ the same COPY.',
    }),
  ]
}

export async function benchImportPglite(
  files: RegisterFiles,
  options: ImportBenchOptions,
): Promise<ImportBenchResult> {
  const header = csvHeader(files.open.bytes)
  // Baseline: PGlite's own COPY of the raw CSV into a table of text columns, in a separate instance.
  const copyMs: number[] = []
  let copied = 0
  const pglite = await PGlite.create('memory://')
  try {
    for (let run = 0; run <= options.baselineRuns; run++) {
      await pglite.exec(`DROP TABLE IF EXISTS copy_baseline; ${textTable('copy_baseline', header, '')}`)
      const start = performance.now()
      const result = await pglite.query(
        "COPY copy_baseline FROM '/dev/blob' WITH (FORMAT csv, HEADER true)",
        [],
        {
          blob: new Blob([new Uint8Array(files.open.bytes)]),
        },
      )
      if (run > 0) copyMs.push(performance.now() - start)
      copied = result.affectedRows ?? 0
    }
  } finally {
    await pglite.close()
  }
  progress(`PGlite: COPY baseline ${copied} rows, median ${(median(copyMs) / 1000).toFixed(2)} s`)
  const copyBaseline: Measured = {
    short: 'PGlite COPY of the same CSV into a text table',
    label: "PGlite COPY of the raw CSV (FROM '/dev/blob') into a table of text columns",
    unit: 'rows/s',
    metrics: rate(copied, median(copyMs)),
    detail: { rows: copied, runs_ms: copyMs },
  }

  const timed = await timedImports(
    async () => ({ database: await openDatabase({ dataDir: 'memory://' }) }),
    files.open,
    options.freshRuns,
    'PGlite',
  )
  await loadSearchData(timed.last.database, files, 'PGlite')
  return {
    figures: importFigures('pglite', 'in-memory PGlite (memory://)', timed, [copyBaseline]),
    database: timed.last.database,
  }
}

export async function benchImportPostgres(
  adminUrl: string,
  files: RegisterFiles,
  options: ImportBenchOptions,
): Promise<ImportBenchResult> {
  const header = csvHeader(files.open.bytes)
  const baselineDb = await createScratchDatabase(adminUrl)
  const copyMs: number[] = []
  const unnestMs: number[] = []
  let copied = 0
  let inserted = 0
  const client = new pg.Client({ connectionString: baselineDb.url })
  await client.connect()
  try {
    // Baseline: COPY FROM STDIN of the raw CSV bytes into an unlogged table of text columns.
    for (let run = 0; run <= options.baselineRuns; run++) {
      await client.query('DROP TABLE IF EXISTS copy_baseline')
      await client.query(textTable('copy_baseline', header, 'UNLOGGED'))
      const start = performance.now()
      copied = await copyFromStdin(
        client,
        "COPY copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')",
        files.open.bytes,
      )
      if (run > 0) copyMs.push(performance.now() - start)
    }
    progress(`PostgreSQL: COPY baseline ${copied} rows, median ${(median(copyMs) / 1000).toFixed(2)} s`)
    // Second baseline: parse the CSV in Node, then one INSERT ... SELECT FROM unnest(16 text arrays).
    for (let run = 0; run <= options.baselineRuns; run++) {
      await client.query('DROP TABLE IF EXISTS unnest_baseline')
      await client.query(textTable('unnest_baseline', header, 'UNLOGGED'))
      const start = performance.now()
      const records = parse(files.open.bytes, {
        bom: true,
        from_line: 2,
        relax_column_count: true,
      }) as string[][]
      const arrays = header.map((_, column) => records.map((record) => record[column] ?? null))
      const placeholders = header.map((_, i) => `$${i + 1}::text[]`).join(', ')
      const result = await client.query(
        `INSERT INTO unnest_baseline SELECT * FROM unnest(${placeholders})`,
        arrays,
      )
      if (run > 0) unnestMs.push(performance.now() - start)
      inserted = result.rowCount ?? 0
    }
    progress(
      `PostgreSQL: unnest INSERT baseline ${inserted} rows, median ${(median(unnestMs) / 1000).toFixed(2)} s`,
    )
  } finally {
    await client.end()
    await baselineDb.drop()
  }
  const baselines: Measured[] = [
    {
      short: 'COPY FROM STDIN of the same CSV into an unlogged text table',
      label: 'PostgreSQL COPY FROM STDIN of the raw CSV into an unlogged table of text columns',
      unit: 'rows/s',
      metrics: rate(copied, median(copyMs)),
      detail: { rows: copied, runs_ms: copyMs },
    },
    {
      short: 'one INSERT … FROM unnest(text arrays)',
      label:
        'CSV parsed in Node, then one INSERT … SELECT FROM unnest(text arrays) into an unlogged text table',
      unit: 'rows/s',
      metrics: rate(inserted, median(unnestMs)),
      detail: { rows: inserted, runs_ms: unnestMs },
    },
  ]

  const timed = await timedImports(
    async () => {
      const scratch = await createScratchDatabase(adminUrl)
      return { database: await openDatabase({ databaseUrl: scratch.url }), scratch }
    },
    files.open,
    options.freshRuns,
    'PostgreSQL',
  )
  await loadSearchData(timed.last.database, files, 'PostgreSQL')
  const result: ImportBenchResult = {
    figures: importFigures('postgres', 'PostgreSQL database', timed, baselines),
    database: timed.last.database,
  }
  if (timed.last.scratch) result.scratch = timed.last.scratch
  return result
}
