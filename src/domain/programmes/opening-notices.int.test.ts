// "Tell me when it opens": each address that asked is emailed once, when the window opens, however
// many processes run the job; nobody is emailed about a window that has closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { loadDemo } from '../../db/seeds/demo.ts'
import { fixedClock } from '../../lib/clock.ts'
import { ANONYMOUS } from '../access/actor.ts'
import { sendOpeningNotices } from './opening-notices.ts'
import { findCohort } from './programmes.repository.ts'
import { registerInterest } from './view-programmes.ts'

const UPCOMING = 'embedding-work-group-3' // the demo's: opens some weeks after 22 November 2026
const clock = fixedClock('2026-11-22T10:00:00Z')
let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
})
afterAll(async () => {
  await database?.destroy()
})

const deps = () => ({ db: database.db, clock, baseUrl: 'https://masteryhub.example' })
const context = () => ({
  db: database.db,
  actor: ANONYMOUS,
  clock,
  requestId: 'opening-notices-test',
  baseUrl: 'https://masteryhub.example',
})

async function noticesTo(email: string) {
  return database.db
    .selectFrom('outbox')
    .select(['subject', 'body_text'])
    .where('template', '=', 'cohort-open')
    .where('to_address', '=', email)
    .execute()
}

describe('opening notices', () => {
  it('wait for the window to open, then go once to each address, even with processes racing', async () => {
    const cohort = (await findCohort(database.db, UPCOMING))!
    await registerInterest(context(), UPCOMING, { email: 'keen@school.example' })
    await registerInterest(context(), UPCOMING, { email: 'Eager@School.example' })
    await registerInterest(context(), UPCOMING, { email: 'eager@school.example' }) // the same address

    expect(await sendOpeningNotices(deps())).toBe(0)
    clock.set(new Date(cohort.opensAt.getTime() - 1))
    expect(await sendOpeningNotices(deps())).toBe(0)

    clock.set(cohort.opensAt)
    const raced = await Promise.all([sendOpeningNotices(deps()), sendOpeningNotices(deps())])
    expect(raced[0] + raced[1]).toBe(2)
    expect(await sendOpeningNotices(deps())).toBe(0)

    const [notice] = await noticesTo('keen@school.example')
    expect(await noticesTo('keen@school.example')).toHaveLength(1)
    expect(await noticesTo('Eager@School.example')).toHaveLength(1)
    expect(notice!.subject).toBe(`Applications are open: ${cohort.programmeName}, Cohort ${cohort.number}`)
    expect(notice!.body_text).toContain(`https://masteryhub.example/cohorts/${UPCOMING}`)
    expect(notice!.body_text).toContain('Applications close at 5pm on')
  })

  it('does not tell anyone about a window that has already closed', async () => {
    clock.set('2026-11-22T10:00:00Z')
    const cohort = (await findCohort(database.db, UPCOMING))!
    await database.db
      .insertInto('cohort_interest')
      .values({ cohort_id: UPCOMING, email: 'late@school.example', created_at: clock.now() })
      .execute()
    clock.set(cohort.closesAt)
    expect(await sendOpeningNotices(deps())).toBe(0)
    expect(await noticesTo('late@school.example')).toEqual([])
  })
})
