// Use-cases for reading applications: one, with its cohort, task list and history (for the
// applicant, the hub's team once submitted, a reviewer it is assigned to, and NCETM); the
// teacher's own; a hub's; and the widest list the actor may see, for the API.
import { NotFoundError } from '../../errors.ts'
import type { PageRequest, Paged } from '../../lib/paging.ts'
import { isNational, isSignedIn } from '../access/access.policy.ts'
import { findCohort, type Cohort } from '../programmes/programmes.repository.ts'
import { historyFor } from '../selection/deciding/decisions-history.ts'
import { REVIEW_HISTORY_EVENTS } from '../selection/reviewing/review-rules.ts'
import { reviewAccessTo } from '../selection/reviewing/reviews.repository.ts'
import type { UseCaseContext } from '../use-case.ts'
import { missingForSubmission, taskList, writtenCriteria, type TaskList } from './application-rules.ts'
import type { FieldError } from '../../errors.ts'
import {
  applicationScopeFor,
  canViewApplication,
  canViewHubApplications,
  isApplicant,
} from './applications.policy.ts'
import {
  cohortsWithApplications,
  findApplication,
  latestEndorsementRequest,
  listApplications,
  listHistory,
  pageApplications,
  type Application,
  type ApplicationFilter,
  type EndorsementRequest,
  type HistoryEntry,
} from './applications.repository.ts'

export interface ApplicationView {
  application: Application
  cohort: Cohort
  /** The actor is the applicant (may change it), rather than a reader. */
  own: boolean
  tasks: TaskList
  missing: FieldError[]
  criteria: ReturnType<typeof writtenCriteria>
  history: HistoryEntry[]
  endorsementRequest: EndorsementRequest | undefined
}

export async function viewApplication(context: UseCaseContext, id: number): Promise<ApplicationView> {
  const application = await findApplication(context.db, id)
  if (!application) throw new NotFoundError('Application')
  // A reviewer sees it through a live assignment (reviewAccessTo); the rest by their role.
  const reviewAccess = application.submittedAt ? await reviewAccessTo(context.db, application) : {}
  if (!canViewApplication(context.actor, { ...application, ...reviewAccess })) {
    throw new NotFoundError('Application')
  }
  const cohort = (await findCohort(context.db, application.cohortId))!
  const [history, endorsementRequest] = await Promise.all([
    listHistory(context.db, id),
    latestEndorsementRequest(context.db, id),
  ])
  const own = isApplicant(context.actor, application)
  return {
    application,
    cohort,
    own,
    tasks: taskList(application, cohort),
    missing: missingForSubmission(application, cohort),
    criteria: writtenCriteria(cohort),
    // Who reviews it is the hub's business, not the applicant's; so are decisions before release.
    history: historyFor(
      own ? history.filter((h) => !(REVIEW_HISTORY_EVENTS as readonly string[]).includes(h.event)) : history,
      own,
    ),
    endorsementRequest,
  }
}

/** The signed-in person's own applications, newest first. */
export async function listOwnApplications(context: UseCaseContext): Promise<Application[]> {
  const actor = context.actor
  if (!isSignedIn(actor)) throw new NotFoundError('Applications')
  return listApplications(context.db, { kind: 'applicant', personId: actor.personId })
}

/** Applications on a page of a hub's list, NCETM's list, and the API's (unless it asks for another size). */
export const APPLICATIONS_PAGE_SIZE = 50

type ListFilter = Omit<ApplicationFilter, 'limit' | 'offset'>
const FIRST_PAGE: PageRequest = { page: 1, pageSize: APPLICATIONS_PAGE_SIZE }

/**
 * A page of the applications submitted to the hub, for its team and NCETM, with the cohorts it
 * has applications to (for the links to each round's reviewers, whatever page is shown).
 */
export async function listHubApplications(
  context: UseCaseContext,
  hubId: string,
  filter: Omit<ListFilter, 'hubId'> = {},
  request: PageRequest = FIRST_PAGE,
): Promise<Paged<Application> & { cohorts: Awaited<ReturnType<typeof cohortsWithApplications>> }> {
  if (!canViewHubApplications(context.actor, hubId)) throw new NotFoundError('Hub')
  const [page, cohorts] = await Promise.all([
    pageApplications(context.db, { kind: 'hubs', hubIds: [hubId] }, filter, request),
    cohortsWithApplications(context.db, hubId),
  ])
  return { ...page, cohorts }
}

/** A page of every submitted application, for NCETM. */
export async function listAllApplications(
  context: UseCaseContext,
  filter: ListFilter = {},
  request: PageRequest = FIRST_PAGE,
): Promise<Paged<Application>> {
  if (!isNational(context.actor)) throw new NotFoundError('Applications')
  return pageApplications(context.db, { kind: 'national' }, filter, request)
}

/** A page of the widest list the actor may read: NCETM all submitted, a hub team its hubs', a teacher their own. */
export async function listVisibleApplications(
  context: UseCaseContext,
  filter: ListFilter = {},
  request: PageRequest = FIRST_PAGE,
): Promise<Paged<Application>> {
  const actor = context.actor
  if (!isSignedIn(actor)) throw new NotFoundError('Applications')
  return pageApplications(context.db, applicationScopeFor(actor), filter, request)
}
