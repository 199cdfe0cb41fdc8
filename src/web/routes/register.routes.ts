// Web pages: find your hub, the hubs, the school register.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Database } from '../../db/database.ts'
import {
  canManageHubs,
  canViewHubTeam,
  canViewSchoolStaff,
  hubsAdministered,
  isNational,
  isNationalAdmin,
} from '../../domain/access/access.policy.ts'
import { cohortsWithSpecialists } from '../../domain/participants/roster/roster.ts'
import { canViewHubWorkGroups } from '../../domain/work-groups/work-groups.policy.ts'
import { canViewSchoolJourney } from '../../domain/work-groups/journey/journey.policy.ts'
import {
  canViewHubApplications,
  canViewSchoolApplications,
} from '../../domain/applications/applications.policy.ts'
import { FIND_HUB_PAGE_SIZE, findHubFor } from '../../domain/hubs/find-hub.ts'
import { findHub, listHubs } from '../../domain/hubs/hubs.repository.ts'
import { PHASES } from '../../domain/schools/establishment-types.ts'
import {
  findHubQuery,
  hubIdParam,
  schoolSearchParams,
  toSchoolSearch,
  urnParam,
} from '../../domain/schools/school-queries.ts'
import {
  findSchool,
  linkedSchools,
  searchExample,
  searchSchools,
} from '../../domain/schools/schools.repository.ts'
import { pageOfList } from '../../lib/paging.ts'
import { firstValues, toPageErrors } from '../forms.ts'
import type { SearchGuard } from '../../api/v1/register.api.ts'
import type { Page } from '../page.ts'
import { pageRequest, pagingFor } from '../paging.ts'

/** Hubs on a page of the list of hubs. */
export const HUBS_PAGE_SIZE = 50

export function registerPages(
  app: FastifyInstance,
  { db }: Database,
  page: Page,
  searchGuard: SearchGuard,
): void {
  const findHubPage = async (reply: FastifyReply, status: number, data: Record<string, unknown>) =>
    page(reply.code(status), 'find-your-hub.njk', {
      pageTitle: 'Find your Maths Hub',
      example: await searchExample(db),
      ...data,
    })

  app.get('/find-your-hub', async (request, reply) => {
    const query = firstValues(request.query)
    if (query.q === undefined) return findHubPage(reply, 200, { q: '' })
    await searchGuard(request)
    const parsed = findHubQuery.safeParse(query)
    if (!parsed.success) {
      const errors = toPageErrors(parsed.error)
      return findHubPage(reply, 422, {
        q: query.q,
        // The form has a box for q; a bad page (from a link) has none to link to.
        errors: errors.summary.map((e) => (e.href === '#q' ? e : { text: e.text })),
        fieldErrors: errors.byField,
      })
    }
    const { q, page: pageNumber } = parsed.data
    const found = await findHubFor(db, q, { page: pageNumber, pageSize: FIND_HUB_PAGE_SIZE })
    return findHubPage(reply, 200, {
      pageTitle: found.total > 0 ? `Find your Maths Hub: results for ${q}` : 'Find your Maths Hub',
      q,
      searched: true,
      results: found.items,
      suggestions: found.suggestions,
      paging: pagingFor(found, '/find-your-hub', { q }, { one: 'school', many: 'schools' }),
    })
  })

  app.get('/hubs', async (request, reply) => {
    const hubs = pageOfList(await listHubs(db), pageRequest(request.query, HUBS_PAGE_SIZE))
    return page(reply, 'hubs.njk', {
      pageTitle: 'Maths Hubs',
      hubs: hubs.items,
      paging: pagingFor(hubs, '/hubs', {}, { one: 'hub', many: 'hubs' }),
    })
  })

  app.get('/hubs/:id', async (request, reply) => {
    const parsed = hubIdParam.safeParse(request.params)
    const hub = parsed.success ? await findHub(db, parsed.data.id) : undefined
    if (!hub) return notFound(reply, page)
    const manageLinks = [
      ...(canViewHubTeam(request.actor, hub.id)
        ? [{ text: `${hub.name} team`, href: `/hubs/${hub.id}/team` }]
        : []),
      ...(canViewHubApplications(request.actor, hub.id)
        ? [{ text: `Applications to ${hub.name}`, href: `/hubs/${hub.id}/applications` }]
        : []),
      ...(isNationalAdmin(request.actor) || hubsAdministered(request.actor).includes(hub.id)
        ? [{ text: `${hub.name} events`, href: `/hubs/${hub.id}/events` }]
        : []),
      ...(canViewHubWorkGroups(request.actor, hub.id)
        ? [
            { text: `${hub.name} Work Groups`, href: `/hubs/${hub.id}/work-groups` },
            { text: `${hub.name} Work Group questionnaire answers`, href: `/hubs/${hub.id}/evaluation` },
          ]
        : []),
      ...(canManageHubs(request.actor) ? [{ text: 'Edit this hub', href: `/admin/hubs/${hub.id}` }] : []),
      ...(isNational(request.actor) || hubsAdministered(request.actor).includes(hub.id)
        ? (await cohortsWithSpecialists(db, hub.id)).map((c) => ({
            text: `Mastery Specialists: ${c.programmeName}, Cohort ${c.number}`,
            href: `/cohorts/${c.id}/specialists`,
          }))
        : []),
    ]
    return page(reply, 'hub.njk', { pageTitle: hub.name, hub, manageLinks })
  })

  app.get('/schools', async (request, reply) => {
    await searchGuard(request)
    const query = firstValues(request.query)
    // An empty box in the filter form means "any".
    const filled = Object.fromEntries(Object.entries(query).filter(([, value]) => value.trim() !== ''))
    const parsed = schoolSearchParams.safeParse({ ...filled, pageSize: undefined })
    const phases = Object.entries(PHASES).map(([value, text]) => ({ value, text }))
    if (!parsed.success) {
      const errors = toPageErrors(parsed.error)
      return page(reply.code(422), 'schools.njk', {
        pageTitle: 'Schools',
        query,
        phases,
        // The form has boxes for q, phase and la; a bad page or hub (from a link) has none to link to.
        errors: errors.summary.map((e) => (['#q', '#phase', '#la'].includes(e.href) ? e : { text: e.text })),
        fieldErrors: errors.byField,
        results: [],
      })
    }
    const search = toSchoolSearch(parsed.data)
    const found = await searchSchools(db, search)
    const { q, phase, la, hub } = parsed.data
    return page(reply, 'schools.njk', {
      pageTitle: 'Schools',
      query,
      phases,
      results: found.items,
      total: found.total,
      paging: pagingFor(found, '/schools', { q, phase, la, hub }, { one: 'school', many: 'schools' }),
    })
  })

  app.get('/schools/:urn', async (request, reply) => {
    const parsed = urnParam.safeParse(request.params)
    if (!parsed.success) return notFound(reply, page)
    const [school, links] = await Promise.all([
      findSchool(db, parsed.data.urn),
      linkedSchools(db, parsed.data.urn),
    ])
    if (!school) {
      const successor = links.successors.find((s) => s.inRegister)
      if (successor) return reply.redirect(`/schools/${successor.urn}`)
      return notFound(reply, page)
    }
    const successor = school.open
      ? null
      : (links.successors.find((s) => s.open) ?? links.successors[0] ?? null)
    const manageLinks = [
      ...(canViewSchoolApplications(request.actor, school.urn)
        ? [{ text: 'Applications from this school', href: `/schools/${school.urn}/applications` }]
        : []),
      ...(canViewSchoolStaff(request.actor, { urn: school.urn, hubId: school.hub?.id ?? null })
        ? [{ text: 'People at this school', href: `/schools/${school.urn}/people` }]
        : []),
      ...(canViewSchoolJourney(request.actor, {
        urn: school.urn,
        hubIds: school.hub ? [school.hub.id] : [],
      })
        ? [{ text: 'Teaching for mastery journey', href: `/schools/${school.urn}/journey` }]
        : []),
    ]
    return page(reply, 'school.njk', {
      pageTitle: school.name,
      school: { ...school, successor, predecessors: links.predecessors },
      manageLinks,
    })
  })
}

export function notFound(reply: FastifyReply, page: Page) {
  return page(reply.code(404), 'not-found.njk', { pageTitle: 'Page not found' })
}
