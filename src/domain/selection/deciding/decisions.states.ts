// A hub's selection round as a state machine, as data: the hub proposes decisions while
// reviewing, the hub lead confirms them, NCETM approves them (or sends them back), and the
// scheduled release sends them out on the cohort's date. The offer of a place that follows has
// states of its own. Use-cases ask `nextRoundState` and `nextOfferState`; a refused move throws.
import type { OfferState, SelectionRoundState } from '../../../db/schema.ts'

export type { OfferState, SelectionRoundState }

export const ROUND_STATES = [
  'reviewing',
  'confirmed',
  'approved',
  'released',
] as const satisfies readonly SelectionRoundState[]

export const ROUND_EVENTS = {
  /** The hub lead confirms the hub's proposals. */
  confirm: { from: ['reviewing'], to: 'confirmed' },
  /** The hub lead takes the confirmed proposals back to change them, before NCETM approves. */
  reopen: { from: ['confirmed'], to: 'reviewing' },
  /** NCETM approves the confirmed proposals. */
  approve: { from: ['confirmed'], to: 'approved' },
  /** NCETM sends the proposals back to the hub, before they are released. */
  'send-back': { from: ['confirmed', 'approved'], to: 'reviewing' },
  /** The scheduled job sends the approved decisions on the cohort's date. */
  release: { from: ['approved'], to: 'released' },
} as const satisfies Record<string, { from: readonly SelectionRoundState[]; to: SelectionRoundState }>

export type RoundEvent = keyof typeof ROUND_EVENTS
export const ROUND_EVENT_NAMES = Object.keys(ROUND_EVENTS) as RoundEvent[]

export const ROUND_STATE_NAMES: Record<SelectionRoundState, string> = {
  reviewing: 'Proposing decisions',
  confirmed: 'Confirmed by the hub lead',
  approved: 'Approved by the NCETM',
  released: 'Decisions released',
}

/** Proposals can be made and changed. */
export const PROPOSING: readonly SelectionRoundState[] = ['reviewing']
/** NCETM may change the number of places: not while confirmed or approved proposals rest on it. */
export const PLACES_CHANGEABLE: readonly SelectionRoundState[] = ['reviewing', 'released']

const ROUND_REFUSALS: Record<RoundEvent, string> = {
  confirm: 'The decisions can be confirmed only while the hub is proposing them',
  reopen: 'Only confirmed decisions that the NCETM has not yet approved can be reopened',
  approve: 'Only decisions the hub lead has confirmed can be approved',
  'send-back': 'Only confirmed or approved decisions that have not been released can be sent back',
  release: 'Only approved decisions can be released',
}

export class RefusedRoundMove extends Error {
  constructor(
    readonly from: SelectionRoundState,
    readonly event: RoundEvent,
  ) {
    super(ROUND_REFUSALS[event])
    this.name = 'RefusedRoundMove'
  }
}

export function canMoveRound(from: SelectionRoundState, event: RoundEvent): boolean {
  return (ROUND_EVENTS[event].from as readonly SelectionRoundState[]).includes(from)
}

export function nextRoundState(from: SelectionRoundState, event: RoundEvent): SelectionRoundState {
  if (!canMoveRound(from, event)) throw new RefusedRoundMove(from, event)
  return ROUND_EVENTS[event].to
}

// --- The offer of a place. "none" is a decision with no offer yet (not released, or not selected).

export type OfferStateOrNone = OfferState | 'none'

export const OFFER_EVENTS = {
  /** The release of a selected decision, or a place passed on to a reserve. */
  offer: { from: ['none'], to: 'offered' },
  /** The second of the teacher and the headteacher accepts (the first leaves it offered). */
  accept: { from: ['offered'], to: 'accepted' },
  /** The teacher or the headteacher declines. */
  decline: { from: ['offered'], to: 'declined' },
  /** Nobody answered in time. */
  lapse: { from: ['offered'], to: 'lapsed' },
} as const satisfies Record<string, { from: readonly OfferStateOrNone[]; to: OfferState }>

export type OfferEvent = keyof typeof OFFER_EVENTS
export const OFFER_EVENT_NAMES = Object.keys(OFFER_EVENTS) as OfferEvent[]
export const OFFER_STATES = [
  'none',
  'offered',
  'accepted',
  'declined',
  'lapsed',
] as const satisfies readonly OfferStateOrNone[]

/** The place is held: it counts against the hub's places. */
export const PLACE_HELD: readonly OfferState[] = ['offered', 'accepted']
/** The place has come free: the hub lead may offer it to the next reserve. */
export const PLACE_FREED: readonly OfferState[] = ['declined', 'lapsed']

const OFFER_REFUSALS: Record<OfferEvent, string> = {
  offer: 'This place has already been offered',
  accept: 'This offer can no longer be accepted',
  decline: 'This offer can no longer be declined',
  lapse: 'Only an open offer can lapse',
}

export class RefusedOfferMove extends Error {
  constructor(
    readonly from: OfferStateOrNone,
    readonly event: OfferEvent,
  ) {
    super(OFFER_REFUSALS[event])
    this.name = 'RefusedOfferMove'
  }
}

export function canMoveOffer(from: OfferStateOrNone, event: OfferEvent): boolean {
  return (OFFER_EVENTS[event].from as readonly OfferStateOrNone[]).includes(from)
}

export function nextOfferState(from: OfferStateOrNone, event: OfferEvent): OfferState {
  if (!canMoveOffer(from, event)) throw new RefusedOfferMove(from, event)
  return OFFER_EVENTS[event].to
}
