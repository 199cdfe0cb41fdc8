import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { aggregate, median, rank, reviewTotal, type CompletedReview } from './scores.ts'

const criteria = [
  { id: 'qts', text: 'Qualified Teacher Status', evidence: 'TRN', wordLimit: null },
  { id: 'good-teaching', text: 'Good teaching skills in maths', evidence: 'Statement', wordLimit: 250 },
]

function review(total: { desirable: number[]; strategic: number }, notMet: string[] = []): CompletedReview {
  return {
    essential: Object.fromEntries(criteria.map((c) => [c.id, { met: !notMet.includes(c.id), note: '' }])),
    desirable: Object.fromEntries(total.desirable.map((score, i) => [`d${i}`, { score, note: '' }])),
    strategicScore: total.strategic,
  }
}

describe('scores', () => {
  it('totals a review and takes the median and spread of the totals', () => {
    expect(reviewTotal(review({ desirable: [3, 2], strategic: 4 }))).toBe(9)
    const score = aggregate(criteria, [
      review({ desirable: [3, 2], strategic: 4 }),
      review({ desirable: [1, 1], strategic: 2 }),
    ])
    expect(score).toMatchObject({ reviews: 2, median: 6.5, spread: 5, strategicMedian: 3, excluded: false })
    expect(median([])).toBeUndefined()
    expect(median([5, 1, 3])).toBe(3)
  })

  it('excludes an application most reviewers judge not to meet an essential criterion, naming it', () => {
    const out = aggregate(criteria, [
      review({ desirable: [4], strategic: 4 }, ['good-teaching']),
      review({ desirable: [4], strategic: 4 }, ['good-teaching']),
      review({ desirable: [4], strategic: 4 }),
    ])
    expect(out.excluded).toBe(true)
    expect(out.reasons).toEqual(['Does not meet the essential criterion “Good teaching skills in maths”'])
    const split = aggregate(criteria, [
      review({ desirable: [4], strategic: 4 }, ['qts']),
      review({ desirable: [4], strategic: 4 }),
    ])
    expect(split.excluded).toBe(false)
    expect(split.essential.find((e) => e.criterionId === 'qts')?.outcome).toBe('disputed')
  })

  it('ranks by median, then strategic fit, then agreement; unreviewed and excluded ones go unranked', () => {
    const a = { applicationId: 1, score: aggregate(criteria, [review({ desirable: [2], strategic: 2 })]) }
    const b = { applicationId: 2, score: aggregate(criteria, [review({ desirable: [1], strategic: 3 })]) }
    const c = { applicationId: 3, score: aggregate(criteria, [review({ desirable: [4], strategic: 4 })]) }
    const d = { applicationId: 4, score: aggregate(criteria, []) }
    const e = {
      applicationId: 5,
      score: aggregate(criteria, [review({ desirable: [4], strategic: 4 }, ['qts'])]),
    }
    const { ranked, unranked } = rank([a, b, c, d, e])
    expect(ranked.map((r) => [r.applicationId, r.rank])).toEqual([
      [3, 1],
      [2, 2],
      [1, 3],
    ])
    expect(unranked.map((u) => u.applicationId)).toEqual([4, 5])
  })

  it('median lies between the lowest and highest total, and the ranking is a permutation in score order', () => {
    const scores = fc.integer({ min: 0, max: 4 })
    const aReview = fc.record({ desirable: fc.array(scores, { maxLength: 3 }), strategic: scores })
    fc.assert(
      fc.property(fc.array(fc.array(aReview, { maxLength: 4 }), { maxLength: 12 }), (apps) => {
        const items = apps.map((reviews, i) => ({
          applicationId: i + 1,
          score: aggregate(
            criteria,
            reviews.map((r) => review(r)),
          ),
        }))
        for (const item of items) {
          if (item.score.median === undefined) continue
          expect(item.score.median).toBeGreaterThanOrEqual(Math.min(...item.score.totals))
          expect(item.score.median).toBeLessThanOrEqual(Math.max(...item.score.totals))
        }
        const { ranked, unranked } = rank(items)
        expect(ranked.length + unranked.length).toBe(items.length)
        for (let i = 1; i < ranked.length; i++) {
          expect(ranked[i - 1]!.score.median!).toBeGreaterThanOrEqual(ranked[i]!.score.median!)
        }
      }),
    )
  })
})
