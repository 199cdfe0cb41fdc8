// The API's own sign-in check: routes that need a person answer 401 without a valid API token.
import type { FastifyReply, FastifyRequest } from 'fastify'

/** The OpenAPI security requirement for routes that take an API token. */
export const bearer = [{ bearerAuth: [] }]

/** A preHandler: anonymous callers get 401 and are told how to send a token. */
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
