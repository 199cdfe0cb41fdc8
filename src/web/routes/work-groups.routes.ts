// Pages for Work Groups: a hub's groups (its lead and administrators, NCETM), setting up a group,
// one group's page (those, and its lead specialists), and moving a group through its states. A
// refusal shows the form again (422) with the GOV.UK error summary and changes nothing; anyone who
// may not see the hub or group is answered "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { createWorkGroup, moveWorkGroup } from '../../domain/work-groups/manage-work-groups.ts'
import {
  newWorkGroupOptions,
  viewHubWorkGroups,
  viewWorkGroup,
} from '../../domain/work-groups/view-work-groups.ts'
import {
  EVENT_ACTIONS,
  eventsFrom,
  STATE_NAMES,
  STATE_TAGS,
} from '../../domain/work-groups/work-group.states.ts'
import { canViewHubWorkGroups } from '../../domain/work-groups/work-groups.policy.ts'
import { PHASE_NAMES, type WorkGroupRecord } from '../../domain/work-groups/work-groups.repository.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { ConflictError, ValidationError } from '../../errors.ts'
import { groupSessionsSection } from './work-group-sessions.routes.ts'
import { groupSchoolsSection } from './work-group-schools.routes.ts'
import { groupJourneySection } from './school-journey-section.ts'
import { firstValues } from '../forms.ts'
import { errorsOf } from '../page.ts'
import { guarded, idParam, notFound, slugParam } from '../route-params.ts'

export interface WorkGroupRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const FORM_FIELDS = [
  'programmeId',
  'phase',
  'academicYear',
  'name',
  'meetingArea',
  'capacity',
  'plannedSessions',
  'leads',
]

const HISTORY_NAMES: Record<string, string> = {
  create: 'Set up, in planning',
  'open-recruitment': 'Recruitment opened to schools',
  start: 'Started',
  complete: 'Completed',
  cancel: 'Cancelled',
}

/** The banner after each change, by the name its redirect gives. */
const SAVED: Record<string, string> = {
  created: 'The Work Group has been set up',
  'open-recruitment': 'Recruitment is open: schools may now be accepted into the group',
  start: 'The group has started',
  complete: 'The group is marked as completed',
  cancel: 'The group has been cancelled',
}

const yearFilter = z.object({
  year: z
    .string()
    .regex(/^\d{4}\/\d{2}$/)
    .optional()
    .catch(undefined),
})

export function presentGroup(group: WorkGroupRecord) {
  return {
    ...group,
    stateName: STATE_NAMES[group.state],
    stateTag: STATE_TAGS[group.state],
    phaseName: PHASE_NAMES[group.phase],
  }
}

/** A repeated form field (checkboxes) as a list, however the body gave it. */
function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return typeof value === 'string' && value !== '' ? [value] : []
}

export function workGroupRoutes(app: FastifyInstance, deps: WorkGroupRouteDeps): void {
  app.get(
    '/hubs/:id/work-groups',
    guarded(async (request, reply) => {
      const parsed = slugParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const context = deps.context(request)
      const { year } = yearFilter.parse({ year: firstValues(request.query).year || undefined })
      const all = await viewHubWorkGroups(context, parsed.data.id)
      const years = [...new Set(all.groups.map((g) => g.academicYear))]
      const groups = year ? all.groups.filter((g) => g.academicYear === year) : all.groups
      return reply.view('work-groups.njk', {
        pageTitle: `Work Groups: ${all.hub.name}`,
        hub: all.hub,
        groups: groups.map(presentGroup),
        years,
        chosenYear: year,
        canManage: all.canManage,
      })
    }),
  )

  async function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    hubId: string,
    extra: Record<string, unknown> = {},
  ) {
    const options = await newWorkGroupOptions(deps.context(request), hubId)
    return reply.view('work-group-form.njk', {
      pageTitle: `Set up a Work Group`,
      ...options,
      ...extra,
    })
  }

  app.get(
    '/hubs/:id/work-groups/new',
    guarded(async (request, reply) => {
      const parsed = slugParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return formPage(request, reply, parsed.data.id)
    }),
  )

  app.post(
    '/hubs/:id/work-groups',
    guarded(async (request, reply) => {
      const parsed = slugParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const raw = (request.body ?? {}) as Record<string, unknown>
      const body = firstValues(raw)
      const leads = listOf(raw.leads)
      try {
        const group = await createWorkGroup(deps.context(request), parsed.data.id, {
          programmeId: body.programmeId ?? '',
          phase: body.phase ?? '',
          academicYear: body.academicYear ?? '',
          name: body.name ?? '',
          meetingArea: body.meetingArea ?? '',
          capacity: body.capacity?.trim() || undefined,
          plannedSessions: body.plannedSessions?.trim() || undefined,
          leads,
        })
        return reply.redirect(`/work-groups/${group.id}?saved=created`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) throw error
        const fields = error.errors.map((e) => ({ ...e, field: e.field.replace(/^leads\.\d+$/, 'leads') }))
        return formPage(request, reply.code(error instanceof ConflictError ? 409 : 422), parsed.data.id, {
          ...errorsOf(fields, FORM_FIELDS),
          values: { ...body, leads },
        })
      }
    }),
  )

  async function groupPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const view = await viewWorkGroup(context, id)
    const saved = firstValues(request.query).saved
    return reply.view('work-group.njk', {
      pageTitle: `${view.group.name}`,
      group: presentGroup(view.group),
      history: view.history.map((h) => ({ ...h, eventName: HISTORY_NAMES[h.event] ?? h.event })),
      actions: view.canManage
        ? eventsFrom(view.group.state).map((event) => ({
            event,
            text: EVENT_ACTIONS[event],
            warning: event === 'cancel',
          }))
        : [],
      listHref: canViewHubWorkGroups(context.actor, view.group.hubId)
        ? `/hubs/${view.group.hubId}/work-groups`
        : undefined,
      saved: saved && Object.hasOwn(SAVED, saved) ? SAVED[saved] : undefined,
      schoolsSection: await groupSchoolsSection(context, id),
      sessionsSection: await groupSessionsSection(context, id),
      journeySection: await groupJourneySection(context, id),
      ...extra,
    })
  }

  app.get(
    '/work-groups/:id',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return groupPage(request, reply, parsed.data.id)
    }),
  )

  app.post(
    '/work-groups/:id/state',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      try {
        const group = await moveWorkGroup(deps.context(request), parsed.data.id, { event: body.event ?? '' })
        const event = body.event!
        return reply.redirect(`/work-groups/${group.id}?saved=${encodeURIComponent(event)}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return groupPage(request, reply.code(422), parsed.data.id, errorsOf(error.errors, []))
      }
    }),
  )
}
