// Web pages: find your hub, the hubs, the school register.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Database } from '../../db/database.ts'
import { canManageHubs, canViewHubTeam, canViewSchoolStaff } from '../../domain/access/access.policy.ts'
import {
  canViewHubApplications,
  canViewSchoolApplications,
} from '../../domain/applications/applications.policy.ts'
import { findHubFor } from '../../domain/hubs/find-hub.ts'
import { findHub, listHubs } from '../../domain/hubs/hubs.repository.ts'
import { PHASES } from '../../domain/schools/establishment-types.ts'
import {
  findHubQuery,
  hubIdParam,
  schoolSearchParams,
  toSchoolSearch,
  urnParam,
} from '../../domain/schools/school-queries.ts'
import { findSchool, linkedSchools, searchSchools } from '../../domain/schools/schools.repository.ts'
import { firstValues, toPageErrors } from '../forms.ts'
import type { SearchGuard } from '../../api/v1/register.api.ts'
import type { Page } from '../page.ts'

export function registerPages(
  app: FastifyInstance,
  { db }: Database,
  page: Page,
  searchGuard: SearchGuard,
): void {
  app.get('/find-your-hub', async (request, reply) => {
    const query = firstValues(request.query)
    if (query.q === undefined)
      return page(reply, 'find-your-hub.njk', { pageTitle: 'Find your Maths Hub', q: '' })
    await searchGuard(request)
    const parsed = findHubQuery.safeParse(query)
    if (!parsed.success) {
      const errors = toPageErrors(parsed.error)
      return page(reply.code(422), 'find-your-hub.njk', {
        pageTitle: 'Find your Maths Hub',
        q: query.q,
        errors: errors.summary,
        fieldErrors: errors.byField,
      })
    }
    const results = await findHubFor(db, parsed.data.q)
    return page(reply, 'find-your-hub.njk', {
      pageTitle:
        results.length > 0 ? `Find your Maths Hub: results for ${parsed.data.q}` : 'Find your Maths Hub',
      q: parsed.data.q,
      searched: true,
      results,
    })
  })

  app.get('/hubs', async (_request, reply) =>
    page(reply, 'hubs.njk', { pageTitle: 'Maths Hubs', hubs: await listHubs(db) }),
  )

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
      ...(canManageHubs(request.actor) ? [{ text: 'Edit this hub', href: `/admin/hubs/${hub.id}` }] : []),
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
    const { total, items } = await searchSchools(db, search)
    const totalPages = Math.max(1, Math.ceil(total / search.pageSize))
    const linkTo = (n: number) => {
      const params = new URLSearchParams()
      for (const key of ['q', 'phase', 'la', 'hub'] as const) {
        const value = parsed.data[key]
        if (value) params.set(key, value)
      }
      params.set('page', String(n))
      return `/schools?${params.toString()}`
    }
    return page(reply, 'schools.njk', {
      pageTitle: 'Schools',
      query,
      phases,
      results: items,
      total,
      page: search.page,
      totalPages,
      pageLinks: {
        previous: search.page > 1 ? linkTo(search.page - 1) : null,
        next: search.page < totalPages ? linkTo(search.page + 1) : null,
      },
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
