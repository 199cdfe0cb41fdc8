// Fixtures for the development year's tests, made through the real use-cases on the demo: a fresh
// residential of the cohort in its development year, a place on one, a demo specialist's
// participation, a date not yet logged, a fresh task and evidence handed in for one.
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import { bookPlace } from '../src/domain/events/bookings/book-place.ts'
import { scheduleEvent } from '../src/domain/events/scheduling/schedule-event.ts'
import { DEMO_DEVELOPMENT_COHORT } from '../src/domain/participants/participants.demo.ts'
import { setTask } from '../src/domain/participants/tasks/manage-tasks.ts'
import { submitTask } from '../src/domain/participants/tasks/submit-task.ts'
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

/** The demo specialist's participation in the development-year cohort. */
export async function participationOf(t: TestApp, email: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('participations')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .select('participations.id')
    .where('people.email', '=', email)
    .where('participations.cohort_id', '=', DEMO_DEVELOPMENT_COHORT)
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

let daysBack = 0

/**
 * A UK date in the cohort's first year (which began about 210 days before the demo's now) on which
 * nobody has logged release time: one further back each time, skipping the demo's own days.
 */
export async function freshPastDate(t: TestApp): Promise<string> {
  for (;;) {
    daysBack += 1
    if (daysBack > 200) throw new Error('No free date left in the development year for a fixture')
    const date = new Date(t.clock.now().getTime() - daysBack * DAY).toISOString().slice(0, 10)
    const used = await t.database.db
      .selectFrom('release_entries')
      .select('id')
      .where('on_date', '=', date)
      .executeTakeFirst()
    if (!used) return date
  }
}

/** A fresh task of the development-year cohort, due in a month, set by NCETM. */
export async function freshTask(t: TestApp): Promise<number> {
  n += 1
  const due = new Date(t.clock.now().getTime() + 30 * DAY).toISOString().slice(0, 10)
  const task = await setTask(await contextOf(t, 'nadia.khan@ncetm.example'), DEMO_DEVELOPMENT_COHORT, {
    title: `Task ${n}`,
    description: 'Something to do',
    dueOn: due,
  })
  return task.id
}

/** Evidence handed in by the demo specialist for a fresh task: text, or a small PDF. */
export async function freshSubmission(t: TestApp, kind: 'text' | 'file' = 'text'): Promise<number> {
  const email = 'sam.carter@school.example'
  const submission = await submitTask(
    await contextOf(t, email),
    await participationOf(t, email),
    await freshTask(t),
    kind === 'text'
      ? { kind: 'text', text: 'What I did' }
      : {
          kind: 'file',
          file: {
            filename: 'evidence.pdf',
            contentType: 'application/pdf',
            bytes: new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n'),
          },
        },
  )
  return submission.id
}
