// Who may do what with a participation's release time. The specialist, the team running their
// hub (hub lead and hub administrators) and NCETM national administrators may log and correct
// days; the hub's team and national administrators approve extra days, but never for themselves;
// national viewers may also read. Anyone else is told the participation is not there.
import { hubsAdministered, isNational, isNationalAdmin, isSignedIn } from '../../access/access.policy.ts'
import type { Actor } from '../../access/actor.ts'
import type { ReleaseLoggedAs } from './release-time.ts'

export interface ReleaseParticipant {
  personId: number
  hubId: string | null
}

function runsHub(actor: Actor, participation: ReleaseParticipant): boolean {
  return participation.hubId !== null && hubsAdministered(actor).includes(participation.hubId)
}

/** As whom the actor logs or corrects the participation's days; undefined where they may not. */
export function releaseLoggerAs(
  actor: Actor,
  participation: ReleaseParticipant,
): ReleaseLoggedAs | undefined {
  if (!isSignedIn(actor)) return undefined
  if (actor.personId === participation.personId) return 'specialist'
  if (runsHub(actor, participation)) return 'hub'
  if (isNationalAdmin(actor)) return 'ncetm'
  return undefined
}

/** As whom the actor approves extra days; a specialist never approves their own. */
export function extraDaysApproverAs(
  actor: Actor,
  participation: ReleaseParticipant,
): Exclude<ReleaseLoggedAs, 'specialist'> | undefined {
  if (!isSignedIn(actor) || actor.personId === participation.personId) return undefined
  if (runsHub(actor, participation)) return 'hub'
  if (isNationalAdmin(actor)) return 'ncetm'
  return undefined
}

export function canViewReleaseTime(actor: Actor, participation: ReleaseParticipant): boolean {
  if (!isSignedIn(actor)) return false
  return actor.personId === participation.personId || runsHub(actor, participation) || isNational(actor)
}
