// The one rule for an email address, used by every email field in the service: a plain
// local@domain, nothing else. No query (`?bcc=`), no `&`, commas, spaces, angle brackets, quotes
// or a second address, so an address can be shown as a mailto link or put in an email's To
// without carrying anything more.
import { z } from 'zod'

/**
 * Letters, digits and . _ ' + - before the @ (not starting with a dot, never two dots together);
 * after it, a domain of letters, digits and hyphens in dot-separated labels ending with a name
 * of at least two letters.
 */
const EMAIL_ADDRESS =
  /^(?!\.)(?!.*\.\.)[A-Za-z0-9_'+.-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/

export const EMAIL_ADDRESS_FORMAT = 'Enter an email address in the correct format, like name@example.com'

export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && EMAIL_ADDRESS.test(text)
}

/** A required email address: trimmed, at most 254 characters, in the plain format. */
export function emailAddressSchema(messages: { required: string; format?: string }) {
  return z
    .string({ error: messages.required })
    .trim()
    .min(1, messages.required)
    .max(254, 'Email address must be 254 characters or fewer')
    .refine(isEmailAddress, messages.format ?? EMAIL_ADDRESS_FORMAT)
}
