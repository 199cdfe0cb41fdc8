// The pure rules for a task's standing: which tasks a participation is set, progress from the
// latest submission, and overdue only past the due instant, not handed in, in a development year.
import { describe, expect, it } from 'vitest'
import { developingOn, isOverdue, progressOf, taskApplies, type StageSpan } from './task-status.ts'

const yearOne: StageSpan = { stage: 'year-one', startsOn: '2025-10-01', endsOn: '2026-09-01' }
const yearTwo: StageSpan = { stage: 'year-two', startsOn: '2026-09-01', endsOn: null }
const due = { dueAt: new Date('2026-03-10T17:00:00Z') }

describe('task status rules', () => {
  it('sets a task for every year, or for a year once it has begun', () => {
    expect(taskApplies({ forYear: null }, [yearOne], '2026-01-01')).toBe(true)
    expect(taskApplies({ forYear: null }, [yearOne], '2025-09-30')).toBe(false)
    expect(taskApplies({ forYear: 2 }, [yearOne], '2026-01-01')).toBe(false)
    expect(taskApplies({ forYear: 2 }, [yearOne, yearTwo], '2026-09-01')).toBe(true)
    expect(taskApplies({ forYear: 1 }, [yearOne, yearTwo], '2026-10-01')).toBe(true)
    expect(
      taskApplies(
        { forYear: null },
        [{ stage: 'deferred', startsOn: '2025-10-01', endsOn: null }],
        '2026-01-01',
      ),
    ).toBe(false)
  })

  it('is developing only inside a development year’s dates', () => {
    expect(developingOn([yearOne], '2026-08-31')).toBe(true)
    expect(developingOn([yearOne], '2026-09-01')).toBe(false)
    expect(
      developingOn([yearOne, { stage: 'active', startsOn: '2026-09-01', endsOn: null }], '2026-09-02'),
    ).toBe(false)
  })

  it('takes progress from the latest submission', () => {
    expect(progressOf(undefined)).toBe('not-started')
    expect(progressOf({ status: 'returned' })).toBe('returned')
  })

  it('is overdue only after the due instant, when not handed in, while developing', () => {
    expect(isOverdue(due, 'not-started', true, new Date('2026-03-10T17:00:00Z'))).toBe(false)
    expect(isOverdue(due, 'not-started', true, new Date('2026-03-10T17:00:01Z'))).toBe(true)
    expect(isOverdue(due, 'returned', true, new Date('2026-03-11T00:00:00Z'))).toBe(true)
    expect(isOverdue(due, 'submitted', true, new Date('2026-03-11T00:00:00Z'))).toBe(false)
    expect(isOverdue(due, 'accepted', true, new Date('2026-03-11T00:00:00Z'))).toBe(false)
    expect(isOverdue(due, 'not-started', false, new Date('2026-03-11T00:00:00Z'))).toBe(false)
  })
})
