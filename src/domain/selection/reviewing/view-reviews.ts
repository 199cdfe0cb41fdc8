// Use-cases for reading the review: a reviewer's own assignments; one review with the application,
// the cohort's criteria, the hub's priorities and the school's facts from the register (the
// applicant's name, reference and school hidden when the round is blind); and the hub lead's queue,
// with each application's reviewers, its median score and spread, and who may still be assigned.
import { NotFoundError } from '../../../errors.ts'
import { mapPage, type PageRequest, type Paged } from '../../../lib/paging.ts'
import { isSignedIn } from '../../access/access.policy.ts'
import { findApplication } from '../../applications/applications.repository.ts'
import { findCohort, type Cohort } from '../../programmes/programmes.repository.ts'
import { behindOnReviews } from './review-deadlines.ts'
import { cohortStatus } from '../../programmes/view-programmes.ts'
import type { UseCaseContext } from '../../use-case.ts'
import type { Conflict } from './review-conflicts.ts'
import { managedRound, pairKey, roundFacts } from './review-rules.ts'
import { canScoreAssignment, hubsReviewedBy } from './reviews.policy.ts'
import {
  findAssignment,
  findReviews,
  listReviewerAssignments,
  schoolFacts,
  type Assignment,
  type ReviewerAssignment,
  type SchoolFacts,
  type StoredReview,
} from './reviews.repository.ts'
import { completedReviewsFor, findRound, type SelectionRound } from '../rounds.repository.ts'
import { aggregate, type AggregateScore } from './scores.ts'

/** What a reviewer calls an application in a blind round: the assignment, not the person. */
export function blindLabel(assignmentId: number): string {
  return `Review ${assignmentId}`
}

export interface OwnReview extends ReviewerAssignment {
  /** The applicant's name and reference, or the blind label. */
  label: string
  status: 'not-started' | 'draft' | 'completed'
}

/** Reviews on a page of the reviewer's list. */
export const REVIEWS_PAGE_SIZE = 50

/** A page of the reviewer's live assignments at hubs where they still review. Anyone who reviews nowhere: not found. */
export async function listOwnReviews(
  context: UseCaseContext,
  request: PageRequest = { page: 1, pageSize: REVIEWS_PAGE_SIZE },
): Promise<Paged<OwnReview>> {
  const actor = context.actor
  const hubIds = isSignedIn(actor) ? hubsReviewedBy(actor) : []
  if (!isSignedIn(actor) || hubIds.length === 0) throw new NotFoundError('Reviews')
  // The query keeps to live assignments at the hubs the reviewer still reviews for, the
  // assignments canScoreAssignment allows, so that each page and its total count only those.
  const assignments = await listReviewerAssignments(context.db, actor.personId, hubIds, request)
  return mapPage(assignments, (a) => ({
    ...a,
    label: a.blindReview ? blindLabel(a.assignmentId) : `${a.applicantName} (${a.reference})`,
    schoolName: a.blindReview ? null : a.schoolName,
    applicantName: a.blindReview ? '' : a.applicantName,
    reference: a.blindReview ? '' : a.reference,
    status: a.completedAt
      ? ('completed' as const)
      : a.reviewUpdatedAt
        ? ('draft' as const)
        : ('not-started' as const),
  }))
}

export interface ReviewView {
  assignment: Assignment
  /** The applicant's name, reference and school, unless the round is blind. */
  applicant: { name: string; reference: string; schoolName: string | null; schoolUrn: number | null } | null
  label: string
  teaching: {
    hasQts: boolean | undefined
    /** Given or not; the number itself is hidden in a blind round. */
    trn: string | null
    yearsTeachingMaths: number | undefined
    currentRole: string | undefined
    classesTaught: string | undefined
  }
  evidence: Record<string, string>
  submittedAt: Date | null
  cohort: Cohort
  hubName: string
  round: SelectionRound
  /** The register's facts; town and trust only when the round is not blind. */
  school: Omit<SchoolFacts, 'name' | 'urn'> | undefined
  review: StoredReview | undefined
  /** The round still takes changes and the application is still submitted. */
  editable: boolean
}

export async function viewReview(context: UseCaseContext, assignmentId: number): Promise<ReviewView> {
  const assignment = await findAssignment(context.db, assignmentId)
  if (!assignment || !canScoreAssignment(context.actor, assignment)) throw new NotFoundError('Review')
  const [application, cohort, round, reviews] = await Promise.all([
    findApplication(context.db, assignment.applicationId),
    findCohort(context.db, assignment.cohortId),
    findRound(context.db, assignment.hubId!, assignment.cohortId),
    findReviews(context.db, [assignment.id]),
  ])
  if (!application || !cohort) throw new NotFoundError('Review')
  const school =
    application.schoolUrn === null
      ? undefined
      : await schoolFacts(context.db, application.schoolUrn, application.id)
  const blind = round.blindReview
  const t = application.teaching
  return {
    assignment,
    applicant: blind
      ? null
      : {
          name: application.applicantName,
          reference: application.reference,
          schoolName: application.schoolName,
          schoolUrn: application.schoolUrn,
        },
    label: blind ? blindLabel(assignment.id) : `${application.applicantName} (${application.reference})`,
    teaching: {
      hasQts: t.hasQts,
      trn: t.trn ? (blind ? 'Given' : t.trn) : null,
      yearsTeachingMaths: t.yearsTeachingMaths,
      currentRole: t.currentRole,
      classesTaught: t.classesTaught,
    },
    evidence: application.evidence,
    submittedAt: application.submittedAt,
    cohort,
    hubName: application.hubName ?? '',
    round,
    school: school && {
      phase: school.phase,
      typeName: school.typeName,
      laName: school.laName,
      town: blind ? null : school.town,
      pupils: school.pupils,
      percentageFsm: school.percentageFsm,
      trustName: blind ? null : school.trustName,
      participations: school.participations,
      otherApplications: school.otherApplications,
    },
    review: reviews.get(assignment.id),
    editable: round.state === 'reviewing' && application.state === 'submitted',
  }
}

export interface QueueReviewer {
  assignmentId: number
  reviewerId: number
  name: string
  status: 'not-started' | 'draft' | 'completed'
}

export interface QueueItem {
  applicationId: number
  reference: string
  applicantName: string
  schoolName: string | null
  submittedAt: Date | null
  reviewers: QueueReviewer[]
  score: AggregateScore
  /** Fewer live reviewers than the round asks for. */
  short: boolean
  /** Reviewers who may still be given it. */
  options: { reviewerId: number; name: string }[]
  /** Reviewers who may not, and why. */
  conflicts: { name: string; conflict: Conflict }[]
}

export interface ReviewQueue {
  hub: { id: string; name: string }
  cohort: Cohort
  round: SelectionRound
  /** The cohort's window is still open, so more applications may arrive. */
  windowOpen: boolean
  items: QueueItem[]
  /** Applications with fewer live reviewers than the round asks for. */
  shortCount: number
  /** Everyone who may review, with their live load in this round and where they work. */
  reviewers: {
    reviewerId: number
    name: string
    workplaceName: string | null
    load: number
    completed: number
  }[]
  /** Most a review's total can be: 4 for each desirable criterion and 4 for strategic fit. */
  maxTotal: number
  /** The deadline has passed (reviews were due by round.reviewDeadline). */
  deadlinePassed: boolean
  /** After the deadline: reviewers with reviews still to complete, and how many. */
  behind: { reviewerId: number; name: string; load: number; completed: number; outstanding: number }[]
}

export async function viewReviewQueue(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
): Promise<ReviewQueue> {
  const { hub, cohort } = await managedRound(context, hubId, cohortId)
  const [round, facts] = await Promise.all([
    findRound(context.db, hubId, cohortId),
    roundFacts(context.db, hubId, cohortId),
  ])
  const submittedIds = facts.applications.map((a) => a.applicationId)
  const live = facts.live.filter((a) => submittedIds.includes(a.applicationId))
  const [reviews, completed] = await Promise.all([
    findReviews(
      context.db,
      live.map((a) => a.id),
    ),
    completedReviewsFor(context.db, submittedIds),
  ])
  const statusOf = (assignmentId: number): QueueReviewer['status'] => {
    const review = reviews.get(assignmentId)
    return review?.completedAt ? 'completed' : review ? 'draft' : 'not-started'
  }
  const items = facts.applications.map((application): QueueItem => {
    const mine = live.filter((a) => a.applicationId === application.applicationId)
    return {
      applicationId: application.applicationId,
      reference: application.reference,
      applicantName: application.applicantName,
      schoolName: application.schoolName,
      submittedAt: application.submittedAt,
      reviewers: mine.map((a) => ({
        assignmentId: a.id,
        reviewerId: a.reviewerId,
        name: a.reviewerName,
        status: statusOf(a.id),
      })),
      score: aggregate(cohort.essentialCriteria, completed.get(application.applicationId) ?? []),
      short: mine.length < round.reviewsPerApplication,
      options: facts.reviewers
        .filter(
          (r) =>
            !mine.some((a) => a.reviewerId === r.personId) &&
            !facts.conflicts.has(pairKey(application.applicationId, r.personId)),
        )
        .map((r) => ({ reviewerId: r.personId, name: r.name })),
      conflicts: facts.reviewers.flatMap((r) => {
        const conflict = facts.conflicts.get(pairKey(application.applicationId, r.personId))
        return conflict ? [{ name: r.name, conflict }] : []
      }),
    }
  })
  const loadOf = (reviewerId: number) => ({
    load: live.filter((a) => a.reviewerId === reviewerId).length,
    completed: live.filter((a) => a.reviewerId === reviewerId && statusOf(a.id) === 'completed').length,
  })
  const reviewers = facts.reviewers.map((r) => ({
    reviewerId: r.personId,
    name: r.name,
    workplaceName: r.workplaceName,
    ...loadOf(r.personId),
  }))
  // Anyone still holding a live review counts, even once no longer one of the hub's reviewers.
  const holders = [...new Map(live.map((a) => [a.reviewerId, a.reviewerName])).entries()].map(
    ([id, name]) => ({
      reviewerId: id,
      name,
      ...loadOf(id),
    }),
  )
  const now = context.clock.now()
  return {
    hub,
    cohort,
    round,
    windowOpen: cohortStatus(cohort, now) !== 'closed',
    items,
    shortCount: items.filter((i) => i.short).length,
    reviewers,
    maxTotal: (cohort.desirableCriteria.length + 1) * 4,
    deadlinePassed: round.reviewDeadline !== null && now >= round.reviewDeadline,
    behind: behindOnReviews(holders, round.reviewDeadline, now)
      .sort((a, b) => b.outstanding - a.outstanding || a.name.localeCompare(b.name))
      .map(({ reviewerId, name, load, completed, outstanding }) => ({
        reviewerId,
        name,
        load,
        completed,
        outstanding,
      })),
  }
}
