// SQL for people and their role grants.
import { sql } from 'kysely'
import type { Executor } from '../../db/database.ts'
import { fetchPage } from '../../db/paged-query.ts'
import type { PageRequest, Paged } from '../../lib/paging.ts'
import type { Grant, Role } from '../access/actor.ts'

export interface Person {
  id: number
  name: string
  email: string
  trn: string | null
}

export interface GrantDetail extends Grant {
  personId: number
  hubName: string | null
  schoolName: string | null
  createdAt: Date
}

export async function findPersonByEmail(db: Executor, email: string): Promise<Person | undefined> {
  return db
    .selectFrom('people')
    .select(['id', 'name', 'email', 'trn'])
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst()
}

export async function findPersonById(db: Executor, id: number): Promise<Person | undefined> {
  return db
    .selectFrom('people')
    .select(['id', 'name', 'email', 'trn'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function insertPerson(
  db: Executor,
  person: { name: string; email: string; trn?: string | null },
) {
  return db
    .insertInto('people')
    .values({ name: person.name, email: person.email.trim(), trn: person.trn ?? null })
    .returning(['id', 'name', 'email', 'trn'])
    .executeTakeFirstOrThrow()
}

/**
 * Makes a person unless someone already has the email address (whatever its case), even one made
 * by another transaction at this moment: then nothing is made and the answer is undefined.
 */
export async function insertPersonUnlessKnown(
  db: Executor,
  person: { name: string; email: string; workplaceUrn: number | null },
): Promise<Person | undefined> {
  return db
    .insertInto('people')
    .values({ name: person.name, email: person.email.trim(), workplace_urn: person.workplaceUrn })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'name', 'email', 'trn'])
    .executeTakeFirst()
}

const GRANT_COLUMNS = [
  'g.id',
  'g.person_id',
  'g.role',
  'g.hub_id',
  'g.cohort_id',
  'g.school_urn',
  'g.created_at',
  'h.name as hub_name',
  's.name as school_name',
] as const

function grantsQuery(db: Executor) {
  return db
    .selectFrom('grants as g')
    .leftJoin('hubs as h', 'h.id', 'g.hub_id')
    .leftJoin('schools as s', 's.urn', 'g.school_urn')
    .select(GRANT_COLUMNS)
    .where('g.revoked_at', 'is', null)
}

type GrantRow = {
  id: number
  person_id: number
  role: Role
  hub_id: string | null
  cohort_id: string | null
  school_urn: number | null
  created_at: Date
  hub_name: string | null
  school_name: string | null
}

function toGrant(row: GrantRow): GrantDetail {
  return {
    id: row.id,
    personId: row.person_id,
    role: row.role,
    hubId: row.hub_id,
    cohortId: row.cohort_id,
    schoolUrn: row.school_urn,
    createdAt: row.created_at,
    hubName: row.hub_name,
    schoolName: row.school_name,
  }
}

export async function liveGrantsOf(db: Executor, personId: number): Promise<GrantDetail[]> {
  const rows = await grantsQuery(db).where('g.person_id', '=', personId).orderBy('g.id').execute()
  return rows.map(toGrant)
}

export async function liveGrantsOfPeople(db: Executor, personIds: number[]): Promise<GrantDetail[]> {
  if (personIds.length === 0) return []
  const rows = await grantsQuery(db).where('g.person_id', 'in', personIds).orderBy('g.id').execute()
  return rows.map(toGrant)
}

export async function findLiveGrant(db: Executor, id: number): Promise<GrantDetail | undefined> {
  const row = await grantsQuery(db).where('g.id', '=', id).executeTakeFirst()
  return row ? toGrant(row) : undefined
}

export interface TeamMember extends Person {
  grants: GrantDetail[]
  /** Where they work, for a hub's team (reviewers' conflicts of interest). */
  workplace?: { urn: number; name: string } | null
}

async function withGrants<P extends Person>(
  db: Executor,
  people: P[],
  grantFilter?: (g: GrantDetail) => boolean,
) {
  if (people.length === 0) return []
  const rows = await grantsQuery(db)
    .where(
      'g.person_id',
      'in',
      people.map((p) => p.id),
    )
    .orderBy('g.id')
    .execute()
  const grants = rows.map(toGrant).filter(grantFilter ?? (() => true))
  return people.map((p) => ({ ...p, grants: grants.filter((g) => g.personId === p.id) }))
}

/** A page of the people with a live grant in one scope (a hub or a school), with their grants there. */
async function peopleInScope(
  db: Executor,
  scope: { column: 'hub_id'; value: string } | { column: 'school_urn'; value: number },
  request: PageRequest,
): Promise<Paged<TeamMember>> {
  const query = db
    .selectFrom('people as p')
    .leftJoin('schools as w', 'w.urn', 'p.workplace_urn')
    .select(['p.id', 'p.name', 'p.email', 'p.trn', 'w.urn as workplace_urn', 'w.name as workplace_name'])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('grants as g')
          .select('g.id')
          .whereRef('g.person_id', '=', 'p.id')
          .where(`g.${scope.column}`, '=', scope.value)
          .where('g.revoked_at', 'is', null),
      ),
    )
    .orderBy('p.name')
    .orderBy('p.id')
  const page = await fetchPage(db, query, request)
  const people = page.items.map(({ workplace_urn, workplace_name, ...person }) => ({
    ...person,
    workplace:
      workplace_urn !== null && workplace_name !== null ? { urn: workplace_urn, name: workplace_name } : null,
  }))
  const items = await withGrants(db, people, (g) =>
    scope.column === 'hub_id' ? g.hubId === scope.value : g.schoolUrn === scope.value,
  )
  return { ...page, items }
}

export function hubTeam(db: Executor, hubId: string, request: PageRequest): Promise<Paged<TeamMember>> {
  return peopleInScope(db, { column: 'hub_id', value: hubId }, request)
}

export function schoolStaff(db: Executor, urn: number, request: PageRequest): Promise<Paged<TeamMember>> {
  return peopleInScope(db, { column: 'school_urn', value: urn }, request)
}

/** A page of everyone (national view), optionally filtered by name or email. */
export async function listPeople(db: Executor, search: { q?: string | undefined } & PageRequest) {
  let query = db.selectFrom('people').select(['id', 'name', 'email', 'trn'])
  if (search.q) {
    const like = `%${search.q.toLowerCase()}%`
    query = query.where((eb) =>
      eb.or([eb(sql`lower(name)`, 'like', like), eb(sql`lower(email)`, 'like', like)]),
    )
  }
  const page = await fetchPage(db, query.orderBy('name').orderBy('id'), search)
  return { ...page, items: await withGrants(db, page.items) }
}

export async function hubIdsOfPerson(db: Executor, personId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('grants')
    .select('hub_id')
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .where('hub_id', 'is not', null)
    .execute()
  return rows.flatMap((r) => (r.hub_id ? [r.hub_id] : []))
}
