import { describe, expect, it } from 'vitest'
import { emailAddressSchema, isEmailAddress } from './email-address.ts'

describe('an email address', () => {
  it('is a plain local@domain', () => {
    for (const address of [
      'nadia.khan@ncetm.example',
      'hello+maths@northvale.mathshub.example',
      "o'brien@school.example",
      'first_last-2@sub.domain.example.org',
      'erased-12@erased.invalid',
      'X@X.EXAMPLE',
    ]) {
      expect(isEmailAddress(address), address).toBe(true)
    }
  })

  it('carries nothing more: no query, second address, display name or white space', () => {
    for (const address of [
      'x@x.example?bcc=victim@elsewhere.example',
      'x@x.example?bcc=victim%40elsewhere.example',
      'x@x.example?subject=hi',
      'x@x.example&cc=y@y.example',
      'x@x.example,y@y.example',
      'x@x.example;y@y.example',
      'Name <x@x.example>',
      '<x@x.example>',
      '"x"@x.example',
      'x y@x.example',
      'x@x .example',
      'x@x.example\n',
      'x\u0000@x.example',
      'x@x',
      '@x.example',
      'x@',
      '.x@x.example',
      'x..y@x.example',
      'x.@x.example',
      'x@-x.example',
      'x@x.example.',
      'x@x.e',
      'x@@x.example',
      'x@x.example/path',
      'x%y@x.example',
      `${'a'.repeat(250)}@x.example`,
    ]) {
      expect(isEmailAddress(address), JSON.stringify(address)).toBe(false)
    }
  })

  it('is trimmed and refused with the field’s own words', () => {
    const schema = emailAddressSchema({ required: 'Enter your email address' })
    expect(schema.parse('  nadia.khan@ncetm.example ')).toBe('nadia.khan@ncetm.example')
    expect(schema.safeParse('').error?.issues[0]?.message).toBe('Enter your email address')
    expect(schema.safeParse(undefined).error?.issues[0]?.message).toBe('Enter your email address')
    expect(schema.safeParse('x@x.example?bcc=y').error?.issues[0]?.message).toBe(
      'Enter an email address in the correct format, like name@example.com',
    )
  })
})
