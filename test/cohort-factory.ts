// Valid cohorts for tests: Cohort 11 of the Primary Mastery Specialist Programme as its
// information document describes it (window 9am on 2 December 2024 to 5pm on 14 March 2025,
// decisions in June, three residentials in 2025/26), as the input a national administrator sends.
import type { Db } from '../src/db/database.ts'
import { parseCohortInput } from '../src/domain/programmes/manage-cohorts.ts'
import { cohortId, insertCohort } from '../src/domain/programmes/programmes.repository.ts'

const statement = (id: string, text: string) => ({
  id,
  text,
  evidence: 'A statement in the application form',
  wordLimit: 250,
})

export function primaryCohortInput() {
  return {
    programmeId: 'primary-mastery-specialist',
    number: 11,
    developmentYear: '2025/26',
    opensAt: { day: 2, month: 12, year: 2024, hour: 9, minute: 0 },
    closesAt: { day: 14, month: 3, year: 2025, hour: 17, minute: 0 },
    decisionsReleasedOn: { day: 13, month: 6, year: 2025 },
    essentialCriteria: [
      {
        id: 'qts',
        text: 'Qualified Teacher Status',
        evidence: 'Your Teacher Reference Number',
        wordLimit: null,
      },
      statement(
        'teaches-maths',
        'Employed as a teacher in a primary, infant, junior or middle school, and regularly teaching maths to the same class',
      ),
      statement('time-commitment', 'Able to fulfil the programme requirements and time commitment'),
      statement('good-teaching', 'Good teaching skills in maths, as shown by observation'),
      statement('enthusiasm', 'Passion and enthusiasm for teaching for mastery'),
      statement('collaboration', 'Ability to work collaboratively with others'),
      statement(
        'headteacher-understands',
        'Works in a school where the headteacher understands the commitment required',
      ),
    ],
    desirableCriteria: [
      statement('additional-status', 'Additional status, for example Mathematics SLE or MaST'),
      statement('subject-leader', 'Mathematics subject leader'),
      statement('four-years', 'A minimum of four years teaching primary maths'),
    ],
    headteacherCommitments: [
      'Develop, embed and sustain teaching for mastery approaches in maths across the school',
      'Support the Mastery Specialist’s work with other schools, with the release time it needs',
      'Provide any reports the Maths Hub asks for and take part in evaluation',
    ],
    residentials: [
      {
        name: 'First residential',
        startsOn: { day: 12, month: 11, year: 2025 },
        endsOn: { day: 13, month: 11, year: 2025 },
        subjectToConfirmation: true,
      },
      {
        name: 'Second residential',
        startsOn: { day: 11, month: 3, year: 2026 },
        endsOn: { day: 12, month: 3, year: 2026 },
        subjectToConfirmation: true,
      },
      {
        name: 'Third residential',
        startsOn: { day: 17, month: 6, year: 2026 },
        endsOn: { day: 18, month: 6, year: 2026 },
        subjectToConfirmation: true,
      },
    ],
    funding: { releaseDaysPerYear: 15, dayRatePence: 20_000, bursaryPence: 0 },
  }
}

/** The example cohort, with its number and window (as UK date-time parts) changed. */
export function cohortInputWith(
  changes: Partial<ReturnType<typeof primaryCohortInput>>,
): ReturnType<typeof primaryCohortInput> {
  return { ...primaryCohortInput(), ...changes }
}

/** Stores the cohort (straight through the repository) unless it is there already; returns its id. */
export async function ensureCohort(db: Db, input = primaryCohortInput()): Promise<string> {
  const values = parseCohortInput(input)
  await db.transaction().execute((tx) => insertCohort(tx, values, new Date()))
  return cohortId(values.programmeId, values.number)
}

/** A cohort form's values as the fields a browser sends (a ticked box as "yes"). */
export function cohortFormBody(values: object): Record<string, string> {
  const body: Record<string, string> = {}
  const flatten = (prefix: string, value: unknown) => {
    if (typeof value === 'boolean') {
      if (value) body[prefix] = 'yes'
    } else if (typeof value === 'string') {
      body[prefix] = value
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => flatten(`${prefix}.${i}`, v))
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v)
    }
  }
  flatten('', values)
  return body
}
