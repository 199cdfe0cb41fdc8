// How reviewers' scores combine, as pure functions: each completed review gives a total (its
// desirable scores plus its strategic fit); an application's score is the median of those totals,
// with their spread (highest minus lowest) so that disagreement is visible. An essential criterion
// that most completed reviews judge not met takes the application out of the ranking, with the
// reason; an even split is shown as a disagreement for the hub lead to settle, and stays ranked.
import type { Criterion, DesirableScore, EssentialJudgement } from '../../../db/schema.ts'

/** Scores run from 0 (no evidence) to 4 (strong evidence), for desirable criteria and strategic fit. */
export const SCORE_MIN = 0
export const SCORE_MAX = 4
export const SCORE_LABELS: Record<number, string> = {
  0: '0: no evidence',
  1: '1: limited evidence',
  2: '2: some evidence',
  3: '3: good evidence',
  4: '4: strong evidence',
}

export interface CompletedReview {
  essential: Record<string, EssentialJudgement>
  desirable: Record<string, DesirableScore>
  strategicScore: number
}

/** One review's total: the sum of its desirable scores and its strategic fit. */
export function reviewTotal(review: CompletedReview): number {
  return Object.values(review.desirable).reduce((sum, d) => sum + d.score, 0) + review.strategicScore
}

/** The middle value; the mean of the two middle values for an even count; undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export interface EssentialOutcome {
  criterionId: string
  text: string
  met: number
  notMet: number
  /** not-met: most reviews say not met; disputed: an even split; met otherwise. */
  outcome: 'met' | 'not-met' | 'disputed'
}

export interface AggregateScore {
  reviews: number
  /** Median of the review totals; undefined until a review is completed. */
  median: number | undefined
  /** Highest total minus lowest; 0 for one review. */
  spread: number
  totals: number[]
  /** Median strategic fit, for breaking ties. */
  strategicMedian: number | undefined
  essential: EssentialOutcome[]
  /** Out of the ranking: an essential criterion not met (the reasons name them). */
  excluded: boolean
  reasons: string[]
}

export function aggregate(
  essentialCriteria: readonly Criterion[],
  reviews: readonly CompletedReview[],
): AggregateScore {
  const totals = reviews.map(reviewTotal)
  const essential = essentialCriteria.map((criterion): EssentialOutcome => {
    const judged = reviews.map((r) => r.essential[criterion.id]).filter((j) => j !== undefined)
    const met = judged.filter((j) => j.met).length
    const notMet = judged.length - met
    return {
      criterionId: criterion.id,
      text: criterion.text,
      met,
      notMet,
      outcome: notMet > met ? 'not-met' : notMet > 0 && notMet === met ? 'disputed' : 'met',
    }
  })
  const failed = essential.filter((e) => e.outcome === 'not-met')
  return {
    reviews: reviews.length,
    median: median(totals),
    spread: totals.length === 0 ? 0 : Math.max(...totals) - Math.min(...totals),
    totals,
    strategicMedian: median(reviews.map((r) => r.strategicScore)),
    essential,
    excluded: failed.length > 0,
    reasons: failed.map((e) => `Does not meet the essential criterion “${e.text}”`),
  }
}

export interface Rankable {
  applicationId: number
  score: AggregateScore
}

/**
 * The ranked list: applications with at least one completed review and no essential criterion
 * unmet, by median total, then median strategic fit, then smaller spread, then application id
 * (earlier first) so the order is stable. Excluded and unreviewed applications follow, unranked.
 */
export function rank<T extends Rankable>(
  items: readonly T[],
): { ranked: (T & { rank: number })[]; unranked: T[] } {
  const rankable = items.filter((i) => !i.score.excluded && i.score.median !== undefined)
  const sorted = [...rankable].sort(
    (a, b) =>
      b.score.median! - a.score.median! ||
      (b.score.strategicMedian ?? 0) - (a.score.strategicMedian ?? 0) ||
      a.score.spread - b.score.spread ||
      a.applicationId - b.applicationId,
  )
  return {
    ranked: sorted.map((item, i) => ({ ...item, rank: i + 1 })),
    unranked: items.filter((i) => !rankable.includes(i)),
  }
}
