// Every pair of stages (and a school's first stage), allowed or refused, with the words of each refusal.
import { describe, expect, it } from 'vitest'
import { canMoveStage, MASTERY_STAGES, stageMoveRefusal, type SchoolMasteryStage } from './journey.stages.ts'

const ALLOWED = new Set(['readiness>development', 'development>embedding', 'embedding>sustaining'])

describe('a school’s stage moves', () => {
  const pairs = MASTERY_STAGES.flatMap((from) => MASTERY_STAGES.map((to) => [from, to] as const))
  it.each(pairs)('from %s to %s', (from: SchoolMasteryStage, to: SchoolMasteryStage) => {
    const allowed = ALLOWED.has(`${from}>${to}`)
    expect(canMoveStage(from, to)).toBe(allowed)
    const refusal = stageMoveRefusal(from, to)
    if (allowed) expect(refusal).toBeNull()
    else if (from === to) expect(refusal).toMatch(/^The school is already at /)
    else if (MASTERY_STAGES.indexOf(to) < MASTERY_STAGES.indexOf(from))
      expect(refusal).toMatch(/^A school cannot move back from /)
    else expect(refusal).toMatch(/ first, not straight to /)
  })

  it.each(MASTERY_STAGES)('a school with no stage yet may start at %s', (to) => {
    expect(canMoveStage(null, to)).toBe(true)
    expect(stageMoveRefusal(null, to)).toBeNull()
  })

  it('names the refusals plainly', () => {
    expect(stageMoveRefusal('embedding', 'development')).toBe(
      'A school cannot move back from Embedding to Development',
    )
    expect(stageMoveRefusal('readiness', 'embedding')).toBe(
      'A school moves from Readiness to Development first, not straight to Embedding',
    )
    expect(stageMoveRefusal('sustaining', 'sustaining')).toBe('The school is already at Sustaining')
  })
})
