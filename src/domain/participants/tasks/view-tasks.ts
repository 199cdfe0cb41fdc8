// Reading tasks. The read models the pages are built on:
// - tasksFor(db, participationId, now): "My programme" — each task the participation is set, with
//   its progress (not started, submitted, returned, accepted), whether it is overdue, and its
//   submissions (the latest first, with feedback and the reviewer's name);
// - overdueCounts(db, participationIds, now): the roster — how many tasks each is overdue on (0
//   for none), one set of queries for the whole list;
// - viewTasks and viewCohortTasks: the same behind their policy (docs/adr/0023), the cohort's view
//   listing every task (withdrawn ones too, with each version) and each specialist's standing.
// "now" is an instant because a task is due at 5pm UK time: today's date comes from it.
import type { Executor } from '../../../db/database.ts'
import { NotFoundError } from '../../../errors.ts'
import { ukDate } from '../../events/bookings/book-place.ts'
import type { UseCaseContext } from '../../use-case.ts'
import {
  developingOn,
  isOverdue,
  progressOf,
  taskApplies,
  type StageSpan,
  type TaskProgress,
} from './task-status.ts'
import { canSeeParticipationTasks, cohortTaskScope } from './tasks.policy.ts'
import {
  cohortParticipations,
  cohortTasks,
  participationRows,
  stagesOf,
  submissionsOf,
  taskHistory,
  type ParticipationRow,
  type Submission,
  type Task,
  type TaskVersion,
} from './tasks.repository.ts'

export interface ParticipationTask {
  task: Pick<Task, 'id' | 'title' | 'description' | 'dueOn' | 'dueAt' | 'forYear'>
  progress: TaskProgress
  overdue: boolean
  /** The submission that counts: the latest. */
  latest: Submission | null
  /** Every submission, newest first. */
  submissions: Submission[]
}

/** Each participation's tasks, computed from one read of tasks, stages and submissions. */
async function standings(
  db: Executor,
  participations: Pick<ParticipationRow, 'id' | 'cohortId'>[],
  now: Date,
  tasks?: Task[],
): Promise<Map<number, ParticipationTask[]>> {
  const ids = participations.map((p) => p.id)
  const today = ukDate(now)
  const [allTasks, stages, submissions] = await Promise.all([
    tasks ?? cohortTasks(db, [...new Set(participations.map((p) => p.cohortId))]),
    stagesOf(db, ids),
    submissionsOf(db, ids),
  ])
  const byKey = new Map<string, Submission[]>()
  for (const s of submissions) {
    const key = `${s.participationId}/${s.taskId}`
    byKey.set(key, [s, ...(byKey.get(key) ?? [])])
  }
  const result = new Map<number, ParticipationTask[]>()
  for (const p of participations) {
    const spans: StageSpan[] = stages.get(p.id) ?? []
    const developing = developingOn(spans, today)
    result.set(
      p.id,
      allTasks
        .filter((t) => t.cohortId === p.cohortId && t.status === 'set' && taskApplies(t, spans, today))
        .map((t) => {
          const list = byKey.get(`${p.id}/${t.id}`) ?? []
          const latest = list[0] ?? null
          const progress = progressOf(latest ?? undefined)
          return {
            task: {
              id: t.id,
              title: t.title,
              description: t.description,
              dueOn: t.dueOn,
              dueAt: t.dueAt,
              forYear: t.forYear,
            },
            progress,
            overdue: isOverdue(t, progress, developing, now),
            latest,
            submissions: list,
          }
        }),
    )
  }
  return result
}

/** The participation's tasks by due date; none if there is no such participation. */
export async function tasksFor(
  db: Executor,
  participationId: number,
  now: Date,
): Promise<ParticipationTask[]> {
  const [participation] = await participationRows(db, [participationId])
  if (!participation) return []
  return (await standings(db, [participation], now)).get(participationId) ?? []
}

/** For each participation given, how many of its tasks are overdue at `now`. */
export async function overdueCounts(
  db: Executor,
  participationIds: number[],
  now: Date,
): Promise<Map<number, number>> {
  const counts = new Map<number, number>(participationIds.map((id) => [id, 0]))
  const rows = await participationRows(db, [...new Set(participationIds)])
  for (const [id, tasks] of await standings(db, rows, now)) {
    counts.set(id, tasks.filter((t) => t.overdue).length)
  }
  return counts
}

export interface ParticipationTasksView {
  participation: { id: number; personName: string; cohortId: string; hubId: string | null }
  tasks: ParticipationTask[]
}

/** A participation's tasks, for the specialist, their hub's team and NCETM; anyone else: not found. */
export async function viewTasks(
  context: UseCaseContext,
  participationId: number,
): Promise<ParticipationTasksView> {
  const [participation] = await participationRows(context.db, [participationId])
  if (!participation || !canSeeParticipationTasks(context.actor, participation)) {
    throw new NotFoundError('Participation')
  }
  const tasks = (await standings(context.db, [participation], context.clock.now())).get(participationId) ?? []
  return {
    participation: {
      id: participation.id,
      personName: participation.personName,
      cohortId: participation.cohortId,
      hubId: participation.hubId,
    },
    tasks,
  }
}

export interface CohortTaskView {
  task: Task
  /** Every version: as set, each change, the withdrawal. */
  history: TaskVersion[]
  counts: Record<TaskProgress, number> & { overdue: number }
  /** Each specialist the task is set for (those the actor may see), by name. */
  specialists: {
    participationId: number
    personName: string
    hubId: string | null
    progress: TaskProgress
    overdue: boolean
    latestSubmissionId: number | null
  }[]
}

/**
 * The cohort's tasks for NCETM (every hub's specialists) or a hub's lead and administrators (their
 * own hub's specialists): the review queue is each task's specialists with progress "submitted".
 */
export async function viewCohortTasks(context: UseCaseContext, cohortId: string): Promise<CohortTaskView[]> {
  const scope = cohortTaskScope(context.actor)
  const cohort = await context.db
    .selectFrom('cohorts')
    .select('id')
    .where('id', '=', cohortId)
    .executeTakeFirst()
  if (!cohort || (scope !== 'all' && scope.length === 0)) throw new NotFoundError('Cohort')
  const tasks = await cohortTasks(context.db, [cohortId], { withWithdrawn: true })
  const [participations, history] = await Promise.all([
    cohortParticipations(context.db, cohortId, scope),
    taskHistory(
      context.db,
      tasks.map((t) => t.id),
    ),
  ])
  const byParticipation = await standings(context.db, participations, context.clock.now(), tasks)
  return tasks.map((task) => {
    const specialists = participations.flatMap((p) => {
      const standing = byParticipation.get(p.id)?.find((t) => t.task.id === task.id)
      return standing
        ? [
            {
              participationId: p.id,
              personName: p.personName,
              hubId: p.hubId,
              progress: standing.progress,
              overdue: standing.overdue,
              latestSubmissionId: standing.latest?.id ?? null,
            },
          ]
        : []
    })
    const counts = { 'not-started': 0, submitted: 0, returned: 0, accepted: 0, overdue: 0 }
    for (const s of specialists) {
      counts[s.progress] += 1
      if (s.overdue) counts.overdue += 1
    }
    return { task, history: history.get(task.id) ?? [], counts, specialists }
  })
}
