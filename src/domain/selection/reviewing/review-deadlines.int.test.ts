// A round's review deadline on a real migrated database with the demo: the date refused unless it
// is real, who is behind only once it has passed, and the scheduled reminder to each late
// reviewer through the outbox, at most once a UK day, however many processes run it at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  actorByEmail,
  contextFor,
  DECISIONS_NOW,
  decisionCohort,
  emailsTo,
  NORTHVALE,
  submittedApplication,
} from '../../../../test/decision-fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { loadDemo } from '../../../db/seeds/demo.ts'
import { ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import type { Actor } from '../../access/actor.ts'
import { assignReviewersAutomatically } from './assign-reviewers.ts'
import { updateReviewSettings } from './review-settings.ts'
import { viewReviewQueue } from './view-reviews.ts'
import { remindLateReviewers } from './review-deadlines.ts'

const GRACE = 'grace.lee@northvale.mathshub.example'
const DANIEL = 'daniel.osei@northvale.mathshub.example'
const clock = fixedClock(DECISIONS_NOW)
let database: TestDatabase
let hubLead: Actor

const as = (actor: Actor) => contextFor(database.db, clock, actor)
const deps = () => ({ db: database.db, clock, baseUrl: 'http://localhost:3000' })
const overdue = async (to: string) =>
  (await emailsTo(database.db, to)).filter((e) => e.template === 'reviews-overdue')

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  hubLead = await actorByEmail(database.db, 'priya.shah@northvale.mathshub.example')
})
afterAll(async () => {
  await database?.destroy()
})

describe('the review deadline', () => {
  it('is a real date, shows who is behind once passed, and reminds each late reviewer once a day', async () => {
    const cohortId = await decisionCohort(database.db, 400)
    for (const name of ['Ada', 'Ben']) await submittedApplication(database.db, clock, cohortId, name)
    const settings = { blindReview: false, reviewsPerApplication: 2, priorities: '' }
    for (const reviewDeadline of [
      { day: 31, month: 2, year: 2027 },
      { day: 1, month: 12 },
      { day: 1, month: 12, year: 20260 },
    ]) {
      const error = await updateReviewSettings(as(hubLead), NORTHVALE, cohortId, {
        ...settings,
        reviewDeadline,
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).errors.map((e) => e.field)).toEqual(['reviewDeadline'])
    }
    const saved = await updateReviewSettings(as(hubLead), NORTHVALE, cohortId, {
      ...settings,
      reviewDeadline: { day: 1, month: 12, year: 2026 },
    })
    // 5pm UK time, which is GMT in December.
    expect(saved.reviewDeadline).toEqual(new Date('2026-12-01T17:00:00Z'))
    // Grace and Daniel take both applications (the hub lead has not opted in).
    expect((await assignReviewersAutomatically(as(hubLead), NORTHVALE, cohortId)).assigned).toBe(4)
    // Daniel completes his.
    const daniel = await actorByEmail(database.db, DANIEL)
    const danielId = daniel.kind === 'person' ? daniel.personId : 0
    const his = await database.db
      .selectFrom('review_assignments')
      .select('id')
      .where('reviewer_id', '=', danielId)
      .where('ended_at', 'is', null)
      .execute()
    for (const a of his) {
      await database.db
        .insertInto('reviews')
        .values({
          assignment_id: a.id,
          essential: '{}',
          desirable: '{}',
          completed_at: clock.now(),
          updated_at: clock.now(),
        })
        .execute()
    }

    clock.set('2026-12-01T16:59:00Z')
    expect(await remindLateReviewers(deps())).toBe(0)
    let queue = await viewReviewQueue(as(hubLead), NORTHVALE, cohortId)
    expect([queue.deadlinePassed, queue.behind]).toEqual([false, []])

    clock.set('2026-12-01T17:00:00Z')
    queue = await viewReviewQueue(as(hubLead), NORTHVALE, cohortId)
    expect(queue.deadlinePassed).toBe(true)
    expect(queue.behind).toEqual([
      { reviewerId: expect.any(Number), name: 'Grace Lee', load: 2, completed: 0, outstanding: 2 },
    ])
    expect(await remindLateReviewers(deps())).toBe(1)
    const [email] = await overdue(GRACE)
    expect(email!.subject).toBe('You have 2 reviews past the deadline')
    expect(email!.body_text).toContain(
      '- Northvale Maths Hub, Primary Mastery Specialist Programme (Cohort 400): 2 reviews, due by 5pm on 1 December 2026',
    )
    expect(email!.body_text).toContain('http://localhost:3000/reviews')
    expect(await overdue(DANIEL)).toEqual([])

    // Once a UK day: not again that evening, again the next day, and one of two runs at once.
    clock.set('2026-12-01T23:59:00Z')
    expect(await remindLateReviewers(deps())).toBe(0)
    clock.set('2026-12-02T00:00:00Z')
    expect(await remindLateReviewers(deps())).toBe(1)
    clock.set('2026-12-03T09:00:00Z')
    const both = await Promise.all([remindLateReviewers(deps()), remindLateReviewers(deps())])
    expect(both.reduce((a, b) => a + b, 0)).toBe(1)
    expect(await overdue(GRACE)).toHaveLength(3)

    // Her reviews done, she is behind no more and hears nothing.
    const grace = await actorByEmail(database.db, GRACE)
    const hers = await database.db
      .selectFrom('review_assignments')
      .select('id')
      .where('reviewer_id', '=', grace.kind === 'person' ? grace.personId : 0)
      .where('ended_at', 'is', null)
      .execute()
    for (const a of hers) {
      await database.db
        .insertInto('reviews')
        .values({
          assignment_id: a.id,
          essential: '{}',
          desirable: '{}',
          completed_at: clock.now(),
          updated_at: clock.now(),
        })
        .onConflict((oc) => oc.column('assignment_id').doUpdateSet({ completed_at: clock.now() }))
        .execute()
    }
    clock.set('2026-12-04T09:00:00Z')
    expect(await remindLateReviewers(deps())).toBe(0)
    expect((await viewReviewQueue(as(hubLead), NORTHVALE, cohortId)).behind).toEqual([])
    // Clearing the deadline clears the view too.
    const cleared = await updateReviewSettings(as(hubLead), NORTHVALE, cohortId, {
      ...settings,
      reviewDeadline: null,
    })
    expect(cleared.reviewDeadline).toBeNull()
    expect((await viewReviewQueue(as(hubLead), NORTHVALE, cohortId)).deadlinePassed).toBe(false)
  })
})
