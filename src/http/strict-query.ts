// Every API route takes only the query parameters it declares: an unknown one (a misspelling, a
// filter this endpoint does not have) is refused with 422 {errors:[{code, field, message}]}
// instead of being silently ignored. The names come from the route's own `schema.querystring`
// (a zod object), so a route declares a parameter once, there, and it is validated, documented in
// the OpenAPI document and allowed; a route with no querystring takes none. Applied to each API
// route as it is registered (onRoute), before the body or query are validated, so an unknown
// parameter is what the answer names whatever else is wrong.
import type { FastifyRequest, RouteOptions } from 'fastify'
import { ValidationError } from '../errors.ts'

export const UNKNOWN_PARAMETER = 'unknown-parameter'

interface ZodLike {
  shape?: Record<string, unknown>
  def?: { type?: string; in?: unknown; innerType?: unknown; schema?: unknown }
}

/** The parameter names a route's querystring schema declares; throws if they cannot be read. */
export function declaredQueryNames(schema: unknown, route: string): string[] {
  if (schema === undefined || schema === null) return []
  let current = schema as ZodLike
  // Through a pipe, transform, optional or default to the object underneath.
  for (let depth = 0; depth < 10 && current && !current.shape; depth++) {
    const def = current.def
    const inner = def?.in ?? def?.innerType ?? def?.schema
    if (!inner) break
    current = inner as ZodLike
  }
  if (current?.shape && typeof current.shape === 'object') return Object.keys(current.shape)
  // A JSON Schema object declares its names in properties.
  const json = schema as { type?: string; properties?: Record<string, unknown> }
  if (json.type === 'object' && json.properties) return Object.keys(json.properties)
  throw new Error(`${route}: its querystring schema must be an object whose parameter names can be read`)
}

function shorten(name: string): string {
  return name.length > 60 ? `${name.slice(0, 60)}…` : name
}

/** The refusal of the unknown names, one error each, saying which parameters the endpoint takes. */
export function unknownParameterError(unknown: string[], allowed: string[]): ValidationError {
  const takes =
    allowed.length === 0
      ? 'This endpoint takes no query parameters.'
      : `This endpoint takes ${allowed.join(', ')}.`
  return new ValidationError(
    unknown.map((name) => ({
      code: UNKNOWN_PARAMETER,
      field: name === '' ? 'query' : shorten(name),
      message:
        name === ''
          ? `The query has a parameter with no name. ${takes}`
          : `${shorten(name)} is not a query parameter of this endpoint. ${takes}`,
    })),
  )
}

/** For an API route being registered: refuses, before validation, any query parameter it does not declare. */
export function refuseUndeclaredQueryParameters(route: RouteOptions): void {
  if (!route.url.startsWith('/api/')) return
  const allowed = declaredQueryNames(
    route.schema?.querystring,
    `${[route.method].flat().join(',')} ${route.url}`,
  )
  const known = new Set(allowed)
  const refuse = async (request: FastifyRequest) => {
    const query = (request.query ?? {}) as Record<string, unknown>
    const unknown = Object.keys(query).filter((name) => !known.has(name))
    if (unknown.length > 0) throw unknownParameterError(unknown.slice(0, 10), allowed)
  }
  const existing = route.preValidation === undefined ? [] : [route.preValidation].flat()
  route.preValidation = [refuse, ...existing] as RouteOptions['preValidation']
}
