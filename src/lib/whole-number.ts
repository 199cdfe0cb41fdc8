// Whole numbers read from paths, queries and bodies, refused with one message that says what the
// number must be, its range included: "URN must be a whole number from 1 to 999999999, like
// 100000"; the first problem only. The range is what the database can hold, so nothing out of range reaches a query.
import { z } from 'zod'

/** The largest id a PostgreSQL integer column holds. */
export const MAX_INTEGER_ID = 2_147_483_647

export interface WholeNumberRange {
  min?: number
  max: number
  example: number
}

function messageFor(label: string, range: WholeNumberRange): string {
  return `${label} must be a whole number from ${range.min ?? 1} to ${range.max}, like ${range.example}`
}

/** A whole number in the range, from text (a path or query) or a number. */
export function wholeNumberText(label: string, range: WholeNumberRange) {
  const message = messageFor(label, range)
  return z.coerce
    .number({ error: message })
    .int({ error: message, abort: true })
    .min(range.min ?? 1, { error: message, abort: true })
    .max(range.max, message)
}

/** A whole number in the range, given as a number (JSON). */
export function wholeNumber(label: string, range: WholeNumberRange) {
  const message = messageFor(label, range)
  return z
    .number({ error: message })
    .int({ error: message, abort: true })
    .min(range.min ?? 1, { error: message, abort: true })
    .max(range.max, message)
}

/** A record id in a path: a whole number from 1 to the largest integer id. */
export function recordIdText(label: string) {
  return wholeNumberText(label, { max: MAX_INTEGER_ID, example: 42 })
}
