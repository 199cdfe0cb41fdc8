// Work Groups on a real database, from the demo: Northvale's two running groups and the one
// recruiting, led by active specialists; setting up a group with every refusal changing nothing;
// moving a group through its states with history and audit; and who may see and change what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { loadDemo } from '../../db/seeds/demo.ts'
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts'
import { fixedClock } from '../../lib/clock.ts'
import { actorForPerson } from '../access/actors.repository.ts'
import type { Actor } from '../access/actor.ts'
import type { UseCaseContext } from '../use-case.ts'
import { academicYearOf, createWorkGroup, moveWorkGroup } from './manage-work-groups.ts'
import {
  newWorkGroupOptions,
  viewHubWorkGroups,
  viewMyWorkGroups,
  viewWorkGroup,
} from './view-work-groups.ts'
import { DEMO_LEADS } from './work-groups.demo.ts'

const clock = fixedClock('2026-12-03T10:00:00Z')
const HUB = 'northvale-maths-hub'
let database: TestDatabase
const actors = {} as Record<'admin' | 'viewer' | 'lead' | 'otherLead' | 'specialist' | 'groupLead', Actor>

function context(actor: Actor): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'work-groups', baseUrl: 'http://localhost:3000' }
}

async function actorByEmail(email: string): Promise<Actor> {
  const person = await database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return (await actorForPerson(database.db, Number(person.id)))!
}

async function counts() {
  const [groups, history, audit] = await Promise.all(
    ['work_groups', 'work_group_history', 'audit_events'].map((table) =>
      database.db
        .selectFrom(table as 'work_groups')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
  )
  return { groups: Number(groups!.n), history: Number(history!.n), audit: Number(audit!.n) }
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  actors.admin = await actorByEmail('nadia.khan@ncetm.example')
  actors.lead = await actorByEmail('priya.shah@northvale.mathshub.example')
  actors.specialist = await actorByEmail('sam.carter@school.example')
  actors.groupLead = await actorByEmail(DEMO_LEADS[0].email)
  const viewer = await database.db
    .selectFrom('grants')
    .innerJoin('people', 'people.id', 'grants.person_id')
    .select('people.email')
    .where('grants.role', '=', 'national-viewer')
    .executeTakeFirstOrThrow()
  actors.viewer = await actorByEmail(viewer.email)
  const otherLead = await database.db
    .selectFrom('grants')
    .innerJoin('people', 'people.id', 'grants.person_id')
    .select('people.email')
    .where('grants.role', '=', 'hub-lead')
    .where('grants.hub_id', '<>', HUB)
    .executeTakeFirstOrThrow()
  actors.otherLead = await actorByEmail(otherLead.email)
})

afterAll(async () => {
  await database?.destroy()
})

async function form(name: string) {
  const options = await newWorkGroupOptions(context(actors.lead), HUB)
  return {
    programmeId: 'primary-development',
    academicYear: options.academicYears[1]!,
    phase: 'primary',
    name,
    meetingArea: 'Eastwick',
    leads: [options.leads[0]!.participationId],
  }
}

describe('the demo’s Work Groups', () => {
  it('has two running groups and one recruiting at Northvale this year, led by active specialists', async () => {
    const { groups, canManage } = await viewHubWorkGroups(context(actors.lead), HUB)
    expect(canManage).toBe(true)
    const year = academicYearOf('2026-12-03')
    expect(year).toBe('2026/27')
    // Last year's completed group is the journey's and the questionnaire's (their own tests).
    const thisYear = groups.filter((g) => g.academicYear === year)
    expect(thisYear.map((g) => [g.name, g.academicYear, g.state]).sort()).toEqual([
      ['Northvale Primary Development A', year, 'running'],
      ['Northvale Primary Embedding', year, 'running'],
      ['Northvale Readiness', year, 'recruiting'],
    ])
    const readiness = thisYear.find((g) => g.programme.id === 'readiness')!
    expect(readiness.capacity).toBe(8)
    expect(readiness.leads.map((l) => l.name).sort()).toEqual(DEMO_LEADS.map((l) => l.name).sort())
    const development = thisYear.find((g) => g.programme.id === 'primary-development')!
    expect([development.capacity, development.plannedSessions]).toEqual([6, 6])
    const options = await newWorkGroupOptions(context(actors.lead), HUB)
    expect(options.leads.map((l) => l.name).sort()).toEqual(DEMO_LEADS.map((l) => l.name).sort())
    // Sam is in development year 1, so cannot lead a group yet.
    expect(options.leads.some((l) => l.name === 'Sam Carter')).toBe(false)
  })

  it('shows a lead specialist the groups they lead, and their history', async () => {
    const mine = (await viewMyWorkGroups(context(actors.groupLead))).filter(
      (g) => g.academicYear === '2026/27',
    )
    expect(mine.map((g) => g.name).sort()).toEqual(['Northvale Primary Development A', 'Northvale Readiness'])
    const view = await viewWorkGroup(context(actors.groupLead), mine[0]!.id)
    expect(view.canManage).toBe(false)
    expect(view.history.map((h) => h.event)).toEqual(
      view.group.state === 'running'
        ? ['create', 'open-recruitment', 'start']
        : ['create', 'open-recruitment'],
    )
  })
})

describe('setting up a group', () => {
  it('creates a group in planning, with history and an audit row', async () => {
    const before = await counts()
    const group = await createWorkGroup(
      context(actors.lead),
      HUB,
      await form('Northvale Primary Development B'),
    )
    expect(group).toMatchObject({ state: 'planning', capacity: 6, plannedSessions: 6, phase: 'primary' })
    expect(await counts()).toEqual({
      groups: before.groups + 1,
      history: before.history + 1,
      audit: before.audit + 1,
    })
  })

  const refusals: [
    string,
    (f: Awaited<ReturnType<typeof form>>) => Record<string, unknown>,
    string,
    RegExp,
  ][] = [
    ['a capacity over the programme’s', (f) => ({ ...f, capacity: 7 }), 'capacity', /at most 6 schools/],
    ['a phase the programme does not run in', (f) => ({ ...f, phase: 'secondary' }), 'phase', /primary/],
    [
      'a programme that does not exist',
      (f) => ({ ...f, programmeId: 'nothing' }),
      'programmeId',
      /Select the programme/,
    ],
    ['no lead', (f) => ({ ...f, leads: [] }), 'leads', /one or two lead/],
    ['three leads', (f) => ({ ...f, leads: [1, 2, 3] }), 'leads', /at most two/],
    ['a year that is not one', (f) => ({ ...f, academicYear: '2026/28' }), 'academicYear', /year after/],
    ['no meeting area', (f) => ({ ...f, meetingArea: '  ' }), 'meetingArea', /where the group meets/],
  ]
  it.each(refusals)('refuses %s, changing nothing', async (_name, change, field, message) => {
    const before = await counts()
    const error = await createWorkGroup(context(actors.lead), HUB, change(await form('Refused'))).catch(
      (e) => e,
    )
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).errors[0]).toMatchObject({
      field,
      message: expect.stringMatching(message),
    })
    expect(await counts()).toEqual(before)
  })

  it('refuses a lead who is not an active specialist of the hub', async () => {
    const sam = await database.db
      .selectFrom('participations')
      .innerJoin('people', 'people.id', 'participations.person_id')
      .select('participations.id')
      .where('people.email', '=', 'sam.carter@school.example')
      .executeTakeFirstOrThrow()
    const before = await counts()
    const error = await createWorkGroup(context(actors.lead), HUB, {
      ...(await form('Refused')),
      leads: [Number(sam.id)],
    }).catch((e) => e)
    expect((error as ValidationError).errors[0]).toMatchObject({
      field: 'leads',
      message: /active Mastery Specialists/,
    })
    expect(await counts()).toEqual(before)
  })

  it('lets Readiness take up to 8 schools', async () => {
    const group = await createWorkGroup(context(actors.lead), HUB, {
      ...(await form('Northvale Readiness South')),
      programmeId: 'readiness',
      capacity: 8,
    })
    expect(group.capacity).toBe(8)
  })

  it('refuses a second group of the same name in the year (409), changing nothing', async () => {
    const before = await counts()
    const error = await createWorkGroup(
      context(actors.lead),
      HUB,
      await form('northvale primary development b'),
    ).catch((e) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect(await counts()).toEqual(before)
  })

  it('answers another hub’s lead, a viewer and a specialist "not found"', async () => {
    for (const actor of [actors.otherLead, actors.viewer, actors.specialist]) {
      await expect(createWorkGroup(context(actor), HUB, await form('Not mine'))).rejects.toBeInstanceOf(
        NotFoundError,
      )
    }
  })
})

describe('moving a group', () => {
  it('opens recruitment, starts, completes, and then refuses any further move', async () => {
    const group = await createWorkGroup(context(actors.admin), HUB, await form('Northvale moves'))
    for (const [event, state] of [
      ['open-recruitment', 'recruiting'],
      ['start', 'running'],
      ['complete', 'completed'],
    ] as const) {
      expect((await moveWorkGroup(context(actors.lead), group.id, { event })).state).toBe(state)
    }
    const before = await counts()
    const error = await moveWorkGroup(context(actors.lead), group.id, { event: 'cancel' }).catch((e) => e)
    expect((error as ValidationError).errors[0]!.message).toMatch(/cannot be cancelled/)
    expect(await counts()).toEqual(before)
    const view = await viewWorkGroup(context(actors.viewer), group.id)
    expect(view.history.map((h) => [h.fromState, h.toState])).toEqual([
      [null, 'planning'],
      ['planning', 'recruiting'],
      ['recruiting', 'running'],
      ['running', 'completed'],
    ])
    const audit = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('record_type', '=', 'work-group')
      .where('record_id', '=', String(group.id))
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action).slice(0, 4)).toEqual([
      'work-group.create',
      'work-group.open-recruitment',
      'work-group.start',
      'work-group.complete',
    ])
    // Completing a group also sends its questionnaire and records any grants due (their own tests).
    expect(
      audit
        .slice(4)
        .every((a) => ['work-group.questionnaire-sent', 'work-group.grant-due'].includes(a.action)),
    ).toBe(true)
  })

  it('answers those who may not change it "not found", and the specialist cannot see another’s group', async () => {
    const group = await createWorkGroup(context(actors.lead), HUB, await form('Northvale guarded'))
    for (const actor of [actors.otherLead, actors.viewer, actors.groupLead]) {
      await expect(moveWorkGroup(context(actor), group.id, { event: 'cancel' })).rejects.toBeInstanceOf(
        NotFoundError,
      )
    }
    await expect(viewWorkGroup(context(actors.specialist), group.id)).rejects.toBeInstanceOf(NotFoundError)
    await expect(viewWorkGroup(context(actors.otherLead), group.id)).rejects.toBeInstanceOf(NotFoundError)
    expect((await viewWorkGroup(context(actors.lead), group.id)).group.state).toBe('planning')
  })
})
