// Use-cases that read people: each asserts the policy, and answers "not found" for records the
// actor may not see.
import { NotFoundError } from '../../errors.ts'
import { isPlainLine } from '../../lib/text.ts'
import {
  canEditPerson,
  canViewHubTeam,
  canViewPeople,
  canViewPerson,
  canViewSchoolStaff,
  hubRolesGrantableBy,
} from '../access/access.policy.ts'
import type { UseCaseContext } from '../use-case.ts'
import {
  findPersonById,
  hubIdsOfPerson,
  hubTeam,
  listPeople,
  liveGrantsOf,
  liveGrantsOfPeople,
  schoolStaff,
} from './people.repository.ts'

export async function viewHubTeam(context: UseCaseContext, hubId: string) {
  if (!canViewHubTeam(context.actor, hubId)) throw new NotFoundError('Hub team')
  const hub = await context.db
    .selectFrom('hubs')
    .select(['id', 'name'])
    .where('id', '=', hubId)
    .executeTakeFirst()
  if (!hub) throw new NotFoundError('Hub team')
  const members = await hubTeam(context.db, hubId)
  // Whether each may be edited here depends on every role they hold, not just this hub's.
  const everyGrant = await liveGrantsOfPeople(
    context.db,
    members.map((m) => m.id),
  )
  return {
    hub,
    members: members.map((m) => ({
      ...m,
      editable: canEditPerson(context.actor, {
        id: m.id,
        grants: everyGrant.filter((g) => g.personId === m.id),
      }),
    })),
    grantableRoles: hubRolesGrantableBy(context.actor, hubId),
  }
}

export async function viewPerson(context: UseCaseContext, personId: number) {
  const person = await findPersonById(context.db, personId)
  if (!person) throw new NotFoundError('Person')
  if (!canViewPerson(context.actor, { id: person.id, hubIds: await hubIdsOfPerson(context.db, person.id) })) {
    throw new NotFoundError('Person')
  }
  return { ...person, grants: await liveGrantsOf(context.db, person.id) }
}

export async function viewPeople(context: UseCaseContext, search: { q?: string | undefined }) {
  if (!canViewPeople(context.actor)) throw new NotFoundError('People')
  // No name or email holds a control character (PostgreSQL cannot even be asked about a NUL).
  if (search.q && !isPlainLine(search.q)) return []
  return listPeople(context.db, { q: search.q, limit: 200 })
}

export async function viewSchoolStaff(context: UseCaseContext, urn: number) {
  const school = await context.db
    .selectFrom('schools as s')
    .leftJoin('school_hub_overrides as o', 'o.urn', 's.urn')
    .leftJoin('hub_areas as a', 'a.la_code', 's.la_code')
    .select(['s.urn', 's.name', (eb) => eb.fn.coalesce('o.hub_id', 'a.hub_id').as('hub_id')])
    .where('s.urn', '=', urn)
    .executeTakeFirst()
  if (!school || !canViewSchoolStaff(context.actor, { urn, hubId: school.hub_id })) {
    throw new NotFoundError('School staff')
  }
  return { school: { urn: school.urn, name: school.name }, staff: await schoolStaff(context.db, urn) }
}
