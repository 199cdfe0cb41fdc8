// Every event from every state: the allowed moves land where the table says, every other move is
// refused with a plain message, and a rejected or paid claim never moves again.
import { describe, expect, it } from 'vitest'
import { RefusedMove } from '../../../lib/state-machine.ts'
import { CLAIM_STATES, CLAIMS, type ClaimEvent, type ClaimState } from './claim.states.ts'

/** The moves written out by hand: the table the code must match. */
const ALLOWED: Record<ClaimEvent, Partial<Record<ClaimState, ClaimState>>> = {
  'hub-approve': { submitted: 'approved' },
  'hub-approve-above-threshold': { submitted: 'awaiting-national' },
  'national-approve': { 'awaiting-national': 'approved' },
  reject: { submitted: 'rejected', 'awaiting-national': 'rejected' },
  pay: { approved: 'paid' },
}

describe('the claim state machine', () => {
  const cases = CLAIMS.events.flatMap((event) =>
    CLAIM_STATES.map((from) => ({ event, from, to: ALLOWED[event][from] })),
  )

  it('covers every event and state (5 events × 5 states)', () => {
    expect(cases).toHaveLength(25)
    expect(Object.keys(ALLOWED).sort()).toEqual([...CLAIMS.events].sort())
    expect(cases.filter((c) => c.to !== undefined)).toHaveLength(6)
  })

  it.each(cases)('$event from $from', ({ event, from, to }) => {
    expect(CLAIMS.canMove(from, event)).toBe(to !== undefined)
    if (to !== undefined) expect(CLAIMS.nextState(from, event)).toBe(to)
    else {
      expect(() => CLAIMS.nextState(from, event)).toThrow(RefusedMove)
      expect(() => CLAIMS.nextState(from, event)).toThrow(/^[A-Z][^.]*[a-z]$/)
    }
  })

  it('lets nothing move a rejected or paid claim', () => {
    expect(CLAIMS.eventsFrom('rejected')).toEqual([])
    expect(CLAIMS.eventsFrom('paid')).toEqual([])
    expect(CLAIMS.eventsFrom('submitted').sort()).toEqual([
      'hub-approve',
      'hub-approve-above-threshold',
      'reject',
    ])
  })
})
