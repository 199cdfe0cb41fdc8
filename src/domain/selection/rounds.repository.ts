// SQL shared by selection's use-cases: a hub's round for a cohort, and the completed reviews of
// applications as scores.ts wants them.
import type { Executor, Tx } from '../../db/database.ts'
import type { SelectionRoundState } from '../../db/schema.ts'
import type { CompletedReview } from './reviewing/scores.ts'

export interface SelectionRound {
  hubId: string
  cohortId: string
  places: number | null
  blindReview: boolean
  reviewsPerApplication: number
  priorities: string
  state: SelectionRoundState
  confirmedAt: Date | null
  approvedAt: Date | null
  releasedAt: Date | null
  /** NCETM's reason for the last send-back, until the lead confirms again. */
  sentBackReason: string | null
  sentBackAt: Date | null
  /** The hub's leads take reviews in automatic assignment (they opt in). */
  leadsReview: boolean
  /** When the round's reviews are due. */
  reviewDeadline: Date | null
}

const DEFAULT_ROUND = {
  places: null,
  blindReview: false,
  reviewsPerApplication: 2,
  priorities: '',
  sentBackReason: null,
  sentBackAt: null,
  leadsReview: false,
  reviewDeadline: null,
}

/** The hub's round for the cohort; one that has not been set up yet reads as the defaults. */
export async function findRound(db: Executor, hubId: string, cohortId: string): Promise<SelectionRound> {
  const row = await db
    .selectFrom('selection_rounds')
    .selectAll()
    .where('hub_id', '=', hubId)
    .where('cohort_id', '=', cohortId)
    .executeTakeFirst()
  if (!row) {
    return {
      hubId,
      cohortId,
      ...DEFAULT_ROUND,
      state: 'reviewing',
      confirmedAt: null,
      approvedAt: null,
      releasedAt: null,
    }
  }
  return {
    hubId,
    cohortId,
    places: row.places,
    blindReview: row.blind_review,
    reviewsPerApplication: row.reviews_per_application,
    priorities: row.priorities,
    state: row.state,
    confirmedAt: row.confirmed_at,
    approvedAt: row.approved_at,
    releasedAt: row.released_at,
    sentBackReason: row.sent_back_reason,
    sentBackAt: row.sent_back_at,
    leadsReview: row.leads_review,
    reviewDeadline: row.review_deadline,
  }
}

/** Locks the round for a change, creating it with the defaults first if need be. */
export async function lockRound(tx: Tx, hubId: string, cohortId: string, now: Date): Promise<SelectionRound> {
  await tx
    .insertInto('selection_rounds')
    .values({ hub_id: hubId, cohort_id: cohortId, updated_at: now })
    .onConflict((oc) => oc.columns(['hub_id', 'cohort_id']).doNothing())
    .execute()
  await tx
    .selectFrom('selection_rounds')
    .select('hub_id')
    .where('hub_id', '=', hubId)
    .where('cohort_id', '=', cohortId)
    .forUpdate()
    .execute()
  return findRound(tx, hubId, cohortId)
}

/** Completed reviews from live assignments, by application. */
export async function completedReviewsFor(
  db: Executor,
  applicationIds: readonly number[],
): Promise<Map<number, CompletedReview[]>> {
  const byApplication = new Map<number, CompletedReview[]>(applicationIds.map((id) => [id, []]))
  if (applicationIds.length === 0) return byApplication
  const rows = await db
    .selectFrom('reviews as r')
    .innerJoin('review_assignments as a', 'a.id', 'r.assignment_id')
    .select(['a.application_id', 'r.essential', 'r.desirable', 'r.strategic_score'])
    .where('a.application_id', 'in', [...applicationIds])
    .where('a.ended_at', 'is', null)
    .where('r.completed_at', 'is not', null)
    .orderBy('a.id')
    .execute()
  for (const row of rows) {
    byApplication.get(row.application_id)?.push({
      essential: row.essential,
      desirable: row.desirable,
      strategicScore: row.strategic_score ?? 0,
    })
  }
  return byApplication
}
