// Writing the tables people download, as CSV or as an Excel workbook.
//
// CSV: UTF-8 with a byte-order mark (so Excel reads accented names), CRLF line ends, a header row,
// and every text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a
// carriage return) prefixed with an apostrophe: the usual defence against CSV injection.
// Instants are written as UK wall-clock time, "2026-11-22 10:00", which spreadsheets read as dates.
//
// XLSX: one sheet, a bold header row frozen in place with filters, columns sized to their
// contents, and instants as real dates in UK time. Text is stored as text, never as a formula,
// so it needs no apostrophe.
import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import { toUkWallClock } from './uk-time.ts'

export type CellValue = string | number | Date | null

export interface TableColumn {
  header: string
  /** How the column's cells are written; a date column holds instants. */
  kind: 'text' | 'number' | 'date'
}

export interface Table {
  /** The sheet's name in the workbook: 31 characters at most. */
  sheetName: string
  columns: TableColumn[]
  rows: CellValue[][]
}

/** The UK wall-clock reading of an instant as a Date whose UTC fields show it, as Excel wants. */
function ukWallClockDate(instant: Date): Date {
  const w = toUkWallClock(instant)
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute))
}

const pad = (n: number) => String(n).padStart(2, '0')

/** "2026-11-22 10:00", in UK time. */
export function ukDateTimeCell(instant: Date): string {
  const w = toUkWallClock(instant)
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`
}

export function tableToCsv(table: Table): Buffer {
  const records = table.rows.map((row) =>
    row.map((value) => (value instanceof Date ? ukDateTimeCell(value) : value === null ? '' : value)),
  )
  const text = stringify([table.columns.map((c) => c.header), ...records], {
    bom: true,
    record_delimiter: 'windows',
    escape_formulas: true,
  })
  return Buffer.from(text, 'utf8')
}

const DATE_FORMAT = 'dd/mm/yyyy hh:mm'
const MIN_WIDTH = 8
const MAX_WIDTH = 60

function displayWidth(value: CellValue, column: TableColumn): number {
  if (value === null) return 0
  if (column.kind === 'date') return DATE_FORMAT.length
  return Math.max(
    ...String(value)
      .split('\n')
      .map((line) => line.length),
  )
}

export async function tableToXlsx(table: Table, created: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Mastery Hub'
  workbook.created = created
  workbook.modified = created
  const sheet = workbook.addWorksheet(table.sheetName.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1 }],
  })
  sheet.columns = table.columns.map((column, i) => {
    const widest = Math.max(
      column.header.length,
      ...table.rows.map((row) => displayWidth(row[i] ?? null, column)),
    )
    return {
      header: column.header,
      width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2)),
      ...(column.kind === 'date' && { style: { numFmt: DATE_FORMAT } }),
    }
  })
  sheet.getRow(1).font = { bold: true }
  for (const row of table.rows) {
    sheet.addRow(row.map((value) => (value instanceof Date ? ukWallClockDate(value) : value)))
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
