// Schools in Work Groups on a real database, from the demo: registering interest with every
// refusal changing nothing (an ineligible school, one out of the hub's area, Development a second
// time), support by single-use links (used, expired and replaced links refused), exactly two
// advocates with dated changes, and the hub's decisions with capacity and the waiting list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { loadDemo } from '../../../db/seeds/demo.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock, type Clock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { Actor } from '../../access/actor.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { askForSupport } from './ask-for-support.ts'
import { answerSupportRequest, viewSupportRequest } from './answer-support.ts'
import { decideInterest } from './decide-interest.ts'
import { expressInterest } from './express-interest.ts'
import { changeAdvocate, nameAdvocate } from './name-advocates.ts'
import { acceptedSchools, interestedSchoolsFor } from './index.ts'
import { viewHubInterests, viewSchoolWorkGroups } from './view-school-work-groups.ts'

const clock = fixedClock('2026-12-03T10:00:00Z')
const HUB = 'northvale-maths-hub'
const YEAR = '2026/27'
let database: TestDatabase
let hubLead: Actor
let otherHubLead: Actor
let free: number[] = []

function context(actor: Actor, at: Clock = clock): UseCaseContext {
  return { db: database.db, actor, clock: at, requestId: 'schools', baseUrl: 'http://localhost:3000' }
}

function contactOf(urn: number): Actor {
  return {
    kind: 'person',
    personId: 1,
    name: 'A school contact',
    email: 'contact@school.example',
    grants: [{ id: 1, role: 'school-contact', hubId: null, cohortId: null, schoolUrn: urn }],
    via: 'session',
  }
}

async function actorByEmail(email: string): Promise<Actor> {
  const person = await database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return (await actorForPerson(database.db, Number(person.id)))!
}

const TABLES = [
  'work_group_interests',
  'work_group_interest_history',
  'work_group_support_requests',
  'work_group_advocates',
  'audit_events',
  'outbox',
] as const

async function counts(): Promise<Record<(typeof TABLES)[number], number>> {
  const result = {} as Record<(typeof TABLES)[number], number>
  for (const table of TABLES) {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    result[table] = Number(row.n)
  }
  return result
}

async function refused(work: () => Promise<unknown>, code: string): Promise<string> {
  const before = await counts()
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ValidationError)
  const errors = (error as ValidationError).errors
  expect(errors.map((e) => e.code)).toContain(code)
  expect(await counts()).toEqual(before)
  return errors.map((e) => e.message).join(' ')
}

function form(programmeId: string, extra: Record<string, unknown> = {}) {
  return {
    programmeId,
    academicYear: YEAR,
    statement: 'We are ready to start.',
    headOfMaths: { name: 'Jo Head', email: 'jo.head@school.example' },
    seniorLeader: { name: 'Sam Senior', email: 'sam.senior@school.example' },
    ...extra,
  }
}

async function tokenFor(email: string): Promise<string> {
  const row = await database.db
    .selectFrom('outbox')
    .select('body_text')
    .where('to_address', '=', email)
    .where('template', '=', 'work-group-support-request')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return /\/work-group-support\/([A-Za-z0-9_-]+)/.exec(row.body_text)![1]!
}

async function groupId(name: string): Promise<number> {
  const row = await database.db
    .selectFrom('work_groups')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** A school with an interest made ready through both leaders' links. */
async function readySchool(urn: number, programmeId = 'readiness'): Promise<number> {
  const head = `head.${urn}@school.example`
  const senior = `senior.${urn}@school.example`
  const interest = await expressInterest(
    context(contactOf(urn)),
    urn,
    form(programmeId, {
      headOfMaths: { name: 'Jo Head', email: head },
      seniorLeader: { name: 'Sam Senior', email: senior },
    }),
  )
  for (const email of [head, senior])
    await answerSupportRequest(context(contactOf(urn)), await tokenFor(email), { answer: 'supported' })
  return interest.id
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  hubLead = await actorByEmail('priya.shah@northvale.mathshub.example')
  otherHubLead = await actorByEmail('ruth.okafor@riverside.mathshub.example')
  const rows = await database.db
    .selectFrom('schools')
    .innerJoin('school_hubs', 'school_hubs.urn', 'schools.urn')
    .select('schools.urn')
    .where('school_hubs.hub_id', '=', HUB)
    .where('schools.open', '=', true)
    .where('schools.state_funded', '=', true)
    .where('schools.phase', '=', 'Primary')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('work_group_interests')
            .select('id')
            .whereRef('work_group_interests.school_urn', '=', 'schools.urn'),
        ),
      ),
    )
    .orderBy('schools.urn')
    .execute()
  free = rows.map((r) => r.urn)
}, 120_000)

afterAll(async () => {
  await database?.destroy()
})

describe('the demo', () => {
  it('gives Northvale’s groups their schools, advocates and interested schools', async () => {
    const development = await acceptedSchools(database.db, await groupId('Northvale Primary Development A'))
    const embedding = await acceptedSchools(database.db, await groupId('Northvale Primary Embedding'))
    expect(development).toHaveLength(6)
    expect(embedding).toHaveLength(5)
    for (const school of [...development, ...embedding]) expect(school.advocates).toHaveLength(2)
    const readiness = await viewHubInterests(context(hubLead), HUB, {
      programmeId: 'readiness',
      academicYear: YEAR,
    })
    const statuses = readiness.interests.map((i) => i.status).sort()
    expect(statuses).toEqual(['awaiting-support', 'ready', 'ready', 'ready', 'waiting'])
    const awaiting = readiness.interests.find((i) => i.status === 'awaiting-support')!
    expect(awaiting.support.find((s) => s.role === 'head-of-maths')?.answer).toBe('supported')
    expect(awaiting.support.find((s) => s.role === 'senior-leader')?.answer).toBeNull()
    const changed = await database.db
      .selectFrom('work_group_advocates')
      .select(['to_date', 'change_reason'])
      .where((eb) => eb.or([eb('to_date', 'is not', null), eb('change_reason', 'is not', null)]))
      .execute()
    expect(changed).toHaveLength(2)
    const allocation = await interestedSchoolsFor(database.db, HUB, 'readiness', YEAR)
    expect(allocation.map((s) => s.status).sort()).toEqual(['ready', 'ready', 'ready', 'waiting'])
    expect(allocation[0]).toMatchObject({ phase: 'Primary', work_group_id: null })
    expect(free.length).toBeGreaterThanOrEqual(8)
  })

  it('shows Helen Morris her school’s place in Primary Development A', async () => {
    const helen = await actorByEmail('helen.morris@school.example')
    const urn = helen.kind === 'person' ? helen.grants[0]!.schoolUrn! : 0
    const page = await viewSchoolWorkGroups(context(helen), urn)
    expect(page.interests[0]).toMatchObject({
      status: 'accepted',
      workGroupName: 'Northvale Primary Development A',
    })
    expect(page.interests[0]!.advocates.filter((a) => a.toDate === null)).toHaveLength(2)
  })
})

describe('registering interest', () => {
  it('asks both leaders for support, with history, audit and two emails', async () => {
    const urn = free.shift()!
    const before = await counts()
    const interest = await expressInterest(context(contactOf(urn)), urn, form('readiness'))
    expect(interest).toMatchObject({ status: 'awaiting-support', hubId: HUB, academicYear: YEAR })
    expect(interest.support.map((s) => s.role).sort()).toEqual(['head-of-maths', 'senior-leader'])
    const after = await counts()
    expect(after.work_group_interest_history - before.work_group_interest_history).toBe(1)
    expect(after.outbox - before.outbox).toBe(2)
    expect(after.audit_events - before.audit_events).toBe(1)
    // The same programme and year again is refused.
    await refused(() => expressInterest(context(contactOf(urn)), urn, form('readiness')), 'duplicate')
  })

  it('refuses an independent school, one outside England and one outside the hub’s area', async () => {
    const independent = await database.db
      .selectFrom('schools')
      .innerJoin('school_hubs', 'school_hubs.urn', 'schools.urn')
      .select('schools.urn')
      .where('school_hubs.hub_id', '=', HUB)
      .where('schools.state_funded', '=', false)
      .executeTakeFirstOrThrow()
    expect(
      await refused(
        () => expressInterest(context(contactOf(independent.urn)), independent.urn, form('readiness')),
        'not-state-funded',
      ),
    ).toMatch(/not state-funded/)
    const outside = free.shift()!
    await database.db.updateTable('schools').set({ in_england: false }).where('urn', '=', outside).execute()
    expect(
      await refused(
        () => expressInterest(context(contactOf(outside)), outside, form('readiness')),
        'not-in-england',
      ),
    ).toMatch(/not in England/)
    await database.db.updateTable('schools').set({ in_england: true }).where('urn', '=', outside).execute()
    expect(
      await refused(
        () =>
          expressInterest(
            context(contactOf(outside)),
            outside,
            form('readiness', { hubId: 'riverside-maths-hub' }),
          ),
        'out-of-area',
      ),
    ).toMatch(/not in Riverside Maths Hub’s area/)
  })

  it('refuses a school of the wrong phase and a year it cannot register for', async () => {
    const urn = free[0]!
    expect(
      await refused(
        () => expressInterest(context(contactOf(urn)), urn, form('secondary-development')),
        'phase-not-served',
      ),
    ).toMatch(/secondary/)
    await refused(
      () => expressInterest(context(contactOf(urn)), urn, form('readiness', { academicYear: '2030/31' })),
      'year',
    )
  })

  it('refuses Development a second time, in any year', async () => {
    const helen = await actorByEmail('helen.morris@school.example')
    const urn = helen.kind === 'person' ? helen.grants[0]!.schoolUrn! : 0
    expect(
      await refused(
        () => expressInterest(context(helen), urn, form('primary-development', { academicYear: '2027/28' })),
        'once-per-school',
      ),
    ).toMatch(/only once/)
  })

  it('is not there for someone who is not the school’s contact', async () => {
    const urn = free[0]!
    await expect(expressInterest(context(contactOf(urn + 1)), urn, form('readiness'))).rejects.toBeInstanceOf(
      NotFoundError,
    )
    await expect(expressInterest(context(hubLead), urn, form('readiness'))).rejects.toBeInstanceOf(
      NotFoundError,
    )
  })
})

describe('support by single-use links', () => {
  it('moves the interest to ready when both support it; a used, replaced or expired link says so', async () => {
    const urn = free.shift()!
    const interest = await expressInterest(
      context(contactOf(urn)),
      urn,
      form('readiness', {
        headOfMaths: { name: 'Jo Head', email: `h.${urn}@school.example` },
        seniorLeader: { name: 'Sam Senior', email: `s.${urn}@school.example` },
      }),
    )
    const head = await tokenFor(`h.${urn}@school.example`)
    expect((await viewSupportRequest(context(contactOf(urn)), head)).status).toBe('open')
    const first = await answerSupportRequest(context(contactOf(urn)), head, { answer: 'supported' })
    expect(first.interest.status).toBe('awaiting-support')
    expect(
      await refused(
        () => answerSupportRequest(context(contactOf(urn)), head, { answer: 'supported' }),
        'link-used',
      ),
    ).toMatch(/already answered/)
    // The senior leader says no: the school and the hub see it; the school asks someone else.
    const senior = await tokenFor(`s.${urn}@school.example`)
    const no = await answerSupportRequest(context(contactOf(urn)), senior, { answer: 'not-supported' })
    expect(no.interest.status).toBe('awaiting-support')
    expect(no.interest.support.find((s) => s.role === 'senior-leader')?.answer).toBe('not-supported')
    const hubView = await viewHubInterests(context(hubLead), HUB, {
      programmeId: 'readiness',
      academicYear: YEAR,
    })
    expect(
      hubView.interests.find((i) => i.id === interest.id)?.support.find((s) => s.role === 'senior-leader')
        ?.answer,
    ).toBe('not-supported')
    await askForSupport(context(contactOf(urn)), interest.id, {
      role: 'senior-leader',
      name: 'Pat Deputy',
      email: `p.${urn}@school.example`,
    })
    const newer = await tokenFor(`p.${urn}@school.example`)
    await askForSupport(context(contactOf(urn)), interest.id, {
      role: 'senior-leader',
      name: 'Pat Deputy',
      email: `p2.${urn}@school.example`,
    })
    expect(
      await refused(
        () => answerSupportRequest(context(contactOf(urn)), newer, { answer: 'supported' }),
        'link-replaced',
      ),
    ).toMatch(/newest email/)
    const newest = await tokenFor(`p2.${urn}@school.example`)
    const later = fixedClock(new Date(clock.now().getTime() + 15 * 86_400_000))
    expect(
      await refused(
        () => answerSupportRequest(context(contactOf(urn), later), newest, { answer: 'supported' }),
        'link-expired',
      ),
    ).toMatch(/expired/)
    const done = await answerSupportRequest(context(contactOf(urn)), newest, { answer: 'supported' })
    expect(done.interest.status).toBe('ready')
    const history = await database.db
      .selectFrom('work_group_interest_history')
      .select(['event', 'to_status'])
      .where('interest_id', '=', interest.id)
      .orderBy('id')
      .execute()
    expect(history.map((h) => h.event)).toEqual(['register', 'supported'])
  })
})

describe('advocates', () => {
  it('takes exactly two, refuses a third and records a change with its date and reason', async () => {
    const urn = free.shift()!
    const id = await readySchool(urn)
    const school = context(contactOf(urn))
    await nameAdvocate(school, id, { name: 'Ada One', email: 'ada@school.example', role: 'Maths lead' })
    await nameAdvocate(school, id, { name: 'Bo Two', email: 'bo@school.example', role: 'Year 2 teacher' })
    expect(
      await refused(
        () => nameAdvocate(school, id, { name: 'Cy Three', email: 'cy@school.example', role: 'Teacher' }),
        'third-advocate',
      ),
    ).toMatch(/exactly two Mastery Advocates/)
    const changed = await changeAdvocate(school, id, {
      slot: 2,
      name: 'Di New',
      email: 'di@school.example',
      role: 'Year 4 teacher',
      fromDate: '2027-01-04',
      reason: 'Bo has moved to another school.',
    })
    const current = changed.advocates.filter((a) => a.toDate === null)
    expect(current.map((a) => a.name)).toEqual(['Ada One', 'Di New'])
    expect(changed.advocates.find((a) => a.name === 'Bo Two')).toMatchObject({ toDate: '2027-01-04' })
    expect(changed.advocates.find((a) => a.name === 'Di New')).toMatchObject({
      fromDate: '2027-01-04',
      changeReason: 'Bo has moved to another school.',
    })
    await refused(
      () =>
        changeAdvocate(school, id, {
          slot: 1,
          name: 'E',
          email: 'e@school.example',
          role: 'T',
          fromDate: '2020-01-01',
          reason: 'x',
        }),
      'before-start',
    )
    await expect(
      nameAdvocate(context(contactOf(urn + 1)), id, { name: 'X', email: 'x@school.example', role: 'T' }),
    ).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('the hub’s decision', () => {
  it('keeps a waiting list that closes up, accepts into a group, and refuses a full group', async () => {
    const readiness = await groupId('Northvale Readiness')
    const lead = context(hubLead)
    const [a, b, c] = [
      await readySchool(free.shift()!),
      await readySchool(free.shift()!),
      await readySchool(free.shift()!),
    ]
    const positionBefore = (await interestedSchoolsFor(database.db, HUB, 'readiness', YEAR)).filter(
      (s) => s.status === 'waiting',
    ).length
    const waitA = await decideInterest(lead, a, { decision: 'wait' })
    const waitB = await decideInterest(lead, b, { decision: 'wait' })
    expect(waitB.waitingPosition).toBe(waitA.waitingPosition! + 1)
    expect(waitA.waitingPosition).toBe(positionBefore + 1)
    const accepted = await decideInterest(lead, a, { decision: 'accept', workGroupId: readiness })
    expect(accepted).toMatchObject({ status: 'accepted', workGroupId: readiness, waitingPosition: null })
    const bNow = (await viewHubInterests(lead, HUB, { programmeId: 'readiness' })).interests.find(
      (i) => i.id === b,
    )!
    expect(bNow.waitingPosition).toBe(waitA.waitingPosition)
    // Fill the group to its capacity, then one more is refused and nothing changes.
    const group = await database.db
      .selectFrom('work_groups')
      .select('capacity')
      .where('id', '=', readiness)
      .executeTakeFirstOrThrow()
    while ((await acceptedSchools(database.db, readiness)).length < group.capacity) {
      const next = await readySchool(free.shift()!)
      await decideInterest(lead, next, { decision: 'accept', workGroupId: readiness })
    }
    expect(
      await refused(
        () => decideInterest(lead, c, { decision: 'accept', workGroupId: readiness }),
        'over-capacity',
      ),
    ).toMatch(/is full/)
    // Another hub's lead is told it is not there, and nothing changes.
    await expect(decideInterest(context(otherHubLead), c, { decision: 'decline' })).rejects.toBeInstanceOf(
      NotFoundError,
    )
    const declined = await decideInterest(lead, c, { decision: 'decline' })
    expect(declined.status).toBe('declined')
    const history = await database.db
      .selectFrom('work_group_interest_history')
      .select('event')
      .where('interest_id', '=', a)
      .orderBy('id')
      .execute()
    expect(history.map((h) => h.event)).toEqual(['register', 'supported', 'wait', 'accept'])
  })

  it('refuses a decision before both leaders support it, and a group of another programme', async () => {
    const urn = free.shift()!
    const waiting = await expressInterest(context(contactOf(urn)), urn, form('readiness'))
    await refused(() => decideInterest(context(hubLead), waiting.id, { decision: 'wait' }), 'not-decidable')
    const ready = await readySchool(free.shift()!)
    await refused(
      () => decideInterest(context(hubLead), ready, { decision: 'accept', workGroupId: 0 + 1 }),
      'group',
    )
  })
})
