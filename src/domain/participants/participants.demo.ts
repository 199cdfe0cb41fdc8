// The development year's demo data. Primary Mastery Specialists Cohort 9 is in its development
// year: Sam Carter (the demo's specialist), three more Northvale specialists and one at Riverside
// took their places when decisions were released, and have logged release days (some logged by
// the hub). NCETM has set the cohort's tasks (one handed in and accepted, one overdue) and the PD
// Lead accreditation checklist (Sam has met its first requirement). Its first residential is over (everyone booked
// and attendance was marked, one absent with a reason), its second is coming up (booked, Sam with
// an access need), and a third is planned, subject to confirmation, at two venues. Bookings and
// attendance are made through the real use-cases on a clock set to when each would have happened.
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { fixedClock, type Clock } from '../../lib/clock.ts'
import { parseUkDateTime } from '../../lib/uk-time.ts'
import { actorForPerson } from '../access/actors.repository.ts'
import { newReference } from '../applications/applications.repository.ts'
import { markAttendance } from '../events/attendance/record-attendance.ts'
import { bookPlace } from '../events/bookings/book-place.ts'
import { confirmEvent, moveEvent } from '../events/scheduling/change-event.ts'
import { scheduleEvent } from '../events/scheduling/schedule-event.ts'
import { cohortId } from '../programmes/programmes.repository.ts'
import type { UseCaseContext } from '../use-case.ts'
import { addDefaultRequirements } from './accreditation/manage-requirements.ts'
import { recordRequirementMet } from './accreditation/record-accreditation.ts'
import { logReleaseTime } from './release-time/log-release-time.ts'
import { setTask } from './tasks/manage-tasks.ts'
import { reviewSubmission } from './tasks/review-submission.ts'
import { submitTask } from './tasks/submit-task.ts'
import { startYearOne } from './start-year-one.ts'

/** The cohort in its development year. */
export const DEMO_DEVELOPMENT_COHORT = cohortId('primary-mastery-specialist', 9)

const NORTHVALE = 'northvale-maths-hub'
const RIVERSIDE = 'riverside-maths-hub'

export const DEMO_SPECIALISTS = [
  { name: 'Sam Carter', email: 'sam.carter@school.example', hubId: NORTHVALE, urn: 990_001 },
  { name: 'Leah Patel', email: 'leah.patel@school.example', hubId: NORTHVALE, urn: 990_009 },
  { name: 'Owen Hughes', email: 'owen.hughes@school.example', hubId: NORTHVALE, urn: 990_017 },
  { name: 'Maya Brooks', email: 'maya.brooks@school.example', hubId: NORTHVALE, urn: 990_002 },
  { name: 'Ibrahim Ali', email: 'ibrahim.ali@school.example', hubId: RIVERSIDE, urn: 990_003 },
] as const

const DAY = 86_400_000

async function personByEmail(db: Db, name: string, email: string): Promise<number> {
  const found = await db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst()
  if (found) return Number(found.id)
  const made = await db.insertInto('people').values({ name, email }).returning('id').executeTakeFirstOrThrow()
  return Number(made.id)
}

async function contextFor(db: Db, personId: number, clock: Clock): Promise<UseCaseContext> {
  const actor = await actorForPerson(db, personId)
  if (!actor) throw new Error('demo person missing')
  return { db, actor, clock, requestId: 'demo', baseUrl: 'http://localhost:3000' }
}

/** The UK date `days` before now, moved back to a Friday if it falls at a weekend. */
function weekdayBefore(now: Date, days: number): string {
  const d = new Date(now.getTime() - days * DAY)
  const back = d.getUTCDay() === 0 ? 2 : d.getUTCDay() === 6 ? 1 : 0
  return new Date(d.getTime() - back * DAY).toISOString().slice(0, 10)
}

function ukInstant(day: Date, hour: number): string {
  const d = new Date(day)
  return parseUkDateTime({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour,
    minute: 0,
  }).toISOString()
}

/**
 * A demo specialist's place in a cohort, as if they had applied, been selected and accepted on
 * `started`: their submitted application, the participation, their Mastery Specialist role for the
 * hub and cohort, and development year 1 from that day.
 */
export async function placeDemoSpecialist(
  db: Db,
  cohortId: string,
  s: { name: string; email: string; hubId: string; urn: number },
  started: Date,
): Promise<{ personId: number; participationId: number }> {
  const personId = await personByEmail(db, s.name, s.email)
  const application = await db
    .insertInto('applications')
    .values({
      reference: newReference(),
      cohort_id: cohortId,
      applicant_id: personId,
      state: 'submitted',
      school_urn: s.urn,
      hub_id: s.hubId,
      submitted_at: new Date(started.getTime() - 120 * DAY),
      created_at: new Date(started.getTime() - 130 * DAY),
      updated_at: new Date(started.getTime() - 120 * DAY),
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  const participation = await db
    .insertInto('participations')
    .values({
      person_id: personId,
      cohort_id: cohortId,
      application_id: application.id,
      school_urn: s.urn,
      hub_id: s.hubId,
      started_at: started,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  // A demo persona's Mastery Specialist role gains its hub and cohort; anyone else's is made.
  const held = await db
    .updateTable('grants')
    .set({ hub_id: s.hubId, cohort_id: cohortId })
    .where('person_id', '=', personId)
    .where('role', '=', 'mastery-specialist')
    .where('hub_id', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (Number(held.numUpdatedRows) === 0) {
    await db
      .insertInto('grants')
      .values({ person_id: personId, role: 'mastery-specialist', hub_id: s.hubId, cohort_id: cohortId })
      .execute()
  }
  await db.transaction().execute((tx) => startYearOne(tx, participation.id, cohortId, started))
  return { personId, participationId: Number(participation.id) }
}

/** The participations, events, bookings and attendance of the cohort in its development year. */
export async function loadDemoDevelopmentYear(db: Db, clock: Clock): Promise<void> {
  const now = clock.now()
  const cohort = await db
    .selectFrom('cohorts')
    .select(['id', 'decisions_released_on'])
    .where('id', '=', DEMO_DEVELOPMENT_COHORT)
    .executeTakeFirst()
  if (!cohort) return
  const admin = await db
    .selectFrom('people')
    .select('id')
    .where('email', '=', 'nadia.khan@ncetm.example')
    .executeTakeFirstOrThrow()
  const started = new Date(`${String(cohort.decisions_released_on).slice(0, 10)}T10:00:00Z`)

  // Each specialist accepted their place the day decisions were released.
  const participations: { personId: number; participationId: number }[] = []
  for (const s of DEMO_SPECIALISTS) participations.push(await placeDemoSpecialist(db, cohort.id, s, started))

  const residentials = await db
    .selectFrom('events')
    .innerJoin('event_days', 'event_days.event_id', 'events.id')
    .select(['events.id', sql<Date>`min(event_days.starts_at)`.as('starts_at')])
    .where('events.cohort_id', '=', cohort.id)
    .groupBy('events.id')
    .orderBy(sql`min(event_days.starts_at)`)
    .execute()
  const [first, second] = residentials
  if (!first || !second) return
  const firstStarts = new Date(first.starts_at)
  const before = (at: Date, days: number) => fixedClock(new Date(at.getTime() - days * DAY))

  // NCETM named the venues and confirmed both residentials well before the first.
  const planning = await contextFor(db, Number(admin.id), before(firstStarts, 120))
  const venue = {
    name: 'Conference Centre, Birmingham',
    address: '1 Centenary Square\nBirmingham\nB1 2EA',
    capacity: 120,
  }
  for (const r of [first, second]) {
    const event = await db
      .selectFrom('event_days')
      .select(['starts_at', 'ends_at'])
      .where('event_id', '=', r.id)
      .orderBy('day_number')
      .execute()
    await moveEvent(planning, Number(r.id), {
      days: event.map((d) => ({
        startsAt: new Date(d.starts_at).toISOString(),
        endsAt: new Date(d.ends_at).toISOString(),
      })),
      venues: [venue],
    })
    await confirmEvent(planning, Number(r.id))
  }

  // Everyone booked the first residential a month before it; Sam asked for step-free access.
  const bookedFirst: number[] = []
  for (const [i, p] of participations.entries()) {
    const context = await contextFor(db, p.personId, before(firstStarts, 30))
    const { booking } = await bookPlace(context, Number(first.id), {
      accessNeeds: i === 0 ? 'Step-free access to rooms, please' : undefined,
      dietaryNeeds: i === 2 ? 'Vegetarian' : undefined,
    })
    bookedFirst.push(booking.id)
  }
  // NCETM marked both days afterwards: Owen was absent on day 2, Maya late on day 1.
  const afterFirst = await contextFor(
    db,
    Number(admin.id),
    fixedClock(new Date(firstStarts.getTime() + 3 * DAY)),
  )
  await markAttendance(afterFirst, Number(first.id), {
    marks: bookedFirst.flatMap((bookingId, i) => [
      { bookingId, dayNumber: 1, status: i === 3 ? 'late' : 'present' },
      i === 2
        ? { bookingId, dayNumber: 2, status: 'absent', absenceReason: 'Unwell' }
        : { bookingId, dayNumber: 2, status: 'present' },
    ]),
  })

  // The second residential is coming up: all but Maya have booked; Sam again with an access need.
  for (const [i, p] of participations.entries()) {
    if (i === 3) continue
    const context = await contextFor(db, p.personId, fixedClock(new Date(now.getTime() - 7 * DAY)))
    await bookPlace(context, Number(second.id), {
      accessNeeds: i === 0 ? 'Step-free access to rooms, please' : undefined,
    })
  }

  // Release time: Sam is on pace (some logged by Priya Shah for the hub), Leah and Owen behind,
  // Ibrahim at Riverside on his way; Maya has logged none and has not been seen since the first residential.
  const priya = await db
    .selectFrom('people')
    .select('id')
    .where('email', '=', 'priya.shah@northvale.mathshub.example')
    .executeTakeFirstOrThrow()
  const plan: [number, number, 'hub' | 'self', 'hub-work' | 'department' | 'other-schools'][] = [
    [0, 14, 'self', 'department'],
    [0, 30, 'self', 'hub-work'],
    [0, 44, 'hub', 'other-schools'],
    [0, 75, 'self', 'department'],
    [0, 90, 'self', 'hub-work'],
    [0, 105, 'hub', 'other-schools'],
    [0, 120, 'self', 'department'],
    [0, 135, 'self', 'hub-work'],
    [1, 20, 'self', 'department'],
    [1, 50, 'self', 'hub-work'],
    [2, 12, 'self', 'department'],
    [4, 25, 'self', 'hub-work'],
    [4, 70, 'self', 'department'],
  ]
  for (const [who, daysAgo, by, activity] of plan) {
    const p = participations[who]!
    const context = await contextFor(db, by === 'hub' ? Number(priya.id) : p.personId, clock)
    await logReleaseTime(context, p.participationId, {
      on: weekdayBefore(now, daysAgo),
      half: 'day',
      activity,
    })
  }

  // Tasks: a reflection Sam handed in as a PDF and the hub accepted; a lesson study plan now overdue for
  // everyone; and the first Work Group session's design, due next term.
  const ago = (days: number) => fixedClock(new Date(now.getTime() - days * DAY))
  const reflection = await setTask(await contextFor(db, Number(admin.id), ago(70)), cohort.id, {
    title: 'Reflect on the first residential',
    description: 'Write 500 words on what you will try in your own classroom after the first residential.',
    dueOn: weekdayBefore(now, 30),
  })
  await setTask(await contextFor(db, Number(admin.id), ago(60)), cohort.id, {
    title: 'Plan a lesson study cycle with your department',
    description: 'Plan one cycle of lesson study with colleagues in your school, and share the plan.',
    dueOn: weekdayBefore(now, 14),
  })
  await setTask(await contextFor(db, Number(admin.id), ago(10)), cohort.id, {
    title: 'Design your Work Group’s first session',
    description: 'Outline the first session of the Work Group you will lead next year.',
    dueOn: weekdayBefore(new Date(now.getTime() + 50 * DAY), 0),
  })
  const sam = participations[0]!
  const handedIn = await submitTask(
    await contextFor(db, sam.personId, ago(35)),
    sam.participationId,
    reflection.id,
    {
      kind: 'file',
      file: {
        filename: 'reflection.pdf',
        contentType: 'application/pdf',
        bytes: new TextEncoder().encode(
          '%PDF-1.4\n%Reflection on the first residential: stem sentences in every lesson.\n%%EOF\n',
        ),
      },
    },
  )
  await reviewSubmission(await contextFor(db, Number(priya.id), ago(33)), handedIn.id, { decision: 'accept' })
  // Leah has handed in her reflection as a PDF too: it waits for the hub to check it.
  const leah = participations[1]!
  await submitTask(await contextFor(db, leah.personId, ago(2)), leah.participationId, reflection.id, {
    kind: 'file',
    file: {
      filename: 'my-reflection.pdf',
      contentType: 'application/pdf',
      bytes: new TextEncoder().encode('%PDF-1.4\n%What I will try after the residential.\n%%EOF\n'),
    },
  })

  // PD Lead accreditation: NCETM's checklist, with Sam's first requirement met.
  const ncetm = await contextFor(db, Number(admin.id), clock)
  const [workshops] = await addDefaultRequirements(ncetm)
  if (workshops) {
    await recordRequirementMet(ncetm, sam.participationId, {
      requirementId: workshops.id,
      metOn: weekdayBefore(now, 59),
    })
  }

  // A third residential is planned, subject to confirmation, in London or Manchester.
  const thirdDay = new Date(new Date(second.starts_at).getTime() + 120 * DAY)
  const nextDay = new Date(thirdDay.getTime() + DAY)
  await scheduleEvent(await contextFor(db, Number(admin.id), clock), {
    kind: 'residential',
    title: 'Third residential',
    cohortId: cohort.id,
    days: [
      { startsAt: ukInstant(thirdDay, 9), endsAt: ukInstant(thirdDay, 17) },
      { startsAt: ukInstant(nextDay, 9), endsAt: ukInstant(nextDay, 16) },
    ],
    venues: [
      { name: 'London', address: 'Conference centre, 10 Euston Road\nLondon\nNW1 2AA', capacity: 60 },
      { name: 'Manchester', address: 'Conference centre, 5 Oxford Road\nManchester\nM1 5QA', capacity: 60 },
    ],
  })
}
