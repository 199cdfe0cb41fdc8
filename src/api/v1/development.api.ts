// API v1: a participation's release time and tasks, with a bearer API token, by the same use-cases
// and access as the pages. Release time: days used against days funded for each year, every
// ledger entry and Work Group support visit, logging a half day or a whole day, a correction that
// reverses an entry, and extra days approved by the hub. Tasks: a participation's tasks with their
// hand-ins, handing in evidence (text, an https link, or a file sent as base64 and checked like an
// upload), accepting or returning it, and NCETM setting a cohort's task. Anything the token's
// person may not see is "not found".
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { approveExtraDays } from '../../domain/participants/release-time/approve-extra-days.ts'
import { logReleaseTime } from '../../domain/participants/release-time/log-release-time.ts'
import { reverseReleaseEntry } from '../../domain/participants/release-time/reverse-release-entry.ts'
import { viewReleaseTime } from '../../domain/participants/release-time/view-release-time.ts'
import { setTask } from '../../domain/participants/tasks/manage-tasks.ts'
import { reviewSubmission } from '../../domain/participants/tasks/review-submission.ts'
import { submitTask } from '../../domain/participants/tasks/submit-task.ts'
import type { Submission } from '../../domain/participants/tasks/tasks.repository.ts'
import { viewTasks } from '../../domain/participants/tasks/view-tasks.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { recordIdText } from '../../lib/whole-number.ts'
import { bearer, requireApiToken } from './authenticate.ts'
import { errorBody } from './presenters.ts'

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/
const idParam = z.object({ id: recordIdText('Participation id').describe('The participation’s id') })
const entryParams = z.object({
  id: recordIdText('Participation id').describe('The participation’s id'),
  entryId: recordIdText('Entry id').describe('The ledger entry’s id'),
})
const taskParams = z.object({
  id: recordIdText('Participation id').describe('The participation’s id'),
  taskId: recordIdText('Task id').describe('The task’s id'),
})
const submissionParam = z.object({ id: recordIdText('Submission id').describe('The hand-in’s id') })
const cohortParam = z.object({
  id: z
    .string()
    .regex(SLUG, 'Cohort id must be lower-case words joined by hyphens, like primary-mastery-specialist-9')
    .max(120, 'Cohort id must be 120 characters or fewer'),
})
const errors = { 401: errorBody, 404: errorBody, 422: errorBody }
const text = (what: string) => z.string({ error: `Enter ${what} as text` })

const yearJson = z.object({
  year: z.number().int(),
  label: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  fundedHalfDays: z.number().int(),
  approvedExtraHalfDays: z.number().int(),
  loggedHalfDays: z.number().int().describe('Logged in the ledger and not reversed'),
  supportHalfDays: z.number().int().describe('Work Group support visits dated in the year'),
  usedHalfDays: z.number().int().describe('Logged and Work Group support together'),
  remainingHalfDays: z.number().int(),
  overByHalfDays: z.number().int(),
})
const releaseTimeJson = z.object({
  participationId: z.number().int(),
  funding: z.object({ releaseDaysPerYear: z.number(), dayRatePence: z.number().int() }),
  years: z.array(yearJson).describe('Each year begun; figures in half days (1 = half a day)'),
  currentYear: z.number().int().nullable().describe('The year today falls in, or null'),
  entries: z
    .array(
      z.object({
        id: z.number().int(),
        kind: z.enum(['use', 'reversal']),
        on: z.string().describe('A UK date, YYYY-MM-DD'),
        half: z.enum(['morning', 'afternoon']),
        activity: z.string(),
        note: z.string().nullable(),
        loggedAs: z.enum(['specialist', 'hub', 'ncetm']),
        loggedAt: z.string(),
        reversedBy: z.number().int().nullable().describe('For a use: the reversal that took it back'),
        reverses: z.number().int().nullable().describe('For a reversal: the use it takes back'),
        reason: z.string().nullable(),
      }),
    )
    .describe('The append-only ledger, latest date first: a correction is a reversal, never an edit'),
  supportVisits: z
    .array(
      z.object({
        id: z.number().int(),
        on: z.string().describe('A UK date, YYYY-MM-DD'),
        workGroupId: z.number().int(),
        workGroupName: z.string(),
        schoolUrn: z.number().int(),
        schoolName: z.string(),
        halfDays: z.number().int(),
        year: z.number().int().nullable().describe('The year it counts in; null for none'),
      }),
    )
    .describe('In-school support visits for Work Groups, latest first: they count as days used'),
})

const submissionJson = z.object({
  id: z.number().int(),
  taskId: z.number().int(),
  status: z.enum(['submitted', 'accepted', 'returned']),
  evidenceKind: z.enum(['text', 'link', 'file']),
  submittedAt: z.string(),
  feedback: z.string().nullable(),
})
const tasksJson = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      description: z.string(),
      dueOn: z.string(),
      dueAt: z.string().describe('5pm UK time on dueOn, an ISO 8601 instant'),
      progress: z.string(),
      overdue: z.boolean(),
      submissions: z.array(submissionJson).describe('Every hand-in, newest first; the first counts'),
    }),
  ),
})

function presentSubmission(s: Submission): z.infer<typeof submissionJson> {
  return {
    id: s.id,
    taskId: s.taskId,
    status: s.status,
    evidenceKind: s.evidence.kind,
    submittedAt: s.submittedAt.toISOString(),
    feedback: s.feedback,
  }
}

const logBody = z.object({
  on: text('the date').describe('A UK date, YYYY-MM-DD'),
  half: text('the half day').describe('morning, afternoon, or day for both'),
  activity: text('the activity').describe(
    'residential, hub-work, department, other-schools, work-group, pd-lead or teaching-for-mastery',
  ),
  note: text('the note').optional(),
})
const reverseBody = z.object({ reason: text('the reason').describe('Why the entry is corrected') })
const extraBody = z.object({
  year: z
    .number({ error: 'Enter the year as a number' })
    .optional()
    .describe('The year of the programme; today’s if left out'),
  days: text('the extra days').describe('Whole or half days, like "2" or "1.5"'),
  reason: text('the reason'),
})
const evidenceBody = z.object({
  kind: text('the kind of evidence').describe('text, link or file'),
  text: text('the evidence').optional(),
  url: text('the link').optional().describe('An https link'),
  file: z
    .object({
      filename: text('the file’s name'),
      contentType: text('the file’s type'),
      base64: text('the file').describe('The file’s bytes in base64 (the request is at most 1 MB)'),
    })
    .optional(),
})
const reviewBody = z.object({
  decision: text('the decision').describe('accept, or return (with feedback)'),
  feedback: text('the feedback').optional(),
})
const taskBody = z.object({
  title: text('the title'),
  description: text('the description'),
  dueOn: text('the due date').describe('A UK date, YYYY-MM-DD: due at 5pm UK time'),
  forYear: z
    .union([z.literal(1), z.literal(2), z.null()])
    .optional()
    .describe('1 or 2 for one year only'),
})

export function developmentApi(
  app: FastifyInstance,
  deps: { context(request: FastifyRequest): UseCaseContext },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const release = async (context: UseCaseContext, id: number): Promise<z.infer<typeof releaseTimeJson>> => {
    const view = await viewReleaseTime(context, id)
    return {
      participationId: view.participationId,
      funding: view.funding,
      years: view.years.map((y) => ({
        year: y.year,
        label: y.label,
        startsOn: y.startsOn,
        endsOn: y.endsOn ?? null,
        fundedHalfDays: y.fundedHalfDays,
        approvedExtraHalfDays: y.approvedExtraHalfDays,
        loggedHalfDays: y.loggedHalfDays,
        supportHalfDays: y.supportHalfDays,
        usedHalfDays: y.usedHalfDays,
        remainingHalfDays: y.remainingHalfDays,
        overByHalfDays: y.overByHalfDays,
      })),
      currentYear: view.current?.year ?? null,
      entries: view.entries.map((e) => ({
        id: e.id,
        kind: e.kind,
        on: e.on,
        half: e.half,
        activity: e.activity,
        note: e.note,
        loggedAs: e.loggedAs,
        loggedAt: e.loggedAt.toISOString(),
        reversedBy: e.reversedBy?.id ?? null,
        reverses: e.reverses,
        reason: e.reason,
      })),
      // The read model's visits are the API's, field for field.
      supportVisits: view.supportVisits,
    }
  }

  api.get(
    '/api/v1/participations/:id/release-time',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['participations'],
        summary: 'A participation’s release time: days used against days funded each year, and every entry',
        security: bearer,
        params: idParam,
        response: { 200: releaseTimeJson, ...errors },
      },
    },
    async (request) => release(deps.context(request), request.params.id),
  )

  api.post(
    '/api/v1/participations/:id/release-time',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['participations'],
        summary:
          'Log a half day or a whole day of release time (the specialist, their hub’s team or NCETM): inside the participation, never the same half day twice, within the funded and approved days',
        security: bearer,
        params: idParam,
        body: logBody,
        response: { 201: releaseTimeJson, ...errors },
      },
    },
    async (request, reply) => {
      const context = deps.context(request)
      await logReleaseTime(context, request.params.id, request.body)
      return reply.code(201).send(await release(context, request.params.id))
    },
  )

  api.post(
    '/api/v1/participations/:id/release-time/:entryId/reverse',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['participations'],
        summary:
          'Correct an entry: a new entry reverses it, with the reason; the half day may be logged again',
        security: bearer,
        params: entryParams,
        body: reverseBody,
        response: { 201: releaseTimeJson, ...errors },
      },
    },
    async (request, reply) => {
      const context = deps.context(request)
      await reverseReleaseEntry(context, request.params.id, request.params.entryId, request.body)
      return reply.code(201).send(await release(context, request.params.id))
    },
  )

  api.post(
    '/api/v1/participations/:id/release-time/extra-days',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['participations'],
        summary: 'Approve extra days beyond the funded days (the hub’s team or NCETM, never for themselves)',
        security: bearer,
        params: idParam,
        body: extraBody,
        response: { 201: releaseTimeJson, ...errors },
      },
    },
    async (request, reply) => {
      const context = deps.context(request)
      await approveExtraDays(context, request.params.id, request.body)
      return reply.code(201).send(await release(context, request.params.id))
    },
  )

  api.get(
    '/api/v1/participations/:id/tasks',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['participations'],
        summary: 'A participation’s tasks, each with its progress, whether it is overdue, and every hand-in',
        security: bearer,
        params: idParam,
        response: { 200: tasksJson, ...errors },
      },
    },
    async (request) => {
      const view = await viewTasks(deps.context(request), request.params.id)
      return {
        items: view.tasks.map((t) => ({
          id: t.task.id,
          title: t.task.title,
          description: t.task.description,
          dueOn: t.task.dueOn,
          dueAt: t.task.dueAt.toISOString(),
          progress: t.progress,
          overdue: t.overdue,
          submissions: t.submissions.map(presentSubmission),
        })),
      }
    },
  )

  api.post(
    '/api/v1/participations/:id/tasks/:taskId/submissions',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['participations'],
        summary:
          'Hand in evidence for a task (the specialist): text, an https link, or a file in base64 (PDF, Word, Excel, PowerPoint, PNG or JPEG, checked by its bytes)',
        security: bearer,
        params: taskParams,
        body: evidenceBody,
        response: { 201: submissionJson, ...errors },
      },
    },
    async (request, reply) => {
      const { kind, text: written, url, file } = request.body
      const submission = await submitTask(deps.context(request), request.params.id, request.params.taskId, {
        kind,
        ...(kind === 'text' ? { text: written } : {}),
        ...(kind === 'link' ? { url } : {}),
        ...(kind === 'file' && file
          ? {
              file: {
                filename: file.filename,
                contentType: file.contentType,
                bytes: new Uint8Array(Buffer.from(file.base64, 'base64')),
              },
            }
          : {}),
      })
      return reply.code(201).send(presentSubmission(submission))
    },
  )

  api.post(
    '/api/v1/submissions/:id/review',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['participations'],
        summary: 'Accept evidence handed in, or return it with feedback (the hub’s team or NCETM)',
        security: bearer,
        params: submissionParam,
        body: reviewBody,
        response: { 200: submissionJson, ...errors },
      },
    },
    async (request) =>
      presentSubmission(await reviewSubmission(deps.context(request), request.params.id, request.body)),
  )

  api.post(
    '/api/v1/cohorts/:id/tasks',
    {
      onRequest: requireApiToken,
      schema: {
        tags: ['participations'],
        summary:
          'Set a task for a cohort’s specialists, due at 5pm UK time (NCETM’s national administrators)',
        security: bearer,
        params: cohortParam,
        body: taskBody,
        response: {
          201: z.object({ id: z.number().int(), title: z.string(), dueOn: z.string() }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const task = await setTask(deps.context(request), request.params.id, request.body)
      return reply.code(201).send({ id: task.id, title: task.title, dueOn: task.dueOn })
    },
  )
}
