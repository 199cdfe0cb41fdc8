// Who organises an event: NCETM's national administrators organise the cohort's residentials and
// the pilot workshop (and may act for any hub); a hub's lead and administrators organise its hub
// sessions and support visits. Anyone else is told the event is not there.
import { hubIdsWith, isNationalAdmin } from '../access/access.policy.ts'
import type { Actor } from '../access/actor.ts'
import type { EventKind } from '../../db/schema.ts'

export const NATIONAL_KINDS: readonly EventKind[] = ['residential', 'workshop']
export const HUB_KINDS: readonly EventKind[] = ['hub-session', 'support-visit']

export function canOrganise(actor: Actor, event: { kind: EventKind; hubId: string | null }): boolean {
  if (isNationalAdmin(actor)) return true
  if (!HUB_KINDS.includes(event.kind) || event.hubId === null) return false
  return hubIdsWith(actor, ['hub-lead', 'hub-admin']).includes(event.hubId)
}
