// Whether a request is for the API or a page, decided on the route it reached (the router has
// decoded its address), never on the address as sent: "/%61pi/v1/me" is the API route /api/v1/me,
// and must be treated as one (a bearer token, never a session cookie). An address no route
// answered is read the same way the router reads one (decoded, slashes collapsed, any case), so
// its "not found" is JSON when it looks like the API.
import type { FastifyRequest } from 'fastify'

function isApiPattern(path: string): boolean {
  return path.startsWith('/api/') || path === '/healthz'
}

export function isApiRequest(request: FastifyRequest): boolean {
  const pattern = request.routeOptions?.url
  if (pattern) return isApiPattern(pattern)
  return isApiPattern(normalisedPath(request.url))
}

/** An address as a lenient router would read it: decoded, no query, single slashes, lower case. */
export function normalisedPath(url: string): string {
  const path = url.split('?')[0]!.split('#')[0]!
  let decoded = path
  for (let round = 0; round < 3; round++) {
    const next = decoded.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run)
      } catch {
        return run
      }
    })
    if (next === decoded) break
    decoded = next
  }
  return decoded
    .replace(/\\/g, '/')
    .replace(/\/(\.\/)+/g, '/')
    .replace(/\/{2,}/g, '/')
    .toLowerCase()
}
