// Who may see everything held about a person, and who may erase it: small, pure predicates.
import { isNationalAdmin, isSignedIn } from '../access/access.policy.ts'
import type { Actor } from '../access/actor.ts'

/** A subject access export: NCETM administrators for anyone, and every signed-in person for themself. */
export function canExportPersonalData(actor: Actor, personId: number): boolean {
  return isNationalAdmin(actor) || (isSignedIn(actor) && actor.personId === personId)
}

/** Erasure: NCETM administrators only (the refusals for themself and the last administrator are rules). */
export function canErasePersonalData(actor: Actor): boolean {
  return isNationalAdmin(actor)
}
