// The roster of a cohort's Mastery Specialists with the at-risk view: for NCETM every hub's (or one
// hub's), for a hub's lead and administrators their own. Each flag is explained; the list filters
// by flag, by hub (NCETM) and by how many quiet weeks count as inactive, and downloads as CSV or
// XLSX with the same filters. Anyone else is answered "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { isNational } from '../../domain/access/access.policy.ts'
import { exportRoster, type RosterFormat } from '../../domain/participants/roster/roster-export.ts'
import {
  DEFAULT_INACTIVE_WEEKS,
  RISK_FLAG_NAMES,
  RISK_FLAGS,
  viewRoster,
} from '../../domain/participants/roster/roster.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { NotFoundError } from '../../errors.ts'
import { firstValues } from '../forms.ts'
import { guarded, notFound, slugParam } from '../route-params.ts'

export interface RosterRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  .max(120)

/** The filters as the page's form sends them; one that cannot be read is not applied, and said. */
const filters = z.object({
  hub: slug.optional().catch(undefined),
  flag: z.enum(RISK_FLAGS).optional().catch(undefined),
  weeks: z.coerce.number().int().min(1).max(52).optional().catch(undefined),
})

function requestOf(request: FastifyRequest) {
  const parsed = slugParam.safeParse(request.params)
  if (!parsed.success) return undefined
  const query = firstValues(request.query)
  const f = filters.parse({
    hub: query.hub || undefined,
    flag: query.flag || undefined,
    weeks: query.weeks || undefined,
  })
  return { cohortId: parsed.data.id, hubId: f.hub, flag: f.flag, inactiveWeeks: f.weeks }
}

export function rosterRoutes(app: FastifyInstance, deps: RosterRouteDeps): void {
  app.get(
    '/cohorts/:id/specialists',
    guarded(async (request, reply) => {
      const asked = requestOf(request)
      if (!asked) return notFound(reply)
      const context = deps.context(request)
      const rows = await viewRoster(context, asked)
      const cohort = await context.db
        .selectFrom('cohorts')
        .innerJoin('programmes', 'programmes.id', 'cohorts.programme_id')
        .select(['cohorts.number', 'programmes.name'])
        .where('cohorts.id', '=', asked.cohortId)
        .executeTakeFirstOrThrow()
      const hubs = isNational(context.actor)
        ? await context.db.selectFrom('hubs').select(['id', 'name']).orderBy('name').execute()
        : []
      const query = new URLSearchParams(
        Object.entries({ hub: asked.hubId, flag: asked.flag, weeks: asked.inactiveWeeks })
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ).toString()
      return reply.view('roster.njk', {
        pageTitle: `Mastery Specialists: ${cohort.name}, Cohort ${cohort.number}`,
        cohort: { id: asked.cohortId, number: cohort.number, programmeName: cohort.name },
        rows,
        atRisk: rows.filter((r) => r.flags.length > 0).length,
        hubs,
        flags: RISK_FLAGS.map((f) => ({ value: f, text: RISK_FLAG_NAMES[f] })),
        chosen: { hub: asked.hubId, flag: asked.flag, weeks: asked.inactiveWeeks ?? DEFAULT_INACTIVE_WEEKS },
        query: query ? `?${query}` : '',
      })
    }),
  )

  const download = (format: RosterFormat) =>
    guarded(async (request: FastifyRequest, reply: FastifyReply) => {
      const asked = requestOf(request)
      if (!asked) return notFound(reply)
      try {
        const file = await exportRoster(deps.context(request), asked, format)
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .send(file.body)
      } catch (error) {
        if (error instanceof NotFoundError) return notFound(reply)
        throw error
      }
    })
  // No HEAD: a HEAD request would build the file and audit a download nobody received.
  app.get('/cohorts/:id/specialists.csv', { exposeHeadRoute: false }, download('csv'))
  app.get('/cohorts/:id/specialists.xlsx', { exposeHeadRoute: false }, download('xlsx'))
}
