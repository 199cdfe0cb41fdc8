// A hub's review of its applicants through the use-cases, on a real migrated database with the
// demo: conflicts of interest refused by name with nothing written, other hubs told "not found",
// automatic assignment balanced with shortfalls reported, declared conflicts, completing a review,
// scores combined by median with their spread, and blind review hiding who the applicant is.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { essentialEvidence, lastEndorsementToken, TEACHING } from '../../../../test/application-fixtures.ts'
import { cohortInputWith, ensureCohort } from '../../../../test/cohort-factory.ts'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { loadDemo } from '../../../db/seeds/demo.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../../access/actor.ts'
import { requestEndorsement } from '../../applications/request-endorsement.ts'
import { respondToEndorsement } from '../../applications/respond-to-endorsement.ts'
import { saveApplication } from '../../applications/save-application.ts'
import { startApplication } from '../../applications/start-application.ts'
import { submitApplication } from '../../applications/submit-application.ts'
import { listVisibleApplications, viewApplication } from '../../applications/view-applications.ts'
import { withdrawApplication } from '../../applications/withdraw-application.ts'
import { grantRole } from '../../people/grant-role.ts'
import { findCohort } from '../../programmes/programmes.repository.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { assignReviewer, assignReviewersAutomatically } from './assign-reviewers.ts'
import { declareReviewConflict } from './declare-review-conflict.ts'
import { updateReviewSettings } from './review-settings.ts'
import { saveReview } from './save-review.ts'
import { takeAwayReviewer } from './take-away-reviewer.ts'
import { listOwnReviews, viewReview, viewReviewQueue } from './view-reviews.ts'

const NOW = '2026-11-22T10:00:00Z'
const HUB = 'northvale-maths-hub'
/** Where the demo reviewers work: Grace Lee at St Anne's Junior, Daniel Osei at Kingsmead Primary Academy. */
const GRACE_SCHOOL = 990_025
const DANIEL_SCHOOL = 990_018
/** Other Northvale primary schools nobody in the demo works at. */
const FREE_SCHOOLS = [990_001, 990_026, 990_033, 990_042, 990_049, 990_050, 990_057]

const clock = fixedClock(NOW)
let database: TestDatabase
let hubLead: Actor
let nationalAdmin: Actor
let hubAdmin: Actor
let otherHubLead: Actor
let grace: Actor
let daniel: Actor
let people = 0
let cohortNumber = 200

function context(actor: Actor): UseCaseContext {
  return {
    db: database.db,
    actor,
    clock,
    requestId: `reviews-${randomUUID()}`,
    baseUrl: 'http://localhost:3000',
  }
}

async function actorFor(email: string): Promise<Actor> {
  const person = await database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return (await actorForPerson(database.db, person.id))!
}

function personIdOf(actor: Actor): number {
  if (actor.kind !== 'person') throw new Error('not a person')
  return actor.personId
}

async function newPerson(
  grants: { role: 'teacher' | 'reviewer'; hubId?: string; cohortId?: string }[],
  workplaceUrn: number | null = null,
): Promise<Actor> {
  people++
  const person = await database.db
    .insertInto('people')
    .values({
      name: `Person ${people}`,
      email: `person${people}@school.example`,
      workplace_urn: workplaceUrn,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const g of grants) {
    await database.db
      .insertInto('grants')
      .values({ person_id: person.id, role: g.role, hub_id: g.hubId ?? null, cohort_id: g.cohortId ?? null })
      .execute()
  }
  return (await actorForPerson(database.db, person.id))!
}

/** A cohort open now, new for each call, so each test has a round of its own. */
async function freshCohort(): Promise<string> {
  return ensureCohort(
    database.db,
    cohortInputWith({
      number: cohortNumber++,
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

/** A new teacher's application to the cohort from the school, endorsed and submitted. */
async function submitted(cohortId: string, urn: number, teacher?: Actor): Promise<number> {
  const applicant = teacher ?? (await newPerson([{ role: 'teacher' }]))
  const { application } = await startApplication(context(applicant), cohortId)
  await saveApplication(context(applicant), application.id, {
    school: { urn },
    teaching: TEACHING,
    evidence: essentialEvidence((await findCohort(database.db, cohortId))!),
  })
  const head = { name: 'A Headteacher', email: `head-${application.id}@school.example` }
  // Where the service holds the school's headteacher, the request goes to them instead.
  const asked = await requestEndorsement(context(applicant), application.id, head)
  await respondToEndorsement(
    context(ANONYMOUS),
    await lastEndorsementToken(database.db, asked.headteacherEmail!),
    {
      decision: 'confirm',
    },
  )
  await submitApplication(context(applicant), application.id, { idempotencyKey: randomUUID() })
  return application.id
}

async function refusal(work: Promise<unknown>): Promise<ValidationError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`)
  return error
}

async function counts() {
  const count = async (table: 'review_assignments' | 'application_history' | 'audit_events' | 'reviews') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    assignments: await count('review_assignments'),
    history: await count('application_history'),
    audit: await count('audit_events'),
    reviews: await count('reviews'),
  }
}

async function liveAssignment(applicationId: number, reviewer: Actor): Promise<number> {
  const row = await database.db
    .selectFrom('review_assignments')
    .select('id')
    .where('application_id', '=', applicationId)
    .where('reviewer_id', '=', personIdOf(reviewer))
    .where('ended_at', 'is', null)
    .executeTakeFirstOrThrow()
  return row.id
}

/** A complete review of the demo-style cohort: every criterion judged, everything scored. */
async function completeReview(
  cohortId: string,
  scores: { met: boolean; desirable: number; strategic: number; notMet?: string[] },
) {
  const cohort = (await findCohort(database.db, cohortId))!
  return {
    essential: Object.fromEntries(
      cohort.essentialCriteria.map((c) => [
        c.id,
        { met: scores.met && !(scores.notMet ?? []).includes(c.id), note: `Judged ${c.id}` },
      ]),
    ),
    desirable: Object.fromEntries(
      cohort.desirableCriteria.map((c) => [c.id, { score: scores.desirable, note: `Scored ${c.id}` }]),
    ),
    strategicScore: scores.strategic,
    strategicNote: 'Fits the hub’s priorities',
  }
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  hubLead = await actorFor('priya.shah@northvale.mathshub.example')
  nationalAdmin = await actorFor('nadia.khan@ncetm.example')
  hubAdmin = await actorFor('tom.evans@northvale.mathshub.example')
  otherHubLead = await actorFor('ruth.okafor@riverside.mathshub.example')
  grace = await actorFor('grace.lee@northvale.mathshub.example')
  daniel = await actorFor('daniel.osei@northvale.mathshub.example')
})
afterAll(async () => {
  await database?.destroy()
})
beforeEach(() => {
  clock.set(NOW)
})

describe('the demo reviewers', () => {
  it('work at Northvale schools other than Christ Church Primary', async () => {
    const rows = await database.db
      .selectFrom('people as p')
      .innerJoin('schools as s', 's.urn', 'p.workplace_urn')
      .select(['p.email', 's.urn', 's.la_code'])
      .where('p.email', 'in', [
        'grace.lee@northvale.mathshub.example',
        'daniel.osei@northvale.mathshub.example',
      ])
      .orderBy('p.email')
      .execute()
    expect(rows).toEqual([
      { email: 'daniel.osei@northvale.mathshub.example', urn: DANIEL_SCHOOL, la_code: '952' },
      { email: 'grace.lee@northvale.mathshub.example', urn: GRACE_SCHOOL, la_code: '951' },
    ])
  })
})

describe('conflicts of interest', () => {
  it('refuse a reviewer from the applicant’s own school, naming the reason, and write nothing', async () => {
    const cohortId = await freshCohort()
    const id = await submitted(cohortId, GRACE_SCHOOL)
    const before = await counts()
    const error = await refusal(
      assignReviewer(context(hubLead), HUB, cohortId, { applicationId: id, reviewerId: personIdOf(grace) }),
    )
    expect(error.errors).toEqual([
      expect.objectContaining({
        code: 'conflict-same-school',
        field: 'reviewerId',
        message: expect.stringMatching(
          /^Grace Lee works at the applicant’s school, so cannot review application MH-/,
        ),
      }),
    ])
    expect(await counts()).toEqual(before)
    // Automatic assignment passes her over too, and the queue says why.
    await assignReviewersAutomatically(context(hubLead), HUB, cohortId)
    const queue = await viewReviewQueue(context(hubLead), HUB, cohortId)
    const item = queue.items.find((i) => i.applicationId === id)!
    expect(item.reviewers.map((r) => r.name)).not.toContain('Grace Lee')
    expect(item.options.map((o) => o.name)).not.toContain('Grace Lee')
    expect(item.conflicts).toEqual([
      { name: 'Grace Lee', conflict: { code: 'same-school', reason: 'works at the applicant’s school' } },
    ])
  })

  it('refuse a reviewer from a school in the same trust', async () => {
    const cohortId = await freshCohort()
    const id = await submitted(cohortId, 990_033)
    await database.db
      .updateTable('schools')
      .set({ trust_code: 'TR9001', trust_name: 'Northvale Learning Trust' })
      .where('urn', 'in', [GRACE_SCHOOL, 990_033])
      .execute()
    try {
      const before = await counts()
      const error = await refusal(
        assignReviewer(context(hubLead), HUB, cohortId, { applicationId: id, reviewerId: personIdOf(grace) }),
      )
      expect(error.errors[0]).toMatchObject({
        code: 'conflict-same-trust',
        field: 'reviewerId',
        message: expect.stringContaining('Grace Lee works in the same trust (Northvale Learning Trust)'),
      })
      expect(await counts()).toEqual(before)
      // Daniel works elsewhere, outside the trust: he may.
      await assignReviewer(context(hubLead), HUB, cohortId, {
        applicationId: id,
        reviewerId: personIdOf(daniel),
      })
    } finally {
      await database.db
        .updateTable('schools')
        .set({ trust_code: null, trust_name: null })
        .where('urn', 'in', [GRACE_SCHOOL, 990_033])
        .execute()
    }
  })

  it('refuse the applicant as their own reviewer, someone outside the hub’s reviewers, and a second assignment', async () => {
    const cohortId = await freshCohort()
    // A Northvale reviewer (for this cohort) who applies to the cohort themself.
    const reviewerApplicant = await newPerson([
      { role: 'teacher' },
      { role: 'reviewer', hubId: HUB, cohortId },
    ])
    const own = await submitted(cohortId, FREE_SCHOOLS[0]!, reviewerApplicant)
    expect(
      (
        await refusal(
          assignReviewer(context(hubLead), HUB, cohortId, {
            applicationId: own,
            reviewerId: personIdOf(reviewerApplicant),
          }),
        )
      ).errors[0],
    ).toMatchObject({ code: 'conflict-is-applicant', field: 'reviewerId' })
    const riversideReviewer = await newPerson([{ role: 'reviewer', hubId: 'riverside-maths-hub' }])
    expect(
      (
        await refusal(
          assignReviewer(context(hubLead), HUB, cohortId, {
            applicationId: own,
            reviewerId: personIdOf(riversideReviewer),
          }),
        )
      ).errors[0],
    ).toMatchObject({
      code: 'not-a-reviewer',
      field: 'reviewerId',
      message: 'Select one of the hub’s reviewers',
    })
    await assignReviewer(context(hubLead), HUB, cohortId, {
      applicationId: own,
      reviewerId: personIdOf(daniel),
    })
    expect(
      (
        await refusal(
          assignReviewer(context(hubLead), HUB, cohortId, {
            applicationId: own,
            reviewerId: personIdOf(daniel),
          }),
        )
      ).errors[0],
    ).toMatchObject({ code: 'already-assigned', field: 'reviewerId' })
  })
})

describe('who may see what', () => {
  it('a reviewer from another hub cannot open the application, its review or the round', async () => {
    const cohortId = await freshCohort()
    const id = await submitted(cohortId, FREE_SCHOOLS[1]!)
    await assignReviewer(context(hubLead), HUB, cohortId, {
      applicationId: id,
      reviewerId: personIdOf(grace),
    })
    const assignmentId = await liveAssignment(id, grace)
    const riversideReviewer = await newPerson([{ role: 'reviewer', hubId: 'riverside-maths-hub' }])
    for (const stranger of [riversideReviewer, otherHubLead, hubAdmin, daniel]) {
      await expect(viewReview(context(stranger), assignmentId)).rejects.toBeInstanceOf(NotFoundError)
      await expect(
        saveReview(context(stranger), assignmentId, {}, { complete: false }),
      ).rejects.toBeInstanceOf(NotFoundError)
      await expect(
        declareReviewConflict(context(stranger), assignmentId, { reason: 'x' }),
      ).rejects.toBeInstanceOf(NotFoundError)
    }
    for (const stranger of [riversideReviewer, otherHubLead]) {
      await expect(viewApplication(context(stranger), id)).rejects.toBeInstanceOf(NotFoundError)
    }
    for (const outsider of [otherHubLead, riversideReviewer, grace, hubAdmin]) {
      await expect(viewReviewQueue(context(outsider), HUB, cohortId)).rejects.toBeInstanceOf(NotFoundError)
      await expect(assignReviewersAutomatically(context(outsider), HUB, cohortId)).rejects.toBeInstanceOf(
        NotFoundError,
      )
      await expect(
        assignReviewer(context(outsider), HUB, cohortId, {
          applicationId: id,
          reviewerId: personIdOf(daniel),
        }),
      ).rejects.toBeInstanceOf(NotFoundError)
      await expect(
        updateReviewSettings(context(outsider), HUB, cohortId, {
          blindReview: true,
          reviewsPerApplication: 2,
          priorities: '',
        }),
      ).rejects.toBeInstanceOf(NotFoundError)
    }
    // NCETM's national administrators may run any hub's round.
    expect((await viewReviewQueue(context(nationalAdmin), HUB, cohortId)).items).toHaveLength(1)
    // Another hub's lead cannot reach this application through their own hub's round either.
    await expect(
      assignReviewer(context(otherHubLead), 'riverside-maths-hub', cohortId, {
        applicationId: id,
        reviewerId: personIdOf(otherHubLead),
      }),
    ).rejects.toBeInstanceOf(NotFoundError)
  })

  it('a reviewer sees an application only while it is assigned to them', async () => {
    const cohortId = await freshCohort()
    const id = await submitted(cohortId, FREE_SCHOOLS[2]!)
    await expect(viewApplication(context(grace), id)).rejects.toBeInstanceOf(NotFoundError)
    expect((await listVisibleApplications(context(grace))).items.map((a) => a.id)).not.toContain(id)
    await assignReviewer(context(hubLead), HUB, cohortId, {
      applicationId: id,
      reviewerId: personIdOf(grace),
    })
    expect((await viewApplication(context(grace), id)).application.id).toBe(id)
    expect((await listVisibleApplications(context(grace))).items.map((a) => a.id)).toContain(id)
    // The hub's administrators and leads see every submitted application, assigned or not.
    expect((await viewApplication(context(hubAdmin), id)).application.id).toBe(id)
    await takeAwayReviewer(context(hubLead), HUB, cohortId, await liveAssignment(id, grace))
    await expect(viewApplication(context(grace), id)).rejects.toBeInstanceOf(NotFoundError)
    expect((await listVisibleApplications(context(grace))).items.map((a) => a.id)).not.toContain(id)
  })

  it('keeps who reviews out of the applicant’s own history, and in the hub’s', async () => {
    const cohortId = await freshCohort()
    const teacher = await newPerson([{ role: 'teacher' }])
    const id = await submitted(cohortId, FREE_SCHOOLS[3]!, teacher)
    await assignReviewer(context(hubLead), HUB, cohortId, {
      applicationId: id,
      reviewerId: personIdOf(grace),
    })
    const forHub = await viewApplication(context(hubLead), id)
    expect(forHub.history.at(-1)).toMatchObject({
      event: 'assign-reviewer',
      fromState: 'submitted',
      toState: 'submitted',
      actorKind: 'person',
      actorPersonId: personIdOf(hubLead),
      note: 'Reviewer assigned: Grace Lee',
    })
    const forApplicant = await viewApplication(context(teacher), id)
    expect(forApplicant.history.map((h) => h.event)).not.toContain('assign-reviewer')
    expect(JSON.stringify(forApplicant.history)).not.toContain('Grace Lee')
  })
})

describe('assigning automatically', () => {
  it('gives each application two reviewers, balances the load, and changes nothing when run again', async () => {
    const cohortId = await freshCohort()
    const ids: number[] = []
    for (const urn of FREE_SCHOOLS) ids.push(await submitted(cohortId, urn))
    await updateReviewSettings(context(hubLead), HUB, cohortId, {
      blindReview: false,
      reviewsPerApplication: 2,
      priorities: '',
      leadsReview: true,
    })
    const result = await assignReviewersAutomatically(context(hubLead), HUB, cohortId)
    // Grace, Daniel and the hub lead Priya (who opted in) review for Northvale (the reviewers other
    // tests add are for their own cohorts): 7 applications x 2 = 14 reviews.
    expect(
      (await viewReviewQueue(context(hubLead), HUB, cohortId)).reviewers.map((r) => r.name).sort(),
    ).toEqual(['Daniel Osei', 'Grace Lee', 'Priya Shah'])
    expect(result).toEqual({ wanted: 2, assigned: 14, short: [] })
    const queue = await viewReviewQueue(context(hubLead), HUB, cohortId)
    for (const item of queue.items) {
      expect(item.reviewers).toHaveLength(2)
      expect(new Set(item.reviewers.map((r) => r.reviewerId)).size).toBe(2)
    }
    const loads = queue.reviewers.map((r) => r.load)
    expect(loads.reduce((a, b) => a + b, 0)).toBe(14)
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1)
    // Each assignment is audited, with a history row on its application.
    const audit = await database.db
      .selectFrom('audit_events')
      .select('after')
      .where('action', '=', 'review-assignment.create')
      .where(
        'record_id',
        'in',
        queue.items.flatMap((i) => i.reviewers.map((r) => String(r.assignmentId))),
      )
      .execute()
    expect(audit).toHaveLength(14)
    const history = await database.db
      .selectFrom('application_history')
      .select('note')
      .where('application_id', 'in', ids)
      .where('event', '=', 'assign-reviewer')
      .execute()
    expect(history).toHaveLength(14)
    expect(history[0]!.note).toMatch(/^Reviewer assigned automatically: /)

    const before = await counts()
    expect(await assignReviewersAutomatically(context(hubLead), HUB, cohortId)).toEqual({
      wanted: 2,
      assigned: 0,
      short: [],
    })
    expect(await counts()).toEqual(before)
  })

  it('reports the applications left short when there are not enough reviewers without a conflict', async () => {
    const cohortId = await freshCohort()
    const atGraceSchool = await submitted(cohortId, GRACE_SCHOOL)
    const elsewhere = await submitted(cohortId, FREE_SCHOOLS[4]!)
    await updateReviewSettings(context(hubLead), HUB, cohortId, {
      blindReview: false,
      reviewsPerApplication: 3,
      priorities: '',
      leadsReview: true,
    })
    const result = await assignReviewersAutomatically(context(hubLead), HUB, cohortId)
    // Three reviewers in all (the lead opted in); Grace may not have the application from her own school.
    expect(result.short).toEqual([
      { applicationId: atGraceSchool, reference: expect.stringMatching(/^MH-/), assigned: 2 },
    ])
    expect(result.assigned).toBe(5)
    const queue = await viewReviewQueue(context(hubLead), HUB, cohortId)
    expect(queue.items.find((i) => i.applicationId === atGraceSchool)!.short).toBe(true)
    expect(queue.items.find((i) => i.applicationId === elsewhere)!.short).toBe(false)
    expect(queue.shortCount).toBe(1)
    // A reviewer added for this cohort only fills the gap.
    const extra = await newPerson([{ role: 'reviewer', hubId: HUB, cohortId }])
    const again = await assignReviewersAutomatically(context(hubLead), HUB, cohortId)
    expect(again).toEqual({ wanted: 3, assigned: 1, short: [] })
    expect(await liveAssignment(atGraceSchool, extra)).toBeGreaterThan(0)
    // ...and is no reviewer for any other cohort.
    const other = await freshCohort()
    await submitted(other, FREE_SCHOOLS[5]!)
    expect(
      (await viewReviewQueue(context(hubLead), HUB, other)).reviewers.map((r) => r.reviewerId),
    ).not.toContain(personIdOf(extra))
  })

  it('gives the hub lead no reviews unless she opts in, and still lets her be assigned by hand', async () => {
    const cohortId = await freshCohort()
    const ids = [await submitted(cohortId, FREE_SCHOOLS[0]!), await submitted(cohortId, FREE_SCHOOLS[1]!)]
    const priya = personIdOf(hubLead)
    // Left alone, the round's leads do not review: Grace and Daniel take both applications.
    expect((await viewReviewQueue(context(hubLead), HUB, cohortId)).round.leadsReview).toBe(false)
    expect(await assignReviewersAutomatically(context(hubLead), HUB, cohortId)).toEqual({
      wanted: 2,
      assigned: 4,
      short: [],
    })
    const reviewersOf = async () =>
      (await viewReviewQueue(context(hubLead), HUB, cohortId)).items.flatMap((i) =>
        i.reviewers.map((r) => r.reviewerId),
      )
    expect(await reviewersOf()).not.toContain(priya)
    // Three reviews each: without the lead, the applications stay short.
    await updateReviewSettings(context(hubLead), HUB, cohortId, {
      blindReview: false,
      reviewsPerApplication: 3,
      priorities: '',
    })
    expect((await assignReviewersAutomatically(context(hubLead), HUB, cohortId)).short).toHaveLength(2)
    expect(await reviewersOf()).not.toContain(priya)
    // Once she opts in, she takes the third review of each.
    await updateReviewSettings(context(hubLead), HUB, cohortId, {
      blindReview: false,
      reviewsPerApplication: 3,
      priorities: '',
      leadsReview: true,
    })
    expect(await assignReviewersAutomatically(context(hubLead), HUB, cohortId)).toEqual({
      wanted: 3,
      assigned: 2,
      short: [],
    })
    expect((await reviewersOf()).filter((id) => id === priya)).toHaveLength(2)
    // Settings saved without saying keep her choice; by hand she can always be given one.
    const kept = await updateReviewSettings(context(hubLead), HUB, cohortId, {
      blindReview: true,
      reviewsPerApplication: 3,
      priorities: '',
    })
    expect(kept.leadsReview).toBe(true)
    const other = await freshCohort()
    const byHand = await submitted(other, FREE_SCHOOLS[2]!)
    await assignReviewer(context(hubLead), HUB, other, { applicationId: byHand, reviewerId: priya })
    expect(await liveAssignment(byHand, hubLead)).toBeGreaterThan(0)
    void ids
  })

  it('leaves withdrawn applications out, and refuses to assign them by hand', async () => {
    const cohortId = await freshCohort()
    const teacher = await newPerson([{ role: 'teacher' }])
    const id = await submitted(cohortId, FREE_SCHOOLS[6]!, teacher)
    await withdrawApplication(context(teacher), id)
    expect(await assignReviewersAutomatically(context(hubLead), HUB, cohortId)).toEqual({
      wanted: 2,
      assigned: 0,
      short: [],
    })
    const error = await refusal(
      assignReviewer(context(hubLead), HUB, cohortId, { applicationId: id, reviewerId: personIdOf(grace) }),
    )
    expect(error.errors[0]).toMatchObject({ code: 'not-submitted', field: 'applicationId' })
  })
})

describe('a reviewer declaring a conflict', () => {
  it('ends the assignment with the reason, and they are not given the application again', async () => {
    const cohortId = await freshCohort()
    const id = await submitted(cohortId, FREE_SCHOOLS[0]!)
    await assignReviewer(context(hubLead), HUB, cohortId, {
      applicationId: id,
      reviewerId: personIdOf(grace),
    })
    const assignmentId = await liveAssignment(id, grace)

    const empty = await refusal(declareReviewConflict(context(grace), assignmentId, { reason: '   ' }))
    expect(empty.errors).toEqual([
      { code: 'invalid', field: 'reason', message: 'Enter why you cannot review this application fairly' },
    ])

    await declareReviewConflict(context(grace), assignmentId, { reason: 'The applicant is my sister-in-law' })
    const row = await database.db
      .selectFrom('review_assignments')
      .select(['ended_at', 'conflict_reason'])
      .where('id', '=', assignmentId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ ended_at: new Date(NOW), conflict_reason: 'The applicant is my sister-in-law' })
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_person_id', 'after'])
      .where('record_type', '=', 'review-assignment')
      .where('record_id', '=', String(assignmentId))
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(audit).toMatchObject({
      action: 'review-assignment.declare-conflict',
      actor_person_id: personIdOf(grace),
    })
    expect(JSON.stringify(audit.after)).not.toContain('sister')
    // Gone from her list and her reach.
    expect((await listOwnReviews(context(grace))).items.map((r) => r.assignmentId)).not.toContain(
      assignmentId,
    )
    await expect(viewReview(context(grace), assignmentId)).rejects.toBeInstanceOf(NotFoundError)
    // Never given it again, automatically or by hand; the hub lead reads why.
    await assignReviewersAutomatically(context(hubLead), HUB, cohortId)
    const queue = await viewReviewQueue(context(hubLead), HUB, cohortId)
    const item = queue.items[0]!
    expect(item.reviewers.map((r) => r.name)).not.toContain('Grace Lee')
    expect(item.conflicts).toEqual([
      {
        name: 'Grace Lee',
        conflict: {
          code: 'declared',
          reason: 'declared a conflict of interest: The applicant is my sister-in-law',
        },
      },
    ])
    const byHand = await refusal(
      assignReviewer(context(hubLead), HUB, cohortId, { applicationId: id, reviewerId: personIdOf(grace) }),
    )
    expect(byHand.errors[0]).toMatchObject({ code: 'conflict-declared', field: 'reviewerId' })
  })
})

describe('scoring', () => {
  it('saves a draft, and completing needs every criterion judged and the strategic fit scored', async () => {
    const cohortId = await freshCohort()
    const id = await submitted(cohortId, FREE_SCHOOLS[1]!)
    await assignReviewer(context(hubLead), HUB, cohortId, {
      applicationId: id,
      reviewerId: personIdOf(grace),
    })
    const assignmentId = await liveAssignment(id, grace)
    const partial = {
      essential: {
        qts: { met: true, note: 'TRN given' },
        'good-teaching': { met: null, note: 'Ask about this' },
      },
      desirable: { 'additional-status': { score: 3, note: 'An SLE' } },
    }
    const before = await counts()
    const error = await refusal(saveReview(context(grace), assignmentId, partial, { complete: true }))
    expect(error.errors.map((e) => e.field)).toEqual([
      'essential.teaches-maths',
      'essential.time-commitment',
      'essential.good-teaching',
      'essential.enthusiasm',
      'essential.collaboration',
      'essential.headteacher-understands',
      'desirable.subject-leader',
      'desirable.four-years',
      'strategicScore',
    ])
    expect(error.errors.find((e) => e.field === 'desirable.subject-leader')!.message).toBe(
      'Score “Mathematics subject leader” from 0 to 4',
    )
    expect(await counts()).toEqual(before)

    const draft = await saveReview(context(grace), assignmentId, partial, { complete: false })
    expect(draft.completedAt).toBeNull()
    let view = await viewReview(context(grace), assignmentId)
    expect(view.review?.essential['good-teaching']).toEqual({ met: null, note: 'Ask about this' })
    expect(
      (await listOwnReviews(context(grace))).items.find((r) => r.assignmentId === assignmentId)!.status,
    ).toBe('draft')

    const done = await saveReview(
      context(grace),
      assignmentId,
      await completeReview(cohortId, { met: true, desirable: 3, strategic: 4 }),
      { complete: true },
    )
    expect(done.completedAt).toEqual(new Date(NOW))
    view = await viewReview(context(grace), assignmentId)
    expect(view.review?.strategicScore).toBe(4)
    // Audited with the scores, never the notes.
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'after'])
      .where('record_type', '=', 'review')
      .where('record_id', '=', String(assignmentId))
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['review.save-draft', 'review.complete'])
    expect(JSON.stringify(audit)).not.toContain('TRN given')
    expect(JSON.stringify(audit)).not.toContain('Fits the hub')
    expect(audit[1]!.after).toMatchObject({
      completed: true,
      strategic_score: 4,
      desirable: { 'four-years': 3 },
    })

    // It may be changed while the round is reviewing...
    clock.advance(60_000)
    await saveReview(
      context(grace),
      assignmentId,
      await completeReview(cohortId, { met: true, desirable: 2, strategic: 4 }),
      { complete: true },
    )
    // ...and not once the hub lead has confirmed the proposals.
    await database.db
      .updateTable('selection_rounds')
      .set({ state: 'confirmed' })
      .where('hub_id', '=', HUB)
      .where('cohort_id', '=', cohortId)
      .execute()
    const closed = await refusal(saveReview(context(grace), assignmentId, partial, { complete: false }))
    expect(closed.errors[0]).toMatchObject({ code: 'round-closed', field: 'round' })
    expect((await viewReview(context(grace), assignmentId)).editable).toBe(false)
    const refusedAssign = await refusal(assignReviewersAutomatically(context(hubLead), HUB, cohortId))
    expect(refusedAssign.errors[0]).toMatchObject({ code: 'round-closed' })
  })

  it('refuses scores off the scale and criteria the cohort does not have, naming each', async () => {
    const cohortId = await freshCohort()
    const id = await submitted(cohortId, FREE_SCHOOLS[2]!)
    await assignReviewer(context(hubLead), HUB, cohortId, {
      applicationId: id,
      reviewerId: personIdOf(daniel),
    })
    const assignmentId = await liveAssignment(id, daniel)
    const offScale = await refusal(
      saveReview(
        context(daniel),
        assignmentId,
        { desirable: { 'subject-leader': { score: 5, note: '' } }, strategicScore: 1.5 },
        { complete: false },
      ),
    )
    expect(offScale.errors.map((e) => [e.field, e.message])).toEqual([
      ['desirable.subject-leader', '“Mathematics subject leader”: Choose a score from 0 to 4'],
      ['strategicScore', 'Choose a score from 0 to 4'],
    ])
    const unknown = await refusal(
      saveReview(
        context(daniel),
        assignmentId,
        { essential: { made_up: { met: true, note: '' } } },
        {
          complete: false,
        },
      ),
    )
    expect(unknown.errors.map((e) => e.field)).toEqual(['essential.made_up'])
  })

  it('combines completed reviews by median, with the spread and any dispute visible to the hub lead', async () => {
    const cohortId = await freshCohort()
    const id = await submitted(cohortId, FREE_SCHOOLS[3]!)
    const third = await newPerson([{ role: 'reviewer', hubId: HUB, cohortId }])
    for (const reviewer of [grace, daniel, third]) {
      await assignReviewer(context(hubLead), HUB, cohortId, {
        applicationId: id,
        reviewerId: personIdOf(reviewer),
      })
    }
    // Totals: 3 desirable criteria and strategic fit. Grace 4x3+4 = 16; Daniel 1x3+1 = 4 (and
    // "good teaching" not met); the third reviewer's is a draft, which does not count.
    await saveReview(
      context(grace),
      await liveAssignment(id, grace),
      await completeReview(cohortId, { met: true, desirable: 4, strategic: 4 }),
      { complete: true },
    )
    await saveReview(
      context(daniel),
      await liveAssignment(id, daniel),
      await completeReview(cohortId, { met: true, desirable: 1, strategic: 1, notMet: ['good-teaching'] }),
      { complete: true },
    )
    await saveReview(
      context(third),
      await liveAssignment(id, third),
      { strategicScore: 0 },
      { complete: false },
    )
    const item = (await viewReviewQueue(context(hubLead), HUB, cohortId)).items[0]!
    expect(item.reviewers.map((r) => [r.name, r.status])).toEqual([
      ['Grace Lee', 'completed'],
      ['Daniel Osei', 'completed'],
      [expect.stringMatching(/^Person /), 'draft'],
    ])
    expect(item.score).toMatchObject({ reviews: 2, median: 10, spread: 12, totals: [16, 4], excluded: false })
    expect(item.score.essential.find((e) => e.criterionId === 'good-teaching')).toMatchObject({
      met: 1,
      notMet: 1,
      outcome: 'disputed',
    })
    // Taking a reviewer away takes their scores out.
    await takeAwayReviewer(context(hubLead), HUB, cohortId, await liveAssignment(id, daniel))
    const after = (await viewReviewQueue(context(hubLead), HUB, cohortId)).items[0]!
    expect(after.score).toMatchObject({ reviews: 1, median: 16, spread: 0 })
    expect(after.reviewers.map((r) => r.name)).not.toContain('Daniel Osei')
  })
})

describe('blind review', () => {
  it('hides the applicant’s name, reference and school from reviewers, not from the hub lead', async () => {
    const cohortId = await freshCohort()
    const teacher = await newPerson([{ role: 'teacher' }])
    const id = await submitted(cohortId, FREE_SCHOOLS[4]!, teacher)
    await assignReviewer(context(hubLead), HUB, cohortId, {
      applicationId: id,
      reviewerId: personIdOf(grace),
    })
    const assignmentId = await liveAssignment(id, grace)
    const open = await viewReview(context(grace), assignmentId)
    expect(open.applicant).toMatchObject({ schoolUrn: FREE_SCHOOLS[4] })
    expect(open.label).toMatch(/^Person \d+ \(MH-/)
    expect(open.teaching.trn).toBe(TEACHING.trn)

    const round = await updateReviewSettings(context(hubLead), HUB, cohortId, {
      blindReview: true,
      reviewsPerApplication: 2,
      priorities: 'Reach schools in Greyhaven\nSchools with high FSM',
    })
    expect(round.blindReview).toBe(true)
    const blind = await viewReview(context(grace), assignmentId)
    expect(blind.applicant).toBeNull()
    expect(blind.label).toBe(`Review ${assignmentId}`)
    expect(blind.teaching.trn).toBe('Given')
    expect(blind.school).toMatchObject({ phase: 'Primary', town: null, trustName: null })
    expect(blind.school?.percentageFsm).toEqual(expect.any(Number))
    expect(blind.round.priorities).toBe('Reach schools in Greyhaven\nSchools with high FSM')
    const text = JSON.stringify({ ...blind, assignment: undefined })
    const application = await viewApplication(context(hubLead), id)
    expect(text).not.toContain(application.application.applicantName)
    expect(text).not.toContain(application.application.reference)
    expect(text).not.toContain(application.application.schoolName!)
    const listed = (await listOwnReviews(context(grace))).items.find((r) => r.assignmentId === assignmentId)!
    expect(listed).toMatchObject({
      label: `Review ${assignmentId}`,
      applicantName: '',
      reference: '',
      schoolName: null,
    })
    // Nor can she read it through the application's own page or the API's list.
    await expect(viewApplication(context(grace), id)).rejects.toBeInstanceOf(NotFoundError)
    expect((await listVisibleApplications(context(grace))).items.map((a) => a.id)).not.toContain(id)
    // The hub lead still sees everything.
    const queue = await viewReviewQueue(context(hubLead), HUB, cohortId)
    expect(queue.items[0]).toMatchObject({ applicantName: application.application.applicantName })
  })

  it('refuses settings out of range, naming the field', async () => {
    const cohortId = await freshCohort()
    const error = await refusal(
      updateReviewSettings(context(hubLead), HUB, cohortId, {
        blindReview: false,
        reviewsPerApplication: 6,
        priorities: 'x'.repeat(5_001),
      }),
    )
    expect(error.errors.map((e) => e.field)).toEqual(['reviewsPerApplication', 'priorities'])
  })
})

describe('where a reviewer works', () => {
  it('is recorded when a hub lead adds them to the team, and must be a school in the register', async () => {
    const email = `reviewer-${randomUUID()}@school.example`
    const cohortId = await freshCohort()
    const unknown = await refusal(
      grantRole(context(hubLead), {
        email,
        name: 'New Reviewer',
        role: 'reviewer',
        hubId: HUB,
        workplaceUrn: '123456',
      }),
    )
    expect(unknown.errors).toEqual([
      { code: 'unknown', field: 'workplaceUrn', message: 'No school in the register has that URN' },
    ])
    const bad = await refusal(
      grantRole(context(hubLead), {
        email,
        name: 'New Reviewer',
        role: 'reviewer',
        hubId: HUB,
        workplaceUrn: 'abc',
      }),
    )
    expect(bad.errors[0]!.field).toBe('workplaceUrn')
    const { personId } = await grantRole(context(hubLead), {
      email,
      name: 'New Reviewer',
      role: 'reviewer',
      hubId: HUB,
      cohortId,
      workplaceUrn: String(FREE_SCHOOLS[5]),
    })
    const person = await database.db
      .selectFrom('people')
      .select('workplace_urn')
      .where('id', '=', personId)
      .executeTakeFirstOrThrow()
    expect(person.workplace_urn).toBe(FREE_SCHOOLS[5])
    // From now on they are never given an applicant from that school.
    const id = await submitted(cohortId, FREE_SCHOOLS[5]!)
    const error = await refusal(
      assignReviewer(context(hubLead), HUB, cohortId, { applicationId: id, reviewerId: personId }),
    )
    expect(error.errors[0]).toMatchObject({ code: 'conflict-same-school' })
  })
})

describe('the reviewer’s list', () => {
  it('is for people who review, and holds only their live assignments', async () => {
    await expect(listOwnReviews(context(hubAdmin))).rejects.toBeInstanceOf(NotFoundError)
    await expect(listOwnReviews(context(ANONYMOUS))).rejects.toBeInstanceOf(NotFoundError)
    const cohortId = await freshCohort()
    const fresh = await newPerson([{ role: 'reviewer', hubId: HUB, cohortId }])
    expect((await listOwnReviews(context(fresh))).items).toEqual([])
    const id = await submitted(cohortId, FREE_SCHOOLS[6]!)
    await assignReviewer(context(hubLead), HUB, cohortId, {
      applicationId: id,
      reviewerId: personIdOf(fresh),
    })
    expect((await listOwnReviews(context(fresh))).items).toEqual([
      expect.objectContaining({ applicationId: id, status: 'not-started', hubId: HUB, cohortId }),
    ])
  })
})
