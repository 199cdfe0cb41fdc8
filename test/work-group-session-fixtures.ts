// Work Group sessions for tests on the demo: a fresh session of a demo group today (the hours
// around the test clock's now, so its code can be entered), held if asked, with the group's
// schools and advocates (placed if the group has none).
import { ukDateOf } from '../src/domain/participants/start-year-one.ts'
import { addSession, moveSession } from '../src/domain/work-groups/sessions/manage-sessions.ts'
import { groupAdvocates, groupSchools } from '../src/domain/work-groups/sessions/sessions.repository.ts'
import type { TestApp } from './app.ts'
import { contextOf } from './event-fixtures.ts'
import { demoWorkGroup } from './work-group-fixtures.ts'
import { fillGroup } from './work-group-school-fixtures.ts'

const HUB_LEAD = 'priya.shah@northvale.mathshub.example'

/** The demo group's id, with schools in it (placed here if it has none). */
export async function sessionsGroup(t: TestApp): Promise<number> {
  const id = await demoWorkGroup(t)
  if ((await groupSchools(t.database.db, id)).length === 0) await fillGroup(t, id, 2)
  return id
}

/** A fresh session of the demo group from an hour before now to two hours after. */
export async function freshSession(t: TestApp, options: { held?: boolean } = {}): Promise<number> {
  const context = await contextOf(t, HUB_LEAD)
  const group = await sessionsGroup(t)
  const now = t.clock.now()
  const hhmm = (d: Date) =>
    d.toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' })
  const [school] = await groupSchools(t.database.db, group)
  const session = await addSession(context, group, {
    date: ukDateOf(now),
    startTime: hhmm(new Date(now.getTime() - 3_600_000)),
    endTime: hhmm(new Date(now.getTime() + 2 * 3_600_000)),
    hostSchoolUrn: school!.urn,
    bigIdea: 'variation',
    lessonObserved: 'Year 5: equivalent fractions with varied representations',
  })
  if (options.held) await moveSession(context, session.id, { event: 'hold' })
  return session.id
}

/** An advocate of the group's schools on the session's date, and a school of the group. */
export async function sessionTargets(
  t: TestApp,
): Promise<{ advocateId: number; email: string; urn: number }> {
  const group = await sessionsGroup(t)
  const [advocate] = await groupAdvocates(t.database.db, group, ukDateOf(t.clock.now()))
  return { advocateId: advocate!.advocateId, email: advocate!.email, urn: advocate!.schoolUrn }
}

export interface SessionRouteFixtures {
  group: number
  /** A planned session today, and one held. */
  planned: number
  held: number
  advocateId: number
}

/** What the hostile suite's session routes aim at. */
export async function sessionRouteFixtures(t: TestApp): Promise<SessionRouteFixtures> {
  return {
    group: await sessionsGroup(t),
    planned: await freshSession(t),
    held: await freshSession(t, { held: true }),
    advocateId: (await sessionTargets(t)).advocateId,
  }
}
