import { describe, expect, it } from 'vitest'
import {
  PageOutOfRangeError,
  pageHref,
  pageOfList,
  pageParam,
  pagedJson,
  pagingSummary,
  pagingView,
  presentPage,
} from './paging.ts'
import { z } from 'zod'

const schools = { one: 'school', many: 'schools' }

describe('the page parameter', () => {
  it('is 1 when absent, and a whole number from 1 to 10000 otherwise', () => {
    expect(pageParam.parse(undefined)).toBe(1)
    expect(pageParam.parse('7')).toBe(7)
    for (const bad of ['0', '-1', '1.5', 'abc', '', '10001', '1e9']) {
      const parsed = pageParam.safeParse(bad)
      expect(parsed.success, bad).toBe(false)
      expect(parsed.error?.issues[0]?.message).toBe('Page must be a whole number from 1 to 10000')
    }
  })
})

describe('the "1 to 20 of N" line', () => {
  it('counts the page within the whole list, with thousands separated', () => {
    expect(pagingSummary({ total: 5739, page: 1, pageSize: 20 }, schools)).toBe('1 to 20 of 5,739 schools')
    expect(pagingSummary({ total: 5739, page: 287, pageSize: 20 }, schools)).toBe(
      '5,721 to 5,739 of 5,739 schools',
    )
    expect(pagingSummary({ total: 3, page: 1, pageSize: 20 }, schools)).toBe('3 schools')
    expect(pagingSummary({ total: 1, page: 1, pageSize: 20 }, schools)).toBe('1 school')
    expect(pagingSummary({ total: 0, page: 1, pageSize: 20 }, schools)).toBe('')
  })
})

describe('the pagination view', () => {
  const href = (n: number) => `/schools?q=st&page=${n}`

  it('has no links when everything fits on one page', () => {
    expect(pagingView({ total: 20, page: 1, pageSize: 20 }, href, schools).pagination).toBeNull()
  })

  it('shows the first, the last and the current page with its neighbours, eliding the rest', () => {
    const view = pagingView({ total: 5739, page: 10, pageSize: 20 }, href, schools)
    expect(view.totalPages).toBe(287)
    expect(view.long).toBe(true)
    expect(view.pagination?.previous).toEqual({ href: href(9) })
    expect(view.pagination?.next).toEqual({ href: href(11) })
    expect(view.pagination?.items).toEqual([
      { number: '1', href: href(1) },
      { ellipsis: true },
      { number: '9', href: href(9) },
      { number: '10', href: href(10), current: true },
      { number: '11', href: href(11) },
      { ellipsis: true },
      { number: '287', href: href(287) },
    ])
  })

  it('has no "previous" on the first page and no "next" on the last', () => {
    const first = pagingView({ total: 45, page: 1, pageSize: 20 }, href, schools).pagination!
    expect(first.previous).toBeUndefined()
    expect(first.items).toEqual([
      { number: '1', href: href(1), current: true },
      { number: '2', href: href(2) },
      { number: '3', href: href(3) },
    ])
    const last = pagingView({ total: 45, page: 3, pageSize: 20 }, href, schools).pagination!
    expect(last.next).toBeUndefined()
    expect(pagingView({ total: 45, page: 3, pageSize: 20 }, href, schools).long).toBe(false)
  })
})

describe('page addresses', () => {
  it('keep the other parameters, leave out empty ones and page 1', () => {
    expect(pageHref('/schools', { q: 'st mary', phase: '', la: undefined, page: 4 }, 1)).toBe(
      '/schools?q=st+mary',
    )
    expect(pageHref('/schools', { q: 'st mary' }, 3)).toBe('/schools?q=st+mary&page=3')
    expect(pageHref('/hubs', {}, 1)).toBe('/hubs')
  })
})

describe('a list held in memory', () => {
  const list = Array.from({ length: 45 }, (_, i) => i + 1)

  it('pages like a query', () => {
    expect(pageOfList(list, { page: 3, pageSize: 20 })).toEqual({
      total: 45,
      page: 3,
      pageSize: 20,
      items: [41, 42, 43, 44, 45],
    })
    expect(pageOfList([], { page: 1, pageSize: 20 })).toMatchObject({ total: 0, items: [] })
  })

  it('refuses a page past the last, naming the last', () => {
    expect(() => pageOfList(list, { page: 4, pageSize: 20 })).toThrow(PageOutOfRangeError)
    try {
      pageOfList(list, { page: 4, pageSize: 20 })
    } catch (error) {
      expect((error as PageOutOfRangeError).lastPage).toBe(3)
    }
    expect(() => pageOfList([], { page: 2, pageSize: 20 })).toThrow(PageOutOfRangeError)
  })
})

describe('the API shape', () => {
  it('gives the total, the numbers and links that keep the query', () => {
    const body = presentPage(
      { items: [1, 2], total: 45, page: 2, pageSize: 20 },
      '/api/v1/schools',
      { q: 'st mary' },
      (n) => ({ n }),
    )
    expect(body).toEqual({
      total: 45,
      page: 2,
      pageSize: 20,
      totalPages: 3,
      links: {
        self: '/api/v1/schools?q=st+mary&pageSize=20&page=2',
        first: '/api/v1/schools?q=st+mary&pageSize=20&page=1',
        last: '/api/v1/schools?q=st+mary&pageSize=20&page=3',
        prev: '/api/v1/schools?q=st+mary&pageSize=20&page=1',
        next: '/api/v1/schools?q=st+mary&pageSize=20&page=3',
      },
      items: [{ n: 1 }, { n: 2 }],
    })
    expect(pagedJson(z.object({ n: z.number() })).parse(body)).toEqual(body)
  })
})
