// The housekeeping job: rate-limit windows, sessions and sign-in links more than a day past their end
// are deleted, and emails sent or failed more than 90 days ago; anything still live, ended less than
// a day ago, or still waiting to be sent, stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { fixedClock } from '../../lib/clock.ts'
import { createScheduler } from '../../jobs/scheduler.ts'
import { clearExpiredRecords } from './housekeeping.ts'
import { hitRateLimit } from './rate-limit.repository.ts'

const NOW = new Date('2026-11-22T10:00:00Z')
const hours = (n: number) => new Date(NOW.getTime() + n * 3_600_000)
let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.destroy()
})

async function remaining() {
  const { db } = database
  const [limits, sessions, links, emails] = await Promise.all([
    db.selectFrom('rate_limits').select('window_start').orderBy('window_start').execute(),
    db.selectFrom('sessions').select('csrf_token').orderBy('csrf_token').execute(),
    db.selectFrom('sign_in_tokens').select('token_hash').orderBy('token_hash').execute(),
    db.selectFrom('outbox').select('subject').orderBy('subject').execute(),
  ])
  return {
    limits: limits.map((r) => r.window_start.toISOString()),
    sessions: sessions.map((r) => r.csrf_token),
    links: links.map((r) => r.token_hash),
    emails: emails.map((r) => r.subject),
  }
}

describe('clearing expired records', () => {
  it('deletes only what ended more than a day ago, and does nothing the second time', async () => {
    const { db } = database
    const limit = { name: 'search:ip', limit: 10, windowMs: 60_000 }
    await hitRateLimit(db, limit, '203.0.113.1', hours(-30))
    await hitRateLimit(db, limit, '203.0.113.1', hours(-23))
    await hitRateLimit(db, limit, '203.0.113.1', NOW)
    const person = await db
      .insertInto('people')
      .values({ name: 'Ada Lovelace', email: 'ada.housekeeping@school.example' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const session = (name: string, expires: Date) => ({
      id_hash: `hash-${name}`,
      person_id: person.id,
      csrf_token: name,
      created_at: hours(-48),
      last_seen_at: hours(-48),
      expires_at: expires,
    })
    await db
      .insertInto('sessions')
      .values([
        session('ended-2-days-ago', hours(-48)),
        session('ended-an-hour-ago', hours(-1)),
        session('live', hours(5)),
      ])
      .execute()
    const link = (name: string, expires: Date) => ({
      token_hash: name,
      person_id: person.id,
      created_at: hours(-72),
      expires_at: expires,
    })
    await db
      .insertInto('sign_in_tokens')
      .values([link('link-ended-3-days-ago', hours(-72)), link('link-live', hours(1))])
      .execute()

    const email = (subject: string, status: 'pending' | 'sent' | 'failed', daysAgo: number) => ({
      to_address: 'ada.housekeeping@school.example',
      subject,
      body_text: 'Dear Ada Lovelace',
      template: 'sign-in-link',
      status,
      created_at: hours(-24 * daysAgo),
      sent_at: status === 'sent' ? hours(-24 * daysAgo) : null,
      message_id: `<${subject}@masteryhub>`,
    })
    await db
      .insertInto('outbox')
      .values([
        email('sent-91-days-ago', 'sent', 91),
        email('failed-95-days-ago', 'failed', 95),
        email('sent-10-days-ago', 'sent', 10),
        email('pending-200-days', 'pending', 200),
      ])
      .execute()

    const clock = fixedClock(NOW)
    expect(await clearExpiredRecords({ db, clock })).toBe(5)
    expect(await remaining()).toEqual({
      limits: [hours(-23).toISOString(), NOW.toISOString()],
      sessions: ['ended-an-hour-ago', 'live'],
      links: ['link-live'],
      emails: ['pending-200-days', 'sent-10-days-ago'],
    })
    expect(await clearExpiredRecords({ db, clock })).toBe(0)

    // The scheduler runs it with the other jobs; two days on, everything has ended a day ago.
    clock.set(hours(48))
    const done = await createScheduler({ db, clock, baseUrl: 'http://localhost:3000' }).runOnce()
    expect(done.clearedRecords).toBe(5)
    expect(await remaining()).toEqual({
      limits: [],
      sessions: [],
      links: [],
      emails: ['pending-200-days', 'sent-10-days-ago'],
    })
  })
})
