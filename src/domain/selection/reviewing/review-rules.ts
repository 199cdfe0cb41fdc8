// Rules the review use-cases share: which hub and cohort a round is (anyone who may not run it is
// told "not found"), that the round still takes changes, the history row each change of reviewer
// leaves on the application, and the facts a round's assignments are decided on.
import { NotFoundError, ValidationError } from '../../../errors.ts'
import type { Executor } from '../../../db/database.ts'
import { actingPersonId } from '../../access/actor.ts'
import { insertHistory } from '../../applications/applications.repository.ts'
import type { ApplicationState } from '../../applications/application.states.ts'
import { findHubName } from '../../hubs/hubs.repository.ts'
import { findCohort, type Cohort } from '../../programmes/programmes.repository.ts'
import type { Unit, UseCaseContext } from '../../use-case.ts'
import { conflictOf, type Conflict, type ReviewerFacts } from './review-conflicts.ts'
import { canManageReviews } from './reviews.policy.ts'
import {
  eligibleReviewers,
  roundAssignments,
  submittedApplications,
  type Assignment,
  type RoundApplication,
} from './reviews.repository.ts'
import type { SelectionRound } from '../rounds.repository.ts'

/** History events a change of reviewer writes; the applicant's own view of the history leaves them out. */
export const REVIEW_HISTORY_EVENTS = ['assign-reviewer', 'take-away-reviewer', 'declare-conflict'] as const
export type ReviewHistoryEvent = (typeof REVIEW_HISTORY_EVENTS)[number]

export interface RoundRef {
  hub: { id: string; name: string }
  cohort: Cohort
}

/** The hub and cohort of a round the actor runs; anything else (or anything missing) is "not found". */
export async function managedRound(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
): Promise<RoundRef> {
  if (!canManageReviews(context.actor, hubId)) throw new NotFoundError('Hub')
  const [name, cohort] = await Promise.all([findHubName(context.db, hubId), findCohort(context.db, cohortId)])
  if (name === undefined || !cohort) throw new NotFoundError('Hub')
  return { hub: { id: hubId, name }, cohort }
}

const ROUND_CLOSED: Record<Exclude<SelectionRound['state'], 'reviewing'>, string> = {
  confirmed: 'The hub lead has confirmed the hub’s proposals, so reviews can no longer be changed',
  approved: 'NCETM has approved the hub’s decisions, so reviews can no longer be changed',
  released: 'Decisions have been released, so reviews can no longer be changed',
}

/** Refuses unless the round is still reviewing. */
export function assertReviewing(round: SelectionRound): void {
  if (round.state === 'reviewing') return
  throw new ValidationError([{ code: 'round-closed', field: 'round', message: ROUND_CLOSED[round.state] }])
}

/** The application's history row for a change of reviewer: its state does not change. */
export async function recordReviewHistory(
  context: UseCaseContext,
  unit: Unit,
  application: { id: number; state: ApplicationState },
  event: ReviewHistoryEvent,
  note: string,
): Promise<void> {
  await insertHistory(unit.tx, {
    applicationId: application.id,
    event,
    fromState: application.state,
    toState: application.state,
    actorPersonId: actingPersonId(context.actor),
    actorKind: 'person',
    note,
    occurredAt: unit.now,
  })
}

export interface RoundFacts {
  applications: RoundApplication[]
  reviewers: ReviewerFacts[]
  assignments: Assignment[]
  live: Assignment[]
  /** Why each reviewer may not have each application: key `${applicationId}:${reviewerId}`. */
  conflicts: Map<string, Conflict>
}

export const pairKey = (applicationId: number, reviewerId: number) => `${applicationId}:${reviewerId}`

/** The round's submitted applications, its possible reviewers, its assignments and every conflict. */
export async function roundFacts(db: Executor, hubId: string, cohortId: string): Promise<RoundFacts> {
  const [applications, reviewers, assignments] = await Promise.all([
    submittedApplications(db, hubId, cohortId),
    eligibleReviewers(db, hubId, cohortId),
    roundAssignments(db, hubId, cohortId),
  ])
  const declared = new Map<string, { reason: string }>()
  for (const a of assignments) {
    if (a.conflictReason !== null)
      declared.set(pairKey(a.applicationId, a.reviewerId), { reason: a.conflictReason })
  }
  const conflicts = new Map<string, Conflict>()
  for (const application of applications) {
    for (const reviewer of reviewers) {
      const key = pairKey(application.applicationId, reviewer.personId)
      const conflict = conflictOf(reviewer, application, declared.get(key))
      if (conflict) conflicts.set(key, conflict)
    }
  }
  return {
    applications,
    reviewers,
    assignments,
    live: assignments.filter((a) => a.endedAt === null),
    conflicts,
  }
}
