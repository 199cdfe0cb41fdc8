// A task's standing for one specialist, as pure rules over data already read (docs/adr/0023):
// - which tasks a participation is set: its cohort's tasks not withdrawn, for every development
//   year or for a year the participation has reached;
// - its progress, from the latest submission only: not started, submitted, returned, accepted;
// - overdue: past 5pm UK time on the due date, not submitted or accepted, while the specialist is
//   still in their development years (a withdrawn, deferred or active specialist is not chased).
import type { ParticipationStage, SubmissionStatus } from '../../../db/schema.ts'

export type TaskProgress = 'not-started' | 'submitted' | 'returned' | 'accepted'

export const TASK_PROGRESS_NAMES: Record<TaskProgress, string> = {
  'not-started': 'Not started',
  submitted: 'Submitted',
  returned: 'Returned',
  accepted: 'Accepted',
}

export const DEVELOPING_STAGES: readonly ParticipationStage[] = ['year-one', 'year-two']

export interface StageSpan {
  stage: ParticipationStage
  startsOn: string
  endsOn: string | null
}

const YEAR_STAGE: Record<1 | 2, ParticipationStage> = { 1: 'year-one', 2: 'year-two' }

/** The task is set for this participation by `today` (YYYY-MM-DD). */
export function taskApplies(task: { forYear: 1 | 2 | null }, stages: StageSpan[], today: string): boolean {
  const wanted = task.forYear === null ? DEVELOPING_STAGES : [YEAR_STAGE[task.forYear]]
  return stages.some((s) => wanted.includes(s.stage) && s.startsOn <= today)
}

/** In a development year on `today`. */
export function developingOn(stages: StageSpan[], today: string): boolean {
  return stages.some(
    (s) =>
      DEVELOPING_STAGES.includes(s.stage) && s.startsOn <= today && (s.endsOn === null || today < s.endsOn),
  )
}

export function progressOf(latest: { status: SubmissionStatus } | undefined): TaskProgress {
  return latest ? latest.status : 'not-started'
}

export function isOverdue(
  task: { dueAt: Date },
  progress: TaskProgress,
  developing: boolean,
  now: Date,
): boolean {
  return developing && now > task.dueAt && (progress === 'not-started' || progress === 'returned')
}
