// Money is integer pence everywhere: in the database, the API and the code. These turn pence into
// the pounds people read ("£1,000.00", "-£50.00") and pounds people type into pence, refusing a
// negative amount and a fraction of a penny rather than rounding either.

const pounds = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
})

/** 100000 → "£1,000.00"; -5000 → "-£50.00". */
export function formatPence(pence: number): string {
  if (!Number.isSafeInteger(pence)) throw new RangeError('An amount of money is a whole number of pence')
  return pounds.format(pence / 100)
}

export type PoundsProblem = 'empty' | 'not-money' | 'negative' | 'fraction-of-a-penny' | 'too-large'

/** The most any single amount may be: £100,000.00. */
export const MOST_PENCE = 10_000_000

/**
 * Pounds as typed ("200", "£1,000.50", "1000.5") as pence, or why not. Commas must group thousands;
 * a third decimal place is a fraction of a penny, refused even when it is 0 ("1.000" is refused
 * too, as its writer may mean a thousand).
 */
export function penceOfPounds(typed: string): { pence: number } | { problem: PoundsProblem } {
  const text = typed.trim().replace(/\s+/g, '')
  if (text === '') return { problem: 'empty' }
  const negative = /^-|^−|^£-|^£−/.test(text)
  const plain = text.replace(/^[-−]?£?[-−]?/, '')
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(plain)) return { problem: 'not-money' }
  const [whole = '', fraction = ''] = plain.replace(/,/g, '').split('.')
  if (fraction.length > 2) return { problem: 'fraction-of-a-penny' }
  if (negative) return { problem: 'negative' }
  if (whole.length > 7) return { problem: 'too-large' }
  const pence = Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
  return pence > MOST_PENCE ? { problem: 'too-large' } : { pence }
}

/** The message for each problem, naming what was being entered ("the day rate"). */
export function poundsMessage(problem: PoundsProblem, what: string): string {
  switch (problem) {
    case 'empty':
      return `Enter ${what}`
    case 'not-money':
      return `Enter ${what} as an amount of money, like £200 or £1,000.50`
    case 'negative':
      return `${capitalise(what)} must be £0.00 or more`
    case 'fraction-of-a-penny':
      return `${capitalise(what)} must be in pounds and pence, with no fraction of a penny`
    case 'too-large':
      return `${capitalise(what)} must be £100,000.00 or less`
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
