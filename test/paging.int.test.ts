// Lists that say how long they are: "find your hub", the register and its API over the real
// register, paged with one mechanism (src/lib/paging.ts), and near matches for typing mistakes.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importHubs } from '../src/domain/hubs/import-hubs.ts'
import { importSchools } from '../src/domain/schools/import-schools.ts'
import { suggestSchoolNames } from '../src/domain/schools/schools.repository.ts'
import { systemClock } from '../src/lib/clock.ts'
import { createTestApp, type TestApp } from './app.ts'
import { GIAS_OPEN, HUB_AREAS } from './shared-data.ts'

let t: TestApp
/** Open schools whose folded name, town or LA holds both "st" and "mary", as the search matches. */
let stMary: number

beforeAll(async () => {
  t = await createTestApp({ demo: false })
  await importSchools(t.database.db, systemClock, {
    fileName: 'gias_open_establishments_edubasealldata20250524.csv',
    bytes: fs.readFileSync(GIAS_OPEN),
    mode: 'full',
  })
  await importHubs(t.database.db, systemClock, {
    fileName: 'hub_areas.csv',
    bytes: fs.readFileSync(HUB_AREAS),
  })
  const counted = await t.database.db
    .selectFrom('schools')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('search_name', 'like', '%st%')
    .where('search_name', 'like', '%mary%')
    .executeTakeFirstOrThrow()
  stMary = Number(counted.n)
}, 180_000)
afterAll(async () => {
  await t?.close()
})

const get = (url: string) => t.app.inject({ method: 'GET', url })
const format = (n: number) => n.toLocaleString('en-GB')

describe('find your hub', () => {
  it('says how many schools match, not just the ten it shows, and pages through them', async () => {
    expect(stMary).toBeGreaterThan(500)
    const first = await get('/find-your-hub?q=St+Mary')
    expect(first.statusCode).toBe(200)
    expect(first.body).toContain(`${format(stMary)} schools match “St Mary”`)
    expect(first.body).toContain(`1 to 10 of ${format(stMary)} schools`)
    // Long: the page invites the user to refine the search, and has GOV.UK's pagination.
    expect(first.body).toContain('data-app-paging-refine')
    expect(first.body).toContain('class="govuk-pagination"')
    expect(first.body).toContain('href="/find-your-hub?q=St+Mary&amp;page=2"')

    const second = await get('/find-your-hub?q=St+Mary&page=2')
    expect(second.body).toContain(`11 to 20 of ${format(stMary)} schools`)
  })

  it('answers the API with the total, the page and links', async () => {
    const { statusCode, json } = await get('/api/v1/find-hub?q=St+Mary&pageSize=50')
    expect(statusCode).toBe(200)
    const body = json()
    expect(body).toMatchObject({
      total: stMary,
      page: 1,
      pageSize: 50,
      totalPages: Math.ceil(stMary / 50),
      links: { prev: null, next: '/api/v1/find-hub?q=St+Mary&pageSize=50&page=2' },
      suggestions: [],
    })
    expect(body.items).toHaveLength(50)
    const last = await get(body.links.last)
    expect(last.json().items).toHaveLength(stMary % 50 || 50)
    expect(last.json().links.next).toBeNull()
  })

  it('refuses a page that is not a number, on the page (422 with the error summary) and in the API', async () => {
    const page = await get('/find-your-hub?q=St+Mary&page=abc')
    expect(page.statusCode).toBe(422)
    expect(page.body).toContain('govuk-error-summary')
    expect(page.body).toContain('Page must be a whole number from 1 to 10000')
    const api = await get('/api/v1/find-hub?q=St+Mary&page=0')
    expect(api.statusCode).toBe(422)
    expect(api.json().errors[0]).toMatchObject({
      field: 'page',
      message: 'Page must be a whole number from 1 to 10000',
    })
    expect((await get('/api/v1/find-hub?q=St+Mary&pageSize=51')).statusCode).toBe(422)
  })

  it('sends a page past the last to the last page; the API answers 404 naming it', async () => {
    const lastPage = Math.ceil(stMary / 10)
    const page = await get('/find-your-hub?q=St+Mary&page=9999')
    expect(page.statusCode).toBe(302)
    expect(page.headers.location).toBe(`/find-your-hub?q=St+Mary&page=${lastPage}`)
    const api = await get('/api/v1/find-hub?q=St+Mary&page=9999')
    expect(api.statusCode).toBe(404)
    expect(api.json().errors[0]).toMatchObject({
      field: 'page',
      message: `There is no such page: the last page is ${lastPage}`,
    })
  })

  it('suggests near matches when a typing mistake finds nothing', async () => {
    expect(await suggestSchoolNames(t.database.db, 'Aldgte')).toEqual(['Aldgate'])
    expect(await suggestSchoolNames(t.database.db, 'Christ Chruch')).toEqual(['Christ Church'])
    expect(await suggestSchoolNames(t.database.db, 'St Mary')).toEqual([])

    const page = await get('/find-your-hub?q=Aldgte')
    expect(page.body).toContain('No schools match “Aldgte”')
    expect(page.body).toContain('Did you mean')
    expect(page.body).toContain('href="/find-your-hub?q=Aldgate">Aldgate</a>')
    const api = await get('/api/v1/find-hub?q=Christ+Chruch')
    expect(api.json()).toMatchObject({ total: 0, items: [], suggestions: ['Christ Church'] })
    expect((await get('/api/v1/find-hub?q=Christ+Church')).json().total).toBeGreaterThan(0)
    // Nothing near a word that is nothing like a school's.
    expect(await suggestSchoolNames(t.database.db, 'qqxzv')).toEqual([])
  })

  it('gives, as the hint’s examples, a school the register holds', async () => {
    const page = await get('/find-your-hub')
    expect(page.body).toContain('For example, The Aldgate School or 100000.')
    expect(page.body).not.toContain('LS1 4AP')
  })
})

describe('the register', () => {
  it('pages the schools page with the total and GOV.UK pagination', async () => {
    const page = await get('/schools?q=St+Mary&page=3')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(`41 to 60 of ${format(stMary)} schools`)
    expect(page.body).toContain('aria-current="page"')
    const bad = await get('/schools?q=St+Mary&page=-2')
    expect(bad.statusCode).toBe(422)
    expect(bad.body).toContain('Page must be a whole number from 1 to 10000')
  })

  it('answers the schools API with its total and links', async () => {
    const body = (await get('/api/v1/schools?q=St+Mary&page=2')).json()
    expect(body).toMatchObject({ total: stMary, page: 2, pageSize: 20 })
    expect(body.links).toMatchObject({
      self: '/api/v1/schools?q=St+Mary&pageSize=20&page=2',
      prev: '/api/v1/schools?q=St+Mary&pageSize=20&page=1',
    })
  })

  it('counts a page and its total in one query', async () => {
    // Every statement the pool's connections send while the search runs.
    const statements: string[] = []
    type Queryable = { query: (...args: unknown[]) => unknown; __counted?: boolean }
    const count = (client: Queryable) => {
      if (client.__counted) return
      client.__counted = true
      const original = client.query.bind(client)
      client.query = (...args: unknown[]) => {
        const first = args[0] as { text?: string } | string
        statements.push(typeof first === 'string' ? first : (first.text ?? ''))
        return original(...args)
      }
    }
    t.database.pool.on('acquire', count as never)
    try {
      statements.length = 0
      expect((await get('/api/v1/schools?q=St+Mary')).json().total).toBe(stMary)
    } finally {
      t.database.pool.removeListener('acquire', count as never)
    }
    expect(statements.filter((s) => /from "schools"/i.test(s))).toHaveLength(1)
  })
})
