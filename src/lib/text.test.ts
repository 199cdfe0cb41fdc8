import { describe, expect, it } from 'vitest'
import { asPostcodeQuery, asUrnQuery, foldForSearch, formatPostcode, postcodeKey, slugify } from './text.ts'

describe('foldForSearch', () => {
  it('folds case, apostrophes, accents and ampersands', () => {
    expect(foldForSearch("St Mary's C.E. Primary")).toBe('st marys ce primary')
    expect(foldForSearch('Ysgol Gymraeg Bro Morgannwg – Ysgol Gyfun')).toBe(
      'ysgol gymraeg bro morgannwg ysgol gyfun',
    )
    expect(foldForSearch('Café & Crèche')).toBe('cafe and creche')
  })
})

describe('postcodes', () => {
  it('formats and keys full postcodes', () => {
    expect(formatPostcode(' ec3a5de ')).toBe('EC3A 5DE')
    expect(postcodeKey('EC3A 5DE')).toBe('EC3A5DE')
  })
  it('reads full postcodes and outward codes as postcode queries, and names as not', () => {
    expect(asPostcodeQuery('ls6 3qs')).toEqual({ kind: 'full', key: 'LS63QS' })
    expect(asPostcodeQuery('LS6')).toEqual({ kind: 'outward', outward: 'LS6' })
    expect(asPostcodeQuery('Leeds')).toBeUndefined()
    expect(asPostcodeQuery('100000')).toBeUndefined()
  })
})

describe('asUrnQuery', () => {
  it('takes six or seven digits as a URN', () => {
    expect(asUrnQuery(' 100000 ')).toBe(100000)
    expect(asUrnQuery('1234567')).toBe(1234567)
    expect(asUrnQuery('12345')).toBeUndefined()
    expect(asUrnQuery('10000a')).toBeUndefined()
  })
})

describe('slugify', () => {
  it('makes URL-safe ids', () => {
    expect(slugify('Bucks, Berks and Oxon Maths Hub')).toBe('bucks-berks-and-oxon-maths-hub')
  })
})
