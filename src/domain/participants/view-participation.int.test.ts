// Reading participations on a real database: one participation with its stages and history for
// the person, its hub's lead and administrator, and NCETM; another hub's lead and another
// specialist are told it is not there; the roster by cohort and hub, scoped to the hub's team; and
// a person's own participations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cohortInputWith, ensureCohort } from '../../../test/cohort-factory.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { makeParticipation, type MadeParticipation } from '../../../test/participation-fixtures.ts'
import { NotFoundError } from '../../errors.ts'
import { fixedClock } from '../../lib/clock.ts'
import { actorForPerson } from '../access/actors.repository.ts'
import type { Actor, Role } from '../access/actor.ts'
import type { UseCaseContext } from '../use-case.ts'
import { beginYearTwo } from './begin-year-two.ts'
import { listParticipations, myParticipations, viewParticipation } from './view-participation.ts'

const clock = fixedClock('2026-11-22T10:00:00Z')
const HUB = 'northvale-maths-hub'
const OTHER = 'other-maths-hub'
let database: TestDatabase
const actors = {} as Record<'admin' | 'viewer' | 'lead' | 'hubAdmin' | 'otherLead' | 'reviewer', Actor>
let cohortId: string
let otherCohortId: string
let ada: MadeParticipation
let ben: MadeParticipation
let rita: MadeParticipation

function context(actor: Actor): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'view-participation', baseUrl: 'http://localhost:3000' }
}

async function personWith(email: string, role: Role, hub: string | null): Promise<Actor> {
  const person = await database.db
    .insertInto('people')
    .values({ name: email, email })
    .returning('id')
    .executeTakeFirstOrThrow()
  await database.db.insertInto('grants').values({ person_id: person.id, role, hub_id: hub }).execute()
  return (await actorForPerson(database.db, person.id))!
}

async function actorOf(personId: number): Promise<Actor> {
  return (await actorForPerson(database.db, personId))!
}

beforeAll(async () => {
  database = await createTestDatabase()
  await database.db
    .insertInto('hubs')
    .values([
      { id: HUB, name: 'Northvale Maths Hub' },
      { id: OTHER, name: 'Other Maths Hub' },
    ])
    .execute()
  actors.admin = await personWith('admin@ncetm.example', 'national-admin', null)
  actors.viewer = await personWith('viewer@ncetm.example', 'national-viewer', null)
  actors.lead = await personWith('lead@northvale.example', 'hub-lead', HUB)
  actors.hubAdmin = await personWith('admin@northvale.example', 'hub-admin', HUB)
  actors.reviewer = await personWith('reviewer@northvale.example', 'reviewer', HUB)
  actors.otherLead = await personWith('lead@other.example', 'hub-lead', OTHER)
  cohortId = await ensureCohort(database.db, cohortInputWith({ number: 91 }))
  otherCohortId = await ensureCohort(database.db, cohortInputWith({ number: 92 }))
  ada = await makeParticipation(database.db, { cohortId, hubId: HUB, name: 'Ada Lovelace' })
  ben = await makeParticipation(database.db, { cohortId: otherCohortId, hubId: HUB, name: 'Ben Harlow' })
  rita = await makeParticipation(database.db, { cohortId, hubId: OTHER, name: 'Rita Banks' })
  await beginYearTwo(context(actors.lead), ada.participationId, {
    on: '2027-09-01',
    reason: 'ignored for year 2',
  })
})

afterAll(async () => {
  await database?.destroy()
})

describe('one participation', () => {
  it('shows its stages, the stage today and its history to the person, its hub’s team and NCETM', async () => {
    const seers = [await actorOf(ada.personId), actors.lead, actors.hubAdmin, actors.admin, actors.viewer]
    for (const actor of seers) {
      const view = await viewParticipation(context(actor), ada.participationId)
      expect(view).toMatchObject({
        id: ada.participationId,
        personId: ada.personId,
        personName: 'Ada Lovelace',
        cohortId,
        hubId: HUB,
        currentStage: 'year-one',
        stages: [
          { stage: 'year-one', startsOn: '2026-06-01', endsOn: '2027-09-01', reason: null },
          { stage: 'year-two', startsOn: '2027-09-01', endsOn: null, reason: null },
        ],
      })
      expect(view.startedAt.toISOString()).toBe('2026-06-01T09:00:00.000Z')
      expect(view.history.map((h) => [h.event, h.fromStage, h.toStage, h.effectiveOn])).toEqual([
        ['start', null, 'year-one', '2026-06-01'],
        ['begin-year-two', 'year-one', 'year-two', '2027-09-01'],
      ])
    }
  })

  it('is not there for another hub’s lead, the hub’s reviewer, another specialist, or no one', async () => {
    for (const actor of [actors.otherLead, actors.reviewer, await actorOf(rita.personId)]) {
      await expect(viewParticipation(context(actor), ada.participationId)).rejects.toBeInstanceOf(
        NotFoundError,
      )
    }
    await expect(
      viewParticipation(context({ kind: 'anonymous' }), ada.participationId),
    ).rejects.toBeInstanceOf(NotFoundError)
    await expect(viewParticipation(context(actors.admin), 9_999_999)).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('the roster', () => {
  it('lists every hub’s for NCETM, filtered by cohort and by hub', async () => {
    const ids = async (actor: Actor, filter = {}) =>
      (await listParticipations(context(actor), filter)).map((p) => p.id).sort((a, b) => a - b)
    const all = [ada, ben, rita].map((p) => p.participationId).sort((a, b) => a - b)
    expect(await ids(actors.viewer)).toEqual(all)
    expect(await ids(actors.admin, { cohortId })).toEqual(
      [ada, rita].map((p) => p.participationId).sort((a, b) => a - b),
    )
    expect(await ids(actors.admin, { hubId: OTHER })).toEqual([rita.participationId])
    expect(await ids(actors.admin, { cohortId, hubId: HUB })).toEqual([ada.participationId])
  })

  it('lists only its own hub’s for a hub’s team, and refuses another hub by name', async () => {
    const list = await listParticipations(context(actors.hubAdmin), {})
    expect(list.map((p) => p.personName)).toEqual(['Ada Lovelace', 'Ben Harlow'])
    expect(list[0]).toEqual({
      id: ada.participationId,
      personId: ada.personId,
      personName: 'Ada Lovelace',
      cohortId,
      hubId: HUB,
      startedAt: new Date('2026-06-01T09:00:00Z'),
      currentStage: 'year-one',
    })
    expect((await listParticipations(context(actors.otherLead), { cohortId })).map((p) => p.id)).toEqual([
      rita.participationId,
    ])
    await expect(listParticipations(context(actors.otherLead), { hubId: HUB })).rejects.toBeInstanceOf(
      NotFoundError,
    )
    for (const actor of [actors.reviewer, await actorOf(ada.personId)]) {
      await expect(listParticipations(context(actor), {})).rejects.toBeInstanceOf(NotFoundError)
    }
  })
})

describe('a person’s own participations', () => {
  it('are theirs alone, with stages and history; others have none', async () => {
    const mine = await myParticipations(context(await actorOf(ben.personId)))
    expect(mine.map((p) => [p.id, p.cohortId, p.currentStage, p.stages.length, p.history.length])).toEqual([
      [ben.participationId, otherCohortId, 'year-one', 1, 1],
    ])
    expect(await myParticipations(context(actors.lead))).toEqual([])
    expect(await myParticipations(context({ kind: 'anonymous' }))).toEqual([])
  })
})
