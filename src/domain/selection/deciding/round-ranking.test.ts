import { describe, expect, it } from 'vitest'
import type { ApplicationState } from '../../../db/schema.ts'
import { rankRound } from './round-ranking.ts'
import type { CompletedReview } from '../reviewing/scores.ts'

const criteria = [{ id: 'qts', text: 'Qualified Teacher Status', evidence: 'TRN', wordLimit: null }]

function review(total: number, qtsMet = true): CompletedReview {
  return { essential: { qts: { met: qtsMet, note: '' } }, desirable: {}, strategicScore: total }
}

const app = (id: number, state: ApplicationState = 'submitted') => ({ id, state })

describe('rankRound', () => {
  it('ranks reviewed applications and gives every other one its reason; withdrawn ones are never ranked', () => {
    const reviews = new Map([
      [1, [review(2)]],
      [2, [review(4)]],
      [3, [review(4, false)]],
      [5, [review(4)]],
    ])
    const { ranked, unranked } = rankRound(
      criteria,
      [app(1), app(2), app(3), app(4), app(5, 'withdrawn')],
      reviews,
    )
    expect(ranked.map((r) => [r.application.id, r.rank])).toEqual([
      [2, 1],
      [1, 2],
    ])
    expect(unranked.map((u) => [u.application.id, u.reason])).toEqual([
      [3, 'essential-not-met'],
      [4, 'not-reviewed'],
      [5, 'withdrawn'],
    ])
    expect(unranked[0]!.reasons).toEqual(['Does not meet the essential criterion “Qualified Teacher Status”'])
    // A withdrawn application keeps its score for the record.
    expect(unranked[2]!.score.median).toBe(4)
  })
})
