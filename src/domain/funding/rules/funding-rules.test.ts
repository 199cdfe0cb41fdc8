import { describe, expect, it } from 'vitest'
import { ruleHalfDaysForYear, halfDayPence, ruleOn, travelPence, type FundingRule } from './funding-rules.ts'

const rule = (id: number, appliesFrom: string, halfDays: number[] = [30, 30, 24]): FundingRule => ({
  id,
  programmeId: 'primary-mastery-specialist',
  appliesFrom,
  releaseDayRatePence: 20_000,
  releaseHalfDaysByYear: halfDays,
  bursaryPence: 0,
  supportDayRatePence: 35_000,
  travelJourneyCapPence: 15_000,
  travelNightCapPence: 12_000,
  note: null,
})

describe('the rule applying on a day', () => {
  const rules = [rule(2, '2026-09-01'), rule(1, '2020-09-01'), rule(3, '2027-09-01')]

  it.each([
    ['2020-08-31', undefined],
    ['2020-09-01', 1],
    ['2026-08-31', 1],
    ['2026-09-01', 2],
    ['2027-12-25', 3],
  ])('on %s is rule %s', (date, id) => {
    expect(ruleOn(rules, date)?.id).toBe(id)
  })
})

describe('funded release by year', () => {
  it('takes each year its own figure, and the last for every later year', () => {
    const r = rule(1, '2020-09-01', [20, 30, 24])
    expect([1, 2, 3, 4, 9].map((y) => ruleHalfDaysForYear(r, y))).toEqual([20, 30, 24, 24, 24])
  })

  it('pays a half day at half the day rate, in whole pence', () => {
    expect(halfDayPence(20_000)).toBe(10_000)
    expect(Number.isInteger(halfDayPence(35_002))).toBe(true)
  })
})

describe('travel', () => {
  const r = rule(1, '2020-09-01')
  it('pays the actual cost up to the caps', () => {
    expect(travelPence(r, { journeyPence: 9_000, nights: 1, nightsPence: 10_000 })).toBe(19_000)
    expect(travelPence(r, { journeyPence: 20_000, nights: 2, nightsPence: 30_000 })).toBe(15_000 + 24_000)
  })
})
