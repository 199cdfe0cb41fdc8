// What the tests of reading selection (exports and the API) share: teachers' applications made
// and submitted through the real use-cases, and reviews and decisions written straight into their
// tables, so that an application has scores and a decision without the use-cases that make them.
import { randomUUID } from 'node:crypto'
import type { Executor } from '../src/db/database.ts'
import type { OfferState, SelectionDecision } from '../src/db/schema.ts'
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../src/domain/access/actor.ts'
import { requestEndorsement } from '../src/domain/applications/request-endorsement.ts'
import { respondToEndorsement } from '../src/domain/applications/respond-to-endorsement.ts'
import { saveApplication } from '../src/domain/applications/save-application.ts'
import { startApplication } from '../src/domain/applications/start-application.ts'
import { submitApplication } from '../src/domain/applications/submit-application.ts'
import { withdrawApplication } from '../src/domain/applications/withdraw-application.ts'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'
import type { UseCaseContext } from '../src/domain/use-case.ts'
import type { TestApp } from './app.ts'
import {
  essentialEvidence,
  HEAD,
  lastEndorsementToken,
  NORTHVALE_PRIMARY,
  OPEN_COHORT,
  TEACHING,
} from './application-fixtures.ts'

function contextFor(t: TestApp, actor: Actor): UseCaseContext {
  return {
    db: t.database.db,
    actor,
    clock: t.clock,
    requestId: 'selection-fixtures',
    baseUrl: 'http://localhost:3000',
  }
}

export async function personIdOf(db: Executor, email: string): Promise<number> {
  const row = await db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow()
  return row.id
}

/** An open state-funded primary school that Riverside Maths Hub serves. */
export async function riversidePrimary(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('schools as s')
    .innerJoin('school_hubs as sh', 'sh.urn', 's.urn')
    .select('s.urn')
    .where('sh.hub_id', '=', 'riverside-maths-hub')
    .where('s.phase', '=', 'Primary')
    .where('s.open', '=', true)
    .where('s.state_funded', '=', true)
    .orderBy('s.urn')
    .executeTakeFirstOrThrow()
  return row.urn
}

export interface Submitted {
  id: number
  applicantId: number
  reference: string
}

/**
 * A new teacher (with the name given) applies to the open cohort from the school, is endorsed by
 * its headteacher through the emailed link, and submits; withdrawn afterwards when asked.
 */
export async function submittedApplication(
  t: TestApp,
  options: { name?: string; urn?: number; withdraw?: boolean } = {},
): Promise<Submitted> {
  const db = t.database.db
  const person = await db
    .insertInto('people')
    .values({ name: options.name ?? 'Tess Teacher', email: `teacher-${randomUUID()}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
  const teacher = contextFor(t, (await actorForPerson(db, person.id))!)
  const { application } = await startApplication(teacher, OPEN_COHORT)
  const cohort = (await findCohort(db, OPEN_COHORT))!
  await saveApplication(teacher, application.id, {
    school: { urn: options.urn ?? NORTHVALE_PRIMARY },
    teaching: TEACHING,
    evidence: essentialEvidence(cohort),
  })
  await requestEndorsement(teacher, application.id, HEAD)
  await respondToEndorsement(contextFor(t, ANONYMOUS), await lastEndorsementToken(db), {
    decision: 'confirm',
  })
  await submitApplication(teacher, application.id, { idempotencyKey: randomUUID() })
  if (options.withdraw) await withdrawApplication(teacher, application.id)
  return { id: application.id, applicantId: person.id, reference: application.reference }
}

/** A reviewer assigned to the application, with their review: completed unless `draft`. */
export async function review(
  t: TestApp,
  applicationId: number,
  reviewerId: number,
  scores: { desirable: number[]; strategic: number; notMet?: string[]; draft?: boolean },
): Promise<number> {
  const db = t.database.db
  const now = t.clock.now()
  const cohort = (await findCohort(db, OPEN_COHORT))!
  const assignment = await db
    .insertInto('review_assignments')
    .values({ application_id: applicationId, reviewer_id: reviewerId, assigned_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const essential = Object.fromEntries(
    cohort.essentialCriteria.map((c) => [c.id, { met: !(scores.notMet ?? []).includes(c.id), note: '' }]),
  )
  if (scores.desirable.length > cohort.desirableCriteria.length) {
    throw new Error(`The cohort has ${cohort.desirableCriteria.length} desirable criteria`)
  }
  const desirable = Object.fromEntries(
    scores.desirable.map((score, i) => [cohort.desirableCriteria[i]!.id, { score, note: `Score ${score}` }]),
  )
  await db
    .insertInto('reviews')
    .values({
      assignment_id: assignment.id,
      essential: JSON.stringify(essential),
      desirable: JSON.stringify(desirable),
      strategic_score: scores.strategic,
      strategic_note: 'Fits the plan',
      completed_at: scores.draft ? null : now,
      updated_at: now,
    })
    .execute()
  return assignment.id
}

/** The hub's decision on the application, as the decision use-cases would leave it. */
export async function decide(
  t: TestApp,
  applicationId: number,
  values: {
    hubId?: string
    decision: SelectionDecision
    reasonCode: string
    feedback?: string
    shareFeedback?: boolean
    reserveRank?: number | null
    decidedBy?: number | null
    releasedAt?: Date | null
    offerState?: OfferState | null
  },
): Promise<void> {
  const now = t.clock.now()
  await t.database.db
    .insertInto('selection_decisions')
    .values({
      application_id: applicationId,
      hub_id: values.hubId ?? 'northvale-maths-hub',
      cohort_id: OPEN_COHORT,
      decision: values.decision,
      reason_code: values.reasonCode,
      feedback: values.feedback ?? '',
      share_feedback: values.shareFeedback ?? true,
      reserve_rank: values.reserveRank ?? null,
      decided_by: values.decidedBy ?? null,
      decided_at: now,
      released_at: values.releasedAt ?? null,
      offer_state: values.offerState ?? null,
      offered_at: values.offerState ? now : null,
      updated_at: now,
    })
    .execute()
}
