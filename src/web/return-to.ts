// Where to go after signing in. A page for signed-in people remembers the address it was asked
// for (a short-lived cookie, set in session.ts, so the redirect to sign in stays plain
// `/sign-in`); the sign-in link emailed from that browser carries it (`?next=`), and so does an
// organisation sign-in (kept with its state). Only a path on this service is ever followed:
// never another site (`//evil`, `/\evil`, `https://evil`), never the sign-in pages themselves,
// never the API.

export const RETURN_TO_COOKIE = 'mh_return_to'
export const RETURN_TO_MINUTES = 30

/** The path to return to, when the value is one of this service's pages; otherwise undefined. */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 500) return undefined
  // One slash, then printable ASCII without a backslash: no `//host`, no `/\host`, no spaces.
  if (!/^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/.test(value)) return undefined
  const base = 'http://service.invalid'
  let url: URL
  try {
    url = new URL(value, base)
  } catch {
    return undefined
  }
  if (url.origin !== base || url.hash !== '') return undefined
  if (/^\/(sign-in|sign-out|create-account|api|assets)(\/|$)/.test(url.pathname)) return undefined
  return url.pathname + url.search
}
