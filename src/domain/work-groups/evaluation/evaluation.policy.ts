// Who may do what with the end-of-year questionnaire: NCETM's national administrators manage its
// questions; a group's hub team sends it; a group's lead specialists answer it signed in; answers
// are seen per group (its hub team, NCETM and its leads), per hub (the hub's team and NCETM) and
// nationally (NCETM). An advocate answers through their single-use link, without an account.
import { isNational, isNationalAdmin } from '../../access/access.policy.ts'
import type { Actor } from '../../access/actor.ts'

export function canManageQuestions(actor: Actor): boolean {
  return isNationalAdmin(actor)
}

export function canViewNationalEvaluation(actor: Actor): boolean {
  return isNational(actor)
}

/** Fewer answers than this to a question from advocates are not shown, so no one's can be told apart. */
export const SMALL_NUMBER = 3
