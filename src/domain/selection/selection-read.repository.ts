// SQL for reading selection: a cohort's submitted applications (one hub's, or every hub's) with
// the facts an export needs, the reviews of live assignments with their reviewers, and every hub's
// round. Read-only. Decisions are read through decisions.repository.ts.
import type { Executor } from '../../db/database.ts'
import type {
  ApplicationState,
  DesirableScore,
  EssentialJudgement,
  SelectionRoundState,
} from '../../db/schema.ts'

/** Which submitted applications: a cohort's, and one hub's of them unless NCETM asks for every hub's. */
export interface RoundScope {
  cohortId: string
  hubId?: string | undefined
}

export interface RoundApplication {
  id: number
  reference: string
  cohortId: string
  hubId: string | null
  hubName: string | null
  applicantId: number
  applicantName: string
  applicantEmail: string
  schoolUrn: number | null
  schoolName: string | null
  /** Whether the headteacher is one the service holds for the school, or one a hub lead checked. */
  headteacherVerified: boolean
  schoolPhase: string | null
  percentageFsm: number | null
  state: ApplicationState
  submittedAt: Date
  withdrawnAt: Date | null
}

/** Every application submitted to the cohort in scope, withdrawn ones too; by hub, then submission. */
export async function listRoundApplications(db: Executor, scope: RoundScope): Promise<RoundApplication[]> {
  let query = db
    .selectFrom('applications as a')
    .innerJoin('people as p', 'p.id', 'a.applicant_id')
    .leftJoin('schools as s', 's.urn', 'a.school_urn')
    .leftJoin('hubs as h', 'h.id', 'a.hub_id')
    .select([
      'a.id',
      'a.reference',
      'a.cohort_id',
      'a.hub_id',
      'h.name as hub_name',
      'a.applicant_id',
      'p.name as applicant_name',
      'p.email as applicant_email',
      'a.school_urn',
      's.name as school_name',
      'a.headteacher_verification',
      's.phase as school_phase',
      's.percentage_fsm',
      'a.state',
      'a.submitted_at',
      'a.withdrawn_at',
    ])
    .where('a.cohort_id', '=', scope.cohortId)
    .where('a.submitted_at', 'is not', null)
  if (scope.hubId !== undefined) query = query.where('a.hub_id', '=', scope.hubId)
  const rows = await query.orderBy('h.name').orderBy('a.submitted_at').orderBy('a.id').execute()
  return rows.map((row) => ({
    id: row.id,
    reference: row.reference,
    cohortId: row.cohort_id,
    hubId: row.hub_id,
    hubName: row.hub_name,
    applicantId: row.applicant_id,
    applicantName: row.applicant_name,
    applicantEmail: row.applicant_email,
    schoolUrn: row.school_urn,
    schoolName: row.school_name,
    headteacherVerified: row.headteacher_verification !== null,
    schoolPhase: row.school_phase,
    percentageFsm: row.percentage_fsm === null ? null : Number(row.percentage_fsm),
    state: row.state,
    submittedAt: row.submitted_at!,
    withdrawnAt: row.withdrawn_at,
  }))
}

/** A review from a live assignment, draft or completed, with who wrote it. */
export interface ReviewRecord {
  assignmentId: number
  applicationId: number
  reviewerId: number
  reviewerName: string
  assignedAt: Date
  essential: Record<string, EssentialJudgement>
  desirable: Record<string, DesirableScore>
  strategicScore: number | null
  strategicNote: string
  completedAt: Date | null
  updatedAt: Date
}

function reviewsQuery(db: Executor) {
  return db
    .selectFrom('reviews as r')
    .innerJoin('review_assignments as ra', 'ra.id', 'r.assignment_id')
    .innerJoin('applications as a', 'a.id', 'ra.application_id')
    .innerJoin('people as reviewer', 'reviewer.id', 'ra.reviewer_id')
    .select([
      'ra.id as assignment_id',
      'ra.application_id',
      'ra.reviewer_id',
      'reviewer.name as reviewer_name',
      'ra.assigned_at',
      'r.essential',
      'r.desirable',
      'r.strategic_score',
      'r.strategic_note',
      'r.completed_at',
      'r.updated_at',
    ])
    .where('ra.ended_at', 'is', null)
}

type ReviewRow = Awaited<ReturnType<ReturnType<typeof reviewsQuery>['executeTakeFirstOrThrow']>>

function toReview(row: ReviewRow): ReviewRecord {
  return {
    assignmentId: row.assignment_id,
    applicationId: row.application_id,
    reviewerId: row.reviewer_id,
    reviewerName: row.reviewer_name,
    assignedAt: row.assigned_at,
    essential: row.essential,
    desirable: row.desirable,
    strategicScore: row.strategic_score,
    strategicNote: row.strategic_note,
    completedAt: row.completed_at,
    updatedAt: row.updated_at,
  }
}

/** Completed reviews of the submitted applications in scope, by application, in assignment order. */
export async function completedRoundReviews(
  db: Executor,
  scope: RoundScope,
): Promise<Map<number, ReviewRecord[]>> {
  let query = reviewsQuery(db)
    .where('r.completed_at', 'is not', null)
    .where('a.cohort_id', '=', scope.cohortId)
    .where('a.submitted_at', 'is not', null)
  if (scope.hubId !== undefined) query = query.where('a.hub_id', '=', scope.hubId)
  const byApplication = new Map<number, ReviewRecord[]>()
  for (const row of await query.orderBy('ra.id').execute()) {
    const review = toReview(row)
    const list = byApplication.get(review.applicationId) ?? []
    list.push(review)
    byApplication.set(review.applicationId, list)
  }
  return byApplication
}

/** The application's reviews (drafts too) from live assignments; only one reviewer's when given. */
export async function reviewsOfApplication(
  db: Executor,
  applicationId: number,
  only?: { reviewerId: number },
): Promise<ReviewRecord[]> {
  let query = reviewsQuery(db).where('ra.application_id', '=', applicationId)
  if (only) query = query.where('ra.reviewer_id', '=', only.reviewerId)
  return (await query.orderBy('ra.id').execute()).map(toReview)
}

/** Whether the person holds a live assignment to review the application. */
export async function isAssignedReviewer(
  db: Executor,
  applicationId: number,
  reviewerId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('review_assignments')
    .select('id')
    .where('application_id', '=', applicationId)
    .where('reviewer_id', '=', reviewerId)
    .where('ended_at', 'is', null)
    .executeTakeFirst()
  return row !== undefined
}

export interface HubRound {
  hubId: string
  hubName: string
  places: number | null
  state: SelectionRoundState
  blindReview: boolean
  reviewsPerApplication: number
}

/** Every hub's round for the cohort, by hub name; a hub that has not set one up reads as the defaults. */
export async function listHubRounds(db: Executor, cohortId: string): Promise<HubRound[]> {
  const rows = await db
    .selectFrom('hubs as h')
    .leftJoin('selection_rounds as r', (join) =>
      join.onRef('r.hub_id', '=', 'h.id').on('r.cohort_id', '=', cohortId),
    )
    .select(['h.id', 'h.name', 'r.places', 'r.state', 'r.blind_review', 'r.reviews_per_application'])
    .orderBy('h.name')
    .execute()
  return rows.map((row) => ({
    hubId: row.id,
    hubName: row.name,
    places: row.places,
    state: row.state ?? 'reviewing',
    blindReview: row.blind_review ?? false,
    reviewsPerApplication: row.reviews_per_application ?? 2,
  }))
}
