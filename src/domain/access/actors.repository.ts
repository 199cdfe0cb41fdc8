// Building the Actor for a signed-in person or an API token.
import type { Executor } from '../../db/database.ts'
import type { Actor, Grant } from './actor.ts'
import { hashSecret } from '../auth/tokens.ts'

function toGrant(row: {
  id: number
  role: Grant['role']
  hub_id: string | null
  cohort_id: string | null
  school_urn: number | null
}): Grant {
  return { id: row.id, role: row.role, hubId: row.hub_id, cohortId: row.cohort_id, schoolUrn: row.school_urn }
}

export async function actorForPerson(
  db: Executor,
  personId: number,
  via: 'session' | 'command-line' = 'session',
): Promise<Actor | undefined> {
  const person = await db
    .selectFrom('people')
    .select(['id', 'name', 'email', 'erased_at'])
    .where('id', '=', personId)
    .executeTakeFirst()
  // A person whose data was erased can never act again.
  if (!person || person.erased_at !== null) return undefined
  const grants = await db
    .selectFrom('grants')
    .select(['id', 'role', 'hub_id', 'cohort_id', 'school_urn'])
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute()
  return {
    kind: 'person',
    personId,
    name: person.name,
    email: person.email,
    grants: grants.map(toGrant),
    via,
  }
}

/** The actor an API token speaks for: its owner, with only the token's grant. */
export async function actorForApiToken(db: Executor, token: string, now: Date): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('grants as g', 'g.id', 't.grant_id')
    .innerJoin('people as p', 'p.id', 't.person_id')
    .select([
      't.id as token_id',
      't.last_used_at',
      'p.id as person_id',
      'p.name',
      'p.email',
      'g.id',
      'g.role',
      'g.hub_id',
      'g.cohort_id',
      'g.school_urn',
    ])
    .where('t.token_hash', '=', hashSecret(token))
    .where('t.revoked_at', 'is', null)
    .where('g.revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return undefined
  // Last-used time to the minute, without a write on every call.
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute()
  }
  return {
    kind: 'person',
    personId: row.person_id,
    name: row.name,
    email: row.email,
    grants: [toGrant(row)],
    via: 'api-token',
    tokenId: row.token_id,
  }
}
