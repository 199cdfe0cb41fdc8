// Backup and restore as newline-delimited JSON. PostgreSQL renders each row itself (row_to_json)
// and reads it back itself (json_populate_recordset), so timestamps keep their microseconds and
// bigints, numerics and jsonb never pass through JavaScript numbers. See docs/adr/0010.
//
// The format, one JSON value a line:
//   {"format":"masteryhub-dump","version":1,"migration":"0006_selection","exportedAt":"…"}
//   {"table":"people","columns":["id",…],"sequences":{"id":{"lastValue":"12","isCalled":true}}}
//   {"row":{"id":1,…}}                       one line a row, in primary key order
//   …                                        the next table, in foreign key order
//   {"end":true,"tables":27,"rows":1234}     so that a cut-short file is never taken as whole
import { once } from 'node:events'
import readline from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { sql } from 'kysely'
import { DomainError } from '../errors.ts'
import type { Clock } from '../lib/clock.ts'
import type { Db, Executor } from './database.ts'

export const DUMP_FORMAT = 'masteryhub-dump'
export const DUMP_VERSION = 1

const FETCH_SIZE = 1000
const INSERT_BATCH = 500
const ROW_PREFIX = '{"row":'

/** Tables the migrations themselves fill with reference rows; an import replaces those rows. */
const SEEDED_BY_MIGRATIONS = new Set([
  'programmes',
  'work_group_programmes',
  'work_group_grant_rules',
  'evaluation_questions',
  'funding_rules',
])

interface SequenceState {
  lastValue: string
  isCalled: boolean
}

interface TableInfo {
  name: string
  columns: string[]
  primaryKey: string[]
  /** Column name to its sequence's qualified name, for serial and identity columns. */
  sequences: Map<string, string>
}

export interface DumpSummary {
  tables: number
  rows: number
}

export class DumpError extends DomainError {
  constructor(
    readonly line: number | undefined,
    message: string,
  ) {
    super('invalid-dump', line === undefined ? message : `Line ${line} of the dump: ${message}`)
    this.name = 'DumpError'
  }
}

/** Writes every table (except schema_migrations) to `out` from one consistent snapshot. */
export async function exportDump(db: Db, out: Writable, clock: Clock): Promise<DumpSummary> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      // Timestamps are rendered in the session's time zone: fix it, so that dumps compare.
      await sql`SET LOCAL TimeZone = 'UTC'`.execute(tx)
      await sql`SET LOCAL IntervalStyle = 'iso_8601'`.execute(tx)
      const migration = await latestMigration(tx)
      await writeLine(
        out,
        JSON.stringify({
          format: DUMP_FORMAT,
          version: DUMP_VERSION,
          migration,
          exportedAt: clock.now().toISOString(),
        }),
      )
      const tables = await listTables(tx)
      let rows = 0
      for (const table of tables) {
        const sequences: Record<string, SequenceState> = {}
        for (const [column, sequence] of table.sequences) {
          const state = await sql<{ last_value: string; is_called: boolean }>`
            SELECT last_value::text AS last_value, is_called FROM ${sql.raw(sequence)}`.execute(tx)
          const first = state.rows[0]
          if (first) sequences[column] = { lastValue: first.last_value, isCalled: first.is_called }
        }
        await writeLine(out, JSON.stringify({ table: table.name, columns: table.columns, sequences }))
        const orderBy =
          table.primaryKey.length > 0
            ? sql.join(table.primaryKey.map((c) => sql.ref(`t.${c}`)))
            : sql`t::text`
        await sql`DECLARE dump_rows NO SCROLL CURSOR FOR
          SELECT row_to_json(t)::text AS row FROM ${sql.table(table.name)} t ORDER BY ${orderBy}`.execute(tx)
        for (;;) {
          const batch = await sql<{
            row: string
          }>`FETCH ${sql.raw(String(FETCH_SIZE))} FROM dump_rows`.execute(tx)
          for (const { row } of batch.rows) await writeLine(out, `${ROW_PREFIX}${row}}`)
          rows += batch.rows.length
          if (batch.rows.length < FETCH_SIZE) break
        }
        await sql`CLOSE dump_rows`.execute(tx)
      }
      await writeLine(out, JSON.stringify({ end: true, tables: tables.length, rows }))
      return { tables: tables.length, rows }
    })
}

/**
 * Restores a dump into a migrated, empty database, in one transaction: a broken, cut-short or
 * mismatched dump is refused with its line number and leaves the database as it was.
 */
export async function importDump(db: Db, input: Readable): Promise<DumpSummary> {
  return db.transaction().execute(async (tx) => {
    const tables = new Map((await listTables(tx)).map((table) => [table.name, table]))
    for (const table of tables.values()) {
      if (SEEDED_BY_MIGRATIONS.has(table.name)) continue
      const found = await sql<{ any: boolean }>`
        SELECT EXISTS (SELECT 1 FROM ${sql.table(table.name)}) AS any`.execute(tx)
      if (found.rows[0]?.any) {
        throw new DomainError(
          'database-not-empty',
          `The database is not empty (table ${table.name} has rows): restore a dump only into a new database.`,
        )
      }
    }
    const migration = await latestMigration(tx)

    const lines = readline.createInterface({ input, crlfDelay: Infinity })
    let lineNumber = 0
    let headerSeen = false
    let ended: { tables: number; rows: number } | undefined
    let current: { table: TableInfo; sequences: Record<string, SequenceState> } | undefined
    let batch: string[] = []
    let batchFirstLine = 0
    let batchLastLine = 0
    const done = new Set<string>()
    // setval is not undone by a rollback, so sequences move only once the whole dump has gone in.
    const sequencesToRestore: {
      table: string
      column: string
      sequence: string
      dumped: SequenceState | undefined
    }[] = []
    let rows = 0

    const flush = async () => {
      if (!current || batch.length === 0) return
      const columns = sql.join(current.table.columns.map((c) => sql.id(c)))
      const table = sql.table(current.table.name)
      const json = `[${batch.join(',')}]`
      try {
        await sql`INSERT INTO ${table} (${columns})
          SELECT ${columns} FROM json_populate_recordset(NULL::${table}, ${json}::json)`.execute(tx)
      } catch (error) {
        // PostgreSQL does not say which row of the batch it refused, so name the batch's lines.
        throw new DumpError(
          undefined,
          `Lines ${batchFirstLine} to ${batchLastLine} of the dump: the rows for ${current.table.name} ` +
            `were refused: ${(error as Error).message}`,
        )
      }
      rows += batch.length
      batch = []
    }

    const finishTable = async () => {
      await flush()
      if (!current) return
      for (const [column, sequence] of current.table.sequences) {
        sequencesToRestore.push({
          table: current.table.name,
          column,
          sequence,
          dumped: current.sequences[column],
        })
      }
      done.add(current.table.name)
      current = undefined
    }

    for await (const line of lines) {
      lineNumber += 1
      if (line.trim() === '') continue
      if (ended) throw new DumpError(lineNumber, 'there is more after the end line.')
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        throw new DumpError(lineNumber, 'this is not a line of JSON (is the file damaged?).')
      }
      if (!isObject(value)) throw new DumpError(lineNumber, 'expected a JSON object.')

      if (!headerSeen) {
        if (value.format !== DUMP_FORMAT) {
          throw new DumpError(lineNumber, 'this is not a Mastery Hub dump (no "masteryhub-dump" header).')
        }
        if (value.version !== DUMP_VERSION) {
          throw new DumpError(lineNumber, `dump version ${String(value.version)} is not supported.`)
        }
        if (value.migration !== migration) {
          throw new DumpError(
            lineNumber,
            `the dump was made at migration ${String(value.migration)} but this database is at ` +
              `${migration ?? 'no migration'}; use the same version of Mastery Hub.`,
          )
        }
        headerSeen = true
        continue
      }

      if ('row' in value) {
        if (!current) throw new DumpError(lineNumber, 'a row before any table line.')
        if (!isObject(value.row)) throw new DumpError(lineNumber, 'a row must be a JSON object.')
        // Pass PostgreSQL's own text on untouched, so numbers never become JavaScript numbers.
        const raw =
          line.startsWith(ROW_PREFIX) && line.endsWith('}') ? line.slice(ROW_PREFIX.length, -1) : undefined
        batch.push(raw ?? JSON.stringify(value.row))
        if (batch.length === 1) batchFirstLine = lineNumber
        batchLastLine = lineNumber
        if (batch.length >= INSERT_BATCH) await flush()
      } else if ('table' in value) {
        await finishTable()
        const table = typeof value.table === 'string' ? tables.get(value.table) : undefined
        if (!table || table.name === 'schema_migrations') {
          throw new DumpError(lineNumber, `unknown table ${JSON.stringify(value.table)}.`)
        }
        if (done.has(table.name)) throw new DumpError(lineNumber, `table ${table.name} appears twice.`)
        const columns = Array.isArray(value.columns) ? value.columns : []
        if (columns.length !== table.columns.length || !table.columns.every((c) => columns.includes(c))) {
          throw new DumpError(lineNumber, `the columns of ${table.name} do not match this database.`)
        }
        // The tables that refer to it come later in the dump, and are empty in a new database.
        if (SEEDED_BY_MIGRATIONS.has(table.name))
          await sql`TRUNCATE ${sql.table(table.name)} CASCADE`.execute(tx)
        current = { table, sequences: isObject(value.sequences) ? readSequences(value.sequences) : {} }
      } else if (value.end === true) {
        await finishTable()
        ended = { tables: Number(value.tables), rows: Number(value.rows) }
        if (ended.tables !== done.size || ended.rows !== rows) {
          throw new DumpError(
            lineNumber,
            `the end line promises ${ended.tables} tables and ${ended.rows} rows but the dump holds ` +
              `${done.size} tables and ${rows} rows.`,
          )
        }
      } else {
        throw new DumpError(lineNumber, 'expected a table, a row or the end line.')
      }
    }
    if (!headerSeen) throw new DumpError(undefined, 'The dump is empty.')
    if (!ended) {
      throw new DumpError(lineNumber, 'the dump stops here without its end line: it was cut short.')
    }
    for (const { table, column, sequence, dumped } of sequencesToRestore) {
      await restoreSequence(tx, table, column, sequence, dumped)
    }
    // Views derived from the tables (never dumped) are rebuilt from them.
    await sql`REFRESH MATERIALIZED VIEW school_name_words`.execute(tx)
    return { tables: done.size, rows }
  })
}

async function restoreSequence(
  tx: Executor,
  table: string,
  column: string,
  sequence: string,
  dumped: SequenceState | undefined,
): Promise<void> {
  const result = await sql<{ max: string | null }>`
    SELECT max(${sql.ref(column)})::text AS max FROM ${sql.table(table)}`.execute(tx)
  const max = result.rows[0]?.max
  let value = dumped ? BigInt(dumped.lastValue) : 1n
  let isCalled = dumped?.isCalled ?? false
  // Never hand out an id already taken, whatever the dump says.
  if (max !== null && max !== undefined && BigInt(max) >= value) {
    value = BigInt(max)
    isCalled = true
  }
  await sql`SELECT setval(${sequence}::regclass, ${value.toString()}::bigint, ${isCalled})`.execute(tx)
}

async function latestMigration(executor: Executor): Promise<string | null> {
  const result = await sql<{ version: string | null }>`
    SELECT max(version) AS version FROM schema_migrations`.execute(executor)
  return result.rows[0]?.version ?? null
}

/** The data tables, parents before children (foreign keys), then by name. */
async function listTables(executor: Executor): Promise<TableInfo[]> {
  const columns = await sql<{ table_name: string; column_name: string; sequence: string | null }>`
    SELECT c.table_name, c.column_name,
           pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) AS sequence
    FROM information_schema.columns c
    JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'
    ORDER BY c.table_name, c.ordinal_position`.execute(executor)
  const keys = await sql<{ table_name: string; column_name: string }>`
    SELECT cl.relname AS table_name, a.attname AS column_name
    FROM pg_index i
    JOIN pg_class cl ON cl.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = cl.relnamespace
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
    WHERE n.nspname = 'public' AND i.indisprimary
    ORDER BY cl.relname, array_position(i.indkey::int2[], a.attnum)`.execute(executor)
  const foreignKeys = await sql<{ child: string; parent: string }>`
    SELECT DISTINCT child.relname AS child, parent.relname AS parent
    FROM pg_constraint con
    JOIN pg_class child ON child.oid = con.conrelid
    JOIN pg_class parent ON parent.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = child.relnamespace
    WHERE con.contype = 'f' AND n.nspname = 'public'`.execute(executor)

  const tables = new Map<string, TableInfo>()
  for (const row of columns.rows) {
    let table = tables.get(row.table_name)
    if (!table) {
      table = { name: row.table_name, columns: [], primaryKey: [], sequences: new Map() }
      tables.set(row.table_name, table)
    }
    table.columns.push(row.column_name)
    if (row.sequence) table.sequences.set(row.column_name, row.sequence)
  }
  for (const row of keys.rows) tables.get(row.table_name)?.primaryKey.push(row.column_name)

  const parents = new Map<string, Set<string>>([...tables.keys()].map((name) => [name, new Set<string>()]))
  for (const { child, parent } of foreignKeys.rows) {
    if (child !== parent && tables.has(parent)) parents.get(child)?.add(parent)
  }
  const ordered: TableInfo[] = []
  const remaining = [...tables.keys()].sort()
  while (remaining.length > 0) {
    const placed = new Set(ordered.map((t) => t.name))
    const index = remaining.findIndex((name) => [...(parents.get(name) ?? [])].every((p) => placed.has(p)))
    // A cycle of foreign keys (none today) falls back to name order for what is left.
    const [name] = remaining.splice(index === -1 ? 0 : index, 1)
    const table = name === undefined ? undefined : tables.get(name)
    if (table) ordered.push(table)
  }
  return ordered
}

function readSequences(value: Record<string, unknown>): Record<string, SequenceState> {
  const result: Record<string, SequenceState> = {}
  for (const [column, state] of Object.entries(value)) {
    if (isObject(state) && typeof state.lastValue === 'string' && /^-?\d+$/.test(state.lastValue)) {
      result[column] = { lastValue: state.lastValue, isCalled: state.isCalled === true }
    }
  }
  return result
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain')
}
