// One hub's round as its ranking, as a pure function over what the repository read: each
// application's aggregate score (scores.ts) from its completed reviews, the ranked list, and the
// applications left out of it with the reason. Withdrawn applications are never ranked.
import type { ApplicationState, Criterion } from '../../../db/schema.ts'
import { aggregate, rank, type AggregateScore, type CompletedReview } from '../reviewing/scores.ts'

export type UnrankedReason = 'withdrawn' | 'not-reviewed' | 'essential-not-met'

export interface RankedEntry<T> {
  application: T
  score: AggregateScore
  rank: number
}

export interface UnrankedEntry<T> {
  application: T
  score: AggregateScore
  reason: UnrankedReason
  /** In plain words: which essential criteria are not met, or why there is no score. */
  reasons: string[]
}

export interface RoundRanking<T> {
  ranked: RankedEntry<T>[]
  unranked: UnrankedEntry<T>[]
}

/** A completed review as scores.ts reads it: an unscored strategic fit counts as 0. */
export function asCompletedReview(review: {
  essential: CompletedReview['essential']
  desirable: CompletedReview['desirable']
  strategicScore: number | null
}): CompletedReview {
  return {
    essential: review.essential,
    desirable: review.desirable,
    strategicScore: review.strategicScore ?? 0,
  }
}

export function rankRound<T extends { id: number; state: ApplicationState }>(
  essentialCriteria: readonly Criterion[],
  applications: readonly T[],
  completedReviews: ReadonlyMap<number, readonly CompletedReview[]>,
): RoundRanking<T> {
  const scored = applications.map((application) => ({
    applicationId: application.id,
    application,
    score: aggregate(essentialCriteria, completedReviews.get(application.id) ?? []),
  }))
  const { ranked, unranked } = rank(scored.filter((s) => s.application.state !== 'withdrawn'))
  const withdrawn = scored.filter((s) => s.application.state === 'withdrawn')
  return {
    ranked: ranked.map(({ application, score, rank }) => ({ application, score, rank })),
    unranked: [
      ...unranked.map(({ application, score }): UnrankedEntry<T> =>
        score.excluded
          ? { application, score, reason: 'essential-not-met', reasons: score.reasons }
          : { application, score, reason: 'not-reviewed', reasons: ['No review has been completed yet'] },
      ),
      ...withdrawn.map(({ application, score }): UnrankedEntry<T> => ({
        application,
        score,
        reason: 'withdrawn',
        reasons: ['The teacher withdrew the application after submitting it'],
      })),
    ],
  }
}
