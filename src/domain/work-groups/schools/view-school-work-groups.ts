// Use-cases that read a school's part in Work Groups: the school's own page (each interest with its
// support answers, advocates past and present, status and group or waiting position), one interest
// (the school, the hub's team, NCETM), and the hub's list of interested schools with the groups a
// decision may place them in. Anyone who may not see it is told it is not there.
import { NotFoundError } from '../../../errors.ts'
import { findSchool } from '../../schools/schools.repository.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { listWorkGroupProgrammes, type WorkGroupProgramme } from '../work-groups.repository.ts'
import { registrableYears } from './interest-moves.ts'
import {
  canActForSchool,
  canDecideInterest,
  canViewHubInterests,
  canViewInterest,
  canViewSchoolWorkGroups,
} from './schools.policy.ts'
import {
  groupsTakingSchools,
  interestHistory,
  listHubInterests,
  listSchoolInterests,
  findInterest,
  type GroupChoice,
  type HubInterestFilter,
  type InterestHistoryRow,
  type InterestRecord,
} from './schools.repository.ts'

export interface SchoolWorkGroups {
  school: { urn: number; name: string; hubName: string | null }
  interests: InterestRecord[]
  canAct: boolean
}

export async function viewSchoolWorkGroups(context: UseCaseContext, urn: number): Promise<SchoolWorkGroups> {
  if (!canViewSchoolWorkGroups(context.actor, urn)) throw new NotFoundError('School')
  const school = await findSchool(context.db, urn)
  if (!school) throw new NotFoundError('School')
  return {
    school: { urn, name: school.name, hubName: school.hub?.name ?? null },
    interests: await listSchoolInterests(context.db, urn),
    canAct: canActForSchool(context.actor, urn),
  }
}

export interface InterestOptions {
  school: { urn: number; name: string; hubName: string | null }
  programmes: WorkGroupProgramme[]
  academicYears: string[]
}

/** What the form to register interest offers. */
export async function interestOptions(context: UseCaseContext, urn: number): Promise<InterestOptions> {
  if (!canActForSchool(context.actor, urn)) throw new NotFoundError('School')
  const school = await findSchool(context.db, urn)
  if (!school) throw new NotFoundError('School')
  return {
    school: { urn, name: school.name, hubName: school.hub?.name ?? null },
    programmes: await listWorkGroupProgrammes(context.db),
    academicYears: registrableYears(context.clock.now()),
  }
}

export interface InterestView {
  interest: InterestRecord
  history: InterestHistoryRow[]
  canAct: boolean
  canDecide: boolean
  /** The groups an accept may choose (for those who decide). */
  groups: GroupChoice[]
}

export async function viewInterest(context: UseCaseContext, id: number): Promise<InterestView> {
  const interest = await findInterest(context.db, id)
  if (!interest || !canViewInterest(context.actor, interest)) throw new NotFoundError('Interest')
  const canDecide = canDecideInterest(context.actor, interest)
  return {
    interest,
    history: await interestHistory(context.db, id),
    canAct: canActForSchool(context.actor, interest.schoolUrn),
    canDecide,
    groups: canDecide
      ? await groupsTakingSchools(context.db, interest.hubId, interest.programmeId, interest.academicYear)
      : [],
  }
}

export interface HubInterests {
  hub: { id: string; name: string }
  interests: InterestRecord[]
  canDecide: boolean
}

export async function viewHubInterests(
  context: UseCaseContext,
  hubId: string,
  filter: HubInterestFilter = {},
): Promise<HubInterests> {
  if (!canViewHubInterests(context.actor, hubId)) throw new NotFoundError('Hub')
  const hub = await context.db
    .selectFrom('hubs')
    .select(['id', 'name'])
    .where('id', '=', hubId)
    .executeTakeFirst()
  if (!hub) throw new NotFoundError('Hub')
  return {
    hub,
    interests: await listHubInterests(context.db, hubId, filter),
    canDecide: canDecideInterest(context.actor, { hubId }),
  }
}
