// Hostile input to people, roles, API tokens, hubs and the audit trail, in pages and the API, and
// to the data protection pages: a valid form with one part hostile (so the request gets as far as
// it can), numbers too big for the database, repeated and unknown fields; sent by someone who may
// (and, where cheap, someone who may not: answered "not found"). No 5xx, a refusal says what is
// wrong and changes nothing, and "go back to" addresses never leave the site.
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hostileJson, hostilePathSegment, hostileString } from '../hostile-arbitraries.ts'
import type { PersonaName } from '../personas.ts'
import {
  api,
  asyncProperty,
  exchange,
  expectApi,
  expectPage,
  finishShare,
  formFields,
  formWithOneHostile,
  hostileValue,
  jsonBody,
  jsonObject,
  newTeacher,
  NUMBERISH,
  objectWithOneHostile,
  openHostileApp,
  page,
  personas,
  query,
  sometimes,
  t,
  type Person,
} from './harness.ts'

const RUNS = 110
const TIMEOUT = 300_000
const HUB = 'northvale-maths-hub'
/** Someone who may not: "not found", or 400 or 414 when the router cannot read the address at all. */
const REFUSED_UNSEEN = [400, 404, 414]

let people: Record<PersonaName, Person>
let grace: number
let leadGrant: number

beforeAll(async () => {
  await openHostileApp()
  people = await personas()
  const row = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', 'grace.lee@northvale.mathshub.example')
    .executeTakeFirstOrThrow()
  grace = row.id
  const grant = await t.database.db
    .selectFrom('grants')
    .select('id')
    .where('person_id', '=', people.hubLead.personId!)
    .executeTakeFirstOrThrow()
  leadGrant = grant.id
}, TIMEOUT)

afterAll(async () => {
  await t?.close()
  await finishShare('people-and-hubs')
})

const email = () => fc.uuid().map((u) => `new-${u}@school.example`)
const urnish = fc.oneof(
  fc.constantFrom('990001', '990002', '100000', '99999999', '0'),
  fc.constantFrom(...NUMBERISH),
)

async function reviewerGrant(): Promise<number> {
  const person = await t.database.db
    .insertInto('people')
    .values({ name: 'Rhea Reviewer', email: `reviewer-${randomUUID()}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const grant = await t.database.db
    .insertInto('grants')
    .values({ person_id: person.id, role: 'reviewer', hub_id: HUB })
    .returning('id')
    .executeTakeFirstOrThrow()
  return grant.id
}

describe('people and roles, in pages', () => {
  it(
    'POST /account/api-tokens {name, grantId}',
    async () => {
      const form = fc.oneof(
        formWithOneHostile({ name: 'Hub reporting system', grantId: 'GRANT' }),
        formFields({ name: sometimes(fc.constant('Reports')), grantId: sometimes(urnish) }),
      )
      await fc.assert(
        asyncProperty(form, async (fields) => {
          const filled = fields.map(([k, v]): [string, string] => [k, v === 'GRANT' ? String(leadGrant) : v])
          await exchange(() => page(people.hubLead, 'POST', '/account/api-tokens', filled), expectPage)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /hubs/:id/team {email, name, role, workplaceUrn}, by its lead and by another hub’s',
    async () => {
      const who = fc.constantFrom(
        people.hubLead,
        people.hubLead,
        people.hubLead,
        people.otherHubLead,
        people.teacher,
      )
      const form = fc.oneof(
        email().chain((e) =>
          formWithOneHostile({ email: e, name: 'Rhea Reviewer', role: 'reviewer', workplaceUrn: '990001' }),
        ),
        formFields({
          email: sometimes(email()),
          name: sometimes(fc.constant('Rhea Reviewer')),
          role: sometimes(fc.constantFrom('reviewer', 'hub-admin', 'hub-lead', 'national-admin')),
          workplaceUrn: sometimes(urnish),
        }),
      )
      await fc.assert(
        asyncProperty(who, form, async (client, fields) => {
          const reply = await exchange(() => page(client, 'POST', `/hubs/${HUB}/team`, fields), expectPage)
          if (client !== people.hubLead) expect(REFUSED_UNSEEN).toContain(reply.statusCode)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /admin/people/new and /people/:id/grants {email, name, role, hubId, schoolUrn}',
    async () => {
      const roleForm = fc.oneof(
        email().chain((e) =>
          formWithOneHostile({ email: e, name: 'Hana Head', role: 'headteacher', schoolUrn: '990002' }),
        ),
        email().chain((e) => formWithOneHostile({ email: e, role: 'hub-admin', hubId: HUB })),
        formFields({
          email: sometimes(email()),
          role: sometimes(fc.constantFrom('headteacher', 'hub-lead', 'teacher', 'national-viewer')),
          hubId: sometimes(fc.constantFrom(HUB, 'no-such-hub')),
          schoolUrn: sometimes(urnish),
        }),
      )
      const target = fc.constantFrom('/admin/people/new', 'GRACE')
      const who = fc.constantFrom(
        people.nationalAdmin,
        people.nationalAdmin,
        people.nationalAdmin,
        people.hubLead,
      )
      await fc.assert(
        asyncProperty(who, target, roleForm, async (client, to, fields) => {
          const url = to === 'GRACE' ? `/people/${grace}/grants` : to
          const reply = await exchange(() => page(client, 'POST', url, fields), expectPage)
          if (client === people.hubLead) expect(REFUSED_UNSEEN).toContain(reply.statusCode)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /grants/:id/revoke {next}: the way back never leaves the site',
    async () => {
      const next = fc.oneof(
        fc.constantFrom(
          '//evil.example',
          'https://evil.example',
          '/\\evil.example',
          '/account',
          '/people/1',
          '\\\\evil',
          'javascript:alert(1)',
        ),
        hostileString,
      )
      await fc.assert(
        asyncProperty(next, fc.boolean(), async (to, real) => {
          const id = real ? String(await reviewerGrant()) : '2147483647'
          const reply = await exchange(
            () => page(people.nationalAdmin, 'POST', `/grants/${id}/revoke`, [['next', to]]),
            expectPage,
          )
          if (reply.statusCode === 303) {
            const location = String(reply.headers.location)
            expect(location).toMatch(/^\/(?![/\\])/)
          }
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /admin/hubs/:id {name, contactEmail, contactPhone, website} and /admin/hubs/:id/areas {laCode}',
    async () => {
      const details = formWithOneHostile({
        name: 'Northvale Maths Hub',
        contactEmail: 'northvale@mathshub.example',
        contactPhone: '01632 960 001',
        website: 'https://northvale.example',
      })
      const form = fc.oneof(
        details.map((fields) => ({ url: `/admin/hubs/${HUB}`, fields })),
        formFields({ laCode: sometimes(fc.constantFrom('886', '953', '958', '000')) }).map((fields) => ({
          url: `/admin/hubs/${HUB}/areas`,
          fields,
        })),
        fc.tuple(hostilePathSegment, formFields({})).map(([la, fields]) => ({
          url: `/admin/hubs/${HUB}/areas/${la}/remove`,
          fields,
        })),
      )
      const who = fc.constantFrom(people.nationalAdmin, people.nationalAdmin, people.hubLead)
      await fc.assert(
        asyncProperty(who, form, async (client, { url, fields }) => {
          const reply = await exchange(() => page(client, 'POST', url, fields), expectPage)
          if (client === people.hubLead) expect(REFUSED_UNSEEN).toContain(reply.statusCode)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'GET /admin/audit and /api/v1/audit ?person=&recordType=&recordId=&from=&to=',
    async () => {
      const q = formFields({
        person: sometimes(fc.constantFrom('nadia.khan@ncetm.example', 'nobody@school.example')),
        recordType: sometimes(fc.constantFrom('person', 'grant', 'application', 'hub')),
        recordId: sometimes(fc.constantFrom('1', '42', 'northvale-maths-hub')),
        from: sometimes(fc.constantFrom('2026-11-01', '2026-02-30', '01/11/2026', '2026-13-01')),
        to: sometimes(fc.constantFrom('2026-11-30', '9999-12-31', '0000-01-01')),
      })
      await fc.assert(
        asyncProperty(q, fc.boolean(), async (pairs, isApi) => {
          const client = people.nationalAdmin
          if (isApi) await exchange(() => api(client, 'GET', `/api/v1/audit${query(pairs)}`), expectApi)
          else await exchange(() => page(client, 'GET', `/admin/audit${query(pairs)}`), expectPage)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'GET /admin/people?q= and POST /people/:id/erase {confirm}',
    async () => {
      const input = fc.oneof(
        formFields({ q: sometimes(fc.constantFrom('grace', 'school.example', '%', '_')) }).map((q) => ({
          kind: 'search' as const,
          fields: q,
        })),
        formFields({ confirm: fc.oneof(hostileValue, fc.constantFrom('no', 'true', 'YES', ' yes')) }).map(
          (fields) => ({
            kind: 'erase' as const,
            fields,
          }),
        ),
      )
      const who = fc.constantFrom(people.nationalAdmin, people.nationalAdmin, people.hubLead)
      await fc.assert(
        asyncProperty(who, input, async (client, { kind, fields }) => {
          if (kind === 'search') {
            await exchange(() => page(client, 'GET', `/admin/people${query(fields)}`), expectPage)
            return
          }
          const victim = await newTeacher()
          const reply = await exchange(
            () => page(client, 'POST', `/people/${victim.personId}/erase`, fields),
            expectPage,
          )
          if (client === people.hubLead) expect(REFUSED_UNSEEN).toContain(reply.statusCode)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )
})

describe('changing a person’s details', () => {
  it(
    'POST /people/:id/edit {name, workplaceUrn, trn}, by the hub lead and by those who may not',
    async () => {
      const person = (
        await t.database.db
          .selectFrom('grants')
          .select('person_id')
          .where('id', '=', await reviewerGrant())
          .executeTakeFirstOrThrow()
      ).person_id
      const who = fc.constantFrom(
        people.hubLead,
        people.hubLead,
        people.hubLead,
        people.otherHubLead,
        people.hubAdmin,
      )
      const form = fc.oneof(
        formWithOneHostile({ name: 'Rhea Reviewer', workplaceUrn: '990001', trn: '1234567' }),
        formFields({
          name: sometimes(fc.constant('Rhea Reviewer')),
          workplaceUrn: sometimes(urnish),
          trn: sometimes(fc.constantFrom('1234567', '', '12 34 567', '123456789')),
        }),
      )
      const target = fc.oneof(
        { weight: 4, arbitrary: fc.constant(String(person)) },
        { weight: 1, arbitrary: hostilePathSegment },
      )
      await fc.assert(
        asyncProperty(who, target, form, async (client, id, fields) => {
          const reply = await exchange(() => page(client, 'POST', `/people/${id}/edit`, fields), expectPage)
          if (client !== people.hubLead) expect(REFUSED_UNSEEN).toContain(reply.statusCode)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'PATCH /api/v1/people/:id {name, workplaceUrn, trn, email}',
    async () => {
      const person = (
        await t.database.db
          .selectFrom('grants')
          .select('person_id')
          .where('id', '=', await reviewerGrant())
          .executeTakeFirstOrThrow()
      ).person_id
      const body = fc.oneof(
        objectWithOneHostile({ name: 'Rhea Reviewer', workplaceUrn: 990_001, trn: '1234567' }),
        jsonObject({
          name: sometimes(fc.constant('Rhea Reviewer')),
          workplaceUrn: fc.oneof(
            fc.constant(null),
            fc.integer(),
            fc.double(),
            fc.constantFrom(2 ** 31, 2 ** 53 + 1, -1, 1e308),
          ),
          trn: fc.oneof(fc.constant(null), fc.constantFrom('1234567', '123'), hostileString),
          email: sometimes(email()),
        }),
      )
      const target = fc.oneof(
        { weight: 4, arbitrary: fc.constant(String(person)) },
        { weight: 1, arbitrary: hostilePathSegment },
      )
      const who = fc.constantFrom(
        people.hubLead,
        people.hubLead,
        people.hubLead,
        people.otherHubLead,
        people.anonymous,
      )
      await fc.assert(
        asyncProperty(who, target, jsonBody(body), async (client, id, sent) => {
          await exchange(() => api(client, 'PATCH', `/api/v1/people/${id}`, sent), expectApi)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )
})

describe('people and roles, in the API', () => {
  it(
    'POST /api/v1/hubs/:id/team {email, name, role, workplaceUrn}',
    async () => {
      const body = fc.oneof(
        email().chain((e) =>
          objectWithOneHostile({ email: e, name: 'Rhea Reviewer', role: 'reviewer', workplaceUrn: 990_001 }),
        ),
        jsonObject({
          email: sometimes(email()),
          name: sometimes(fc.constant('Rhea Reviewer')),
          role: fc.constantFrom('reviewer', 'hub-admin', 'teacher'),
          workplaceUrn: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 31, 2 ** 53 + 1, -1, 1e308)),
        }),
      )
      const target = fc.oneof(
        { weight: 4, arbitrary: fc.constant(HUB) },
        { weight: 1, arbitrary: hostilePathSegment },
      )
      const who = fc.constantFrom(
        people.hubLead,
        people.hubLead,
        people.hubLead,
        people.otherHubLead,
        people.anonymous,
      )
      await fc.assert(
        asyncProperty(who, target, jsonBody(body), async (client, hub, sent) => {
          await exchange(() => api(client, 'POST', `/api/v1/hubs/${hub}/team`, sent), expectApi)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'DELETE /api/v1/grants/:id, GET /api/v1/people/:id and its subject access, POST its erasure',
    async () => {
      const id = fc.oneof(hostilePathSegment, fc.constantFrom('GRACE', '2147483647', '2147483648'))
      const route = fc.constantFrom(
        ['DELETE', '/api/v1/grants/:id'] as const,
        ['GET', '/api/v1/people/:id'] as const,
        ['GET', '/api/v1/people/:id/subject-access'] as const,
        ['POST', '/api/v1/people/:id/erasure'] as const,
        ['GET', '/api/v1/hubs/:id/team'] as const,
        ['GET', '/api/v1/schools/:id/people'] as const,
      )
      const body = jsonBody(
        jsonObject({ confirm: fc.oneof(fc.constant(false), fc.constant('true'), hostileJson) }),
      )
      const who = fc.constantFrom(people.hubLead, people.nationalAdmin, people.teacher)
      await fc.assert(
        asyncProperty(who, route, id, body, async (client, [method, template], to, sent) => {
          // A real record: Grace to read; a fresh grant to take away, a fresh person to erase.
          let real = String(grace)
          if (method === 'DELETE') real = String(await reviewerGrant())
          if (method === 'POST') real = String((await newTeacher()).personId)
          const url = template.replace(':id', to === 'GRACE' ? real : to)
          await exchange(() => api(client, method, url, method === 'GET' ? undefined : sent), expectApi)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )
})
