// Work Group allocation problems built from the real register: a hub's state-funded schools of
// one phase (the DfE's state-funded extract, with Easting/Northing from the open-establishments
// file), every one of them a candidate host with a group of six.
import fs from 'node:fs'
import { parse } from 'csv-parse/sync'
import {
  DEFAULT_CAPACITY,
  schoolPhaseFromGias,
  type AllocationProblemInput,
  type SchoolPhase,
} from '../src/domain/work-groups/allocation/allocation-problem.ts'
import { GIAS_OPEN, GIAS_STATE_FUNDED, HUB_AREAS_EXTENDED } from './shared-data.ts'

export interface RegisterSchool {
  urn: number
  name: string
  laCode: string
  /** GIAS's PhaseOfEducation (name). */
  giasPhase: string
  phase: SchoolPhase
  easting: number
  northing: number
  pupils: number
}

type Row = Record<string, string>

function readCsv(file: string): Row[] {
  return parse(fs.readFileSync(file), { columns: true, bom: true, skip_empty_lines: true }) as Row[]
}

export function allocationDataAvailable(): boolean {
  return [GIAS_OPEN, GIAS_STATE_FUNDED, HUB_AREAS_EXTENDED].every((file) => fs.existsSync(file))
}

let cached: RegisterSchool[] | undefined

/** England's open state-funded schools that take part in Work Groups and have coordinates. */
export function registerSchools(): RegisterSchool[] {
  if (cached) return cached
  const coordinates = new Map<string, { easting: number; northing: number; pupils: number }>()
  for (const row of readCsv(GIAS_OPEN)) {
    const easting = Number(row['Easting'])
    const northing = Number(row['Northing'])
    if (row['Easting'] && row['Northing'] && easting > 0 && northing > 0)
      coordinates.set(row['URN']!, { easting, northing, pupils: Number(row['NumberOfPupils'] || 0) })
  }
  const schools: RegisterSchool[] = []
  for (const row of readCsv(GIAS_STATE_FUNDED)) {
    const at = coordinates.get(row['URN']!)
    const phase = schoolPhaseFromGias(row['PhaseOfEducation (name)'] ?? '')
    if (!at || !phase) continue
    schools.push({
      urn: Number(row['URN']),
      name: row['EstablishmentName'] ?? '',
      laCode: row['LA (code)'] ?? '',
      giasPhase: row['PhaseOfEducation (name)'] ?? '',
      phase,
      ...at,
    })
  }
  cached = schools
  return schools
}

/** Each hub's local authorities. */
export function hubAreas(): Map<string, Set<string>> {
  const areas = new Map<string, Set<string>>()
  for (const row of readCsv(HUB_AREAS_EXTENDED)) {
    const hub = row['hub_name']!
    areas.set(hub, (areas.get(hub) ?? new Set()).add(row['la_code']!))
  }
  return areas
}

export interface RegisterProblemOptions {
  hubs: readonly string[]
  /** Secondary: secondary, middle deemed secondary and all-through schools; primary likewise. */
  phase: 'primary' | 'secondary'
  capacity?: number
  /**
   * Candidate hosts: every school (absent), or this many per group needed, taken from the schools
   * with the most pupils (where a Mastery Specialist is likeliest), ties by URN.
   */
  hostsPerGroup?: number
}

/** Every school of the phase in the hubs' areas, each a candidate host of its own phase's group. */
export function registerProblem(options: RegisterProblemOptions): AllocationProblemInput & {
  schools: { urn: number; easting: number; northing: number; phase: SchoolPhase }[]
} {
  const areas = hubAreas()
  const laCodes = new Set<string>()
  for (const hub of options.hubs) {
    const las = areas.get(hub)
    if (!las) throw new Error(`No hub called ${hub} in the hub areas`)
    for (const la of las) laCodes.add(la)
  }
  const schools = registerSchools()
    .filter((s) => laCodes.has(s.laCode))
    .filter((s) => s.phase === options.phase || (s.phase === 'cross-phase' && s.giasPhase === 'All-through'))
    .sort((a, b) => a.urn - b.urn)
  const capacity = options.capacity ?? DEFAULT_CAPACITY
  const hostCount =
    options.hostsPerGroup === undefined
      ? schools.length
      : Math.min(schools.length, Math.ceil(schools.length / capacity) * options.hostsPerGroup)
  const hostSchools = [...schools]
    .sort((a, b) => b.pupils - a.pupils || a.urn - b.urn)
    .slice(0, hostCount)
    .sort((a, b) => a.urn - b.urn)
  return {
    schools: schools.map(({ urn, easting, northing, phase }) => ({ urn, easting, northing, phase })),
    hosts: hostSchools.map((s) => ({
      id: `school:${s.urn}`,
      easting: s.easting,
      northing: s.northing,
      phase: options.phase,
      capacity,
      schoolUrn: s.urn,
    })),
  }
}
