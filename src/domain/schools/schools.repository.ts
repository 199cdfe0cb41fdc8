// SQL for reading the school register. The hub serving a school is its own override, else its
// local authority's hub.
import { sql, type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder } from 'kysely'
import type { Db, Executor } from '../../db/database.ts'
import { fetchPage } from '../../db/paged-query.ts'
import { mapPage, type Paged } from '../../lib/paging.ts'
import type { DB } from '../../db/schema.ts'
import { asPostcodeQuery, asUrnQuery, foldForSearch } from '../../lib/text.ts'

export interface SchoolSummary {
  urn: number
  name: string
  typeName: string
  typeGroup: string
  phase: string
  laCode: string
  laName: string
  postcode: string | null
  town: string | null
  open: boolean
  status: string
  inEngland: boolean
  stateFunded: boolean
  hub: { id: string; name: string } | null
}

export interface School extends SchoolSummary {
  pupils: number | null
  percentageFsm: number | null
  easting: number | null
  northing: number | null
  trustCode: string | null
  trustName: string | null
  website: string | null
  telephone: string | null
  hubOverridden: boolean
}

export interface SchoolSearch {
  q?: string | undefined
  /** GIAS phase name, e.g. "Primary". */
  phase?: string | undefined
  la?: string | undefined
  hub?: string | undefined
  open?: boolean | undefined
  page: number
  pageSize: number
}

type Joined = {
  s: DB['schools']
  o: DB['school_hub_overrides']
  a: DB['hub_areas']
  h: DB['hubs']
}

function joinedSchools(db: Executor): SelectQueryBuilder<Joined, 's' | 'o' | 'a' | 'h', object> {
  return db
    .selectFrom('schools as s')
    .leftJoin('school_hub_overrides as o', 'o.urn', 's.urn')
    .leftJoin('hub_areas as a', 'a.la_code', 's.la_code')
    .leftJoin('hubs as h', (join) => join.on(sql<boolean>`h.id = coalesce(o.hub_id, a.hub_id)`))
}

const SUMMARY_COLUMNS = [
  's.urn',
  's.name',
  's.type_name',
  's.type_group',
  's.phase',
  's.la_code',
  's.la_name',
  's.postcode',
  's.town',
  's.open',
  's.status',
  's.in_england',
  's.state_funded',
  'h.id as hub_id',
  'h.name as hub_name',
] as const

type SummaryRow = {
  urn: number
  name: string
  type_name: string
  type_group: string
  phase: string
  la_code: string
  la_name: string
  postcode: string | null
  town: string | null
  open: boolean
  status: string
  in_england: boolean
  state_funded: boolean
  hub_id: string | null
  hub_name: string | null
}

function toSummary(row: SummaryRow): SchoolSummary {
  return {
    urn: row.urn,
    name: row.name,
    typeName: row.type_name,
    typeGroup: row.type_group,
    phase: row.phase,
    laCode: row.la_code,
    laName: row.la_name,
    postcode: row.postcode,
    town: row.town,
    open: row.open,
    status: row.status,
    inEngland: row.in_england,
    stateFunded: row.state_funded,
    hub: row.hub_id && row.hub_name ? { id: row.hub_id, name: row.hub_name } : null,
  }
}

/** URNs that replaced the given one, following successor links up to five steps. */
export async function successorUrns(db: Executor, urn: number): Promise<number[]> {
  const result = await sql<{ urn: number }>`
    WITH RECURSIVE chain(urn, depth) AS (
      SELECT link_urn, 1 FROM school_links WHERE urn = ${urn} AND link_type LIKE 'Successor%'
      UNION
      SELECT l.link_urn, c.depth + 1 FROM school_links l JOIN chain c ON l.urn = c.urn
      WHERE l.link_type LIKE 'Successor%' AND c.depth < 5
    )
    SELECT DISTINCT urn FROM chain`.execute(db)
  return result.rows.map((r) => r.urn).filter((u) => u !== urn)
}

function hubFilter(eb: ExpressionBuilder<Joined, 's' | 'o' | 'a' | 'h'>, hubId: string) {
  return eb.or([eb('o.hub_id', '=', hubId), eb.and([eb('o.urn', 'is', null), eb('a.hub_id', '=', hubId)])])
}

export async function searchSchools(db: Executor, search: SchoolSearch): Promise<Paged<SchoolSummary>> {
  let query = joinedSchools(db)
  const q = search.q?.trim() ?? ''
  let rank: RawBuilder<unknown> | undefined
  if (q !== '') {
    const urn = asUrnQuery(q)
    const postcode = asPostcodeQuery(q)
    if (urn !== undefined) {
      const urns = [urn, ...(await successorUrns(db, urn))]
      query = query.where('s.urn', 'in', urns)
      rank = sql`(s.urn = ${urn})`
    } else if (postcode?.kind === 'full') {
      query = query.where('s.postcode_key', '=', postcode.key)
    } else if (postcode?.kind === 'outward') {
      query = query.where('s.postcode_key', 'like', `${postcode.outward}___`)
    } else {
      const folded = foldForSearch(q)
      const tokens = folded.split(' ').filter(Boolean)
      if (tokens.length === 0) return { total: 0, items: [], page: search.page, pageSize: search.pageSize }
      for (const token of tokens) query = query.where('s.search_name', 'like', `%${token}%`)
      rank = sql`(s.search_name LIKE ${`${folded}%`})`
    }
  }
  if (search.phase) query = query.where('s.phase', '=', search.phase)
  if (search.la) query = query.where('s.la_code', '=', search.la)
  if (search.hub) {
    const hubId = search.hub
    query = query.where((eb) => hubFilter(eb, hubId))
  }
  if (search.open !== undefined) query = query.where('s.open', '=', search.open)

  // Open schools first, then names that start with the query, then by name. (Ranking every match
  // by trigram similarity cost hundreds of milliseconds for common words like "primary".) The
  // total comes with the page, from a window count in the same query.
  const paged = await fetchPage(
    db,
    query
      .select(SUMMARY_COLUMNS)
      .orderBy(rank ? sql`s.open DESC, ${rank} DESC, s.name, s.urn` : sql`s.open DESC, s.name, s.urn`),
    search,
  )
  return mapPage(paged, (row) => toSummary(row as SummaryRow))
}

/** How alike a word must be to one typed to correct it: pg_trgm's similarity, 0 to 1. */
export const SUGGESTION_SIMILARITY = 0.25

/**
 * Between words about as alike, the one more schools' names use wins ("chruch" is "church", not
 * "chinuch"): this much similarity for each e-fold of schools.
 */
const POPULAR_WORD_WEIGHT = 0.02

/** Rebuilds the words "Did you mean …?" corrects to, after the register changes (an import). */
export async function refreshSchoolNameWords(db: Executor): Promise<void> {
  await sql`REFRESH MATERIALIZED VIEW school_name_words`.execute(db)
}

/**
 * For a name search that matched nothing ("Aldgte", "Christ Chruch"): the search with each word the
 * register's names do not hold replaced by the nearest word they do ("Aldgate", "Christ Church"),
 * when that search finds a school. One query over the words of open schools' names (migration
 * 0011), through its trigram index, with the similarity threshold set for this transaction only.
 */
export async function suggestSchoolNames(db: Executor, q: string): Promise<string[]> {
  const folded = foldForSearch(q.trim())
  const tokens = folded.split(' ').filter(Boolean)
  if (tokens.length === 0 || tokens.length > 10 || asUrnQuery(q) !== undefined || asPostcodeQuery(q))
    return []
  const suggest = async (tx: Executor) => {
    await sql`SELECT set_config('pg_trgm.similarity_threshold', ${String(SUGGESTION_SIMILARITY)}, true)`.execute(
      tx,
    )
    const result = await sql<{ token: string; word: string | null }>`
      SELECT t.token, coalesce(exact.word, near.word) AS word
      FROM unnest(${tokens}::text[]) WITH ORDINALITY AS t(token, position)
      LEFT JOIN school_name_words exact ON exact.word = t.token
      LEFT JOIN LATERAL (
        SELECT w.word FROM school_name_words w
        WHERE exact.word IS NULL AND length(t.token) >= 3 AND w.word % t.token
        ORDER BY similarity(w.word, t.token) + ${POPULAR_WORD_WEIGHT} * ln(w.schools) DESC, w.word
        LIMIT 1
      ) AS near ON true
      ORDER BY t.position`.execute(tx)
    return result.rows.map((r) => r.word ?? r.token)
  }
  const corrected = db.isTransaction ? await suggest(db) : await (db as Db).transaction().execute(suggest)
  if (corrected.join(' ') === tokens.join(' ')) return []
  const phrase = corrected.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ')
  const found = await searchSchools(db, { q: phrase, open: true, page: 1, pageSize: 1 })
  return found.total > 0 ? [phrase] : []
}

export async function findSchool(db: Executor, urn: number): Promise<School | undefined> {
  const row = await joinedSchools(db)
    .select([
      ...SUMMARY_COLUMNS,
      's.pupils',
      's.percentage_fsm',
      's.easting',
      's.northing',
      's.trust_code',
      's.trust_name',
      's.website',
      's.telephone',
      sql<boolean>`o.urn IS NOT NULL`.as('hub_overridden'),
    ])
    .where('s.urn', '=', urn)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    ...toSummary(row as SummaryRow),
    pupils: row.pupils,
    percentageFsm: row.percentage_fsm === null ? null : Number(row.percentage_fsm),
    easting: row.easting,
    northing: row.northing,
    trustCode: row.trust_code,
    trustName: row.trust_name,
    website: row.website,
    telephone: row.telephone,
    hubOverridden: row.hub_overridden,
  }
}

export interface LinkedSchool {
  urn: number
  name: string | null
  linkType: string
  establishedOn: string | null
  inRegister: boolean
  open: boolean
}

/** The schools this one replaced, and those that replaced it. */
export async function linkedSchools(
  db: Executor,
  urn: number,
): Promise<{ predecessors: LinkedSchool[]; successors: LinkedSchool[] }> {
  const rows = await db
    .selectFrom('school_links as l')
    .leftJoin('schools as s', 's.urn', 'l.link_urn')
    .select([
      'l.link_urn',
      'l.link_type',
      'l.established_on',
      sql<string | null>`coalesce(s.name, l.link_name)`.as('name'),
      sql<boolean>`s.urn IS NOT NULL`.as('in_register'),
      sql<boolean>`coalesce(s.open, false)`.as('open'),
    ])
    .where('l.urn', '=', urn)
    .orderBy('l.established_on', 'desc')
    .execute()
  const toLinked = (r: (typeof rows)[number]): LinkedSchool => ({
    urn: r.link_urn,
    name: r.name,
    linkType: r.link_type,
    establishedOn: r.established_on,
    inRegister: r.in_register,
    open: r.open,
  })
  return {
    predecessors: rows.filter((r) => r.link_type.startsWith('Predecessor')).map(toLinked),
    successors: rows.filter((r) => r.link_type.startsWith('Successor')).map(toLinked),
  }
}

/** Open schools in England that no hub serves, by local authority: the visible gap. */
export async function schoolsWithoutHub(
  db: Executor,
): Promise<{ laCode: string; laName: string; schools: number }[]> {
  const rows = await joinedSchools(db)
    .select([
      's.la_code',
      (eb) => eb.fn.max('s.la_name').as('la_name'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('s.open', '=', true)
    .where('s.in_england', '=', true)
    .where('h.id', 'is', null)
    .groupBy('s.la_code')
    .orderBy('s.la_code')
    .execute()
  return rows.map((r) => ({ laCode: r.la_code, laName: r.la_name, schools: Number(r.n) }))
}

export interface SearchExample {
  name: string
  urn: number
  postcode: string | null
}

/**
 * A school the register really holds, for a search box's hint ("For example, …"): the open school
 * in England with the lowest URN (one with a postcode if any has), so the examples find something
 * whatever is loaded.
 */
export async function searchExample(db: Executor): Promise<SearchExample | undefined> {
  const row = await db
    .selectFrom('schools')
    .select(['name', 'urn', 'postcode'])
    .where('open', '=', true)
    .where('in_england', '=', true)
    .orderBy(sql`postcode IS NULL`)
    .orderBy('urn')
    .limit(1)
    .executeTakeFirst()
  return row ? { name: row.name, urn: row.urn, postcode: row.postcode } : undefined
}
