// Use-cases for reading applications: one, with its cohort, task list and history (for the
// applicant, the hub's team once submitted, a reviewer it is assigned to, and NCETM); the
// teacher's own; a hub's; and the widest list the actor may see, for the API.
import { NotFoundError } from '../../errors.ts'
import { isNational, isSignedIn } from '../access/access.policy.ts'
import { findCohort, type Cohort } from '../programmes/programmes.repository.ts'
import { historyFor } from '../selection/decisions-history.ts'
import { REVIEW_HISTORY_EVENTS } from '../selection/review-rules.ts'
import { reviewAccessTo } from '../selection/reviews.repository.ts'
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
  findApplication,
  latestEndorsementRequest,
  listApplications,
  listHistory,
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

/** Applications submitted to the hub, for its team and NCETM. */
export async function listHubApplications(
  context: UseCaseContext,
  hubId: string,
  filter: Omit<ApplicationFilter, 'hubId'> = {},
): Promise<Application[]> {
  if (!canViewHubApplications(context.actor, hubId)) throw new NotFoundError('Hub')
  return listApplications(context.db, { kind: 'hubs', hubIds: [hubId] }, filter)
}

/** Every submitted application, for NCETM. */
export async function listAllApplications(
  context: UseCaseContext,
  filter: ApplicationFilter = {},
): Promise<Application[]> {
  if (!isNational(context.actor)) throw new NotFoundError('Applications')
  return listApplications(context.db, { kind: 'national' }, filter)
}

/** The widest list the actor may read: NCETM all submitted, a hub team its hubs', a teacher their own. */
export async function listVisibleApplications(
  context: UseCaseContext,
  filter: ApplicationFilter = {},
): Promise<Application[]> {
  const actor = context.actor
  if (!isSignedIn(actor)) throw new NotFoundError('Applications')
  return listApplications(context.db, applicationScopeFor(actor), filter)
}
