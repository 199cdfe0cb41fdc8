// A new cohort's residentials become events, as migration 0017 made them for the cohorts before it
// (docs/adr/0022): one event per residential, planned ("subject to confirmation") or confirmed as
// the cohort says, a day per calendar day from 9am to 5pm UK time, and one venue to be named.
import type { Tx } from '../../../db/database.ts'
import type { Residential } from '../../../db/schema.ts'
import { parseUkDateTime } from '../../../lib/uk-time.ts'
import { needsRetainedUntil } from './event-input.ts'

const MAX_DAYS = 10

function daysOf(r: Residential): { startsAt: Date; endsAt: Date }[] {
  const [year, month, day] = r.startsOn.split('-').map(Number) as [number, number, number]
  const first = Date.UTC(year, month - 1, day)
  const [ey, em, ed] = r.endsOn.split('-').map(Number) as [number, number, number]
  const count = Math.min(
    Math.max(Math.round((Date.UTC(ey, em - 1, ed) - first) / 86_400_000) + 1, 1),
    MAX_DAYS,
  )
  return Array.from({ length: count }, (_, i) => {
    const date = new Date(first + i * 86_400_000)
    const wall = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
    return {
      startsAt: parseUkDateTime({ ...wall, hour: 9, minute: 0 }),
      endsAt: parseUkDateTime({ ...wall, hour: 17, minute: 0 }),
    }
  })
}

export async function planCohortResidentials(
  tx: Tx,
  cohortId: string,
  residentials: Residential[],
  now: Date,
): Promise<number[]> {
  const ids: number[] = []
  for (const r of residentials) {
    const days = daysOf(r)
    const event = await tx
      .insertInto('events')
      .values({
        kind: 'residential',
        title: r.name.slice(0, 200),
        cohort_id: cohortId,
        status: r.subjectToConfirmation ? 'planned' : 'confirmed',
        confirmed_at: r.subjectToConfirmation ? null : now,
        needs_retained_until: needsRetainedUntil(days),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const id = Number(event.id)
    await tx
      .insertInto('event_days')
      .values(
        days.map((d, i) => ({ event_id: id, day_number: i + 1, starts_at: d.startsAt, ends_at: d.endsAt })),
      )
      .execute()
    await tx
      .insertInto('event_venues')
      .values({ event_id: id, name: 'Venue to be confirmed', address: 'To be confirmed', capacity: 100 })
      .execute()
    ids.push(id)
  }
  return ids
}
