// Damaged register files fed to the imports (the command line's import-schools, its --links file,
// and import-hubs): truncated, another delimiter or encoding, binary garbage, byte order marks,
// repeated or missing columns, a zip that is no workbook, a workbook (broken or not) where a CSV
// belongs, formula cells, enormous and control-character cells. Each import either refuses the
// file with a message that says why (and the register is exactly as it was) or reports the rows it
// could not take, line by line; it never fails with an error of its own, and each run is recorded.
import ExcelJS from 'exceljs'
import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemo } from '../../src/db/seeds/demo.ts'
import { importHubs } from '../../src/domain/hubs/import-hubs.ts'
import type { ImportResult } from '../../src/domain/imports/run-import.ts'
import { importSchoolLinks } from '../../src/domain/schools/import-school-links.ts'
import { importSchools } from '../../src/domain/schools/import-schools.ts'
import { DomainError } from '../../src/errors.ts'
import { fixedClock } from '../../src/lib/clock.ts'
import { createTestDatabase, type TestDatabase } from '../database.ts'
import { asyncProperty, finishShare } from './harness.ts'

const RUNS = 90
const TIMEOUT = 300_000
const REGISTER = ['schools', 'school_links', 'hubs', 'hub_areas', 'school_hub_overrides']

let database: TestDatabase
const clock = fixedClock('2026-11-22T10:00:00Z')

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
}, TIMEOUT)

afterAll(async () => {
  await database?.destroy()
  await finishShare('imports')
})

/** The register as it stands: each table's rows as a count and a sum of the rows' hashes. */
async function register(): Promise<Record<string, string>> {
  const parts = REGISTER.map(
    (name) => sql`SELECT ${name} AS name, count(*)::int AS rows,
      coalesce(sum(hashtext(to_jsonb(x)::text)), 0)::text AS digest
      FROM ${sql.table(name)} x`,
  )
  const { rows } = await sql<{
    name: string
    rows: number
    digest: string
  }>`${sql.join(parts, sql` UNION ALL `)}`.execute(database.db)
  return Object.fromEntries(rows.map((r) => [r.name, `${r.rows} ${r.digest}`]))
}

// --- Files that would import cleanly

type Table = string[][]

const SCHOOLS: Table = [
  [
    'URN',
    'EstablishmentName',
    'TypeOfEstablishment (name)',
    'PhaseOfEducation (name)',
    'LA (code)',
    'LA (name)',
    'EstablishmentStatus (name)',
    'Postcode',
    'Town',
    'NumberOfPupils',
  ],
  [
    '880001',
    'Hostile Input Primary School',
    'Community school',
    'Primary',
    '886',
    'Kent',
    'Open',
    'CT1 1AA',
    'Canterbury',
    '210',
  ],
  [
    '880002',
    'Fuzzing Academy',
    'Academy converter',
    'Secondary',
    '886',
    'Kent',
    'Open',
    'CT2 2BB',
    'Canterbury',
    '900',
  ],
  [
    '880003',
    'St Mallory’s C of E Infant School',
    'Voluntary aided school',
    'Primary',
    '201',
    'City of London',
    'Open',
    'EC1A 1BB',
    'London',
    '90',
  ],
]
const LINKS: Table = [
  ['URN', 'LinkURN', 'LinkType', 'LinkEstablishedDate'],
  ['880001', '880002', 'Successor', '01-09-2024'],
  ['880003', '880001', 'Predecessor', '31-08-2021'],
]
const HUBS: Table = [
  ['hub_name', 'la_code', 'la_name', 'contact_email'],
  ['Northvale Maths Hub', '886', 'Kent', 'northvale@mathshub.example'],
  ['Riverside Maths Hub', '953', 'Riverside', ''],
]

function csv(table: Table, delimiter = ',', eol = '\r\n'): string {
  const cell = (v: string) => (/[",\r\n;\t]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  return table.map((row) => row.map(cell).join(delimiter)).join(eol) + eol
}

async function workbook(table: Table): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('Sheet1')
  for (const row of table) sheet.addRow(row)
  return Buffer.from(await book.xlsx.writeBuffer())
}

// --- Damage

const FORMULAS = [
  '=1+1',
  '=HYPERLINK("http://example.com","x")',
  "+cmd|'/c calc'!A1",
  '-2+3',
  '@SUM(A1)',
  '=cmd|"/c calc"!A0',
]
const AWKWARD_CELLS = [
  '\u0000',
  'nul\u0000name',
  '\u0007bell',
  '\u001b[31m',
  '\ud800',
  '\u202eevil',
  '\ufeff',
  '"',
  '"unbalanced',
  'a"b',
  '\r',
  '\n\n',
  '  ',
  '',
]

type Damage = (table: Table) => fc.Arbitrary<Buffer>

const utf8 = (text: string) => Buffer.from(text, 'utf8')

/** Picks a row and column (not the header) and puts the value there. */
const inCell =
  (value: fc.Arbitrary<string>): Damage =>
  (table) =>
    fc.tuple(fc.nat(), fc.nat(), value).map(([r, c, v]) => {
      const copy = table.map((row) => [...row])
      const row = copy[1 + (r % (copy.length - 1))]!
      row[c % row.length] = v
      return utf8(csv(copy))
    })

const DAMAGES: Record<string, Damage> = {
  none: (table) => fc.constant(utf8(csv(table))),
  truncated: (table) => fc.nat().map((n) => utf8(csv(table)).subarray(0, n % utf8(csv(table)).length)),
  'another delimiter': (table) => fc.constantFrom(';', '\t', '|', ' ').map((d) => utf8(csv(table, d))),
  'CR line endings': (table) => fc.constant(utf8(csv(table, ',', '\r'))),
  'UTF-16': (table) =>
    fc
      .boolean()
      .map((bom) =>
        Buffer.concat([
          bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0),
          Buffer.from(csv(table), 'utf16le'),
        ]),
      ),
  'Windows-1252 and stray bytes': (table) =>
    fc
      .uint8Array({ minLength: 1, maxLength: 8 })
      .map((bytes) => Buffer.concat([Buffer.from(csv(table), 'latin1'), Buffer.from(bytes)])),
  'binary garbage': () => fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
  'byte order marks': (table) =>
    fc
      .integer({ min: 1, max: 3 })
      .map((n) => Buffer.concat([Buffer.from('\ufeff'.repeat(n)), utf8(csv(table))])),
  'a BOM inside': (table) => fc.constant(utf8(csv(table).replace('\r\n', '\r\n\ufeff'))),
  'a repeated column': (table) =>
    fc.nat().map((n) => {
      const c = n % table[0]!.length
      return utf8(csv(table.map((row) => [...row, row[c]!])))
    }),
  'a missing column': (table) =>
    fc.nat().map((n) => {
      const c = n % table[0]!.length
      return utf8(csv(table.map((row) => row.filter((_, i) => i !== c))))
    }),
  'a row too short or too long': (table) =>
    fc.tuple(fc.nat(), fc.boolean()).map(([n, longer]) => {
      const copy = table.map((row) => [...row])
      const row = copy[1 + (n % (copy.length - 1))]!
      if (longer) row.push('extra')
      else row.pop()
      return utf8(csv(copy))
    }),
  'formula cells': inCell(fc.constantFrom(...FORMULAS)),
  'awkward cells': inCell(fc.constantFrom(...AWKWARD_CELLS)),
  'an enormous cell': inCell(
    fc
      .tuple(fc.integer({ min: 10_000, max: 300_000 }), fc.constantFrom('x', '9', '🧮', ' '))
      .map(([n, c]) => c.repeat(n)),
  ),
  'header only, or blank lines': (table) =>
    fc.constantFrom(utf8(csv([table[0]!])), utf8('\r\n\r\n\r\n'), utf8(''), utf8(' ')),
  'an unclosed quote': (table) => fc.constant(utf8(csv(table).replace(',', ',"'))),
  'a zip that is no workbook': () =>
    fc
      .uint8Array({ maxLength: 500 })
      .map((bytes) => Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.from(bytes)])),
  'a workbook where a CSV belongs': (table) => fc.constant(table).map(() => workbookOf(table)),
  'a broken workbook': (table) =>
    fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([at, junk]) => {
      const book = Buffer.from(workbookOf(table))
      const start = at % book.length
      Buffer.from(junk).copy(book, start)
      return book.subarray(0, Math.max(start + junk.length, book.length / 2))
    }),
}

const workbooks = new Map<Table, Buffer>()
function workbookOf(table: Table): Buffer {
  return workbooks.get(table)!
}

function damaged(table: Table): fc.Arbitrary<{ damage: string; bytes: Buffer }> {
  return fc
    .constantFrom(...Object.keys(DAMAGES))
    .chain((damage) => DAMAGES[damage]!(table).map((bytes) => ({ damage, bytes })))
}

// --- What every import must do

async function expectRefusedOrReported(
  damage: string,
  run: () => Promise<ImportResult>,
): Promise<ImportResult | undefined> {
  const before = await register()
  const runsBefore = await database.db
    .selectFrom('import_runs')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow()
  let result: ImportResult | undefined
  try {
    result = await run()
  } catch (error) {
    // Refused: a domain error that says why, the register untouched, and the refusal recorded.
    expect(error, `${damage}: ${String(error)}`).toBeInstanceOf(DomainError)
    const message = (error as DomainError).message
    expect(message, damage).toMatch(/\S/)
    expect(message.length, `${damage}: a message, not the file`).toBeLessThan(2000)
    expect(await register(), `${damage}: a refused import changed the register`).toEqual(before)
  }
  const last = await database.db
    .selectFrom('import_runs')
    .selectAll()
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const runsAfter = await database.db
    .selectFrom('import_runs')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow()
  expect(runsAfter.n, `${damage}: the run is recorded`).toBe(runsBefore.n + 1)
  if (!result) {
    expect(last.status).toBe('failed')
    expect(last.message ?? '').toMatch(/\S/)
    return undefined
  }
  // Taken, with the rows it could not use reported line by line.
  expect(last.status).toBe('succeeded')
  expect(result.rowsRead).toBeGreaterThanOrEqual(result.rejected)
  if (result.rejected > 0) expect(result.problems.length, damage).toBeGreaterThan(0)
  for (const problem of result.problems) {
    expect(problem.line, damage).toBeGreaterThan(0)
    expect(problem.message, damage).toMatch(/\S/)
  }
  return result
}

describe('damaged register files', () => {
  beforeAll(async () => {
    for (const table of [SCHOOLS, LINKS, HUBS]) workbooks.set(table, await workbook(table))
  })

  it(
    'import-schools (full and partial)',
    async () => {
      await fc.assert(
        asyncProperty(
          damaged(SCHOOLS),
          fc.constantFrom('full', 'partial'),
          async ({ damage, bytes }, mode) => {
            await expectRefusedOrReported(damage, () =>
              importSchools(database.db, clock, {
                fileName: 'edubasealldata.csv',
                bytes,
                mode: mode as 'full' | 'partial',
              }),
            )
          },
        ),
        { numRuns: RUNS * 2 },
      )
    },
    TIMEOUT,
  )

  it(
    'import-schools --links',
    async () => {
      await fc.assert(
        asyncProperty(damaged(LINKS), async ({ damage, bytes }) => {
          await expectRefusedOrReported(damage, () =>
            importSchoolLinks(database.db, clock, { fileName: 'links_edubasealldata.csv', bytes }),
          )
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'import-hubs',
    async () => {
      await fc.assert(
        asyncProperty(damaged(HUBS), async ({ damage, bytes }) => {
          await expectRefusedOrReported(damage, () =>
            importHubs(database.db, clock, { fileName: 'hubs.csv', bytes }),
          )
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it('a workbook where a CSV belongs is refused, naming what is missing', async () => {
    const before = await register()
    await expect(
      importSchools(database.db, clock, {
        fileName: 'schools.xlsx',
        bytes: workbookOf(SCHOOLS),
        mode: 'full',
      }),
    ).rejects.toThrow(/schools\.xlsx is (missing the required column|not a readable CSV file)/)
    expect(await register()).toEqual(before)
  })
})
