// The access matrix's rows for allocation: only those who run a hub's groups (its lead and
// administrators, and NCETM's national administrators) propose, review, change and apply plans;
// everyone else, national viewers included, is answered "page not found".
import type { Check } from './access-matrix.int.test.ts'
import type { TestApp } from './app.ts'
import { allocationScenario, proposedPlan } from './work-group-allocation-fixtures.ts'
import { demoWorkGroup, freshWorkGroup, WORK_GROUP_HUB, workGroupForm } from './work-group-fixtures.ts'

const MANAGERS: Check['allowed'] = ['nationalAdmin', 'hubLead', 'hubAdmin']

export function allocationChecks(app: () => TestApp): Check[] {
  const t = () => app()
  return [
    {
      method: 'GET',
      route: '/hubs/:id/work-groups/allocation',
      prepare: async () => ({ url: `/hubs/${WORK_GROUP_HUB}/work-groups/allocation` }),
      allowed: MANAGERS,
      success: 200,
      note: 'Propose Work Groups for a programme’s interested schools',
    },
    {
      method: 'POST',
      route: '/hubs/:id/work-groups/allocation',
      prepare: async () => {
        const { scope } = await allocationScenario(t(), 4)
        return {
          url: `/hubs/${WORK_GROUP_HUB}/work-groups/allocation`,
          body: { scope: `${scope.programmeId}|${scope.academicYear}` },
        }
      },
      allowed: MANAGERS,
      success: 303,
      note: 'Have the service propose groups (HiGHS, with its bound and gap)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/hubs/:id/work-groups/allocation/pairs',
      prepare: async () => {
        const { scope, urns } = await allocationScenario(t(), 2)
        return {
          url: `/hubs/${WORK_GROUP_HUB}/work-groups/allocation/pairs`,
          body: {
            scope: `${scope.programmeId}|${scope.academicYear}`,
            kind: 'apart',
            schoolA: urns[0]!,
            schoolB: urns[1]!,
          },
        }
      },
      allowed: MANAGERS,
      success: 303,
      note: 'List two schools to keep apart or together',
      audited: true,
    },
    {
      method: 'POST',
      route: '/work-group-pair-rules/:id/remove',
      prepare: async () => {
        const { context, scope, urns } = await allocationScenario(t(), 2)
        const { addPairRule } = await import('../src/domain/work-groups/allocation-plans/pair-rules.ts')
        const id = await addPairRule(context, WORK_GROUP_HUB, {
          ...scope,
          kind: 'together',
          schoolA: urns[0],
          schoolB: urns[1],
        })
        return { url: `/work-group-pair-rules/${id}/remove` }
      },
      allowed: MANAGERS,
      success: 303,
      note: 'Remove a listed pair',
      audited: true,
    },
    {
      method: 'GET',
      route: '/work-group-plans/:id',
      prepare: async () => ({ url: `/work-group-plans/${(await proposedPlan(t())).planId}` }),
      allowed: MANAGERS,
      success: 200,
      note: 'Review a proposal on a map and tables',
    },
    {
      method: 'POST',
      route: '/work-group-plans/:id/move',
      prepare: async () => {
        const { planId } = await proposedPlan(t())
        const { viewAllocationPlan } =
          await import('../src/domain/work-groups/allocation-plans/view-allocation.ts')
        const { contextOf } = await import('./event-fixtures.ts')
        const plan = await viewAllocationPlan(
          await contextOf(t(), 'priya.shah@northvale.mathshub.example'),
          planId,
        )
        // From the larger group to the other, which has room.
        const [from, to] = [...plan.groups].sort((a, b) => b.schools.length - a.schools.length)
        return {
          url: `/work-group-plans/${planId}/move`,
          body: { urn: from!.schools[0]!.urn, workGroupId: to!.workGroupId },
        }
      },
      allowed: MANAGERS,
      success: 303,
      note: 'Move a school to another group in a proposal',
      audited: true,
    },
    {
      method: 'POST',
      route: '/work-group-plans/:id/apply',
      prepare: async () => ({ url: `/work-group-plans/${(await proposedPlan(t())).planId}/apply` }),
      allowed: MANAGERS,
      success: 303,
      note: 'Apply a proposal: every school into its group, in one transaction',
      audited: true,
    },
  ]
}

/** The Work Groups API: the same people as the pages. */
export function workGroupApiChecks(app: () => TestApp): Check[] {
  const t = () => app()
  const VIEWERS: Check['allowed'] = ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin']
  return [
    {
      method: 'GET',
      route: '/api/v1/hubs/:id/work-groups',
      prepare: async () => ({ url: `/api/v1/hubs/${WORK_GROUP_HUB}/work-groups` }),
      allowed: VIEWERS,
      success: 200,
      note: 'API: a hub’s Work Groups',
    },
    {
      method: 'POST',
      route: '/api/v1/hubs/:id/work-groups',
      prepare: async () => {
        const form = await workGroupForm(t())
        return {
          url: `/api/v1/hubs/${WORK_GROUP_HUB}/work-groups`,
          body: { ...form, leads: [Number(form.leads)] },
        }
      },
      allowed: MANAGERS,
      success: 201,
      note: 'API: set up a Work Group',
      audited: true,
    },
    {
      method: 'GET',
      route: '/api/v1/work-groups/:id',
      prepare: async () => ({ url: `/api/v1/work-groups/${await demoWorkGroup(t())}` }),
      allowed: VIEWERS,
      success: 200,
      note: 'API: a Work Group (also its lead specialists)',
    },
    {
      method: 'POST',
      route: '/api/v1/work-groups/:id/state',
      prepare: async () => ({
        url: `/api/v1/work-groups/${await freshWorkGroup(t())}/state`,
        body: { event: 'open-recruitment' },
      }),
      allowed: MANAGERS,
      success: 200,
      note: 'API: move a Work Group on',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/hubs/:id/work-groups/allocation',
      prepare: async () => {
        const { scope } = await allocationScenario(t(), 4)
        return { url: `/api/v1/hubs/${WORK_GROUP_HUB}/work-groups/allocation`, body: scope }
      },
      allowed: MANAGERS,
      success: 201,
      note: 'API: propose groups for interested schools',
      audited: true,
    },
    {
      method: 'GET',
      route: '/api/v1/work-group-plans/:id',
      prepare: async () => ({ url: `/api/v1/work-group-plans/${(await proposedPlan(t())).planId}` }),
      allowed: MANAGERS,
      success: 200,
      note: 'API: a proposal',
    },
    {
      method: 'POST',
      route: '/api/v1/work-group-plans/:id/move',
      prepare: async () => {
        const { planId } = await proposedPlan(t())
        const { viewAllocationPlan } =
          await import('../src/domain/work-groups/allocation-plans/view-allocation.ts')
        const { contextOf } = await import('./event-fixtures.ts')
        const plan = await viewAllocationPlan(
          await contextOf(t(), 'priya.shah@northvale.mathshub.example'),
          planId,
        )
        const [from, to] = [...plan.groups].sort((a, b) => b.schools.length - a.schools.length)
        return {
          url: `/api/v1/work-group-plans/${planId}/move`,
          body: { urn: from!.schools[0]!.urn, workGroupId: to!.workGroupId },
        }
      },
      allowed: MANAGERS,
      success: 200,
      note: 'API: move a school in a proposal',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/work-group-plans/:id/apply',
      prepare: async () => ({ url: `/api/v1/work-group-plans/${(await proposedPlan(t())).planId}/apply` }),
      allowed: MANAGERS,
      success: 200,
      note: 'API: apply a proposal',
      audited: true,
    },
  ]
}
