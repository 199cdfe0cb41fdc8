// A person's name is shown on pages and written into emails to other people, so it must not carry
// a web address: "Win a prize at http://…" as a name would make our emails spam for someone else.
import { z } from 'zod'

/** http://, https://, www., or something.tld/ anywhere in the text. */
const WEB_ADDRESS = /https?:\/\/|www\.|[a-z0-9-]\.[a-z]{2,}\//i

export function containsWebAddress(text: string): boolean {
  return WEB_ADDRESS.test(text)
}

/** A name without a web address. Length and other rules are the caller's (each form words its own). */
export const personNameSchema = z
  .string()
  .refine((value) => !containsWebAddress(value), 'Enter a name without a web address')
