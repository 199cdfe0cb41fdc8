// The bank holiday settings: the known historic extra and moved days unless configured; dates
// written YYYY-MM-DD, a move written FROM:TO; anything else refused at start-up, naming the setting.
import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

describe('EXTRA_BANK_HOLIDAYS and MOVED_BANK_HOLIDAYS', () => {
  it('are the known proclaimed days unless set', () => {
    expect(loadConfig({}).bankHolidays).toEqual({
      extra: ['2022-06-03', '2022-09-19', '2023-05-08'],
      moved: [{ from: '2022-05-30', to: '2022-06-02' }],
    })
  })

  it('take a list of dates and a list of moves, and may be set to none', () => {
    const config = loadConfig({
      EXTRA_BANK_HOLIDAYS: '2023-05-08, 2032-06-07',
      MOVED_BANK_HOLIDAYS: '2032-05-31:2032-06-04,2033-05-30:2033-06-03',
    })
    expect(config.bankHolidays).toEqual({
      extra: ['2023-05-08', '2032-06-07'],
      moved: [
        { from: '2032-05-31', to: '2032-06-04' },
        { from: '2033-05-30', to: '2033-06-03' },
      ],
    })
    expect(loadConfig({ EXTRA_BANK_HOLIDAYS: '', MOVED_BANK_HOLIDAYS: ' ' }).bankHolidays).toEqual({
      extra: [],
      moved: [],
    })
  })

  it.each(['2023-02-30', '8 May 2023', '2023-5-8', '2023-05-08;2022-06-03'])(
    'refuses the extra day %j, saying how to write it',
    (value) => {
      expect(() => loadConfig({ EXTRA_BANK_HOLIDAYS: value })).toThrow(
        'EXTRA_BANK_HOLIDAYS must be dates written YYYY-MM-DD separated by commas',
      )
    },
  )

  it.each(['2022-06-02', '2022-05-30:', '2022-05-30:2022-06-31', '2022-05-30:2022-06-02:2022-06-03'])(
    'refuses the move %j, saying how to write it',
    (value) => {
      expect(() => loadConfig({ MOVED_BANK_HOLIDAYS: value })).toThrow(
        'MOVED_BANK_HOLIDAYS must be moves written FROM:TO (dates YYYY-MM-DD) separated by commas',
      )
    },
  )
})
