// The API is decided by the route a request reaches, not by how its address is spelled: a session
// cookie never signs anyone in to an API route, whatever the percent-encoding, slashes or case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { signInPersonas, type Client, type PersonaName } from './personas.ts'

let t: TestApp
let people: Record<PersonaName, Client>

beforeAll(async () => {
  t = await createTestApp()
  people = await signInPersonas(t)
}, 180_000)

afterAll(async () => {
  await t?.close()
})

/** The same address, spelled the ways a router may read as the same route (or as none). */
function spellings(path: string): string[] {
  const rest = path.slice('/api/'.length)
  return [
    path,
    `/%61pi/${rest}`,
    `/%61%70%69/${rest}`,
    `/%41%50%49/${rest}`,
    `/api%2F${rest}`,
    `/ap%69/${rest.replace(/v1/, '%761')}`,
    `//api/${rest}`,
    `/api//${rest}`,
    `/./api/${rest}`,
    `/API/${rest}`,
    `/Api/${rest}`,
    `${path}/`,
    `${path}?x=1`,
  ]
}

describe('API routes and session cookies', () => {
  it('a session cookie is never taken for the person on GET /api/v1/me, however it is spelled', async () => {
    for (const url of spellings('/api/v1/me')) {
      const reply = await t.app.inject({
        method: 'GET',
        url,
        headers: { cookie: `mh_session=${people.teacher.cookie}` },
      })
      expect([401, 404], `${url}: ${reply.statusCode} ${reply.body.slice(0, 200)}`).toContain(
        reply.statusCode,
      )
      expect(reply.body).not.toContain('amir.hussain@school.example')
    }
  })

  it('a session cookie never exports anyone’s personal data through the API, however it is spelled', async () => {
    const subject = people.teacher.personId!
    for (const url of spellings(`/api/v1/people/${subject}/subject-access`)) {
      const reply = await t.app.inject({
        method: 'GET',
        url,
        headers: { cookie: `mh_session=${people.nationalAdmin.cookie}` },
      })
      expect([401, 404], `${url}: ${reply.statusCode} ${reply.body.slice(0, 200)}`).toContain(
        reply.statusCode,
      )
      expect(reply.body).not.toContain('masteryhub-personal-data')
    }
  })

  it('answers an API route reached by another spelling as the API: JSON, 401 without a token', async () => {
    const reply = await t.app.inject({
      method: 'POST',
      url: '/%61pi/v1/applications',
      headers: { cookie: `mh_session=${people.teacher.cookie}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ cohortId: 'primary-mastery-specialist-13' }),
    })
    expect(reply.statusCode).toBe(401)
    expect(reply.headers['content-type']).toMatch(/^application\/json/)
  })

  it('an API token still works on an API route spelled another way, and a cookie on a page', async () => {
    const api = await t.app.inject({
      method: 'GET',
      url: '/%61pi/v1/me',
      headers: { authorization: `Bearer ${people.teacher.apiToken}` },
    })
    expect(api.statusCode).toBe(200)
    expect(JSON.parse(api.body)).toMatchObject({ email: 'amir.hussain@school.example' })
    const page = await t.app.inject({
      method: 'GET',
      url: '/%61ccount',
      headers: { cookie: `mh_session=${people.teacher.cookie}` },
    })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('amir.hussain@school.example')
  })

  it('answers an unknown address that reads as the API with the API’s JSON 404', async () => {
    for (const url of ['/api/v1/nothing-here', '/%61pi/v1/nothing-here', '//api/v1/nothing-here']) {
      const reply = await t.app.inject({ method: 'GET', url })
      expect(reply.statusCode, url).toBe(404)
      expect(reply.headers['content-type'], url).toMatch(/^application\/json/)
    }
  })
})
