import { describe, expect, it } from 'vitest'
import { formatUkDate, formatUkDateTime, parseUkDateTime, toUkWallClock } from './uk-time.ts'

const utc = (iso: string): Date => new Date(iso)

describe('formatUkDateTime', () => {
  it('uses GMT in winter', () => {
    expect(formatUkDateTime(utc('2025-03-14T17:00:00Z'))).toBe('5pm on 14 March 2025')
    expect(formatUkDateTime(utc('2025-01-06T09:05:00Z'))).toBe('9:05am on 6 January 2025')
    expect(formatUkDateTime(utc('2024-12-25T23:59:00Z'))).toBe('11:59pm on 25 December 2024')
  })

  it('uses BST in summer', () => {
    expect(formatUkDateTime(utc('2025-04-01T08:30:00Z'))).toBe('9:30am on 1 April 2025')
    expect(formatUkDateTime(utc('2025-07-31T16:00:00Z'))).toBe('5pm on 31 July 2025')
  })

  it('moves to the next UK day when BST crosses midnight UTC', () => {
    expect(formatUkDateTime(utc('2025-06-30T23:15:00Z'))).toBe('12:15am on 1 July 2025')
  })

  it('writes 12pm as midday and 12am as midnight', () => {
    expect(formatUkDateTime(utc('2025-03-14T12:00:00Z'))).toBe('midday on 14 March 2025')
    expect(formatUkDateTime(utc('2025-08-14T11:00:00Z'))).toBe('midday on 14 August 2025')
    expect(formatUkDateTime(utc('2025-03-15T00:00:00Z'))).toBe('midnight on 15 March 2025')
    expect(formatUkDateTime(utc('2025-08-14T23:00:00Z'))).toBe('midnight on 15 August 2025')
  })

  it('keeps minutes just after midday and midnight', () => {
    expect(formatUkDateTime(utc('2025-03-14T12:01:00Z'))).toBe('12:01pm on 14 March 2025')
    expect(formatUkDateTime(utc('2025-03-14T00:30:00Z'))).toBe('12:30am on 14 March 2025')
  })

  it('ignores seconds', () => {
    expect(formatUkDateTime(utc('2025-03-14T17:00:59.999Z'))).toBe('5pm on 14 March 2025')
  })

  it('handles the day the clocks go forward (30 March 2025)', () => {
    expect(formatUkDateTime(utc('2025-03-30T00:59:00Z'))).toBe('12:59am on 30 March 2025')
    // 1am GMT becomes 2am BST
    expect(formatUkDateTime(utc('2025-03-30T01:00:00Z'))).toBe('2am on 30 March 2025')
    expect(formatUkDateTime(utc('2025-03-30T11:00:00Z'))).toBe('midday on 30 March 2025')
  })

  it('handles the day the clocks go back (26 October 2025)', () => {
    expect(formatUkDateTime(utc('2025-10-26T00:30:00Z'))).toBe('1:30am on 26 October 2025')
    // 2am BST becomes 1am GMT, so 1:30am happens twice
    expect(formatUkDateTime(utc('2025-10-26T01:30:00Z'))).toBe('1:30am on 26 October 2025')
    expect(formatUkDateTime(utc('2025-10-26T12:00:00Z'))).toBe('midday on 26 October 2025')
  })

  it('rejects an invalid date', () => {
    expect(() => formatUkDateTime(new Date('not a date'))).toThrow(RangeError)
  })
})

describe('formatUkDate', () => {
  it('formats a date without a leading zero', () => {
    expect(formatUkDate(utc('2025-03-14T10:00:00Z'))).toBe('14 March 2025')
    expect(formatUkDate(utc('2025-04-01T10:00:00Z'))).toBe('1 April 2025')
  })

  it('uses the UK date, not the UTC date', () => {
    expect(formatUkDate(utc('2025-06-30T23:30:00Z'))).toBe('1 July 2025')
    expect(formatUkDate(utc('2025-12-31T23:30:00Z'))).toBe('31 December 2025')
  })

  it('rejects an invalid date', () => {
    expect(() => formatUkDate(new Date(NaN))).toThrow(RangeError)
  })
})

describe('parseUkDateTime', () => {
  it('reads winter times as GMT', () => {
    expect(parseUkDateTime({ year: 2025, month: 1, day: 15, hour: 9, minute: 30 }).toISOString()).toBe(
      '2025-01-15T09:30:00.000Z',
    )
    expect(parseUkDateTime({ year: 2025, month: 12, day: 31, hour: 23, minute: 59 }).toISOString()).toBe(
      '2025-12-31T23:59:00.000Z',
    )
  })

  it('reads summer times as BST', () => {
    expect(parseUkDateTime({ year: 2025, month: 7, day: 1, hour: 0, minute: 0 }).toISOString()).toBe(
      '2025-06-30T23:00:00.000Z',
    )
    expect(parseUkDateTime({ year: 2025, month: 8, day: 14, hour: 12, minute: 0 }).toISOString()).toBe(
      '2025-08-14T11:00:00.000Z',
    )
  })

  describe('the day the clocks go forward (30 March 2025)', () => {
    it('reads times before the change as GMT', () => {
      expect(parseUkDateTime({ year: 2025, month: 3, day: 30, hour: 0, minute: 59 }).toISOString()).toBe(
        '2025-03-30T00:59:00.000Z',
      )
    })

    it('reads times after the change as BST', () => {
      expect(parseUkDateTime({ year: 2025, month: 3, day: 30, hour: 2, minute: 0 }).toISOString()).toBe(
        '2025-03-30T01:00:00.000Z',
      )
      expect(parseUkDateTime({ year: 2025, month: 3, day: 30, hour: 12, minute: 0 }).toISOString()).toBe(
        '2025-03-30T11:00:00.000Z',
      )
    })

    it('moves a time in the skipped hour forward by an hour', () => {
      const d = parseUkDateTime({ year: 2025, month: 3, day: 30, hour: 1, minute: 30 })
      expect(d.toISOString()).toBe('2025-03-30T01:30:00.000Z')
      expect(formatUkDateTime(d)).toBe('2:30am on 30 March 2025')
      expect(parseUkDateTime({ year: 2025, month: 3, day: 30, hour: 1, minute: 0 }).toISOString()).toBe(
        '2025-03-30T01:00:00.000Z',
      )
    })
  })

  describe('the day the clocks go back (26 October 2025)', () => {
    it('takes the earlier (BST) instant for a time in the repeated hour', () => {
      expect(parseUkDateTime({ year: 2025, month: 10, day: 26, hour: 1, minute: 0 }).toISOString()).toBe(
        '2025-10-26T00:00:00.000Z',
      )
      expect(parseUkDateTime({ year: 2025, month: 10, day: 26, hour: 1, minute: 59 }).toISOString()).toBe(
        '2025-10-26T00:59:00.000Z',
      )
    })

    it('reads times either side of the repeated hour correctly', () => {
      expect(parseUkDateTime({ year: 2025, month: 10, day: 26, hour: 0, minute: 59 }).toISOString()).toBe(
        '2025-10-25T23:59:00.000Z',
      )
      expect(parseUkDateTime({ year: 2025, month: 10, day: 26, hour: 2, minute: 0 }).toISOString()).toBe(
        '2025-10-26T02:00:00.000Z',
      )
    })
  })

  it('rejects dates and times that do not exist', () => {
    expect(() => parseUkDateTime({ year: 2025, month: 2, day: 29, hour: 9, minute: 0 })).toThrow(RangeError)
    expect(() => parseUkDateTime({ year: 2025, month: 13, day: 1, hour: 9, minute: 0 })).toThrow(RangeError)
    expect(() => parseUkDateTime({ year: 2025, month: 4, day: 31, hour: 9, minute: 0 })).toThrow(RangeError)
    expect(() => parseUkDateTime({ year: 2025, month: 4, day: 1, hour: 24, minute: 0 })).toThrow(RangeError)
    expect(() => parseUkDateTime({ year: 2025, month: 4, day: 1, hour: 9, minute: 60 })).toThrow(RangeError)
    expect(() => parseUkDateTime({ year: 2025, month: 4, day: 1, hour: 9.5, minute: 0 })).toThrow(RangeError)
    expect(() => parseUkDateTime({ year: 2025, month: 4, day: 0, hour: 9, minute: 0 })).toThrow(RangeError)
  })

  it('accepts 29 February in a leap year', () => {
    expect(parseUkDateTime({ year: 2024, month: 2, day: 29, hour: 9, minute: 0 }).toISOString()).toBe(
      '2024-02-29T09:00:00.000Z',
    )
  })
})

/** A small deterministic pseudo-random generator (mulberry32), so failures can be reproduced. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('round trips', () => {
  const start = Date.UTC(1996, 0, 1)
  const end = Date.UTC(2060, 0, 1)

  it('parse(wall clock of an instant) gives back the instant, except in the repeated hour', () => {
    const next = random(20250314)
    for (let i = 0; i < 5000; i++) {
      const minutes = Math.floor((next() * (end - start)) / 60_000)
      const instant = new Date(start + minutes * 60_000)
      const wall = toUkWallClock(instant)
      const parsed = parseUkDateTime(wall)
      if (parsed.getTime() !== instant.getTime()) {
        // Only allowed for the second (GMT) 1am hour on the day the clocks go
        // back, which parses to the earlier BST instant an hour before.
        expect(wall.month).toBe(10)
        expect(wall.hour).toBe(1)
        expect(instant.getTime() - parsed.getTime()).toBe(60 * 60_000)
      }
      // Whatever the instant, the text it formats to is unchanged by a round trip.
      expect(formatUkDateTime(parsed)).toBe(formatUkDateTime(instant))
    }
  })

  it('every hour around every change-over from 2000 to 2040 round trips', () => {
    for (let year = 2000; year <= 2040; year++) {
      for (const month of [3, 10]) {
        // Last Sunday of the month
        const last = new Date(Date.UTC(year, month, 0))
        const sunday = last.getUTCDate() - last.getUTCDay()
        for (let hour = 0; hour < 24; hour++) {
          for (const minute of [0, 30, 59]) {
            const wall = { year, month, day: sunday, hour, minute }
            const parsed = parseUkDateTime(wall)
            const back = toUkWallClock(parsed)
            if (month === 3 && hour === 1) {
              // Skipped hour: moved forward an hour
              expect(back).toEqual({ ...wall, hour: 2 })
            } else {
              expect(back).toEqual(wall)
            }
            if (month === 10 && hour === 1) {
              // Repeated hour: the earlier, BST, instant
              expect(parsed.getUTCHours()).toBe(0)
            }
          }
        }
      }
    }
  })

  it('wall clock of parse(wall clock) is the same for ordinary dates', () => {
    const next = random(1)
    for (let i = 0; i < 2000; i++) {
      const year = 1996 + Math.floor(next() * 64)
      const month = 1 + Math.floor(next() * 12)
      const day = 1 + Math.floor(next() * 28)
      const hour = Math.floor(next() * 24)
      const minute = Math.floor(next() * 60)
      const wall = { year, month, day, hour, minute }
      const back = toUkWallClock(parseUkDateTime(wall))
      const skipped = month === 3 && hour === 1 && day >= 25
      if (!skipped) expect(back).toEqual(wall)
    }
  })
})
