import { describe, expect, it } from 'vitest'
import { timeLeft } from './time-left.ts'

const closes = new Date('2027-01-21T17:00:00.000Z')
const before = (ms: number) => new Date(closes.getTime() - ms)

describe('timeLeft', () => {
  it('counts whole days when two or more are left', () => {
    expect(timeLeft(closes, before(60 * 86_400_000 + 5))).toBe('60 days')
    expect(timeLeft(closes, before(2 * 86_400_000))).toBe('2 days')
  })

  it('gives days and hours, hours and minutes, minutes, and less than a minute', () => {
    expect(timeLeft(closes, before(2 * 86_400_000 - 1))).toBe('1 day and 23 hours')
    expect(timeLeft(closes, before(86_400_000 + 30 * 60_000))).toBe('1 day')
    expect(timeLeft(closes, before(5 * 3_600_000 + 12 * 60_000 + 59_000))).toBe('5 hours and 12 minutes')
    expect(timeLeft(closes, before(3_600_000))).toBe('1 hour')
    expect(timeLeft(closes, before(61_000))).toBe('1 minute')
    expect(timeLeft(closes, before(59_999))).toBe('less than a minute')
    expect(timeLeft(closes, before(1))).toBe('less than a minute')
  })

  it('has nothing to say at the closing instant or after it', () => {
    expect(timeLeft(closes, closes)).toBeUndefined()
    expect(timeLeft(closes, before(-1))).toBeUndefined()
  })
})
