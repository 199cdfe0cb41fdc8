import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatPence, MOST_PENCE, penceOfPounds, poundsMessage } from './money.ts'

describe('formatPence', () => {
  it.each([
    [100_000, '£1,000.00'],
    [20_000, '£200.00'],
    [21_250, '£212.50'],
    [1, '£0.01'],
    [0, '£0.00'],
    [-5_000, '-£50.00'],
    [123_456_789, '£1,234,567.89'],
  ])('shows %i pence as %s', (pence, shown) => {
    expect(formatPence(pence)).toBe(shown)
  })

  it('refuses a fraction of a penny rather than rounding it', () => {
    expect(() => formatPence(0.5)).toThrow(RangeError)
  })
})

describe('penceOfPounds', () => {
  it.each([
    ['200', 20_000],
    ['£200', 20_000],
    ['1,000.50', 100_050],
    ['£1,000.5', 100_050],
    [' 0.01 ', 1],
    ['0', 0],
    ['100000', MOST_PENCE],
  ])('reads %s as %i pence', (typed, pence) => {
    expect(penceOfPounds(typed)).toEqual({ pence })
  })

  it.each([
    ['', 'empty'],
    ['abc', 'not-money'],
    ['1,00', 'not-money'],
    ['12.', 'not-money'],
    ['-5', 'negative'],
    ['£-5.00', 'negative'],
    ['−5', 'negative'],
    ['1.005', 'fraction-of-a-penny'],
    ['1.000', 'fraction-of-a-penny'],
    ['100000.01', 'too-large'],
    ['99999999', 'too-large'],
  ])('refuses %j: %s', (typed, problem) => {
    expect(penceOfPounds(typed)).toEqual({ problem })
  })

  it('reads back every amount it shows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MOST_PENCE }), (pence) => {
        expect(penceOfPounds(formatPence(pence))).toEqual({ pence })
      }),
    )
  })

  it('words each refusal for the amount being entered', () => {
    expect(poundsMessage('negative', 'the day rate')).toBe('The day rate must be £0.00 or more')
    expect(poundsMessage('fraction-of-a-penny', 'the cost')).toBe(
      'The cost must be in pounds and pence, with no fraction of a penny',
    )
  })
})
