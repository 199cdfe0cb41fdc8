// A Work Group's sessions on a real database, from the demo: adding sessions (a cancelled or
// completed group refused, nothing changed), marking them held or cancelled, the advocates'
// attendance all three ways (on screen, by file, by the session's code), lesson study per school
// (a school not in the group refused, nothing changed), support visits in half-days, the figures
// other parts of the service read, and who may see and change what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import type { TestApp } from '../../../../test/app.ts'
import { fillGroup, freeSchools, type PlacedSchool } from '../../../../test/work-group-school-fixtures.ts'
import { loadDemo } from '../../../db/seeds/demo.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { Actor } from '../../access/actor.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { createWorkGroup, moveWorkGroup } from '../manage-work-groups.ts'
import { DEMO_LEADS } from '../work-groups.demo.ts'
import { addSession, moveSession } from './manage-sessions.ts'
import { recordLessonStudy } from './record-lesson-study.ts'
import { recordSupportVisit } from './record-support-visit.ts'
import {
  enterSessionCode,
  importSessionAttendance,
  markSessionAttendance,
  showSessionCode,
} from './session-attendance.ts'
import {
  advocateAttendance,
  schoolSessions,
  sessionAttendance,
  sessionsHeld,
  supportHalfDays,
} from './sessions.repository.ts'
import { viewGroupSessions, viewSession } from './view-sessions.ts'

const clock = fixedClock('2026-12-03T10:00:00Z')
const HUB = 'northvale-maths-hub'
let database: TestDatabase
const actors = {} as Record<'lead' | 'viewer' | 'groupLead' | 'otherSpecialist' | 'otherHubLead', Actor>
let n = 0

function context(actor: Actor): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'sessions', baseUrl: 'http://localhost:3000' }
}

async function actorByEmail(email: string): Promise<Actor> {
  const person = await database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return (await actorForPerson(database.db, Number(person.id)))!
}

async function leadParticipation(): Promise<number> {
  const row = await database.db
    .selectFrom('participations')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .select('participations.id')
    .where('people.email', '=', DEMO_LEADS[0].email)
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

const asApp = () => ({ database, clock }) as unknown as TestApp

/** A running group of this year led by Ruth Adeyemi, with three schools each with two advocates. */
async function runningGroup(): Promise<{ id: number; schools: PlacedSchool[] }> {
  n += 1
  const group = await createWorkGroup(context(actors.lead), HUB, {
    programmeId: 'primary-development',
    academicYear: '2026/27',
    phase: 'primary',
    name: `Sessions test group ${n}`,
    meetingArea: 'Northvale',
    leads: [await leadParticipation()],
  })
  await moveWorkGroup(context(actors.lead), group.id, { event: 'open-recruitment' })
  await moveWorkGroup(context(actors.lead), group.id, { event: 'start' })
  return { id: group.id, schools: await fillGroup(asApp(), group.id, 3) }
}

function session(hostSchoolUrn: number, date = '2026-12-03', times = ['09:00', '12:00']) {
  return {
    date,
    startTime: times[0],
    endTime: times[1],
    hostSchoolUrn,
    bigIdea: 'representation-and-structure',
    lessonObserved: 'Year 3: partitioning two-digit numbers with a part-whole model',
  }
}

async function counts() {
  const tables = [
    'work_group_sessions',
    'work_group_attendance',
    'work_group_lesson_studies',
    'work_group_support_visits',
    'audit_events',
  ] as const
  const out: Record<string, number> = {}
  for (const table of tables) {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    out[table] = Number(row.n)
  }
  return out
}

async function refusal(work: Promise<unknown>): Promise<{ code: string; field: string; message: string }[]> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ValidationError)
  return (error as ValidationError).errors
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  actors.lead = await actorByEmail('priya.shah@northvale.mathshub.example')
  actors.viewer = await actorByEmail('oliver.grant@ncetm.example')
  actors.groupLead = await actorByEmail(DEMO_LEADS[0].email)
  actors.otherSpecialist = await actorByEmail(DEMO_LEADS[1].email)
  const otherLead = await database.db
    .selectFrom('grants')
    .innerJoin('people', 'people.id', 'grants.person_id')
    .select('people.email')
    .where('grants.role', '=', 'hub-lead')
    .where('grants.hub_id', '<>', HUB)
    .executeTakeFirstOrThrow()
  actors.otherHubLead = await actorByEmail(otherLead.email)
})

afterAll(async () => {
  await database?.destroy()
})

describe('sessions', () => {
  it('adds a session at one of the group’s schools or a lead’s school, and refuses another host', async () => {
    const group = await runningGroup()
    const added = await addSession(context(actors.groupLead), group.id, session(group.schools[0]!.urn))
    expect(added).toMatchObject({
      status: 'planned',
      date: '2026-12-03',
      bigIdea: 'representation-and-structure',
    })
    expect(added.startsAt.toISOString()).toBe('2026-12-03T09:00:00.000Z')
    const atLead = await addSession(context(actors.lead), group.id, session(DEMO_LEADS[0].urn, '2027-01-14'))
    expect(atLead.hostSchoolUrn).toBe(DEMO_LEADS[0].urn)
    const [outside] = await freeSchools(asApp(), group.id, 1)
    const before = await counts()
    const errors = await refusal(addSession(context(actors.lead), group.id, session(outside!)))
    expect(errors[0]).toMatchObject({ code: 'not-a-host', field: 'hostSchoolUrn' })
    expect(await counts()).toEqual(before)
  })

  it('refuses a session for a cancelled or completed group with a clear message, changing nothing', async () => {
    for (const last of ['cancel', 'complete'] as const) {
      const group = await runningGroup()
      await moveWorkGroup(context(actors.lead), group.id, { event: last })
      const before = await counts()
      const errors = await refusal(addSession(context(actors.lead), group.id, session(group.schools[0]!.urn)))
      expect(errors).toEqual([
        {
          code: 'group-finished',
          field: 'workGroup',
          message: `This group has been ${last === 'cancel' ? 'cancelled' : 'completed'}, so no sessions can be added to it`,
        },
      ])
      expect(await counts()).toEqual(before)
    }
  })

  it('refuses a session that ends before it starts, or has no lesson', async () => {
    const group = await runningGroup()
    const before = await counts()
    expect(
      (
        await refusal(
          addSession(
            context(actors.lead),
            group.id,
            session(group.schools[0]!.urn, '2026-12-10', ['14:00', '13:00']),
          ),
        )
      )[0],
    ).toMatchObject({ code: 'ends-before-start', field: 'endTime' })
    expect(
      (
        await refusal(
          addSession(context(actors.lead), group.id, {
            ...session(group.schools[0]!.urn),
            lessonObserved: ' ',
          }),
        )
      )[0],
    ).toMatchObject({ field: 'lessonObserved', message: 'Describe the lesson observed' })
    expect(await counts()).toEqual(before)
  })

  it('marks a session held once it has started, or cancelled; neither twice', async () => {
    const group = await runningGroup()
    const later = await addSession(
      context(actors.lead),
      group.id,
      session(group.schools[0]!.urn, '2026-12-10'),
    )
    expect((await refusal(moveSession(context(actors.lead), later.id, { event: 'hold' })))[0]?.code).toBe(
      'not-started',
    )
    expect((await moveSession(context(actors.lead), later.id, { event: 'cancel' })).status).toBe('cancelled')
    const today = await addSession(context(actors.lead), group.id, session(group.schools[0]!.urn))
    expect((await moveSession(context(actors.groupLead), today.id, { event: 'hold' })).status).toBe('held')
    expect((await refusal(moveSession(context(actors.lead), today.id, { event: 'cancel' })))[0]?.code).toBe(
      'refused-move',
    )
    expect(await sessionsHeld(database.db, group.id)).toBe(1)
  })

  it('is seen by national viewers and the group’s leads, managed by the leads and the hub team; others are told it is not there', async () => {
    const group = await runningGroup()
    const added = await addSession(context(actors.lead), group.id, session(group.schools[0]!.urn))
    expect((await viewSession(context(actors.viewer), added.id)).canManage).toBe(false)
    expect((await viewSession(context(actors.groupLead), added.id)).canManage).toBe(true)
    expect((await viewGroupSessions(context(actors.lead), group.id)).sessions.map((s) => s.id)).toEqual([
      added.id,
    ])
    await expect(viewSession(context(actors.otherSpecialist), added.id)).rejects.toBeInstanceOf(NotFoundError)
    await expect(viewSession(context(actors.otherHubLead), added.id)).rejects.toBeInstanceOf(NotFoundError)
    const before = await counts()
    await expect(
      addSession(context(actors.viewer), group.id, session(group.schools[0]!.urn)),
    ).rejects.toBeInstanceOf(NotFoundError)
    await expect(
      moveSession(context(actors.otherSpecialist), added.id, { event: 'cancel' }),
    ).rejects.toBeInstanceOf(NotFoundError)
    expect(await counts()).toEqual(before)
  })
})

describe('attendance', () => {
  it('is marked on screen, each absence with its reason; a mark without one, or for someone else, saves nothing', async () => {
    const group = await runningGroup()
    const s = await addSession(context(actors.lead), group.id, session(group.schools[0]!.urn))
    const [a, b] = group.schools[0]!.advocateIds
    const before = await counts()
    const errors = await refusal(
      markSessionAttendance(context(actors.groupLead), s.id, {
        marks: [
          { advocateId: a, status: 'present' },
          { advocateId: b, status: 'absent' },
        ],
      }),
    )
    expect(errors).toEqual([
      { code: 'reason', field: 'marks.1.absenceReason', message: 'Give the reason for the absence' },
    ])
    const stranger = (await runningGroup()).schools[0]!.advocateIds[0]
    expect(
      (
        await refusal(
          markSessionAttendance(context(actors.lead), s.id, {
            marks: [{ advocateId: stranger, status: 'present' }],
          }),
        )
      )[0]?.code,
    ).toBe('not-an-advocate')
    expect((await counts()).work_group_attendance).toBe(before.work_group_attendance)
    expect(
      await markSessionAttendance(context(actors.groupLead), s.id, {
        marks: [
          { advocateId: a, status: 'late' },
          { advocateId: b, status: 'absent', absenceReason: 'Covering a class' },
        ],
      }),
    ).toBe(2)
    const marks = await sessionAttendance(database.db, s.id)
    expect(marks.map((m) => [m.advocateId, m.status, m.absenceReason, m.method]).sort()).toEqual(
      [
        [a, 'late', null, 'screen'],
        [b, 'absent', 'Covering a class', 'screen'],
      ].sort(),
    )
  })

  it('is uploaded as a file: every row good or nothing saved, each problem naming its line and column', async () => {
    const group = await runningGroup()
    const s = await addSession(context(actors.lead), group.id, session(group.schools[0]!.urn))
    const [x, y] = group.schools.map((p) => p.urn)
    const bad = [
      'Email,Status,Absence reason',
      `advocate1.${x}@school.example,present,`,
      `nobody@school.example,present,`,
      `advocate2.${x}@school.example,absent,`,
      `advocate1.${y}@school.example,asleep,`,
    ].join('\n')
    const before = await counts()
    const errors = await refusal(
      importSessionAttendance(context(actors.lead), s.id, new TextEncoder().encode(bad)),
    )
    expect(errors.map((e) => e.message)).toEqual([
      'Line 3, column "Email": no advocate of the group’s schools has this email address',
      'Line 4, column "Absence reason": give the reason for the absence',
      'Line 5, column "Status": enter present, late, left early or absent',
    ])
    expect(await counts()).toEqual(before)
    const good = [
      'Email,Status,Absence reason',
      `ADVOCATE1.${x}@school.example,Present,`,
      `advocate2.${x}@school.example,Left early,`,
      `advocate1.${y}@school.example,absent,Illness`,
    ].join('\n')
    expect(await importSessionAttendance(context(actors.lead), s.id, new TextEncoder().encode(good))).toBe(3)
    const marks = await sessionAttendance(database.db, s.id)
    expect(marks.map((m) => m.method)).toEqual(['upload', 'upload', 'upload'])
    expect(marks.map((m) => m.status).sort()).toEqual(['absent', 'left-early', 'present'])
  })

  it('is entered by the advocate with the session’s code during its hours, answering the same for any address', async () => {
    const group = await runningGroup()
    const s = await addSession(context(actors.lead), group.id, session(group.schools[1]!.urn))
    const code = await showSessionCode(context(actors.groupLead), s.id)
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
    const anonymous = context({ kind: 'anonymous' } as Actor)
    const email = `advocate2.${group.schools[1]!.urn}@school.example`
    await enterSessionCode(anonymous, s.id, { email, code: code.toLowerCase() })
    const marks = await sessionAttendance(database.db, s.id)
    expect(marks).toMatchObject([
      { advocateId: group.schools[1]!.advocateIds[1], status: 'present', method: 'code' },
    ])
    // Someone who is not an advocate is answered the same, and nothing is written.
    const before = await counts()
    await expect(
      enterSessionCode(anonymous, s.id, { email: 'curious@elsewhere.example', code }),
    ).resolves.toBeUndefined()
    expect(await counts()).toEqual(before)
    // Outside the session's hours the code is refused.
    clock.set('2026-12-03T12:30:00Z')
    expect((await refusal(enterSessionCode(anonymous, s.id, { email, code })))[0]?.code).toBe('not-now')
    clock.set('2026-12-03T10:00:00Z')
  })

  it('refuses wrong codes, and after five in an hour refuses even the right one', async () => {
    const group = await runningGroup()
    const s = await addSession(context(actors.lead), group.id, session(group.schools[2]!.urn))
    const code = await showSessionCode(context(actors.lead), s.id)
    const anonymous = context({ kind: 'anonymous' } as Actor)
    const email = `advocate1.${group.schools[2]!.urn}@school.example`
    for (let i = 0; i < 5; i += 1)
      expect((await refusal(enterSessionCode(anonymous, s.id, { email, code: 'WRONG1' })))[0]?.code).toBe(
        'wrong-code',
      )
    expect((await refusal(enterSessionCode(anonymous, s.id, { email, code: 'WRONG1' })))[0]?.code).toBe(
      'too-many',
    )
    expect((await refusal(enterSessionCode(anonymous, s.id, { email, code })))[0]?.code).toBe('too-many')
    expect(await sessionAttendance(database.db, s.id)).toEqual([])
  })

  it('counts each advocate’s held sessions in their period, and lists the sessions a school’s advocates attended', async () => {
    const group = await runningGroup()
    const [first] = group.schools
    const held = await addSession(context(actors.lead), group.id, session(first!.urn))
    await markSessionAttendance(context(actors.lead), held.id, {
      marks: [
        { advocateId: first!.advocateIds[0], status: 'present' },
        { advocateId: first!.advocateIds[1], status: 'absent', absenceReason: 'Training day' },
      ],
    })
    await moveSession(context(actors.lead), held.id, { event: 'hold' })
    await addSession(context(actors.lead), group.id, session(first!.urn, '2027-02-04'))
    expect(await sessionsHeld(database.db, group.id)).toBe(1)
    const rows = await advocateAttendance(database.db, group.id)
    expect(rows.find((r) => r.advocateId === first!.advocateIds[0])).toEqual({
      advocateId: first!.advocateIds[0],
      interestId: first!.interestId,
      schoolUrn: first!.urn,
      attended: 1,
      held: 1,
    })
    expect(rows.find((r) => r.advocateId === first!.advocateIds[1])).toMatchObject({ attended: 0, held: 1 })
    const timeline = await schoolSessions(database.db, first!.urn)
    expect(timeline).toMatchObject([
      { sessionId: held.id, workGroupId: group.id, advocateId: first!.advocateIds[0], status: 'present' },
    ])
  })
})

describe('lesson study', () => {
  it('is recorded per school after a held session, and refused for a school not in the group, changing nothing', async () => {
    const group = await runningGroup()
    const s = await addSession(context(actors.lead), group.id, session(group.schools[0]!.urn))
    const study = {
      schoolUrn: group.schools[1]!.urn,
      lessonTaught: 'Year 4: comparing fractions with bar models',
      taughtBy: 'Ms Patel, Year 4 teacher',
      classes: '4P and 4K',
      learned: 'Pupils reasoned better when the whole was drawn the same length.',
    }
    const notHeld = await refusal(recordLessonStudy(context(actors.lead), s.id, study))
    expect(notHeld[0]?.code).toBe('not-held')
    await moveSession(context(actors.lead), s.id, { event: 'hold' })
    const [outside] = await freeSchools(asApp(), group.id, 1)
    const before = await counts()
    const errors = await refusal(
      recordLessonStudy(context(actors.lead), s.id, { ...study, schoolUrn: outside }),
    )
    expect(errors).toEqual([
      {
        code: 'not-in-group',
        field: 'schoolUrn',
        message: 'This school is not in the group, so its lesson study cannot be recorded',
      },
    ])
    expect(await counts()).toEqual(before)
    const saved = await recordLessonStudy(context(actors.groupLead), s.id, study)
    expect(saved).toMatchObject({ schoolUrn: study.schoolUrn, classes: '4P and 4K' })
    const again = await recordLessonStudy(context(actors.groupLead), s.id, { ...study, classes: '4P' })
    expect(again.id).toBe(saved.id)
    expect((await viewSession(context(actors.viewer), s.id)).lessonStudies.map((l) => l.classes)).toEqual([
      '4P',
    ])
  })
})

describe('support visits', () => {
  it('are recorded by a lead for the group’s schools in 1 to 4 half-days, and counted for release time', async () => {
    const group = await runningGroup()
    const participationId = await leadParticipation()
    const from = await supportHalfDays(database.db, participationId, '2026-09-01', '2027-08-31')
    const afterIt = await supportHalfDays(database.db, participationId, '2026-11-27', '2027-08-31')
    const visit = await recordSupportVisit(context(actors.groupLead), group.id, {
      participationId,
      schoolUrn: group.schools[0]!.urn,
      visitedOn: '2026-11-26',
      halfDays: 2,
      notes: 'Modelled a lesson on place value',
    })
    expect(visit).toMatchObject({ halfDays: 2, specialistName: DEMO_LEADS[0].name })
    expect(await supportHalfDays(database.db, participationId, '2026-09-01', '2027-08-31')).toBe(from + 2)
    expect(await supportHalfDays(database.db, participationId, '2026-11-27', '2027-08-31')).toBe(afterIt)
    const before = await counts()
    const [outside] = await freeSchools(asApp(), group.id, 1)
    for (const [input, code] of [
      [{ halfDays: 5 }, 'invalid'],
      [{ schoolUrn: outside }, 'not-in-group'],
      [{ visitedOn: '2026-12-25' }, 'future'],
    ] as const) {
      const errors = await refusal(
        recordSupportVisit(
          context(actors.lead),
          group.id,
          Object.assign(
            { participationId, schoolUrn: group.schools[0]!.urn, visitedOn: '2026-11-26', halfDays: 1 },
            input,
          ),
        ),
      )
      expect(errors[0]?.code).toBe(code)
    }
    expect(await counts()).toEqual(before)
    const view = await viewGroupSessions(context(actors.viewer), group.id)
    expect(view.supportHalfDays).toEqual([{ participationId, name: DEMO_LEADS[0].name, halfDays: 2 }])
  })
})

describe('the demo', () => {
  it('gives both running Northvale groups held sessions with attendance and lesson study, and planned ones', async () => {
    for (const name of ['Northvale Primary Development A', 'Northvale Primary Embedding']) {
      const group = await database.db
        .selectFrom('work_groups')
        .select('id')
        .where('name', '=', name)
        .where('state', '=', 'running')
        .executeTakeFirstOrThrow()
      const view = await viewGroupSessions(context(actors.lead), Number(group.id))
      const held = view.sessions.filter((s) => s.status === 'held')
      expect(held.length).toBeGreaterThanOrEqual(3)
      expect(view.sessions.some((s) => s.status === 'planned')).toBe(true)
      for (const s of held) {
        const one = await viewSession(context(actors.lead), s.id)
        expect(one.advocates.every((a) => a.mark !== undefined)).toBe(true)
        expect(one.lessonStudies.length).toBe(one.schools.length)
      }
      expect(view.supportVisits.length).toBe(1)
    }
    const marks = await database.db
      .selectFrom('work_group_attendance')
      .select(['status', 'absence_reason'])
      .execute()
    expect(marks.filter((m) => m.status === 'late').length).toBeGreaterThanOrEqual(1)
    expect(marks.filter((m) => m.status === 'absent' && m.absence_reason).length).toBeGreaterThanOrEqual(2)
  })
})
