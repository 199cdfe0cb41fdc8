// Pages whose content is mostly fixed: home (with the programme catalogue), accessibility
// statement, privacy notice, cookies.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { listProgrammes } from '../../domain/programmes/programmes.repository.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import type { Page } from '../page.ts'

const PAGES = [
  { path: '/accessibility', template: 'accessibility.njk', title: 'Accessibility statement' },
  { path: '/privacy', template: 'privacy.njk', title: 'Privacy notice' },
  { path: '/cookies', template: 'cookies.njk', title: 'Cookies' },
]

export function staticPages(
  app: FastifyInstance,
  page: Page,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  // The home page lists the catalogue as it is, so it never disagrees with /programmes.
  app.get('/', async (request, reply) =>
    page(reply, 'index.njk', {
      pageTitle: 'Maths Hubs: Teaching for Mastery',
      programmes: await listProgrammes(deps.context(request).db),
    }),
  )
  for (const { path, template, title } of PAGES) {
    app.get(path, async (_request, reply) => page(reply, template, { pageTitle: title }))
  }
}
