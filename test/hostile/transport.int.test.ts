// Bodies the service cannot or should not read, sent to its forms and its API: bodies over the
// 1 MB limit, a huge single field within it, other media types (text, multipart, XML, none at all,
// charset tricks), JSON to a form and a form to the API, broken and deeply nested JSON. Each is
// answered with a clear 4xx (or, where the body can be read, the route's own answer): a GOV.UK page
// for pages and {errors:[...]} for the API that says what to send, never a 5xx, never the
// framework's own words, and nothing is written.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorSummary } from '../application-fixtures.ts'
import { RAW_JSON } from '../hostile-arbitraries.ts'
import type { PersonaName } from '../personas.ts'
import {
  asyncProperty,
  exchange,
  expectApi,
  expectPage,
  finishShare,
  newTeacher,
  openHostileApp,
  personas,
  started,
  t,
  type Person,
  type Reply,
} from './harness.ts'

const RUNS = 100
const TIMEOUT = 300_000
const LIMIT = 1024 * 1024
const HUB = 'northvale-maths-hub'

/** What Fastify and its parsers say when left to speak for themselves. */
const FRAMEWORK_WORDS = [
  'Unsupported Media Type',
  'Request body is too large',
  'Body cannot be empty',
  'Unexpected token',
  'Unexpected end of JSON',
  'is not valid JSON',
  'forbidden prototype property',
  'FST_ERR',
  'not a valid url component',
]

let people: Record<PersonaName, Person>
let teacher: Person
let draft: number

beforeAll(async () => {
  await openHostileApp()
  people = await personas()
  teacher = await newTeacher()
  draft = await started(teacher)
}, TIMEOUT)

afterAll(async () => {
  await t?.close()
  await finishShare('transport')
})

interface Target {
  as: () => Person
  method: 'POST' | 'PATCH'
  url: () => string
  /** A field the route reads, to fill with a huge value. */
  field: string
}

const PAGES: Target[] = [
  { as: () => people.anonymous, method: 'POST', url: () => '/create-account', field: 'name' },
  { as: () => people.hubLead, method: 'POST', url: () => `/hubs/${HUB}/team`, field: 'email' },
  { as: () => people.nationalAdmin, method: 'POST', url: () => `/admin/hubs/${HUB}`, field: 'name' },
  {
    as: () => teacher,
    method: 'POST',
    url: () => `/applications/${draft}/evidence`,
    field: 'evidence-enthusiasm',
  },
  { as: () => people.anonymous, method: 'POST', url: () => '/sign-in', field: 'email' },
]
const APIS: Target[] = [
  { as: () => people.hubLead, method: 'POST', url: () => `/api/v1/hubs/${HUB}/team`, field: 'email' },
  { as: () => teacher, method: 'PATCH', url: () => `/api/v1/applications/${draft}`, field: 'evidence' },
  { as: () => people.nationalAdmin, method: 'POST', url: () => '/api/v1/cohorts', field: 'programmeId' },
  { as: () => teacher, method: 'POST', url: () => '/api/v1/applications', field: 'cohortId' },
]

interface Sent {
  kind: string
  /** The content type header, or none at all. */
  contentType: string | undefined
  payload: string | Buffer
}

const OTHER_TYPES = [
  'text/plain',
  'text/html',
  'application/xml',
  'text/xml',
  'application/octet-stream',
  'multipart/form-data',
  'multipart/form-data; boundary=----hostile',
  'application/vnd.api+json',
  'application/x-www-form-urlencoded; charset=shift_jis',
  'application/x-www-form-urlencoded; charset=utf-16',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'APPLICATION/JSON',
  'application/json, text/plain',
  'image/png',
  ';',
  ' ',
]

const MULTIPART = [
  '------hostile\r\nContent-Disposition: form-data; name="email"\r\n\r\nx@school.example\r\n------hostile--\r\n',
  '------hostile\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nURN\r\n1\r\n------hostile--',
]

const nested = fc
  .tuple(fc.constantFrom('[', '{"a":'), fc.integer({ min: 100, max: 100_000 }))
  .map(([open, depth]) => {
    const close = open === '[' ? ']' : '}'
    return `${open.repeat(depth)}1${close.repeat(depth)}`
  })
  .filter((text) => text.length < LIMIT)

/** A body the route cannot or should not read, for a form (with its CSRF token) or the API. */
function hostileBody(forPage: boolean, csrf: () => string, field: string): fc.Arbitrary<Sent> {
  const form = (pairs: [string, string][]) => new URLSearchParams([['_csrf', csrf()], ...pairs]).toString()
  const over = fc.integer({ min: 1, max: 200_000 }).map((extra) => LIMIT + extra)
  return fc.oneof(
    over.map((size): Sent => {
      const filler = 'x'.repeat(size)
      return forPage
        ? {
            kind: 'form over 1 MB',
            contentType: 'application/x-www-form-urlencoded',
            payload: form([[field, filler]]),
          }
        : {
            kind: 'JSON over 1 MB',
            contentType: 'application/json',
            payload: JSON.stringify({ [field]: filler }),
          }
    }),
    fc
      .tuple(fc.integer({ min: 10_000, max: LIMIT - 10_000 }), fc.constantFrom('x', 'word ', '🧮', '\u0000'))
      .map(([size, unit]): Sent => {
        const value = unit.repeat(Math.floor(size / Buffer.byteLength(encodeURIComponent(unit))))
        return forPage
          ? {
              kind: 'a huge field',
              contentType: 'application/x-www-form-urlencoded',
              payload: form([[field, value]]),
            }
          : {
              kind: 'a huge field',
              contentType: 'application/json',
              payload: JSON.stringify({ [field]: value }),
            }
      }),
    fc
      .tuple(fc.constantFrom(...OTHER_TYPES), fc.constantFrom(...MULTIPART, '<a>hostile</a>', 'x', ''))
      .map(([contentType, text]): Sent => ({
        kind: `as ${contentType}`,
        contentType,
        payload: forPage ? `_csrf=${csrf()}&${text}` : text,
      })),
    fc.constantFrom(...MULTIPART).map((payload): Sent => ({
      kind: 'multipart',
      contentType: 'multipart/form-data; boundary=----hostile',
      payload,
    })),
    fc.constant<Sent>({
      kind: 'no content type',
      contentType: undefined,
      payload: forPage ? `_csrf=${csrf()}` : '{}',
    }),
    fc.uint8Array({ maxLength: 200 }).map((bytes): Sent => ({
      kind: 'binary',
      contentType: forPage ? 'application/x-www-form-urlencoded' : 'application/json',
      payload: Buffer.from(bytes),
    })),
    // JSON where a form is expected, a form where JSON is.
    fc.constant<Sent>(
      forPage
        ? {
            kind: 'JSON to a form',
            contentType: 'application/json',
            payload: JSON.stringify({ _csrf: csrf(), [field]: ['x'] }),
          }
        : {
            kind: 'a form to the API',
            contentType: 'application/x-www-form-urlencoded',
            payload: `${field}=x&__proto__=1`,
          },
    ),
    fc
      .constantFrom(...RAW_JSON)
      .map((payload): Sent => ({ kind: 'broken JSON', contentType: 'application/json', payload })),
    fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([value, cut]): Sent => {
      const text = JSON.stringify({ [field]: value, _csrf: csrf() })
      return {
        kind: 'truncated JSON',
        contentType: 'application/json',
        payload: text.slice(0, cut % text.length),
      }
    }),
    nested.map((payload): Sent => ({ kind: 'deeply nested JSON', contentType: 'application/json', payload })),
  )
}

async function send(who: Person, target: Target, body: Sent, isApi: boolean): Promise<Reply> {
  const headers: Record<string, string> = {}
  if (isApi && who.apiToken) headers.authorization = `Bearer ${who.apiToken}`
  if (!isApi) headers.cookie = `mh_session=${who.cookie}`
  if (body.contentType !== undefined) headers['content-type'] = body.contentType
  return t.app.inject({ method: target.method, url: target.url(), headers, payload: body.payload })
}

/** The words of the answer a person reads: the page's heading, message and error summary, or the API's messages. */
function messages(reply: Reply, isApi: boolean): string {
  if (isApi) {
    // The codes too: a framework's FST_ codes are its words as much as its messages are.
    const body = JSON.parse(reply.body) as { errors?: { code: string; message: string }[] }
    return (body.errors ?? []).map((e) => `${e.code}: ${e.message}`).join(' | ')
  }
  const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(reply.body)?.[1] ?? ''
  const body = /<p class="govuk-body">([\s\S]*?)<\/p>/.exec(reply.body)?.[1] ?? ''
  return [h1, body, ...errorSummary(reply.body).map((e) => e.text)].join(' | ')
}

function expectClear(reply: Reply, body: Sent, isApi: boolean): void {
  if (isApi) expectApi(reply)
  else expectPage(reply)
  if (reply.statusCode < 400) return
  const said = messages(reply, isApi)
  expect(said.trim(), `${body.kind}: the answer says what is wrong`).not.toBe('')
  for (const words of FRAMEWORK_WORDS)
    expect(said, `${body.kind}: the framework's own words`).not.toContain(words)
  if (reply.statusCode === 413) expect(said).toMatch(/1 MB/)
  if (!isApi) {
    expect(String(reply.headers['content-type'])).toMatch(/^text\/html/)
    expect(said, `${body.kind}: a page says more than "try again later"`).not.toMatch(
      /^[^|]*\| Try again later\.$/,
    )
  }
}

describe('bodies the service cannot or should not read', () => {
  it(
    'to the forms',
    async () => {
      const target = fc.constantFrom(...PAGES)
      const input = target.chain((tg) =>
        hostileBody(true, () => tg.as().csrf, tg.field).map((body) => ({ tg, body })),
      )
      await fc.assert(
        asyncProperty(input, async ({ tg, body }) => {
          const reply = await exchange(
            () => send(tg.as(), tg, body, false),
            (r) => expectClear(r, body, false),
          )
          if (body.kind.includes('over 1 MB')) expect(reply.statusCode).toBe(413)
        }),
        { numRuns: RUNS * 3 },
      )
    },
    TIMEOUT,
  )

  it(
    'to the API',
    async () => {
      const target = fc.constantFrom(...APIS)
      const input = target.chain((tg) => hostileBody(false, () => '', tg.field).map((body) => ({ tg, body })))
      await fc.assert(
        asyncProperty(input, async ({ tg, body }) => {
          const reply = await exchange(
            () => send(tg.as(), tg, body, true),
            (r) => expectClear(r, body, true),
          )
          if (body.kind.includes('over 1 MB')) expect(reply.statusCode).toBe(413)
          if (['broken JSON', 'truncated JSON', 'binary', 'no content type'].includes(body.kind)) {
            expect(reply.statusCode).toBeGreaterThanOrEqual(400)
          }
        }),
        { numRuns: RUNS * 3 },
      )
    },
    TIMEOUT,
  )

  it('an address the router cannot read is answered in words, not the framework’s', async () => {
    for (const [url, isApi] of [
      ['/applications/%zz', false],
      ['/api/v1/applications/%zz', true],
      ['/schools/%E0%A4%A', false],
    ] as const) {
      const reply = await t.app.inject({
        method: 'GET',
        url,
        headers: { cookie: `mh_session=${people.teacher.cookie}` },
      })
      expect(reply.statusCode, url).toBe(400)
      const said = messages(reply, isApi)
      for (const words of FRAMEWORK_WORDS) expect(said, url).not.toContain(words)
      expect(said, url).toMatch(/address/)
    }
  })
})
