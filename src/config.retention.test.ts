// The retention period setting: 12 months unless configured; a whole number of months from 1 to 120.
import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

describe('RETENTION_UNSUCCESSFUL_MONTHS', () => {
  it('is 12 months unless set', () => {
    expect(loadConfig({}).retentionUnsuccessfulMonths).toBe(12)
    expect(loadConfig({ RETENTION_UNSUCCESSFUL_MONTHS: '24' }).retentionUnsuccessfulMonths).toBe(24)
  })

  it.each(['0', '-3', '6.5', '121', 'twelve', ''])('refuses %j, saying what it must be', (value) => {
    expect(() => loadConfig({ RETENTION_UNSUCCESSFUL_MONTHS: value })).toThrow(
      'RETENTION_UNSUCCESSFUL_MONTHS must be a whole number of months from 1 to 120',
    )
  })
})
