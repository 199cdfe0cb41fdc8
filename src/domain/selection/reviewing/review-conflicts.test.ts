// Conflicts of interest: the applicant themself, the same school, the same trust, a school-contact
// role at the applicant's school, and a conflict the reviewer declared; each named.
import { describe, expect, it } from 'vitest'
import { conflictOf, type ApplicantFacts, type ReviewerFacts } from './review-conflicts.ts'

const reviewer: ReviewerFacts = {
  personId: 1,
  name: 'Grace Lee',
  workplaceUrn: 990_025,
  workplaceName: 'St Anne’s Junior School',
  workplaceTrustCode: 'TR01',
  workplaceTrustName: 'Northvale Learning Trust',
  contactSchoolUrns: [990_049],
}
const applicant: ApplicantFacts = {
  applicationId: 7,
  applicantId: 2,
  schoolUrn: 990_033,
  schoolTrustCode: null,
  schoolTrustName: null,
}

describe('conflictOf', () => {
  it('finds nothing for an applicant from another school outside the trust', () => {
    expect(conflictOf(reviewer, applicant)).toBeUndefined()
    expect(
      conflictOf({ ...reviewer, workplaceUrn: null, workplaceTrustCode: null }, applicant),
    ).toBeUndefined()
  })

  it('names each reason', () => {
    expect(conflictOf(reviewer, { ...applicant, applicantId: 1 })).toEqual({
      code: 'is-applicant',
      reason: 'is the applicant',
    })
    expect(conflictOf(reviewer, { ...applicant, schoolUrn: 990_025 })).toEqual({
      code: 'same-school',
      reason: 'works at the applicant’s school',
    })
    expect(
      conflictOf(reviewer, {
        ...applicant,
        schoolTrustCode: 'TR01',
        schoolTrustName: 'Northvale Learning Trust',
      }),
    ).toEqual({ code: 'same-trust', reason: 'works in the same trust (Northvale Learning Trust)' })
    expect(conflictOf(reviewer, { ...applicant, schoolUrn: 990_049 })).toEqual({
      code: 'school-contact',
      reason: 'is a contact at the applicant’s school',
    })
    expect(conflictOf(reviewer, applicant, { reason: 'She is my sister' })).toEqual({
      code: 'declared',
      reason: 'declared a conflict of interest: She is my sister',
    })
  })

  it('does not match two schools that both have no trust, or a missing school', () => {
    expect(
      conflictOf({ ...reviewer, workplaceTrustCode: null }, { ...applicant, schoolTrustCode: null }),
    ).toBeUndefined()
    expect(conflictOf({ ...reviewer, workplaceUrn: null }, { ...applicant, schoolUrn: null })).toBeUndefined()
  })
})
