// The access matrix's rows for Work Groups: a hub's groups are run by its lead and administrators
// (and NCETM's national administrators), and seen by national viewers too; everyone else is
// answered "page not found".
import type { Check } from './access-matrix.int.test.ts'
import type { TestApp } from './app.ts'
import { demoWorkGroup, freshWorkGroup, WORK_GROUP_HUB, workGroupForm } from './work-group-fixtures.ts'

export function workGroupPageChecks(app: () => TestApp): Check[] {
  const t = () => app()
  const page = (
    route: string,
    allowed: Check['allowed'],
    note: string,
    url: () => Promise<string>,
  ): Check => ({
    method: 'GET',
    route,
    prepare: async () => ({ url: await url() }),
    allowed,
    success: 200,
    note,
  })
  return [
    page(
      '/hubs/:id/work-groups',
      ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin'],
      'A hub’s Work Groups',
      async () => `/hubs/${WORK_GROUP_HUB}/work-groups`,
    ),
    page(
      '/hubs/:id/work-groups/new',
      ['nationalAdmin', 'hubLead', 'hubAdmin'],
      'Set up a Work Group',
      async () => `/hubs/${WORK_GROUP_HUB}/work-groups/new`,
    ),
    {
      method: 'POST',
      route: '/hubs/:id/work-groups',
      prepare: async () => ({ url: `/hubs/${WORK_GROUP_HUB}/work-groups`, body: await workGroupForm(t()) }),
      allowed: ['nationalAdmin', 'hubLead', 'hubAdmin'],
      success: 303,
      note: 'Set up a Work Group (in planning)',
      audited: true,
    },
    page(
      '/work-groups/:id',
      ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin'],
      'A Work Group (also its lead specialists)',
      async () => `/work-groups/${await demoWorkGroup(t())}`,
    ),
    {
      method: 'POST',
      route: '/work-groups/:id/state',
      prepare: async () => ({
        url: `/work-groups/${await freshWorkGroup(t())}/state`,
        body: { event: 'open-recruitment' },
      }),
      allowed: ['nationalAdmin', 'hubLead', 'hubAdmin'],
      success: 303,
      note: 'Open recruitment, start, complete or cancel a Work Group',
      audited: true,
    },
  ]
}
