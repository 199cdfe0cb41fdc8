// Conflicts of interest, as a pure rule: a reviewer never reviews their own application, an
// applicant from the school where they work or from a school in the same trust, or an applicant
// from a school where they hold a school-contact role; nor one they have declared a conflict with.
// The reason names which, so a refusal can say it.

export interface ReviewerFacts {
  personId: number
  name: string
  /** The school where the reviewer works (people.workplace_urn). */
  workplaceUrn: number | null
  workplaceName: string | null
  workplaceTrustCode: string | null
  workplaceTrustName: string | null
  /** Schools where the reviewer holds a live school-contact grant. */
  contactSchoolUrns: readonly number[]
}

export interface ApplicantFacts {
  applicationId: number
  applicantId: number
  schoolUrn: number | null
  schoolTrustCode: string | null
  schoolTrustName: string | null
}

export type ConflictCode = 'is-applicant' | 'same-school' | 'same-trust' | 'school-contact' | 'declared'

export interface Conflict {
  code: ConflictCode
  /** Words that follow the reviewer's name: "works at the applicant’s school". */
  reason: string
}

/** Why the reviewer may not review the applicant, or undefined when nothing stands in the way. */
export function conflictOf(
  reviewer: ReviewerFacts,
  applicant: ApplicantFacts,
  declared?: { reason: string },
): Conflict | undefined {
  if (reviewer.personId === applicant.applicantId) {
    return { code: 'is-applicant', reason: 'is the applicant' }
  }
  if (applicant.schoolUrn !== null && reviewer.workplaceUrn === applicant.schoolUrn) {
    return { code: 'same-school', reason: 'works at the applicant’s school' }
  }
  if (
    reviewer.workplaceTrustCode !== null &&
    applicant.schoolTrustCode !== null &&
    reviewer.workplaceTrustCode === applicant.schoolTrustCode
  ) {
    const trust = applicant.schoolTrustName ?? reviewer.workplaceTrustName ?? applicant.schoolTrustCode
    return { code: 'same-trust', reason: `works in the same trust (${trust})` }
  }
  if (applicant.schoolUrn !== null && reviewer.contactSchoolUrns.includes(applicant.schoolUrn)) {
    return { code: 'school-contact', reason: 'is a contact at the applicant’s school' }
  }
  if (declared) return { code: 'declared', reason: `declared a conflict of interest: ${declared.reason}` }
  return undefined
}
