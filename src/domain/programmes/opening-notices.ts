// Scheduled job: "tell me when it opens". Once a cohort's window has opened, each address that
// asked gets one email saying so, with a link to the cohort. Rows are claimed with FOR UPDATE SKIP
// LOCKED, so any number of processes may run it: each address is told once. Nobody is told about
// a window that has already closed.
import type { Db } from '../../db/database.ts'
import type { Clock } from '../../lib/clock.ts'
import { cohortName } from '../applications/application-rules.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { claimOpeningNotices, findCohort, markNotified, type Cohort } from './programmes.repository.ts'

export async function sendOpeningNotices(
  deps: { db: Db; clock: Clock; baseUrl: string },
  options: { batch?: number } = {},
): Promise<number> {
  const now = deps.clock.now()
  return deps.db.transaction().execute(async (tx) => {
    const due = await claimOpeningNotices(tx, now, options.batch ?? 200)
    const cohorts = new Map<string, Cohort>()
    for (const notice of due) {
      let cohort = cohorts.get(notice.cohortId)
      if (!cohort) {
        cohort = (await findCohort(tx, notice.cohortId))!
        cohorts.set(cohort.id, cohort)
      }
      await queueEmail(tx, {
        template: 'cohort-open',
        to: notice.email,
        data: {
          programmeName: cohort.programmeName,
          cohortName: cohortName(cohort),
          link: new URL(`/cohorts/${cohort.id}`, deps.baseUrl).href,
          closesAt: cohort.closesAt,
        },
      })
    }
    await markNotified(
      tx,
      due.map((n) => n.id),
      now,
    )
    return due.length
  })
}
