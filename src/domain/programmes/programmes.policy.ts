// Who may do what with the programme catalogue and its cohorts. The catalogue, its cohorts and
// eligibility are public; only national administrators set up or change a cohort.
import { isNationalAdmin } from '../access/access.policy.ts'
import type { Actor } from '../access/actor.ts'

export function canManageCohorts(actor: Actor): boolean {
  return isNationalAdmin(actor)
}
