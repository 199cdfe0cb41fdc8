// Paging, shared by every list: the page number and page size a query may ask for (zod), the page
// a list answers with (its items and the total), the view model for GOV.UK's pagination component
// with the "1 to 20 of 5,739" line, and the API's shape with the total and links. The SQL half,
// one query counting with a window function, is db/paged-query.ts. See docs/adr/0019.
import { z } from 'zod'

const numberFormat = new Intl.NumberFormat('en-GB')

/** The furthest page anyone may ask for: past it, a search should be refined, not paged. */
export const MAX_PAGE = 10_000

export interface PageRequest {
  /** From 1. */
  page: number
  pageSize: number
}

export interface Paged<T> extends PageRequest {
  items: T[]
  /** Every match, across all pages. */
  total: number
}

const pageMessage = `Page must be a whole number from 1 to ${MAX_PAGE}`

/** The `page` query parameter: a whole number from 1, 1 when absent. */
export const pageParam = z.coerce
  .number({ error: pageMessage })
  .int({ error: pageMessage, abort: true })
  .min(1, { error: pageMessage, abort: true })
  .max(MAX_PAGE, pageMessage)
  .default(1)
  .describe('Page of results, from 1')

/** The `pageSize` query parameter (the API's): how many items a page holds. */
export function pageSizeParam(defaultSize: number, maxSize = 100) {
  const message = `Page size must be a whole number from 1 to ${maxSize}`
  return z.coerce
    .number({ error: message })
    .int({ error: message, abort: true })
    .min(1, { error: message, abort: true })
    .max(maxSize, message)
    .default(defaultSize)
    .describe(`Items on a page, from 1 to ${maxSize} (${defaultSize} unless given)`)
}

/** Both paging parameters, to spread into a route's query schema. */
export function pagingParams(defaultSize = 20, maxSize = 100) {
  return { page: pageParam, pageSize: pageSizeParam(defaultSize, maxSize) }
}

/** The query parameter of a page route, where the page size is the list's own. */
export const pageOnlyQuery = z.object({ page: pageParam })

export function totalPages(paged: { total: number; pageSize: number }): number {
  return Math.max(1, Math.ceil(paged.total / paged.pageSize))
}

export function offsetOf(request: PageRequest): number {
  return (request.page - 1) * request.pageSize
}

/**
 * A page past the last one was asked for. Pages are sent to the last page; the API answers 404
 * naming it.
 */
export class PageOutOfRangeError extends Error {
  constructor(readonly lastPage: number) {
    super(`There is no such page: the last page is ${lastPage}`)
    this.name = 'PageOutOfRangeError'
  }
}

/** Throws PageOutOfRangeError when the page asked for is past the last (an empty list has page 1). */
export function assertPageInRange(paged: { total: number; page: number; pageSize: number }): void {
  const last = totalPages(paged)
  if (paged.page > last) throw new PageOutOfRangeError(last)
}

/** One page of a list already held in memory (a list computed rather than queried). */
export function pageOfList<T>(list: readonly T[], request: PageRequest): Paged<T> {
  const paged = { total: list.length, page: request.page, pageSize: request.pageSize }
  assertPageInRange(paged)
  const start = offsetOf(request)
  return { ...paged, items: list.slice(start, start + request.pageSize) }
}

/** Maps a page's items, keeping its numbers. */
export function mapPage<T, U>(paged: Paged<T>, map: (item: T) => U): Paged<U> {
  return { ...paged, items: paged.items.map(map) }
}

// ---------------------------------------------------------------------------------------------
// Links

type LinkParams = Record<string, string | number | boolean | null | undefined>

/** The address of page n of a list: its path, its other parameters, and `page` (left out for 1). */
export function pageHref(path: string, params: LinkParams, page: number): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (key === 'page' || value === undefined || value === null || value === '') continue
    search.set(key, String(value))
  }
  if (page > 1) search.set('page', String(page))
  const text = search.toString()
  return text ? `${path}?${text}` : path
}

// ---------------------------------------------------------------------------------------------
// Pages: GOV.UK's pagination component and the "1 to 20 of 5,739" line

export interface Noun {
  one: string
  many: string
}

type PaginationItem = { number: string; href: string; current?: boolean } | { ellipsis: true }

export interface PagingView {
  total: number
  page: number
  totalPages: number
  /** "1 to 20 of 5,739 schools", "1 school", or "" for none. */
  summary: string
  /** More than a few pages: the page should invite the user to refine the search. */
  long: boolean
  /** The parameters for govukPagination, or null when everything fits on one page. */
  pagination: {
    previous?: { href: string }
    next?: { href: string }
    items: PaginationItem[]
    landmarkLabel: string
  } | null
}

/** How many pages make a list "long", so that refining beats paging. */
export const LONG_LIST_PAGES = 5

/** Page numbers to show: the first, the last, and the current with its neighbours; gaps elided. */
function pageNumbers(current: number, last: number): (number | 'gap')[] {
  const wanted = new Set([1, last, current - 1, current, current + 1].filter((n) => n >= 1 && n <= last))
  const sorted = [...wanted].sort((a, b) => a - b)
  const result: (number | 'gap')[] = []
  for (const n of sorted) {
    const previous = result[result.length - 1]
    if (typeof previous === 'number' && n - previous === 2) result.push(previous + 1)
    else if (typeof previous === 'number' && n - previous > 2) result.push('gap')
    result.push(n)
  }
  return result
}

export function pagingSummary(paged: { total: number; page: number; pageSize: number }, noun: Noun): string {
  if (paged.total === 0) return ''
  const word = paged.total === 1 ? noun.one : noun.many
  if (paged.total <= paged.pageSize && paged.page === 1) {
    return `${numberFormat.format(paged.total)} ${word}`
  }
  const first = offsetOf(paged) + 1
  const last = Math.min(paged.total, offsetOf(paged) + paged.pageSize)
  return `${numberFormat.format(first)} to ${numberFormat.format(last)} of ${numberFormat.format(paged.total)} ${word}`
}

/** The view model a list page renders with the `paging` macros (macros.njk). */
export function pagingView(
  paged: { total: number; page: number; pageSize: number },
  hrefFor: (page: number) => string,
  noun: Noun,
): PagingView {
  const last = totalPages(paged)
  return {
    total: paged.total,
    page: paged.page,
    totalPages: last,
    summary: pagingSummary(paged, noun),
    long: last > LONG_LIST_PAGES,
    pagination:
      last <= 1
        ? null
        : {
            ...(paged.page > 1 ? { previous: { href: hrefFor(paged.page - 1) } } : {}),
            ...(paged.page < last ? { next: { href: hrefFor(paged.page + 1) } } : {}),
            items: pageNumbers(paged.page, last).map((n) =>
              n === 'gap'
                ? { ellipsis: true as const }
                : {
                    number: numberFormat.format(n),
                    href: hrefFor(n),
                    ...(n === paged.page ? { current: true } : {}),
                  },
            ),
            landmarkLabel: `Pages of ${noun.many}`,
          },
  }
}

// ---------------------------------------------------------------------------------------------
// The API: the page's numbers and links beside its items

export const pageLinksJson = z
  .object({
    self: z.string(),
    first: z.string(),
    last: z.string(),
    prev: z.string().nullable(),
    next: z.string().nullable(),
  })
  .describe('Addresses of this page, the first and last, and the pages either side (null at the ends)')

/** The shape of a paged API answer: `items` of the given schema, the numbers, and links. */
export function pagedJson<T extends z.ZodType>(item: T) {
  return z.object({
    total: z.number().int().describe('Every match, across all pages'),
    page: z.number().int(),
    pageSize: z.number().int(),
    totalPages: z.number().int(),
    links: pageLinksJson,
    items: z.array(item),
  })
}

/** A page as the API answers it; `params` are the query's other parameters, kept in the links. */
export function presentPage<T, U>(
  paged: Paged<T>,
  path: string,
  params: LinkParams,
  present: (item: T) => U,
) {
  const last = totalPages(paged)
  const withSize = { ...params, pageSize: paged.pageSize }
  // The first page's link names page 1, so every link says which page it is.
  const href = (n: number) => {
    const base = pageHref(path, withSize, n)
    return n === 1 ? `${base}${base.includes('?') ? '&' : '?'}page=1` : base
  }
  return {
    total: paged.total,
    page: paged.page,
    pageSize: paged.pageSize,
    totalPages: last,
    links: {
      self: href(paged.page),
      first: href(1),
      last: href(last),
      prev: paged.page > 1 ? href(Math.min(paged.page - 1, last)) : null,
      next: paged.page < last ? href(paged.page + 1) : null,
    },
    items: paged.items.map(present),
  }
}
