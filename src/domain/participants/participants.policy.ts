// Who may change a participation's stage (NCETM national administrators, and the hub lead of the
// participation's hub) and who may see it (the person, the hub's team and NCETM). Anyone else is
// told it is not there.
import {
  hubIdsWith,
  hubsAdministered,
  isNational,
  isNationalAdmin,
  isSignedIn,
} from '../access/access.policy.ts'
import type { Actor } from '../access/actor.ts'

export function canChangeStage(actor: Actor, participation: { hubId: string | null }): boolean {
  if (isNationalAdmin(actor)) return true
  return participation.hubId !== null && hubIdsWith(actor, ['hub-lead']).includes(participation.hubId)
}

/**
 * Who may see a participation, its stages and its history: the person themself, the lead and
 * administrators of the participation's hub, and NCETM (national administrators and viewers).
 */
export function canViewParticipation(
  actor: Actor,
  participation: { personId: number; hubId: string | null },
): boolean {
  if (!isSignedIn(actor)) return false
  if (actor.personId === participation.personId || isNational(actor)) return true
  return participation.hubId !== null && hubsAdministered(actor).includes(participation.hubId)
}
