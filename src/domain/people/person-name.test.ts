import { describe, expect, it } from 'vitest'
import { personNameSchema } from './person-name.ts'

describe('a person’s name', () => {
  it('may be any plain name', () => {
    for (const name of ['Priya Shah', 'Seán O’Brien-Ní Dhuibhir', 'Dr. J. R. Smith', 'Anne-Marie St. John']) {
      expect(personNameSchema.parse(` ${name} `)).toBe(name)
    }
  })

  it('never holds a web address', () => {
    for (const name of [
      'Visit https://evil.example now',
      'http://evil.example',
      'www.evil.example',
      'Claim at evil.example/prize',
      'HTTPS://EVIL.EXAMPLE',
    ]) {
      expect(personNameSchema.safeParse(name).error?.issues[0]?.message, name).toBe(
        'Enter a name without a web address',
      )
    }
  })
})

const refusal = (value: string) => {
  const parsed = personNameSchema.safeParse(value)
  return parsed.success ? undefined : parsed.error.issues[0]?.message
}

describe('personNameSchema', () => {
  it('takes ordinary names, with their punctuation', () => {
    for (const name of ['Helen Morris', 'Siân O’Brien-Smith', 'Dr. J. R. R. Tolkien', 'Jo St. John']) {
      expect(refusal(name)).toBeUndefined()
    }
  })

  it('refuses a name containing a web address', () => {
    for (const name of [
      'Win a prize at http://prize.example',
      'HTTPS://x.example',
      'Visit www.prize',
      'See prize.example/claim',
      'claim at bit.ly/abc',
    ]) {
      expect(refusal(name)).toBe('Enter a name without a web address')
    }
  })
})
