import { describe, expect, it } from 'vitest'
import {
  cohortFormErrors,
  cohortInputOf,
  formFieldOf,
  pounds,
  readCohortForm,
  withBlankRows,
} from './cohort-form.ts'

describe('the cohort form', () => {
  it('shows pence as pounds and reads pounds as pence', () => {
    expect(pounds(20_000)).toBe('200')
    expect(pounds(18_750)).toBe('187.50')
    const values = readCohortForm(
      { 'funding.dayRate': '£1,187.5', 'funding.bursary': '0', 'funding.releaseDaysPerYear': '7.5' },
      true,
    )
    expect(cohortInputOf(values).funding).toEqual({
      releaseDaysPerYear: 7.5,
      dayRatePence: 118_750,
      bursaryPence: 0,
    })
    const bad = cohortInputOf(readCohortForm({ 'funding.dayRate': '12.345', 'funding.bursary': '' }, true))
    expect(bad.funding.dayRatePence).toBeNaN()
    expect(bad.funding.bursaryPence).toBeUndefined()
  })

  it('reads rows in order, leaves blank rows out when saving, and keeps them when adding one', () => {
    const body = {
      'essentialCriteria.2.id': 'second',
      'essentialCriteria.0.id': 'first',
      'essentialCriteria.0.wordLimit': '',
      'essentialCriteria.1.text': '  ',
      'headteacherCommitments.0': '',
      'headteacherCommitments.1': 'Release the teacher',
      'residentials.0.name': 'First',
      'residentials.0.subjectToConfirmation': 'yes',
    }
    const saved = readCohortForm(body, true)
    expect(saved.essentialCriteria.map((c) => c.id)).toEqual(['first', 'second'])
    expect(saved.headteacherCommitments).toEqual(['Release the teacher'])
    expect(saved.residentials[0]).toMatchObject({ name: 'First', subjectToConfirmation: true })
    expect(cohortInputOf(saved).essentialCriteria[0]!.wordLimit).toBeNull()
    const kept = readCohortForm(body, false)
    expect(kept.essentialCriteria).toHaveLength(3)
    expect(withBlankRows(kept, 'essentialCriteria').essentialCriteria).toHaveLength(5)
    expect(withBlankRows(kept).residentials).toHaveLength(2)
  })

  it('links each problem to a field on the form, and money problems speak of pounds', () => {
    expect(formFieldOf('opensAt')).toBe('opensAt.day')
    expect(formFieldOf('opensAt.hour')).toBe('opensAt.hour')
    expect(formFieldOf('residentials.1.endsOn')).toBe('residentials.1.endsOn.day')
    expect(formFieldOf('essentialCriteria')).toBe('essentialCriteria.0.id')
    expect(formFieldOf('desirableCriteria.2')).toBe('desirableCriteria.2.id')
    expect(formFieldOf('funding.dayRatePence')).toBe('funding.dayRate')
    expect(formFieldOf('cohort')).toBeUndefined()
    const { summary, byField } = cohortFormErrors([
      { field: 'funding.bursaryPence', message: 'Enter the bursary in pence' },
      { field: 'closesAt.minute', message: 'The time applications close must include minutes' },
    ])
    expect(summary).toEqual([
      { text: 'Enter the bursary in pounds, like 200', href: '#funding.bursary' },
      { text: 'The time applications close must include minutes', href: '#closesAt.minute' },
    ])
    expect(byField.closesAt).toEqual({ text: 'The time applications close must include minutes' })
  })
})
