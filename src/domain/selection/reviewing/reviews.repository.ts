// SQL for the review of a hub's applicants: who may review (with the facts conflicts of interest
// are judged on), assignments, reviews (drafts and completed), a reviewer's own list, and the
// register's facts about an applicant's school.
import { sql } from 'kysely'
import type { Executor, Tx } from '../../../db/database.ts'
import { fetchPage } from '../../../db/paged-query.ts'
import { assertPageInRange, mapPage, type PageRequest, type Paged } from '../../../lib/paging.ts'
import type { ApplicationState } from '../../../db/schema.ts'
import type { ApplicantFacts, ReviewerFacts } from './review-conflicts.ts'
import { REVIEWING_ROLES } from './reviews.policy.ts'

export interface Assignment {
  id: number
  applicationId: number
  reviewerId: number
  reviewerName: string
  assignedBy: number | null
  assignedAt: Date
  endedAt: Date | null
  conflictReason: string | null
  /** The application's hub, cohort and state. */
  hubId: string | null
  cohortId: string
  applicationState: ApplicationState
}

function assignmentsQuery(db: Executor) {
  return db
    .selectFrom('review_assignments as ra')
    .innerJoin('applications as a', 'a.id', 'ra.application_id')
    .innerJoin('people as p', 'p.id', 'ra.reviewer_id')
    .select([
      'ra.id',
      'ra.application_id',
      'ra.reviewer_id',
      'p.name as reviewer_name',
      'ra.assigned_by',
      'ra.assigned_at',
      'ra.ended_at',
      'ra.conflict_reason',
      'a.hub_id',
      'a.cohort_id',
      'a.state as application_state',
    ])
}

type AssignmentRow = Awaited<ReturnType<ReturnType<typeof assignmentsQuery>['executeTakeFirstOrThrow']>>

function toAssignment(row: AssignmentRow): Assignment {
  return {
    id: row.id,
    applicationId: row.application_id,
    reviewerId: row.reviewer_id,
    reviewerName: row.reviewer_name,
    assignedBy: row.assigned_by,
    assignedAt: row.assigned_at,
    endedAt: row.ended_at,
    conflictReason: row.conflict_reason,
    hubId: row.hub_id,
    cohortId: row.cohort_id,
    applicationState: row.application_state,
  }
}

export async function findAssignment(db: Executor, id: number): Promise<Assignment | undefined> {
  const row = await assignmentsQuery(db).where('ra.id', '=', id).executeTakeFirst()
  return row ? toAssignment(row) : undefined
}

/** Reads the assignment and locks its row until the transaction ends. */
export async function lockAssignment(tx: Tx, id: number): Promise<Assignment | undefined> {
  const locked = await tx
    .selectFrom('review_assignments')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
  return locked ? findAssignment(tx, id) : undefined
}

/** Every assignment to the round's applications, live and ended, oldest first. */
export async function roundAssignments(db: Executor, hubId: string, cohortId: string): Promise<Assignment[]> {
  const rows = await assignmentsQuery(db)
    .where('a.hub_id', '=', hubId)
    .where('a.cohort_id', '=', cohortId)
    .orderBy('ra.id')
    .execute()
  return rows.map(toAssignment)
}

export async function insertAssignment(
  tx: Tx,
  values: { applicationId: number; reviewerId: number; assignedBy: number | null; now: Date },
): Promise<number> {
  const row = await tx
    .insertInto('review_assignments')
    .values({
      application_id: values.applicationId,
      reviewer_id: values.reviewerId,
      assigned_by: values.assignedBy,
      assigned_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Ends a live assignment: taken away, or (with a reason) a conflict the reviewer declared. */
export async function endAssignment(
  tx: Tx,
  id: number,
  now: Date,
  conflictReason: string | null = null,
): Promise<void> {
  await tx
    .updateTable('review_assignments')
    .set({ ended_at: now, conflict_reason: conflictReason })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute()
}

/**
 * People who may review the hub's applications to the cohort: a live reviewer or hub-lead grant
 * there (a reviewer grant for one cohort counts for that cohort only), with where they work and
 * the schools they are a contact at.
 */
export async function eligibleReviewers(
  db: Executor,
  hubId: string,
  cohortId: string,
): Promise<ReviewerFacts[]> {
  const people = await db
    .selectFrom('people as p')
    .leftJoin('schools as w', 'w.urn', 'p.workplace_urn')
    .select(['p.id', 'p.name', 'p.workplace_urn', 'w.name as workplace_name', 'w.trust_code', 'w.trust_name'])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('grants as g')
          .select('g.id')
          .whereRef('g.person_id', '=', 'p.id')
          .where('g.hub_id', '=', hubId)
          .where('g.role', 'in', [...REVIEWING_ROLES])
          .where('g.revoked_at', 'is', null)
          .where((eb) => eb.or([eb('g.cohort_id', 'is', null), eb('g.cohort_id', '=', cohortId)])),
      ),
    )
    .orderBy('p.name')
    .orderBy('p.id')
    .execute()
  if (people.length === 0) return []
  const contacts = await db
    .selectFrom('grants')
    .select(['person_id', 'school_urn'])
    .where(
      'person_id',
      'in',
      people.map((p) => p.id),
    )
    .where('role', '=', 'school-contact')
    .where('revoked_at', 'is', null)
    .where('school_urn', 'is not', null)
    .execute()
  return people.map((p) => ({
    personId: p.id,
    name: p.name,
    workplaceUrn: p.workplace_urn,
    workplaceName: p.workplace_name,
    workplaceTrustCode: p.trust_code,
    workplaceTrustName: p.trust_name,
    contactSchoolUrns: contacts.flatMap((c) => (c.person_id === p.id && c.school_urn ? [c.school_urn] : [])),
  }))
}

export interface RoundApplication extends ApplicantFacts {
  reference: string
  hubId: string | null
  cohortId: string
  applicantName: string
  schoolName: string | null
  state: ApplicationState
  submittedAt: Date | null
}

function roundApplicationsQuery(db: Executor) {
  return db
    .selectFrom('applications as a')
    .innerJoin('people as person', 'person.id', 'a.applicant_id')
    .leftJoin('schools as s', 's.urn', 'a.school_urn')
    .select([
      'a.id',
      'a.reference',
      'a.hub_id',
      'a.cohort_id',
      'a.applicant_id',
      'person.name as applicant_name',
      'a.school_urn',
      's.name as school_name',
      's.trust_code',
      's.trust_name',
      'a.state',
      'a.submitted_at',
    ])
}

type RoundApplicationRow = Awaited<
  ReturnType<ReturnType<typeof roundApplicationsQuery>['executeTakeFirstOrThrow']>
>

function toRoundApplication(row: RoundApplicationRow): RoundApplication {
  return {
    applicationId: row.id,
    reference: row.reference,
    hubId: row.hub_id,
    cohortId: row.cohort_id,
    applicantId: row.applicant_id,
    applicantName: row.applicant_name,
    schoolUrn: row.school_urn,
    schoolName: row.school_name,
    schoolTrustCode: row.trust_code,
    schoolTrustName: row.trust_name,
    state: row.state,
    submittedAt: row.submitted_at,
  }
}

/** The round's submitted applications (not withdrawn), first submitted first. */
export async function submittedApplications(
  db: Executor,
  hubId: string,
  cohortId: string,
): Promise<RoundApplication[]> {
  const rows = await roundApplicationsQuery(db)
    .where('a.hub_id', '=', hubId)
    .where('a.cohort_id', '=', cohortId)
    .where('a.state', '=', 'submitted')
    .orderBy('a.submitted_at')
    .orderBy('a.id')
    .execute()
  return rows.map(toRoundApplication)
}

export async function findRoundApplication(db: Executor, id: number): Promise<RoundApplication | undefined> {
  const row = await roundApplicationsQuery(db).where('a.id', '=', id).executeTakeFirst()
  return row ? toRoundApplication(row) : undefined
}

/** A saved judgement: a draft may leave `met` or `score` unset (null) while the note is kept. */
export interface DraftJudgement {
  met: boolean | null
  note: string
}
export interface DraftScore {
  score: number | null
  note: string
}

export interface StoredReview {
  assignmentId: number
  essential: Record<string, DraftJudgement>
  desirable: Record<string, DraftScore>
  strategicScore: number | null
  strategicNote: string
  completedAt: Date | null
  updatedAt: Date
}

export async function findReviews(
  db: Executor,
  assignmentIds: readonly number[],
): Promise<Map<number, StoredReview>> {
  const reviews = new Map<number, StoredReview>()
  if (assignmentIds.length === 0) return reviews
  const rows = await db
    .selectFrom('reviews')
    .selectAll()
    .where('assignment_id', 'in', [...assignmentIds])
    .execute()
  for (const row of rows) {
    reviews.set(row.assignment_id, {
      assignmentId: row.assignment_id,
      // Completed reviews hold booleans and numbers throughout; drafts may hold nulls.
      essential: row.essential as Record<string, DraftJudgement>,
      desirable: row.desirable as Record<string, DraftScore>,
      strategicScore: row.strategic_score,
      strategicNote: row.strategic_note,
      completedAt: row.completed_at,
      updatedAt: row.updated_at,
    })
  }
  return reviews
}

export async function upsertReview(
  tx: Tx,
  review: Omit<StoredReview, 'updatedAt'>,
  now: Date,
): Promise<void> {
  const values = {
    essential: JSON.stringify(review.essential),
    desirable: JSON.stringify(review.desirable),
    strategic_score: review.strategicScore,
    strategic_note: review.strategicNote,
    completed_at: review.completedAt,
    updated_at: now,
  }
  await tx
    .insertInto('reviews')
    .values({ assignment_id: review.assignmentId, ...values })
    .onConflict((oc) => oc.column('assignment_id').doUpdateSet(values))
    .execute()
}

export interface ReviewerAssignment {
  assignmentId: number
  assignedAt: Date
  applicationId: number
  reference: string
  applicantName: string
  schoolName: string | null
  applicationState: ApplicationState
  hubId: string
  hubName: string
  cohortId: string
  programmeName: string
  cohortNumber: number
  blindReview: boolean
  roundState: string
  reviewUpdatedAt: Date | null
  completedAt: Date | null
}

/** A page of the reviewer's live assignments in the given hubs, with where each review stands, oldest first. */
export async function listReviewerAssignments(
  db: Executor,
  reviewerId: number,
  hubIds: string[],
  request: PageRequest,
): Promise<Paged<ReviewerAssignment>> {
  if (hubIds.length === 0) {
    const none = { total: 0, page: request.page, pageSize: request.pageSize, items: [] }
    assertPageInRange(none)
    return none
  }
  const query = db
    .selectFrom('review_assignments as ra')
    .innerJoin('applications as a', 'a.id', 'ra.application_id')
    .innerJoin('people as person', 'person.id', 'a.applicant_id')
    .innerJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .innerJoin('programmes as pr', 'pr.id', 'c.programme_id')
    .innerJoin('hubs as h', 'h.id', 'a.hub_id')
    .leftJoin('schools as s', 's.urn', 'a.school_urn')
    .leftJoin('selection_rounds as sr', (join) =>
      join.onRef('sr.hub_id', '=', 'a.hub_id').onRef('sr.cohort_id', '=', 'a.cohort_id'),
    )
    .leftJoin('reviews as r', 'r.assignment_id', 'ra.id')
    .select([
      'ra.id',
      'ra.assigned_at',
      'a.id as application_id',
      'a.reference',
      'person.name as applicant_name',
      's.name as school_name',
      'a.state as application_state',
      'h.id as hub_id',
      'h.name as hub_name',
      'c.id as cohort_id',
      'pr.name as programme_name',
      'c.number as cohort_number',
      sql<boolean>`coalesce(sr.blind_review, false)`.as('blind_review'),
      sql<string>`coalesce(sr.state, 'reviewing')`.as('round_state'),
      'r.updated_at as review_updated_at',
      'r.completed_at',
    ])
    .where('ra.reviewer_id', '=', reviewerId)
    .where('ra.ended_at', 'is', null)
    .where('a.hub_id', 'in', hubIds)
    .orderBy('ra.assigned_at')
    .orderBy('ra.id')
  return mapPage(await fetchPage(db, query, request), (r) => ({
    assignmentId: r.id,
    assignedAt: r.assigned_at,
    applicationId: r.application_id,
    reference: r.reference,
    applicantName: r.applicant_name,
    schoolName: r.school_name,
    applicationState: r.application_state,
    hubId: r.hub_id,
    hubName: r.hub_name,
    cohortId: r.cohort_id,
    programmeName: r.programme_name,
    cohortNumber: r.cohort_number,
    blindReview: r.blind_review,
    roundState: r.round_state,
    reviewUpdatedAt: r.review_updated_at,
    completedAt: r.completed_at,
  }))
}

/** Who reviews the application now (live assignments), and whether its round hides names. */
export async function reviewAccessTo(
  db: Executor,
  application: { id: number; hubId: string | null; cohortId: string },
): Promise<{ reviewerIds: number[]; blindReview: boolean }> {
  const [assignments, round] = await Promise.all([
    db
      .selectFrom('review_assignments')
      .select('reviewer_id')
      .where('application_id', '=', application.id)
      .where('ended_at', 'is', null)
      .execute(),
    application.hubId === null
      ? undefined
      : db
          .selectFrom('selection_rounds')
          .select('blind_review')
          .where('hub_id', '=', application.hubId)
          .where('cohort_id', '=', application.cohortId)
          .executeTakeFirst(),
  ])
  return { reviewerIds: assignments.map((a) => a.reviewer_id), blindReview: round?.blind_review ?? false }
}

export interface SchoolFacts {
  urn: number
  name: string
  phase: string
  typeName: string
  laName: string
  town: string | null
  pupils: number | null
  percentageFsm: number | null
  trustName: string | null
  /** Mastery Specialists (or other participants) the school has had, in any cohort. */
  participations: number
  /** Other applications from the school that were submitted, to any cohort. */
  otherApplications: number
}

/** The register's facts about the applicant's school, and whether it has taken part before. */
export async function schoolFacts(
  db: Executor,
  urn: number,
  applicationId: number,
): Promise<SchoolFacts | undefined> {
  const row = await db
    .selectFrom('schools as s')
    .select([
      's.urn',
      's.name',
      's.phase',
      's.type_name',
      's.la_name',
      's.town',
      's.pupils',
      's.percentage_fsm',
      's.trust_name',
      (eb) =>
        eb
          .selectFrom('participations as pa')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('pa.school_urn', '=', 's.urn')
          .as('participations'),
      (eb) =>
        eb
          .selectFrom('applications as o')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('o.school_urn', '=', 's.urn')
          .where('o.id', '<>', applicationId)
          .where('o.submitted_at', 'is not', null)
          .as('other_applications'),
    ])
    .where('s.urn', '=', urn)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    urn: row.urn,
    name: row.name,
    phase: row.phase,
    typeName: row.type_name,
    laName: row.la_name,
    town: row.town,
    pupils: row.pupils,
    percentageFsm: row.percentage_fsm === null ? null : Number(row.percentage_fsm),
    trustName: row.trust_name,
    participations: row.participations ?? 0,
    otherApplications: row.other_applications ?? 0,
  }
}
