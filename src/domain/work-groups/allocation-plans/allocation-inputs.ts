// What allocation starts from, for one hub, programme and academic year: the schools that want a
// place (ready, or on the waiting list) and those already accepted, with the register's
// Easting/Northing; the hub's recruiting and running groups with their lead specialists' schools;
// and the pairs the hub keeps apart or together. Turned into the solver's problem (see ADR 0024):
// a group that already has schools stays where it is and keeps them; each empty group opens at
// one of the candidate hosts (an interested school, or a lead specialist's school).
import type { Executor } from '../../../db/database.ts'
import type { WorkGroupInterestStatus, WorkGroupPhase, WorkGroupState } from '../../../db/schema.ts'
import {
  schoolPhaseFromGias,
  type AllocationProblemInput,
  type SchoolPhase,
} from '../allocation/allocation-problem.ts'

export interface Point {
  easting: number
  northing: number
}

export interface InterestedSchool {
  interestId: number
  urn: number
  name: string
  phase: SchoolPhase | undefined
  location: Point | undefined
  status: WorkGroupInterestStatus
  workGroupId: number | null
}

export interface PlacesSchool {
  urn: number
  name: string
  location: Point | undefined
}

export interface AllocationGroup {
  id: number
  name: string
  capacity: number
  phase: WorkGroupPhase
  state: WorkGroupState
  host: PlacesSchool | undefined
  leadSchools: PlacesSchool[]
}

export interface PairRule {
  id: number
  kind: 'apart' | 'together'
  schoolA: number
  schoolB: number
}

export interface AllocationInputs {
  schools: InterestedSchool[]
  groups: AllocationGroup[]
  pairs: PairRule[]
}

const pointOf = (easting: number | null, northing: number | null): Point | undefined =>
  easting !== null && northing !== null && easting > 0 && northing > 0 ? { easting, northing } : undefined

export async function allocationInputs(
  db: Executor,
  scope: { hubId: string; programmeId: string; academicYear: string },
): Promise<AllocationInputs> {
  const interests = await db
    .selectFrom('work_group_interests as i')
    .innerJoin('schools as s', 's.urn', 'i.school_urn')
    .select(['i.id', 'i.status', 'i.work_group_id', 's.urn', 's.name', 's.phase', 's.easting', 's.northing'])
    .where('i.hub_id', '=', scope.hubId)
    .where('i.programme_id', '=', scope.programmeId)
    .where('i.academic_year', '=', scope.academicYear)
    .where('i.status', 'in', ['ready', 'waiting', 'accepted'])
    .orderBy('s.urn')
    .execute()
  const groups = await db
    .selectFrom('work_groups as g')
    .leftJoin('schools as h', 'h.urn', 'g.host_school_urn')
    .select([
      'g.id',
      'g.name',
      'g.capacity',
      'g.phase',
      'g.state',
      'h.urn as host_urn',
      'h.name as host_name',
      'h.easting as host_easting',
      'h.northing as host_northing',
    ])
    .where('g.hub_id', '=', scope.hubId)
    .where('g.programme_id', '=', scope.programmeId)
    .where('g.academic_year', '=', scope.academicYear)
    .where('g.state', 'in', ['recruiting', 'running'])
    .orderBy('g.name')
    .execute()
  const ids = groups.map((g) => Number(g.id))
  const leads = ids.length
    ? await db
        .selectFrom('work_group_leads as l')
        .innerJoin('participations as p', 'p.id', 'l.participation_id')
        .innerJoin('schools as s', 's.urn', 'p.school_urn')
        .select(['l.work_group_id', 's.urn', 's.name', 's.easting', 's.northing'])
        .where('l.work_group_id', 'in', ids)
        .orderBy('s.urn')
        .execute()
    : []
  const pairs = await db
    .selectFrom('work_group_pair_rules')
    .select(['id', 'kind', 'school_a', 'school_b'])
    .where('hub_id', '=', scope.hubId)
    .where('programme_id', '=', scope.programmeId)
    .where('academic_year', '=', scope.academicYear)
    .orderBy('id')
    .execute()
  return {
    schools: interests.map((r) => ({
      interestId: Number(r.id),
      urn: r.urn,
      name: r.name,
      phase: schoolPhaseFromGias(r.phase),
      location: pointOf(r.easting, r.northing),
      status: r.status,
      workGroupId: r.work_group_id === null ? null : Number(r.work_group_id),
    })),
    groups: groups.map((g) => ({
      id: Number(g.id),
      name: g.name,
      capacity: g.capacity,
      phase: g.phase,
      state: g.state,
      host:
        g.host_urn === null
          ? undefined
          : { urn: g.host_urn, name: g.host_name!, location: pointOf(g.host_easting, g.host_northing) },
      leadSchools: leads
        .filter((l) => Number(l.work_group_id) === Number(g.id))
        .map((l) => ({ urn: l.urn, name: l.name, location: pointOf(l.easting, l.northing) })),
    })),
    pairs: pairs.map((p) => ({ id: Number(p.id), kind: p.kind, schoolA: p.school_a, schoolB: p.school_b })),
  }
}

/** A candidate host in the problem: a group that stays where it is, or a place an empty group could open. */
export interface HostPlace {
  hostId: string
  /** Set for a group that already has schools (it stays where it is). */
  workGroupId?: number
  urn: number
  name: string
  location: Point
}

export interface BuiltProblem {
  problem: AllocationProblemInput
  hosts: Map<string, HostPlace>
  /** Schools the plan cannot include, with why (no location in the register, or a phase no group takes). */
  left: { urn: number; name: string; reason: string }[]
  /** The groups with no schools yet: each opened host becomes one of them. */
  emptyGroups: AllocationGroup[]
}

/** The solver's problem: every interested school placed once, empty groups opened at the best hosts. */
export function buildProblem(inputs: AllocationInputs): BuiltProblem {
  const left: BuiltProblem['left'] = []
  const hosts = new Map<string, HostPlace>()
  const placed = inputs.schools.filter((s) => s.status === 'accepted' && s.workGroupId !== null)
  const placedGroups = new Set(placed.map((s) => s.workGroupId!))
  const usable = inputs.schools.filter((s) => {
    if (!s.location) left.push({ urn: s.urn, name: s.name, reason: 'The register has no location for it' })
    else if (!s.phase) left.push({ urn: s.urn, name: s.name, reason: 'No Work Group takes its phase' })
    return s.location !== undefined && s.phase !== undefined
  })
  const schools = usable.map((s) => ({ urn: s.urn, phase: s.phase!, ...s.location! }))
  const fixed: { urn: number; hostId: string }[] = []
  const problemHosts: AllocationProblemInput['hosts'] = []
  const hostSchools = new Set<number>()
  // A group with schools stays where it meets (its host, else its first school) and keeps them.
  for (const group of inputs.groups.filter((g) => placedGroups.has(g.id))) {
    const members = usable.filter((s) => s.workGroupId === group.id)
    const at =
      group.host?.location !== undefined
        ? { urn: group.host.urn, name: group.host.name, location: group.host.location }
        : members[0]
          ? { urn: members[0].urn, name: members[0].name, location: members[0].location! }
          : undefined
    if (!at) continue
    const hostId = `group:${group.id}`
    hosts.set(hostId, { hostId, workGroupId: group.id, ...at })
    hostSchools.add(at.urn)
    for (const m of members) fixed.push({ urn: m.urn, hostId })
  }
  const emptyGroups = inputs.groups.filter((g) => !placedGroups.has(g.id))
  const capacity = emptyGroups.length ? Math.min(...emptyGroups.map((g) => g.capacity)) : 0
  const phases = new Set(emptyGroups.map((g) => g.phase))
  const groupPhase: WorkGroupPhase | undefined =
    phases.size === 1 ? [...phases][0] : phases.size > 1 ? 'cross-phase' : undefined
  if (groupPhase) {
    const places: PlacesSchool[] = [
      ...usable.filter((s) => s.status !== 'accepted'),
      ...emptyGroups.flatMap((g) => [...(g.host ? [g.host] : []), ...g.leadSchools]),
    ]
    for (const place of places) {
      if (!place.location || hostSchools.has(place.urn)) continue
      hostSchools.add(place.urn)
      const own = usable.find((s) => s.urn === place.urn)
      const hostId = `school:${place.urn}`
      hosts.set(hostId, { hostId, urn: place.urn, name: place.name, location: place.location })
      problemHosts.push({
        id: hostId,
        ...place.location,
        phase: groupPhase,
        capacity,
        ...(own && own.status !== 'accepted' ? { schoolUrn: own.urn } : {}),
      })
    }
  }
  const groupHosts = [...hosts.values()]
    .filter((h) => h.workGroupId !== undefined)
    .map((h) => {
      const group = inputs.groups.find((g) => g.id === h.workGroupId)!
      return { id: h.hostId, ...h.location, phase: group.phase, capacity: group.capacity }
    })
  const inProblem = new Set(schools.map((s) => s.urn))
  const pairsOf = (kind: 'apart' | 'together') =>
    inputs.pairs
      .filter((p) => p.kind === kind && inProblem.has(p.schoolA) && inProblem.has(p.schoolB))
      .map((p) => [p.schoolA, p.schoolB] as [number, number])
  const problem: AllocationProblemInput = {
    schools,
    hosts: [...groupHosts, ...problemHosts],
    fixed,
    apart: pairsOf('apart'),
    together: pairsOf('together'),
    groups: { max: groupHosts.length + emptyGroups.length },
  }
  return { problem, hosts, left, emptyGroups }
}
