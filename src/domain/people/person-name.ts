// The rule for a person's name, wherever one is given: plain text of at most 100 characters and
// no web address, so that a name quoted in an email ("Priya Shah gave you a role") can never
// carry a link to another site.
import { z } from 'zod'
import { isPlainLine } from '../../lib/text.ts'

const WEB_ADDRESS = /https?:\/\/|www\.|[a-z0-9-]\.[a-z]{2,}\//i

export function containsWebAddress(text: string): boolean {
  return WEB_ADDRESS.test(text)
}

/** A name: trimmed, plain, at most 100 characters, without a web address (may be empty: callers say if it is needed). */
export const personNameSchema = z
  .string()
  .trim()
  .max(100, 'Name must be 100 characters or fewer')
  .refine(isPlainLine, 'Enter a name without control characters')
  .refine((v) => !containsWebAddress(v), 'Enter a name without a web address')
