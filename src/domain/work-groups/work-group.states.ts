// A Work Group's state machine as data (ADR 0025): the states, the events that move a group
// {from, to}, and their names. A hub plans a group, opens it to schools, runs its sessions and
// completes it; it may cancel a group that has not finished.
import type { WorkGroupState } from '../../db/schema.ts'

export type { WorkGroupState }

export const WORK_GROUP_STATES = [
  'planning',
  'recruiting',
  'running',
  'completed',
  'cancelled',
] as const satisfies readonly WorkGroupState[]

export const WORK_GROUP_EVENTS = {
  'open-recruitment': { from: ['planning'], to: 'recruiting' },
  start: { from: ['recruiting'], to: 'running' },
  complete: { from: ['running'], to: 'completed' },
  cancel: { from: ['planning', 'recruiting', 'running'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly WorkGroupState[]; to: WorkGroupState }>

export type WorkGroupEvent = keyof typeof WORK_GROUP_EVENTS

export const WORK_GROUP_EVENT_NAMES = Object.keys(WORK_GROUP_EVENTS) as WorkGroupEvent[]

/** Over: nothing more happens to the group. */
export const FINISHED: readonly WorkGroupState[] = ['completed', 'cancelled']
/** Schools may be accepted into the group. */
export const TAKING_SCHOOLS: readonly WorkGroupState[] = ['planning', 'recruiting', 'running']

export const STATE_NAMES: Record<WorkGroupState, string> = {
  planning: 'Planning',
  recruiting: 'Recruiting schools',
  running: 'Running',
  completed: 'Completed',
  cancelled: 'Cancelled',
}

export const STATE_TAGS: Record<WorkGroupState, string> = {
  planning: 'govuk-tag--grey',
  recruiting: 'govuk-tag--blue',
  running: 'govuk-tag--green',
  completed: 'govuk-tag--purple',
  cancelled: 'govuk-tag--red',
}

/** What the button for each event says. */
export const EVENT_ACTIONS: Record<WorkGroupEvent, string> = {
  'open-recruitment': 'Open recruitment to schools',
  start: 'Start the group',
  complete: 'Mark the group as completed',
  cancel: 'Cancel the group',
}

/** Plain words for each refused move. */
const REFUSALS: Record<WorkGroupEvent, string> = {
  'open-recruitment': 'Only a group being planned can open recruitment',
  start: 'Only a group recruiting schools can start',
  complete: 'Only a running group can be completed',
  cancel: 'A group that has completed or been cancelled cannot be cancelled',
}

export function canMove(from: WorkGroupState, event: WorkGroupEvent): boolean {
  return (WORK_GROUP_EVENTS[event].from as readonly WorkGroupState[]).includes(from)
}

/** The events that can move a group on from where it is. */
export function eventsFrom(from: WorkGroupState): WorkGroupEvent[] {
  return WORK_GROUP_EVENT_NAMES.filter((event) => canMove(from, event))
}

export class RefusedWorkGroupMove extends Error {
  constructor(
    readonly from: WorkGroupState,
    readonly event: WorkGroupEvent,
  ) {
    super(REFUSALS[event])
    this.name = 'RefusedWorkGroupMove'
  }
}

/** The state the event moves the group to; throws RefusedWorkGroupMove where it may not. */
export function nextState(from: WorkGroupState, event: WorkGroupEvent): WorkGroupState {
  if (!canMove(from, event)) throw new RefusedWorkGroupMove(from, event)
  return WORK_GROUP_EVENTS[event].to
}
