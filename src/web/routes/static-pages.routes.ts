// Pages whose content is fixed: home, accessibility statement, privacy notice, cookies.
import type { FastifyInstance } from 'fastify'
import type { Page } from '../page.ts'

const PAGES = [
  { path: '/', template: 'index.njk', title: 'Maths Hubs: Teaching for Mastery' },
  { path: '/accessibility', template: 'accessibility.njk', title: 'Accessibility statement' },
  { path: '/privacy', template: 'privacy.njk', title: 'Privacy notice' },
  { path: '/cookies', template: 'cookies.njk', title: 'Cookies' },
]

export function staticPages(app: FastifyInstance, page: Page): void {
  for (const { path, template, title } of PAGES) {
    app.get(path, async (_request, reply) => page(reply, template, { pageTitle: title }))
  }
}
