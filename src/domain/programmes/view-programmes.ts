// Use-cases for everyone, signed in or not: the programme catalogue, a cohort with where its
// application window stands by the injected clock, "tell me when it opens", and whether a school
// can take part in a programme.
import { wholeNumber } from '../../lib/whole-number.ts'
import { URN_RANGE } from '../schools/school-queries.ts'
import { z } from 'zod'
import { emailAddressSchema } from '../../lib/email-address.ts'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { findSchool } from '../schools/schools.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { checkEligibility, type Eligibility } from './eligibility.ts'
import {
  findCohort,
  findProgramme,
  insertInterest,
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

export const interestInput = z.object({
  email: emailAddressSchema({ required: 'Enter an email address' }),
})

/**
 * "Tell me when it opens": records an address against a cohort not yet open. Asking again with
 * the same address (in any case) changes nothing.
 */
export async function registerInterest(
  context: UseCaseContext,
  id: string,
  raw: unknown,
): Promise<{ alreadyRegistered: boolean }> {
  return inTransaction(context, async ({ tx, now, audit }) => {
    const cohort = await findCohort(tx, id)
    if (!cohort) throw new NotFoundError('Cohort')
    const status = cohortStatus(cohort, now)
    if (status !== 'upcoming') {
      throw new ValidationError([
        status === 'open'
          ? {
              code: 'cohort-open',
              field: 'cohort',
              message: 'Applications for this cohort are open now, so you can apply straight away',
            }
          : { code: 'cohort-closed', field: 'cohort', message: 'Applications for this cohort have closed' },
      ])
    }
    // Only an upcoming cohort's page asks for an address, so only then is the address checked.
    const { email } = parseInput(interestInput, raw)
    const interestId = await insertInterest(tx, cohort.id, email, now)
    if (interestId === undefined) return { alreadyRegistered: true }
    // The address itself stays out of the audit trail; the row's id finds it.
    await audit({
      action: 'cohort-interest.register',
      recordType: 'cohort',
      recordId: cohort.id,
      after: { interestId },
    })
    return { alreadyRegistered: false }
  })
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
