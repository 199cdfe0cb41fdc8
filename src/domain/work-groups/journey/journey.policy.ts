// Who may see and change a school's teaching-for-mastery journey: NCETM and the team of the hub
// serving the school (its lead and administrators) see it, and so do the school's own contacts;
// the hub's team and NCETM's national administrators record the school's moves between stages.
import {
  hubsAdministered,
  isNational,
  isNationalAdmin,
  schoolUrnsContacted,
} from '../../access/access.policy.ts'
import type { Actor } from '../../access/actor.ts'

export interface JourneySchool {
  urn: number
  /** The hub serving the school, and any hub whose groups it has been in. */
  hubIds: string[]
}

export function canViewSchoolJourney(actor: Actor, school: JourneySchool): boolean {
  if (isNational(actor) || schoolUrnsContacted(actor).includes(school.urn)) return true
  const administered = hubsAdministered(actor)
  return school.hubIds.some((id) => administered.includes(id))
}

/** Recording a move: the serving hub's lead and administrators, and NCETM's national administrators. */
export function canRecordStageMove(actor: Actor, servingHubId: string | null): boolean {
  if (isNationalAdmin(actor)) return true
  return servingHubId !== null && hubsAdministered(actor).includes(servingHubId)
}
