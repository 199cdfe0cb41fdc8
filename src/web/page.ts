// Renders a view into a reply, adding what every page's layout needs: the demo flag, the current
// path, who is signed in, the CSRF token for forms and the names of roles.
import type { FastifyReply } from 'fastify'
import { ANONYMOUS, ROLE_NAMES } from '../domain/access/actor.ts'
import type { ValidationError } from '../errors.ts'
import type { Renderer } from './render.ts'

export type Page = (reply: FastifyReply, template: string, context: Record<string, unknown>) => FastifyReply

export function pageRenderer(renderer: Renderer, options: { demo: boolean }): Page {
  return (reply, template, context) => {
    const request = reply.request
    return reply.type('text/html; charset=utf-8').send(
      renderer.render(template, {
        demo: options.demo,
        currentPath: request.url.split('?')[0],
        actor: request.actor ?? ANONYMOUS,
        csrfToken: request.session?.csrfToken ?? '',
        roleNames: ROLE_NAMES,
        ...context,
      }),
    )
  }
}

/** A use-case's validation errors as the GOV.UK error summary wants them. */
export function summaryOf(error: ValidationError): { text: string; href: string }[] {
  return error.errors.map((e) => ({ text: e.message, href: `#${e.field}` }))
}
