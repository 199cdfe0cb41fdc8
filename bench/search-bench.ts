// Figure 2: school search over the national register, in-process and over HTTP, each beside a
// bare baseline measured in the same loop.
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import { loadConfig } from '../src/config.ts'
import { createApp } from '../src/app.ts'
import type { Database } from '../src/db/database.ts'
import { searchSchools } from '../src/domain/schools/schools.repository.ts'
import { systemClock } from '../src/lib/clock.ts'
import { asPostcodeQuery, asUrnQuery, foldForSearch } from '../src/lib/text.ts'
import { figure, progress, type Figure, type Measured } from './figures.ts'
import { round, seededRandom, summarize } from './stats.ts'

export type QueryKind = 'name' | 'urn' | 'old-urn' | 'postcode' | 'outward-code'

export interface SearchQuery {
  q: string
  kind: QueryKind
}

/** Name fragments people type into "find your hub": broad ones and narrow ones. */
const NAME_FRAGMENTS = [
  'primary',
  'st mary',
  'academy',
  'oak',
  'church of england',
  'park',
  'high school',
  'green',
  'infant',
  'junior',
  'catholic',
  'manchester',
  'leeds',
  'bristol',
  'william',
  'meadow',
  'community',
  'trinity',
  'grammar',
  "st mary's ce primary",
]

function evenlySpaced<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items]
  const picked: T[] = []
  for (let i = 0; i < count; i++) picked.push(items[Math.floor((i * (items.length - 1)) / (count - 1))]!)
  return picked
}

/**
 * The fixed query mix: name fragments, URNs and postcodes picked at even intervals from the register
 * (same data, so the same queries on every run and on both engines), and old URNs that only their
 * successor links lead to.
 */
export async function buildQueryMix(database: Database): Promise<SearchQuery[]> {
  const urns = (await database.pool.query<{ urn: number }>('SELECT urn FROM schools ORDER BY urn')).rows.map(
    (r) => r.urn,
  )
  const oldUrns = (
    await database.pool.query<{ urn: number }>(
      `SELECT DISTINCT l.urn FROM school_links l
       WHERE l.link_type LIKE 'Successor%' AND l.urn BETWEEN 100000 AND 9999999
         AND NOT EXISTS (SELECT 1 FROM schools s WHERE s.urn = l.urn)
       ORDER BY l.urn`,
    )
  ).rows.map((r) => r.urn)
  const postcodes = (
    await database.pool.query<{ postcode: string }>(
      `SELECT postcode FROM schools WHERE postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$' ORDER BY urn`,
    )
  ).rows.map((r) => r.postcode)
  const outward = [...new Set(evenlySpaced(postcodes, 60).map((p) => p.split(' ')[0]!))]
  return [
    ...NAME_FRAGMENTS.map((q): SearchQuery => ({ q, kind: 'name' })),
    ...evenlySpaced(urns, 12).map((urn): SearchQuery => ({ q: String(urn), kind: 'urn' })),
    ...evenlySpaced(oldUrns, 4).map((urn): SearchQuery => ({ q: String(urn), kind: 'old-urn' })),
    ...evenlySpaced(postcodes, 12).map((q): SearchQuery => ({ q, kind: 'postcode' })),
    ...evenlySpaced(outward, 6).map((q): SearchQuery => ({ q, kind: 'outward-code' })),
  ]
}

/** The mix repeated `passes` times, each pass in a seeded shuffled order. */
export function querySequence(mix: readonly SearchQuery[], passes: number, seed: number): SearchQuery[] {
  const random = seededRandom(seed)
  const sequence: SearchQuery[] = []
  for (let pass = 0; pass < passes; pass++) {
    const shuffled = [...mix]
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
    }
    sequence.push(...shuffled)
  }
  return sequence
}

/** The bare SQL for a query, shaped like the brief's baseline: urn and name, 20 rows. */
function bareSql(query: SearchQuery): { text: string; values: unknown[] } {
  const urn = asUrnQuery(query.q)
  if (urn !== undefined) return { text: 'SELECT urn, name FROM schools WHERE urn = $1', values: [urn] }
  const postcode = asPostcodeQuery(query.q)
  if (postcode?.kind === 'full') {
    return {
      text: 'SELECT urn, name FROM schools WHERE postcode_key = $1 ORDER BY name LIMIT 20',
      values: [postcode.key],
    }
  }
  if (postcode?.kind === 'outward') {
    return {
      text: 'SELECT urn, name FROM schools WHERE postcode_key LIKE $1 ORDER BY name LIMIT 20',
      values: [`${postcode.outward}___`],
    }
  }
  const tokens = foldForSearch(query.q).split(' ').filter(Boolean)
  return {
    text: 'SELECT urn, name FROM schools WHERE search_name LIKE $1 ORDER BY name LIMIT 20',
    values: [`%${tokens.join('%')}%`],
  }
}

function latency(
  short: string,
  label: string,
  samples: number[],
  detail?: Record<string, unknown>,
): Measured {
  const s = summarize(samples)
  return {
    short,
    label,
    unit: 'ms',
    metrics: { p50: s.p50, p95: s.p95, p99: s.p99 },
    detail: { n: s.n, mean: s.mean, max: s.max, ...detail },
  }
}

function p50ByKind(sequence: readonly SearchQuery[], samples: readonly number[]): Record<string, number> {
  const byKind = new Map<string, number[]>()
  sequence.forEach((query, i) => {
    const list = byKind.get(query.kind) ?? []
    list.push(samples[i]!)
    byKind.set(query.kind, list)
  })
  return Object.fromEntries([...byKind].map(([kind, list]) => [kind, round(summarize(list).p50, 3)]))
}

export interface SearchBenchOptions {
  warmupPasses: number
  passes: number
  httpPasses: number
}

export async function benchSearch(
  engine: 'pglite' | 'postgres',
  engineLabel: string,
  database: Database,
  options: SearchBenchOptions,
): Promise<Figure[]> {
  const label = engine === 'pglite' ? 'PGlite' : 'PostgreSQL'
  const mix = await buildQueryMix(database)
  const appSearch = (q: string) => searchSchools(database.db, { q, page: 1, pageSize: 20 })
  const bareSearch = (query: SearchQuery) => {
    const { text, values } = bareSql(query)
    return database.pool.query(text, values)
  }

  // Warm-up: every query of the mix, both ways, untimed.
  for (const query of querySequence(mix, options.warmupPasses, 1)) {
    await appSearch(query.q)
    await bareSearch(query)
  }
  const sequence = querySequence(mix, options.passes, 2)
  const appMs: number[] = []
  const bareMs: number[] = []
  let emptyResults = 0
  for (const [i, query] of sequence.entries()) {
    // Alternate which goes first, so neither always runs on caches the other just warmed.
    const runApp = async () => {
      const start = performance.now()
      const found = await appSearch(query.q)
      appMs.push(performance.now() - start)
      if (found.items.length === 0) emptyResults++
    }
    const runBare = async () => {
      const start = performance.now()
      await bareSearch(query)
      bareMs.push(performance.now() - start)
    }
    if (i % 2 === 0) {
      await runApp()
      await runBare()
    } else {
      await runBare()
      await runApp()
    }
  }
  progress(`${label}: ${sequence.length} searches timed (p50 ${summarize(appMs).p50.toFixed(2)} ms)`)

  const figures: Figure[] = [
    figure({
      id: `search.searchSchools.${engine}`,
      section: 'search',
      title: 'School search (searchSchools)',
      engine,
      result: latency('searchSchools', `searchSchools, page size 20, ${engineLabel}`, appMs, {
        distinct_queries: mix.length,
        queries: mix,
        queries_with_no_result: emptyResults,
        p50_by_kind: p50ByKind(sequence, appMs),
      }),
      baselines: [
        latency(
          'bare SQL, same pg.Pool',
          'bare SQL through the same pg.Pool: SELECT urn, name … WHERE search_name LIKE $1 / urn = $1 / postcode_key …, LIMIT 20',
          bareMs,
          {
            p50_by_kind: p50ByKind(sequence, bareMs),
          },
        ),
      ],
      explanation:
        `One in-process search over the national register; ${sequence.length} queries (${mix.length} distinct: names, ` +
        'URNs, old URNs, postcodes, outward codes) after a warm-up, interleaved with the bare SQL for the same input. ' +
        'Ratio = ÷ bare SQL.',
    }),
  ]

  // HTTP: a real listening server, sequential fetches, find-hub beside /healthz and a bare Fastify route.
  const app = await createApp({
    database,
    // The bench's one client searches far faster than a person: no public search limit here.
    config: {
      ...loadConfig({}),
      logLevel: 'silent',
      cacheTemplates: true,
      searchRateLimitPerMinute: 1_000_000,
    },
    clock: systemClock,
    demo: false,
  })
  const bare = Fastify({ logger: false })
  bare.get('/', async () => ({ ok: true }))
  try {
    await app.listen({ host: '127.0.0.1', port: 0 })
    await bare.listen({ host: '127.0.0.1', port: 0 })
    const appBase = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const bareBase = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`
    const get = async (url: string, samples?: number[]): Promise<void> => {
      const start = performance.now()
      const response = await fetch(url)
      await response.arrayBuffer()
      if (samples) samples.push(performance.now() - start)
      if (response.status !== 200)
        throw new Error(`GET ${url.replace(/^http:\/\/[^/]+/, '')} answered ${response.status}`)
    }
    const findHubUrl = (q: string) => `${appBase}/api/v1/find-hub?q=${encodeURIComponent(q)}`
    for (const query of querySequence(mix, 1, 3)) {
      await get(findHubUrl(query.q))
      await get(`${appBase}/healthz`)
      await get(`${bareBase}/`)
    }
    const httpSequence = querySequence(mix, options.httpPasses, 4)
    const findHubMs: number[] = []
    const healthMs: number[] = []
    const bareMs2: number[] = []
    for (const query of httpSequence) {
      await get(findHubUrl(query.q), findHubMs)
      await get(`${appBase}/healthz`, healthMs)
      await get(`${bareBase}/`, bareMs2)
    }
    progress(
      `${label}: ${httpSequence.length} HTTP find-hub requests timed (p50 ${summarize(findHubMs).p50.toFixed(2)} ms)`,
    )
    figures.push(
      figure({
        id: `http.find-hub.${engine}`,
        section: 'http',
        title: 'GET /api/v1/find-hub over HTTP',
        engine,
        result: latency(
          'find-hub',
          `GET /api/v1/find-hub?q=… on createApp listening on the loopback interface, ${engineLabel}`,
          findHubMs,
          {
            p50_by_kind: p50ByKind(httpSequence, findHubMs),
          },
        ),
        baselines: [
          latency(
            'GET /healthz, same server',
            'GET /healthz on the same server (hooks + SELECT 1)',
            healthMs,
          ),
          latency('bare Fastify {ok:true}', 'GET / on a bare Fastify instance answering {ok:true}', bareMs2),
        ],
        explanation:
          `fetch() round trip to a real listening server, one request at a time: ${httpSequence.length} requests of the ` +
          'same mix after a warm-up, interleaved with the baselines. Ratio = ÷ /healthz.',
      }),
    )
  } finally {
    await app.close()
    await bare.close()
  }
  return figures
}
