// Who may do what with applications. A teacher sees and changes only their own; once it is
// submitted, its hub's leads and administrators and NCETM see it, and a reviewer sees it only while
// it is assigned to them (and not at all outside the review page when the round hides names).
// Anyone else is told it was not found.
import { hubIdsWith, isNational, isSignedIn, schoolUrnsContacted } from '../access/access.policy.ts'
import type { Actor, PersonActor } from '../access/actor.ts'
import type { ApplicationScope } from './applications.repository.ts'

/** Hub roles that see every one of their hub's submitted applications. */
const HUB_APPLICATION_ROLES = ['hub-lead', 'hub-admin'] as const

/** Any signed-in person may apply: teachers need no role beyond an account. */
export function canApply(actor: Actor): actor is PersonActor {
  return isSignedIn(actor)
}

export function isApplicant(actor: Actor, application: { applicantId: number }): boolean {
  return isSignedIn(actor) && actor.personId === application.applicantId
}

/** Hubs whose submitted applications the actor sees, all of them. */
export function hubsSeeingApplications(actor: Actor): string[] {
  return hubIdsWith(actor, [...HUB_APPLICATION_ROLES])
}

/** Hubs where the actor only reviews: they see just the applications assigned to them there. */
export function hubsReviewingOnly(actor: Actor): string[] {
  const seeing = hubsSeeingApplications(actor)
  return hubIdsWith(actor, ['reviewer']).filter((hubId) => !seeing.includes(hubId))
}

export function canViewApplication(
  actor: Actor,
  application: {
    applicantId: number
    hubId: string | null
    submittedAt: Date | null
    /** Reviewers with a live assignment to it. */
    reviewerIds?: readonly number[]
    /** Its round hides applicants' names from reviewers. */
    blindReview?: boolean
  },
): boolean {
  if (isApplicant(actor, application)) return true
  if (application.submittedAt === null) return false
  if (isNational(actor)) return true
  if (application.hubId === null) return false
  if (hubsSeeingApplications(actor).includes(application.hubId)) return true
  return (
    isSignedIn(actor) &&
    hubsReviewingOnly(actor).includes(application.hubId) &&
    (application.reviewerIds ?? []).includes(actor.personId) &&
    application.blindReview !== true
  )
}

export function canViewHubApplications(actor: Actor, hubId: string): boolean {
  return isNational(actor) || hubsSeeingApplications(actor).includes(hubId)
}

/**
 * The widest list the actor may read: every submitted one; their hubs' submitted ones (and, where
 * they only review, those assigned to them); or their own.
 */
export function applicationScopeFor(actor: PersonActor): ApplicationScope {
  if (isNational(actor)) return { kind: 'national' }
  const hubIds = hubsSeeingApplications(actor)
  const reviewing = hubsReviewingOnly(actor)
  if (hubIds.length > 0 || reviewing.length > 0) {
    return {
      kind: 'hubs',
      hubIds,
      ...(reviewing.length > 0 && { assignedTo: { personId: actor.personId, hubIds: reviewing } }),
    }
  }
  return { kind: 'applicant', personId: actor.personId }
}

/** A school's applications, once its headteacher has been asked: the school's contacts. */
export function canViewSchoolApplications(actor: Actor, urn: number): boolean {
  return schoolUrnsContacted(actor).includes(urn)
}
