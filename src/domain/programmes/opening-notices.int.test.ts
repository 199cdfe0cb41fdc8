// "Tell me when it opens": an address counts as interested only once its owner follows the
// single-use link emailed to it (or, signed in, it is their own proven address). Each confirmed
// address is emailed once, when the window opens, however many processes run the job; nobody is
// emailed about a window that has closed; unconfirmed sign-ups expire; and one client (or one
// account, or one recipient) can ask only so often.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { loadDemo } from '../../db/seeds/demo.ts'
import { RateLimitedError } from '../../errors.ts'
import { fixedClock } from '../../lib/clock.ts'
import { actorForPerson } from '../access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../access/actor.ts'
import { clearExpiredRecords } from '../access/housekeeping.ts'
import {
  confirmInterest,
  INTEREST_CONFIRM_DAYS,
  INTEREST_LIMITS,
  registerInterest,
  sendOpeningNotices,
} from './opening-notices.ts'
import { findCohort } from './programmes.repository.ts'

const UPCOMING = 'embedding-work-group-3' // the demo's: opens some weeks after 22 November 2026
const NOW = '2026-11-22T10:00:00Z'
const clock = fixedClock(NOW)
let database: TestDatabase
let ip = 0

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
})
afterAll(async () => {
  await database?.destroy()
})
beforeEach(() => {
  clock.set(NOW)
})

const deps = () => ({ db: database.db, clock, baseUrl: 'https://masteryhub.example' })
const context = (actor: Actor = ANONYMOUS) => ({
  db: database.db,
  actor,
  clock,
  requestId: 'opening-notices-test',
  baseUrl: 'https://masteryhub.example',
})
/** A client address of its own for each sign-up, so only the limit under test is reached. */
const client = () => ({ ip: `198.51.100.${++ip % 250}` })

async function emailsTo(email: string, template: 'cohort-open' | 'cohort-interest-confirm') {
  return database.db
    .selectFrom('outbox')
    .select(['subject', 'body_text'])
    .where('template', '=', template)
    .where('to_address', '=', email)
    .execute()
}

async function confirmationToken(email: string): Promise<string> {
  const [email_] = (await emailsTo(email, 'cohort-interest-confirm')).slice(-1)
  const token = /\/cohort-interest\/([A-Za-z0-9_-]+)/.exec(email_?.body_text ?? '')?.[1]
  if (!token) throw new Error(`No confirmation link emailed to ${email}`)
  return token
}

async function interestRows(cohort = UPCOMING) {
  return database.db
    .selectFrom('cohort_interest')
    .select(['email', 'confirmed_at'])
    .where('cohort_id', '=', cohort)
    .orderBy('id')
    .execute()
}

describe('signing up', () => {
  it('emails a single-use link, and only a confirmed address is told when the window opens', async () => {
    const cohort = (await findCohort(database.db, UPCOMING))!
    await registerInterest(context(), UPCOMING, { email: 'keen@school.example' }, client())
    await registerInterest(context(), UPCOMING, { email: 'stranger@elsewhere.example' }, client())
    const [confirm] = await emailsTo('keen@school.example', 'cohort-interest-confirm')
    expect(confirm!.body_text).toContain('https://masteryhub.example/cohort-interest/')
    expect(confirm!.body_text).toContain('If you did not ask, ignore this email')
    const token = await confirmationToken('keen@school.example')
    expect(await confirmInterest(context(), token)).toBe('confirmed')
    expect(await confirmInterest(context(), token)).toBe('gone')

    clock.set(cohort.opensAt)
    expect(await sendOpeningNotices(deps())).toBe(1)
    expect(await emailsTo('keen@school.example', 'cohort-open')).toHaveLength(1)
    expect(await emailsTo('stranger@elsewhere.example', 'cohort-open')).toEqual([])
  })

  it('counts a signed-in person’s own address at once, with no email to confirm it', async () => {
    const person = await database.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', 'amir.hussain@school.example')
      .executeTakeFirstOrThrow()
    const amir = (await actorForPerson(database.db, person.id))!
    const answer = await registerInterest(
      context(amir),
      UPCOMING,
      { email: 'AMIR.HUSSAIN@school.example' },
      client(),
    )
    expect(answer).toEqual({ confirmed: true })
    expect(await emailsTo('AMIR.HUSSAIN@school.example', 'cohort-interest-confirm')).toEqual([])
    expect(
      (await interestRows()).find((r) => r.email === 'AMIR.HUSSAIN@school.example')?.confirmed_at,
    ).not.toBeNull()
  })

  it('answers the same for a confirmed address, and sends it nothing more', async () => {
    await registerInterest(context(), UPCOMING, { email: 'twice@school.example' }, client())
    await confirmInterest(context(), await confirmationToken('twice@school.example'))
    expect(await registerInterest(context(), UPCOMING, { email: 'TWICE@school.example' }, client())).toEqual({
      confirmed: false,
    })
    expect(await emailsTo('TWICE@school.example', 'cohort-interest-confirm')).toEqual([])
    expect(
      (await interestRows()).filter((r) => r.email.toLowerCase() === 'twice@school.example'),
    ).toHaveLength(1)
  })

  it('lets a link lapse after its days, and housekeeping deletes the unconfirmed sign-up', async () => {
    await registerInterest(context(), UPCOMING, { email: 'late@school.example' }, client())
    const token = await confirmationToken('late@school.example')
    clock.set(new Date(new Date(NOW).getTime() + INTEREST_CONFIRM_DAYS * 86_400_000))
    expect(await confirmInterest(context(), token)).toBe('gone')
    clock.set(new Date(new Date(NOW).getTime() + (INTEREST_CONFIRM_DAYS + 2) * 86_400_000))
    await clearExpiredRecords(deps())
    expect((await interestRows()).map((r) => r.email)).not.toContain('late@school.example')
    expect((await interestRows()).map((r) => r.email)).toContain('keen@school.example')
  })

  it('does not tell anyone about a window that has already closed', async () => {
    const cohort = (await findCohort(database.db, UPCOMING))!
    await database.db
      .insertInto('cohort_interest')
      .values({
        cohort_id: UPCOMING,
        email: 'closed@school.example',
        created_at: clock.now(),
        confirmed_at: clock.now(),
      })
      .execute()
    clock.set(cohort.closesAt)
    expect(await sendOpeningNotices(deps())).toBe(0)
    expect(await emailsTo('closed@school.example', 'cohort-open')).toEqual([])
  })
})

describe('limits on signing up', () => {
  it('refuses a client’s sign-ups past its allowance, storing and sending nothing', async () => {
    const one = { ip: '203.0.113.40' }
    const refused: number[] = []
    for (let i = 0; i < 40; i++) {
      const work = registerInterest(context(), UPCOMING, { email: `victim${i}@elsewhere.example` }, one)
      await work.catch((e: unknown) => {
        expect(e).toBeInstanceOf(RateLimitedError)
        expect((e as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0)
        refused.push(i)
      })
    }
    expect(refused).toHaveLength(40 - INTEREST_LIMITS.perIp.limit)
    const stored = (await interestRows()).filter((r) => r.email.startsWith('victim'))
    expect(stored).toHaveLength(INTEREST_LIMITS.perIp.limit)
    expect(await emailsTo(`victim39@elsewhere.example`, 'cohort-interest-confirm')).toEqual([])
  })

  it('sends one address only so many confirmations a day, from any number of clients', async () => {
    for (let i = 0; i < INTEREST_LIMITS.perAddress.limit; i++) {
      await registerInterest(context(), UPCOMING, { email: 'pestered@elsewhere.example' }, client())
    }
    await expect(
      registerInterest(context(), UPCOMING, { email: 'Pestered+x@elsewhere.example' }, client()),
    ).rejects.toBeInstanceOf(RateLimitedError)
    expect(await emailsTo('pestered@elsewhere.example', 'cohort-interest-confirm')).toHaveLength(
      INTEREST_LIMITS.perAddress.limit,
    )
  })
})
