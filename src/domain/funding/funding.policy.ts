// Who may see and change money. NCETM's national administrators set the funding rules; everyone
// at NCETM, and each hub's lead and administrators, may read them (a hub needs them to plan).
// What is owed to a school is read by NCETM and by the team of the hub that pays it.
import { hubsAdministered, isNational, isNationalAdmin, isSignedIn } from '../access/access.policy.ts'
import type { Actor } from '../access/actor.ts'

export function canManageFundingRules(actor: Actor): boolean {
  return isNationalAdmin(actor)
}

export function canReadFundingRules(actor: Actor): boolean {
  return isSignedIn(actor) && (isNational(actor) || hubsAdministered(actor).length > 0)
}

/** The hubs whose owed items the actor may read: all of them (undefined) or these. */
export function owedHubScope(actor: Actor): string[] | undefined {
  if (isNational(actor)) return undefined
  return hubsAdministered(actor)
}
