// A participation's state machine as data: its stages, the events that move it {from, to}, and
// named groups of stages. Whether a programme has a year 2 changes which moves are allowed, so
// each event lists its starting stages for each shape of programme (ADR 0018).
import type { ParticipationStage } from '../../db/schema.ts'

export type { ParticipationStage }

export const PARTICIPATION_STAGES = [
  'year-one',
  'year-two',
  'active',
  'deferred',
  'withdrawn',
] as const satisfies readonly ParticipationStage[]

/** A programme with a second development year, or one whose specialists lead Work Groups after year 1. */
export type ProgrammeShape = 'with-year-two' | 'one-year'
export const PROGRAMME_SHAPES: readonly ProgrammeShape[] = ['with-year-two', 'one-year']

/** Still developing: the development years. */
export const DEVELOPING: readonly ParticipationStage[] = ['year-one', 'year-two']
/** Taking part: developing or leading Work Groups. */
export const TAKING_PART: readonly ParticipationStage[] = [...DEVELOPING, 'active']
/** Stages that carry a reason, which must be given. */
export const WITH_REASON: readonly ParticipationStage[] = ['deferred', 'withdrawn']
/** Over: nothing more happens. */
export const ENDED: readonly ParticipationStage[] = ['withdrawn']

type From = Record<ProgrammeShape, readonly ParticipationStage[]>

export const PARTICIPATION_EVENTS = {
  'begin-year-two': { from: { 'with-year-two': ['year-one'], 'one-year': [] }, to: 'year-two' },
  /** Leading Work Groups: after year 2 where the programme has one, otherwise after year 1. */
  'become-active': { from: { 'with-year-two': ['year-two'], 'one-year': ['year-one'] }, to: 'active' },
  /** To a later cohort of the same programme, during the first development year. */
  defer: { from: { 'with-year-two': ['year-one'], 'one-year': ['year-one'] }, to: 'deferred' },
  /** The later cohort's development year begins. */
  resume: { from: { 'with-year-two': ['deferred'], 'one-year': ['deferred'] }, to: 'year-one' },
  withdraw: {
    from: { 'with-year-two': [...TAKING_PART, 'deferred'], 'one-year': [...TAKING_PART, 'deferred'] },
    to: 'withdrawn',
  },
} as const satisfies Record<string, { from: From; to: ParticipationStage }>

export type ParticipationEvent = keyof typeof PARTICIPATION_EVENTS

export const PARTICIPATION_EVENT_NAMES = Object.keys(PARTICIPATION_EVENTS) as ParticipationEvent[]

export const STAGE_NAMES: Record<ParticipationStage, string> = {
  'year-one': 'Development year 1',
  'year-two': 'Development year 2',
  active: 'Active specialist, leading Work Groups',
  deferred: 'Deferred to a later cohort',
  withdrawn: 'Withdrawn',
}

/** Plain words for each refused move. */
const REFUSALS: Record<ParticipationEvent, string> = {
  'begin-year-two': 'Year 2 can begin only at the end of year 1, on a programme with a second year',
  'become-active': 'A specialist becomes active only at the end of their development years',
  defer: 'Only a specialist in development year 1 can defer to a later cohort',
  resume: 'Only a deferred specialist can begin the later cohort',
  withdraw: 'This specialist has already withdrawn',
}

export function canMove(from: ParticipationStage, event: ParticipationEvent, shape: ProgrammeShape): boolean {
  return (PARTICIPATION_EVENTS[event].from[shape] as readonly ParticipationStage[]).includes(from)
}

export class RefusedStageChange extends Error {
  constructor(
    readonly from: ParticipationStage,
    readonly event: ParticipationEvent,
  ) {
    super(REFUSALS[event])
    this.name = 'RefusedStageChange'
  }
}

/** The stage the event moves the participation to; throws RefusedStageChange where it may not. */
export function nextStage(
  from: ParticipationStage,
  event: ParticipationEvent,
  shape: ProgrammeShape,
): ParticipationStage {
  if (!canMove(from, event, shape)) throw new RefusedStageChange(from, event)
  return PARTICIPATION_EVENTS[event].to
}
