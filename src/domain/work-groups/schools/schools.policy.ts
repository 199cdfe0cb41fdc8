// Who may do what with a school's part in Work Groups: the school's own contacts register its
// interest, ask its leaders for support and name its Mastery Advocates; the team of the hub the
// interest is with (its lead and administrators) and NCETM see it, and the hub's team (or NCETM's
// national administrators) decide. Anyone else is told the interest (or the school) is not there.
import { hubsAdministered, isNational, schoolUrnsContacted } from '../../access/access.policy.ts'
import type { Actor } from '../../access/actor.ts'
import { canManageWorkGroups, canViewHubWorkGroups } from '../work-groups.policy.ts'

export function canActForSchool(actor: Actor, urn: number): boolean {
  return schoolUrnsContacted(actor).includes(urn)
}

/** The school's own page: its contacts and NCETM (a hub's team sees the school's interests on the hub's list). */
export function canViewSchoolWorkGroups(actor: Actor, urn: number): boolean {
  return canActForSchool(actor, urn) || isNational(actor)
}

export function canViewInterest(actor: Actor, interest: { schoolUrn: number; hubId: string }): boolean {
  return (
    canActForSchool(actor, interest.schoolUrn) ||
    isNational(actor) ||
    hubsAdministered(actor).includes(interest.hubId)
  )
}

export function canDecideInterest(actor: Actor, interest: { hubId: string }): boolean {
  return canManageWorkGroups(actor, interest.hubId)
}

export function canViewHubInterests(actor: Actor, hubId: string): boolean {
  return canViewHubWorkGroups(actor, hubId)
}
