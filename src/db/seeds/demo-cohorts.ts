// Demo cohorts, set relative to the clock so the demo always has an open round to apply to: the
// Primary and Secondary Mastery Specialist Programmes open now (closing at 5pm UK time some weeks
// ahead), last year's Primary cohort closed, and an Embedding Work Group round still to open, with
// a Work Group's own criteria and commitments (two Mastery Advocates from a school that has been
// through a Development Work Group; no residentials; fully funded, with no grant).
// Built through the same input parser a national administrator's request goes through.
import type { Clock } from '../../lib/clock.ts'
import { toUkWallClock } from '../../lib/uk-time.ts'
import { parseCohortInput } from '../../domain/programmes/manage-cohorts.ts'
import { planCohortResidentials } from '../../domain/events/scheduling/cohort-residentials.ts'
import { cohortId, insertCohort } from '../../domain/programmes/programmes.repository.ts'
import type { Db } from '../database.ts'

interface Day {
  day: number
  month: number
  year: number
}

function dayAfter(now: Date, days: number): Day {
  const w = toUkWallClock(now)
  const date = new Date(Date.UTC(w.year, w.month - 1, w.day + days))
  return { day: date.getUTCDate(), month: date.getUTCMonth() + 1, year: date.getUTCFullYear() }
}

const statement = (id: string, text: string, wordLimit = 250) => ({
  id,
  text,
  evidence: 'A statement in the application form',
  wordLimit,
})

function primaryCriteria() {
  return {
    essentialCriteria: [
      {
        id: 'qts',
        text: 'Qualified Teacher Status',
        evidence: 'Your teacher reference number',
        wordLimit: null,
      },
      statement(
        'teaches-maths',
        'Employed as a teacher in a primary, infant, junior or middle school, regularly teaching maths to the same class',
      ),
      statement('time-commitment', 'Able to fulfil the programme requirements and time commitment'),
      statement('good-teaching', 'Good teaching skills in maths'),
      statement('enthusiasm', 'Passion and enthusiasm for teaching for mastery'),
      statement('collaboration', 'Ability to work collaboratively with others'),
    ],
    desirableCriteria: [
      statement('additional-status', 'Additional status, for example Mathematics SLE or MaST', 150),
      statement('subject-leader', 'Mathematics subject leader', 150),
    ],
    headteacherCommitments: [
      'Develop, embed and sustain teaching for mastery approaches in maths across the school',
      'Release the teacher for the programme’s residentials and development days',
      'Support the Mastery Specialist’s work with other schools from their second year',
    ],
  }
}

/**
 * An Embedding Work Group's criteria and commitments: the school's second year of teaching for
 * mastery, in a group of about six local schools led by a Mastery Specialist, each sending two
 * Mastery Advocates with the support of the head of maths and the headteacher or senior leadership.
 */
function embeddingWorkGroupCriteria() {
  return {
    essentialCriteria: [
      statement(
        'development-year',
        'Your school has taken part in a Teaching for Mastery Development Work Group (a school’s first year)',
      ),
      statement(
        'state-funded-school',
        'Employed as a teacher of maths in a state-funded school in England that Maths Hubs serve',
      ),
      statement(
        'lead-development',
        'The commitment, experience and authority to lead developmental work in maths across the school or department',
      ),
      statement(
        'second-advocate',
        'A second teacher from your school will join the Work Group with you as a Mastery Advocate',
      ),
      statement(
        'leadership-support',
        'The support of your head of maths and of your headteacher or a member of the senior leadership team',
      ),
    ],
    desirableCriteria: [
      statement(
        'in-school-pd',
        'Experience of leading professional development in your own school, such as collaborative lesson observation',
        150,
      ),
    ],
    headteacherCommitments: [
      'Release both Mastery Advocates for every Work Group session (about six half-day meetings in the year)',
      'Give the Mastery Advocates time to work with the maths department between sessions',
      'Welcome the Mastery Specialist who leads the Work Group for in-school support visits',
      'Support embedding teaching for mastery across the school: systems and culture, leadership, subject knowledge, lesson design and in-school professional development',
    ],
    residentials: [],
  }
}

/** A cohort whose window opens `opensIn` days from now at 9am and closes `closesIn` days from now at 5pm. */
function cohortAround(
  now: Date,
  programmeId: string,
  number: number,
  opensIn: number,
  closesIn: number,
  funding: { releaseDaysPerYear: number; dayRatePence: number; bursaryPence: number },
  programme: 'mastery-specialist' | 'work-group' = 'mastery-specialist',
) {
  const closes = dayAfter(now, closesIn)
  const developmentYear = `${closes.year}/${String((closes.year + 1) % 100).padStart(2, '0')}`
  return {
    programmeId,
    number,
    developmentYear,
    opensAt: { ...dayAfter(now, opensIn), hour: 9, minute: 0 },
    closesAt: { ...closes, hour: 17, minute: 0 },
    decisionsReleasedOn: dayAfter(now, closesIn + 90),
    ...(programme === 'work-group' ? embeddingWorkGroupCriteria() : masterySpecialistTerms(now, closesIn)),
    funding,
  }
}

/** A Mastery Specialist cohort's criteria, commitments and its two residentials in the development year. */
function masterySpecialistTerms(now: Date, closesIn: number) {
  return {
    ...primaryCriteria(),
    residentials: [
      {
        name: 'First residential',
        startsOn: dayAfter(now, closesIn + 240),
        endsOn: dayAfter(now, closesIn + 241),
        subjectToConfirmation: true,
      },
      {
        name: 'Second residential',
        startsOn: dayAfter(now, closesIn + 360),
        endsOn: dayAfter(now, closesIn + 361),
        subjectToConfirmation: true,
      },
    ],
  }
}

export function demoCohortInputs(now: Date) {
  const primaryFunding = { releaseDaysPerYear: 15, dayRatePence: 20_000, bursaryPence: 0 }
  return [
    cohortAround(now, 'primary-mastery-specialist', 13, -20, 60, primaryFunding),
    cohortAround(now, 'primary-mastery-specialist', 9, -385, -300, primaryFunding),
    // Two years earlier: its specialists are active, leading the demo's Work Groups.
    cohortAround(now, 'primary-mastery-specialist', 7, -1115, -1030, primaryFunding),
    cohortAround(now, 'secondary-mastery-specialist', 10, -10, 45, {
      releaseDaysPerYear: 6,
      dayRatePence: 20_000,
      bursaryPence: 0,
    }),
    // Fully funded by the Maths Hubs Programme, with no grant to the school: six half-day sessions.
    cohortAround(
      now,
      'embedding-work-group',
      3,
      40,
      100,
      { releaseDaysPerYear: 3, dayRatePence: 0, bursaryPence: 0 },
      'work-group',
    ),
  ]
}

export async function loadDemoCohorts(db: Db, clock: Clock): Promise<void> {
  const now = clock.now()
  await db.transaction().execute(async (tx) => {
    for (const input of demoCohortInputs(now)) {
      const cohort = parseCohortInput(input)
      if (!(await insertCohort(tx, cohort, now))) continue
      await planCohortResidentials(tx, cohortId(cohort.programmeId, cohort.number), cohort.residentials, now)
    }
  })
}
