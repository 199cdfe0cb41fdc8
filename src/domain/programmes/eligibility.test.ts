import { describe, expect, it } from 'vitest'
import { isStateFundedType, typeGroupOf } from '../schools/establishment-types.ts'
import {
  ALL_PHASES,
  checkEligibility,
  isSpecialSchool,
  PRIMARY_PHASES,
  SECONDARY_PHASES,
  type Eligibility,
  type EligibilityProgramme,
  type EligibilityReasonCode,
  type EligibilitySchool,
} from './eligibility.ts'

// The programmes as the catalogue seeds them (src/db/migrations/0003_programmes_cohorts.sql).
const MAINSTREAM = ['Primary', 'Middle deemed primary', 'Middle deemed secondary', 'Secondary', 'All-through']
const PROGRAMMES = {
  primary: { id: 'primary-mastery-specialist', phases: PRIMARY_PHASES, specialSchoolsOnly: false },
  secondary: { id: 'secondary-mastery-specialist', phases: SECONDARY_PHASES, specialSchoolsOnly: false },
  development: {
    id: 'secondary-development-work-group',
    phases: SECONDARY_PHASES,
    specialSchoolsOnly: false,
  },
  special: { id: 'special-schools-work-group', phases: ALL_PHASES, specialSchoolsOnly: true },
  embedding: { id: 'embedding-work-group', phases: MAINSTREAM, specialSchoolsOnly: false },
  sustaining: { id: 'sustaining-work-group', phases: MAINSTREAM, specialSchoolsOnly: false },
  pdLead: { id: 'pd-lead-accreditation', phases: [...MAINSTREAM, '16 plus'], specialSchoolsOnly: false },
} satisfies Record<string, EligibilityProgramme>

/** A school as the register would hold it: its group and funding follow from its GIAS type. */
function school(typeName: string, phase: string, facts: Partial<EligibilitySchool> = {}): EligibilitySchool {
  return {
    open: true,
    inEngland: typeName !== 'Welsh establishment',
    stateFunded: isStateFundedType(typeName),
    phase,
    typeName,
    typeGroup: typeGroupOf(typeName),
    ...facts,
  }
}

const codes = (result: Eligibility) => result.reasons.map((r) => r.code)

describe('checkEligibility', () => {
  it('lets an open maintained primary school apply to the Primary Mastery Specialist Programme', () => {
    const result = checkEligibility(school('Community school', 'Primary'), PROGRAMMES.primary)
    expect(result).toEqual({
      outcome: 'eligible',
      reasons: [{ code: 'eligible', message: 'The school can take part in this programme.' }],
    })
  })

  it('serves middle and all-through schools on the side of their phase', () => {
    expect(
      checkEligibility(school('Academy converter', 'Middle deemed primary'), PROGRAMMES.primary).outcome,
    ).toBe('eligible')
    expect(
      checkEligibility(school('Foundation school', 'Middle deemed secondary'), PROGRAMMES.secondary).outcome,
    ).toBe('eligible')
    expect(
      checkEligibility(school('Foundation school', 'Middle deemed secondary'), PROGRAMMES.primary).outcome,
    ).toBe('not-eligible')
    const allThrough = school('Free schools', 'All-through')
    expect(checkEligibility(allThrough, PROGRAMMES.primary).outcome).toBe('eligible')
    expect(checkEligibility(allThrough, PROGRAMMES.secondary).outcome).toBe('eligible')
  })

  it('refuses a secondary academy applying to a primary programme, naming the phases served', () => {
    const result = checkEligibility(school('Academy sponsor led', 'Secondary'), PROGRAMMES.primary)
    expect(result.outcome).toBe('not-eligible')
    expect(result.reasons).toEqual([
      {
        code: 'phase-not-served',
        message:
          'This programme is for primary, middle deemed primary or all-through schools. The school’s phase is secondary.',
      },
    ])
  })

  it('refuses nursery schools and sixth form colleges the mastery specialist programmes', () => {
    expect(
      codes(checkEligibility(school('Local authority nursery school', 'Nursery'), PROGRAMMES.primary)),
    ).toEqual(['phase-not-served'])
    expect(
      codes(checkEligibility(school('Academy 16-19 converter', '16 plus'), PROGRAMMES.secondary)),
    ).toEqual(['phase-not-served'])
    expect(checkEligibility(school('Academy 16-19 converter', '16 plus'), PROGRAMMES.pdLead).outcome).toBe(
      'eligible',
    )
  })

  it('refuses an independent school', () => {
    const result = checkEligibility(school('Other independent school', 'Primary'), PROGRAMMES.primary)
    expect(result.outcome).toBe('not-eligible')
    expect(codes(result)).toEqual(['not-state-funded'])
    expect(result.reasons[0]!.message).toMatch(/not state-funded/)
  })

  it('refuses a Welsh school with that reason only', () => {
    const result = checkEligibility(school('Welsh establishment', 'Primary'), PROGRAMMES.primary)
    expect(result).toEqual({
      outcome: 'not-eligible',
      reasons: [
        {
          code: 'not-in-england',
          message: 'The school is not in England. Maths Hubs programmes are for schools in England.',
        },
      ],
    })
  })

  it('refuses a closed school, giving every reason that applies', () => {
    expect(
      codes(checkEligibility(school('Community school', 'Primary', { open: false }), PROGRAMMES.primary)),
    ).toEqual(['school-closed'])
    const closedPrep = school('Other independent school', 'Secondary', { open: false })
    expect(codes(checkEligibility(closedPrep, PROGRAMMES.primary))).toEqual([
      'school-closed',
      'not-state-funded',
      'phase-not-served',
    ])
  })

  it('says when the school is not in the register', () => {
    expect(checkEligibility(undefined, PROGRAMMES.primary)).toEqual({
      outcome: 'not-eligible',
      reasons: [
        {
          code: 'school-not-found',
          message: 'There is no school with that URN in the register. Check the URN.',
        },
      ],
    })
  })

  it('asks the hub to review a special school applying to a mainstream programme', () => {
    for (const [type, phase] of [
      ['Community special school', 'Not applicable'],
      ['Foundation special school', 'Primary'],
      ['Academy special converter', 'Not applicable'],
      ['Free schools special', 'All-through'],
    ] as const) {
      const result = checkEligibility(school(type, phase), PROGRAMMES.primary)
      expect(result.outcome, type).toBe('needs-review')
      expect(codes(result), type).toEqual(['special-school-needs-review'])
    }
    // A special school whose phase is plainly another is not served, like any other school.
    expect(
      codes(checkEligibility(school('Academy special converter', 'Secondary'), PROGRAMMES.primary)),
    ).toEqual(['phase-not-served'])
  })

  it('asks the hub to review a mainstream school the register gives no phase', () => {
    const result = checkEligibility(school('Pupil referral unit', 'Not applicable'), PROGRAMMES.secondary)
    expect(result.outcome).toBe('needs-review')
    expect(codes(result)).toEqual(['phase-not-applicable-needs-review'])
  })

  it('lets special schools of any phase join the special schools work group, and only them', () => {
    for (const [type, phase] of [
      ['Community special school', 'Not applicable'],
      ['Academy special sponsor led', 'Secondary'],
      ['Foundation special school', 'Primary'],
    ] as const) {
      expect(checkEligibility(school(type, phase), PROGRAMMES.special).outcome, type).toBe('eligible')
    }
    const mainstream = checkEligibility(school('Community school', 'Primary'), PROGRAMMES.special)
    expect(mainstream.outcome).toBe('not-eligible')
    expect(codes(mainstream)).toEqual(['not-special-school'])
    // A non-maintained special school is special but not state-funded.
    expect(
      codes(checkEligibility(school('Non-maintained special school', 'Not applicable'), PROGRAMMES.special)),
    ).toEqual(['not-state-funded'])
  })

  it('recognises special schools by type group or by the word "special" in the type', () => {
    expect(isSpecialSchool({ typeName: 'Community special school', typeGroup: 'Special schools' })).toBe(true)
    expect(isSpecialSchool({ typeName: 'Academy special converter', typeGroup: 'Academies' })).toBe(true)
    expect(isSpecialSchool({ typeName: 'Free schools special', typeGroup: 'Free Schools' })).toBe(true)
    expect(isSpecialSchool({ typeName: 'Academy converter', typeGroup: 'Academies' })).toBe(false)
    expect(
      isSpecialSchool({ typeName: 'Pupil referral unit', typeGroup: 'Local authority maintained schools' }),
    ).toBe(false)
  })
})

// Properties over every combination of GIAS type, phase, open or closed, and programme: an
// exhaustive check of a small domain (the property library fast-check is not a dependency).
const GIAS_TYPES = [
  'Community school',
  'Foundation school',
  'Voluntary aided school',
  'Voluntary controlled school',
  'Local authority nursery school',
  'Pupil referral unit',
  'Academy converter',
  'Academy sponsor led',
  'Academy special converter',
  'Academy special sponsor led',
  'Academy alternative provision converter',
  'Academy 16-19 converter',
  'Free schools',
  'Free schools special',
  'Studio schools',
  'University technical college',
  'Community special school',
  'Foundation special school',
  'Non-maintained special school',
  'Other independent special school',
  'Other independent school',
  'City technology college',
  'Further education',
  'Welsh establishment',
  'Secure units',
]

const REFUSALS: EligibilityReasonCode[] = [
  'school-not-found',
  'not-in-england',
  'school-closed',
  'not-state-funded',
  'phase-not-served',
  'not-special-school',
]
const REVIEWS: EligibilityReasonCode[] = ['special-school-needs-review', 'phase-not-applicable-needs-review']

function* everyCase() {
  for (const typeName of GIAS_TYPES)
    for (const phase of ALL_PHASES)
      for (const open of [true, false])
        for (const programme of Object.values(PROGRAMMES))
          yield { s: school(typeName, phase, { open }), programme }
}

describe('checkEligibility over every type, phase and programme', () => {
  it('gives at least one reason, each once, of the kind its outcome says', () => {
    for (const { s, programme } of everyCase()) {
      const result = checkEligibility(s, programme)
      const label = `${s.typeName}/${s.phase}/${s.open ? 'open' : 'closed'} -> ${programme.id}`
      const found = codes(result)
      expect(found.length, label).toBeGreaterThan(0)
      expect(new Set(found).size, label).toBe(found.length)
      const allowed =
        result.outcome === 'eligible' ? ['eligible'] : result.outcome === 'not-eligible' ? REFUSALS : REVIEWS
      for (const code of found) expect(allowed, label).toContain(code)
      for (const r of result.reasons) expect(r.message, label).toMatch(/^[A-Z].*\.$/)
      if (result.outcome === 'eligible') expect(found, label).toEqual(['eligible'])
    }
  })

  it('never lets a closed, non-state-funded or out-of-England school through, even for review', () => {
    for (const { s, programme } of everyCase()) {
      if (s.open && s.stateFunded && s.inEngland) continue
      expect(checkEligibility(s, programme).outcome).toBe('not-eligible')
    }
  })

  it('makes eligible only schools of a phase the programme serves, special exactly when it is for special schools', () => {
    for (const { s, programme } of everyCase()) {
      if (checkEligibility(s, programme).outcome !== 'eligible') continue
      expect(programme.phases).toContain(s.phase)
      expect(isSpecialSchool(s)).toBe(programme.specialSchoolsOnly)
      expect(s.phase === 'Not applicable' && !programme.specialSchoolsOnly).toBe(false)
    }
  })

  it('refuses a school only for reasons that are true of it', () => {
    for (const { s, programme } of everyCase()) {
      const found = codes(checkEligibility(s, programme))
      if (found.includes('school-closed')) expect(s.open).toBe(false)
      if (found.includes('not-state-funded')) expect(s.stateFunded).toBe(false)
      if (found.includes('not-in-england')) expect(found).toEqual(['not-in-england'])
      if (found.includes('phase-not-served')) expect(programme.phases).not.toContain(s.phase)
      if (found.includes('not-special-school')) expect(isSpecialSchool(s)).toBe(false)
    }
  })
})
