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
