// Demo people, one for each kind of user, so the demo can be tried from every side. Fictional;
// addresses are on the reserved .example domain.
import type { Db } from '../database.ts'
import type { Role } from '../schema.ts'
import { DEMO_APPLICANTS } from './demo-applications.ts'

export interface DemoPersona {
  name: string
  email: string
  description: string
  grants: { role: Role; hubId?: string; schoolUrn?: number }[]
  /** The demo school where they work: reviewers are never given applicants from it or its trust. */
  workplaceUrn?: number
}

export const DEMO_PERSONAS: DemoPersona[] = [
  {
    name: 'Nadia Khan',
    email: 'nadia.khan@ncetm.example',
    description: 'National administrator at the NCETM: manages hubs, people and roles, and sees everything.',
    grants: [{ role: 'national-admin' }],
  },
  {
    name: 'Oliver Grant',
    email: 'oliver.grant@ncetm.example',
    description: 'National viewer at the NCETM: sees every hub’s work but changes nothing.',
    grants: [{ role: 'national-viewer' }],
  },
  {
    name: 'Priya Shah',
    email: 'priya.shah@northvale.mathshub.example',
    description: 'Hub lead of Northvale Maths Hub: runs the hub’s team.',
    grants: [{ role: 'hub-lead', hubId: 'northvale-maths-hub' }],
  },
  {
    name: 'Tom Evans',
    email: 'tom.evans@northvale.mathshub.example',
    description: 'Hub administrator at Northvale Maths Hub.',
    grants: [{ role: 'hub-admin', hubId: 'northvale-maths-hub' }],
  },
  {
    name: 'Grace Lee',
    email: 'grace.lee@northvale.mathshub.example',
    description:
      'Reviewer for Northvale Maths Hub: assesses the applications assigned to her. Works at St Anne’s Junior School, Northvale.',
    grants: [{ role: 'reviewer', hubId: 'northvale-maths-hub' }],
    workplaceUrn: 990_025,
  },
  {
    name: 'Daniel Osei',
    email: 'daniel.osei@northvale.mathshub.example',
    description:
      'A second reviewer for Northvale Maths Hub, so each application can have two reviews. Works at Kingsmead Primary Academy, Greyhaven.',
    grants: [{ role: 'reviewer', hubId: 'northvale-maths-hub' }],
    workplaceUrn: 990_018,
  },
  {
    name: 'Ruth Okafor',
    email: 'ruth.okafor@riverside.mathshub.example',
    description: 'Hub lead of Riverside Maths Hub: cannot see Northvale’s team.',
    grants: [{ role: 'hub-lead', hubId: 'riverside-maths-hub' }],
  },
  {
    name: 'Sam Carter',
    email: 'sam.carter@school.example',
    description: 'A Mastery Specialist.',
    grants: [{ role: 'mastery-specialist' }],
  },
  {
    name: 'Helen Morris',
    email: 'helen.morris@school.example',
    description: 'Headteacher of a Northvale school: sees her own school.',
    grants: [{ role: 'school-contact', schoolUrn: 990_001 }],
  },
  {
    name: 'Amir Hussain',
    email: 'amir.hussain@school.example',
    description: 'A teacher, who may apply to become a Mastery Specialist.',
    grants: [{ role: 'teacher' }],
  },
  {
    name: 'Chloe Wright',
    email: 'chloe.wright@school.example',
    description: 'A Mastery Advocate in a Work Group.',
    grants: [{ role: 'mastery-advocate' }],
  },
]

/** The teachers who have applied in the demo (made only when the demo's applications are loaded). */
export const DEMO_APPLICANT_PERSONAS: DemoPersona[] = DEMO_APPLICANTS.map((applicant) => ({
  name: applicant.name,
  email: applicant.email,
  description:
    `A teacher who has applied to the Primary Mastery Specialist Programme, cohort 13, ` +
    `${applicant.headteacher ? 'endorsed by a headteacher the service does not know' : 'endorsed by Helen Morris'}` +
    (applicant.noHub
      ? ', from a Farthingdale school that no hub serves: the application waits for NCETM to pass it to a hub.'
      : ': answers the offer of a place once decisions are released.'),
  grants: [{ role: 'teacher' }],
}))

/** Everyone "Sign in as a demo person" may sign in as. */
export const ALL_DEMO_PERSONAS: DemoPersona[] = [...DEMO_PERSONAS, ...DEMO_APPLICANT_PERSONAS]

export async function loadDemoPeople(db: Db, personas: DemoPersona[] = DEMO_PERSONAS): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const persona of personas) {
      const person = await tx
        .insertInto('people')
        .values({ name: persona.name, email: persona.email, workplace_urn: persona.workplaceUrn ?? null })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (const grant of persona.grants) {
        await tx
          .insertInto('grants')
          .values({
            person_id: person.id,
            role: grant.role,
            hub_id: grant.hubId ?? null,
            school_urn: grant.schoolUrn ?? null,
          })
          .execute()
      }
    }
  })
}
