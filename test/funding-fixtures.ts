// Funding scenarios on a demo database: a new specialist of a one-day cohort at one of a demo hub's
// schools, that hub's lead, an NCETM administrator, and helpers to act as each and to log days.
import { randomUUID } from 'node:crypto'
import type { Db } from '../src/db/database.ts'
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import type { Actor } from '../src/domain/access/actor.ts'
import { logReleaseTime } from '../src/domain/participants/release-time/log-release-time.ts'
import { refreshOwed } from '../src/domain/funding/owed/refresh-owed.ts'
import { inTransaction, type UseCaseContext } from '../src/domain/use-case.ts'
import type { Clock } from '../src/lib/clock.ts'
import { cohortInputWith, ensureCohort } from './cohort-factory.ts'
import { makeParticipation } from './participation-fixtures.ts'

export const FUNDING_HUB = 'northvale-maths-hub'

export interface FundingScenario {
  hubId: string
  schoolUrn: number
  participationId: number
  specialist: Actor
  lead: Actor
  admin: Actor
  as(actor: Actor): UseCaseContext
  /** Brings what is owed to the hub's schools up to date, as NCETM. */
  refresh(): ReturnType<typeof refreshOwed>
  /** Logs a whole day of release as the specialist. */
  logDay(on: string): Promise<number[]>
}

async function actorWith(db: Db, role: string, hubId: string | null): Promise<Actor> {
  let query = db
    .selectFrom('grants')
    .select('person_id')
    .where('role', '=', role as never)
  query = hubId === null ? query.where('hub_id', 'is', null) : query.where('hub_id', '=', hubId)
  const grant = await query.orderBy('id').executeTakeFirstOrThrow()
  return (await actorForPerson(db, grant.person_id))!
}

/** A new person with one grant, as an actor. */
export async function personWithGrant(
  db: Db,
  grant: {
    role: 'hub-lead' | 'hub-admin' | 'school-contact' | 'national-admin'
    hubId?: string
    schoolUrn?: number
  },
): Promise<Actor> {
  const person = await db
    .insertInto('people')
    .values({ name: `Funding ${grant.role}`, email: `funding-${randomUUID()}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('grants')
    .values({
      person_id: person.id,
      role: grant.role,
      hub_id: grant.hubId ?? null,
      school_urn: grant.schoolUrn ?? null,
    })
    .execute()
  return (await actorForPerson(db, person.id))!
}

/** The scenario; each call makes a new specialist (of cohort `number`, one day funded a year). */
export async function fundingScenario(db: Db, clock: Clock, number = 93): Promise<FundingScenario> {
  const hubId = FUNDING_HUB
  const as = (actor: Actor): UseCaseContext => ({
    db,
    actor,
    clock,
    requestId: 'funding-test',
    baseUrl: 'http://localhost:3000',
  })
  const admin = await actorWith(db, 'national-admin', null)
  const lead = await actorWith(db, 'hub-lead', hubId)
  // A school of the hub's: one a demo specialist works at.
  const school = await db
    .selectFrom('participations')
    .select('school_urn')
    .where('hub_id', '=', hubId)
    .where('school_urn', 'is not', null)
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const schoolUrn = school.school_urn!
  const cohortId = await ensureCohort(
    db,
    cohortInputWith({ number, funding: { releaseDaysPerYear: 1, dayRatePence: 20_000, bursaryPence: 0 } }),
  )
  const made = await makeParticipation(db, {
    cohortId,
    hubId,
    schoolUrn,
    startedAt: new Date('2026-09-01T09:00:00Z'),
  })
  const specialist = (await actorForPerson(db, made.personId))!
  return {
    hubId,
    schoolUrn,
    participationId: made.participationId,
    specialist,
    lead,
    admin,
    as,
    refresh: () => inTransaction(as(admin), (unit) => refreshOwed(unit, { hubId })),
    logDay: async (on) =>
      (
        await logReleaseTime(as(specialist), made.participationId, {
          on,
          half: 'day',
          activity: 'other-schools',
        })
      ).entryIds,
  }
}
