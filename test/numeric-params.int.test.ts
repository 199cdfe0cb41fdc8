// Numbers in API paths and queries, through the real app: a whole number the register or a table
// could hold is looked up (and answered 404 when nothing has it); anything else is refused with 422
// and a message that says what the number must be, its range included, never "must be a whole
// number" for a number that is whole. Nothing out of the database's range reaches a query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

async function get(url: string, who: PersonaName = 'nationalAdmin') {
  const response = await request(t, clients[who], 'GET', url)
  return { status: response.statusCode, body: response.json() }
}

const URN_MESSAGE = 'URN must be a whole number from 1 to 999999999, like 100000'
const ID_MESSAGE = (label: string) => `${label} must be a whole number from 1 to 2147483647, like 42`

describe('URNs in the API', () => {
  it('looks up any URN the register can hold, and says there is no such school', async () => {
    expect(await get('/api/v1/schools/999999999', 'anonymous')).toEqual({
      status: 404,
      body: { errors: [{ code: 'not-found', message: 'No school in the register has URN 999999999.' }] },
    })
  })

  it.each(['9999999999', '0', '-1', '1.5', 'abc', '99999999999999999999'])(
    'refuses the URN %j, saying what a URN is',
    async (urn) => {
      const { status, body } = await get(`/api/v1/schools/${urn}`, 'anonymous')
      expect(status).toBe(422)
      expect(body.errors).toEqual([{ code: 'invalid', field: 'urn', message: URN_MESSAGE }])
    },
  )

  it('says the same of the URN of a school’s people and of the eligibility check', async () => {
    expect((await get('/api/v1/schools/999999999/people')).status).toBe(404)
    const people = await get('/api/v1/schools/9999999999/people')
    expect(people.status).toBe(422)
    expect(people.body.errors).toEqual([{ code: 'invalid', field: 'urn', message: URN_MESSAGE }])
    const unknown = await get(
      '/api/v1/eligibility?urn=999999999&programme=primary-mastery-specialist',
      'anonymous',
    )
    expect(unknown.status).toBe(200)
    expect(unknown.body.reasons).toMatchObject([{ code: 'school-not-found' }])
    const tooLong = await get(
      '/api/v1/eligibility?urn=9999999999&programme=primary-mastery-specialist',
      'anonymous',
    )
    expect(tooLong.status).toBe(422)
    expect(tooLong.body.errors).toEqual([{ code: 'invalid', field: 'urn', message: URN_MESSAGE }])
  })
})

describe('record ids in the API', () => {
  it.each([
    ['/api/v1/applications/%s', 'Application id'],
    ['/api/v1/applications/%s/reviews', 'Application id'],
    ['/api/v1/applications/%s/decision', 'Application id'],
    ['/api/v1/people/%s', 'Person id'],
    ['/api/v1/people/%s/subject-access', 'Person id'],
  ])(
    '%s: the largest id is looked up; past it, or not whole, is refused naming the range',
    async (path, label) => {
      expect((await get(path.replace('%s', '2147483647'))).status).toBe(404)
      for (const id of ['2147483648', '99999999999', '0', '-3', '2.5', 'abc']) {
        const { status, body } = await get(path.replace('%s', id))
        expect(status, id).toBe(422)
        expect(body.errors, id).toEqual([{ code: 'invalid', field: 'id', message: ID_MESSAGE(label) }])
      }
    },
  )

  it('refuses a grant id past the range, naming it, before anything is taken away', async () => {
    const response = await request(t, clients.nationalAdmin, 'DELETE', '/api/v1/grants/2147483648')
    expect(response.statusCode).toBe(422)
    expect(response.json().errors).toEqual([
      { code: 'invalid', field: 'id', message: ID_MESSAGE('Grant id') },
    ])
  })
})
