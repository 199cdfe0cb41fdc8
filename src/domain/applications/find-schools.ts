// Use-case: the teacher searches the register for their school while choosing it, and sees at
// once whether each match can take part in the cohort's programme (a closed school names the one
// that replaced it).
import { NotFoundError, parseNestedInput } from '../../errors.ts'
import type { Paged } from '../../lib/paging.ts'
import { FIND_HUB_PAGE_SIZE, findHubFor, type FindHubResult } from '../hubs/find-hub.ts'
import { checkEligibility, type Eligibility } from '../programmes/eligibility.ts'
import { findProgramme } from '../programmes/programmes.repository.ts'
import { findHubQuery } from '../schools/school-queries.ts'
import type { UseCaseContext } from '../use-case.ts'
import { isApplicant } from './applications.policy.ts'
import { findApplication } from './applications.repository.ts'

export interface SchoolChoice extends FindHubResult {
  eligibility: Eligibility
}

export async function findSchoolsToChoose(
  context: UseCaseContext,
  applicationId: number,
  raw: unknown,
): Promise<Paged<SchoolChoice> & { suggestions: string[] }> {
  const application = await findApplication(context.db, applicationId)
  if (!application || !isApplicant(context.actor, application)) throw new NotFoundError('Application')
  const { q, page } = parseNestedInput(findHubQuery, raw)
  const programme = (await findProgramme(context.db, application.programmeId))!
  const found = await findHubFor(context.db, q, { page, pageSize: FIND_HUB_PAGE_SIZE })
  return {
    ...found,
    items: found.items.map((school) => ({ ...school, eligibility: checkEligibility(school, programme) })),
  }
}
