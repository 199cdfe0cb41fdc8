// The read model behind a specialist's "Your programme" page: each of their participations with
// its cohort, hub and stage today. The page adds their events (domain/events/viewing), and the
// release time, tasks and accreditation sections read from their own areas.
import { sql } from 'kysely'
import type { ParticipationStage } from '../../db/schema.ts'
import { isSignedIn } from '../access/access.policy.ts'
import { ukDate } from '../events/bookings/book-place.ts'
import type { UseCaseContext } from '../use-case.ts'
import { STAGE_NAMES } from './participation.states.ts'

export interface MyParticipation {
  id: number
  cohortId: string
  cohortNumber: number
  programmeName: string
  hubId: string | null
  hubName: string | null
  stage: ParticipationStage | null
  stageName: string
  stageSince: string | null
}

/** The signed-in person's participations, newest first, each with its stage on today's date. */
export async function myParticipations(context: UseCaseContext): Promise<MyParticipation[]> {
  const actor = context.actor
  if (!isSignedIn(actor)) return []
  const today = ukDate(context.clock.now())
  const rows = await context.db
    .selectFrom('participations as p')
    .innerJoin('cohorts as c', 'c.id', 'p.cohort_id')
    .innerJoin('programmes as g', 'g.id', 'c.programme_id')
    .leftJoin('hubs as h', 'h.id', 'p.hub_id')
    .leftJoin('participation_stages as s', (join) =>
      join
        .onRef('s.participation_id', '=', 'p.id')
        .on(sql<boolean>`daterange(s.starts_on, s.ends_on, '[)') @> ${today}::date`),
    )
    .select([
      'p.id',
      'c.id as cohort_id',
      'c.number',
      'g.name as programme',
      'h.id as hub_id',
      'h.name as hub',
    ])
    .select(['s.stage', sql<string | null>`to_char(s.starts_on, 'YYYY-MM-DD')`.as('since')])
    .where('p.person_id', '=', actor.personId)
    .orderBy('p.id', 'desc')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    cohortId: r.cohort_id,
    cohortNumber: r.number,
    programmeName: r.programme,
    hubId: r.hub_id,
    hubName: r.hub,
    stage: r.stage,
    stageName: r.stage ? STAGE_NAMES[r.stage] : 'Not started yet',
    stageSince: r.since,
  }))
}
