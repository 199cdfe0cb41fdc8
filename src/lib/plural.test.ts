import { describe, expect, it } from 'vitest'
import { counted } from './plural.ts'

describe('counted', () => {
  it('writes the singular only for exactly one', () => {
    expect(counted(1, 'application')).toBe('1 application')
    expect(counted(0, 'application')).toBe('0 applications')
    expect(counted(2, 'application')).toBe('2 applications')
    expect(counted(1_200, 'school')).toBe('1,200 schools')
  })

  it('takes an irregular plural', () => {
    expect(counted(1, 'person', 'people')).toBe('1 person')
    expect(counted(3, 'person', 'people')).toBe('3 people')
  })
})
