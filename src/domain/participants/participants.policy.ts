// Who may change a participation's stage: NCETM national administrators, and the hub lead of the
// participation's hub. Anyone else is told it is not there.
import { hubIdsWith, isNationalAdmin } from '../access/access.policy.ts'
import type { Actor } from '../access/actor.ts'

export function canChangeStage(actor: Actor, participation: { hubId: string | null }): boolean {
  if (isNationalAdmin(actor)) return true
  return participation.hubId !== null && hubIdsWith(actor, ['hub-lead']).includes(participation.hubId)
}
