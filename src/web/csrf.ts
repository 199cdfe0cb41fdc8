// CSRF tokens for anonymous forms that store nothing per visitor: a signed double-submit token.
// The token is a random value and its HMAC under the service's key; the visitor's browser holds it
// in an HttpOnly cookie and the form carries it in its hidden _csrf field. A POST is accepted only
// when the two are the same and the signature is ours. Signed-in forms use their session's token
// instead (see session.ts). See docs/adr/0013-csrf-for-anonymous-forms.md.
//
// The same signatures keep other short-lived state in the visitor's browser rather than in the
// database (an organisation sign-in's state, session.ts): each use signs for its own purpose, so
// a value signed for one is never accepted for another.
import { createHmac, randomBytes } from 'node:crypto'
import { sameSecret } from '../domain/auth/tokens.ts'

/** The service's signing key: from CSRF_SECRET, or a random key for this process when absent. */
export function signingKey(secret: string | undefined): Buffer {
  return secret ? Buffer.from(secret, 'utf8') : randomBytes(32)
}

export interface Signer {
  /** The value and its signature: `value.signature` (the value must be base64url). */
  sign(value: string): string
  /** The value, when this key signed it for this purpose; otherwise undefined. */
  verified(signed: string): string | undefined
}

/** HMAC-SHA-256 signatures under `key` for one purpose (a value signed for another is refused). */
export function signer(key: Buffer, purpose: string): Signer {
  const signatureOf = (value: string) =>
    createHmac('sha256', key).update(`${purpose}:${value}`).digest('base64url')
  return {
    sign: (value) => `${value}.${signatureOf(value)}`,
    verified(signed) {
      const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(signed)
      return match !== null && sameSecret(match[2]!, signatureOf(match[1]!)) ? match[1]! : undefined
    },
  }
}

export interface FormTokens {
  /** A new signed token. */
  issue(): string
  /** True when the token is one this key signed. */
  isSigned(token: string): boolean
}

/** Signed form tokens under the key (or the key from CSRF_SECRET, or a random key when absent). */
export function formTokens(key: Buffer | string | undefined): FormTokens {
  const signed = signer(Buffer.isBuffer(key) ? key : signingKey(key), 'mh-csrf')
  return {
    issue: () => signed.sign(randomBytes(24).toString('base64url')),
    isSigned: (token) => /^[A-Za-z0-9_-]{32}\./.test(token) && signed.verified(token) !== undefined,
  }
}

/** A cookie's name: with the __Host- prefix over https, so no other host can set it. */
export function hostOnlyCookie(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name
}

/** The form token cookie's name. */
export function formTokenCookie(secure: boolean): string {
  return hostOnlyCookie('mh_csrf', secure)
}

/** A form's token is accepted when it is the cookie's token, and the cookie's token is ours. */
export function formTokenMatches(tokens: FormTokens, sent: string, cookie: string | undefined): boolean {
  return cookie !== undefined && sent !== '' && sameSecret(sent, cookie) && tokens.isSigned(cookie)
}
