// Reading the tables people upload: a CSV file (through readCsv) or an Excel workbook (.xlsx, its
// first sheet), told apart by their content, not their name. Both give rows of text keyed by the
// header line, each with the line (the sheet's row number) it came from, so a problem names it.
import ExcelJS from 'exceljs'
import { DomainError } from '../errors.ts'
import { MAX_FIELD_LENGTH, readCsv, type CsvTable } from './csv-file.ts'

/** An .xlsx file is a zip archive: it begins "PK\x03\x04". */
export function isXlsx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('')
    if ('text' in value) return String(value.text)
    if ('result' in value) return value.result === undefined ? '' : String(value.result)
    return ''
  }
  return String(value)
}

async function readXlsx(
  bytes: Uint8Array,
  requiredColumns: readonly string[],
  fileLabel: string,
): Promise<CsvTable> {
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer)
  } catch {
    throw new DomainError(
      'unreadable-file',
      `${fileLabel} is not a readable Excel workbook. Nothing was saved.`,
    )
  }
  const sheet = workbook.worksheets[0]
  const headerRow = sheet?.getRow(1)
  const headers: string[] = []
  headerRow?.eachCell({ includeEmpty: true }, (cell, column) => {
    headers[column - 1] = cellText(cell.value).trim()
  })
  if (!sheet || headers.length === 0) {
    throw new DomainError(
      'missing-columns',
      `${fileLabel} is empty: it needs a header row naming its columns.`,
    )
  }
  const missing = requiredColumns.filter((column) => !headers.includes(column))
  if (missing.length > 0) {
    throw new DomainError(
      'missing-columns',
      `${fileLabel} is missing the required column${missing.length > 1 ? 's' : ''} ` +
        `${missing.map((c) => `"${c}"`).join(', ')}. Nothing was saved.`,
    )
  }
  const table: CsvTable = { encoding: 'utf-8', headers, rows: [], malformed: [] }
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1) return
    const values: Record<string, string> = {}
    headers.forEach((name, column) => {
      values[name] = cellText(row.getCell(column + 1).value).trim()
    })
    const long = Object.entries(values).find(([, v]) => v.length > MAX_FIELD_LENGTH)
    if (long) {
      table.malformed.push({
        line,
        message: `has more than ${MAX_FIELD_LENGTH} characters in its "${long[0].slice(0, 100)}" column`,
      })
      return
    }
    if (Object.values(values).some((v) => v.includes('\u0000'))) {
      table.malformed.push({ line, message: 'has a NUL character (a zero byte), which cannot be stored' })
      return
    }
    if (Object.values(values).every((v) => v === '')) return
    table.rows.push({ line, values })
  })
  return table
}

/** The table in an uploaded CSV or XLSX file. */
export async function readTableFile(
  bytes: Uint8Array,
  requiredColumns: readonly string[],
  fileLabel: string,
): Promise<CsvTable> {
  return isXlsx(bytes)
    ? readXlsx(bytes, requiredColumns, fileLabel)
    : readCsv(bytes, requiredColumns, fileLabel)
}
