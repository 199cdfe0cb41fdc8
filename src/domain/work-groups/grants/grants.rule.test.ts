// The participation rule over sessions held and each advocate place's attendance.
import { describe, expect, it } from 'vitest'
import { meetsParticipationRule } from './grants.rule.ts'

const RULE = { advocates: 2, attendedShare: 0.75 }
const slots = (a: number, b: number) => [
  { slot: 1, attended: a },
  { slot: 2, attended: b },
]

describe('the participation rule', () => {
  it.each([
    [6, 5, 5, true],
    [6, 5, 4, false], // 4 of 6 is under three quarters
    [4, 3, 3, true], // exactly three quarters
    [4, 3, 2, false],
    [6, 6, 6, true],
    [0, 0, 0, false], // nothing held, nothing due
  ])('with %i held and %i and %i attended: met is %s', (held, a, b, met) => {
    expect(meetsParticipationRule(RULE, held, slots(a, b)).met).toBe(met)
  })

  it('counts only as many advocate places as the rule asks for', () => {
    expect(meetsParticipationRule({ advocates: 1, attendedShare: 0.75 }, 4, slots(3, 0)).met).toBe(true)
    expect(meetsParticipationRule(RULE, 4, [{ slot: 1, attended: 4 }]).met).toBe(false)
  })

  it('says how many sessions were needed', () => {
    expect(meetsParticipationRule(RULE, 6, slots(5, 5)).needed).toBe(5)
    expect(meetsParticipationRule(RULE, 4, slots(3, 3)).needed).toBe(3)
  })
})
