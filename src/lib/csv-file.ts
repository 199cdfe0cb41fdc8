// Reading the CSV files people bring us: GIAS extracts (Windows-1252 or UTF-8), hub area lists.
import { parse } from 'csv-parse/sync'
import iconv from 'iconv-lite'
import { DomainError } from '../errors.ts'

export type Encoding = 'utf-8' | 'windows-1252'

/** The longest field a row may have (GIAS's longest, a school's website, is a few hundred). */
export const MAX_FIELD_LENGTH = 1000

export interface CsvRow {
  /** 1-based line number in the file where the record ends (the header is line 1). */
  line: number
  values: Record<string, string>
}

export interface CsvTable {
  encoding: Encoding
  headers: string[]
  rows: CsvRow[]
  /** Records whose number of fields differs from the header's. */
  malformed: { line: number; message: string }[]
}

/** UTF-8 if the bytes are valid UTF-8 (with or without a BOM), otherwise Windows-1252. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: Encoding } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
    return { text, encoding: 'utf-8' }
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'win1252'), encoding: 'windows-1252' }
  }
}

/**
 * Parses a CSV file whose first line names the columns. Refuses the whole file (missing-columns)
 * when a required column is absent, naming every missing one.
 */
export function readCsv(bytes: Uint8Array, requiredColumns: readonly string[], fileLabel: string): CsvTable {
  const { text, encoding } = decodeText(bytes)
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, {
      info: true,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]
  } catch (error) {
    const line = (error as { lines?: number }).lines
    throw new DomainError(
      'unreadable-file',
      `${fileLabel} is not a readable CSV file${line ? ` (the problem is near line ${line})` : ''}: ` +
        // csv-parse ends its message with the offending value, which can be any size: leave it out.
        `${(error as Error).message.replace(/,? value is [\s\S]*$/, '')}. Nothing was imported.`,
    )
  }
  const header = records[0]
  if (!header) {
    throw new DomainError(
      'missing-columns',
      `${fileLabel} is empty: it needs a header line naming its columns.`,
    )
  }
  const headers = header.record.map((name) => name.trim())
  const missing = requiredColumns.filter((column) => !headers.includes(column))
  if (missing.length > 0) {
    throw new DomainError(
      'missing-columns',
      `${fileLabel} is missing the required column${missing.length > 1 ? 's' : ''} ` +
        `${missing.map((c) => `"${c}"`).join(', ')}. Nothing was imported. ` +
        'Check the file is the right extract and that its first line names the columns.',
    )
  }
  const rows: CsvRow[] = []
  const malformed: CsvTable['malformed'] = []
  for (let index = 1; index < records.length; index++) {
    const { record, info } = records[index]!
    if (record.length !== headers.length) {
      malformed.push({
        line: info.lines,
        message: `has ${record.length} fields but the header names ${headers.length}`,
      })
      continue
    }
    // No field of a register file is anywhere near this long; one that is cannot be indexed.
    const long = record.findIndex((value) => value.length > MAX_FIELD_LENGTH)
    if (long >= 0) {
      malformed.push({
        line: info.lines,
        message: `has more than ${MAX_FIELD_LENGTH} characters in its "${headers[long]!.slice(0, 100)}" field`,
      })
      continue
    }
    // PostgreSQL can store no NUL character, in text or in the problems we record: refuse the row.
    if (record.some((value) => value.includes('\u0000'))) {
      malformed.push({
        line: info.lines,
        message: 'has a NUL character (a zero byte), which cannot be stored',
      })
      continue
    }
    const values: Record<string, string> = {}
    headers.forEach((name, column) => {
      values[name] = record[column]!.trim()
    })
    rows.push({ line: info.lines, values })
  }
  return { encoding, headers, rows, malformed }
}
