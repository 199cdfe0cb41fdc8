// A state machine as data: the states, the events that move a record {from, to}, and the plain
// words for each refused move. One definition gives the checks every use-case and page needs.

export interface StateMachine<S extends string, E extends string> {
  states: readonly S[]
  events: readonly E[]
  canMove(from: S, event: E): boolean
  /** The events that can move a record on from where it is. */
  eventsFrom(from: S): E[]
  /** The state the event moves a record to; throws RefusedMove where it may not. */
  nextState(from: S, event: E): S
}

export class RefusedMove<S extends string = string, E extends string = string> extends Error {
  constructor(
    readonly from: S,
    readonly event: E,
    message: string,
  ) {
    super(message)
    this.name = 'RefusedMove'
  }
}

export function defineStateMachine<S extends string, E extends string>(definition: {
  states: readonly S[]
  events: Record<E, { from: readonly S[]; to: S }>
  refusals: Record<E, string>
}): StateMachine<S, E> {
  const events = Object.keys(definition.events) as E[]
  const canMove = (from: S, event: E) => definition.events[event].from.includes(from)
  return {
    states: definition.states,
    events,
    canMove,
    eventsFrom: (from) => events.filter((event) => canMove(from, event)),
    nextState(from, event) {
      if (!canMove(from, event)) throw new RefusedMove(from, event, definition.refusals[event])
      return definition.events[event].to
    },
  }
}
