import { describe, expect, it } from 'vitest'
import {
  canMoveOffer,
  canMoveRound,
  nextOfferState,
  nextRoundState,
  OFFER_EVENT_NAMES,
  OFFER_STATES,
  RefusedOfferMove,
  RefusedRoundMove,
  ROUND_EVENT_NAMES,
  ROUND_STATES,
  type OfferEvent,
  type OfferStateOrNone,
  type RoundEvent,
  type SelectionRoundState,
} from './decisions.states.ts'

// Written out by hand: every allowed move; every other pair of state and event is refused.
const ROUND_MOVES: Partial<Record<SelectionRoundState, Partial<Record<RoundEvent, SelectionRoundState>>>> = {
  reviewing: { confirm: 'confirmed' },
  confirmed: { reopen: 'reviewing', approve: 'approved', 'send-back': 'reviewing' },
  approved: { 'send-back': 'reviewing', release: 'released' },
  released: {},
}

const OFFER_MOVES: Partial<Record<OfferStateOrNone, Partial<Record<OfferEvent, string>>>> = {
  none: { offer: 'offered' },
  offered: { accept: 'accepted', decline: 'declined', lapse: 'lapsed' },
  accepted: {},
  declined: {},
  lapsed: {},
}

describe('the selection round state machine', () => {
  for (const from of ROUND_STATES) {
    for (const event of ROUND_EVENT_NAMES) {
      const to = ROUND_MOVES[from]?.[event]
      it(`${to ? 'allows' : 'refuses'} ${event} from ${from}`, () => {
        expect(canMoveRound(from, event)).toBe(to !== undefined)
        if (to) expect(nextRoundState(from, event)).toBe(to)
        else expect(() => nextRoundState(from, event)).toThrow(RefusedRoundMove)
      })
    }
  }
})

describe('the offer state machine', () => {
  for (const from of OFFER_STATES) {
    for (const event of OFFER_EVENT_NAMES) {
      const to = OFFER_MOVES[from]?.[event]
      it(`${to ? 'allows' : 'refuses'} ${event} from ${from}`, () => {
        expect(canMoveOffer(from, event)).toBe(to !== undefined)
        if (to) expect(nextOfferState(from, event)).toBe(to)
        else expect(() => nextOfferState(from, event)).toThrow(RefusedOfferMove)
      })
    }
  }
})
