// Scheduled work, run by every app process on a timer: endorsement reminders, "applications are
// open" notices, the release of decisions on the cohort's date, the lapse of unanswered offers,
// reminders to reviewers past their round's deadline (once a day at most) and
// the deletion of unsuccessful applications under the retention policy, and the clearing of expired
// rate-limit windows, sessions and sign-in links.
// Each job claims its rows with FOR UPDATE SKIP LOCKED, so however many processes run it, each
// piece of work is done once.
import type { Db } from '../db/database.ts'
import { clearExpiredRecords } from '../domain/access/housekeeping.ts'
import { sendEndorsementReminders } from '../domain/applications/endorsement-reminders.ts'
import { deleteUnsuccessfulApplications } from '../domain/privacy/delete-unsuccessful-applications.ts'
import { sendOpeningNotices } from '../domain/programmes/opening-notices.ts'
import { lapseOffers } from '../domain/selection/offers/offers-lapse.ts'
import { releaseDecisions } from '../domain/selection/offers/release-decisions.ts'
import { remindLateReviewers } from '../domain/selection/reviewing/review-deadlines.ts'
import type { Clock } from '../lib/clock.ts'
import type { OutboxLog } from './outbox-worker.ts'

export interface Scheduler {
  /** Runs every job once; returns how much each did. */
  runOnce(): Promise<{
    endorsementReminders: number
    openingNotices: number
    releasedDecisions: number
    lapsedOffers: number
    reviewReminders: number
    deletedApplications: number
    clearedRecords: number
  }>
  start(intervalMs?: number): void
  stop(): Promise<void>
}

export function createScheduler(deps: {
  db: Db
  clock: Clock
  baseUrl: string
  log?: OutboxLog
  /** Months an unsuccessful application is kept (RETENTION_UNSUCCESSFUL_MONTHS; 12 when absent). */
  retentionMonths?: number
}): Scheduler {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> | undefined
  const runOnce = async () => ({
    endorsementReminders: await sendEndorsementReminders(deps),
    openingNotices: await sendOpeningNotices(deps),
    releasedDecisions: await releaseDecisions(deps),
    lapsedOffers: await lapseOffers(deps),
    reviewReminders: await remindLateReviewers(deps),
    deletedApplications: await deleteUnsuccessfulApplications(deps),
    clearedRecords: await clearExpiredRecords(deps),
  })
  return {
    runOnce,
    start(intervalMs = 60_000) {
      timer = setInterval(() => {
        if (running) return
        running = runOnce()
          .then((done) => {
            if (Object.values(done).some((n) => n > 0)) deps.log?.info(done, 'scheduled work done')
          })
          .catch((error: unknown) => deps.log?.error({ err: error }, 'scheduled work failed'))
          .finally(() => {
            running = undefined
          })
      }, intervalMs)
      timer.unref()
    },
    async stop() {
      if (timer) clearInterval(timer)
      await running
    },
  }
}
