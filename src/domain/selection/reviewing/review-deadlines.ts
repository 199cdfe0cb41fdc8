// A round's review deadline: the date the hub lead sets (reviews are due by 5pm UK time that
// day), who is behind once it has passed (reviewers with assigned, live reviews of submitted
// applications not yet completed), and the scheduled reminder to each of them, sent through the
// outbox at most once a UK day per reviewer however many rounds they are late in.
import { z } from 'zod'
import type { Db } from '../../../db/database.ts'
import type { Clock } from '../../../lib/clock.ts'
import { parseUkDateTime, toUkWallClock } from '../../../lib/uk-time.ts'
import { ANONYMOUS } from '../../access/actor.ts'
import { cohortName } from '../../applications/application-rules.ts'
import { recordAudit } from '../../audit/audit.ts'
import { queueEmail } from '../../email/outbox.repository.ts'
import { REVIEWING_ROLES } from './reviews.policy.ts'

/** Reviews are due by this UK time on the deadline's date. */
export const DEADLINE_HOUR = 17

const part = (what: string) =>
  z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `The review deadline must include a ${what}`
          : 'The review deadline must be a real date',
    })
    .int('The review deadline must be a real date')

/** The deadline as a GOV.UK date input's parts; null (or left out) for none. */
export const reviewDeadlineInput = z
  .object(
    { day: part('day'), month: part('month'), year: part('year') },
    { error: 'Enter the review deadline as a date, like 27 2 2027' },
  )
  .nullable()
  .describe('The date reviews are due (by 5pm UK time); null for no deadline')

/** Parts to the instant reviews are due; undefined where the date is not real. */
export function deadlineInstant(parts: { day: number; month: number; year: number }): Date | undefined {
  if (parts.year < 2000 || parts.year > 2100) return undefined
  try {
    return parseUkDateTime({ ...parts, hour: DEADLINE_HOUR, minute: 0 })
  } catch {
    return undefined
  }
}

/** The form's three boxes: all blank is no deadline; anything unreadable is left for zod to refuse. */
export function reviewDeadlineFromForm(form: Record<string, string>): unknown {
  const boxes = ['day', 'month', 'year'].map((k) => (form[`reviewDeadline-${k}`] ?? '').trim())
  if (boxes.every((b) => b === '')) return null
  const [day, month, year] = boxes.map((b) =>
    b === '' ? undefined : /^\d{1,4}$/.test(b) ? Number(b) : Number.NaN,
  )
  return { day, month, year }
}

/** The deadline as the form's boxes show it. */
export function deadlineBoxes(deadline: Date | null): { day: string; month: string; year: string } {
  if (!deadline) return { day: '', month: '', year: '' }
  const w = toUkWallClock(deadline)
  return { day: String(w.day), month: String(w.month), year: String(w.year) }
}

/** Who is behind: after the deadline, reviewers with reviews still to complete (nobody before it). */
export function behindOnReviews<T extends { load: number; completed: number }>(
  reviewers: T[],
  deadline: Date | null,
  now: Date,
): (T & { outstanding: number })[] {
  if (!deadline || now < deadline) return []
  return reviewers
    .filter((r) => r.load > r.completed)
    .map((r) => ({ ...r, outstanding: r.load - r.completed }))
}

function ukDay(instant: Date): string {
  const w = toUkWallClock(instant)
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
}

/**
 * Scheduled job: emails each reviewer who is late in any round still reviewing, at most once a UK
 * day (a row per reviewer and day, taken with ON CONFLICT DO NOTHING, so however many processes run
 * it, one email goes). Reviewers no longer holding a reviewing role at the hub are not written to.
 */
export async function remindLateReviewers(deps: { db: Db; clock: Clock; baseUrl: string }): Promise<number> {
  const now = deps.clock.now()
  const today = ukDay(now)
  const late = await deps.db
    .selectFrom('review_assignments as ra')
    .innerJoin('applications as a', 'a.id', 'ra.application_id')
    .innerJoin('selection_rounds as s', (join) =>
      join.onRef('s.hub_id', '=', 'a.hub_id').onRef('s.cohort_id', '=', 'a.cohort_id'),
    )
    .innerJoin('hubs as h', 'h.id', 's.hub_id')
    .innerJoin('people as p', 'p.id', 'ra.reviewer_id')
    .leftJoin('reviews as r', 'r.assignment_id', 'ra.id')
    .select(({ fn }) => [
      'ra.reviewer_id',
      'p.name',
      'p.email',
      's.hub_id',
      'h.name as hub_name',
      's.cohort_id',
      's.review_deadline',
      fn.countAll<string>().as('outstanding'),
    ])
    .where('s.state', '=', 'reviewing')
    .where('s.review_deadline', '<=', now)
    .where('a.state', '=', 'submitted')
    .where('ra.ended_at', 'is', null)
    .where('r.completed_at', 'is', null)
    .where('p.erased_at', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('grants as g')
          .select('g.id')
          .whereRef('g.person_id', '=', 'ra.reviewer_id')
          .whereRef('g.hub_id', '=', 's.hub_id')
          .where('g.role', 'in', [...REVIEWING_ROLES])
          .where('g.revoked_at', 'is', null),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('review_reminders as rr')
            .select('rr.reviewer_id')
            .whereRef('rr.reviewer_id', '=', 'ra.reviewer_id')
            .where('rr.sent_on', '=', today),
        ),
      ),
    )
    .groupBy([
      'ra.reviewer_id',
      'p.name',
      'p.email',
      's.hub_id',
      'h.name',
      's.cohort_id',
      's.review_deadline',
    ])
    .orderBy('ra.reviewer_id')
    .orderBy('s.hub_id')
    .orderBy('s.cohort_id')
    .execute()
  if (late.length === 0) return 0
  const cohortIds = [...new Set(late.map((l) => l.cohort_id))]
  const cohorts = await deps.db
    .selectFrom('cohorts as c')
    .innerJoin('programmes as pr', 'pr.id', 'c.programme_id')
    .select(['c.id', 'c.number', 'pr.name as programme_name'])
    .where('c.id', 'in', cohortIds)
    .execute()
  const byReviewer = new Map<number, typeof late>()
  for (const row of late) byReviewer.set(row.reviewer_id, [...(byReviewer.get(row.reviewer_id) ?? []), row])
  let sent = 0
  for (const [reviewerId, rounds] of byReviewer) {
    const told = await deps.db.transaction().execute(async (tx) => {
      const claimed = await tx
        .insertInto('review_reminders')
        .values({ reviewer_id: reviewerId, sent_on: today, sent_at: now })
        .onConflict((oc) => oc.columns(['reviewer_id', 'sent_on']).doNothing())
        .returning('reviewer_id')
        .executeTakeFirst()
      if (!claimed) return false
      const first = rounds[0]!
      await queueEmail(tx, {
        template: 'reviews-overdue',
        to: first.email,
        data: {
          name: first.name,
          rounds: rounds.map((r) => {
            const cohort = cohorts.find((c) => c.id === r.cohort_id)!
            return {
              hubName: r.hub_name,
              programmeName: cohort.programme_name,
              cohortName: cohortName(cohort),
              deadline: r.review_deadline!,
              outstanding: Number(r.outstanding),
            }
          }),
          link: `${deps.baseUrl}/reviews`,
        },
      })
      await recordAudit(
        tx,
        { actor: ANONYMOUS, now },
        {
          action: 'review.overdue-reminder',
          recordType: 'person',
          recordId: reviewerId,
          after: {
            rounds: rounds.length,
            outstanding: rounds.reduce((n, r) => n + Number(r.outstanding), 0),
          },
        },
      )
      return true
    })
    if (told) sent += 1
  }
  return sent
}
