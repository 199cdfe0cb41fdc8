// The outcome of an application once its hub's decisions are released: offered a place, the place
// accepted, declined or lapsed, a reserve, or not selected. Lists, tags and the API show it in
// place of "Submitted"; before release there is none, so nothing is told early.
import type { Executor } from '../../../db/database.ts'

export const APPLICATION_OUTCOMES = [
  'offered',
  'place-accepted',
  'place-declined',
  'offer-lapsed',
  'reserve',
  'not-selected',
] as const

export type ApplicationOutcome = (typeof APPLICATION_OUTCOMES)[number]

export const OUTCOME_NAMES: Record<ApplicationOutcome, string> = {
  offered: 'Offered a place',
  'place-accepted': 'Place accepted',
  'place-declined': 'Place declined',
  'offer-lapsed': 'Offer lapsed',
  reserve: 'Reserve',
  'not-selected': 'Not selected',
}

export const OUTCOME_TAGS: Record<ApplicationOutcome, string> = {
  offered: 'govuk-tag--light-blue',
  'place-accepted': 'govuk-tag--green',
  'place-declined': 'govuk-tag--grey',
  'offer-lapsed': 'govuk-tag--grey',
  reserve: 'govuk-tag--yellow',
  'not-selected': 'govuk-tag--grey',
}

interface ReleasedDecision {
  decision: 'selected' | 'reserve' | 'not-selected'
  offerState: 'offered' | 'accepted' | 'declined' | 'lapsed' | null
  respondBy: Date | null
}

/** A released decision's outcome at `now` (an offer past its deadline has lapsed). */
export function outcomeOf(d: ReleasedDecision, now: Date): ApplicationOutcome {
  if (d.decision === 'reserve') return 'reserve'
  if (d.decision === 'not-selected') return 'not-selected'
  if (d.offerState === 'accepted') return 'place-accepted'
  if (d.offerState === 'declined') return 'place-declined'
  if (d.offerState === 'lapsed') return 'offer-lapsed'
  if (d.respondBy && d.respondBy.getTime() <= now.getTime()) return 'offer-lapsed'
  return 'offered'
}

/** The released outcomes of the applications, by application id (those without one are absent). */
export async function releasedOutcomes(
  db: Executor,
  applicationIds: readonly number[],
  now: Date,
): Promise<Map<number, ApplicationOutcome>> {
  if (applicationIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('selection_decisions')
    .select(['application_id', 'decision', 'offer_state', 'respond_by'])
    .where('application_id', 'in', [...applicationIds])
    .where('released_at', 'is not', null)
    .execute()
  return new Map(
    rows.map((r) => [
      r.application_id,
      outcomeOf({ decision: r.decision, offerState: r.offer_state, respondBy: r.respond_by }, now),
    ]),
  )
}
