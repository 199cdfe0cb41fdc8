// Downloads of a cohort's applications with their scores and decisions: one hub's (its hub leads
// and administrators, and NCETM) and every hub's (NCETM), as CSV or XLSX. The use-case decides
// access: anyone else is told the page was not found; anonymous visitors are sent to sign in.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { exportSelection, type ExportFormat } from '../../domain/selection/export-selection.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { NotFoundError } from '../../errors.ts'
import { notFound } from '../route-params.ts'
import { requireSignIn } from '../session.ts'

export interface SelectionExportRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  .max(120)
const hubExportParams = z.object({ id: slug, cohortId: slug })
const nationalExportParams = z.object({ cohortId: slug })

export function selectionExportRoutes(app: FastifyInstance, deps: SelectionExportRouteDeps): void {
  const download =
    (format: ExportFormat, params: z.ZodType<{ id?: string; cohortId: string }>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      if (!requireSignIn(request, reply)) return reply
      const parsed = params.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      try {
        const file = await exportSelection(deps.context(request), {
          hubId: parsed.data.id,
          cohortId: parsed.data.cohortId,
          format,
        })
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .send(file.body)
      } catch (error) {
        if (error instanceof NotFoundError) return notFound(reply)
        throw error
      }
    }

  // No HEAD: a HEAD request would build the file and audit an export nobody received.
  const getOnly = { exposeHeadRoute: false }
  app.get('/hubs/:id/cohorts/:cohortId/export.csv', getOnly, download('csv', hubExportParams))
  app.get('/hubs/:id/cohorts/:cohortId/export.xlsx', getOnly, download('xlsx', hubExportParams))
  app.get('/admin/cohorts/:cohortId/export.csv', getOnly, download('csv', nationalExportParams))
  app.get('/admin/cohorts/:cohortId/export.xlsx', getOnly, download('xlsx', nationalExportParams))
}
