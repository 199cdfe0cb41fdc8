// Participations for tests: a specialist (a new person, or one already there such as the demo's
// Sam Carter) in development year 1 of a cohort from a given day, as an accepted place makes them.
import { randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '../src/db/database.ts'
import { startYearOne } from '../src/domain/participants/start-year-one.ts'

const REFERENCE_LETTERS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** A random application reference, as the service makes them. */
function reference(): string {
  return `MH-${Array.from(randomBytes(8), (b) => REFERENCE_LETTERS[b % 32]).join('')}`
}

export interface MadeParticipation {
  participationId: number
  personId: number
  email: string
}

export async function makeParticipation(
  db: Db,
  options: {
    cohortId: string
    hubId: string
    /** An existing person; otherwise a new one with a mastery-specialist grant. */
    personId?: number
    name?: string
    startedAt?: Date
    /** The specialist's school (none unless given). */
    schoolUrn?: number
  },
): Promise<MadeParticipation> {
  const startedAt = options.startedAt ?? new Date('2026-06-01T09:00:00Z')
  let personId = options.personId
  let email: string
  if (personId === undefined) {
    email = `specialist-${randomUUID()}@school.example`
    const person = await db
      .insertInto('people')
      .values({ name: options.name ?? 'Sol Specialist', email })
      .returning('id')
      .executeTakeFirstOrThrow()
    personId = person.id
    await db
      .insertInto('grants')
      .values({
        person_id: personId,
        role: 'mastery-specialist',
        hub_id: options.hubId,
        cohort_id: options.cohortId,
      })
      .execute()
  } else {
    email = (
      await db.selectFrom('people').select('email').where('id', '=', personId).executeTakeFirstOrThrow()
    ).email
  }
  const application = await db
    .insertInto('applications')
    .values({
      reference: reference(),
      cohort_id: options.cohortId,
      applicant_id: personId,
      state: 'draft',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  const row = await db
    .insertInto('participations')
    .values({
      person_id: personId,
      cohort_id: options.cohortId,
      application_id: application.id,
      hub_id: options.hubId,
      school_urn: options.schoolUrn ?? null,
      started_at: startedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.transaction().execute((tx) => startYearOne(tx, row.id, options.cohortId, startedAt))
  return { participationId: row.id, personId, email }
}
