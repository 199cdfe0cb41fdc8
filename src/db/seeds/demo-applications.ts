// The applications area's demo data: five teachers have applied to the demo's open Primary Mastery
// Specialist cohort from Northvale Maths Hub's schools, been endorsed by their headteacher through
// the emailed link, and submitted, all through the real use-cases, so every record is one the
// service itself would make. Three teach at Helen Morris's school (a headteacher the service knows);
// two at Kingsmead Primary Academy, whose headteacher the service does not know ("not verified"
// until the hub checks), and where the reviewer Daniel Osei works (so he is never given them).
// With the demo-time control at the closing minute, the hub can then review, rank and propose.
// Two more teachers apply from Farthingdale schools, an area no hub serves: their applications
// wait in NCETM's routing queue (/admin/routing) for someone to pass them to a hub.
import { ANONYMOUS, type Actor } from '../../domain/access/actor.ts'
import { actorForPerson } from '../../domain/access/actors.repository.ts'
import { requestEndorsement } from '../../domain/applications/request-endorsement.ts'
import { respondToEndorsement } from '../../domain/applications/respond-to-endorsement.ts'
import { saveApplication } from '../../domain/applications/save-application.ts'
import { startApplication } from '../../domain/applications/start-application.ts'
import { submitApplication } from '../../domain/applications/submit-application.ts'
import { cohortId, findCohort } from '../../domain/programmes/programmes.repository.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import type { Clock } from '../../lib/clock.ts'
import type { Db } from '../database.ts'

/** The cohort the demo's applications are in: the one to try selection on. */
export const DEMO_SELECTION_COHORT = cohortId('primary-mastery-specialist', 13)

/** Kingsmead Primary Academy, Greyhaven (Northvale Maths Hub): no headteacher known to the service. */
const KINGSMEAD_HEAD = { name: 'Martin Cole', email: 'martin.cole@kingsmead.school.example' }

/** Headteachers of two Farthingdale schools (no hub serves Farthingdale), unknown to the service. */
const HOLY_TRINITY_HEAD = { name: 'Ruth Adeyemi', email: 'ruth.adeyemi@holytrinity.school.example' }
const YEWTREE_HEAD = { name: 'Owen Marsh', email: 'owen.marsh@yewtree.school.example' }

export interface DemoApplicant {
  name: string
  email: string
  schoolUrn: number
  /** The headteacher the teacher names, where the service knows none at the school. */
  headteacher?: { name: string; email: string }
  trn: string
  yearsTeachingMaths: number
  currentRole: string
  classesTaught: string
  /** What the teacher writes about their work, woven into each answer. */
  story: string
  /** The school is in an area no hub serves, so the application waits in NCETM's routing queue. */
  noHub?: true
}

export const DEMO_APPLICANTS: DemoApplicant[] = [
  {
    name: 'Bella Price',
    email: 'bella.price@school.example',
    schoolUrn: 990_001,
    trn: '2345678',
    yearsTeachingMaths: 9,
    currentRole: 'Year 5 teacher and maths subject leader',
    classesTaught: 'Year 5',
    story: 'I have led our school’s move to teaching for mastery and run weekly lesson study with colleagues',
  },
  {
    name: 'Callum Reid',
    email: 'callum.reid@school.example',
    schoolUrn: 990_001,
    trn: '3456789',
    yearsTeachingMaths: 4,
    currentRole: 'Year 2 teacher',
    classesTaught: 'Year 2',
    story: 'I use concrete and pictorial representations in every lesson and share them with my year team',
  },
  {
    name: 'Esther Nwosu',
    email: 'esther.nwosu@school.example',
    schoolUrn: 990_001,
    trn: '4567890',
    yearsTeachingMaths: 12,
    currentRole: 'Deputy headteacher and Year 6 teacher',
    classesTaught: 'Year 6',
    story: 'As a Mathematics SLE I have supported three local schools with fluency and reasoning',
  },
  {
    name: 'Farah Begum',
    email: 'farah.begum@school.example',
    schoolUrn: 990_018,
    headteacher: KINGSMEAD_HEAD,
    trn: '5678901',
    yearsTeachingMaths: 7,
    currentRole: 'Year 4 teacher and maths lead',
    classesTaught: 'Year 4',
    story: 'I have coached colleagues in variation and small steps since our first Work Group year',
  },
  {
    name: 'George Hart',
    email: 'george.hart@school.example',
    schoolUrn: 990_018,
    headteacher: KINGSMEAD_HEAD,
    trn: '6789012',
    yearsTeachingMaths: 3,
    currentRole: 'Year 3 teacher',
    classesTaught: 'Year 3',
    story:
      'I am new to leading maths but keen, and have planned our Year 3 fractions unit with my partner class',
  },
  {
    name: 'Imogen Shaw',
    email: 'imogen.shaw@school.example',
    schoolUrn: 990_008, // Holy Trinity Primary Academy, Farthingdale
    headteacher: HOLY_TRINITY_HEAD,
    trn: '7890123',
    yearsTeachingMaths: 8,
    currentRole: 'Year 6 teacher and maths subject leader',
    classesTaught: 'Year 6',
    story: 'I have run our school’s maths meetings on reasoning and worked with a neighbouring school',
    noHub: true,
  },
  {
    name: 'Kwame Boateng',
    email: 'kwame.boateng@school.example',
    schoolUrn: 990_024, // Yewtree Primary School, Farthingdale
    headteacher: YEWTREE_HEAD,
    trn: '8901234',
    yearsTeachingMaths: 5,
    currentRole: 'Year 1 teacher and early maths lead',
    classesTaught: 'Year 1',
    story: 'I have introduced daily number fluency sessions across Key Stage 1 and shared them locally',
    noHub: true,
  },
]

/** The newest endorsement link emailed to the address: the headteacher's own copy of it. */
async function endorsementToken(db: Db, email: string): Promise<string> {
  const row = await db
    .selectFrom('outbox')
    .select('body_text')
    .where('to_address', '=', email)
    .where('template', '=', 'endorsement-request')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const token = /\/endorse\/([A-Za-z0-9_-]+)/.exec(row.body_text)?.[1]
  if (!token) throw new Error('The endorsement email has no link')
  return token
}

/**
 * Each demo applicant (already a demo person with a teacher's role) applies, is endorsed and submits.
 * The clock must be inside the cohort's window, as it is when the demo is loaded.
 */
export async function loadDemoApplications(db: Db, clock: Clock, baseUrl: string): Promise<void> {
  const cohort = await findCohort(db, DEMO_SELECTION_COHORT)
  if (!cohort) throw new Error(`The demo has no cohort ${DEMO_SELECTION_COHORT}`)
  const contextAs = (actor: Actor): UseCaseContext => ({ db, actor, clock, requestId: 'demo-data', baseUrl })
  for (const applicant of DEMO_APPLICANTS) {
    const person = await db
      .selectFrom('people')
      .select('id')
      .where('email', '=', applicant.email)
      .executeTakeFirstOrThrow()
    const teacher = contextAs((await actorForPerson(db, person.id))!)
    const { application } = await startApplication(teacher, cohort.id)
    await saveApplication(teacher, application.id, {
      school: { urn: applicant.schoolUrn },
      teaching: {
        hasQts: true,
        trn: applicant.trn,
        yearsTeachingMaths: applicant.yearsTeachingMaths,
        currentRole: applicant.currentRole,
        classesTaught: applicant.classesTaught,
      },
      evidence: Object.fromEntries(
        [...cohort.essentialCriteria, ...cohort.desirableCriteria]
          .filter((c) => c.wordLimit !== null)
          .map((c) => [c.id, `${applicant.story}. That is how I meet “${c.text}”.`]),
      ),
    })
    // A known headteacher is asked whatever is typed; otherwise the one the teacher names.
    const head = applicant.headteacher ?? { name: 'Helen Morris', email: 'helen.morris@school.example' }
    await requestEndorsement(teacher, application.id, head)
    await respondToEndorsement(contextAs(ANONYMOUS), await endorsementToken(db, head.email), {
      decision: 'confirm',
    })
    await submitApplication(teacher, application.id, { idempotencyKey: `demo-${application.reference}` })
  }
  // Loading the demo is not anyone asking: it leaves no allowance used up.
  await db.deleteFrom('rate_limits').where('key', 'like', 'headteacher-request:%').execute()
}
