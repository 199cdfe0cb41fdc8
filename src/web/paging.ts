// Paging on pages: the page number read from the query (a bad one answers 422 with the error
// summary, through PageNumberError in the error handler), and the view model for the paging macros.
import { ValidationError } from '../errors.ts'
import {
  pageHref,
  pageOnlyQuery,
  pagingView,
  type Noun,
  type PageRequest,
  type PagingView,
} from '../lib/paging.ts'
import { firstValues } from './forms.ts'

/** A page number that is not one: pages answer 422 with the error summary, the API 422. */
export class PageNumberError extends ValidationError {}

/** The page asked for in a query string, with the list's own page size. */
export function pageRequest(query: unknown, pageSize: number): PageRequest {
  const { page } = firstValues(query)
  const parsed = pageOnlyQuery.safeParse({ page: page?.trim() === '' ? undefined : page })
  if (!parsed.success) {
    throw new PageNumberError([
      {
        code: 'invalid',
        field: 'page',
        message: parsed.error.issues[0]?.message ?? 'Page must be a whole number',
      },
    ])
  }
  return { page: parsed.data.page, pageSize }
}

/** The paging view of a list at `path`, whose links keep the query's other parameters. */
export function pagingFor(
  paged: { total: number; page: number; pageSize: number },
  path: string,
  params: Record<string, string | number | boolean | null | undefined>,
  noun: Noun,
): PagingView {
  return pagingView(paged, (n) => pageHref(path, params, n), noun)
}
