// Who may do what with a hub's selection decisions. The hub's leads and administrators and NCETM
// read a hub's ranked list and proposals; only the hub's lead proposes, confirms, reopens and
// passes a free place to a reserve; NCETM's national administrators set places, approve and send
// back, and national viewers read the side-by-side moderation page. Anyone else is told "not found".
import { hubIdsWith, hubsAdministered, isNational, isNationalAdmin } from '../../access/access.policy.ts'
import type { Actor } from '../../access/actor.ts'

export function canViewHubSelection(actor: Actor, hubId: string): boolean {
  return isNational(actor) || hubsAdministered(actor).includes(hubId)
}

/** Propose and change decisions, confirm or reopen them, pass a free place to a reserve. */
export function canDecideForHub(actor: Actor, hubId: string): boolean {
  return hubIdsWith(actor, ['hub-lead']).includes(hubId)
}

/** Hubs whose selection the actor reads (national people read every hub's: see isNational). */
export function hubsSelecting(actor: Actor): string[] {
  return hubsAdministered(actor)
}

export function canViewModeration(actor: Actor): boolean {
  return isNational(actor)
}

/** Set places, approve and send back. */
export function canModerate(actor: Actor): boolean {
  return isNationalAdmin(actor)
}
