import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { tableToCsv, tableToXlsx, ukDateTimeCell, type Table } from './table-file.ts'

const table: Table = {
  sheetName: 'Applications',
  columns: [
    { header: 'Name', kind: 'text' },
    { header: 'Score', kind: 'number' },
    { header: 'Submitted at', kind: 'date' },
  ],
  rows: [
    ['Zoë Brontë', 6.5, new Date('2026-07-01T16:30:00Z')],
    ['=HYPERLINK("http://evil.example","click")', -1, null],
    ['+44 1632 960001', null, new Date('2026-11-22T10:00:00Z')],
    ['@SUM(A1)', 0, null],
    ['-2+3', 1, null],
    ['Line one\nline two, with "quotes"', 2, null],
  ],
}

describe('tables as CSV', () => {
  it('writes UTF-8 with a byte-order mark, CRLF, a header, and UK times', () => {
    const bytes = tableToCsv(table)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.toString('utf8').slice(1)
    const lines = text.split('\r\n')
    expect(lines[0]).toBe('Name,Score,Submitted at')
    // 4:30pm UTC on 1 July is 5:30pm BST; 10am UTC on 22 November is 10am GMT.
    expect(lines[1]).toBe('Zoë Brontë,6.5,2026-07-01 17:30')
    expect(text).toContain('2026-11-22 10:00')
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\r/)
  })

  it('neutralises cells a spreadsheet would run as formulas, but not negative numbers', () => {
    const text = tableToCsv(table).toString('utf8')
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example"",""click"")",-1,')
    expect(text).toContain("'+44 1632 960001,,2026-11-22 10:00")
    expect(text).toContain("'@SUM(A1),0,")
    expect(text).toContain("'-2+3,1,")
    expect(text).toContain('"Line one\nline two, with ""quotes""",2,')
  })

  it('formats an instant as UK wall-clock time', () => {
    expect(ukDateTimeCell(new Date('2027-03-28T00:59:00Z'))).toBe('2027-03-28 00:59')
    expect(ukDateTimeCell(new Date('2027-03-28T01:00:00Z'))).toBe('2027-03-28 02:00')
  })
})

describe('tables as XLSX', () => {
  it('writes one sheet with a bold frozen header, sized columns, text as text and real dates', async () => {
    const bytes = await tableToXlsx(table, new Date('2026-11-22T10:00:00Z'))
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(new Uint8Array(bytes).buffer)
    expect(workbook.worksheets).toHaveLength(1)
    const sheet = workbook.getWorksheet('Applications')!
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(sheet.getRow(1).values).toEqual([undefined, 'Name', 'Score', 'Submitted at'])
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true)
    expect(sheet.rowCount).toBe(1 + table.rows.length)
    const first = sheet.getRow(2)
    expect(first.getCell(1).value).toBe('Zoë Brontë')
    expect(first.getCell(2).value).toBe(6.5)
    // Excel dates have no time zone: the cell shows the UK wall-clock time, 5:30pm.
    expect(first.getCell(3).value).toEqual(new Date('2026-07-01T17:30:00Z'))
    expect(first.getCell(3).numFmt).toBe('dd/mm/yyyy hh:mm')
    const formula = sheet.getRow(3).getCell(1)
    expect(formula.type).toBe(ExcelJS.ValueType.String)
    expect(formula.value).toBe('=HYPERLINK("http://evil.example","click")')
    expect(sheet.getColumn(1).width).toBeGreaterThan(30)
    expect(sheet.getColumn(2).width).toBe(8)
  })
})
