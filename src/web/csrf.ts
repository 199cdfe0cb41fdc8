// CSRF tokens for anonymous forms that store nothing per visitor: a signed double-submit token.
// The token is a random value and its HMAC under the service's key; the visitor's browser holds it
// in an HttpOnly cookie and the form carries it in its hidden _csrf field. A POST is accepted only
// when the two are the same and the signature is ours. Signed-in forms use their session's token
// instead (see session.ts). See docs/adr/0013-csrf-for-anonymous-forms.md.
import { createHmac, randomBytes } from 'node:crypto'
import { sameSecret } from '../domain/auth/tokens.ts'

export interface FormTokens {
  /** A new signed token. */
  issue(): string
  /** True when the token is one this key signed. */
  isSigned(token: string): boolean
}

/** Signed tokens under the key from CSRF_SECRET, or a random key for this process when absent. */
export function formTokens(secret: string | undefined): FormTokens {
  const key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32)
  const signatureOf = (value: string) =>
    createHmac('sha256', key).update(`mh-csrf:${value}`).digest('base64url')
  return {
    issue() {
      const value = randomBytes(24).toString('base64url')
      return `${value}.${signatureOf(value)}`
    },
    isSigned(token) {
      const match = /^([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{43})$/.exec(token)
      return match !== null && sameSecret(match[2]!, signatureOf(match[1]!))
    },
  }
}

/** The cookie's name: with the __Host- prefix over https, so no other host can set it. */
export function formTokenCookie(secure: boolean): string {
  return secure ? '__Host-mh_csrf' : 'mh_csrf'
}

/** A form's token is accepted when it is the cookie's token, and the cookie's token is ours. */
export function formTokenMatches(tokens: FormTokens, sent: string, cookie: string | undefined): boolean {
  return cookie !== undefined && sent !== '' && sameSecret(sent, cookie) && tokens.isSigned(cookie)
}
