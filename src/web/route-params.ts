// What page routes share: the shapes of ids in paths (anything else is "page not found", never an
// error), the "page not found" answer itself, and the wrappers for pages that need a signed-in
// person and for pages open to anyone.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { NotFoundError } from '../errors.ts'
import { requireSignIn } from './session.ts'

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

/** The numeric id in a path's `:id`, or undefined when it is not one (then "page not found"). */
export function idIn(params: unknown): number | undefined {
  const parsed = idParam.safeParse(params)
  return parsed.success ? parsed.data.id : undefined
}

/** A page at a path with a numeric `:id`, given it; any other id is answered "page not found". */
export function withId(
  handler: (request: FastifyRequest, reply: FastifyReply, id: number) => Promise<unknown>,
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const id = idIn(request.params)
    return id === undefined ? notFound(reply) : handler(request, reply, id)
  }
}

export function notFound(reply: FastifyReply) {
  return reply.code(404).view('not-found.njk', { pageTitle: 'Page not found' })
}

/**
 * A page for signed-in people (anyone else is sent to sign in) on which a use-case's "not found"
 * reads as "page not found".
 */
export function guarded(handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!requireSignIn(request, reply)) return reply
    try {
      return await handler(request, reply)
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  }
}

/**
 * A page anyone may use, signed in or not (an advocate's code page), on which a use-case's "not
 * found" reads as "page not found", as on guarded pages.
 */
export function forAnyone(handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return await handler(request, reply)
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  }
}
