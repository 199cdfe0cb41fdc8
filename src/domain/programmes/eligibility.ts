// Can a school take part in a programme? Pure rules over the register's facts about the school, in
// the manner of the DfE's NPQ funding eligibility: each rule that fails gives a reason with a stable
// code and a plain message. Hard failures make the school not eligible; where the register cannot
// settle it (a special school applying to a mainstream programme, a school with no phase), the
// Maths Hub reviews it.

/** GIAS phases served by primary programmes. */
export const PRIMARY_PHASES = ['Primary', 'Middle deemed primary', 'All-through'] as const
/** GIAS phases served by secondary programmes. */
export const SECONDARY_PHASES = ['Secondary', 'Middle deemed secondary', 'All-through'] as const
/** Every GIAS phase of education. */
export const ALL_PHASES = [
  'Nursery',
  'Primary',
  'Middle deemed primary',
  'Middle deemed secondary',
  'Secondary',
  'All-through',
  '16 plus',
  'Not applicable',
] as const

export interface EligibilitySchool {
  open: boolean
  inEngland: boolean
  stateFunded: boolean
  /** GIAS PhaseOfEducation, e.g. "Primary" or "Not applicable". */
  phase: string
  /** GIAS TypeOfEstablishment, e.g. "Community special school". */
  typeName: string
  /** GIAS EstablishmentTypeGroup, e.g. "Special schools". */
  typeGroup: string
}

export interface EligibilityProgramme {
  id: string
  phases: readonly string[]
  specialSchoolsOnly: boolean
}

export type EligibilityOutcome = 'eligible' | 'not-eligible' | 'needs-review'

export type EligibilityReasonCode =
  | 'eligible'
  | 'school-not-found'
  | 'not-in-england'
  | 'school-closed'
  | 'not-state-funded'
  | 'phase-not-served'
  | 'not-special-school'
  | 'special-school-needs-review'
  | 'phase-not-applicable-needs-review'

export interface EligibilityReason {
  code: EligibilityReasonCode
  message: string
}

export interface Eligibility {
  outcome: EligibilityOutcome
  reasons: EligibilityReason[]
}

export const ELIGIBILITY_REASON_CODES: readonly EligibilityReasonCode[] = [
  'eligible',
  'school-not-found',
  'not-in-england',
  'school-closed',
  'not-state-funded',
  'phase-not-served',
  'not-special-school',
  'special-school-needs-review',
  'phase-not-applicable-needs-review',
]

const NOT_APPLICABLE = 'Not applicable'

/** Special schools: GIAS type group "Special schools", or a type with "special" in its name
 * (academy and free school special schools sit in the Academies and Free Schools groups). */
export function isSpecialSchool(school: Pick<EligibilitySchool, 'typeName' | 'typeGroup'>): boolean {
  return school.typeGroup === 'Special schools' || /\bspecial\b/i.test(school.typeName)
}

/** "primary, middle deemed primary or all-through" */
function phaseList(phases: readonly string[]): string {
  const names = phases.filter((p) => p !== NOT_APPLICABLE).map((p) => p.toLowerCase())
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
}

function reason(code: EligibilityReasonCode, message: string): EligibilityReason {
  return { code, message }
}

export function checkEligibility(
  school: EligibilitySchool | undefined,
  programme: EligibilityProgramme,
): Eligibility {
  if (!school) {
    return {
      outcome: 'not-eligible',
      reasons: [
        reason('school-not-found', 'There is no school with that URN in the register. Check the URN.'),
      ],
    }
  }
  // Maths Hubs serve England: the rest of the rules are England's, so nothing else is said.
  if (!school.inEngland) {
    return {
      outcome: 'not-eligible',
      reasons: [
        reason(
          'not-in-england',
          'The school is not in England. Maths Hubs programmes are for schools in England.',
        ),
      ],
    }
  }

  const special = isSpecialSchool(school)
  const refusals: EligibilityReason[] = []
  const reviews: EligibilityReason[] = []
  if (!school.open) {
    refusals.push(
      reason(
        'school-closed',
        'The school is closed. If another school replaced it, check that school’s URN instead.',
      ),
    )
  }
  if (!school.stateFunded) {
    refusals.push(
      reason('not-state-funded', 'The school is not state-funded. Programmes are for state-funded schools.'),
    )
  }

  if (programme.specialSchoolsOnly) {
    if (!special) {
      refusals.push(
        reason(
          'not-special-school',
          'This programme is for special schools. The school is not a special school.',
        ),
      )
    } else if (!programme.phases.includes(school.phase)) {
      refusals.push(phaseNotServed(school.phase, programme))
    }
  } else if (school.phase === NOT_APPLICABLE || !programme.phases.includes(school.phase)) {
    if (school.phase !== NOT_APPLICABLE) {
      refusals.push(phaseNotServed(school.phase, programme))
    } else if (special) {
      reviews.push(specialSchoolReview())
    } else {
      reviews.push(
        reason(
          'phase-not-applicable-needs-review',
          'The register gives no phase of education for the school. The Maths Hub will check whether the ' +
            'programme suits it.',
        ),
      )
    }
  } else if (special) {
    reviews.push(specialSchoolReview())
  }

  if (refusals.length > 0) return { outcome: 'not-eligible', reasons: refusals }
  if (reviews.length > 0) return { outcome: 'needs-review', reasons: reviews }
  return { outcome: 'eligible', reasons: [reason('eligible', 'The school can take part in this programme.')] }
}

function phaseNotServed(phase: string, programme: EligibilityProgramme): EligibilityReason {
  return reason(
    'phase-not-served',
    `This programme is for ${phaseList(programme.phases)} schools. The school’s phase is ${phase.toLowerCase()}.`,
  )
}

function specialSchoolReview(): EligibilityReason {
  return reason(
    'special-school-needs-review',
    'The school is a special school. Special schools can take part, but the Maths Hub will check with you ' +
      'that the programme suits your school.',
  )
}
