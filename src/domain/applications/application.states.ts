// The application's state machine as data: its states, the events that move it {from, to}, and
// named groups of states. Use-cases ask `nextState` and record each move in the history.
import type { ApplicationState } from '../../db/schema.ts'

export type { ApplicationState }

export const APPLICATION_STATES = [
  'draft',
  'awaiting-endorsement',
  'endorsement-declined',
  'endorsed',
  'submitted',
  'withdrawn',
] as const satisfies readonly ApplicationState[]

/** Still being written by the teacher: answers can change while the window is open. */
export const IN_PROGRESS: readonly ApplicationState[] = [
  'draft',
  'awaiting-endorsement',
  'endorsement-declined',
  'endorsed',
]
/** Counts as the teacher's one application to the cohort. */
export const LIVE: readonly ApplicationState[] = [...IN_PROGRESS, 'submitted']
/** A headteacher's link can be answered. */
export const AWAITING_HEADTEACHER: readonly ApplicationState[] = ['awaiting-endorsement']
/** Over: nothing more happens to it. */
export const ENDED: readonly ApplicationState[] = ['withdrawn']

export const APPLICATION_EVENTS = {
  /** A different school voids any endorsement: the new school's headteacher must endorse. */
  'change-school': { from: ['awaiting-endorsement', 'endorsement-declined', 'endorsed'], to: 'draft' },
  /** Ask the headteacher (again, or a different one). */
  'request-endorsement': {
    from: ['draft', 'awaiting-endorsement', 'endorsement-declined'],
    to: 'awaiting-endorsement',
  },
  /**
   * The teacher changes their teaching details or evidence after the headteacher endorsed them:
   * the endorsement covered the answers as they were, so the headteacher is asked again (ADR 0020).
   */
  'change-answers': { from: ['endorsed'], to: 'draft' },
  endorse: { from: ['awaiting-endorsement'], to: 'endorsed' },
  'decline-endorsement': { from: ['awaiting-endorsement'], to: 'endorsement-declined' },
  submit: { from: ['endorsed'], to: 'submitted' },
  withdraw: { from: LIVE, to: 'withdrawn' },
} as const satisfies Record<string, { from: readonly ApplicationState[]; to: ApplicationState }>

export type ApplicationEvent = keyof typeof APPLICATION_EVENTS

export const APPLICATION_EVENT_NAMES = Object.keys(APPLICATION_EVENTS) as ApplicationEvent[]

export const STATE_NAMES: Record<ApplicationState, string> = {
  draft: 'Not yet sent to your headteacher',
  'awaiting-endorsement': 'Waiting for your headteacher',
  'endorsement-declined': 'Your headteacher declined',
  endorsed: 'Endorsed: ready to submit',
  submitted: 'Submitted',
  withdrawn: 'Withdrawn',
}

/** Plain words for each refused move, said to the person who tried it. */
const REFUSALS: Record<ApplicationEvent, string> = {
  'change-school': 'The school cannot be changed now',
  'change-answers': 'The answers cannot be changed now',
  'request-endorsement':
    'Your headteacher can be asked only before they have endorsed the application and before it is submitted',
  endorse: 'This application is not waiting for a headteacher’s endorsement',
  'decline-endorsement': 'This application is not waiting for a headteacher’s endorsement',
  submit: 'Your headteacher must endorse the application before you can submit it',
  withdraw: 'This application has already been withdrawn',
}

export function canMove(from: ApplicationState, event: ApplicationEvent): boolean {
  return (APPLICATION_EVENTS[event].from as readonly ApplicationState[]).includes(from)
}

export class RefusedTransition extends Error {
  constructor(
    readonly from: ApplicationState,
    readonly event: ApplicationEvent,
  ) {
    super(REFUSALS[event])
    this.name = 'RefusedTransition'
  }
}

/** The state the event moves the application to; throws RefusedTransition where it may not. */
export function nextState(from: ApplicationState, event: ApplicationEvent): ApplicationState {
  if (!canMove(from, event)) throw new RefusedTransition(from, event)
  return APPLICATION_EVENTS[event].to
}
