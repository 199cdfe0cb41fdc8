// Who may do what with a group's sessions: its lead specialists and those who run the hub's groups
// (its lead and administrators, NCETM's national administrators) manage them, record attendance,
// lesson study and support visits; national viewers see them too. Anyone else is told the group or
// session is not there.
import type { Actor } from '../../access/actor.ts'
import { canManageWorkGroups, canViewWorkGroup } from '../work-groups.policy.ts'

export interface GroupAccess {
  hubId: string
  leadPersonIds: number[]
}

export function isGroupLead(actor: Actor, group: GroupAccess): boolean {
  return actor.kind === 'person' && group.leadPersonIds.includes(actor.personId)
}

export function canManageSessions(actor: Actor, group: GroupAccess): boolean {
  return canManageWorkGroups(actor, group.hubId) || isGroupLead(actor, group)
}

export function canViewSessions(actor: Actor, group: GroupAccess): boolean {
  return canViewWorkGroup(actor, group)
}
