// Renders a view into a reply, adding what every page's layout needs.
import type { FastifyReply } from 'fastify'
import type { Renderer } from './render.ts'

export type Page = (reply: FastifyReply, template: string, context: Record<string, unknown>) => FastifyReply

export function pageRenderer(renderer: Renderer, options: { demo: boolean }): Page {
  return (reply, template, context) =>
    reply.type('text/html; charset=utf-8').send(
      renderer.render(template, {
        demo: options.demo,
        currentPath: reply.request.url.split('?')[0],
        ...context,
      }),
    )
}
