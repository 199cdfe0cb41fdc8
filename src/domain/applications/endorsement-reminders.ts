// Scheduled job: one reminder to a headteacher who has not answered after 5 working days. Rows
// are claimed with FOR UPDATE SKIP LOCKED, so any number of processes may run it: each reminder is
// sent once. The reminder carries a link of its own; the first one keeps working beside it.
import type { Db } from '../../db/database.ts'
import type { Clock } from '../../lib/clock.ts'
import { ANONYMOUS } from '../access/actor.ts'
import { hashSecret, newSecret } from '../auth/tokens.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { findCohort } from '../programmes/programmes.repository.ts'
import { recordAudit } from '../audit/audit.ts'
import { cohortName } from './application-rules.ts'
import { claimDueReminders, findApplication, markReminded } from './applications.repository.ts'
import { endorsementLink } from './request-endorsement.ts'

export async function sendEndorsementReminders(
  deps: { db: Db; clock: Clock; baseUrl: string },
  options: { batch?: number } = {},
): Promise<number> {
  const now = deps.clock.now()
  return deps.db.transaction().execute(async (tx) => {
    const due = await claimDueReminders(tx, now, options.batch ?? 100)
    for (const request of due) {
      const application = (await findApplication(tx, request.applicationId))!
      const cohort = (await findCohort(tx, application.cohortId))!
      const token = newSecret()
      await markReminded(tx, request.id, hashSecret(token), now)
      await queueEmail(tx, {
        template: 'endorsement-reminder',
        to: request.headteacherEmail,
        data: {
          headteacherName: request.headteacherName,
          teacherName: application.applicantName,
          schoolName: application.schoolName ?? 'your school',
          programmeName: cohort.programmeName,
          cohortName: cohortName(cohort),
          link: endorsementLink({ baseUrl: deps.baseUrl } as never, token),
          expiresAt: request.expiresAt,
          closesAt: cohort.closesAt,
        },
      })
      await recordAudit(
        tx,
        { actor: ANONYMOUS, now },
        {
          action: 'application.endorsement-reminder',
          recordType: 'application',
          recordId: application.id,
          after: { endorsementRequestId: request.id },
        },
      )
    }
    return due.length
  })
}
