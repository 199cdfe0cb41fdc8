import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalEmail, sameMailbox } from './canonical-email.ts'

describe('canonicalEmail', () => {
  it('ignores case, white space and a +tag', () => {
    expect(canonicalEmail(' Bea.Jones+Head@School.Example ')).toBe('bea.jones@school.example')
    expect(canonicalEmail('bea+a+b@school.example')).toBe('bea@school.example')
  })

  it('ignores dots at gmail.com and googlemail.com, and treats the two as one', () => {
    expect(canonicalEmail('B.e.a.Jones+x@gmail.com')).toBe('beajones@gmail.com')
    expect(canonicalEmail('bea.jones@googlemail.com')).toBe('beajones@gmail.com')
  })

  it('keeps dots where the provider does not ignore them', () => {
    expect(canonicalEmail('bea.jones@school.example')).not.toBe(canonicalEmail('beajones@school.example'))
  })

  it('leaves an address without an @ as it is, folded', () => {
    expect(canonicalEmail(' Not-An-Address ')).toBe('not-an-address')
  })

  const local = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/)
  const domain = fc.constantFrom('school.example', 'gmail.com', 'googlemail.com', 'mail.example.org')

  it('is the same for any case, any +tag, and (at gmail) any dots', () => {
    fc.assert(
      fc.property(
        local,
        domain,
        fc.stringMatching(/^[a-z0-9.]{0,8}$/),
        fc.boolean(),
        (name, host, tag, upper) => {
          const plain = `${name}@${host}`
          let spelling = `${name}${tag ? `+${tag}` : ''}@${host}`
          if (host.endsWith('gmail.com')) spelling = spelling.replace(/^(.)/, '$1.')
          if (upper) spelling = spelling.toUpperCase()
          expect(sameMailbox(spelling, plain)).toBe(true)
        },
      ),
    )
  })

  it('is idempotent, and tells different local parts apart', () => {
    fc.assert(
      fc.property(local, local, domain, (a, b, host) => {
        const once = canonicalEmail(`${a}@${host}`)
        expect(canonicalEmail(once)).toBe(once)
        if (a !== b) expect(sameMailbox(`${a}@${host}`, `${b}@${host}`)).toBe(false)
      }),
    )
  })
})
