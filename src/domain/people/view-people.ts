// Use-cases that read people: each asserts the policy, and answers "not found" for records the
// actor may not see.
import { NotFoundError } from '../../errors.ts'
import { assertPageInRange, mapPage, type PageRequest } from '../../lib/paging.ts'
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
  findLiveGrant,
  findPersonById,
  hubIdsOfPerson,
  hubTeam,
  listPeople,
  liveGrantsOf,
  liveGrantsOfPeople,
  schoolStaff,
} from './people.repository.ts'

/** People on a page of a hub's team, a school's people, and the national list of people. */
export const PEOPLE_PAGE_SIZE = 50

/**
 * A page of a hub's team. `addedGrantId`, after someone is given a role: that grant and its
 * holder, wherever they fall in the list, when the grant is this hub's.
 */
export async function viewHubTeam(
  context: UseCaseContext,
  hubId: string,
  request: PageRequest,
  addedGrantId?: number,
) {
  if (!canViewHubTeam(context.actor, hubId)) throw new NotFoundError('Hub team')
  const hub = await context.db
    .selectFrom('hubs')
    .select(['id', 'name'])
    .where('id', '=', hubId)
    .executeTakeFirst()
  if (!hub) throw new NotFoundError('Hub team')
  const members = await hubTeam(context.db, hubId, request)
  // Whether each may be edited here depends on every role they hold, not just this hub's.
  const everyGrant = await liveGrantsOfPeople(
    context.db,
    members.items.map((m) => m.id),
  )
  const addedGrant = addedGrantId === undefined ? undefined : await findLiveGrant(context.db, addedGrantId)
  const addedPerson =
    addedGrant?.hubId === hubId ? await findPersonById(context.db, addedGrant.personId) : undefined
  return {
    hub,
    added: addedGrant && addedPerson ? { name: addedPerson.name, role: addedGrant.role } : undefined,
    members: mapPage(members, (m) => ({
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

export async function viewPeople(context: UseCaseContext, search: { q?: string | undefined } & PageRequest) {
  if (!canViewPeople(context.actor)) throw new NotFoundError('People')
  // No name or email holds a control character (PostgreSQL cannot even be asked about a NUL).
  if (search.q && !isPlainLine(search.q)) {
    const none = { total: 0, page: search.page, pageSize: search.pageSize, items: [] }
    assertPageInRange(none)
    return none
  }
  return listPeople(context.db, search)
}

export async function viewSchoolStaff(context: UseCaseContext, urn: number, request: PageRequest) {
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
  return {
    school: { urn: school.urn, name: school.name },
    staff: await schoolStaff(context.db, urn, request),
  }
}
