// Who is asking: nobody, or a person with their live role grants (all of them when signed in,
// just the token's one when calling the API with a token).
import type { Role } from '../../db/schema.ts'

export type { Role }

export interface Grant {
  id: number
  role: Role
  hubId: string | null
  cohortId: string | null
  schoolUrn: number | null
}

export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'person'
      personId: number
      name: string
      email: string
      grants: Grant[]
      via: 'session' | 'api-token' | 'command-line'
      tokenId?: number
    }

export type PersonActor = Extract<Actor, { kind: 'person' }>

export const ANONYMOUS: Actor = { kind: 'anonymous' }

export const ROLE_NAMES: Record<Role, string> = {
  'national-admin': 'National administrator',
  'national-viewer': 'National viewer',
  'hub-lead': 'Hub lead',
  'hub-admin': 'Hub administrator',
  reviewer: 'Reviewer',
  'mastery-specialist': 'Mastery Specialist',
  'school-contact': 'School contact or headteacher',
  teacher: 'Teacher',
  'mastery-advocate': 'Mastery Advocate',
}

export const ROLES = Object.keys(ROLE_NAMES) as Role[]

/** The scope a role needs: none (national), a hub, or a school. */
export function scopeOf(role: Role): 'national' | 'hub' | 'school' | 'none' {
  if (role === 'national-admin' || role === 'national-viewer') return 'national'
  if (role === 'hub-lead' || role === 'hub-admin' || role === 'reviewer') return 'hub'
  if (role === 'school-contact') return 'school'
  return 'none'
}

/** The person to record as having acted: none for anonymous visitors and the command line. */
export function actingPersonId(actor: Actor): number | null {
  return actor.kind === 'person' && actor.via !== 'command-line' ? actor.personId : null
}
