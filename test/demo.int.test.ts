// The demo data is valid: every row imports cleanly, and it shows what the demo promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_APPLICANTS, DEMO_SELECTION_COHORT } from '../src/db/seeds/demo-applications.ts'
import { ALL_DEMO_PERSONAS, DEMO_PERSONAS } from '../src/db/seeds/demo-people.ts'
import { buildDemoData, loadDemo } from '../src/db/seeds/demo.ts'
import { parseCohortInput } from '../src/domain/programmes/manage-cohorts.ts'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'
import { demoCohortInputs } from '../src/db/seeds/demo-cohorts.ts'
import { findSchool, schoolsWithoutHub } from '../src/domain/schools/schools.repository.ts'
import { fixedClock } from '../src/lib/clock.ts'
import { createTestApp } from './app.ts'
import { createTestDatabase, type TestDatabase } from './database.ts'
import { request, signInPersonas } from './personas.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.destroy()
})

describe('the demo', () => {
  it('imports every row without a problem, and is the same every time', async () => {
    expect(buildDemoData()).toEqual(buildDemoData())
    expect(await loadDemo(database.db, fixedClock('2026-11-22T10:00:00Z'))).toBe(true)
    const runs = await database.db
      .selectFrom('import_runs')
      .select(['kind', 'status', 'rejected', 'rows_read'])
      .orderBy('id')
      .execute()
    expect(runs.map((r) => [r.kind, r.status, r.rejected])).toEqual([
      ['schools', 'succeeded', 0],
      ['school-links', 'succeeded', 0],
      ['hubs', 'succeeded', 0],
    ])
    expect(runs[0]!.rows_read).toBe(buildDemoData().schoolCount)
  })

  it('has a realistic mix, a visible gap, a Welsh school and every persona', async () => {
    const phases = await database.db.selectFrom('schools').select('phase').distinct().execute()
    expect(phases.map((p) => p.phase).sort()).toEqual(
      expect.arrayContaining(['All-through', 'Not applicable', 'Nursery', 'Primary', 'Secondary']),
    )
    const independent = await database.db
      .selectFrom('schools')
      .select('urn')
      .where('state_funded', '=', false)
      .where('in_england', '=', true)
      .execute()
    expect(independent.length).toBeGreaterThan(0)
    expect((await schoolsWithoutHub(database.db)).map((g) => g.laCode)).toEqual(['958'])
    const welsh = await database.db
      .selectFrom('schools')
      .select(['in_england'])
      .where('urn', '=', 999_001)
      .executeTakeFirstOrThrow()
    expect(welsh.in_england).toBe(false)
    for (const persona of DEMO_PERSONAS) {
      const grants = await database.db
        .selectFrom('grants as g')
        .innerJoin('people as p', 'p.id', 'g.person_id')
        .select('g.role')
        .where('p.email', '=', persona.email)
        .execute()
      expect(
        grants.map((g) => g.role),
        persona.email,
      ).toEqual(persona.grants.map((g) => g.role))
    }
  })

  it('is not loaded over a register that already has data', async () => {
    const other = await createTestDatabase()
    try {
      await other.db
        .insertInto('schools')
        .values({
          urn: 100000,
          name: 'Real',
          search_name: 'real',
          type_name: 'Community school',
          type_group: 'Local authority maintained schools',
          phase: 'Primary',
          la_code: '201',
          la_name: 'City of London',
          status: 'Open',
          open: true,
          in_england: true,
          state_funded: true,
        })
        .execute()
      expect(await loadDemo(other.db, fixedClock('2026-11-22T10:00:00Z'))).toBe(false)
      expect(await other.db.selectFrom('schools').select('urn').execute()).toEqual([{ urn: 100000 }])
    } finally {
      await other.destroy()
    }
  })

  it('gives the Embedding Work Group the criteria and commitments of a Work Group, not of Mastery Specialists', async () => {
    const cohort = (await findCohort(database.db, 'embedding-work-group-3'))!
    const criteria = [...cohort.essentialCriteria, ...cohort.desirableCriteria]
    expect(criteria.map((c) => c.id)).not.toContain('qts')
    expect(criteria.map((c) => c.text).join(' ')).not.toMatch(/Qualified Teacher Status|residential/i)
    expect(cohort.essentialCriteria.map((c) => c.text).join(' ')).toMatch(/Development Work Group/)
    expect(cohort.essentialCriteria.map((c) => c.text).join(' ')).toMatch(/Mastery Advocate/)
    expect(cohort.essentialCriteria.map((c) => c.text).join(' ')).toMatch(/head of maths/)
    expect(cohort.headteacherCommitments.join(' ')).not.toMatch(/residential|Mastery Specialist’s work/i)
    expect(cohort.headteacherCommitments.join(' ')).toMatch(/Work Group session/)
    expect(cohort.residentials).toEqual([])
    // Fully funded, with no grant stated.
    expect(cohort.funding.bursaryPence).toBe(0)
    // Every demo cohort is one a national administrator could have entered.
    for (const input of demoCohortInputs(new Date('2026-11-22T10:00:00Z'))) {
      expect(() => parseCohortInput(input)).not.toThrow()
    }
  })
})

describe('the demo with its applications (as `masteryhub demo` loads it)', () => {
  let full: TestDatabase
  beforeAll(async () => {
    full = await createTestDatabase()
    expect(
      await loadDemo(full.db, fixedClock('2026-11-22T10:00:00Z'), {
        applications: true,
        baseUrl: 'http://localhost:3000',
      }),
    ).toBe(true)
  })
  afterAll(async () => {
    await full?.destroy()
  })

  it('has every applicant submitted and endorsed in the selection cohort, through the real use-cases', async () => {
    const rows = await full.db
      .selectFrom('applications as a')
      .innerJoin('people as p', 'p.id', 'a.applicant_id')
      .select([
        'p.email',
        'a.cohort_id',
        'a.state',
        'a.hub_id',
        'a.endorsed_at',
        'a.submitted_at',
        'a.headteacher_verification',
        'a.eligibility',
      ])
      .where('a.cohort_id', '=', DEMO_SELECTION_COHORT)
      .orderBy('a.id')
      .execute()
    expect(rows.map((r) => r.email)).toEqual(DEMO_APPLICANTS.map((a) => a.email))
    for (const row of rows) {
      expect(row.cohort_id, row.email).toBe(DEMO_SELECTION_COHORT)
      expect(row.state, row.email).toBe('submitted')
      // The Farthingdale teachers' schools have no hub: their applications wait for NCETM.
      const noHub = DEMO_APPLICANTS.find((a) => a.email === row.email)!.noHub === true
      expect(row.hub_id, row.email).toBe(noHub ? null : 'northvale-maths-hub')
      expect(row.endorsed_at, row.email).not.toBeNull()
      expect(row.submitted_at, row.email).not.toBeNull()
      expect(row.eligibility?.outcome, row.email).toBe('eligible')
    }
    // Helen Morris is known to the service; Kingsmead's headteacher is not, until the hub checks.
    expect(rows.map((r) => r.headteacher_verification)).toEqual(
      DEMO_APPLICANTS.map((a) => (a.headteacher ? null : 'school-contact')),
    )
    // Each history is the one the service writes: started, asked, endorsed, submitted.
    const history = await full.db
      .selectFrom('application_history')
      .select(['application_id', 'to_state'])
      .orderBy('id')
      .execute()
    const ids = [...new Set(history.map((h) => h.application_id))]
    expect(ids).toHaveLength(DEMO_APPLICANTS.length)
    for (const id of ids) {
      expect(history.filter((h) => h.application_id === id).map((h) => h.to_state)).toEqual(
        expect.arrayContaining(['draft', 'awaiting-endorsement', 'endorsed', 'submitted']),
      )
    }
    // Loading used no one's allowance of requests to headteachers.
    expect(
      await full.db
        .selectFrom('rate_limits')
        .select('key')
        .where('key', 'like', 'headteacher-request:%')
        .execute(),
    ).toEqual([])
  })

  it('has applications from schools no hub serves, waiting in NCETM’s routing queue', async () => {
    const unrouted = DEMO_APPLICANTS.filter((a) => a.noHub)
    expect(unrouted.length).toBeGreaterThanOrEqual(1)
    for (const applicant of unrouted) {
      const school = (await findSchool(full.db, applicant.schoolUrn))!
      expect(school.laName, applicant.name).toBe('Farthingdale')
      expect(school.hub, applicant.name).toBeNull()
    }

    const t = await createTestApp({ demoApplications: true })
    try {
      const clients = await signInPersonas(t)
      const queue = await request(t, clients.nationalAdmin, 'GET', '/admin/routing')
      expect(queue.statusCode).toBe(200)
      expect(queue.body).not.toContain('There are no applications waiting to be passed to a hub')
      const applications = await t.database.db
        .selectFrom('applications as a')
        .innerJoin('people as p', 'p.id', 'a.applicant_id')
        .select(['a.reference', 'p.name'])
        .where('a.hub_id', 'is', null)
        .where('a.state', '=', 'submitted')
        .execute()
      expect(applications.map((a) => a.name).sort()).toEqual(unrouted.map((a) => a.name).sort())
      for (const application of applications) {
        expect(queue.body).toContain(`${application.reference}: ${application.name}`)
      }
      // No hub sees them: Northvale's lead does not find them in her hub's applications.
      const hubList = await request(t, clients.hubLead, 'GET', '/hubs/northvale-maths-hub/applications')
      expect(hubList.statusCode).toBe(200)
      for (const application of applications) expect(hubList.body).not.toContain(application.reference)
    } finally {
      await t.close()
    }
  })

  it('has the cohort still open (so it closes at the demo-time jump) and reviewers for its hub', async () => {
    const cohort = (await findCohort(full.db, DEMO_SELECTION_COHORT))!
    expect(cohort.closesAt.getTime()).toBeGreaterThan(new Date('2026-11-22T10:00:00Z').getTime())
    const reviewers = await full.db
      .selectFrom('grants')
      .select('person_id')
      .where('role', '=', 'reviewer')
      .where('hub_id', '=', 'northvale-maths-hub')
      .where('revoked_at', 'is', null)
      .execute()
    expect(reviewers.length).toBeGreaterThanOrEqual(2)
  })

  it('lets every demo person, applicants too, sign in as a demo person', async () => {
    for (const persona of ALL_DEMO_PERSONAS) {
      const grants = await full.db
        .selectFrom('grants as g')
        .innerJoin('people as p', 'p.id', 'g.person_id')
        .select('g.role')
        .where('p.email', '=', persona.email)
        .execute()
      expect(
        grants.map((g) => g.role),
        persona.email,
      ).toEqual(persona.grants.map((g) => g.role))
    }
  })
})
