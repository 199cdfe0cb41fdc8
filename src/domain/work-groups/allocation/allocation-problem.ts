// The Work Group allocation problem as data: a hub's interested schools for one programme and
// year, the candidate hosts that could open a group, and the hub's own rules (schools already
// placed, pairs kept apart or together, how many groups). Checked by zod before anything is solved.
import { z } from 'zod'
import { parseNestedInput } from '../../../errors.ts'
import type { WorkGroupPhase } from '../../../db/schema.ts'

/** A school's phase for grouping: an all-through or special school may join any group. */
export type SchoolPhase = 'primary' | 'secondary' | 'cross-phase'

/** A group's phase: a cross-phase group takes any school. */
export type HostPhase = WorkGroupPhase

/** A group of six schools unless the host says otherwise (Readiness groups take up to eight). */
export const DEFAULT_CAPACITY = 6
export const MOST_CAPACITY = 8

const coordinate = z.number().int().min(0).max(1_300_000)
const urn = z.number().int().positive()

const schoolSchema = z.object({
  urn,
  /** Easting and Northing in metres (GIAS, British National Grid). */
  easting: coordinate,
  northing: coordinate,
  phase: z.enum(['primary', 'secondary', 'cross-phase']),
})

const hostSchema = z.object({
  /** Stable id chosen by the caller, e.g. "school:123456" or "venue:7". */
  id: z.string().trim().min(1).max(80),
  easting: coordinate,
  northing: coordinate,
  phase: z.enum(['primary', 'secondary', 'cross-phase']),
  capacity: z.number().int().min(1).max(MOST_CAPACITY).default(DEFAULT_CAPACITY),
  /** The school the group would meet at, when the host is one of the interested schools. */
  schoolUrn: urn.optional(),
})

const pair = z.tuple([urn, urn]).refine(([a, b]) => a !== b, 'A pair names two different schools')

export const allocationProblemSchema = z
  .object({
    schools: z.array(schoolSchema).min(1, 'Name at least one school').max(20_000),
    hosts: z.array(hostSchema).min(1, 'Name at least one candidate host').max(20_000),
    /** Schools the hub has already placed: they stay in that host's group. */
    fixed: z.array(z.object({ urn, hostId: z.string().trim().min(1) })).default([]),
    /** Pairs of schools that must be in different groups. */
    apart: z.array(pair).default([]),
    /** Pairs of schools that must be in the same group. */
    together: z.array(pair).default([]),
    /** How many groups may open; absent means the fewest that the capacities allow. */
    groups: z
      .object({
        min: z.number().int().min(1).optional(),
        max: z.number().int().min(1).optional(),
      })
      .refine((g) => g.min === undefined || g.max === undefined || g.min <= g.max, {
        message: 'The fewest groups cannot be more than the most groups',
      })
      .optional(),
  })
  .superRefine((problem, context) => {
    const urns = new Set<number>()
    problem.schools.forEach((school, i) => {
      if (urns.has(school.urn))
        context.addIssue({
          code: 'custom',
          path: ['schools', i, 'urn'],
          message: `School ${school.urn} is named twice`,
        })
      urns.add(school.urn)
    })
    const hostIds = new Map<string, (typeof problem.hosts)[number]>()
    problem.hosts.forEach((host, i) => {
      if (hostIds.has(host.id))
        context.addIssue({
          code: 'custom',
          path: ['hosts', i, 'id'],
          message: `Host ${host.id} is named twice`,
        })
      hostIds.set(host.id, host)
    })
    const schoolByUrn = new Map(problem.schools.map((s) => [s.urn, s]))
    const hostSchools = new Set<number>()
    problem.hosts.forEach((host, i) => {
      if (host.schoolUrn === undefined) return
      const school = schoolByUrn.get(host.schoolUrn)
      if (hostSchools.has(host.schoolUrn))
        context.addIssue({
          code: 'custom',
          path: ['hosts', i, 'schoolUrn'],
          message: `School ${host.schoolUrn} hosts two candidate groups`,
        })
      hostSchools.add(host.schoolUrn)
      if (school && !phaseFits(school.phase, host.phase))
        context.addIssue({
          code: 'custom',
          path: ['hosts', i, 'phase'],
          message: `Host ${host.id} is a ${host.phase} group but its own school is ${school.phase}`,
        })
    })
    const fixedUrns = new Set<number>()
    problem.fixed.forEach((f, i) => {
      if (!urns.has(f.urn))
        context.addIssue({
          code: 'custom',
          path: ['fixed', i, 'urn'],
          message: `School ${f.urn} is not in the problem`,
        })
      if (!hostIds.has(f.hostId))
        context.addIssue({
          code: 'custom',
          path: ['fixed', i, 'hostId'],
          message: `Host ${f.hostId} is not in the problem`,
        })
      if (fixedUrns.has(f.urn))
        context.addIssue({
          code: 'custom',
          path: ['fixed', i, 'urn'],
          message: `School ${f.urn} is placed twice`,
        })
      fixedUrns.add(f.urn)
    })
    for (const key of ['apart', 'together'] as const) {
      problem[key].forEach(([a, b], i) => {
        for (const [j, u] of [a, b].entries())
          if (!urns.has(u))
            context.addIssue({
              code: 'custom',
              path: [key, i, j],
              message: `School ${u} is not in the problem`,
            })
      })
    }
  })

export type AllocationProblemInput = z.input<typeof allocationProblemSchema>
export type AllocationProblem = z.output<typeof allocationProblemSchema>
export type AllocationSchool = AllocationProblem['schools'][number]
export type CandidateHost = AllocationProblem['hosts'][number]

/** Checks the problem's shape and references; a refusal is a ValidationError naming each field. */
export function parseAllocationProblem(input: AllocationProblemInput | AllocationProblem): AllocationProblem {
  return parseNestedInput(allocationProblemSchema, input)
}

/** A school fits a group of its own phase, a cross-phase school fits any group, a cross-phase group takes any school. */
export function phaseFits(school: SchoolPhase, host: HostPhase): boolean {
  return host === 'cross-phase' || school === 'cross-phase' || school === host
}

/** Straight-line distance between two Easting/Northing points, in whole metres. */
export function distanceMetres(
  a: { easting: number; northing: number },
  b: { easting: number; northing: number },
): number {
  return Math.round(Math.hypot(a.easting - b.easting, a.northing - b.northing))
}

/**
 * The grouping phase of a GIAS "PhaseOfEducation (name)": middle schools go with the phase they are
 * deemed, all-through and special schools ("Not applicable") may join any group; nurseries and
 * 16 plus establishments take no part in Teaching for Mastery Work Groups.
 */
export function schoolPhaseFromGias(giasPhase: string): SchoolPhase | undefined {
  switch (giasPhase) {
    case 'Primary':
    case 'Middle deemed primary':
      return 'primary'
    case 'Secondary':
    case 'Middle deemed secondary':
      return 'secondary'
    case 'All-through':
    case 'Not applicable':
      return 'cross-phase'
    default:
      return undefined
  }
}
