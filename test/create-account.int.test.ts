// Creating an account to apply: a teacher role and an emailed sign-in link; the same answer
// whether or not the address had an account; refusals name the field and create nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, type Client } from './personas.ts'

let t: TestApp
let anonymous: Client

beforeAll(async () => {
  t = await createTestApp()
  anonymous = (await signInPersonas(t)).anonymous
})
afterAll(async () => {
  await t?.close()
})

async function peopleWith(email: string) {
  return t.database.db
    .selectFrom('people as p')
    .leftJoin('grants as g', 'g.person_id', 'p.id')
    .select(['p.id', 'p.name', 'g.role'])
    .where((eb) => eb(eb.fn('lower', ['p.email']), '=', email.toLowerCase()))
    .execute()
}

describe('create an account', () => {
  it('shows the form with one heading', async () => {
    const page = await request(t, anonymous, 'GET', '/create-account')
    expect(page.statusCode).toBe(200)
    expect(page.body.match(/<h1/g)).toHaveLength(1)
  })

  it('makes a teacher and emails a sign-in link that signs them in', async () => {
    const response = await request(t, anonymous, 'POST', '/create-account', {
      name: 'Jo Bloggs',
      email: 'jo.bloggs@school.example',
    })
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe('/sign-in/check-your-email')
    expect(await peopleWith('jo.bloggs@school.example')).toEqual([
      expect.objectContaining({ name: 'Jo Bloggs', role: 'teacher' }),
    ])
    const email = await t.database.db
      .selectFrom('outbox')
      .select('body_text')
      .where('to_address', '=', 'jo.bloggs@school.example')
      .executeTakeFirstOrThrow()
    const token = /\/sign-in\/link\/([A-Za-z0-9_-]+)/.exec(email.body_text)![1]!
    // Signing in replaces the session, so the link is used from a session of its own.
    const visitor = (await signInPersonas(t)).anonymous
    const used = await request(t, visitor, 'POST', `/sign-in/link/${token}`)
    expect(used.statusCode).toBe(303)
  })

  it('answers the same for an address that has an account, and makes no second person', async () => {
    const response = await request(t, anonymous, 'POST', '/create-account', {
      name: 'Someone Else',
      email: 'AMIR.HUSSAIN@school.example',
    })
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe('/sign-in/check-your-email')
    const amir = await peopleWith('amir.hussain@school.example')
    expect(amir.map((p) => p.name)).toEqual(['Amir Hussain'])
  })

  it('refuses bad input, naming the field, escaping what was typed, creating nothing', async () => {
    const before = await t.database.db.selectFrom('people').select('id').execute()
    const response = await request(t, anonymous, 'POST', '/create-account', {
      name: '<script>alert(1)</script>',
      email: 'not an email',
    })
    expect(response.statusCode).toBe(422)
    expect(response.body).toContain('govuk-error-summary')
    expect(response.body).toContain('href="#name"')
    expect(response.body).toContain('href="#email"')
    expect(response.body).not.toContain('<script>alert(1)</script>')
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(await t.database.db.selectFrom('people').select('id').execute()).toHaveLength(before.length)
  })

  it('refuses a name containing a web address, creating nothing and sending nothing', async () => {
    for (const name of [
      'Win a prize at http://prize.example',
      'Visit www.prize.example',
      'prize.example/claim',
    ]) {
      const response = await request(t, anonymous, 'POST', '/create-account', {
        name,
        email: 'stranger@elsewhere.example',
      })
      expect(response.statusCode).toBe(422)
      expect(response.body).toContain('Enter a name without a web address')
      expect(response.body).toContain('href="#name"')
    }
    expect(await peopleWith('stranger@elsewhere.example')).toEqual([])
    const emails = await t.database.db
      .selectFrom('outbox')
      .select('id')
      .where('to_address', '=', 'stranger@elsewhere.example')
      .execute()
    expect(emails).toEqual([])
  })
})
