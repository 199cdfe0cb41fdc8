// Use-case: import the GIAS establishment links extract (predecessors and successors).
// The links file is the whole picture, so it replaces the links held, in one transaction.
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Clock } from '../../lib/clock.ts'
import { readCsv } from '../../lib/csv-file.ts'
import { finishImportRun, startImportRun, type Problem } from '../imports/import-runs.repository.ts'
import { recordingFailures, type ImportResult } from '../imports/run-import.ts'

export const REQUIRED_LINK_COLUMNS = ['URN', 'LinkURN', 'LinkType'] as const

const BATCH_SIZE = 5000

/** GIAS writes link dates as dd-mm-yyyy. */
function isoDate(raw: string): string | null | undefined {
  if (raw === '') return null
  const match = /^(\d{2})[-/](\d{2})[-/](\d{4})$/.exec(raw)
  if (!match) return undefined
  const [, day, month, year] = match
  const date = new Date(`${year}-${month}-${day}T00:00:00Z`)
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day)) return undefined
  return `${year}-${month}-${day}`
}

export async function importSchoolLinks(
  db: Db,
  clock: Clock,
  input: { fileName: string; bytes: Uint8Array; onProgress?: (done: number, total: number) => void },
): Promise<ImportResult> {
  const run = { kind: 'school-links', fileName: input.fileName, mode: 'full' } as const
  return recordingFailures(db, clock, run, async (startedAt) => {
    const table = readCsv(input.bytes, REQUIRED_LINK_COLUMNS, input.fileName)
    const problems: Problem[] = table.malformed.map((m) => ({
      line: m.line,
      message: `Line ${m.line} ${m.message}`,
    }))
    const links = new Map<
      string,
      { urn: number; linkUrn: number; name: string | null; type: string; on: string | null }
    >()
    for (const { line, values } of table.rows) {
      const urn = /^\d{1,9}$/.test(values['URN'] ?? '') ? Number(values['URN']) : 0
      const linkUrn = /^\d{1,9}$/.test(values['LinkURN'] ?? '') ? Number(values['LinkURN']) : 0
      const type = values['LinkType'] ?? ''
      const on = isoDate(values['LinkEstablishedDate'] ?? '')
      if (urn <= 0)
        problems.push({ line, field: 'URN', message: `URN must be a whole number, not "${values['URN']}"` })
      if (linkUrn <= 0)
        problems.push({
          line,
          field: 'LinkURN',
          message: `LinkURN must be a whole number, not "${values['LinkURN']}"`,
        })
      if (type === '') problems.push({ line, field: 'LinkType', message: 'LinkType is empty' })
      if (on === undefined) {
        problems.push({
          line,
          field: 'LinkEstablishedDate',
          message: `LinkEstablishedDate must be a date like 31-08-2021, not "${values['LinkEstablishedDate']}"`,
        })
      }
      if (urn <= 0 || linkUrn <= 0 || type === '' || on === undefined) continue
      links.set(`${urn}/${linkUrn}/${type}`, { urn, linkUrn, name: values['LinkName'] || null, type, on })
    }
    const rows = [...links.values()]
    const rowsRead = table.rows.length + table.malformed.length
    return db.transaction().execute(async (tx) => {
      const runId = await startImportRun(tx, {
        kind: 'school-links',
        fileName: input.fileName,
        mode: 'full',
        encoding: table.encoding,
        startedAt,
      })
      const before = await tx
        .selectFrom('school_links')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      await tx.deleteFrom('school_links').execute()
      for (let start = 0; start < rows.length; start += BATCH_SIZE) {
        const batch = rows.slice(start, start + BATCH_SIZE)
        await sql`
          INSERT INTO school_links (urn, link_urn, link_name, link_type, established_on)
          SELECT * FROM unnest(
            ${batch.map((l) => l.urn)}::int4[], ${batch.map((l) => l.linkUrn)}::int4[],
            ${batch.map((l) => l.name)}::text[], ${batch.map((l) => l.type)}::text[],
            ${batch.map((l) => l.on)}::date[])`.execute(tx)
        input.onProgress?.(Math.min(start + BATCH_SIZE, rows.length), rows.length)
      }
      const counts = {
        rowsRead,
        inserted: rows.length,
        updated: 0,
        unchanged: 0,
        closed: 0,
        rejected: rowsRead - rows.length,
      }
      problems.sort((a, b) => a.line - b.line)
      await finishImportRun(tx, runId, {
        ...counts,
        problems,
        finishedAt: clock.now(),
        message: `Replaced ${before.n} links with ${rows.length}`,
      })
      return { runId, encoding: table.encoding, problems, ...counts }
    })
  })
}
