// Backup and restore: a dump restored into a new database dumps again byte for byte the same, on
// PGlite and on PostgreSQL; a non-empty database or a damaged dump is refused and nothing changes.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable, Writable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../test/cli.ts'
import { createTestDatabase, type TestDatabase } from '../../test/database.ts'
import { grantRole } from '../domain/people/grant-role.ts'
import { fixedClock } from '../lib/clock.ts'
import { openDatabase, type Db } from './database.ts'
import { exportDump, importDump } from './dump.ts'
import { migrate } from './migrate.ts'
import { loadDemo } from './seeds/demo.ts'

const clock = fixedClock('2026-11-22T10:00:00Z')
let source: TestDatabase
let target: TestDatabase
let spare: TestDatabase
let dump: string

async function dumpOf(db: Db): Promise<string> {
  const chunks: string[] = []
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'))
      callback()
    },
  })
  await exportDump(db, out, clock)
  return chunks.join('')
}

const withoutExportedAt = (text: string) => text.replace(/"exportedAt":"[^"]*"/, '"exportedAt":""')

async function count(db: Db, table: string): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)
  return result.rows[0]!.n
}

async function lastValue(db: Db, sequence: string): Promise<string> {
  const result = await sql<{ v: string }>`SELECT last_value::text AS v FROM ${sql.table(sequence)}`.execute(
    db,
  )
  return result.rows[0]!.v
}

beforeAll(async () => {
  ;[source, target, spare] = await Promise.all([
    createTestDatabase(),
    createTestDatabase(),
    createTestDatabase(),
  ])
  await loadDemo(source.db, clock)
  const actor = {
    kind: 'person' as const,
    personId: 0,
    name: 'Command line',
    email: '',
    grants: [{ id: 0, role: 'national-admin' as const, hubId: null, cohortId: null, schoolUrn: null }],
    via: 'command-line' as const,
  }
  await grantRole(
    { db: source.db, actor, clock, baseUrl: 'http://localhost:3000' },
    { email: 'zoe.obrien@ncetm.example', name: 'Zoë O’Brien', role: 'national-admin' },
  )
  // Microseconds, awkward text and numbers past 2^53 inside jsonb, and a sequence ahead of its rows.
  const before = '{"big": 9007199254740993, "exact": 0.1000000000000000055511151231257827}'
  const after = JSON.stringify({ text: 'line\nbreak "quoted" \\ tab\t ✓', list: [1, null, true] })
  await sql`INSERT INTO audit_events (occurred_at, actor_kind, action, record_type, record_id, before, after)
    VALUES ('2026-03-14 17:00:00.123456+00', 'system', 'dump.test', 'test', '1',
            ${before}::jsonb, ${after}::jsonb)`.execute(source.db)
  await sql`SELECT nextval('people_id_seq'), nextval('people_id_seq')`.execute(source.db)
  // What the retention policy leaves behind (a count without a hub), and an erased person.
  await sql`INSERT INTO deleted_application_counts (cohort_id, hub_id, outcome, applications, last_deleted_at)
    SELECT id, NULL, 'withdrawn', 3, '2027-11-22 10:00:00.654321+00' FROM cohorts ORDER BY id LIMIT 1`.execute(
    source.db,
  )
  await sql`UPDATE people SET erased_at = '2027-06-01 09:00:00+00'
    WHERE id = (SELECT min(id) FROM people)`.execute(source.db)
  dump = await dumpOf(source.db)
})

afterAll(async () => {
  await Promise.all([source?.destroy(), target?.destroy(), spare?.destroy()])
})

describe('export then import-dump', () => {
  it('restores everything: the second dump is byte for byte the first', async () => {
    const summary = await importDump(target.db, Readable.from([dump]))
    expect(summary.rows).toBeGreaterThan(100)
    expect(withoutExportedAt(await dumpOf(target.db))).toBe(withoutExportedAt(dump))

    for (const table of [
      'schools',
      'people',
      'grants',
      'audit_events',
      'outbox',
      'programmes',
      'cohorts',
      'deleted_application_counts',
    ]) {
      expect(await count(target.db, table), table).toBe(await count(source.db, table))
    }
    const exact = (db: Db) =>
      sql<{ occurred_at: string; before: string; after: string }>`
        SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS occurred_at,
               before::text AS before, after::text AS after
        FROM audit_events WHERE action = 'dump.test'`.execute(db)
    const restored = (await exact(target.db)).rows
    expect(restored).toEqual((await exact(source.db)).rows)
    expect(restored[0]!.occurred_at).toBe('2026-03-14 17:00:00.123456')
    expect(restored[0]!.before).toContain('9007199254740993')
  })

  it('carries sequences on, so new rows never reuse an id', async () => {
    expect(await lastValue(target.db, 'people_id_seq')).toBe(await lastValue(source.db, 'people_id_seq'))
    expect(await lastValue(target.db, 'audit_events_id_seq')).toBe(
      await lastValue(source.db, 'audit_events_id_seq'),
    )
  })

  it('refuses a database that is not empty, and changes nothing', async () => {
    const before = await dumpOf(target.db)
    await expect(importDump(target.db, Readable.from([dump]))).rejects.toThrow(/The database is not empty/)
    expect(await dumpOf(target.db)).toBe(before)
  })

  it('refuses a damaged, cut-short or foreign dump with its line number, and changes nothing', async () => {
    const empty = await dumpOf(spare.db)
    const lines = dump.split('\n')
    const rowLine = lines.findIndex((line, index) => index > 40 && line.startsWith('{"row":'))

    const damaged = [...lines]
    damaged[rowLine] = damaged[rowLine]!.slice(0, 20)
    await expect(importDump(spare.db, Readable.from([damaged.join('\n')]))).rejects.toThrow(
      `Line ${rowLine + 1} of the dump: this is not a line of JSON`,
    )

    const cut = lines.slice(0, rowLine + 1).join('\n')
    await expect(importDump(spare.db, Readable.from([cut]))).rejects.toThrow(
      `Line ${rowLine + 1} of the dump: the dump stops here without its end line`,
    )

    const unknown = [...lines]
    unknown[1] = '{"table":"no_such_table","columns":[],"sequences":{}}'
    await expect(importDump(spare.db, Readable.from([unknown.join('\n')]))).rejects.toThrow(
      'Line 2 of the dump: unknown table "no_such_table"',
    )

    const wrongMigration = [...lines]
    wrongMigration[0] = wrongMigration[0]!.replace(/"migration":"[^"]*"/, '"migration":"0001_register"')
    await expect(importDump(spare.db, Readable.from([wrongMigration.join('\n')]))).rejects.toThrow(
      /Line 1 of the dump: the dump was made at migration 0001_register/,
    )

    // A row PostgreSQL refuses (a person with no email) rolls back the rows before it too.
    const refused = [...lines]
    const person = refused.findIndex((line) => line.includes('"email":"nadia.khan@ncetm.example"'))
    refused[person] = refused[person]!.replace('"email":"nadia.khan@ncetm.example"', '"email":null')
    await expect(importDump(spare.db, Readable.from([refused.join('\n')]))).rejects.toThrow(
      /^Lines \d+ to \d+ of the dump: the rows for people were refused/,
    )

    expect(await dumpOf(spare.db)).toBe(empty)
  })
})

describe('the export and import-dump commands', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'masteryhub-dump-'))
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }))

  it('copy an embedded database into a new folder, and refuse to restore over data', async () => {
    const original = await openDatabase({ dataDir: path.join(folder, 'original') })
    await migrate(original.db)
    await loadDemo(original.db, clock)
    await original.close()

    const first = path.join(folder, 'first.ndjson')
    const exported = await runCli('export', first, '--data-dir', path.join(folder, 'original'))
    expect(exported.stderr).toBe('')
    expect(exported.stdout).toMatch(/^Exported [\d,]+ rows from \d+ tables to /)
    const restored = await runCli('import-dump', first, '--data-dir', path.join(folder, 'copy'))
    expect(restored.stderr).toBe('')
    expect(restored.stdout).toMatch(/^Restored [\d,]+ rows into \d+ tables from /)

    const second = path.join(folder, 'second.ndjson')
    expect((await runCli('export', second, '--data-dir', path.join(folder, 'copy'))).status).toBe(0)
    expect(withoutExportedAt(fs.readFileSync(second, 'utf8'))).toBe(
      withoutExportedAt(fs.readFileSync(first, 'utf8')),
    )

    const again = await runCli('import-dump', first, '--data-dir', path.join(folder, 'copy'))
    expect(again.status).toBe(1)
    expect(again.stderr).toMatch(/The database is not empty/)
    // Four whole CLI starts and a demo load on disk: minutes on a busy two-core machine.
  }, 300_000)
})
