// Rules every application use-case shares: the window must be open, what a complete application
// has, where each part of the task list stands, and one way to move the state machine (the change,
// its history row and its audit row, in the caller's transaction).
import { ValidationError, type FieldError } from '../../errors.ts'
import { formatUkDateTime, toUkWallClock } from '../../lib/uk-time.ts'
import { actingPersonId } from '../access/actor.ts'
import type { Cohort } from '../programmes/programmes.repository.ts'
import { cohortStatus } from '../programmes/view-programmes.ts'
import type { Unit, UseCaseContext } from '../use-case.ts'
import { countWords } from './application-input.ts'
import {
  nextState,
  RefusedTransition,
  type ApplicationEvent,
  type ApplicationState,
} from './application.states.ts'
import {
  insertHistory,
  updateApplication,
  type Application,
  type ApplicationChanges,
} from './applications.repository.ts'

export function cohortName(cohort: { number: number }): string {
  return `Cohort ${cohort.number}`
}

/** The UK calendar date of an instant, YYYY-MM-DD. */
export function ukDateOf(instant: Date): string {
  const w = toUkWallClock(instant)
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
}

/** Refuses unless the cohort's window is open at `now` (from its opening instant up to, not including, its closing one). */
export function assertWindowOpen(cohort: Cohort, now: Date, keptDraft: boolean): void {
  const status = cohortStatus(cohort, now)
  if (status === 'open') return
  if (status === 'upcoming') {
    throw new ValidationError([
      {
        code: 'window-not-open',
        field: 'cohort',
        message: `Applications to ${cohort.programmeName} ${cohortName(cohort)} open at ${formatUkDateTime(cohort.opensAt)}`,
      },
    ])
  }
  throw new ValidationError([
    {
      code: 'deadline-passed',
      field: 'cohort',
      message:
        `Applications to ${cohort.programmeName} ${cohortName(cohort)} closed at ${formatUkDateTime(cohort.closesAt)}. ` +
        (keptDraft
          ? 'Your application has been kept as it was, but it can no longer be changed or submitted.'
          : 'You can no longer apply to this cohort.'),
    },
  ])
}

/** Criteria answered in writing: those with a word limit (the rest are shown by other answers). */
export function writtenCriteria(cohort: Cohort) {
  return [
    ...cohort.essentialCriteria.filter((c) => c.wordLimit !== null).map((c) => ({ ...c, essential: true })),
    ...cohort.desirableCriteria.filter((c) => c.wordLimit !== null).map((c) => ({ ...c, essential: false })),
  ]
}

export function teachingComplete(application: Pick<Application, 'teaching'>): boolean {
  const t = application.teaching
  return (
    t.hasQts !== undefined &&
    (t.hasQts === false || Boolean(t.trn)) &&
    t.yearsTeachingMaths !== undefined &&
    Boolean(t.currentRole) &&
    Boolean(t.classesTaught)
  )
}

/** What is still missing before the application can be submitted, each naming its part. */
export function missingForSubmission(application: Application, cohort: Cohort): FieldError[] {
  const missing: FieldError[] = []
  if (application.schoolUrn === null) {
    missing.push({ code: 'incomplete', field: 'school', message: 'Choose the school you teach at' })
  }
  if (!teachingComplete(application)) {
    missing.push({ code: 'incomplete', field: 'teaching', message: 'Complete your teaching details' })
  }
  for (const criterion of writtenCriteria(cohort)) {
    const answer = application.evidence[criterion.id] ?? ''
    if (criterion.essential && answer.trim() === '') {
      missing.push({
        code: 'incomplete',
        field: `evidence.${criterion.id}`,
        message: `Give your evidence for “${criterion.text}”`,
      })
    } else if (criterion.wordLimit !== null && countWords(answer) > criterion.wordLimit) {
      missing.push({
        code: 'too-long',
        field: `evidence.${criterion.id}`,
        message: `Your evidence for “${criterion.text}” must be ${criterion.wordLimit} words or fewer`,
      })
    }
  }
  if (application.state !== 'endorsed' && application.state !== 'submitted') {
    missing.push({
      code: 'not-endorsed',
      field: 'headteacher',
      message:
        application.state === 'awaiting-endorsement'
          ? 'Your headteacher must endorse the application before you can submit it'
          : application.state === 'endorsement-declined'
            ? 'Your headteacher declined to endorse the application: ask them again or name a different headteacher'
            : 'Ask your headteacher to endorse the application',
    })
  }
  return missing
}

export type TaskStatus = 'not-started' | 'in-progress' | 'completed' | 'cannot-start' | 'waiting' | 'declined'

export interface TaskList {
  school: TaskStatus
  teaching: TaskStatus
  evidence: TaskStatus
  headteacher: TaskStatus
  submit: TaskStatus
}

/** Where each part of the GOV.UK task list stands. */
export function taskList(application: Application, cohort: Cohort): TaskList {
  const t = application.teaching
  const teachingStarted = Object.values(t).some((v) => v !== undefined && v !== null && v !== '')
  const written = writtenCriteria(cohort)
  const answered = written.filter((c) => (application.evidence[c.id] ?? '').trim() !== '')
  const essentialDone = written.filter((c) => c.essential).every((c) => answered.includes(c))
  const headteacher: TaskStatus =
    application.schoolUrn === null
      ? 'cannot-start'
      : application.state === 'awaiting-endorsement'
        ? 'waiting'
        : application.state === 'endorsement-declined'
          ? 'declined'
          : application.state === 'endorsed' || application.state === 'submitted'
            ? 'completed'
            : 'not-started'
  const ready = missingForSubmission(application, cohort).length === 0
  return {
    school: application.schoolUrn === null ? 'not-started' : 'completed',
    teaching: teachingComplete(application) ? 'completed' : teachingStarted ? 'in-progress' : 'not-started',
    evidence: essentialDone ? 'completed' : answered.length > 0 ? 'in-progress' : 'not-started',
    headteacher,
    submit: application.state === 'submitted' ? 'completed' : ready ? 'not-started' : 'cannot-start',
  }
}

export type HistoryActor = 'applicant' | 'headteacher' | 'person' | 'system'

/**
 * Moves the application by the event, with any other changes, and writes its history row and
 * audit row. A move the state machine does not allow throws before anything is written.
 */
export async function moveApplication(
  context: UseCaseContext,
  unit: Unit,
  application: Application,
  event: ApplicationEvent,
  options: { changes?: ApplicationChanges; actor: HistoryActor; note?: string | null } = { actor: 'person' },
): Promise<ApplicationState> {
  let to: ApplicationState
  try {
    to = nextState(application.state, event)
  } catch (error) {
    if (!(error instanceof RefusedTransition)) throw error
    throw new ValidationError([{ code: 'refused-transition', field: 'state', message: error.message }])
  }
  await updateApplication(unit.tx, application.id, { ...options.changes, state: to }, unit.now)
  await insertHistory(unit.tx, {
    applicationId: application.id,
    event,
    fromState: application.state,
    toState: to,
    actorPersonId: actingPersonId(context.actor),
    actorKind: options.actor,
    note: options.note ?? null,
    occurredAt: unit.now,
  })
  await unit.audit({
    action: `application.${event}`,
    recordType: 'application',
    recordId: application.id,
    before: { state: application.state },
    after: { state: to },
  })
  return to
}

export function applicationLink(context: UseCaseContext, id: number): string {
  return new URL(`/applications/${id}`, context.baseUrl).href
}
