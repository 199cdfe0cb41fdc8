// Who may do what with applications. A teacher sees and changes only their own; a hub's team
// (leads, administrators, reviewers) and NCETM see an application once it is submitted. Anyone
// else is told it was not found.
import { hubIdsWith, isNational, isSignedIn } from '../access/access.policy.ts'
import type { Actor, PersonActor } from '../access/actor.ts'
import type { ApplicationScope } from './applications.repository.ts'

/** Hub roles that see their hub's submitted applications. */
const HUB_APPLICATION_ROLES = ['hub-lead', 'hub-admin', 'reviewer'] as const

/** Any signed-in person may apply: teachers need no role beyond an account. */
export function canApply(actor: Actor): actor is PersonActor {
  return isSignedIn(actor)
}

export function isApplicant(actor: Actor, application: { applicantId: number }): boolean {
  return isSignedIn(actor) && actor.personId === application.applicantId
}

export function hubsSeeingApplications(actor: Actor): string[] {
  return hubIdsWith(actor, [...HUB_APPLICATION_ROLES])
}

export function canViewApplication(
  actor: Actor,
  application: { applicantId: number; hubId: string | null; submittedAt: Date | null },
): boolean {
  if (isApplicant(actor, application)) return true
  if (application.submittedAt === null) return false
  if (isNational(actor)) return true
  return application.hubId !== null && hubsSeeingApplications(actor).includes(application.hubId)
}

export function canViewHubApplications(actor: Actor, hubId: string): boolean {
  return isNational(actor) || hubsSeeingApplications(actor).includes(hubId)
}

/** The widest list the actor may read: every submitted one, their hubs' submitted ones, or their own. */
export function applicationScopeFor(actor: PersonActor): ApplicationScope {
  if (isNational(actor)) return { kind: 'national' }
  const hubIds = hubsSeeingApplications(actor)
  if (hubIds.length > 0) return { kind: 'hubs', hubIds }
  return { kind: 'applicant', personId: actor.personId }
}
