// What page routes share: the shapes of ids in paths (anything else is "page not found", never an
// error) and the "page not found" answer itself.
import type { FastifyReply } from 'fastify'
import { z } from 'zod'

/** A numeric record id, as PostgreSQL's integer holds it. */
export const idParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
})

/** A slug id: hubs, programmes, cohorts. */
export const slugParam = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(120),
})

export function notFound(reply: FastifyReply) {
  return reply.code(404).view('not-found.njk', { pageTitle: 'Page not found' })
}
