// Every event from every state: the allowed moves land where the table says, every other move is
// refused with a plain message, and a finished group can never move again.
import { describe, expect, it } from 'vitest'
import {
  canMove,
  eventsFrom,
  FINISHED,
  nextState,
  RefusedWorkGroupMove,
  STATE_NAMES,
  WORK_GROUP_EVENT_NAMES,
  WORK_GROUP_STATES,
  type WorkGroupEvent,
  type WorkGroupState,
} from './work-group.states.ts'

/** The moves a hub may make, written out by hand: the table the code must match. */
const ALLOWED: Record<WorkGroupEvent, Partial<Record<WorkGroupState, WorkGroupState>>> = {
  'open-recruitment': { planning: 'recruiting' },
  start: { recruiting: 'running' },
  complete: { running: 'completed' },
  cancel: { planning: 'cancelled', recruiting: 'cancelled', running: 'cancelled' },
}

describe('the Work Group state machine', () => {
  const cases = WORK_GROUP_EVENT_NAMES.flatMap((event) =>
    WORK_GROUP_STATES.map((from) => ({ event, from, to: ALLOWED[event][from] })),
  )

  it('covers every event and state (4 events × 5 states)', () => {
    expect(cases).toHaveLength(20)
    expect(Object.keys(ALLOWED).sort()).toEqual([...WORK_GROUP_EVENT_NAMES].sort())
    expect(cases.filter((c) => c.to !== undefined)).toHaveLength(6)
  })

  it.each(cases)('$event from $from', ({ event, from, to }) => {
    expect(canMove(from, event)).toBe(to !== undefined)
    if (to !== undefined) {
      expect(nextState(from, event)).toBe(to)
    } else {
      expect(() => nextState(from, event)).toThrow(RefusedWorkGroupMove)
      try {
        nextState(from, event)
      } catch (error) {
        expect((error as Error).message).toMatch(/^[A-Z][^.]*[a-z]$/)
      }
    }
  })

  it('lets nothing move a finished group, and offers each state only the moves it allows', () => {
    for (const state of FINISHED) expect(eventsFrom(state)).toEqual([])
    for (const state of WORK_GROUP_STATES) {
      expect(eventsFrom(state).sort()).toEqual(
        WORK_GROUP_EVENT_NAMES.filter((event) => ALLOWED[event][state] !== undefined).sort(),
      )
    }
  })

  it('names every state', () => {
    for (const state of WORK_GROUP_STATES) expect(STATE_NAMES[state]).toMatch(/^[A-Z]/)
  })
})
