import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { formTokenCookie, formTokenMatches, formTokens, signer, signingKey } from './csrf.ts'

const SECRET = 'a-test-key-that-is-at-least-32-characters-long'

describe('signed double-submit tokens for anonymous forms', () => {
  it('are accepted when the form and the cookie carry the same token we signed', () => {
    const tokens = formTokens(SECRET)
    const token = tokens.issue()
    expect(tokens.isSigned(token)).toBe(true)
    expect(formTokenMatches(tokens, token, token)).toBe(true)
  })

  it('are refused when missing, different, unsigned, tampered with or signed with another key', () => {
    const tokens = formTokens(SECRET)
    const token = tokens.issue()
    const [value, signature] = token.split('.') as [string, string]
    const other = tokens.issue()
    expect(formTokenMatches(tokens, '', token)).toBe(false)
    expect(formTokenMatches(tokens, token, undefined)).toBe(false)
    expect(formTokenMatches(tokens, other, token)).toBe(false)
    const unsigned = `${'a'.repeat(32)}.${'b'.repeat(43)}`
    expect(formTokenMatches(tokens, unsigned, unsigned)).toBe(false)
    const tampered = `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}.${signature}`
    expect(formTokenMatches(tokens, tampered, tampered)).toBe(false)
    expect(tokens.isSigned(`${token}x`)).toBe(false)
    expect(formTokens(`${SECRET}-other`).isSigned(token)).toBe(false)
  })

  it('are shared by processes given the same key, and not by processes making their own', () => {
    expect(formTokens(SECRET).isSigned(formTokens(SECRET).issue())).toBe(true)
    expect(formTokens(undefined).isSigned(formTokens(undefined).issue())).toBe(false)
  })

  it('sit in a __Host- cookie over https, so no other host can set it', () => {
    expect(formTokenCookie(true)).toBe('__Host-mh_csrf')
    expect(formTokenCookie(false)).toBe('mh_csrf')
  })
})

describe('signed values', () => {
  it('give back a value signed with the key for the same purpose, and nothing else', () => {
    const key = signingKey(SECRET)
    const cookie = signer(key, 'mh-cookie:one')
    const signed = cookie.sign('c29tZXRoaW5n')
    expect(cookie.verified(signed)).toBe('c29tZXRoaW5n')
    expect(signer(signingKey(SECRET), 'mh-cookie:one').verified(signed)).toBe('c29tZXRoaW5n')
    expect(signer(key, 'mh-cookie:two').verified(signed)).toBeUndefined()
    expect(signer(signingKey(`${SECRET}-other`), 'mh-cookie:one').verified(signed)).toBeUndefined()
    expect(cookie.verified(`x${signed}`)).toBeUndefined()
    expect(cookie.verified(signed.slice(0, -1))).toBeUndefined()
    expect(cookie.verified('c29tZXRoaW5n')).toBeUndefined()
    // A form token is signed for forms only.
    expect(cookie.verified(formTokens(key).issue())).toBeUndefined()
  })
})

describe('CSRF_SECRET', () => {
  it('is read from the environment, and refused when shorter than 32 characters', () => {
    expect(loadConfig({ CSRF_SECRET: SECRET }).session.csrfSecret).toBe(SECRET)
    expect(loadConfig({}).session.csrfSecret).toBeUndefined()
    expect(() => loadConfig({ CSRF_SECRET: 'short' })).toThrow(/CSRF_SECRET must be at least 32 characters/)
  })
})
