// The demo data is valid: every row imports cleanly, and it shows what the demo promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PERSONAS } from '../src/db/seeds/demo-people.ts'
import { buildDemoData, loadDemo } from '../src/db/seeds/demo.ts'
import { schoolsWithoutHub } from '../src/domain/schools/schools.repository.ts'
import { fixedClock } from '../src/lib/clock.ts'
import { createTestDatabase, type TestDatabase } from './database.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.destroy()
})

describe('the demo', () => {
  it('imports every row without a problem, and is the same every time', async () => {
    expect(buildDemoData()).toEqual(buildDemoData())
    expect(await loadDemo(database.db, fixedClock('2026-11-22T10:00:00Z'))).toBe(true)
    const runs = await database.db
      .selectFrom('import_runs')
      .select(['kind', 'status', 'rejected', 'rows_read'])
      .orderBy('id')
      .execute()
    expect(runs.map((r) => [r.kind, r.status, r.rejected])).toEqual([
      ['schools', 'succeeded', 0],
      ['school-links', 'succeeded', 0],
      ['hubs', 'succeeded', 0],
    ])
    expect(runs[0]!.rows_read).toBe(buildDemoData().schoolCount)
  })

  it('has a realistic mix, a visible gap, a Welsh school and every persona', async () => {
    const phases = await database.db.selectFrom('schools').select('phase').distinct().execute()
    expect(phases.map((p) => p.phase).sort()).toEqual(
      expect.arrayContaining(['All-through', 'Not applicable', 'Nursery', 'Primary', 'Secondary']),
    )
    const independent = await database.db
      .selectFrom('schools')
      .select('urn')
      .where('state_funded', '=', false)
      .where('in_england', '=', true)
      .execute()
    expect(independent.length).toBeGreaterThan(0)
    expect((await schoolsWithoutHub(database.db)).map((g) => g.laCode)).toEqual(['958'])
    const welsh = await database.db
      .selectFrom('schools')
      .select(['in_england'])
      .where('urn', '=', 999_001)
      .executeTakeFirstOrThrow()
    expect(welsh.in_england).toBe(false)
    for (const persona of DEMO_PERSONAS) {
      const grants = await database.db
        .selectFrom('grants as g')
        .innerJoin('people as p', 'p.id', 'g.person_id')
        .select('g.role')
        .where('p.email', '=', persona.email)
        .execute()
      expect(
        grants.map((g) => g.role),
        persona.email,
      ).toEqual(persona.grants.map((g) => g.role))
    }
  })

  it('is not loaded over a register that already has data', async () => {
    const other = await createTestDatabase()
    try {
      await other.db
        .insertInto('schools')
        .values({
          urn: 100000,
          name: 'Real',
          search_name: 'real',
          type_name: 'Community school',
          type_group: 'Local authority maintained schools',
          phase: 'Primary',
          la_code: '201',
          la_name: 'City of London',
          status: 'Open',
          open: true,
          in_england: true,
          state_funded: true,
        })
        .execute()
      expect(await loadDemo(other.db, fixedClock('2026-11-22T10:00:00Z'))).toBe(false)
      expect(await other.db.selectFrom('schools').select('urn').execute()).toEqual([{ urn: 100000 }])
    } finally {
      await other.destroy()
    }
  })
})
