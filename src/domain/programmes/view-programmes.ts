// Use-cases for everyone, signed in or not: the programme catalogue, a cohort with where its
// application window stands by the injected clock, and whether a school can take part in a
// programme. ("Tell me when it opens" is in opening-notices.ts.)
import { wholeNumber } from '../../lib/whole-number.ts'
import { URN_RANGE } from '../schools/school-queries.ts'
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { findSchool } from '../schools/schools.repository.ts'
import type { UseCaseContext } from '../use-case.ts'
import { checkEligibility, type Eligibility } from './eligibility.ts'
import {
  findCohort,
  findProgramme,
  listCohorts,
  listProgrammes,
  type Cohort,
  type Programme,
} from './programmes.repository.ts'

export type CohortStatus = 'upcoming' | 'open' | 'closed'
export const COHORT_STATUSES: readonly CohortStatus[] = ['upcoming', 'open', 'closed']

/** The window is open from its opening instant up to, not including, its closing instant. */
export function cohortStatus(cohort: { opensAt: Date; closesAt: Date }, now: Date): CohortStatus {
  if (now.getTime() < cohort.opensAt.getTime()) return 'upcoming'
  if (now.getTime() < cohort.closesAt.getTime()) return 'open'
  return 'closed'
}

export interface CohortView extends Cohort {
  status: CohortStatus
}

export interface ProgrammeView extends Programme {
  cohorts: CohortView[]
}

function withStatus(cohort: Cohort, now: Date): CohortView {
  return { ...cohort, status: cohortStatus(cohort, now) }
}

/** Every programme, in catalogue order, each with its cohorts (newest first). */
export async function viewProgrammes(context: UseCaseContext): Promise<ProgrammeView[]> {
  const now = context.clock.now()
  const [programmes, cohorts] = await Promise.all([listProgrammes(context.db), listCohorts(context.db)])
  return programmes.map((programme) => ({
    ...programme,
    cohorts: cohorts.filter((c) => c.programmeId === programme.id).map((c) => withStatus(c, now)),
  }))
}

export async function viewProgramme(context: UseCaseContext, id: string): Promise<ProgrammeView> {
  const programme = await findProgramme(context.db, id)
  if (!programme) throw new NotFoundError('Programme')
  const now = context.clock.now()
  const cohorts = await listCohorts(context.db, { programmeId: id })
  return { ...programme, cohorts: cohorts.map((c) => withStatus(c, now)) }
}

export async function viewCohort(context: UseCaseContext, id: string): Promise<CohortView> {
  const cohort = await findCohort(context.db, id)
  if (!cohort) throw new NotFoundError('Cohort')
  return withStatus(cohort, context.clock.now())
}

export const eligibilityInput = z.object({
  urn: wholeNumber('URN', URN_RANGE),
  programme: z.string({ error: 'Select a programme' }).max(100, 'Select a programme'),
})

/** Whether the school with the URN can take part in the programme; an unknown URN is an answer. */
export async function checkSchoolEligibility(context: UseCaseContext, raw: unknown): Promise<Eligibility> {
  const { urn, programme: programmeId } = parseInput(eligibilityInput, raw)
  const [programme, school] = await Promise.all([
    findProgramme(context.db, programmeId),
    findSchool(context.db, urn),
  ])
  if (!programme) {
    throw new ValidationError([
      { code: 'unknown', field: 'programme', message: `There is no programme with the id ${programmeId}` },
    ])
  }
  return checkEligibility(school, programme)
}
