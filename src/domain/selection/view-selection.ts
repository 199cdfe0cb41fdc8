// Use-cases for reading selection: a hub's ranking for a cohort (its hub leads and administrators,
// and NCETM; never reviewers), the reviews of an application (all of them for those who run its
// hub's selection, a reviewer only their own, and not by application in a blind round), the decision on an application (the hub and NCETM
// always, the applicant once released), and every hub's selection for a cohort (NCETM).
// Anything the actor may not read is "not found", whether or not it exists.
import { NotFoundError } from '../../errors.ts'
import { fiveNumbers, type FiveNumbers } from '../../lib/five-numbers.ts'
import { findApplication, type Application } from '../applications/applications.repository.ts'
import { findCohort, type Cohort } from '../programmes/programmes.repository.ts'
import type { UseCaseContext } from '../use-case.ts'
import { decisionsIn, findDecision, type Decision } from './deciding/decisions.repository.ts'
import { asCompletedReview, rankRound, type RoundRanking } from './deciding/round-ranking.ts'
import { findRound, type SelectionRound } from './rounds.repository.ts'
import {
  canReadEverySelection,
  canReadApplicationSelection,
  canReadHubSelection,
  decisionReader,
  ownReviewerId,
} from './selection-read.policy.ts'
import { findHubName } from '../hubs/hubs.repository.ts'
import {
  completedRoundReviews,
  isAssignedReviewer,
  listHubRounds,
  listRoundApplications,
  reviewsOfApplication,
  type HubRound,
  type ReviewRecord,
  type RoundApplication,
  type RoundScope,
} from './selection-read.repository.ts'
import type { Executor } from '../../db/database.ts'

export interface ScoredRound {
  applications: RoundApplication[]
  ranking: RoundRanking<RoundApplication>
  /** Completed reviews by application, with their reviewers, in assignment order. */
  reviews: Map<number, ReviewRecord[]>
  decisions: Map<number, Decision>
}

/**
 * The submitted applications in scope with their scores and decisions. A hub's round is ranked on
 * its own: with every hub in scope, each hub's applications are ranked among themselves.
 */
export async function scoreRounds(db: Executor, cohort: Cohort, scope: RoundScope): Promise<ScoredRound> {
  const [applications, reviews, decisions] = await Promise.all([
    listRoundApplications(db, scope),
    completedRoundReviews(db, scope),
    decisionsIn(db, scope),
  ])
  const completed = new Map([...reviews].map(([id, list]) => [id, list.map(asCompletedReview)]))
  const byHub = new Map<string | null, RoundApplication[]>()
  for (const application of applications) {
    byHub.set(application.hubId, [...(byHub.get(application.hubId) ?? []), application])
  }
  const ranking: RoundRanking<RoundApplication> = { ranked: [], unranked: [] }
  for (const hubApplications of byHub.values()) {
    const hubRanking = rankRound(cohort.essentialCriteria, hubApplications, completed)
    ranking.ranked.push(...hubRanking.ranked)
    ranking.unranked.push(...hubRanking.unranked)
  }
  return { applications, ranking, reviews, decisions }
}

export interface RankingView {
  hub: { id: string; name: string }
  cohort: Cohort
  round: SelectionRound
  scored: ScoredRound
}

export async function viewRanking(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
): Promise<RankingView> {
  if (!canReadHubSelection(context.actor, hubId)) throw new NotFoundError('Ranking')
  const [hubName, cohort] = await Promise.all([
    findHubName(context.db, hubId),
    findCohort(context.db, cohortId),
  ])
  if (hubName === undefined || !cohort) throw new NotFoundError('Ranking')
  const [round, scored] = await Promise.all([
    findRound(context.db, hubId, cohortId),
    scoreRounds(context.db, cohort, { cohortId, hubId }),
  ])
  return { hub: { id: hubId, name: hubName }, cohort, round, scored }
}

export interface ReviewsView {
  application: Application
  /** all: every reviewer's; own: only the actor's, as the reviewer assigned. */
  scope: 'all' | 'own'
  reviews: ReviewRecord[]
}

export async function viewApplicationReviews(
  context: UseCaseContext,
  applicationId: number,
): Promise<ReviewsView> {
  const application = await findApplication(context.db, applicationId)
  if (!application) throw new NotFoundError('Reviews')
  if (canReadApplicationSelection(context.actor, application)) {
    return { application, scope: 'all', reviews: await reviewsOfApplication(context.db, applicationId) }
  }
  const reviewerId = ownReviewerId(context.actor, application)
  if (reviewerId !== undefined && (await isAssignedReviewer(context.db, applicationId, reviewerId))) {
    // In a blind round a reviewer reaches their review only by its own id (GET /api/v1/reviews/:id):
    // the application's id and reference would say whose it is.
    const round = await findRound(context.db, application.hubId!, application.cohortId)
    if (round.blindReview) throw new NotFoundError('Reviews')
    return {
      application,
      scope: 'own',
      reviews: await reviewsOfApplication(context.db, applicationId, { reviewerId }),
    }
  }
  throw new NotFoundError('Reviews')
}

export interface DecisionView {
  application: Application
  decision: Decision
  /** team: the whole decision; applicant: what is the teacher's to know. */
  reader: 'team' | 'applicant'
  round: SelectionRound
}

export async function viewDecision(context: UseCaseContext, applicationId: number): Promise<DecisionView> {
  const [application, decision] = await Promise.all([
    findApplication(context.db, applicationId),
    findDecision(context.db, applicationId),
  ])
  if (!application || !decision) throw new NotFoundError('Decision')
  const reader = decisionReader(context.actor, application, decision, context.clock.now())
  if (!reader) throw new NotFoundError('Decision')
  return {
    application,
    decision,
    reader,
    round: await findRound(context.db, decision.hubId, decision.cohortId),
  }
}

export interface HubSelectionSummary {
  round: HubRound
  /** Submitted, withdrawn ones too. */
  applications: number
  withdrawn: number
  /** Not withdrawn, with at least one completed review. */
  reviewed: number
  ranked: number
  decisions: { selected: number; reserve: number; notSelected: number; undecided: number }
  offers: { offered: number; accepted: number; declined: number; lapsed: number }
  /** The spread of the reviewed applications' median totals. */
  medians: FiveNumbers | undefined
}

export interface CohortSelectionView {
  cohort: Cohort
  hubs: HubSelectionSummary[]
}

export async function viewCohortSelection(
  context: UseCaseContext,
  cohortId: string,
): Promise<CohortSelectionView> {
  if (!canReadEverySelection(context.actor)) throw new NotFoundError('Selection')
  const cohort = await findCohort(context.db, cohortId)
  if (!cohort) throw new NotFoundError('Selection')
  const [rounds, scored] = await Promise.all([
    listHubRounds(context.db, cohortId),
    scoreRounds(context.db, cohort, { cohortId }),
  ])
  const entries = [...scored.ranking.ranked, ...scored.ranking.unranked]
  const hubs = rounds.map((round): HubSelectionSummary => {
    const mine = entries.filter((e) => e.application.hubId === round.hubId)
    const active = mine.filter((e) => e.application.state !== 'withdrawn')
    const reviewed = active.filter((e) => e.score.median !== undefined)
    const decisions = mine.flatMap((e) => scored.decisions.get(e.application.id) ?? [])
    const count = <K extends keyof Decision>(key: K, value: Decision[K]) =>
      decisions.filter((d) => d[key] === value).length
    return {
      round,
      applications: mine.length,
      withdrawn: mine.length - active.length,
      reviewed: reviewed.length,
      ranked: scored.ranking.ranked.filter((e) => e.application.hubId === round.hubId).length,
      decisions: {
        selected: count('decision', 'selected'),
        reserve: count('decision', 'reserve'),
        notSelected: count('decision', 'not-selected'),
        undecided: active.filter((e) => !scored.decisions.has(e.application.id)).length,
      },
      offers: {
        offered: count('offerState', 'offered'),
        accepted: count('offerState', 'accepted'),
        declined: count('offerState', 'declined'),
        lapsed: count('offerState', 'lapsed'),
      },
      medians: fiveNumbers(reviewed.map((e) => e.score.median!)),
    }
  })
  return { cohort, hubs }
}
