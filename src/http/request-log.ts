// What a log line may say about a request and an error. Logs carry the method and the routed path
// only, never a query string or a body; a path parameter is written only when it is a record id
// (the list below), and any other (a single-use link's token, or a parameter a new route adds) is
// written as [redacted]. The route table decides, so a route that carries a secret cannot forget:
// it is redacted unless its parameter is named as a record id. An address no route answers is
// written with whatever follows a secret-carrying route's fixed part redacted (a mistyped or
// damaged link still holds its token). Errors are written without values (see database-errors.ts).
import type { FastifyRequest } from 'fastify'
import { databaseErrorForLog, isDatabaseError } from '../db/database-errors.ts'

/** Path parameters that name a record, and so may be logged: nothing secret is ever called this. */
export const RECORD_ID_PARAMS: ReadonlySet<string> = new Set([
  'id',
  'applicationId',
  'cohortId',
  'hubId',
  'laCode',
  'personId',
  'urn',
  // A wildcard route serves files (/assets/*).
  '*',
])

export const REDACTED = '[redacted]'

const PARAM = /:([A-Za-z0-9_]+)/g

/** Every parameter of a route pattern that may not be logged. */
export function secretParamsOf(pattern: string): string[] {
  return [...pattern.matchAll(PARAM)].map((m) => m[1]!).filter((name) => !RECORD_ID_PARAMS.has(name))
}

/** The routes' secrets: as each route is added, the fixed part of its path before its first secret. */
export class SecretPaths {
  private readonly prefixes = new Set<string>()

  /** Notes a route; call from onRoute. */
  add(pattern: string): void {
    const secret = secretParamsOf(pattern)[0]
    if (!secret) return
    const prefix = pattern.slice(0, pattern.indexOf(`:${secret}`))
    if (prefix.length > 1) this.prefixes.add(prefix.toLowerCase())
  }

  /** The path to log for a request. */
  pathOf(request: FastifyRequest): string {
    const pattern = request.routeOptions?.url
    if (pattern) return routedPath(pattern, (request.params ?? {}) as Record<string, unknown>)
    return this.unroutedPath(request.url)
  }

  /** An address no route answered: readable as far as the fixed part of a secret-carrying route. */
  unroutedPath(url: string): string {
    const path = url.split('?')[0]!.split('#')[0]!
    const readable = leniently(path).replace(/\/{2,}/g, '/')
    const lower = readable.toLowerCase()
    let cut = -1
    for (const prefix of this.prefixes) {
      const at = lower.indexOf(prefix)
      if (at >= 0 && (cut < 0 || at < cut)) cut = at + prefix.length
    }
    if (cut < 0) return path
    return `${readable.slice(0, cut)}${REDACTED}`
  }
}

/** What a record id looks like: a number, a slug or a code. Anything else someone typed is not logged. */
const LOGGABLE_ID = /^[A-Za-z0-9_.-]{1,64}$/

/** The route's pattern with record ids filled in and every other parameter redacted. */
export function routedPath(pattern: string, params: Record<string, unknown>): string {
  const filled = pattern.replace(PARAM, (_m, name: string) => {
    const value = String(params[name] ?? '')
    return RECORD_ID_PARAMS.has(name) && (name === '*' || LOGGABLE_ID.test(value)) ? value : REDACTED
  })
  return filled.endsWith('*') ? `${filled.slice(0, -1)}${String(params['*'] ?? '')}` : filled
}

/** Percent-decoding that leaves anything it cannot decode as it was. */
function leniently(path: string): string {
  return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return run
    }
  })
}

/**
 * An error as a log may hold it: for a database error only its SQLSTATE, the names of the
 * constraint, table and column and the message without values (never DETAIL, WHERE, the query or
 * its parameters); for any other, its type, message, stack and codes, with its cause the same way.
 */
export interface LoggedError {
  type: string
  message: string
  stack: string
  [key: string]: unknown
}

export function errorForLog(error: unknown, depth = 0): LoggedError {
  if (isDatabaseError(error)) return databaseErrorForLog(error)
  if (!(error instanceof Error)) return { type: typeof error, message: String(error), stack: '' }
  const { code, statusCode, cause } = error as { code?: unknown; statusCode?: unknown; cause?: unknown }
  return {
    type: error.constructor?.name ?? error.name,
    message: error.message,
    stack: error.stack ?? '',
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof statusCode === 'number' ? { statusCode } : {}),
    ...(cause !== undefined && depth < 4 ? { cause: errorForLog(cause, depth + 1) } : {}),
  }
}
