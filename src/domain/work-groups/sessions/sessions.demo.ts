// The demo's Work Group sessions, made through the real use-cases on clocks set to when each
// change would have happened. Northvale's two running groups meet every few weeks this term at
// their schools: sessions already over are held, with each advocate's attendance (a few absent
// with their reasons, one late) and every school's lesson study; one or two are planned for next
// term. Each lead specialist has made a support visit. Runs after the schools' demo and reads the
// groups' schools from the tables; a group with none is given three (the demo's own fallback).
import type { Db } from '../../../db/database.ts'
import type { AttendanceStatus, BigIdea } from '../../../db/schema.ts'
import { fixedClock, type Clock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import { ukDateOf } from '../../participants/start-year-one.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { findWorkGroup } from '../work-groups.repository.ts'
import { addSession, moveSession } from './manage-sessions.ts'
import { recordLessonStudy } from './record-lesson-study.ts'
import { recordSupportVisit } from './record-support-visit.ts'
import { markSessionAttendance } from './session-attendance.ts'
import { groupAdvocates, groupSchools } from './sessions.repository.ts'

const DAY = 86_400_000

/** Days after 1 September, the big idea and the lesson observed. */
const PLAN: { day: number; bigIdea: BigIdea; lesson: string }[] = [
  {
    day: 23,
    bigIdea: 'coherence',
    lesson: 'Year 2: adding ones to a two-digit number, one small step at a time',
  },
  { day: 44, bigIdea: 'representation-and-structure', lesson: 'Year 3: partitioning with part-whole models' },
  { day: 65, bigIdea: 'fluency', lesson: 'Year 4: recalling multiplication facts for 6, 7 and 9' },
  { day: 135, bigIdea: 'variation', lesson: 'Year 5: equivalent fractions with varied representations' },
  { day: 170, bigIdea: 'mathematical-thinking', lesson: 'Year 6: generalising about odd and even sums' },
]

const ABSENCES = ['Covering an absent colleague', 'Ill on the day', 'School trip with Year 6']

const STUDY = [
  {
    taughtBy: 'The Year 3 class teacher, with the maths lead observing',
    classes: 'Both Year 3 classes',
    learned: 'Pupils explained their reasoning more fully when asked to use the stem sentence.',
  },
  {
    taughtBy: 'The maths lead',
    classes: 'Year 4',
    learned: 'Keeping the representation the same across the lesson let pupils notice the structure.',
  },
]

async function contextFor(db: Db, personId: number, clock: Clock): Promise<UseCaseContext> {
  const actor = await actorForPerson(db, personId)
  if (!actor) throw new Error('demo person missing')
  return { db, actor, clock, requestId: 'demo', baseUrl: 'http://localhost:3000' }
}

/** The fallback: three free schools of the hub accepted into a group that has none, each with two advocates. */
async function placeSchools(db: Db, workGroupId: number, now: Date): Promise<void> {
  const group = await db
    .selectFrom('work_groups')
    .select(['hub_id', 'programme_id', 'academic_year'])
    .where('id', '=', workGroupId)
    .executeTakeFirstOrThrow()
  const free = await db
    .selectFrom('schools')
    .innerJoin('school_hubs', 'school_hubs.urn', 'schools.urn')
    .select('schools.urn')
    .where('school_hubs.hub_id', '=', group.hub_id)
    .where('schools.open', '=', true)
    .where('schools.state_funded', '=', true)
    .where('schools.phase', '=', 'Primary')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('work_group_interests').select('id').whereRef('school_urn', '=', 'schools.urn'))),
    )
    .orderBy('schools.urn')
    .limit(3)
    .execute()
  for (const { urn } of free) {
    const interest = await db
      .insertInto('work_group_interests')
      .values({
        school_urn: urn,
        hub_id: group.hub_id,
        programme_id: group.programme_id,
        academic_year: group.academic_year,
        status: 'accepted',
        work_group_id: workGroupId,
        created_at: now,
        updated_at: now,
        decided_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const slot of [1, 2] as const)
      await db
        .insertInto('work_group_advocates')
        .values({
          interest_id: interest.id,
          slot,
          name: `${slot === 1 ? 'Maths lead' : 'Class teacher'} of school ${urn}`,
          email: `advocate${slot}.${urn}@school.example`,
          role: slot === 1 ? 'Maths lead' : 'Class teacher',
          from_date: `${group.academic_year.slice(0, 4)}-09-01`,
          created_at: now,
        })
        .execute()
  }
}

/** One running group's sessions, attendance, lesson study and its lead's support visit. */
async function loadGroupSessions(db: Db, workGroupId: number, now: Date, seed: number): Promise<void> {
  const group = await findWorkGroup(db, workGroupId)
  const lead = group?.leads[0]
  if (!group || !lead) return
  if ((await groupSchools(db, workGroupId)).length === 0) await placeSchools(db, workGroupId, now)
  const schools = await groupSchools(db, workGroupId)
  if (schools.length === 0) return
  const september = Date.parse(`${group.academicYear.slice(0, 4)}-09-01T00:00:00Z`)
  let absences = 0
  for (const [n, plan] of PLAN.entries()) {
    const host = schools[(n + seed) % schools.length]!
    const startsAt = new Date(september + plan.day * DAY + 13 * 3_600_000)
    const endsAt = new Date(startsAt.getTime() + 3 * 3_600_000)
    const planned = fixedClock(new Date(Math.min(startsAt.getTime() - 20 * DAY, now.getTime())))
    const session = await addSession(await contextFor(db, lead.personId, planned), workGroupId, {
      date: ukDateOf(startsAt),
      startTime: '13:00',
      endTime: '16:00',
      hostSchoolUrn: host.urn,
      bigIdea: plan.bigIdea,
      lessonObserved: plan.lesson,
    })
    if (endsAt > now) continue
    const after = await contextFor(db, lead.personId, fixedClock(endsAt))
    const advocates = await groupAdvocates(db, workGroupId, session.date)
    await markSessionAttendance(after, session.id, {
      marks: advocates.map((a, i) => {
        // A few absences with their reasons, and one advocate late, across the term.
        const absent = (i + n * 3 + seed) % 7 === 4 && absences < ABSENCES.length
        const status: AttendanceStatus = absent
          ? 'absent'
          : n === 1 && i === 0 && seed === 0
            ? 'late'
            : 'present'
        if (absent) absences += 1
        return {
          advocateId: a.advocateId,
          status,
          absenceReason: absent ? ABSENCES[absences - 1] : undefined,
        }
      }),
    })
    await moveSession(after, session.id, { event: 'hold' })
    const later = await contextFor(db, lead.personId, fixedClock(new Date(endsAt.getTime() + 7 * DAY)))
    for (const [i, school] of schools.entries()) {
      const study = STUDY[(i + n) % STUDY.length]!
      await recordLessonStudy(later, session.id, {
        schoolUrn: school.urn,
        lessonTaught: `${plan.lesson.split(':')[0]}: a lesson planned together at the session, taught in school`,
        ...study,
      })
    }
  }
  const visitOn = new Date(september + (50 + seed * 9) * DAY + 9 * 3_600_000)
  if (visitOn < now)
    await recordSupportVisit(await contextFor(db, lead.personId, fixedClock(visitOn)), workGroupId, {
      participationId: lead.participationId,
      schoolUrn: schools[0]!.urn,
      visitedOn: ukDateOf(visitOn),
      halfDays: 2,
      notes: 'Team-taught a lesson and coached the maths lead on questioning',
    })
}

/** Sessions for Northvale's two running groups this year. */
export async function loadDemoSessions(db: Db, clock: Clock): Promise<void> {
  const now = clock.now()
  const names = ['Northvale Primary Development A', 'Northvale Primary Embedding']
  for (const [seed, name] of names.entries()) {
    const group = await db
      .selectFrom('work_groups')
      .select('id')
      .where('name', '=', name)
      .where('state', '=', 'running')
      .orderBy('academic_year', 'desc')
      .executeTakeFirst()
    if (group) await loadGroupSessions(db, Number(group.id), now, seed)
  }
}
