import { describe, expect, it } from 'vitest'
import {
  isEnglishLaCode,
  isInEngland,
  isOpenStatus,
  isStateFundedType,
  typeGroupOf,
} from './establishment-types.ts'

describe('what we derive from a GIAS establishment', () => {
  it('counts maintained schools, academies and free schools as state-funded', () => {
    for (const type of [
      'Community school',
      'Academy converter',
      'Free schools',
      'Community special school',
    ]) {
      expect(isStateFundedType(type), type).toBe(true)
    }
  })
  it('does not count independent, non-maintained special, colleges or Welsh establishments', () => {
    for (const type of [
      'Other independent school',
      'Other independent special school',
      'Non-maintained special school',
      'Further education',
      'Welsh establishment',
      'Higher education institutions',
    ]) {
      expect(isStateFundedType(type), type).toBe(false)
    }
  })
  it('places English local authorities in England and Welsh and offshore ones outside', () => {
    expect(isEnglishLaCode('201')).toBe(true)
    expect(isEnglishLaCode('420')).toBe(true)
    expect(isEnglishLaCode('941')).toBe(true)
    expect(isEnglishLaCode('681')).toBe(false)
    expect(isEnglishLaCode('705')).toBe(false)
    expect(isEnglishLaCode('000')).toBe(false)
    expect(isInEngland('886', 'Welsh schools')).toBe(false)
    expect(isInEngland('886', 'Academies')).toBe(true)
  })
  it('knows type groups and open statuses', () => {
    expect(typeGroupOf('Academy converter')).toBe('Academies')
    expect(typeGroupOf('Something new')).toBe('Other types')
    expect(isOpenStatus('Open, but proposed to close')).toBe(true)
    expect(isOpenStatus('Closed')).toBe(false)
    expect(isOpenStatus('Proposed to open')).toBe(false)
  })
})
