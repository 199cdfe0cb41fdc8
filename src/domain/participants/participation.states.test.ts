// Every event from every stage on both shapes of programme: the allowed moves land where the
// table says, every other move is refused with a plain message.
import { describe, expect, it } from 'vitest'
import {
  canMove,
  DEVELOPING,
  ENDED,
  nextStage,
  PARTICIPATION_EVENT_NAMES,
  PARTICIPATION_STAGES,
  PROGRAMME_SHAPES,
  RefusedStageChange,
  STAGE_NAMES,
  TAKING_PART,
  WITH_REASON,
  type ParticipationEvent,
  type ParticipationStage,
  type ProgrammeShape,
} from './participation.states.ts'

type Table = Record<ParticipationEvent, Partial<Record<ParticipationStage, ParticipationStage>>>

const WITHDRAW = {
  'year-one': 'withdrawn',
  'year-two': 'withdrawn',
  active: 'withdrawn',
  deferred: 'withdrawn',
} as const

/** The moves the programme allows, written out by hand: the table the code must match. */
const ALLOWED: Record<ProgrammeShape, Table> = {
  'with-year-two': {
    'begin-year-two': { 'year-one': 'year-two' },
    'become-active': { 'year-two': 'active' },
    defer: { 'year-one': 'deferred' },
    resume: { deferred: 'year-one' },
    withdraw: WITHDRAW,
  },
  'one-year': {
    'begin-year-two': {},
    'become-active': { 'year-one': 'active' },
    defer: { 'year-one': 'deferred' },
    resume: { deferred: 'year-one' },
    withdraw: WITHDRAW,
  },
}

describe('the participation state machine', () => {
  const cases = PROGRAMME_SHAPES.flatMap((shape) =>
    PARTICIPATION_EVENT_NAMES.flatMap((event) =>
      PARTICIPATION_STAGES.map((from) => ({ shape, event, from, to: ALLOWED[shape][event][from] })),
    ),
  )

  it('covers every shape, event and stage (2 shapes × 5 events × 5 stages)', () => {
    expect(cases).toHaveLength(50)
    for (const shape of PROGRAMME_SHAPES) {
      expect(Object.keys(ALLOWED[shape]).sort()).toEqual([...PARTICIPATION_EVENT_NAMES].sort())
    }
    expect(cases.filter((c) => c.to !== undefined)).toHaveLength(15)
  })

  it.each(cases.filter((c) => c.to !== undefined))(
    'allows $event from $from on a $shape programme, to $to',
    ({ shape, event, from, to }) => {
      expect(canMove(from, event, shape)).toBe(true)
      expect(nextStage(from, event, shape)).toBe(to)
    },
  )

  it.each(cases.filter((c) => c.to === undefined))(
    'refuses $event from $from on a $shape programme',
    ({ shape, event, from }) => {
      expect(canMove(from, event, shape)).toBe(false)
      let refused: unknown
      try {
        nextStage(from, event, shape)
      } catch (error) {
        refused = error
      }
      expect(refused).toBeInstanceOf(RefusedStageChange)
      expect((refused as RefusedStageChange).message).toMatch(/^[A-Z].{10,}/)
      expect((refused as RefusedStageChange).from).toBe(from)
    },
  )

  it('ends only in withdrawn, from which nothing moves', () => {
    expect(ENDED).toEqual(['withdrawn'])
    for (const shape of PROGRAMME_SHAPES) {
      for (const event of PARTICIPATION_EVENT_NAMES) expect(canMove('withdrawn', event, shape)).toBe(false)
    }
  })

  it('has groups that fit together', () => {
    expect(TAKING_PART).toEqual([...DEVELOPING, 'active'])
    expect(WITH_REASON).toEqual(['deferred', 'withdrawn'])
    for (const stage of WITH_REASON) expect(TAKING_PART.includes(stage)).toBe(false)
  })

  it('names every stage in plain words', () => {
    for (const stage of PARTICIPATION_STAGES) expect(STAGE_NAMES[stage]).toMatch(/^[A-Z]/)
  })
})
