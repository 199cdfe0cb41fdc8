// What the tests of decisions and offers share: a fresh cohort for each round (so rounds never
// share places or proposals), teachers' applications made and submitted through the real
// use-cases, completed reviews written straight into their tables (so applications have scores
// without the review use-cases), and the links the offer emails carry.
import { randomUUID } from 'node:crypto'
import type { Db, Executor } from '../src/db/database.ts'
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../src/domain/access/actor.ts'
import { requestEndorsement } from '../src/domain/applications/request-endorsement.ts'
import { respondToEndorsement } from '../src/domain/applications/respond-to-endorsement.ts'
import { saveApplication } from '../src/domain/applications/save-application.ts'
import { startApplication } from '../src/domain/applications/start-application.ts'
import { submitApplication } from '../src/domain/applications/submit-application.ts'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'
import { confirmDecisions } from '../src/domain/selection/deciding/decisions-confirm.ts'
import { approveDecisions, setPlaces } from '../src/domain/selection/deciding/decisions-moderate.ts'
import { proposeDecision } from '../src/domain/selection/deciding/decisions-propose.ts'
import { respondToPlaceOffer } from '../src/domain/selection/offers/offers-respond.ts'
import { releaseDecisions } from '../src/domain/selection/offers/release-decisions.ts'
import type { UseCaseContext } from '../src/domain/use-case.ts'
import type { Clock } from '../src/lib/clock.ts'
import {
  essentialEvidence,
  HEAD,
  lastEndorsementToken,
  NORTHVALE_PRIMARY,
  TEACHING,
} from './application-fixtures.ts'
import { cohortInputWith, ensureCohort } from './cohort-factory.ts'

export const NORTHVALE = 'northvale-maths-hub'

/** The clock the decision tests start at: 10am on 22 November 2026, the window open. */
export const DECISIONS_NOW = '2026-11-22T10:00:00Z'
/** After the window closes (5pm on 21 January 2027). */
export const AFTER_CLOSE = '2027-01-25T10:00:00Z'
/** The last instant before the decision date, 21 April 2027 (UK time is BST: midnight is 23:00 UTC). */
export const EVE_OF_RELEASE = '2027-04-20T22:59:59.999Z'
/** The first instant of the decision date in the UK. */
export const RELEASE_DAY = '2027-04-20T23:00:00.000Z'

export function contextFor(db: Db, clock: Clock, actor: Actor): UseCaseContext {
  return { db, actor, clock, requestId: 'decisions-test', baseUrl: 'http://localhost:3000' }
}

export async function actorByEmail(db: Executor, email: string): Promise<Actor> {
  const person = await db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return (await actorForPerson(db, person.id))!
}

/** A cohort open at DECISIONS_NOW, closing at 5pm on 21 January 2027, decisions on 21 April 2027. */
export async function decisionCohort(db: Db, number: number): Promise<string> {
  return ensureCohort(
    db,
    cohortInputWith({
      number,
      opensAt: { day: 1, month: 11, year: 2026, hour: 9, minute: 0 },
      closesAt: { day: 21, month: 1, year: 2027, hour: 17, minute: 0 },
      decisionsReleasedOn: { day: 21, month: 4, year: 2027 },
      residentials: [
        {
          name: 'First residential',
          startsOn: { day: 14, month: 10, year: 2027 },
          endsOn: { day: 15, month: 10, year: 2027 },
          subjectToConfirmation: true,
        },
      ],
    }),
  )
}

export interface Applicant {
  id: number
  reference: string
  name: string
  email: string
  teacher: Actor
}

/**
 * A teacher (a new one, unless given) applies to the cohort from Northvale's primary school, is
 * endorsed by its headteacher through the emailed link and submits. The clock must be inside the
 * window.
 */
export async function submittedApplication(
  db: Db,
  clock: Clock,
  cohortId: string,
  name: string,
  existing?: Actor,
): Promise<Applicant> {
  let teacher = existing
  if (!teacher) {
    const email = `teacher-${randomUUID()}@school.example`
    const person = await db
      .insertInto('people')
      .values({ name, email })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
    teacher = (await actorForPerson(db, person.id))!
  }
  if (teacher.kind !== 'person') throw new Error('An applicant must be a person')
  const asTeacher = contextFor(db, clock, teacher)
  const { application } = await startApplication(asTeacher, cohortId)
  await saveApplication(asTeacher, application.id, {
    school: { urn: NORTHVALE_PRIMARY },
    teaching: TEACHING,
    evidence: essentialEvidence((await findCohort(db, cohortId))!),
  })
  // Fixtures may make many applications for one teacher: the limit on asking is tested elsewhere.
  await db.deleteFrom('rate_limits').where('key', 'like', 'headteacher-request:%').execute()
  await requestEndorsement(asTeacher, application.id, HEAD)
  await respondToEndorsement(contextFor(db, clock, ANONYMOUS), await lastEndorsementToken(db), {
    decision: 'confirm',
  })
  await submitApplication(asTeacher, application.id, { idempotencyKey: randomUUID() })
  return { id: application.id, reference: application.reference, name, email: teacher.email, teacher }
}

let reviewers = 0

/**
 * A completed review of the application by a new reviewer: every desirable criterion and the
 * strategic fit scored `score` (0 to 4), every essential criterion met but those named.
 */
export async function completedReview(
  db: Db,
  clock: Clock,
  applicationId: number,
  options: { score?: number; notMet?: string[] } = {},
): Promise<void> {
  const now = clock.now()
  reviewers++
  const reviewer = await db
    .insertInto('people')
    .values({ name: `Reviewer ${reviewers}`, email: `reviewer-${randomUUID()}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const application = await db
    .selectFrom('applications')
    .select(['cohort_id'])
    .where('id', '=', applicationId)
    .executeTakeFirstOrThrow()
  const cohort = (await findCohort(db, application.cohort_id))!
  const assignment = await db
    .insertInto('review_assignments')
    .values({ application_id: applicationId, reviewer_id: reviewer.id, assigned_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const score = options.score ?? 3
  await db
    .insertInto('reviews')
    .values({
      assignment_id: assignment.id,
      essential: JSON.stringify(
        Object.fromEntries(
          cohort.essentialCriteria.map((c) => [
            c.id,
            { met: !(options.notMet ?? []).includes(c.id), note: '' },
          ]),
        ),
      ),
      desirable: JSON.stringify(
        Object.fromEntries(cohort.desirableCriteria.map((c) => [c.id, { score, note: '' }])),
      ),
      strategic_score: score,
      completed_at: now,
      updated_at: now,
    })
    .execute()
}

/** Emails queued to the address, oldest first. */
export async function emailsTo(db: Executor, to: string) {
  return db
    .selectFrom('outbox')
    .select(['template', 'subject', 'body_text'])
    .where('to_address', '=', to)
    .orderBy('id')
    .execute()
}

/** The headteacher's single-use link in the newest offer email about the application (by reference). */
export async function placeToken(db: Executor, reference: string): Promise<string> {
  const rows = await db
    .selectFrom('outbox')
    .select(['subject', 'body_text'])
    .where('template', 'in', ['decision-selected-headteacher', 'place-offered-headteacher'])
    .orderBy('id', 'desc')
    .execute()
  const body = rows.find((r) => r.subject.includes(reference))?.body_text
  const token = body && /\/places\/([A-Za-z0-9_-]+)/.exec(body)?.[1]
  if (!token) throw new Error(`No offer email to a headteacher names ${reference}`)
  return token
}

export type RoundStage = 'reviewing' | 'confirmed' | 'approved' | 'released' | 'place-free'

export interface StagedRound {
  cohortId: string
  /** Proposed selected: after release, offered a place (open until 5pm on 5 December 2026). */
  selected: Applicant
  /** Proposed reserve 1. */
  reserve: Applicant
  /** The selected teacher's headteacher's link, once released. */
  placeToken?: string
}

/**
 * A Northvale round at the given stage, for tests whose clock reads 22 November 2026 (like the
 * test app's): a fresh cohort whose window ran from 1 to 20 November 2026 and whose decisions
 * were released on 21 November, with two applications (the first by `applicant` when given), one
 * place, the first proposed selected and the second reserve 1. The clock is moved through the
 * round and set back. 'place-free': released, and the headteacher declined the selected place.
 */
export async function roundAt(
  db: Db,
  clock: Clock & { set(to: Date | string): void },
  stage: RoundStage,
  options: { number: number; applicant?: Actor },
): Promise<StagedRound> {
  const back = clock.now()
  const hubLead = contextFor(db, clock, await actorByEmail(db, 'priya.shah@northvale.mathshub.example'))
  const ncetm = contextFor(db, clock, await actorByEmail(db, 'nadia.khan@ncetm.example'))
  try {
    clock.set('2026-11-10T10:00:00Z')
    const cohortId = await ensureCohort(
      db,
      cohortInputWith({
        number: options.number,
        opensAt: { day: 1, month: 11, year: 2026, hour: 9, minute: 0 },
        closesAt: { day: 20, month: 11, year: 2026, hour: 17, minute: 0 },
        decisionsReleasedOn: { day: 21, month: 11, year: 2026 },
        residentials: [],
      }),
    )
    const selected = await submittedApplication(db, clock, cohortId, 'Sally Selected', options.applicant)
    const reserve = await submittedApplication(db, clock, cohortId, 'Rory Reserve')
    for (const app of [selected, reserve]) await completedReview(db, clock, app.id)
    await setPlaces(ncetm, NORTHVALE, cohortId, { places: 1 })
    const target = (app: Applicant) => ({ hubId: NORTHVALE, cohortId, applicationId: app.id })
    await proposeDecision(hubLead, target(selected), { decision: 'selected' })
    await proposeDecision(hubLead, target(reserve), { decision: 'reserve', reserveRank: 1 })
    const staged: StagedRound = { cohortId, selected, reserve }
    if (stage === 'reviewing') return staged
    clock.set('2026-11-21T09:00:00Z')
    await confirmDecisions(hubLead, NORTHVALE, cohortId)
    if (stage === 'confirmed') return staged
    await approveDecisions(ncetm, NORTHVALE, cohortId)
    if (stage === 'approved') return staged
    await releaseDecisions({ db, clock, baseUrl: 'http://localhost:3000' })
    staged.placeToken = await placeToken(db, selected.reference)
    if (stage === 'place-free') {
      await respondToPlaceOffer(contextFor(db, clock, ANONYMOUS), staged.placeToken, {
        decision: 'decline',
        reason: 'We cannot release the teacher this year',
      })
    }
    return staged
  } finally {
    clock.set(back)
  }
}
