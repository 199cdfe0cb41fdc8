import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { fixedClock } from '../../lib/clock.ts'
import { findSchool, schoolsWithoutHub } from '../schools/schools.repository.ts'
import { importSchools } from '../schools/import-schools.ts'
import { findHub, listHubs } from './hubs.repository.ts'
import { importHubs } from './import-hubs.ts'

const clock = fixedClock('2026-11-22T10:00:00Z')
const encode = (text: string) => new TextEncoder().encode(text)
let database: TestDatabase

const SCHOOLS = [
  'URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name)',
  '100001,886,Kent,Alpha Primary,Community school,Primary',
  '100002,887,Medway,Beta Academy,Academy converter,Secondary',
  '100003,201,City of London,Gamma Primary,Community school,Primary',
].join('\n')

beforeAll(async () => {
  database = await createTestDatabase()
  await importSchools(database.db, clock, { fileName: 's.csv', bytes: encode(SCHOOLS), mode: 'full' })
})
afterAll(async () => {
  await database?.destroy()
})

describe('importHubs', () => {
  it('creates hubs and gives each LA one hub; an LA with no hub is a gap, not an error', async () => {
    const result = await importHubs(database.db, clock, {
      fileName: 'areas.csv',
      bytes: encode(
        'hub_name,la_code,la_name,source_url\nKent and Medway Maths Hub,886,Kent,x\nKent and Medway Maths Hub,887,Medway,x\n',
      ),
    })
    expect(result).toMatchObject({ rowsRead: 2, inserted: 2, rejected: 0 })
    expect(await findSchool(database.db, 100001)).toMatchObject({
      hub: { id: 'kent-and-medway-maths-hub', name: 'Kent and Medway Maths Hub' },
    })
    expect((await findSchool(database.db, 100003))?.hub).toBeNull()
    expect(await schoolsWithoutHub(database.db)).toEqual([
      { laCode: '201', laName: 'City of London', schools: 1 },
    ])
    const hub = await findHub(database.db, 'kent-and-medway-maths-hub')
    expect(hub?.schoolCount).toBe(2)
  })

  it('refuses a second hub for the same LA, naming the line, and validates contacts', async () => {
    const result = await importHubs(database.db, clock, {
      fileName: 'clash.csv',
      bytes: encode(
        [
          'hub_name,la_code,contact_email,website',
          'Kent and Medway Maths Hub,886,kent@mathshub.example,https://kent.example',
          'London Central Maths Hub,886,,',
          'London Central Maths Hub,20,,',
          'London Central Maths Hub,201,not-an-email,',
          'London Central Maths Hub,201,,javascript:alert(1)',
        ].join('\n'),
      ),
    })
    expect(result.problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'la_code'],
      [4, 'la_code'],
      [5, 'contact_email'],
      [6, 'website'],
    ])
    expect(result.problems[0]!.message).toMatch(/already given to Kent and Medway Maths Hub on line 2/)
    // The file is the whole map: Medway is no longer listed, so it no longer has a hub.
    expect(result.closed).toBe(1)
    expect((await findSchool(database.db, 100002))?.hub).toBeNull()
    const hubs = await listHubs(database.db)
    expect(hubs.map((h) => [h.name, h.contactEmail])).toEqual([
      ['Kent and Medway Maths Hub', 'kent@mathshub.example'],
    ])
  })

  it('refuses a file without hub_name and la_code whole', async () => {
    await expect(
      importHubs(database.db, clock, { fileName: 'x.csv', bytes: encode('hub,la\nA,886\n') }),
    ).rejects.toThrow(/"hub_name", "la_code"/)
    expect((await findSchool(database.db, 100001))?.hub?.name).toBe('Kent and Medway Maths Hub')
  })
})
