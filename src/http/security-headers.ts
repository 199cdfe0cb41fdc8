// The security headers every answer carries, through @fastify/helmet: a strict Content-Security-
// Policy (scripts, styles, fonts and images from this origin only, so no inline script anywhere;
// no framing), no MIME sniffing, referrer to this origin only, the opener isolated, no camera,
// microphone or location; and HSTS when the service is served over https. Helmet's onRequest hook
// covers every route, "not found" and errors; the framework's own early refusals (an address it
// cannot decode, too long a parameter) run no hooks, so applyEarly writes the same headers there.
import { createRequire } from 'node:module'
import type { FastifyHelmetOptions } from '@fastify/helmet'
import type { FastifyReply, FastifyRequest } from 'fastify'

type Helmet = (
  options: Omit<FastifyHelmetOptions, 'global' | 'enableCSPNonces'>,
) => (req: unknown, res: unknown, next: () => void) => void

// The helmet that @fastify/helmet itself uses (its own dependency), for the answers no hook sees.
const fromPlugin = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))
const helmet = fromPlugin('helmet') as Helmet

export function helmetOptions(baseUrl: string): FastifyHelmetOptions {
  const https = new URL(baseUrl).protocol === 'https:'
  return {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true, preload: false } : false,
  }
}

/** Not a helmet header: what the pages may never ask the browser for. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), interest-cohort=()'

/** The headers of every answer that are not helmet's: the request id, permissions, and no caching. */
export function ownHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id)
  reply.header('permissions-policy', PERMISSIONS_POLICY)
}

/** For an answer no hook will see: helmet's headers and ours, written straight onto the reply. */
export function applyEarly(
  options: FastifyHelmetOptions,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const configuration = { ...options }
  delete configuration.global
  delete configuration.enableCSPNonces
  helmet(configuration)(request.raw, reply.raw, () => {})
  ownHeaders(request, reply)
  reply.header('cache-control', 'no-store')
}
