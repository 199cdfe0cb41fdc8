// Every event from every state: the allowed moves land where the table says, every other move is
// refused with a plain message. The groups of states are checked against each other.
import { describe, expect, it } from 'vitest'
import {
  APPLICATION_EVENT_NAMES,
  APPLICATION_EVENTS,
  APPLICATION_STATES,
  AWAITING_HEADTEACHER,
  canMove,
  ENDED,
  IN_PROGRESS,
  LIVE,
  nextState,
  RefusedTransition,
  STATE_NAMES,
  type ApplicationEvent,
  type ApplicationState,
} from './application.states.ts'

/** The moves the programme allows, written out by hand: the table the code must match. */
const ALLOWED: Record<ApplicationEvent, Partial<Record<ApplicationState, ApplicationState>>> = {
  'change-school': {
    'awaiting-endorsement': 'draft',
    'endorsement-declined': 'draft',
    endorsed: 'draft',
  },
  'change-answers': { endorsed: 'draft' },
  'request-endorsement': {
    draft: 'awaiting-endorsement',
    'awaiting-endorsement': 'awaiting-endorsement',
    'endorsement-declined': 'awaiting-endorsement',
  },
  endorse: { 'awaiting-endorsement': 'endorsed' },
  'decline-endorsement': { 'awaiting-endorsement': 'endorsement-declined' },
  submit: { endorsed: 'submitted' },
  withdraw: {
    draft: 'withdrawn',
    'awaiting-endorsement': 'withdrawn',
    'endorsement-declined': 'withdrawn',
    endorsed: 'withdrawn',
    submitted: 'withdrawn',
  },
}

describe('the application state machine', () => {
  const cases = APPLICATION_EVENT_NAMES.flatMap((event) =>
    APPLICATION_STATES.map((from) => ({ event, from, to: ALLOWED[event][from] })),
  )

  it('covers every event and state (7 events × 6 states)', () => {
    expect(cases).toHaveLength(42)
    expect(Object.keys(ALLOWED).sort()).toEqual([...APPLICATION_EVENT_NAMES].sort())
  })

  it.each(cases.filter((c) => c.to !== undefined))(
    'allows $event from $from, to $to',
    ({ event, from, to }) => {
      expect(canMove(from, event)).toBe(true)
      expect(nextState(from, event)).toBe(to)
    },
  )

  it.each(cases.filter((c) => c.to === undefined))('refuses $event from $from', ({ event, from }) => {
    expect(canMove(from, event)).toBe(false)
    let refused: unknown
    try {
      nextState(from, event)
    } catch (error) {
      refused = error
    }
    expect(refused).toBeInstanceOf(RefusedTransition)
    expect((refused as RefusedTransition).message).toMatch(/^[A-Z].{10,}/)
    expect((refused as RefusedTransition).from).toBe(from)
  })

  it('ends only in withdrawn, from which nothing moves', () => {
    expect(ENDED).toEqual(['withdrawn'])
    for (const event of APPLICATION_EVENT_NAMES) expect(canMove('withdrawn', event)).toBe(false)
  })

  it('has groups that fit together', () => {
    expect(LIVE).toEqual([...IN_PROGRESS, 'submitted'])
    for (const state of APPLICATION_STATES) {
      expect(LIVE.includes(state) !== ENDED.includes(state), state).toBe(true)
    }
    expect(AWAITING_HEADTEACHER.every((s) => IN_PROGRESS.includes(s))).toBe(true)
    // Only an application waiting for its headteacher can be endorsed or declined.
    expect(APPLICATION_EVENTS.endorse.from).toEqual(AWAITING_HEADTEACHER)
    expect(APPLICATION_EVENTS['decline-endorsement'].from).toEqual(AWAITING_HEADTEACHER)
  })

  it('names every state in plain words', () => {
    for (const state of APPLICATION_STATES) expect(STATE_NAMES[state]).toMatch(/^[A-Z]/)
  })
})
