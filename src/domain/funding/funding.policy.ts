// Who may see and change money. NCETM's national administrators set the funding rules; everyone
// at NCETM, and each hub's lead and administrators, may read them (a hub needs them to plan).
// What is owed to a school is read by NCETM and by the team of the hub that pays it.
import {
  hubsAdministered,
  isNational,
  isNationalAdmin,
  isSignedIn,
  schoolUrnsContacted,
} from '../access/access.policy.ts'
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

export interface ClaimableItem {
  hubId: string
  schoolUrn: number
  kind: string
  /** The person whose participation the item belongs to (release time, support visits). */
  specialistPersonId: number | null
}

/** As whom the actor may claim the item: its school's contact, or the specialist for their own. */
export function claimantAs(actor: Actor, item: ClaimableItem): 'school-contact' | 'specialist' | undefined {
  if (!isSignedIn(actor)) return undefined
  if (schoolUrnsContacted(actor).includes(item.schoolUrn)) return 'school-contact'
  if (item.specialistPersonId === actor.personId) return 'specialist'
  return undefined
}

export interface ClaimParties {
  hubId: string
  schoolUrn: number
  submittedBy: number
}

export function canViewClaim(actor: Actor, claim: ClaimParties): boolean {
  if (!isSignedIn(actor)) return false
  return (
    actor.personId === claim.submittedBy ||
    schoolUrnsContacted(actor).includes(claim.schoolUrn) ||
    hubsAdministered(actor).includes(claim.hubId) ||
    isNational(actor)
  )
}

/** The hub's lead and administrators approve its claims (never one they submitted). */
export function canApproveForHub(actor: Actor, claim: ClaimParties): boolean {
  return isSignedIn(actor) && hubsAdministered(actor).includes(claim.hubId)
}

/** NCETM finance approval: national administrators. */
export function canApproveNationally(actor: Actor): boolean {
  return isNationalAdmin(actor)
}

/** Who runs a hub's payments: its lead and administrators, and NCETM's national administrators. */
export function canRunPayments(actor: Actor, hubId: string): boolean {
  return isSignedIn(actor) && (hubsAdministered(actor).includes(hubId) || isNationalAdmin(actor))
}

/** Who may read a hub's payment runs and statements: its team and NCETM. */
export function canReadPayments(actor: Actor, hubId: string): boolean {
  return isSignedIn(actor) && (hubsAdministered(actor).includes(hubId) || isNational(actor))
}
