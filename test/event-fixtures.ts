// Events for tests that need a fresh one: a residential of the demo's cohort in its development
// year, scheduled by NCETM through the real use-case, days from the clock's now; and a place on one
// booked by a demo specialist.
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import { bookPlace } from '../src/domain/events/bookings/book-place.ts'
import { scheduleEvent } from '../src/domain/events/scheduling/schedule-event.ts'
import { DEMO_DEVELOPMENT_COHORT } from '../src/domain/participants/participants.demo.ts'
import type { UseCaseContext } from '../src/domain/use-case.ts'
import type { TestApp } from './app.ts'

const DAY = 86_400_000
let n = 0

export async function contextOf(t: TestApp, email: string): Promise<UseCaseContext> {
  const person = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  const actor = await actorForPerson(t.database.db, Number(person.id))
  return {
    db: t.database.db,
    actor: actor!,
    clock: t.clock,
    requestId: 'fixture',
    baseUrl: 'http://localhost:3000',
  }
}

/** A fresh two-day residential of the development-year cohort, subject to confirmation. */
export async function freshResidential(t: TestApp, venues = 1): Promise<number> {
  n += 1
  const start = t.clock.now().getTime() + (100 + n) * DAY
  const day = (offset: number, hour: number) =>
    new Date(start + offset * DAY + hour * 3_600_000).toISOString()
  const event = await scheduleEvent(await contextOf(t, 'nadia.khan@ncetm.example'), {
    kind: 'residential',
    title: `Residential ${n}`,
    cohortId: DEMO_DEVELOPMENT_COHORT,
    days: [
      { startsAt: day(0, 9), endsAt: day(0, 17) },
      { startsAt: day(1, 9), endsAt: day(1, 16) },
    ],
    venues: Array.from({ length: venues }, (_, i) => ({
      name: i === 0 ? 'London' : 'Manchester',
      address: `${i + 1} Station Road`,
      capacity: 40,
    })),
  })
  return event.id
}

/** A place on the event booked by the demo specialist with this email. */
export async function freshBooking(
  t: TestApp,
  eventId: number,
  email = 'sam.carter@school.example',
): Promise<number> {
  const { booking } = await bookPlace(await contextOf(t, email), eventId, { accessNeeds: 'A quiet room' })
  return booking.id
}
