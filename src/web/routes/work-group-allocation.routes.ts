// Pages for allocation, for a hub's team: choose a programme and year, list pairs of schools to
// keep apart or together, and have the service propose groups; then review the proposal on a map
// (with a table alternative) and a table of each school's group and distance, move schools, and
// apply it. A refusal shows the page again (422) with the GOV.UK error summary and changes nothing;
// anyone who may not run the hub's groups is answered "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { addPairRule, removePairRule } from '../../domain/work-groups/allocation-plans/pair-rules.ts'
import {
  applyAllocationPlan,
  moveSchoolInPlan,
  proposeAllocation,
} from '../../domain/work-groups/allocation-plans/plan-allocation.ts'
import {
  viewAllocation,
  viewAllocationPlan,
} from '../../domain/work-groups/allocation-plans/view-allocation.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { ConflictError, ValidationError } from '../../errors.ts'
import { allocationMap } from '../allocation-map.ts'
import { firstValues } from '../forms.ts'
import { errorsOf } from '../page.ts'
import { guarded, idParam, notFound, slugParam } from '../route-params.ts'

export interface AllocationRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const STATUS_NAMES: Record<string, string> = {
  ready: 'Ready for a group',
  waiting: 'On the waiting list',
  accepted: 'In a group',
}

const SAVED: Record<string, string> = {
  'pair-added': 'The pair has been listed',
  'pair-removed': 'The pair has been removed',
  moved: 'The school has been moved',
  applied: 'The plan has been applied: every school is in its group',
}

const km = (metres: number) => (metres / 1_000).toFixed(1)

export function workGroupAllocationRoutes(app: FastifyInstance, deps: AllocationRouteDeps): void {
  async function allocationPage(
    request: FastifyRequest,
    reply: FastifyReply,
    hubId: string,
    wanted: { programmeId?: string; academicYear?: string },
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewAllocation(deps.context(request), hubId, wanted)
    const saved = firstValues(request.query).saved
    const schools = view.inputs?.schools ?? []
    const nameOf = new Map(schools.map((s) => [s.urn, s.name]))
    return reply.view('work-group-allocation.njk', {
      pageTitle: `Propose Work Groups: ${view.hub.name}`,
      hub: view.hub,
      choices: view.choices.map((c) => ({
        ...c,
        value: `${c.programmeId}|${c.academicYear}`,
        text: `${c.programmeName}, ${c.academicYear}`,
      })),
      chosen: view.chosen,
      schools: schools.map((s) => ({ ...s, statusName: STATUS_NAMES[s.status] ?? s.status })),
      waitingCount: schools.filter((s) => s.status !== 'accepted').length,
      groups: view.inputs?.groups ?? [],
      pairs: (view.inputs?.pairs ?? []).map((p) => ({
        ...p,
        aName: nameOf.get(p.schoolA) ?? String(p.schoolA),
        bName: nameOf.get(p.schoolB) ?? String(p.schoolB),
      })),
      latestPlanId: view.latestPlanId,
      saved: saved && Object.hasOwn(SAVED, saved) ? SAVED[saved] : undefined,
      ...extra,
    })
  }

  /** The programme and year chosen, from "programme|year" in a query or form. */
  function scopeOf(values: Record<string, string | undefined>) {
    const [programmeId, academicYear] = (values.scope ?? '').split('|')
    return {
      programmeId: values.programmeId ?? programmeId ?? '',
      academicYear: values.academicYear ?? academicYear ?? '',
    }
  }

  app.get(
    '/hubs/:id/work-groups/allocation',
    guarded(async (request, reply) => {
      const parsed = slugParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return allocationPage(request, reply, parsed.data.id, scopeOf(firstValues(request.query)))
    }),
  )

  app.post(
    '/hubs/:id/work-groups/allocation',
    guarded(async (request, reply) => {
      const parsed = slugParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const scope = scopeOf(firstValues(request.body))
      try {
        const { planId } = await proposeAllocation(deps.context(request), parsed.data.id, scope)
        return reply.redirect(`/work-group-plans/${planId}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return allocationPage(request, reply.code(422), parsed.data.id, scope, errorsOf(error.errors, []))
      }
    }),
  )

  app.post(
    '/hubs/:id/work-groups/allocation/pairs',
    guarded(async (request, reply) => {
      const parsed = slugParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      const scope = scopeOf(body)
      try {
        await addPairRule(deps.context(request), parsed.data.id, {
          ...scope,
          kind: body.kind ?? '',
          schoolA: body.schoolA ?? '',
          schoolB: body.schoolB ?? '',
        })
        const query = new URLSearchParams({
          scope: `${scope.programmeId}|${scope.academicYear}`,
          saved: 'pair-added',
        })
        return reply.redirect(`/hubs/${parsed.data.id}/work-groups/allocation?${query}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) throw error
        return allocationPage(
          request,
          reply.code(error instanceof ConflictError ? 409 : 422),
          parsed.data.id,
          scope,
          { ...errorsOf(error.errors, ['kind', 'schoolA', 'schoolB']), values: body },
        )
      }
    }),
  )

  app.post(
    '/work-group-pair-rules/:id/remove',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const pair = await removePairRule(deps.context(request), parsed.data.id)
      const query = new URLSearchParams({
        scope: `${pair.programmeId}|${pair.academicYear}`,
        saved: 'pair-removed',
      })
      return reply.redirect(`/hubs/${pair.hubId}/work-groups/allocation?${query}`, 303)
    }),
  )

  async function planPage(
    request: FastifyRequest,
    reply: FastifyReply,
    planId: number,
    extra: Record<string, unknown> = {},
  ) {
    const plan = await viewAllocationPlan(deps.context(request), planId)
    const saved = firstValues(request.query).saved
    const map = allocationMap(plan)
    return reply.view('work-group-plan.njk', {
      pageTitle: `Proposed Work Groups: ${plan.programmeName}, ${plan.academicYear}`,
      plan: {
        ...plan,
        totalKm: km(plan.totalTravelMetres),
        boundKm: km(plan.lowerBoundMetres),
        greedyKm: plan.greedyTravelMetres === null ? undefined : km(plan.greedyTravelMetres),
        gapPercent: (plan.gap * 100).toFixed(2),
        groups: plan.groups.map((g, i) => ({
          ...g,
          number: i + 1,
          colour: map?.groups[i]?.colour,
          travelKm: km(g.travelMetres),
          schools: g.schools.map((s) => ({ ...s, km: km(s.distanceMetres) })),
        })),
      },
      map,
      scopeQuery: new URLSearchParams({ scope: `${plan.programmeId}|${plan.academicYear}` }).toString(),
      saved: saved && Object.hasOwn(SAVED, saved) ? SAVED[saved] : undefined,
      ...extra,
    })
  }

  app.get(
    '/work-group-plans/:id',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return planPage(request, reply, parsed.data.id)
    }),
  )

  app.post(
    '/work-group-plans/:id/move',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await moveSchoolInPlan(deps.context(request), parsed.data.id, {
          urn: body.urn ?? '',
          workGroupId: body.workGroupId ?? '',
        })
        return reply.redirect(`/work-group-plans/${parsed.data.id}?saved=moved`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        // A refusal about the group chosen for a school of the plan points at that school's list.
        const onList = (e: { code: string; field: string }) =>
          e.field === 'workGroupId' && ['unknown', 'placed', 'full'].includes(e.code)
        const fields = error.errors.map((e) => (onList(e) ? { ...e, field: `move-${body.urn}` } : e))
        return planPage(request, reply.code(422), parsed.data.id, errorsOf(fields, [`move-${body.urn}`]))
      }
    }),
  )

  app.post(
    '/work-group-plans/:id/apply',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      try {
        await applyAllocationPlan(deps.context(request), parsed.data.id)
        return reply.redirect(`/work-group-plans/${parsed.data.id}?saved=applied`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return planPage(request, reply.code(422), parsed.data.id, errorsOf(error.errors, []))
      }
    }),
  )
}
