// Who may do what with Work Groups: a hub's lead and administrators run their hub's groups, and
// NCETM's national administrators may act for any hub; national viewers and a group's lead
// specialists may see it. Anyone else is told the group (or the hub) is not there.
import { hubsAdministered, isNational, isNationalAdmin } from '../access/access.policy.ts'
import type { Actor } from '../access/actor.ts'

export function canManageWorkGroups(actor: Actor, hubId: string): boolean {
  return isNationalAdmin(actor) || hubsAdministered(actor).includes(hubId)
}

/** A hub's list of groups: those who run them and NCETM. */
export function canViewHubWorkGroups(actor: Actor, hubId: string): boolean {
  return isNational(actor) || hubsAdministered(actor).includes(hubId)
}

export function canViewWorkGroup(actor: Actor, group: { hubId: string; leadPersonIds: number[] }): boolean {
  if (canViewHubWorkGroups(actor, group.hubId)) return true
  return actor.kind === 'person' && group.leadPersonIds.includes(actor.personId)
}
