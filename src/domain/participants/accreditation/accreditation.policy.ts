// Who may do what with PD Lead accreditation: NCETM's national administrators manage the checklist
// of requirements, record the award and record a person as already accredited; they and the lead
// and administrators of the participation's hub record a requirement as met (never their own).
// The specialist, their hub's team and NCETM (administrators and viewers) see the progress;
// anyone else is told it is not there.
import { hubsAdministered, isNational, isNationalAdmin, isSignedIn } from '../../access/access.policy.ts'
import type { Actor } from '../../access/actor.ts'

export interface ParticipationOwner {
  personId: number
  hubId: string | null
}

export function canManageRequirements(actor: Actor): boolean {
  return isNationalAdmin(actor)
}

export function canRecordAward(actor: Actor): boolean {
  return isNationalAdmin(actor)
}

const ownedBy = (actor: Actor, p: ParticipationOwner) => isSignedIn(actor) && actor.personId === p.personId

const runsHub = (actor: Actor, p: ParticipationOwner) =>
  isNationalAdmin(actor) || (p.hubId !== null && hubsAdministered(actor).includes(p.hubId))

export function canRecordRequirementMet(actor: Actor, participation: ParticipationOwner): boolean {
  return runsHub(actor, participation) && !ownedBy(actor, participation)
}

export function canViewAccreditation(actor: Actor, participation: ParticipationOwner): boolean {
  return ownedBy(actor, participation) || runsHub(actor, participation) || isNational(actor)
}
