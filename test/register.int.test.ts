// The real register: England's open establishments from GIAS, their links, and the partial hub map.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findHubFor } from '../src/domain/hubs/find-hub.ts'
import { findHub, listHubs } from '../src/domain/hubs/hubs.repository.ts'
import { importHubs } from '../src/domain/hubs/import-hubs.ts'
import { importSchoolLinks } from '../src/domain/schools/import-school-links.ts'
import { importSchools } from '../src/domain/schools/import-schools.ts'
import { findSchool, schoolsWithoutHub, searchSchools } from '../src/domain/schools/schools.repository.ts'
import { systemClock } from '../src/lib/clock.ts'
import { createTestDatabase, type TestDatabase } from './database.ts'
import { GIAS_LINKS, GIAS_OPEN, GIAS_STATE_FUNDED, HUB_AREAS } from './shared-data.ts'

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.destroy()
})

describe('importing the real GIAS register and hub areas', () => {
  it('imports every open establishment', async () => {
    const result = await importSchools(database.db, systemClock, {
      fileName: 'gias_open_establishments_edubasealldata20250524.csv',
      bytes: fs.readFileSync(GIAS_OPEN),
      mode: 'full',
    })
    expect(result).toMatchObject({ rowsRead: 27_153, inserted: 27_153, updated: 0, rejected: 0, closed: 0 })
    const counts = await database.db
      .selectFrom('schools')
      .select((eb) => [
        eb.fn.countAll<number>().as('all'),
        eb.fn.count<number>('urn').filterWhere('in_england', '=', true).as('england'),
        eb.fn
          .count<number>('urn')
          .filterWhere((w) => w.and([w('in_england', '=', true), w('state_funded', '=', true)]))
          .as('stateFundedInEngland'),
      ])
      .executeTakeFirstOrThrow()
    // The DfE's state-funded extract of the same day lists 22,010 schools; 36 of them were
    // "open, but proposed to close" or "proposed to open", which the open-only file leaves out.
    expect(counts).toEqual({ all: 27_153, england: 25_113, stateFundedInEngland: 21_974 })
  })

  it('adds postcodes from the state-funded extract without closing the schools it lacks', async () => {
    const result = await importSchools(database.db, systemClock, {
      fileName: 'gias_statefunded_edubaseallstatefunded20250524.csv',
      bytes: fs.readFileSync(GIAS_STATE_FUNDED),
      mode: 'partial',
    })
    expect(result).toMatchObject({ rowsRead: 22_010, inserted: 36, closed: 0, rejected: 0 })
    expect(result.updated).toBeGreaterThan(21_000)
    const aldgate = await findSchool(database.db, 100000)
    expect(aldgate).toMatchObject({ name: 'The Aldgate School', postcode: 'EC3A 5DE', pupils: 244 })
  })

  it('imports the links, so an old URN finds the current school', async () => {
    const result = await importSchoolLinks(database.db, systemClock, {
      fileName: 'links_edubasealldata20250422.csv',
      bytes: fs.readFileSync(GIAS_LINKS),
    })
    expect(result.rowsRead).toBe(33_801)
    expect(result.rejected).toBe(0)
  })

  it('gives every open school in a mapped LA its hub, and leaves the rest a visible gap', async () => {
    const result = await importHubs(database.db, systemClock, {
      fileName: 'hub_areas.csv',
      bytes: fs.readFileSync(HUB_AREAS),
    })
    expect(result).toMatchObject({ rowsRead: 55, inserted: 55, rejected: 0 })
    const hubs = await listHubs(database.db)
    expect(hubs).toHaveLength(14)
    const boolean = hubs.find((h) => h.name === 'Boolean Maths Hub')!
    expect(boolean.areaCount).toBe(5)

    const unserved = await database.db
      .selectFrom('schools as s')
      .innerJoin('hub_areas as a', 'a.la_code', 's.la_code')
      .leftJoin('hubs as h', 'h.id', 'a.hub_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('s.open', '=', true)
      .where('h.id', 'is', null)
      .executeTakeFirstOrThrow()
    expect(unserved.n).toBe(0)

    const gaps = await schoolsWithoutHub(database.db)
    expect(gaps.length).toBeGreaterThan(50)
    expect(gaps.find((g) => g.laCode === '201')?.laName).toBe('City of London')
  })

  it('knows real schools: state-funded, independent, Welsh', async () => {
    const aldgate = await findSchool(database.db, 100000)
    expect(aldgate).toMatchObject({ inEngland: true, stateFunded: true, phase: 'Primary', laCode: '201' })
    const girls = await findSchool(database.db, 100001)
    expect(girls).toMatchObject({
      name: 'City of London School for Girls',
      typeGroup: 'Independent schools',
      inEngland: true,
      stateFunded: false,
    })
    const welsh = await database.db
      .selectFrom('schools')
      .select(['urn'])
      .where('type_group', '=', 'Welsh schools')
      .orderBy('urn')
      .executeTakeFirstOrThrow()
    expect(await findSchool(database.db, welsh.urn)).toMatchObject({ inEngland: false, hub: null })
  })

  it('finds a school by name, URN and postcode', async () => {
    const byName = await searchSchools(database.db, { q: 'aldgate', page: 1, pageSize: 10 })
    expect(byName.items[0]?.urn).toBe(100000)
    const byPostcode = await searchSchools(database.db, { q: 'ec3a5de', page: 1, pageSize: 10 })
    expect(byPostcode.items.map((s) => s.urn)).toContain(100000)
    const hits = await findHubFor(database.db, '100000')
    expect(hits.items[0]).toMatchObject({ urn: 100000, hub: null })
  })

  it('shows a Bristol school its hub', async () => {
    const { items } = await searchSchools(database.db, {
      la: '801',
      phase: 'Primary',
      open: true,
      page: 1,
      pageSize: 5,
    })
    expect(items.length).toBe(5)
    for (const school of items) expect(school.hub?.name).toBe('Boolean Maths Hub')
    const hub = await findHub(database.db, items[0]!.hub!.id)
    expect(hub?.areas.map((a) => a.laCode).sort()).toEqual(['800', '801', '802', '803', '933'])
  })
})
