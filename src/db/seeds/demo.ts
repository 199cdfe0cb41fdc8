// The demo: fictional hubs and schools, made deterministically and loaded through the same
// imports as the real register. Every name is invented; URNs are 990001 upwards, local authority
// codes 951-958 and 690 (none of them real), postcodes start ZZ (never issued).
import { sql } from 'kysely'
import type { Db } from '../database.ts'
import type { Clock } from '../../lib/clock.ts'
import { importHubs } from '../../domain/hubs/import-hubs.ts'
import { importSchoolLinks } from '../../domain/schools/import-school-links.ts'
import { importSchools } from '../../domain/schools/import-schools.ts'
import { loadDemoDevelopmentYear } from '../../domain/participants/participants.demo.ts'
import { loadDemoWorkGroups } from '../../domain/work-groups/work-groups.demo.ts'
import { loadDemoApplications } from './demo-applications.ts'
import { loadDemoCohorts } from './demo-cohorts.ts'
import { DEMO_APPLICANT_PERSONAS, loadDemoPeople } from './demo-people.ts'

export const DEMO_SETTING = 'demo'

/** A small seeded generator (mulberry32), so the demo is the same every time. */
function seeded(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  }
}

const LOCAL_AUTHORITIES = [
  { code: '951', name: 'Northvale', towns: ['Northvale', 'Ashby Moor', 'Kettlewick'] },
  { code: '952', name: 'Greyhaven', towns: ['Greyhaven', 'Saltcombe'] },
  { code: '953', name: 'Riverside', towns: ['Riverford', 'Millbridge', 'Otterley'] },
  { code: '954', name: 'Lowmarsh', towns: ['Lowmarsh', 'Fenby'] },
  { code: '955', name: 'Eastmoor', towns: ['Eastmoor', 'Brackenfield', 'Hollins Cross'] },
  { code: '956', name: 'Southdown', towns: ['Southdown', 'Chalkhurst'] },
  { code: '957', name: 'Westerleigh', towns: ['Westerleigh', 'Pennock'] },
  // An authority with no hub recorded yet: the visible gap.
  { code: '958', name: 'Farthingdale', towns: ['Farthingdale', 'Quarrington'] },
] as const

export const DEMO_HUBS = [
  { name: 'Northvale Maths Hub', las: ['951', '952'], slug: 'northvale', phone: '01632 960001' },
  { name: 'Riverside Maths Hub', las: ['953', '954'], slug: 'riverside', phone: '01632 960002' },
  { name: 'Eastmoor Maths Hub', las: ['955'], slug: 'eastmoor', phone: '01632 960003' },
  {
    name: 'Southdown and Westerleigh Maths Hub',
    las: ['956', '957'],
    slug: 'southdown',
    phone: '01632 960004',
  },
] as const

const NAME_STEMS = [
  'Oakfield',
  'Riverside',
  'Hillcrest',
  'Meadowbank',
  'Brookside',
  'Ashgrove',
  'Willowbrook',
  'Fernhill',
  'Kingsmead',
  'Elmhurst',
  'Larkrise',
  'Beacon',
  'Foxwood',
  'Harewood',
  'Holly Bank',
  'Juniper',
  'Linden',
  'Maple',
  'Orchard',
  'Primrose',
  'Rowan',
  'Sandhill',
  'Thornbury',
  'Westfield',
  'Yewtree',
  'Bramble',
  'Cedar',
  'Heathside',
  'Millfield',
  'Northgate',
  "St Anne's",
  "St Mary's",
  "St Peter's",
  'Holy Trinity',
  "St Joseph's",
  'Christ Church',
  'All Saints',
  "St Aidan's",
  "St Hilda's",
  'Greenacre',
] as const

type Kind = {
  type: string
  group: string
  phase: string
  suffixes: readonly string[]
  pupils: [number, number]
  weight: number
}

const KINDS: readonly Kind[] = [
  {
    type: 'Community school',
    group: 'Local authority maintained schools',
    phase: 'Primary',
    suffixes: ['Primary School', 'Infant School', 'Junior School'],
    pupils: [90, 450],
    weight: 22,
  },
  {
    type: 'Voluntary aided school',
    group: 'Local authority maintained schools',
    phase: 'Primary',
    suffixes: ['Catholic Primary School', 'CofE Primary School'],
    pupils: [100, 420],
    weight: 9,
  },
  {
    type: 'Voluntary controlled school',
    group: 'Local authority maintained schools',
    phase: 'Primary',
    suffixes: ['CofE Primary School'],
    pupils: [60, 300],
    weight: 5,
  },
  {
    type: 'Academy converter',
    group: 'Academies',
    phase: 'Primary',
    suffixes: ['Primary Academy', 'Primary School'],
    pupils: [150, 630],
    weight: 20,
  },
  {
    type: 'Academy sponsor led',
    group: 'Academies',
    phase: 'Primary',
    suffixes: ['Primary Academy'],
    pupils: [180, 460],
    weight: 6,
  },
  {
    type: 'Academy converter',
    group: 'Academies',
    phase: 'Secondary',
    suffixes: ['Academy', 'School', 'High School'],
    pupils: [700, 1700],
    weight: 7,
  },
  {
    type: 'Academy sponsor led',
    group: 'Academies',
    phase: 'Secondary',
    suffixes: ['Academy'],
    pupils: [600, 1400],
    weight: 4,
  },
  {
    type: 'Community school',
    group: 'Local authority maintained schools',
    phase: 'Secondary',
    suffixes: ['High School', 'Community College'],
    pupils: [600, 1300],
    weight: 2,
  },
  {
    type: 'Free schools',
    group: 'Free Schools',
    phase: 'All-through',
    suffixes: ['All-through School'],
    pupils: [900, 1800],
    weight: 1,
  },
  {
    type: 'Foundation school',
    group: 'Local authority maintained schools',
    phase: 'Middle deemed secondary',
    suffixes: ['Middle School'],
    pupils: [300, 600],
    weight: 1,
  },
  {
    type: 'Local authority nursery school',
    group: 'Local authority maintained schools',
    phase: 'Nursery',
    suffixes: ['Nursery School'],
    pupils: [40, 120],
    weight: 2,
  },
  {
    type: 'Community special school',
    group: 'Special schools',
    phase: 'Not applicable',
    suffixes: ['Special School', 'School'],
    pupils: [50, 200],
    weight: 3,
  },
  {
    type: 'Academy special converter',
    group: 'Academies',
    phase: 'Not applicable',
    suffixes: ['Academy'],
    pupils: [60, 220],
    weight: 2,
  },
  {
    type: 'Pupil referral unit',
    group: 'Local authority maintained schools',
    phase: 'Not applicable',
    suffixes: ['Learning Centre'],
    pupils: [15, 60],
    weight: 1,
  },
  {
    type: 'Other independent school',
    group: 'Independent schools',
    phase: 'Not applicable',
    suffixes: ['Preparatory School', 'College'],
    pupils: [120, 900],
    weight: 4,
  },
  {
    type: 'Academy 16-19 converter',
    group: 'Academies',
    phase: '16 plus',
    suffixes: ['Sixth Form College'],
    pupils: [600, 1500],
    weight: 1,
  },
]

const HEADER = [
  'URN',
  'LA (code)',
  'LA (name)',
  'EstablishmentName',
  'TypeOfEstablishment (name)',
  'EstablishmentTypeGroup (name)',
  'PhaseOfEducation (name)',
  'EstablishmentStatus (name)',
  'Town',
  'Postcode',
  'NumberOfPupils',
  'PercentageFSM',
  'Easting',
  'Northing',
]

function csvLine(values: (string | number)[]): string {
  return values
    .map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v)))
    .join(',')
}

export interface DemoData {
  schoolsCsv: string
  linksCsv: string
  hubsCsv: string
  schoolCount: number
}

export function buildDemoData(schoolCount = 480): DemoData {
  const random = seeded(20_250_524)
  const totalWeight = KINDS.reduce((sum, k) => sum + k.weight, 0)
  const pickKind = () => {
    let roll = random.next() * totalWeight
    for (const kind of KINDS) {
      roll -= kind.weight
      if (roll < 0) return kind
    }
    return KINDS[0]!
  }
  const rows: string[] = [csvLine(HEADER)]
  const links: string[] = [csvLine(['URN', 'LinkURN', 'LinkName', 'LinkType', 'LinkEstablishedDate'])]
  const usedNames = new Set<string>()
  for (let index = 0; index < schoolCount; index++) {
    const urn = 990_001 + index
    const la = LOCAL_AUTHORITIES[index % LOCAL_AUTHORITIES.length]!
    const kind = pickKind()
    const town = random.pick(la.towns)
    let name = `${random.pick(NAME_STEMS)} ${random.pick(kind.suffixes)}`
    if (usedNames.has(`${name}/${town}`)) name = `${town} ${name}`
    usedNames.add(`${name}/${town}`)
    const postcode = `ZZ${random.int(1, 9)} ${random.int(1, 9)}${random.pick('ABDEFGHJLNPQRSTUWXYZ'.split(''))}${random.pick('ABDEFGHJLNPQRSTUWXYZ'.split(''))}`
    const fsm = kind.group === 'Independent schools' ? '' : (random.int(30, 480) / 10).toFixed(1)
    // Every 40th school converted to an academy: the old school is closed, its successor open.
    const converted = index % 40 === 7 && kind.group === 'Local authority maintained schools'
    rows.push(
      csvLine([
        urn,
        la.code,
        la.name,
        name,
        kind.type,
        kind.group,
        kind.phase,
        converted ? 'Closed' : 'Open',
        town,
        postcode,
        random.int(...kind.pupils),
        fsm,
        random.int(400_000, 460_000),
        random.int(300_000, 360_000),
      ]),
    )
    if (converted) {
      const successorUrn = 995_001 + index
      const successorName = name.replace(/ (Primary School|School|High School)$/, ' Academy')
      rows.push(
        csvLine([
          successorUrn,
          la.code,
          la.name,
          successorName === name ? `${name} Academy` : successorName,
          'Academy converter',
          'Academies',
          kind.phase,
          'Open',
          town,
          postcode,
          random.int(...kind.pupils),
          fsm,
          random.int(400_000, 460_000),
          random.int(300_000, 360_000),
        ]),
      )
      links.push(csvLine([urn, successorUrn, successorName, 'Successor', '01-09-2024']))
      links.push(csvLine([successorUrn, urn, name, 'Predecessor', '01-09-2024']))
    }
  }
  // A school across the border in Wales, which Maths Hubs do not serve.
  rows.push(
    csvLine([
      999_001,
      '690',
      'Demo Welsh authority',
      'Ysgol Gynradd Demo',
      'Welsh establishment',
      'Welsh schools',
      'Primary',
      'Open',
      'Aberdemo',
      'ZZ9 9ZZ',
      180,
      '',
      '',
      '',
    ]),
  )
  const hubsCsv = [
    csvLine(['hub_name', 'la_code', 'la_name', 'contact_email', 'contact_phone', 'website']),
    ...DEMO_HUBS.flatMap((hub) =>
      hub.las.map((code) =>
        csvLine([
          hub.name,
          code,
          LOCAL_AUTHORITIES.find((la) => la.code === code)!.name,
          `${hub.slug}@mathshub.example`,
          hub.phone,
          `https://${hub.slug}.mathshub.example`,
        ]),
      ),
    ),
  ].join('\n')
  return { schoolsCsv: rows.join('\n'), linksCsv: links.join('\n'), hubsCsv, schoolCount: rows.length - 1 }
}

export async function isDemoLoaded(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('service_settings')
    .select('key')
    .where('key', '=', DEMO_SETTING)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Loads the demo into an empty register. Returns false (and changes nothing) if the register has data.
 * With `applications`, as `masteryhub demo` loads it, teachers have also applied, been endorsed and
 * submitted in the open Primary cohort (demo-applications.ts), so selection can be tried; tests that
 * build their own applications load the demo without them.
 */
export async function loadDemo(
  db: Db,
  clock: Clock,
  options: { applications?: boolean; baseUrl?: string } = {},
): Promise<boolean> {
  if (await isDemoLoaded(db)) return true
  const existing = await db.selectFrom('schools').select('urn').limit(1).executeTakeFirst()
  if (existing) return false
  const demo = buildDemoData()
  const encode = (text: string) => new TextEncoder().encode(text)
  await importSchools(db, clock, {
    fileName: 'demo-schools.csv',
    bytes: encode(demo.schoolsCsv),
    mode: 'full',
  })
  await importSchoolLinks(db, clock, { fileName: 'demo-links.csv', bytes: encode(demo.linksCsv) })
  await importHubs(db, clock, { fileName: 'demo-hubs.csv', bytes: encode(demo.hubsCsv) })
  // One school served across a boundary: a Farthingdale school that Eastmoor Maths Hub serves.
  await db
    .insertInto('school_hub_overrides')
    .values({
      urn: 990_016,
      hub_id: 'eastmoor-maths-hub',
      reason: 'Part of a trust whose other schools Eastmoor serves',
    })
    .execute()
  await loadDemoPeople(db)
  await loadDemoCohorts(db, clock)
  await loadDemoDevelopmentYear(db, clock)
  await loadDemoWorkGroups(db, clock)
  if (options.applications) {
    await loadDemoPeople(db, DEMO_APPLICANT_PERSONAS)
    await loadDemoApplications(db, clock, options.baseUrl ?? 'http://localhost:3000')
  }
  await db
    .insertInto('service_settings')
    .values({
      key: DEMO_SETTING,
      value: JSON.stringify({ loadedAt: clock.now().toISOString(), schools: demo.schoolCount }),
    })
    .execute()
  await sql`ANALYZE`.execute(db)
  return true
}
