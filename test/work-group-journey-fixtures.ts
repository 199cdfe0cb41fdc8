// Sessions and attendance for the journey, grants and evaluation tests, written straight to the
// tables (the sessions' own use-cases have their own tests), and a Northvale school with no stage.
import type { AttendanceStatus } from '../src/db/schema.ts'
import { issueQuestionnaire } from '../src/domain/work-groups/evaluation/send-questionnaire.ts'
import type { TestApp } from './app.ts'
import { freshWorkGroup } from './work-group-fixtures.ts'
import { fillGroup, freeSchools, placeSchool } from './work-group-school-fixtures.ts'

const DAY = 86_400_000

/** Held sessions of the group, a week apart from the start of its academic year. */
export async function holdSessions(t: TestApp, workGroupId: number, count: number): Promise<number[]> {
  const db = t.database.db
  const group = await db
    .selectFrom('work_groups')
    .select(['academic_year'])
    .where('id', '=', workGroupId)
    .executeTakeFirstOrThrow()
  const host = await db
    .selectFrom('school_hubs')
    .select('urn')
    .where('hub_id', '=', 'northvale-maths-hub')
    .orderBy('urn')
    .executeTakeFirstOrThrow()
  const existing = await db
    .selectFrom('work_group_sessions')
    .select('id')
    .where('work_group_id', '=', workGroupId)
    .execute()
  const start = new Date(`${group.academic_year.slice(0, 4)}-09-15T13:00:00Z`).getTime()
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    const at = start + (existing.length + i) * 7 * DAY
    const row = await db
      .insertInto('work_group_sessions')
      .values({
        work_group_id: workGroupId,
        starts_at: new Date(at),
        ends_at: new Date(at + 3 * 3_600_000),
        host_school_urn: host.urn,
        big_idea: 'fluency',
        lesson_observed: `Year 3 fluency lesson ${existing.length + i + 1}`,
        status: 'held',
        created_at: t.clock.now(),
        updated_at: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.push(Number(row.id))
  }
  return ids
}

/** Marks the advocate at each session: the first `attended` sessions present, the rest absent. */
export async function attend(
  t: TestApp,
  advocateId: number,
  sessionIds: number[],
  attended: number,
  status: AttendanceStatus = 'present',
): Promise<void> {
  for (const [i, sessionId] of sessionIds.entries()) {
    const there = i < attended
    await t.database.db
      .insertInto('work_group_attendance')
      .values({
        session_id: sessionId,
        advocate_id: advocateId,
        status: there ? status : 'absent',
        absence_reason: there ? null : 'Unwell',
        method: 'screen',
        recorded_at: t.clock.now(),
      })
      .execute()
  }
}

/** An open Northvale school with no stage recorded yet (primary unless another phase is given). */
export async function schoolWithoutStage(t: TestApp, phase = 'Primary', exceptLa?: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('schools')
    .innerJoin('school_hubs', 'school_hubs.urn', 'schools.urn')
    .select('schools.urn')
    .where('school_hubs.hub_id', '=', 'northvale-maths-hub')
    .$if(exceptLa !== undefined, (q) => q.where('schools.la_code', '<>', exceptLa!))
    .where('schools.open', '=', true)
    .where('schools.phase', '=', phase)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('school_mastery_stages')
            .select('school_mastery_stages.id')
            .whereRef('school_mastery_stages.school_urn', '=', 'schools.urn'),
        ),
      ),
    )
    .orderBy('schools.urn', 'desc')
    .executeTakeFirstOrThrow()
  return row.urn
}

/** A fresh running Northvale group with one school, its advocates sent the questionnaire: a link's token. */
export async function freshQuestionnaireToken(t: TestApp): Promise<{ workGroupId: number; token: string }> {
  const workGroupId = await freshWorkGroup(t, ['open-recruitment', 'start'])
  await fillGroup(t, workGroupId, 1)
  const now = t.clock.now()
  const [link] = await t.database.db
    .transaction()
    .execute((tx) => issueQuestionnaire({ tx, now }, 'http://localhost:3000', workGroupId))
  return { workGroupId, token: link!.token }
}

/** A full set of answers to the live questions for the audience, as the form sends them. */
export async function fullAnswers(
  t: TestApp,
  audience: 'advocate' | 'specialist',
): Promise<Record<string, string>> {
  const rows = await t.database.db
    .selectFrom('evaluation_questions')
    .select(['id', 'kind'])
    .where('audience', '=', audience)
    .where('retired_at', 'is', null)
    .execute()
  return Object.fromEntries(rows.map((q) => [`q${q.id}`, q.kind === 'scale' ? '4' : 'It went well.']))
}

/** What the hostile every-route test aims its journey, evaluation and grant routes at. */
export interface JourneyRouteFixtures {
  /** A Northvale school with no stage yet, whose stage the hostile input tries to move. */
  urn: number
  /** A running group with a school whose advocates have links, and one link's token. */
  group: number
  token: string
  /** A live question of NCETM's. */
  question: number
}

export async function journeyRouteFixtures(t: TestApp): Promise<JourneyRouteFixtures> {
  // The advocate's link comes from a group of its own: sending the group's questionnaire again
  // (its own route in the suite) retires the links sent before.
  const { token } = await freshQuestionnaireToken(t)
  const { workGroupId } = await freshQuestionnaireToken(t)
  // Sam Carter (the specialist persona) leads it, so the specialist's questionnaire is reached.
  const sam = await t.database.db
    .selectFrom('participations')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .select('participations.id')
    .where('people.email', '=', 'sam.carter@school.example')
    .executeTakeFirstOrThrow()
  await t.database.db
    .insertInto('work_group_leads')
    .values({ work_group_id: workGroupId, participation_id: Number(sam.id) })
    .execute()
  const question = await t.database.db
    .selectFrom('evaluation_questions')
    .select('id')
    .where('retired_at', 'is', null)
    .orderBy('id')
    .executeTakeFirstOrThrow()
  // Not a Farthingdale school: the hostile suite lends Farthingdale to Northvale, then another of
  // its routes takes the area away again, and the school would have no hub to record its moves.
  return {
    urn: await schoolWithoutStage(t, 'Primary', '958'),
    group: workGroupId,
    token,
    question: Number(question.id),
  }
}

/** Schools new to the group's programme (no interest in it in any year), placed in the group. */
export async function fillGroupWithNewSchools(t: TestApp, workGroupId: number, count: number) {
  const group = await t.database.db
    .selectFrom('work_groups')
    .select('programme_id')
    .where('id', '=', workGroupId)
    .executeTakeFirstOrThrow()
  const candidates = await freeSchoolsUpTo(t, workGroupId, 40)
  const placed = []
  for (const urn of candidates) {
    if (placed.length === count) break
    const before = await t.database.db
      .selectFrom('work_group_interests')
      .select('id')
      .where('school_urn', '=', urn)
      .where('programme_id', '=', group.programme_id)
      .executeTakeFirst()
    if (!before) placed.push(await placeSchool(t, workGroupId, urn))
  }
  if (placed.length < count) throw new Error('not enough schools new to the programme')
  return placed
}

async function freeSchoolsUpTo(t: TestApp, workGroupId: number, most: number): Promise<number[]> {
  for (let n = most; n > 0; n--) {
    try {
      return await freeSchools(t, workGroupId, n)
    } catch {
      continue
    }
  }
  return []
}
