// Whether the hub's leads take reviews in automatic assignment: only when the round says they
// will (the lead opts in on the round's settings). A lead may still be given an application by
// hand, and a lead who also holds the reviewer role is a reviewer like any other.
import type { Executor } from '../../../db/database.ts'

/** The round's possible reviewers who are there only as the hub's leads (no reviewer role). */
export async function leadOnlyReviewerIds(
  db: Executor,
  hubId: string,
  cohortId: string,
): Promise<Set<number>> {
  const live = (role: 'hub-lead' | 'reviewer') =>
    db
      .selectFrom('grants')
      .select('person_id')
      .where('hub_id', '=', hubId)
      .where('role', '=', role)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('cohort_id', 'is', null), eb('cohort_id', '=', cohortId)]))
      .execute()
  const [leads, reviewers] = await Promise.all([live('hub-lead'), live('reviewer')])
  const reviewerIds = new Set(reviewers.map((r) => r.person_id))
  return new Set(leads.map((l) => l.person_id).filter((id) => !reviewerIds.has(id)))
}
