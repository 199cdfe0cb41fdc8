// Scheduled job: the retention policy. An unsuccessful application (withdrawn, never submitted
// when the window closed, endorsement declined, not selected, its place declined or lapsed, or a
// reserve never offered a place) is deleted with its evidence, endorsement requests, history,
// reviews and decision once the configured number of months has passed since it became
// unsuccessful. Accepted places are kept. What survives is a count per cohort, hub and outcome.
// One run is one transaction: applications are claimed in batches with FOR UPDATE SKIP LOCKED,
// so however many processes run the job each application is deleted once, and each run that
// deleted anything writes one audit row, with counts only. See docs/adr/0011.
import type { Db } from '../../db/database.ts'
import type { Clock } from '../../lib/clock.ts'
import { ANONYMOUS } from '../access/actor.ts'
import { recordAudit } from '../audit/audit.ts'
import {
  claimDueApplications,
  countDeleted,
  deleteApplications,
  retentionCutoff,
  UNSUCCESSFUL_OUTCOMES,
  type DueApplication,
  type UnsuccessfulOutcome,
} from './retention.repository.ts'

/** Months kept when nothing is configured. */
export const DEFAULT_RETENTION_MONTHS = 12

export interface RetentionDeps {
  db: Db
  clock: Clock
  /** Whole months an unsuccessful application is kept (RETENTION_UNSUCCESSFUL_MONTHS). */
  retentionMonths?: number | undefined
}

/** Deletes the applications that are due; returns how many. */
export async function deleteUnsuccessfulApplications(
  deps: RetentionDeps,
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<number> {
  const months = deps.retentionMonths ?? DEFAULT_RETENTION_MONTHS
  const batchSize = options.batchSize ?? 200
  const maxBatches = options.maxBatches ?? 10
  const now = deps.clock.now()
  return deps.db.transaction().execute(async (tx) => {
    const cutoff = await retentionCutoff(tx, now, months)
    const deleted: DueApplication[] = []
    for (let batch = 0; batch < maxBatches; batch++) {
      const due = await claimDueApplications(tx, cutoff, batchSize)
      await deleteApplications(
        tx,
        due.map((d) => d.id),
      )
      deleted.push(...due)
      if (due.length < batchSize) break
    }
    if (deleted.length === 0) return 0
    await countDeleted(tx, deleted, now)
    const byOutcome = Object.fromEntries(UNSUCCESSFUL_OUTCOMES.map((o) => [o, 0])) as Record<
      UnsuccessfulOutcome,
      number
    >
    for (const d of deleted) byOutcome[d.outcome]++
    await recordAudit(
      tx,
      { actor: ANONYMOUS, now },
      {
        action: 'retention.delete-unsuccessful-applications',
        recordType: 'retention',
        recordId: 'unsuccessful-applications',
        after: { months, unsuccessfulBefore: cutoff, deleted: deleted.length, byOutcome },
      },
    )
    return deleted.length
  })
}
