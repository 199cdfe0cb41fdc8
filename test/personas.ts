// Signed-in test clients for each demo persona: a session cookie with a known CSRF token for the
// pages, and an API token carrying the persona's grant for the API.
import { randomBytes } from 'node:crypto'
import { DEMO_PERSONAS } from '../src/db/seeds/demo-people.ts'
import { hashSecret } from '../src/domain/auth/tokens.ts'
import type { Executor } from '../src/db/database.ts'
import type { TestApp } from './app.ts'

export const PERSONAS = {
  anonymous: null,
  nationalAdmin: 'nadia.khan@ncetm.example',
  nationalViewer: 'oliver.grant@ncetm.example',
  hubLead: 'priya.shah@northvale.mathshub.example',
  hubAdmin: 'tom.evans@northvale.mathshub.example',
  reviewer: 'grace.lee@northvale.mathshub.example',
  otherHubLead: 'ruth.okafor@riverside.mathshub.example',
  specialist: 'sam.carter@school.example',
  headteacher: 'helen.morris@school.example',
  teacher: 'amir.hussain@school.example',
  advocate: 'chloe.wright@school.example',
} as const

export type PersonaName = keyof typeof PERSONAS
export const PERSONA_NAMES = Object.keys(PERSONAS) as PersonaName[]

export interface Client {
  persona: PersonaName
  personId: number | null
  cookie: string | null
  csrf: string
  apiToken: string | null
}

/** A session an hour long from `now`, for the person (or nobody): its cookie and CSRF token. */
export async function openSession(
  db: Executor,
  personId: number | null,
  now: Date,
): Promise<{ cookie: string; csrf: string }> {
  const cookie = randomBytes(24).toString('base64url')
  const csrf = randomBytes(24).toString('base64url')
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashSecret(cookie),
      person_id: personId,
      csrf_token: csrf,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + 3_600_000),
    })
    .execute()
  return { cookie, csrf }
}

/** An API token acting with one of the person's grants. */
export async function issueApiToken(
  db: Executor,
  personId: number,
  grantId: number,
  now: Date,
): Promise<string> {
  const apiToken = `mh_${randomBytes(24).toString('base64url')}`
  await db
    .insertInto('api_tokens')
    .values({
      person_id: personId,
      name: 'test',
      token_hash: hashSecret(apiToken),
      token_prefix: apiToken.slice(0, 10),
      grant_id: grantId,
      created_at: now,
    })
    .execute()
  return apiToken
}

export async function signInPersonas(t: TestApp): Promise<Record<PersonaName, Client>> {
  const db = t.database.db
  const now = t.clock.now()
  const clients = {} as Record<PersonaName, Client>
  for (const persona of PERSONA_NAMES) {
    const email = PERSONAS[persona]
    if (email === null) {
      clients[persona] = { persona, personId: null, ...(await openSession(db, null, now)), apiToken: null }
      continue
    }
    if (!DEMO_PERSONAS.some((p) => p.email === email)) throw new Error(`${email} is not a demo persona`)
    const person = await db
      .selectFrom('people')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    const grant = await db
      .selectFrom('grants')
      .select('id')
      .where('person_id', '=', person.id)
      .executeTakeFirstOrThrow()
    const session = await openSession(db, person.id, now)
    const apiToken = await issueApiToken(db, person.id, grant.id, now)
    clients[persona] = { persona, personId: person.id, ...session, apiToken }
  }
  return clients
}

/** Requests a page or API route as the client, adding the cookie (pages) or token (API). */
export async function request(
  t: TestApp,
  client: Client,
  method: string,
  url: string,
  body?: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
) {
  const api = url.startsWith('/api/')
  const headers: Record<string, string> = { ...extraHeaders }
  if (api && client.apiToken) headers.authorization = `Bearer ${client.apiToken}`
  if (!api && client.cookie) headers.cookie = `mh_session=${client.cookie}`
  let payload: string | undefined
  if (body) {
    if (api) {
      headers['content-type'] = 'application/json'
      payload = JSON.stringify(body)
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      payload = new URLSearchParams({
        _csrf: client.csrf,
        ...Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])),
      }).toString()
    }
  } else if (method === 'POST' && !api) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    payload = new URLSearchParams({ _csrf: client.csrf }).toString()
  }
  return t.app.inject({ method: method as 'GET', url, headers, payload })
}
