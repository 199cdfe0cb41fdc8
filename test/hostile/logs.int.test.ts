// What the service logs, after requests that handle every kind of secret: sign-in links asked for
// and opened, accounts made, "tell me when it opens" sign-ups, endorsement links and place links
// opened and answered, API tokens made and sent (right and wrong), team additions racing on one
// address, and input the database refuses (NUL, numbers too big). The log must name no address of
// anyone (seeded, demo or sent), no single-use token, API token or session cookie, and no database
// detail (SQLSTATE, "Key (email)=(…)", DETAIL). Every other hostile file checks its own log the
// same way when it ends (finishShare in harness.ts).
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actorByEmail, roundAt } from '../decision-fixtures.ts'
import { PERSONAS } from '../personas.ts'
import {
  api,
  askHeadteacher,
  completed,
  countInputs,
  finishShare,
  freshVisitor,
  logLines,
  logProblems,
  newTeacher,
  noteSecret,
  OPEN_COHORT,
  openHostileApp,
  page,
  personas,
  t,
  type Person,
  type Reply,
} from './harness.ts'

const TIMEOUT = 300_000
const HUB = 'northvale-maths-hub'
const UPCOMING_COHORT = 'embedding-work-group-3'

let people: Awaited<ReturnType<typeof personas>>
const sent: Reply[] = []

beforeAll(async () => {
  await openHostileApp()
  people = await personas()
  for (const email of Object.values(PERSONAS)) noteSecret('email', email)
}, TIMEOUT)

afterAll(async () => {
  await t?.close()
  await finishShare('logs')
})

async function note(reply: Promise<Reply>): Promise<Reply> {
  const r = await reply
  sent.push(r)
  countInputs(1)
  return r
}

async function emailedToken(to: string, path: string): Promise<string> {
  const mail = await t.database.db
    .selectFrom('outbox')
    .select('body_text')
    .where('to_address', '=', to)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const token = new RegExp(`/${path}/([A-Za-z0-9_-]+)`).exec(mail.body_text)?.[1]
  expect(token, `an email to ${to} with a /${path}/ link`).toBeDefined()
  noteSecret('token', token)
  return token!
}

async function emailOf(person: Person): Promise<string> {
  const row = await t.database.db
    .selectFrom('people')
    .select('email')
    .where('id', '=', person.personId!)
    .executeTakeFirstOrThrow()
  noteSecret('email', row.email)
  return row.email
}

describe('what the service logs', () => {
  it(
    'handles every kind of secret: links asked for and opened, accounts, tokens, racing additions',
    async () => {
      // Sign-in links, for a demo persona and for an address with no account, opened and used.
      const visitor = await freshVisitor()
      const demo = PERSONAS.teacher
      await note(page(visitor, 'POST', '/sign-in', [['email', demo]]))
      await note(page(visitor, 'POST', '/sign-in', [['email', `nobody-${randomUUID()}@school.example`]]))
      const signIn = await emailedToken(demo, 'sign-in/link')
      const opener = await freshVisitor()
      await note(page(opener, 'GET', `/sign-in/link/${signIn}`))
      const used = await note(page(opener, 'POST', `/sign-in/link/${signIn}`))
      for (const c of [used.headers['set-cookie']].flat()) {
        const value = /mh_session=([^;]+)/.exec(String(c ?? ''))?.[1]
        noteSecret('token', value)
      }
      await note(page(await freshVisitor(), 'POST', `/sign-in/link/${signIn}`))

      // An account and a "tell me when it opens" sign-up.
      const newcomer = `newcomer-${randomUUID()}@school.example`
      noteSecret('email', newcomer)
      await note(
        page(await freshVisitor(), 'POST', '/create-account', [
          ['name', 'Nia Newcomer'],
          ['email', newcomer],
        ]),
      )
      const interested = `interested-${randomUUID()}@school.example`
      noteSecret('email', interested)
      await note(
        page(await freshVisitor(), 'POST', `/cohorts/${UPCOMING_COHORT}/interest`, [['email', interested]]),
      )

      // An endorsement link, opened and answered, then opened again.
      const teacher = await newTeacher()
      await emailOf(teacher)
      const endorse = await askHeadteacher(teacher, await completed(teacher))
      noteSecret('token', endorse)
      await note(page(await freshVisitor(), 'GET', `/endorse/${endorse}`))
      await note(page(await freshVisitor(), 'POST', `/endorse/${endorse}`, [['decision', 'confirm']]))
      await note(page(await freshVisitor(), 'GET', `/endorse/${endorse}`))

      // A hub asking a headteacher to confirm an application: the link opened, answered, opened again.
      const unverified = (await roundAt(t.database.db, t.clock, 'reviewing', { number: 701 })).reserve.id
      await t.database.db
        .updateTable('applications')
        .set({ headteacher_verification: null })
        .where('id', '=', unverified)
        .execute()
      const checkedHead = `checked-head-${randomUUID()}@school.example`
      noteSecret('email', checkedHead)
      await note(
        page(people.hubLead, 'POST', `/applications/${unverified}/ask-headteacher`, [
          ['name', 'Kim Checked'],
          ['email', checkedHead],
        ]),
      )
      const asked = await t.database.db
        .selectFrom('outbox')
        .select('body_text')
        .where('to_address', '=', checkedHead)
        .executeTakeFirstOrThrow()
      const confirm = /\/confirm-headteacher\/([A-Za-z0-9_-]+)/.exec(asked.body_text)![1]!
      noteSecret('token', confirm)
      await note(page(await freshVisitor(), 'GET', `/confirm-headteacher/${confirm}`))
      await note(
        page(await freshVisitor(), 'POST', `/confirm-headteacher/${confirm}`, [['answer', 'confirmed']]),
      )
      await note(page(await freshVisitor(), 'GET', `/confirm-headteacher/${confirm}`))

      // A place link, opened and answered.
      const offered = await newTeacher()
      const round = await roundAt(t.database.db, t.clock, 'released', {
        number: 700,
        applicant: await actorByEmail(t.database.db, await emailOf(offered)),
      })
      noteSecret('token', round.placeToken)
      await note(page(await freshVisitor(), 'GET', `/places/${round.placeToken}`))
      await note(page(await freshVisitor(), 'POST', `/places/${round.placeToken}`, [['decision', 'accept']]))
      await note(page(offered, 'GET', `/applications/${round.selected.id}/offer`))

      // An API token made on its page, then used; and a wrong one.
      const grant = await t.database.db
        .selectFrom('grants')
        .select('id')
        .where('person_id', '=', people.hubLead.personId!)
        .executeTakeFirstOrThrow()
      const made = await note(
        page(people.hubLead, 'POST', '/account/api-tokens', [
          ['name', 'logs check'],
          ['grantId', String(grant.id)],
        ]),
      )
      const shown = /mh_[A-Za-z0-9_-]{20,}/.exec(made.body)?.[0]
      noteSecret('token', shown)
      const bearer = { ...people.hubLead, apiToken: shown ?? people.hubLead.apiToken }
      await note(api(bearer, 'GET', '/api/v1/me'))
      await note(api({ ...bearer, apiToken: `mh_${randomUUID().replaceAll('-', '')}` }, 'GET', '/api/v1/me'))

      // One new address added to a team six times at once, by page and by API.
      const racer = `racer-${randomUUID()}@school.example`
      noteSecret('email', racer)
      const json = { email: racer, name: 'Rhea Racer', role: 'reviewer', workplaceUrn: 990_001 }
      await Promise.all(
        Array.from({ length: 6 }, () =>
          note(api(people.hubLead, 'POST', `/api/v1/hubs/${HUB}/team`, { json })),
        ),
      )
      const pageRacer = `racer-${randomUUID()}@school.example`
      noteSecret('email', pageRacer)
      await Promise.all(
        Array.from({ length: 6 }, () =>
          note(
            page(people.hubLead, 'POST', `/hubs/${HUB}/team`, [
              ['email', pageRacer],
              ['name', 'Rhea Racer'],
              ['role', 'reviewer'],
              ['workplaceUrn', '990001'],
            ]),
          ),
        ),
      )
      // An address the service already has, added again.
      await note(
        api(people.hubLead, 'POST', `/api/v1/hubs/${HUB}/team`, {
          json: { ...json, email: PERSONAS.reviewer },
        }),
      )

      // Input the database refuses: NUL in a path, a field and a query; a number too big.
      await note(api(people.hubLead, 'GET', `/api/v1/hubs/${HUB}%00/team`))
      await note(api(people.nationalAdmin, 'GET', `/api/v1/people/99999999999`))
      await note(page(people.nationalAdmin, 'GET', `/admin/people?q=${encodeURIComponent('nadia\u0000')}`))
      await note(
        api(people.hubLead, 'POST', `/api/v1/hubs/${HUB}/team`, {
          json: { ...json, email: `nul\u0000${racer}`, name: 'N\u0000' },
        }),
      )
      await note(
        api(await newTeacher(), 'POST', '/api/v1/applications', {
          json: { cohortId: `${OPEN_COHORT}\u0000` },
        }),
      )
      expect(sent.length).toBeGreaterThan(20)
      expect(logLines.length, 'the service logged the requests').toBeGreaterThan(20)
    },
    TIMEOUT,
  )

  it('logged no address, no secret and no database detail', () => {
    const problems = logProblems()
    expect(problems.slice(0, 30), `${problems.length} of ${logLines.length} log lines leak`).toEqual([])
  })
})
