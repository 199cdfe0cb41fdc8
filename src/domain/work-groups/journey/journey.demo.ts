// The journey's demo data: one Northvale primary school that has moved to Embedding. It was at
// Readiness two years ago, took part in last year's Primary Development group (now completed,
// with its sessions, attendance and a £1,000 grant due), and is at Embedding this year: it is the
// first school in this year's Embedding group where the schools' demo has put one there, else a
// school with no Work Group interest. Stage moves and the group's set-up, moves and completion go
// through the real use-cases on a clock set to when each happened; last year's schools, advocates,
// sessions and attendance are written straight to the tables.
import type { Db } from '../../../db/database.ts'
import { fixedClock } from '../../../lib/clock.ts'
import type { Clock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import { ukDateOf } from '../../participants/start-year-one.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { academicYearOf, createWorkGroup, moveWorkGroup } from '../manage-work-groups.ts'
import { loadDemoEvaluation } from '../evaluation/evaluation.demo.ts'
import { recordStageMove } from './record-stage-move.ts'

const NORTHVALE = 'northvale-maths-hub'
const HUB_LEAD = 'priya.shah@northvale.mathshub.example'
const DAY = 86_400_000

/** The name of last year's completed group. */
export const DEMO_COMPLETED_GROUP = 'Northvale Primary Development (last year)'

export interface DemoJourney {
  urn: number
  completedGroupId: number
}

function yearBefore(year: string, by: number): string {
  const start = Number(year.slice(0, 4)) - by
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`
}

export async function loadDemoJourney(db: Db, clock: Clock): Promise<DemoJourney | undefined> {
  const now = clock.now()
  const lead = await db.selectFrom('people').select('id').where('email', '=', HUB_LEAD).executeTakeFirst()
  if (!lead) return undefined
  const actor = await actorForPerson(db, Number(lead.id))
  if (!actor) return undefined
  const at = (iso: string): UseCaseContext => ({
    db,
    actor,
    clock: fixedClock(new Date(iso)),
    requestId: 'demo',
    baseUrl: 'http://localhost:3000',
  })
  const year = academicYearOf(ukDateOf(now))
  const lastYear = yearBefore(year, 1)
  const start = (y: string) => Number(y.slice(0, 4))
  const thisStart = start(year)

  const leads = await db
    .selectFrom('work_group_leads')
    .innerJoin('work_groups', 'work_groups.id', 'work_group_leads.work_group_id')
    .select('work_group_leads.participation_id')
    .where('work_groups.name', '=', 'Northvale Primary Development A')
    .execute()
  if (leads.length === 0) return undefined
  const leadSchools = (
    await db
      .selectFrom('participations')
      .select('school_urn')
      .where('hub_id', '=', NORTHVALE)
      .where('school_urn', 'is not', null)
      .execute()
  ).map((r) => r.school_urn!)

  // The school: the Embedding group's first, or (from the top of the list, away from the schools'
  // demo) a Northvale primary with no interest yet; and two more for last year's group.
  const embedded = await db
    .selectFrom('work_group_interests as i')
    .innerJoin('work_groups as g', 'g.id', 'i.work_group_id')
    .select('i.school_urn')
    .where('g.name', '=', 'Northvale Primary Embedding')
    .where('i.status', '=', 'accepted')
    .orderBy('i.id')
    .executeTakeFirst()
  const free = (
    await db
      .selectFrom('schools')
      .innerJoin('school_hubs', 'school_hubs.urn', 'schools.urn')
      .select('schools.urn')
      .where('school_hubs.hub_id', '=', NORTHVALE)
      .where('schools.open', '=', true)
      .where('schools.state_funded', '=', true)
      .where('schools.phase', '=', 'Primary')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('work_group_interests')
              .select('work_group_interests.id')
              .whereRef('work_group_interests.school_urn', '=', 'schools.urn'),
          ),
        ),
      )
      .orderBy('schools.urn', 'desc')
      .limit(8)
      .execute()
  )
    .map((r) => r.urn)
    .filter((urn) => urn !== 990_001 && !leadSchools.includes(urn))
  const urn = embedded?.school_urn ?? free.shift()
  if (urn === undefined || free.length < 2) return undefined
  const others = free.slice(0, 2)

  // Last year's Primary Development group: set up in the summer before, run, completed in July.
  const planning = at(`${start(lastYear)}-09-05T09:00:00Z`)
  const group = await createWorkGroup(planning, NORTHVALE, {
    programmeId: 'primary-development',
    phase: 'primary',
    academicYear: lastYear,
    name: DEMO_COMPLETED_GROUP,
    meetingArea: 'Northvale town centre',
    leads: [Number(leads[0]!.participation_id)],
  })
  await moveWorkGroup(planning, group.id, { event: 'open-recruitment' })
  await moveWorkGroup(at(`${start(lastYear)}-09-12T09:00:00Z`), group.id, { event: 'start' })

  const accepted = new Date(`${start(lastYear)}-09-10T10:00:00Z`)
  const advocates = new Map<number, number[]>()
  let n = 0
  for (const school of [urn, ...others]) {
    const interest = await db
      .insertInto('work_group_interests')
      .values({
        school_urn: school,
        hub_id: NORTHVALE,
        programme_id: 'primary-development',
        academic_year: lastYear,
        status: 'accepted',
        work_group_id: group.id,
        statement: 'We want teaching for mastery in every class.',
        decided_by: Number(lead.id),
        decided_at: accepted,
        created_at: new Date(accepted.getTime() - 30 * DAY),
        updated_at: accepted,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('work_group_interest_history')
      .values([
        {
          interest_id: interest.id,
          event: 'register',
          from_status: null,
          to_status: 'awaiting-support',
          actor_person_id: null,
          at: new Date(accepted.getTime() - 30 * DAY),
        },
        {
          interest_id: interest.id,
          event: 'accept',
          from_status: 'ready',
          to_status: 'accepted',
          work_group_id: group.id,
          actor_person_id: Number(lead.id),
          at: accepted,
        },
      ])
      .execute()
    const ids: number[] = []
    for (const [slot, role] of [
      [1, 'Maths lead'],
      [2, 'Year 4 teacher'],
    ] as const) {
      const name = ['Aisha Khan', 'Ben Foster', 'Carys Lloyd', 'Dev Patel', 'Erin Walsh', 'Femi Ade'][n++]!
      const row = await db
        .insertInto('work_group_advocates')
        .values({
          interest_id: interest.id,
          slot,
          name,
          email: `${name.toLowerCase().replace(' ', '.')}@school.example`,
          role,
          from_date: `${start(lastYear)}-09-01`,
          created_by: Number(lead.id),
          created_at: accepted,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      ids.push(Number(row.id))
    }
    advocates.set(school, ids)
  }
  // Six half-day meetings, one each half term or so, and who came.
  const ideas = [
    'coherence',
    'representation-and-structure',
    'mathematical-thinking',
    'fluency',
    'variation',
    'fluency',
  ] as const
  const sessions: number[] = []
  for (const [i, idea] of ideas.entries()) {
    const startsAt = new Date(Date.UTC(start(lastYear), 9 + i, 8, 13, 0))
    const row = await db
      .insertInto('work_group_sessions')
      .values({
        work_group_id: group.id,
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + 3 * 3_600_000),
        host_school_urn: [urn, ...others][i % 3]!,
        big_idea: idea,
        lesson_observed: `Year 4: ${['place value', 'bar models', 'reasoning', 'times tables', 'fractions', 'division'][i]}`,
        status: 'held',
        created_at: startsAt,
        updated_at: startsAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    sessions.push(Number(row.id))
  }
  // The journey's school and the first of the others came to (nearly) every session; the last
  // school's second advocate missed three, so its grant is not due.
  const missed: Record<number, number[]> = { [urn]: [], [others[0]!]: [5], [others[1]!]: [1, 3, 4] }
  for (const [school, ids] of advocates) {
    for (const [slotIndex, advocateId] of ids.entries()) {
      for (const [i, sessionId] of sessions.entries()) {
        const absent = slotIndex === 1 && missed[school]!.includes(i)
        await db
          .insertInto('work_group_attendance')
          .values({
            session_id: sessionId,
            advocate_id: advocateId,
            status: absent ? 'absent' : i === 2 && slotIndex === 0 ? 'late' : 'present',
            absence_reason: absent ? 'Covering a class' : null,
            method: 'screen',
            recorded_by: Number(lead.id),
            recorded_at: new Date(Date.UTC(start(lastYear), 9 + i, 8, 17, 0)),
          })
          .execute()
      }
    }
  }
  await db
    .insertInto('work_group_lesson_studies')
    .values({
      session_id: sessions[0]!,
      school_urn: urn,
      lesson_taught: 'Year 4 place value, taught in each Year 4 class',
      taught_by: 'The maths lead and the Year 4 teachers',
      classes: '4A and 4B',
      learned: 'Pupils explained their thinking more when given a stem sentence.',
      recorded_by: Number(lead.id),
      recorded_at: new Date(Date.UTC(start(lastYear), 9, 20, 16, 0)),
      updated_at: new Date(Date.UTC(start(lastYear), 9, 20, 16, 0)),
    })
    .execute()
  await db
    .insertInto('work_group_support_visits')
    .values({
      work_group_id: group.id,
      participation_id: Number(leads[0]!.participation_id),
      school_urn: urn,
      visited_on: `${start(lastYear) + 1}-01-21`,
      half_days: 1,
      notes: 'Observed a Year 4 lesson and met the maths lead.',
      recorded_by: Number(lead.id),
      recorded_at: new Date(`${start(lastYear) + 1}-01-21T15:00:00Z`),
    })
    .execute()
  // Completing the group records the grants due (and sends the questionnaire).
  await moveWorkGroup(at(`${start(lastYear) + 1}-07-15T15:00:00Z`), group.id, { event: 'complete' })
  await loadDemoEvaluation(db, group.id, new Date(`${start(lastYear) + 1}-07-15T15:00:00Z`))

  // The school's stages, each decided by the hub lead in the September it began.
  const moves = [
    [
      'readiness',
      thisStart - 2,
      'Joined the hub’s Readiness network: the headteacher and maths lead came to its sessions.',
    ],
    [
      'development',
      thisStart - 1,
      'Accepted into the Primary Development group, with two advocates and the headteacher’s support.',
    ],
    [
      'embedding',
      thisStart,
      'Completed the Development year, both advocates at every session; the maths lead now leads PD in school.',
    ],
  ] as const
  for (const [stage, y, evidence] of moves) {
    await recordStageMove(at(`${y}-09-05T10:00:00Z`), urn, { stage, movedOn: `${y}-09-01`, evidence })
  }
  return { urn, completedGroupId: group.id }
}
