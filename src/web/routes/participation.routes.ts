// A Mastery Specialist's participation, as their hub's team and NCETM see it (and the specialist
// themselves): the stages of their programme, release time this year, their tasks and their PD
// Lead accreditation progress; a task's page, where the specialist hands in evidence (text, an
// https link or a file, through the shared upload mechanism) and the hub or NCETM accepts it or
// returns it with feedback; the evidence file's download; and NCETM recording accreditation. A
// cohort's tasks are set by NCETM on the cohort's tasks page. Anyone else is answered "page not
// found"; a refusal shows the form again (422) with the GOV.UK error summary and saves nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { isNationalAdmin, isSignedIn } from '../../domain/access/access.policy.ts'
import {
  recordAward,
  recordRequirementMet,
} from '../../domain/participants/accreditation/record-accreditation.ts'
import {
  canRecordAward,
  canRecordRequirementMet,
} from '../../domain/participants/accreditation/accreditation.policy.ts'
import { viewAccreditation } from '../../domain/participants/accreditation/view-accreditation.ts'
import { STAGE_NAMES } from '../../domain/participants/participation.states.ts'
import { viewReleaseTime } from '../../domain/participants/release-time/view-release-time.ts'
import { downloadEvidence } from '../../domain/participants/tasks/download-evidence.ts'
import { setTask } from '../../domain/participants/tasks/manage-tasks.ts'
import { reviewSubmission } from '../../domain/participants/tasks/review-submission.ts'
import { submitTask } from '../../domain/participants/tasks/submit-task.ts'
import { TASK_PROGRESS_NAMES } from '../../domain/participants/tasks/task-status.ts'
import { canReviewSubmissions } from '../../domain/participants/tasks/tasks.policy.ts'
import { viewCohortTasks, viewTasks } from '../../domain/participants/tasks/view-tasks.ts'
import { viewParticipation } from '../../domain/participants/view-participation.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { NotFoundError, ValidationError } from '../../errors.ts'
import { dateFieldValue, firstValues } from '../forms.ts'
import { errorsOf } from '../page.ts'
import { guarded, idParam, notFound, slugParam } from '../route-params.ts'
import { presentReleaseTime } from './release-time.routes.ts'

export interface ParticipationRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const taskParams = z.object({ id: idParam.shape.id, taskId: idParam.shape.id })
const requirementParams = z.object({ id: idParam.shape.id, requirementId: idParam.shape.id })

export function participationRoutes(app: FastifyInstance, deps: ParticipationRouteDeps): void {
  async function participationPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const participation = await viewParticipation(context, id)
    const [release, tasks, accreditation, cohort, hub] = await Promise.all([
      viewReleaseTime(context, id),
      viewTasks(context, id),
      viewAccreditation(context, id),
      context.db
        .selectFrom('cohorts')
        .innerJoin('programmes', 'programmes.id', 'cohorts.programme_id')
        .select(['cohorts.number', 'programmes.name'])
        .where('cohorts.id', '=', participation.cohortId)
        .executeTakeFirstOrThrow(),
      participation.hubId
        ? context.db
            .selectFrom('hubs')
            .select('name')
            .where('id', '=', participation.hubId)
            .executeTakeFirst()
        : undefined,
    ])
    const owner = { personId: participation.personId, hubId: participation.hubId }
    // A problem links to its date only where the page shows that form.
    const accredited = accreditation.accreditation !== null
    const shown = new Set([
      ...(canRecordAward(context.actor) && !accredited && !accreditation.awardRefusal
        ? ['#awardedOn.day']
        : []),
      ...(canRecordRequirementMet(context.actor, owner) && !accredited
        ? accreditation.requirements.filter((r) => !r.met).map((r) => `#metOn-${r.id}.day`)
        : []),
    ])
    if (Array.isArray(extra.errors)) {
      extra.errors = (extra.errors as { text: string; href?: string }[]).map((e) =>
        e.href && !shown.has(e.href) ? { text: e.text } : e,
      )
    }
    return reply.view('participation.njk', {
      pageTitle: participation.personName,
      participation: {
        ...participation,
        stageName: participation.currentStage ? STAGE_NAMES[participation.currentStage] : 'Not started yet',
        stages: participation.stages.map((s) => ({ ...s, name: STAGE_NAMES[s.stage] })),
      },
      cohort: { id: participation.cohortId, number: cohort.number, programmeName: cohort.name },
      hubName: hub?.name ?? null,
      release: presentReleaseTime(release),
      tasks: tasks.tasks.map((t) => ({ ...t, progressName: TASK_PROGRESS_NAMES[t.progress] })),
      accreditation,
      canRecordMet: canRecordRequirementMet(context.actor, owner),
      canAward: canRecordAward(context.actor),
      values: {},
      ...extra,
    })
  }

  app.get(
    '/participations/:id',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const saved = ['met', 'awarded'].find((s) => s === firstValues(request.query).saved)
      return participationPage(request, reply, parsed.data.id, { saved })
    }),
  )

  app.post(
    '/participations/:id/accreditation/requirements/:requirementId',
    guarded(async (request, reply) => {
      const parsed = requirementParams.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      // Each requirement's form names its date metOn; its boxes' ids carry the requirement.
      const field = `metOn-${parsed.data.requirementId}`
      try {
        await recordRequirementMet(deps.context(request), parsed.data.id, {
          requirementId: parsed.data.requirementId,
          metOn: dateFieldValue(body, 'metOn'),
        })
        return reply.redirect(`/participations/${parsed.data.id}?saved=met#accreditation`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return participationPage(request, reply.code(422), parsed.data.id, {
          ...errorsOf(
            error.errors.map((e) => (e.field === 'metOn' ? { ...e, field } : e)),
            [field],
            [field],
          ),
          values: { ...body, requirementId: String(parsed.data.requirementId) },
        })
      }
    }),
  )

  app.post(
    '/participations/:id/accreditation/award',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await recordAward(deps.context(request), parsed.data.id, {
          awardedOn: dateFieldValue(body, 'awardedOn'),
        })
        return reply.redirect(`/participations/${parsed.data.id}?saved=awarded#accreditation`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return participationPage(request, reply.code(422), parsed.data.id, {
          ...errorsOf(error.errors, ['awardedOn'], ['awardedOn']),
          values: body,
        })
      }
    }),
  )

  async function taskPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    taskId: number,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const view = await viewTasks(context, id)
    const task = view.tasks.find((t) => t.task.id === taskId)
    if (!task) return notFound(reply)
    const { personId } = await viewParticipation(context, id)
    const own = isSignedIn(context.actor) && personId === context.actor.personId
    return reply.view('participation-task.njk', {
      pageTitle: task.task.title,
      participation: view.participation,
      task: { ...task, progressName: TASK_PROGRESS_NAMES[task.progress] },
      own,
      canReview: canReviewSubmissions(context.actor, { personId, hubId: view.participation.hubId }) && !own,
      values: {},
      ...extra,
    })
  }

  app.get(
    '/participations/:id/tasks/:taskId',
    guarded(async (request, reply) => {
      const parsed = taskParams.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const saved = ['handed-in', 'accepted', 'returned'].find((s) => s === firstValues(request.query).saved)
      return taskPage(request, reply, parsed.data.id, parsed.data.taskId, { saved })
    }),
  )

  app.post(
    '/participations/:id/tasks/:taskId',
    guarded(async (request, reply) => {
      const parsed = taskParams.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      const file = request.uploads.file
      const kind = body.kind
      try {
        if (kind === 'file' && file?.tooLarge) {
          throw new ValidationError([
            { code: 'too-large', field: 'file', message: 'The file must be smaller than 10 MB' },
          ])
        }
        await submitTask(deps.context(request), parsed.data.id, parsed.data.taskId, {
          kind: kind || undefined,
          ...(kind === 'text' ? { text: body.text } : {}),
          ...(kind === 'link' ? { url: body.url } : {}),
          ...(kind === 'file' && file
            ? {
                file: {
                  filename: file.filename,
                  contentType: file.contentType,
                  bytes: new Uint8Array(file.bytes),
                },
              }
            : {}),
        })
        return reply.redirect(
          `/participations/${parsed.data.id}/tasks/${parsed.data.taskId}?saved=handed-in`,
          303,
        )
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return taskPage(request, reply.code(422), parsed.data.id, parsed.data.taskId, {
          ...errorsOf(
            error.errors.map((e) => (e.field.startsWith('file') ? { ...e, field: 'file' } : e)),
            ['kind', 'text', 'url', 'file'],
          ),
          values: body,
        })
      }
    }),
  )

  app.post(
    '/submissions/:id/review',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const context = deps.context(request)
      const submission = await context.db
        .selectFrom('task_submissions')
        .select(['participation_id', 'task_id'])
        .where('id', '=', parsed.data.id)
        .executeTakeFirst()
      if (!submission) return notFound(reply)
      const body = firstValues(request.body)
      const back = `/participations/${submission.participation_id}/tasks/${submission.task_id}`
      try {
        const reviewed = await reviewSubmission(context, parsed.data.id, {
          decision: body.decision || undefined,
          feedback: body.feedback,
        })
        return reply.redirect(
          `${back}?saved=${reviewed.status === 'accepted' ? 'accepted' : 'returned'}`,
          303,
        )
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return taskPage(
          request,
          reply.code(422),
          Number(submission.participation_id),
          Number(submission.task_id),
          {
            ...errorsOf(error.errors, ['decision', 'feedback']),
            values: body,
          },
        )
      }
    }),
  )

  app.get(
    '/submissions/:id/file',
    { exposeHeadRoute: false },
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const file = await downloadEvidence(deps.context(request), parsed.data.id)
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"`)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(file.bytes))
    }),
  )

  async function cohortTasksPage(
    request: FastifyRequest,
    reply: FastifyReply,
    cohortId: string,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    if (!isNationalAdmin(context.actor)) throw new NotFoundError('Cohort')
    const tasks = await viewCohortTasks(context, cohortId)
    const cohort = await context.db
      .selectFrom('cohorts')
      .innerJoin('programmes', 'programmes.id', 'cohorts.programme_id')
      .select(['cohorts.number', 'programmes.name'])
      .where('cohorts.id', '=', cohortId)
      .executeTakeFirst()
    if (!cohort) return notFound(reply)
    return reply.view('cohort-tasks.njk', {
      pageTitle: `Tasks: ${cohort.name}, Cohort ${cohort.number}`,
      cohort: { id: cohortId, number: cohort.number, programmeName: cohort.name },
      tasks,
      values: {},
      ...extra,
    })
  }

  app.get(
    '/cohorts/:id/tasks',
    guarded(async (request, reply) => {
      const parsed = slugParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const saved = firstValues(request.query).saved === 'set' ? 'set' : undefined
      return cohortTasksPage(request, reply, parsed.data.id, { saved })
    }),
  )

  app.post(
    '/cohorts/:id/tasks',
    guarded(async (request, reply) => {
      const parsed = slugParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await setTask(deps.context(request), parsed.data.id, {
          title: body.title,
          description: body.description,
          dueOn: dateFieldValue(body, 'dueOn'),
          forYear: body.forYear ?? '',
        })
        return reply.redirect(`/cohorts/${parsed.data.id}/tasks?saved=set`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return cohortTasksPage(request, reply.code(422), parsed.data.id, {
          ...errorsOf(error.errors, ['title', 'description', 'dueOn', 'forYear'], ['dueOn']),
          values: body,
        })
      }
    }),
  )
}
