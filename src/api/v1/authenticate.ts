// The API's own sign-in check: routes that need a person answer 401 without a valid API token.
import type { FastifyReply, FastifyRequest } from 'fastify'

/** The OpenAPI security requirement for routes that take an API token. */
export const bearer = [{ bearerAuth: [] }]

/**
 * An onRequest hook: anonymous callers get 401 and are told how to send a token, before their body
 * is read or validated (an unsigned caller learns nothing about what a body should hold).
 */
export async function requireApiToken(request: FastifyRequest, reply: FastifyReply) {
  if (request.actor.kind !== 'person') {
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send({
        errors: [{ code: 'unauthenticated', message: 'Send an API token: Authorization: Bearer mh_…' }],
      })
  }
}
