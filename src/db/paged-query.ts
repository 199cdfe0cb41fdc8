// One page of a query, counted in the same query: `count(*) OVER ()` is the number of rows the
// query matches before LIMIT, so a page and its total cost one round trip. Only a page past the
// end (no rows to carry the count) asks again, to say which page is the last. See docs/adr/0019.
import { sql, type SelectQueryBuilder } from 'kysely'
import { assertPageInRange, offsetOf, type PageRequest, type Paged } from '../lib/paging.ts'
import type { Executor } from './database.ts'

export async function fetchPage<DBX, TB extends keyof DBX, O>(
  db: Executor,
  query: SelectQueryBuilder<DBX, TB, O>,
  request: PageRequest,
): Promise<Paged<O>> {
  const rows = (await query
    .select(sql<number>`count(*) OVER ()`.as('paged_total'))
    .limit(request.pageSize)
    .offset(offsetOf(request))
    .execute()) as unknown as (O & { paged_total: number })[]
  let total: number
  if (rows.length > 0) {
    total = Number(rows[0]!.paged_total)
  } else if (request.page === 1) {
    total = 0
  } else {
    const counted = await sql<{
      n: number
    }>`SELECT count(*) AS n FROM (${query.clearOrderBy()}) AS listed`.execute(db)
    total = Number(counted.rows[0]?.n ?? 0)
  }
  const paged = { total, page: request.page, pageSize: request.pageSize }
  assertPageInRange(paged)
  return {
    ...paged,
    items: rows.map((row) => {
      const item: Partial<typeof row> = { ...row }
      delete item.paged_total
      return item as O
    }),
  }
}
