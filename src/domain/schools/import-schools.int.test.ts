import iconv from 'iconv-lite'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { DomainError } from '../../errors.ts'
import { fixedClock } from '../../lib/clock.ts'
import { importSchools } from './import-schools.ts'
import { findSchool, searchSchools } from './schools.repository.ts'

const HEADER =
  'URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentTypeGroup (name),' +
  'PhaseOfEducation (name),EstablishmentStatus (name),Postcode,NumberOfPupils,PercentageFSM,Unknown Column'

function row(
  urn: number | string,
  name: string,
  extra: Partial<Record<'la' | 'type' | 'phase' | 'status' | 'pupils' | 'fsm', string>> = {},
) {
  return [
    urn,
    extra.la ?? '886',
    'Kent',
    `"${name}"`,
    extra.type ?? 'Community school',
    'Local authority maintained schools',
    extra.phase ?? 'Primary',
    extra.status ?? 'Open',
    'CT1 1AA',
    extra.pupils ?? '210',
    extra.fsm ?? '12.5',
    'ignored',
  ].join(',')
}

const file = (...lines: string[]) => new TextEncoder().encode([HEADER, ...lines].join('\r\n'))
const clock = fixedClock('2026-11-22T10:00:00Z')
let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.destroy()
})
beforeEach(async () => {
  await database.db.deleteFrom('schools').execute()
  await database.db.deleteFrom('import_runs').execute()
})

describe('importSchools', () => {
  it('inserts, then updates only what changed, and records each run', async () => {
    const first = await importSchools(database.db, clock, {
      fileName: 'a.csv',
      bytes: file(row(100001, 'Alpha Primary'), row(100002, 'Beta Primary')),
      mode: 'full',
    })
    expect(first).toMatchObject({
      rowsRead: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      closed: 0,
      rejected: 0,
    })
    const second = await importSchools(database.db, clock, {
      fileName: 'b.csv',
      bytes: file(row(100001, 'Alpha Primary'), row(100002, 'Beta Primary School')),
      mode: 'full',
    })
    expect(second).toMatchObject({ rowsRead: 2, inserted: 0, updated: 1, unchanged: 1, closed: 0 })
    const runs = await database.db.selectFrom('import_runs').selectAll().orderBy('id').execute()
    expect(runs.map((r) => [r.file_name, r.status, r.rows_read, r.inserted, r.updated])).toEqual([
      ['a.csv', 'succeeded', 2, 2, 0],
      ['b.csv', 'succeeded', 2, 0, 1],
    ])
  })

  it('marks a school absent from a full re-import closed, never deleting it, and reopens it later', async () => {
    await importSchools(database.db, clock, {
      fileName: 'a.csv',
      bytes: file(row(100001, 'Alpha Primary'), row(100002, 'Beta Primary')),
      mode: 'full',
    })
    const partial = await importSchools(database.db, clock, {
      fileName: 'p.csv',
      bytes: file(row(100001, 'Alpha Primary')),
      mode: 'partial',
    })
    expect(partial.closed).toBe(0)
    const full = await importSchools(database.db, clock, {
      fileName: 'f.csv',
      bytes: file(row(100001, 'Alpha Primary')),
      mode: 'full',
    })
    expect(full.closed).toBe(1)
    expect(await findSchool(database.db, 100002)).toMatchObject({ open: false, status: 'Closed' })
    await importSchools(database.db, clock, {
      fileName: 'g.csv',
      bytes: file(row(100001, 'Alpha Primary'), row(100002, 'Beta Primary')),
      mode: 'full',
    })
    expect(await findSchool(database.db, 100002)).toMatchObject({ open: true, status: 'Open' })
  })

  it('reports bad rows with their line numbers and imports the good ones', async () => {
    const result = await importSchools(database.db, clock, {
      fileName: 'bad.csv',
      bytes: file(
        row(100001, 'Good Primary'),
        row('abc', 'Bad URN'),
        row(100003, 'Bad phase', { phase: 'Infant' }),
        row(100004, 'Bad pupils', { pupils: '-3' }),
        row(100005, 'Suppressed FSM', { fsm: 'SUPP' }),
        row(100001, 'Duplicate'),
        '100006,886,Kent,Too few fields',
      ),
      mode: 'full',
    })
    expect(result).toMatchObject({ rowsRead: 7, inserted: 2, rejected: 5 })
    expect(result.problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'URN'],
      [4, 'PhaseOfEducation (name)'],
      [5, 'NumberOfPupils'],
      [7, 'URN'],
      [8, undefined],
    ])
    expect(result.problems[0]!.message).toMatch(/URN must be a whole number/)
    expect(await findSchool(database.db, 100005)).toMatchObject({ percentageFsm: null })
  })

  it('refuses a file without the required columns whole, naming them, and records the failed run', async () => {
    await importSchools(database.db, clock, {
      fileName: 'a.csv',
      bytes: file(row(100001, 'Alpha')),
      mode: 'full',
    })
    const attempt = importSchools(database.db, clock, {
      fileName: 'wrong.csv',
      bytes: new TextEncoder().encode('URN,EstablishmentName\n100009,Zed\n'),
      mode: 'full',
    })
    await expect(attempt).rejects.toThrow(
      /"TypeOfEstablishment \(name\)", "PhaseOfEducation \(name\)", "LA \(code\)", "LA \(name\)"/,
    )
    const schools = await database.db.selectFrom('schools').select(['urn', 'open']).execute()
    expect(schools).toEqual([{ urn: 100001, open: true }])
    const failed = await database.db
      .selectFrom('import_runs')
      .selectAll()
      .where('status', '=', 'failed')
      .execute()
    expect(failed).toHaveLength(1)
    expect(failed[0]!.message).toMatch(/missing the required columns/)
  })

  it('leaves nothing behind when an import fails part way', async () => {
    const lines = Array.from({ length: 4500 }, (_, i) => row(200000 + i, `School ${i}`))
    let batches = 0
    const attempt = importSchools(database.db, clock, {
      fileName: 'big.csv',
      bytes: file(...lines),
      mode: 'full',
      onProgress: (done) => {
        if (done > 0 && ++batches === 2) throw new Error('connection lost')
      },
    })
    await expect(attempt).rejects.toThrow('connection lost')
    const count = await database.db
      .selectFrom('schools')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(count.n).toBe(0)
    const runs = await database.db.selectFrom('import_runs').select(['status']).execute()
    expect(runs).toEqual([{ status: 'failed' }])
  })

  it('refuses a full import with no usable rows rather than closing every school', async () => {
    await importSchools(database.db, clock, {
      fileName: 'a.csv',
      bytes: file(row(100001, 'Alpha')),
      mode: 'full',
    })
    await expect(
      importSchools(database.db, clock, { fileName: 'e.csv', bytes: file(row('x', 'Bad')), mode: 'full' }),
    ).rejects.toBeInstanceOf(DomainError)
    expect(await findSchool(database.db, 100001)).toMatchObject({ open: true })
  })

  it('reads Windows-1252 files as GIAS publishes them', async () => {
    const bytes = iconv.encode([HEADER, row(100010, 'St Mary’s Café Primary')].join('\r\n'), 'win1252')
    const result = await importSchools(database.db, clock, { fileName: 'cp.csv', bytes, mode: 'full' })
    expect(result.encoding).toBe('windows-1252')
    expect((await findSchool(database.db, 100010))?.name).toBe('St Mary’s Café Primary')
    const found = await searchSchools(database.db, { q: 'st marys cafe', page: 1, pageSize: 5 })
    expect(found.items.map((s) => s.urn)).toEqual([100010])
  })
})
