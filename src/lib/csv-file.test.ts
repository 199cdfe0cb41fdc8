import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../errors.ts'
import { decodeText, readCsv } from './csv-file.ts'

const encode = (text: string) => new TextEncoder().encode(text)

describe('decodeText', () => {
  it('reads UTF-8, with or without a byte order mark', () => {
    expect(decodeText(encode('Ysgol Gymraeg – é'))).toEqual({ text: 'Ysgol Gymraeg – é', encoding: 'utf-8' })
    expect(decodeText(encode('\uFEFFURN')).text.replace('\uFEFF', '')).toBe('URN')
  })
  it('falls back to Windows-1252, as real GIAS files are', () => {
    const bytes = iconv.encode('St Mary’s Café', 'win1252')
    expect(decodeText(bytes)).toEqual({ text: 'St Mary’s Café', encoding: 'windows-1252' })
  })
})

describe('readCsv', () => {
  it('names every missing required column and refuses the file', () => {
    const attempt = () =>
      readCsv(encode('URN,Name\n1,A\n'), ['URN', 'EstablishmentName', 'LA (code)'], 'f.csv')
    expect(attempt).toThrow(DomainError)
    expect(attempt).toThrow(/"EstablishmentName", "LA \(code\)"/)
  })
  it('keeps line numbers and reports records with the wrong number of fields', () => {
    const table = readCsv(encode('URN,Name\n1,A\n2\n3,"C, D"\n'), ['URN'], 'f.csv')
    expect(table.rows.map((r) => [r.line, r.values])).toEqual([
      [2, { URN: '1', Name: 'A' }],
      [4, { URN: '3', Name: 'C, D' }],
    ])
    expect(table.malformed).toEqual([{ line: 3, message: 'has 1 fields but the header names 2' }])
  })
  it('refuses a file that is not CSV, saying where', () => {
    expect(() => readCsv(encode('URN,Name\n1,"unclosed\n'), ['URN'], 'f.csv')).toThrow(
      /not a readable CSV file/,
    )
  })
  it('refuses an empty file', () => {
    expect(() => readCsv(encode(''), ['URN'], 'f.csv')).toThrow(/empty/)
  })
})
