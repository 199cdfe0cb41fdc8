// What the data protection tests share: one cohort's applications in every outcome, made through
// the real use-cases (a withdrawn one, a draft, an endorsement declined, one not selected, a place
// declined, a reserve never offered a place and a place accepted), and a scan of every text
// column of every table for a string.
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db, Executor } from '../src/db/database.ts'
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../src/domain/access/actor.ts'
import { requestEndorsement } from '../src/domain/applications/request-endorsement.ts'
import { respondToEndorsement } from '../src/domain/applications/respond-to-endorsement.ts'
import { saveApplication } from '../src/domain/applications/save-application.ts'
import { startApplication } from '../src/domain/applications/start-application.ts'
import { submitApplication } from '../src/domain/applications/submit-application.ts'
import { withdrawApplication } from '../src/domain/applications/withdraw-application.ts'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'
import { confirmDecisions } from '../src/domain/selection/deciding/decisions-confirm.ts'
import { approveDecisions, setPlaces } from '../src/domain/selection/deciding/decisions-moderate.ts'
import { proposeDecision } from '../src/domain/selection/deciding/decisions-propose.ts'
import { respondToOffer, respondToPlaceOffer } from '../src/domain/selection/offers/offers-respond.ts'
import { releaseDecisions } from '../src/domain/selection/offers/release-decisions.ts'
import type { Clock } from '../src/lib/clock.ts'
import {
  essentialEvidence,
  HEAD,
  lastEndorsementToken,
  NORTHVALE_PRIMARY,
  TEACHING,
} from './application-fixtures.ts'
import { cohortInputWith, ensureCohort } from './cohort-factory.ts'
import {
  actorByEmail,
  completedReview,
  contextFor,
  NORTHVALE,
  placeToken,
  type Applicant,
} from './decision-fixtures.ts'

export type SettableClock = Clock & { set(to: Date | string): void }

/** A new teacher with the teacher role. */
export async function newTeacher(db: Db, name: string, trn?: string): Promise<Actor> {
  const person = await db
    .insertInto('people')
    .values({ name, email: `teacher-${randomUUID()}@school.example`, trn: trn ?? null })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
  return (await actorForPerson(db, person.id))!
}

/** The person's own TRN, or the example one. */
async function trnOf(db: Executor, personId: number): Promise<string> {
  const row = await db.selectFrom('people').select('trn').where('id', '=', personId).executeTakeFirstOrThrow()
  return row.trn ?? TEACHING.trn
}

/**
 * Like decision-fixtures' submittedApplication (start, answer, endorsed by Northvale's primary
 * headteacher through the emailed link, submit), with the teacher's own TRN when they have one.
 */
async function submitted(
  db: Db,
  clock: Clock,
  cohortId: string,
  name: string,
  existing?: Actor,
): Promise<Applicant> {
  const teacher = existing ?? (await newTeacher(db, name))
  if (teacher.kind !== 'person') throw new Error('An applicant must be a person')
  const context = contextFor(db, clock, teacher)
  const { application } = await startApplication(context, cohortId)
  await saveApplication(context, application.id, {
    school: { urn: NORTHVALE_PRIMARY },
    teaching: { ...TEACHING, trn: await trnOf(db, teacher.personId) },
    evidence: essentialEvidence((await findCohort(db, cohortId))!),
  })
  await requestEndorsement(context, application.id, HEAD)
  await respondToEndorsement(contextFor(db, clock, ANONYMOUS), await lastEndorsementToken(db), {
    decision: 'confirm',
  })
  await submitApplication(context, application.id, { idempotencyKey: randomUUID() })
  return { id: application.id, reference: application.reference, name, email: teacher.email, teacher }
}

export interface CohortOutcomes {
  cohortId: string
  withdrawn: number
  draft: number
  declinedEndorsement: number
  notSelected: Applicant
  placeDeclined: Applicant
  reserve: Applicant
  accepted: Applicant
}

/**
 * A Northvale cohort whose window runs from 1 November 2026 to 5pm on 21 January 2027, decisions
 * released on 21 April 2027 and development year 2027/28 (offers finished on 1 September 2027),
 * with one application in each outcome. The clock is moved through the round: it ends at 10am on
 * 25 April 2027, after the place was declined (at that moment) and the other accepted.
 * `teachers` may name who applies for each outcome.
 */
export async function cohortWithEveryOutcome(
  db: Db,
  clock: SettableClock,
  number: number,
  teachers: Partial<
    Record<'withdrawn' | 'draft' | 'declinedEndorsement' | 'notSelected' | 'accepted', Actor>
  > = {},
): Promise<CohortOutcomes> {
  clock.set('2026-11-22T10:00:00Z')
  const cohortId = await ensureCohort(
    db,
    cohortInputWith({
      number,
      developmentYear: '2027/28',
      opensAt: { day: 1, month: 11, year: 2026, hour: 9, minute: 0 },
      closesAt: { day: 21, month: 1, year: 2027, hour: 17, minute: 0 },
      decisionsReleasedOn: { day: 21, month: 4, year: 2027 },
      residentials: [],
    }),
  )
  const cohort = (await findCohort(db, cohortId))!
  const started = async (teacher: Actor | undefined, name: string) => {
    const actor = teacher ?? (await newTeacher(db, name))
    const context = contextFor(db, clock, actor)
    const { application } = await startApplication(context, cohortId)
    await saveApplication(context, application.id, {
      school: { urn: NORTHVALE_PRIMARY },
      teaching: { ...TEACHING, trn: await trnOf(db, (actor as { personId: number }).personId) },
      evidence: essentialEvidence(cohort),
    })
    return { context, id: application.id }
  }
  const withdrawn = await started(teachers.withdrawn, 'Wendy Withdrawn')
  await withdrawApplication(withdrawn.context, withdrawn.id)
  const draft = await started(teachers.draft, 'Derek Draft')
  const declined = await started(teachers.declinedEndorsement, 'Dana Declined')
  await requestEndorsement(declined.context, declined.id, HEAD)
  await respondToEndorsement(contextFor(db, clock, ANONYMOUS), await lastEndorsementToken(db), {
    decision: 'decline',
    reason: 'We cannot release Dana this year',
  })
  const notSelected = await submitted(db, clock, cohortId, 'Nora Notselected', teachers.notSelected)
  const placeDeclined = await submitted(db, clock, cohortId, 'Pat Placedeclined')
  const reserve = await submitted(db, clock, cohortId, 'Rory Reserve')
  const accepted = await submitted(db, clock, cohortId, 'Ada Accepted', teachers.accepted)
  for (const app of [notSelected, placeDeclined, reserve, accepted]) await completedReview(db, clock, app.id)

  clock.set('2027-02-01T10:00:00Z')
  const hubLead = contextFor(db, clock, await actorByEmail(db, 'priya.shah@northvale.mathshub.example'))
  const ncetm = contextFor(db, clock, await actorByEmail(db, 'nadia.khan@ncetm.example'))
  await setPlaces(ncetm, NORTHVALE, cohortId, { places: 2 })
  const target = (app: Applicant) => ({ hubId: NORTHVALE, cohortId, applicationId: app.id })
  await proposeDecision(hubLead, target(notSelected), {
    decision: 'not-selected',
    reasonCode: 'stronger-applications',
    feedback: 'Nora’s evidence of leading colleagues was thin',
    shareFeedback: true,
  })
  await proposeDecision(hubLead, target(placeDeclined), { decision: 'selected' })
  await proposeDecision(hubLead, target(accepted), { decision: 'selected' })
  await proposeDecision(hubLead, target(reserve), { decision: 'reserve', reserveRank: 1 })
  await confirmDecisions(hubLead, NORTHVALE, cohortId)
  await approveDecisions(ncetm, NORTHVALE, cohortId)
  // Midnight on 21 April 2027 in the UK (BST).
  clock.set('2027-04-20T23:00:00Z')
  await releaseDecisions({ db, clock, baseUrl: 'http://localhost:3000' })

  clock.set('2027-04-25T10:00:00Z')
  await respondToPlaceOffer(contextFor(db, clock, ANONYMOUS), await placeToken(db, placeDeclined.reference), {
    decision: 'decline',
    reason: 'We cannot release Pat this year',
  })
  await respondToPlaceOffer(contextFor(db, clock, ANONYMOUS), await placeToken(db, accepted.reference), {
    decision: 'accept',
  })
  await respondToOffer(contextFor(db, clock, accepted.teacher), accepted.id, { decision: 'accept' })
  return {
    cohortId,
    withdrawn: withdrawn.id,
    draft: draft.id,
    declinedEndorsement: declined.id,
    notSelected,
    placeDeclined,
    reserve,
    accepted,
  }
}

/** Every text, varchar and JSON column of every table, as "table.column". */
export async function textColumns(db: Executor): Promise<{ table: string; column: string }[]> {
  const result = await sql<{ table_name: string; column_name: string }>`
    SELECT c.table_name, c.column_name
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
    ORDER BY c.table_name, c.column_name`.execute(db)
  return result.rows.map((r) => ({ table: r.table_name, column: r.column_name }))
}

/** Where the text appears (whatever its case) in any text column of any table: "table.column" each. */
export async function findEverywhere(db: Executor, text: string): Promise<string[]> {
  const found: string[] = []
  for (const { table, column } of await textColumns(db)) {
    const result = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${sql.table(table)}
      WHERE strpos(lower(${sql.ref(column)}::text), ${text.toLowerCase()}) > 0`.execute(db)
    if (result.rows[0]!.n > 0) found.push(`${table}.${column}`)
  }
  return found
}
