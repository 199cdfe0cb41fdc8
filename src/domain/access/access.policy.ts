// Who may do what: small, named, pure predicates over the actor and the record. Use-cases assert
// them before doing anything; repositories use the *ids* helpers to scope lists in SQL.
import type { Actor, Grant, PersonActor, Role } from './actor.ts'

function grants(actor: Actor): Grant[] {
  return actor.kind === 'person' ? actor.grants : []
}

function has(actor: Actor, role: Role): boolean {
  return grants(actor).some((g) => g.role === role)
}

export function isSignedIn(actor: Actor): actor is PersonActor {
  return actor.kind === 'person'
}

export function isNationalAdmin(actor: Actor): boolean {
  return has(actor, 'national-admin')
}

/** NCETM: national administrators and national viewers see everything. */
export function isNational(actor: Actor): boolean {
  return isNationalAdmin(actor) || has(actor, 'national-viewer')
}

/** Hubs where the actor holds one of the roles. */
export function hubIdsWith(actor: Actor, roles: Role[]): string[] {
  return [...new Set(grants(actor).flatMap((g) => (roles.includes(g.role) && g.hubId ? [g.hubId] : [])))]
}

/** Hubs whose team the actor runs: hub leads and hub administrators. */
export function hubsAdministered(actor: Actor): string[] {
  return hubIdsWith(actor, ['hub-lead', 'hub-admin'])
}

export function schoolUrnsContacted(actor: Actor): number[] {
  return grants(actor).flatMap((g) => (g.role === 'school-contact' && g.schoolUrn ? [g.schoolUrn] : []))
}

export function canManageHubs(actor: Actor): boolean {
  return isNationalAdmin(actor)
}

export function canViewHubTeam(actor: Actor, hubId: string): boolean {
  return isNational(actor) || hubsAdministered(actor).includes(hubId)
}

/** The roles the actor may grant or revoke in a hub's team. */
export function hubRolesGrantableBy(actor: Actor, hubId: string): Role[] {
  if (isNationalAdmin(actor)) return ['hub-lead', 'hub-admin', 'reviewer']
  if (hubIdsWith(actor, ['hub-lead']).includes(hubId)) return ['hub-admin', 'reviewer']
  return []
}

export function canManageHubTeam(actor: Actor, hubId: string): boolean {
  return hubRolesGrantableBy(actor, hubId).length > 0
}

export function canManageAnyGrant(actor: Actor): boolean {
  return isNationalAdmin(actor)
}

export function canViewPeople(actor: Actor): boolean {
  return isNational(actor)
}

/** A person is visible to themself, to NCETM, and to those running a hub the person works in. */
export function canViewPerson(actor: Actor, person: { id: number; hubIds: string[] }): boolean {
  if (!isSignedIn(actor)) return false
  if (actor.personId === person.id || isNational(actor)) return true
  const administered = hubsAdministered(actor)
  return person.hubIds.some((hubId) => administered.includes(hubId))
}

/**
 * Who may change a person's profile (docs/adr/0015): the person themself, national administrators,
 * and a hub lead when every live role the person has is in a hub that they lead. A role anywhere
 * else (another hub, a school, national, or a teacher's own) means the profile is not theirs to
 * change: where a reviewer works decides the conflicts of interest of every hub they review for.
 */
export function canEditPerson(
  actor: Actor,
  person: { id: number; grants: { hubId: string | null }[] },
): boolean {
  if (!isSignedIn(actor)) return false
  if (actor.personId === person.id || isNationalAdmin(actor)) return true
  const led = hubIdsWith(actor, ['hub-lead'])
  const hubs = new Set(person.grants.map((g) => g.hubId))
  return hubs.size === 1 && [...hubs].every((hubId) => hubId !== null && led.includes(hubId))
}

/** A school's staff list: NCETM, the school's own contacts, and the hub serving it. */
export function canViewSchoolStaff(actor: Actor, school: { urn: number; hubId: string | null }): boolean {
  return (
    isNational(actor) ||
    schoolUrnsContacted(actor).includes(school.urn) ||
    (school.hubId !== null && hubsAdministered(actor).includes(school.hubId))
  )
}

export function canViewAuditTrail(actor: Actor): boolean {
  return isNationalAdmin(actor)
}

export function canManageOwnApiTokens(actor: Actor): boolean {
  return isSignedIn(actor) && actor.via === 'session' && actor.grants.length > 0
}
