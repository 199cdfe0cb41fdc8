// The JSON shapes of selection in API v1, and the zod schemas that document them in the OpenAPI
// document: a hub's ranking, an application's reviews, a decision, a cohort's selection across
// hubs, and a round's review deadline with the reviewers behind. Instants are ISO 8601 (UTC).
import { z } from 'zod'
import type { Decision } from '../../domain/selection/deciding/decisions.repository.ts'
import type { SelectionRound } from '../../domain/selection/rounds.repository.ts'
import type { RankedEntry, UnrankedEntry } from '../../domain/selection/deciding/round-ranking.ts'
import type { AggregateScore } from '../../domain/selection/reviewing/scores.ts'
import type { ReviewRecord, RoundApplication } from '../../domain/selection/selection-read.repository.ts'
import type {
  CohortSelectionView,
  DecisionView,
  RankingView,
  ReviewsView,
} from '../../domain/selection/view-selection.ts'
import type { ReviewQueue, ReviewView } from '../../domain/selection/reviewing/view-reviews.ts'
import { reviewTotal } from '../../domain/selection/reviewing/scores.ts'
import { asCompletedReview } from '../../domain/selection/deciding/round-ranking.ts'

const instant = (description: string) => z.string().nullable().describe(`ISO 8601 instant ${description}`)
const iso = (d: Date | null) => d?.toISOString() ?? null

const DECISIONS = ['selected', 'reserve', 'not-selected'] as const
const OFFER_STATES = ['offered', 'accepted', 'declined', 'lapsed'] as const
const ROUND_STATES = ['reviewing', 'confirmed', 'approved', 'released'] as const

const roundJson = z
  .object({
    hubId: z.string(),
    hubName: z.string(),
    cohortId: z.string(),
    places: z.number().int().nullable().describe('Places NCETM has given the hub; null until set'),
    state: z.enum(ROUND_STATES),
    blindReview: z.boolean().describe('Reviewers score without the applicant’s name and school'),
    reviewsPerApplication: z.number().int(),
    confirmedAt: instant('the hub lead confirmed the decisions'),
    approvedAt: instant('NCETM approved them'),
    releasedAt: instant('they were released'),
  })
  .describe('The hub’s selection round for the cohort')

const essentialOutcomeJson = z.object({
  criterionId: z.string(),
  text: z.string(),
  met: z.number().int().describe('Completed reviews judging it met'),
  notMet: z.number().int(),
  outcome: z
    .enum(['met', 'not-met', 'disputed'])
    .describe('not-met: most reviews say not met; disputed: an even split'),
})

const decisionSummaryJson = z
  .object({
    decision: z.enum(DECISIONS),
    reasonCode: z.string(),
    reserveRank: z.number().int().nullable().describe('Order among reserves: 1 is offered a place first'),
    releasedAt: instant('the decision was released to the teacher'),
    offerState: z.enum(OFFER_STATES).nullable(),
  })
  .nullable()
  .describe('The hub’s decision, proposed or final; null until one is made')

const scoreFields = {
  applicationId: z.number().int(),
  reference: z.string(),
  reviews: z.number().int().describe('Completed reviews'),
  median: z
    .number()
    .nullable()
    .describe('Median of the completed reviews’ totals; null until one is completed'),
  spread: z.number().describe('Highest total minus lowest'),
  totals: z
    .array(z.number())
    .describe('Each completed review’s total, in the order the reviewers were assigned'),
  strategicMedian: z.number().nullable().describe('Median strategic fit, which breaks ties'),
  essential: z.array(essentialOutcomeJson),
  decision: decisionSummaryJson,
}

export const rankingJson = z.object({
  round: roundJson,
  ranked: z.array(
    z.object({
      rank: z.number().int(),
      ...scoreFields,
      withinPlaces: z.boolean().describe('The rank is within the hub’s places'),
    }),
  ),
  unranked: z.array(
    z.object({
      ...scoreFields,
      reason: z
        .enum(['withdrawn', 'not-reviewed', 'essential-not-met'])
        .describe('Why the application is not ranked'),
      reasons: z
        .array(z.string())
        .describe('The reason in plain words, naming any essential criterion not met'),
    }),
  ),
})

function presentRound(round: SelectionRound, hubName: string): z.infer<typeof roundJson> {
  return {
    hubId: round.hubId,
    hubName,
    cohortId: round.cohortId,
    places: round.places,
    state: round.state,
    blindReview: round.blindReview,
    reviewsPerApplication: round.reviewsPerApplication,
    confirmedAt: iso(round.confirmedAt),
    approvedAt: iso(round.approvedAt),
    releasedAt: iso(round.releasedAt),
  }
}

function presentScore(application: RoundApplication, score: AggregateScore, decision: Decision | undefined) {
  return {
    applicationId: application.id,
    reference: application.reference,
    reviews: score.reviews,
    median: score.median ?? null,
    spread: score.spread,
    totals: score.totals,
    strategicMedian: score.strategicMedian ?? null,
    essential: score.essential,
    decision: decision
      ? {
          decision: decision.decision,
          reasonCode: decision.reasonCode,
          reserveRank: decision.reserveRank,
          releasedAt: iso(decision.releasedAt),
          offerState: decision.offerState,
        }
      : null,
  }
}

export function presentRanking(view: RankingView): z.infer<typeof rankingJson> {
  const { decisions, ranking } = view.scored
  const places = view.round.places
  return {
    round: presentRound(view.round, view.hub.name),
    ranked: ranking.ranked.map((entry: RankedEntry<RoundApplication>) => ({
      rank: entry.rank,
      ...presentScore(entry.application, entry.score, decisions.get(entry.application.id)),
      withinPlaces: places !== null && entry.rank <= places,
    })),
    unranked: ranking.unranked.map((entry: UnrankedEntry<RoundApplication>) => ({
      ...presentScore(entry.application, entry.score, decisions.get(entry.application.id)),
      reason: entry.reason,
      reasons: entry.reasons,
    })),
  }
}

const reviewJson = z.object({
  assignmentId: z.number().int(),
  reviewer: z.object({ id: z.number().int(), name: z.string() }),
  state: z.enum(['draft', 'completed']),
  essential: z
    .record(z.string(), z.object({ met: z.boolean().nullable(), note: z.string() }))
    .describe('Each essential criterion judged, by criterion id; met is null in a draft until judged'),
  desirable: z
    .record(z.string(), z.object({ score: z.number().int().nullable(), note: z.string() }))
    .describe(
      'Each desirable criterion scored 0 (no evidence) to 4 (strong evidence), by criterion id; score is null in a draft until scored',
    ),
  strategicScore: z.number().int().nullable().describe('Strategic fit, 0 to 4'),
  strategicNote: z.string(),
  total: z.number().nullable().describe('Desirable scores plus strategic fit, once completed'),
  assignedAt: z.string().describe('ISO 8601 instant the reviewer was assigned'),
  completedAt: instant('the review was completed; null for a draft'),
  updatedAt: z.string().describe('ISO 8601 instant of the last change'),
})

export const reviewsJson = z.object({
  applicationId: z.number().int(),
  reference: z.string(),
  scope: z.enum(['all', 'own']).describe('all: every reviewer’s; own: only yours, as the reviewer assigned'),
  items: z.array(reviewJson),
})

function presentReview(review: ReviewRecord): z.infer<typeof reviewJson> {
  return {
    assignmentId: review.assignmentId,
    reviewer: { id: review.reviewerId, name: review.reviewerName },
    state: review.completedAt === null ? 'draft' : 'completed',
    essential: review.essential,
    desirable: review.desirable,
    strategicScore: review.strategicScore,
    strategicNote: review.strategicNote,
    total: review.completedAt === null ? null : reviewTotal(asCompletedReview(review)),
    assignedAt: review.assignedAt.toISOString(),
    completedAt: iso(review.completedAt),
    updatedAt: review.updatedAt.toISOString(),
  }
}

export function presentReviews(view: ReviewsView): z.infer<typeof reviewsJson> {
  return {
    applicationId: view.application.id,
    reference: view.application.reference,
    scope: view.scope,
    items: view.reviews.map(presentReview),
  }
}

export const ownReviewJson = z.object({
  assignmentId: z.number().int().describe('The review’s id: how a reviewer addresses it'),
  label: z
    .string()
    .describe(
      'What the reviewer calls the application: “Review <id>” in a blind round, else the name and reference',
    ),
  blindReview: z
    .boolean()
    .describe('The hub hides applicants’ names and schools from reviewers in this round'),
  hubId: z.string(),
  hubName: z.string(),
  cohortId: z.string(),
  application: z
    .object({
      id: z.number().int(),
      reference: z.string(),
      applicantName: z.string(),
      school: z.object({ urn: z.number().int(), name: z.string().nullable() }).nullable(),
    })
    .nullable()
    .describe('Who applied; null in a blind round'),
  state: z.enum(['not-started', 'draft', 'completed']),
  editable: z.boolean().describe('The round still takes changes and the application is still submitted'),
  review: reviewJson
    .pick({
      essential: true,
      desirable: true,
      strategicScore: true,
      strategicNote: true,
      total: true,
      completedAt: true,
      updatedAt: true,
    })
    .nullable()
    .describe('Your judgements and scores; null until saved'),
})

/** A reviewer's own review, by its assignment: in a blind round, nothing that says whose it is. */
export function presentOwnReview(view: ReviewView): z.infer<typeof ownReviewJson> {
  const review = view.review
  return {
    assignmentId: view.assignment.id,
    label: view.label,
    blindReview: view.round.blindReview,
    hubId: view.round.hubId,
    hubName: view.hubName,
    cohortId: view.round.cohortId,
    application: view.applicant
      ? {
          id: view.assignment.applicationId,
          reference: view.applicant.reference,
          applicantName: view.applicant.name,
          school:
            view.applicant.schoolUrn === null
              ? null
              : { urn: view.applicant.schoolUrn, name: view.applicant.schoolName },
        }
      : null,
    state: review?.completedAt ? 'completed' : review ? 'draft' : 'not-started',
    editable: view.editable,
    review: review
      ? {
          essential: review.essential,
          desirable: review.desirable,
          strategicScore: review.strategicScore,
          strategicNote: review.strategicNote,
          total:
            review.completedAt === null
              ? null
              : Object.values(review.desirable).reduce((sum, d) => sum + (d.score ?? 0), 0) +
                (review.strategicScore ?? 0),
          completedAt: iso(review.completedAt),
          updatedAt: review.updatedAt.toISOString(),
        }
      : null,
  }
}

export const decisionJson = z.object({
  applicationId: z.number().int(),
  reference: z.string(),
  decision: z.enum(DECISIONS),
  reasonCode: z.string(),
  feedback: z
    .string()
    .nullable()
    .describe('The hub’s feedback; for the teacher, null unless the hub chose to share it'),
  reserveRank: z
    .number()
    .int()
    .nullable()
    .describe('Order among reserves: 1 is offered a place first; null unless a reserve'),
  releasedAt: instant('the decision was released to the teacher'),
  offer: z
    .object({
      state: z.enum(OFFER_STATES),
      offeredAt: instant('the place was offered'),
      respondBy: instant('the teacher and headteacher must answer by'),
      teacherAcceptedAt: instant('the teacher accepted'),
      headteacherAcceptedAt: instant('the headteacher accepted'),
      declinedAt: instant('the place was declined'),
      declineReason: z.string().nullable(),
    })
    .nullable()
    .describe('The offer of a place, once made'),
  internal: z
    .object({
      roundState: z.enum(ROUND_STATES),
      shareFeedback: z.boolean().describe('The feedback is shared with the teacher on release'),
      decidedBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
      decidedAt: z.string().describe('ISO 8601 instant the decision was last made'),
      updatedAt: z.string(),
    })
    .nullable()
    .describe('For the hub’s team and NCETM; null for the teacher'),
})

export function presentDecision(view: DecisionView): z.infer<typeof decisionJson> {
  const d = view.decision
  const team = view.reader === 'team'
  return {
    applicationId: view.application.id,
    reference: view.application.reference,
    decision: d.decision,
    reasonCode: d.reasonCode,
    feedback: team || d.shareFeedback ? d.feedback : null,
    reserveRank: team || d.decision === 'reserve' ? d.reserveRank : null,
    releasedAt: iso(d.releasedAt),
    offer: d.offerState
      ? {
          state: d.offerState,
          offeredAt: iso(d.offeredAt),
          respondBy: iso(d.respondBy),
          teacherAcceptedAt: iso(d.teacherAcceptedAt),
          headteacherAcceptedAt: iso(d.headteacherAcceptedAt),
          declinedAt: iso(d.declinedAt),
          declineReason: d.declineReason,
        }
      : null,
    internal: team
      ? {
          roundState: view.round.state,
          shareFeedback: d.shareFeedback,
          decidedBy:
            d.decidedBy !== null && d.decidedByName !== null
              ? { id: d.decidedBy, name: d.decidedByName }
              : null,
          decidedAt: d.decidedAt.toISOString(),
          updatedAt: d.updatedAt.toISOString(),
        }
      : null,
  }
}

const fiveNumbersJson = z
  .object({ min: z.number(), q1: z.number(), median: z.number(), q3: z.number(), max: z.number() })
  .nullable()
  .describe(
    'The spread of the reviewed applications’ median totals (quartiles as Excel’s QUARTILE.INC); null until one is reviewed',
  )

export const cohortSelectionJson = z.object({
  cohortId: z.string(),
  hubs: z.array(
    z.object({
      hubId: z.string(),
      hubName: z.string(),
      places: z.number().int().nullable(),
      state: z.enum(ROUND_STATES),
      applications: z.number().int().describe('Submitted to the hub, withdrawn ones too'),
      withdrawn: z.number().int(),
      reviewed: z.number().int().describe('Not withdrawn, with at least one completed review'),
      ranked: z.number().int(),
      decisions: z.object({
        selected: z.number().int(),
        reserve: z.number().int(),
        notSelected: z.number().int(),
        undecided: z.number().int().describe('Not withdrawn, with no decision yet'),
      }),
      offers: z.object({
        offered: z.number().int(),
        accepted: z.number().int(),
        declined: z.number().int(),
        lapsed: z.number().int(),
      }),
      medians: fiveNumbersJson,
    }),
  ),
})

export function presentCohortSelection(view: CohortSelectionView): z.infer<typeof cohortSelectionJson> {
  return {
    cohortId: view.cohort.id,
    hubs: view.hubs.map((hub) => ({
      hubId: hub.round.hubId,
      hubName: hub.round.hubName,
      places: hub.round.places,
      state: hub.round.state,
      applications: hub.applications,
      withdrawn: hub.withdrawn,
      reviewed: hub.reviewed,
      ranked: hub.ranked,
      decisions: hub.decisions,
      offers: hub.offers,
      medians: hub.medians ?? null,
    })),
  }
}

export const reviewersBehindJson = z.object({
  hubId: z.string(),
  hubName: z.string(),
  cohortId: z.string(),
  state: z.enum(ROUND_STATES),
  reviewDeadline: instant(
    'reviews are due (5pm UK time on the date the hub lead set); null when the round has no deadline',
  ),
  deadlinePassed: z.boolean().describe('The deadline has passed (false when there is none)'),
  behind: z
    .array(
      z.object({
        reviewer: z.object({ id: z.number().int(), name: z.string() }),
        assigned: z.number().int().describe('Live reviews assigned to them in this round'),
        completed: z.number().int().describe('Of those, completed'),
        outstanding: z.number().int().describe('Still to complete: assigned minus completed'),
      }),
    )
    .describe(
      'After the deadline, each reviewer with reviews still to complete, most outstanding first (then by name); empty before the deadline or without one',
    ),
})

export function presentReviewersBehind(queue: ReviewQueue): z.infer<typeof reviewersBehindJson> {
  return {
    hubId: queue.hub.id,
    hubName: queue.hub.name,
    cohortId: queue.cohort.id,
    state: queue.round.state,
    reviewDeadline: iso(queue.round.reviewDeadline),
    deadlinePassed: queue.deadlinePassed,
    behind: queue.behind.map((r) => ({
      reviewer: { id: r.reviewerId, name: r.name },
      assigned: r.load,
      completed: r.completed,
      outstanding: r.outstanding,
    })),
  }
}
