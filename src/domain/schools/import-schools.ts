// Use-case: import a GIAS establishments extract into the school register.
// The whole file goes in one transaction: a refused or failed import leaves nothing behind.
import { sql } from 'kysely'
import type { Db, Tx } from '../../db/database.ts'
import { DomainError } from '../../errors.ts'
import type { Clock } from '../../lib/clock.ts'
import { readCsv, type CsvRow } from '../../lib/csv-file.ts'
import { foldForSearch, formatPostcode, postcodeKey } from '../../lib/text.ts'
import {
  finishImportRun,
  startImportRun,
  type ImportCounts,
  type Problem,
} from '../imports/import-runs.repository.ts'
import { recordingFailures, type ImportResult } from '../imports/run-import.ts'
import { isInEngland, isOpenStatus, isStateFundedType, PHASES, typeGroupOf } from './establishment-types.ts'
import { refreshSchoolNameWords } from './schools.repository.ts'

export const REQUIRED_SCHOOL_COLUMNS = [
  'URN',
  'EstablishmentName',
  'TypeOfEstablishment (name)',
  'PhaseOfEducation (name)',
  'LA (code)',
  'LA (name)',
] as const

/** Optional GIAS columns we keep, and the register column each fills. */
const OPTIONAL_COLUMNS = {
  postcode: 'Postcode',
  town: 'Town',
  easting: 'Easting',
  northing: 'Northing',
  pupils: 'NumberOfPupils',
  percentage_fsm: 'PercentageFSM',
  trust_code: 'Trusts (code)',
  trust_name: 'Trusts (name)',
  website: 'SchoolWebsite',
  telephone: 'TelephoneNum',
} as const

type OptionalColumn = keyof typeof OPTIONAL_COLUMNS

export interface SchoolImportRow {
  urn: number
  name: string
  search_name: string
  type_name: string
  type_group: string
  phase: string
  la_code: string
  la_name: string
  status: string
  open: boolean
  in_england: boolean
  state_funded: boolean
  postcode: string | null
  postcode_key: string | null
  town: string | null
  easting: number | null
  northing: number | null
  pupils: number | null
  percentage_fsm: number | null
  trust_code: string | null
  trust_name: string | null
  website: string | null
  telephone: string | null
}

export interface ImportSchoolsInput {
  fileName: string
  bytes: Uint8Array
  /** full: schools absent from the file are marked closed. partial: absent schools are left alone. */
  mode: 'full' | 'partial'
  onProgress?: (done: number, total: number) => void
}

const KNOWN_PHASES = new Set<string>(Object.values(PHASES))
const BATCH_SIZE = 2000

function optionalInteger(
  raw: string | undefined,
  field: string,
  line: number,
  problems: Problem[],
  { min = 0, max = Number.MAX_SAFE_INTEGER } = {},
): number | null {
  if (raw === undefined || raw === '') return null
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push({
      line,
      field,
      message: `${field} must be a whole number from ${min} to ${max}, not "${raw}"`,
    })
    return null
  }
  return value
}

/** Turns one CSV record into a register row, or records why it cannot be one. */
export function toSchoolRow(row: CsvRow, problems: Problem[]): SchoolImportRow | undefined {
  const v = row.values
  const line = row.line
  const before = problems.length
  const rawUrn = v['URN'] ?? ''
  const urn = /^\d{1,9}$/.test(rawUrn) ? Number(rawUrn) : NaN
  if (!(urn > 0))
    problems.push({ line, field: 'URN', message: `URN must be a whole number, like 100000, not "${rawUrn}"` })
  const name = v['EstablishmentName'] ?? ''
  if (name === '') problems.push({ line, field: 'EstablishmentName', message: 'EstablishmentName is empty' })
  const typeName = v['TypeOfEstablishment (name)'] ?? ''
  if (typeName === '')
    problems.push({
      line,
      field: 'TypeOfEstablishment (name)',
      message: 'TypeOfEstablishment (name) is empty',
    })
  const phase = v['PhaseOfEducation (name)'] ?? ''
  if (!KNOWN_PHASES.has(phase)) {
    problems.push({
      line,
      field: 'PhaseOfEducation (name)',
      message: `PhaseOfEducation (name) must be a GIAS phase such as Primary or Secondary, not "${phase}"`,
    })
  }
  const laCode = v['LA (code)'] ?? ''
  if (!/^\d{3}$/.test(laCode))
    problems.push({
      line,
      field: 'LA (code)',
      message: `LA (code) must be three digits, like 201, not "${laCode}"`,
    })
  const laName = v['LA (name)'] ?? ''
  if (laName === '') problems.push({ line, field: 'LA (name)', message: 'LA (name) is empty' })

  const easting = optionalInteger(v['Easting'], 'Easting', line, problems, { max: 800_000 })
  const northing = optionalInteger(v['Northing'], 'Northing', line, problems, { max: 1_400_000 })
  const pupils = optionalInteger(v['NumberOfPupils'], 'NumberOfPupils', line, problems, { max: 100_000 })
  let percentageFsm: number | null = null
  const rawFsm = v['PercentageFSM']
  // GIAS writes "SUPP" where the figure is suppressed to protect pupils' privacy.
  if (rawFsm !== undefined && rawFsm !== '' && rawFsm.toUpperCase() !== 'SUPP') {
    const fsm = Number(rawFsm)
    if (!Number.isFinite(fsm) || fsm < 0 || fsm > 100) {
      problems.push({
        line,
        field: 'PercentageFSM',
        message: `PercentageFSM must be a number from 0 to 100, not "${rawFsm}"`,
      })
    } else {
      percentageFsm = Math.round(fsm * 100) / 100
    }
  }
  if (problems.length > before) return undefined

  const typeGroup = v['EstablishmentTypeGroup (name)'] || typeGroupOf(typeName)
  const status = v['EstablishmentStatus (name)'] || 'Open'
  const postcode = v['Postcode'] ? formatPostcode(v['Postcode']) : null
  const town = v['Town'] || null
  return {
    urn,
    name,
    search_name: foldForSearch([name, town ?? '', laName].join(' ')),
    type_name: typeName,
    type_group: typeGroup,
    phase,
    la_code: laCode,
    la_name: laName,
    status,
    open: isOpenStatus(status),
    in_england: isInEngland(laCode, typeGroup),
    state_funded: isStateFundedType(typeName),
    postcode,
    postcode_key: postcode ? postcodeKey(postcode) : null,
    town,
    easting,
    northing,
    pupils,
    percentage_fsm: percentageFsm,
    trust_code: v['Trusts (code)'] || null,
    trust_name: v['Trusts (name)'] || null,
    website: v['SchoolWebsite'] || null,
    telephone: v['TelephoneNum'] || null,
  }
}

const ALWAYS_WRITTEN = [
  'urn',
  'name',
  'search_name',
  'type_name',
  'type_group',
  'phase',
  'la_code',
  'la_name',
  'status',
  'open',
  'in_england',
  'state_funded',
] as const

const PG_TYPES: Record<keyof SchoolImportRow, string> = {
  urn: 'int4',
  name: 'text',
  search_name: 'text',
  type_name: 'text',
  type_group: 'text',
  phase: 'text',
  la_code: 'text',
  la_name: 'text',
  status: 'text',
  open: 'bool',
  in_england: 'bool',
  state_funded: 'bool',
  postcode: 'text',
  postcode_key: 'text',
  town: 'text',
  easting: 'int4',
  northing: 'int4',
  pupils: 'int4',
  percentage_fsm: 'numeric',
  trust_code: 'text',
  trust_name: 'text',
  website: 'text',
  telephone: 'text',
}

/** The register columns this file writes: the required ones, and the optional ones it has. */
function columnsWritten(headers: string[]): (keyof SchoolImportRow)[] {
  const columns: (keyof SchoolImportRow)[] = [...ALWAYS_WRITTEN]
  for (const [column, header] of Object.entries(OPTIONAL_COLUMNS) as [OptionalColumn, string][]) {
    if (headers.includes(header)) {
      columns.push(column)
      if (column === 'postcode') columns.push('postcode_key')
    }
  }
  return columns
}

/**
 * Inserts new schools and updates changed ones in one statement per batch, passing each column
 * as an array. Unchanged rows are not touched. Returns how many were inserted and updated.
 */
async function upsertBatch(
  tx: Tx,
  columns: (keyof SchoolImportRow)[],
  rows: SchoolImportRow[],
  runId: number,
): Promise<{ inserted: number; updated: number }> {
  const list = (names: string[]) => sql.join(names.map((n) => sql.ref(n)))
  const arrays = columns.map((column) => {
    const values = rows.map((row) => row[column])
    return sql`${values}::${sql.raw(PG_TYPES[column])}[]`
  })
  const updatable = columns.filter((c) => c !== 'urn')
  const result = await sql<{ inserted: boolean }>`
    INSERT INTO schools (${list(columns)}, created_by_import_id, updated_by_import_id)
    SELECT u.*, ${runId}::int8, ${runId}::int8 FROM unnest(${sql.join(arrays)}) AS u
    ON CONFLICT (urn) DO UPDATE SET
      ${sql.join(updatable.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))},
      closed_by_import_id = CASE WHEN excluded.open THEN NULL ELSE schools.closed_by_import_id END,
      updated_by_import_id = excluded.updated_by_import_id,
      updated_at = now()
    WHERE (${sql.join(updatable.map((c) => sql`schools.${sql.ref(c)}`))})
      IS DISTINCT FROM (${sql.join(updatable.map((c) => sql`excluded.${sql.ref(c)}`))})
    RETURNING (xmax = 0) AS inserted`.execute(tx)
  const inserted = result.rows.filter((r) => r.inserted).length
  return { inserted, updated: result.rows.length - inserted }
}

export async function importSchools(db: Db, clock: Clock, input: ImportSchoolsInput): Promise<ImportResult> {
  const run = { kind: 'schools', fileName: input.fileName, mode: input.mode } as const
  return recordingFailures(db, clock, run, async (startedAt) => {
    const table = readCsv(input.bytes, REQUIRED_SCHOOL_COLUMNS, input.fileName)
    const problems: Problem[] = table.malformed.map((m) => ({
      line: m.line,
      message: `Line ${m.line} ${m.message}`,
    }))
    const rows: SchoolImportRow[] = []
    const seenUrns = new Set<number>()
    const firstLine = new Map<number, number>()
    for (const csvRow of table.rows) {
      const rawUrn = csvRow.values['URN'] ?? ''
      if (/^\d{1,9}$/.test(rawUrn)) seenUrns.add(Number(rawUrn))
      const row = toSchoolRow(csvRow, problems)
      if (!row) continue
      const earlier = firstLine.get(row.urn)
      if (earlier !== undefined) {
        problems.push({
          line: csvRow.line,
          field: 'URN',
          message: `URN ${row.urn} appears more than once (first on line ${earlier}); this line was skipped`,
        })
        continue
      }
      firstLine.set(row.urn, csvRow.line)
      rows.push(row)
    }
    const rowsRead = table.rows.length + table.malformed.length
    if (input.mode === 'full' && rows.length === 0) {
      throw new DomainError(
        'empty-import',
        `${input.fileName} has no usable rows, so nothing was imported and no school was marked closed.`,
      )
    }
    const columns = columnsWritten(table.headers)
    return db.transaction().execute(async (tx) => {
      const runId = await startImportRun(tx, {
        kind: 'schools',
        fileName: input.fileName,
        mode: input.mode,
        encoding: table.encoding,
        startedAt,
      })
      let inserted = 0
      let updated = 0
      input.onProgress?.(0, rows.length)
      for (let start = 0; start < rows.length; start += BATCH_SIZE) {
        const batch = rows.slice(start, start + BATCH_SIZE)
        const counts = await upsertBatch(tx, columns, batch, runId)
        inserted += counts.inserted
        updated += counts.updated
        input.onProgress?.(Math.min(start + BATCH_SIZE, rows.length), rows.length)
      }
      let closed = 0
      if (input.mode === 'full') {
        const result = await tx
          .updateTable('schools')
          .set({ open: false, status: 'Closed', closed_by_import_id: runId, updated_at: new Date() })
          .where('open', '=', true)
          .where(sql<boolean>`NOT (urn = ANY(${[...seenUrns]}::int4[]))`)
          .executeTakeFirst()
        closed = Number(result.numUpdatedRows)
      }
      const counts: ImportCounts = {
        rowsRead,
        inserted,
        updated,
        unchanged: rows.length - inserted - updated,
        closed,
        rejected: rowsRead - rows.length,
      }
      problems.sort((a, b) => a.line - b.line)
      await refreshSchoolNameWords(tx)
      await finishImportRun(tx, runId, { ...counts, problems, finishedAt: clock.now() })
      return { runId, encoding: table.encoding, problems, ...counts }
    })
  })
}
