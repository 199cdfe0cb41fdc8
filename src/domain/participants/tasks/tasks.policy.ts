// Who may do what with tasks: NCETM's national administrators set, change and withdraw them; the
// national administrators and the lead and administrators of the participation's hub review the
// evidence; the specialist hands in their own. A participation's tasks and evidence are seen by the
// specialist, their hub's lead and administrators and NCETM (national viewers read them too, as
// they read the rest of a participation); anyone else is told they are not there.
import { hubsAdministered, isNational, isNationalAdmin, isSignedIn } from '../../access/access.policy.ts'
import type { Actor } from '../../access/actor.ts'

export interface ParticipationOwner {
  personId: number
  hubId: string | null
}

export function canManageTasks(actor: Actor): boolean {
  return isNationalAdmin(actor)
}

export function canReviewSubmissions(actor: Actor, participation: ParticipationOwner): boolean {
  if (isNationalAdmin(actor)) return true
  return participation.hubId !== null && hubsAdministered(actor).includes(participation.hubId)
}

export function isOwnParticipation(actor: Actor, participation: ParticipationOwner): boolean {
  return isSignedIn(actor) && actor.personId === participation.personId
}

export function canSeeParticipationTasks(actor: Actor, participation: ParticipationOwner): boolean {
  return (
    isOwnParticipation(actor, participation) ||
    canReviewSubmissions(actor, participation) ||
    isNational(actor)
  )
}

/** The hubs whose specialists' tasks the actor sees in a cohort; 'all' for NCETM. */
export function cohortTaskScope(actor: Actor): 'all' | string[] {
  return isNationalAdmin(actor) ? 'all' : hubsAdministered(actor)
}
