// Routing (docs/adr/0020): an application from a school with no Maths Hub recorded goes to the
// NCETM's routing queue, and a national administrator passes it to a hub (audited, in its history,
// emailed to the hub's leads and the teacher). A property test over schools, areas given to hubs
// and taken away, and routing proves that no submitted application is ever outside every hub's
// list and the queue.
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  essentialEvidence,
  KINGSMEAD_PRIMARY,
  lastEndorsementToken,
  OPEN_COHORT,
  TEACHING,
} from '../../../test/application-fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { loadDemo } from '../../db/seeds/demo.ts'
import { NotFoundError, ValidationError } from '../../errors.ts'
import { fixedClock } from '../../lib/clock.ts'
import { actorForPerson } from '../access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../access/actor.ts'
import { assignHubArea, removeHubArea } from '../hubs/manage-hubs.ts'
import { checkEligibility } from '../programmes/eligibility.ts'
import { findCohort, findProgramme } from '../programmes/programmes.repository.ts'
import { findSchool } from '../schools/schools.repository.ts'
import type { UseCaseContext } from '../use-case.ts'
import { listHistory } from './applications.repository.ts'
import { requestEndorsement } from './request-endorsement.ts'
import { respondToEndorsement } from './respond-to-endorsement.ts'
import { routeApplication, viewRoutingQueue } from './route-application.ts'
import { saveApplication } from './save-application.ts'
import { startApplication } from './start-application.ts'
import { submitApplication } from './submit-application.ts'
import { listHubApplications, viewApplication } from './view-applications.ts'

const NOW = '2026-11-22T10:00:00Z'
const NO_HUB_LA = '958'
const NORTHVALE = 'northvale-maths-hub'
const HUBS = ['northvale-maths-hub', 'riverside-maths-hub', 'eastmoor-maths-hub']

const clock = fixedClock(NOW)
let database: TestDatabase
let admin: Actor
let viewer: Actor
let hubLead: Actor
/** Eligible primary schools in the authority with no hub (none of them served by an exception). */
let noHubSchools: number[]
/** An eligible primary school Northvale serves, whose headteacher the service does not know. */
let servedSchool: number
let teachers = 0

function context(actor: Actor): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'routing-test', baseUrl: 'http://localhost:3000' }
}

async function actorFor(email: string): Promise<Actor> {
  const person = await database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return (await actorForPerson(database.db, person.id))!
}

async function eligibleSchools(laCodes: string[]): Promise<number[]> {
  const programme = (await findProgramme(
    database.db,
    (await findCohort(database.db, OPEN_COHORT))!.programmeId,
  ))!
  const rows = await database.db
    .selectFrom('schools')
    .select('urn')
    .where('la_code', 'in', laCodes)
    .where('open', '=', true)
    .where('urn', 'not in', database.db.selectFrom('school_hub_overrides').select('urn'))
    .orderBy('urn')
    .execute()
  const urns: number[] = []
  for (const { urn } of rows) {
    const school = (await findSchool(database.db, urn))!
    if (checkEligibility(school, programme).outcome === 'eligible') urns.push(urn)
  }
  return urns
}

/** A new teacher chooses the school and completes the application, endorsed; not yet submitted. */
async function endorsedAt(urn: number): Promise<{ id: number; teacher: Actor; email: string }> {
  teachers++
  const email = `routing-teacher-${teachers}@school.example`
  const person = await database.db
    .insertInto('people')
    .values({ name: `Routing Teacher ${teachers}`, email })
    .returning('id')
    .executeTakeFirstOrThrow()
  const teacher = (await actorForPerson(database.db, person.id))!
  const { application } = await startApplication(context(teacher), OPEN_COHORT)
  await saveApplication(context(teacher), application.id, {
    school: { urn },
    teaching: TEACHING,
    evidence: essentialEvidence((await findCohort(database.db, OPEN_COHORT))!),
  })
  await database.db.deleteFrom('rate_limits').execute()
  const head = { name: 'Sam Head', email: `head-${teachers}@school.example` }
  await requestEndorsement(context(teacher), application.id, head)
  await respondToEndorsement(context(ANONYMOUS), await lastEndorsementToken(database.db, head.email), {
    decision: 'confirm',
  })
  return { id: application.id, teacher, email }
}

async function submittedAt(urn: number) {
  const endorsed = await endorsedAt(urn)
  await submitApplication(context(endorsed.teacher), endorsed.id)
  return endorsed
}

/** Every application id some hub's list or the NCETM's routing queue holds. */
async function seenSomewhere(): Promise<Set<number>> {
  const seen = new Set<number>()
  const hubs = await database.db.selectFrom('hubs').select('id').execute()
  // Every page at once: the lists page, and this asks what each holds at all.
  const all = { page: 1, pageSize: 10_000 }
  for (const hub of hubs) {
    for (const a of (await listHubApplications(context(admin), hub.id, { state: 'submitted' }, all)).items)
      seen.add(a.id)
  }
  for (const q of (await viewRoutingQueue(context(admin), all)).items) seen.add(q.application.id)
  return seen
}

async function submittedIds(): Promise<number[]> {
  const rows = await database.db
    .selectFrom('applications')
    .select('id')
    .where('state', '=', 'submitted')
    .execute()
  return rows.map((r) => r.id)
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  admin = await actorFor('nadia.khan@ncetm.example')
  viewer = await actorFor('oliver.grant@ncetm.example')
  hubLead = await actorFor('priya.shah@northvale.mathshub.example')
  noHubSchools = await eligibleSchools([NO_HUB_LA])
  servedSchool = KINGSMEAD_PRIMARY
  expect(noHubSchools.length).toBeGreaterThan(1)
})
afterAll(async () => {
  await database?.destroy()
})
beforeEach(() => {
  clock.set(NOW)
})

describe('an application from a school with no hub', () => {
  it('waits in the NCETM queue, not in any hub’s list, until an administrator passes it to a hub', async () => {
    const { id, email } = await submittedAt(noHubSchools[0]!)
    const submitted = await viewApplication(context(admin), id)
    expect(submitted.application.hubId).toBeNull()

    for (const hubId of HUBS) {
      const list = await listHubApplications(context(admin), hubId)
      expect(list.items.map((a) => a.id)).not.toContain(id)
    }
    const queue = (await viewRoutingQueue(context(viewer))).items
    expect(queue.map((q) => q.application.id)).toContain(id)
    expect(queue.find((q) => q.application.id === id)!.suggestedHub).toBeNull()

    // A hub's lead has no queue; a national viewer reads it but may not route.
    await expect(viewRoutingQueue(context(hubLead))).rejects.toBeInstanceOf(NotFoundError)
    await expect(routeApplication(context(viewer), id, { hubId: NORTHVALE })).rejects.toBeInstanceOf(
      NotFoundError,
    )
    await expect(routeApplication(context(hubLead), id, { hubId: NORTHVALE })).rejects.toBeInstanceOf(
      NotFoundError,
    )

    // A hub that does not exist is refused, and nothing changes.
    const outboxBefore = await database.db.selectFrom('outbox').select('id').execute()
    const refused = await routeApplication(context(admin), id, { hubId: 'no-such-hub' }).catch(
      (e: unknown) => e,
    )
    expect(refused).toBeInstanceOf(ValidationError)
    expect((refused as ValidationError).errors[0]).toMatchObject({ code: 'unknown', field: 'hubId' })
    const notAnId = await routeApplication(context(admin), id, { hubId: '<b>' }).catch((e: unknown) => e)
    expect(notAnId).toBeInstanceOf(ValidationError)
    expect((await database.db.selectFrom('outbox').select('id').execute()).length).toBe(outboxBefore.length)
    expect((await viewApplication(context(admin), id)).application.hubId).toBeNull()

    const routed = await routeApplication(context(admin), id, { hubId: NORTHVALE })
    expect(routed.hubId).toBe(NORTHVALE)
    expect((await listHubApplications(context(hubLead), NORTHVALE)).items.map((a) => a.id)).toContain(id)
    expect((await viewRoutingQueue(context(admin))).items.map((q) => q.application.id)).not.toContain(id)
    // The hub's lead now reads it.
    expect((await viewApplication(context(hubLead), id)).application.id).toBe(id)

    const history = await listHistory(database.db, id)
    expect(history.at(-1)).toMatchObject({
      event: 'route-to-hub',
      fromState: 'submitted',
      toState: 'submitted',
    })
    const audit = await database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'application.route-to-hub')
      .where('record_id', '=', String(id))
      .execute()
    expect(audit).toHaveLength(1)

    const emails = await database.db
      .selectFrom('outbox')
      .select(['template', 'to_address', 'body_text'])
      .where('template', 'in', ['application-routed', 'application-routed-hub'])
      .execute()
    expect(emails.find((e) => e.template === 'application-routed')?.to_address).toBe(email)
    const toLead = emails.find((e) => e.template === 'application-routed-hub')
    expect(toLead?.to_address).toBe('priya.shah@northvale.mathshub.example')
    expect(toLead?.body_text).toContain('Northvale Maths Hub')

    // Passed on once: a second try is refused.
    const again = await routeApplication(context(admin), id, { hubId: 'riverside-maths-hub' }).catch(
      (e: unknown) => e,
    )
    expect((again as ValidationError).errors[0]?.code).toBe('already-routed')
  })

  it('goes to the hub its area was given to after the school was chosen, at submission', async () => {
    const endorsed = await endorsedAt(noHubSchools[1]!)
    expect((await viewApplication(context(endorsed.teacher), endorsed.id)).application.hubId).toBeNull()
    await assignHubArea(context(admin), 'eastmoor-maths-hub', { laCode: NO_HUB_LA })
    try {
      const { application } = await submitApplication(context(endorsed.teacher), endorsed.id)
      expect(application.hubId).toBe('eastmoor-maths-hub')
      const receipt = await database.db
        .selectFrom('outbox')
        .select('body_text')
        .where('to_address', '=', endorsed.email)
        .where('template', '=', 'application-submitted')
        .executeTakeFirstOrThrow()
      expect(receipt.body_text).toContain('Eastmoor Maths Hub will assess it')
    } finally {
      await removeHubArea(context(admin), 'eastmoor-maths-hub', NO_HUB_LA)
    }
  })

  it('stays in the queue once submitted when the area is given to a hub later, with that hub suggested', async () => {
    const { id } = await submittedAt(noHubSchools[0]!)
    await assignHubArea(context(admin), 'riverside-maths-hub', { laCode: NO_HUB_LA })
    try {
      const queued = (await viewRoutingQueue(context(admin))).items.find((q) => q.application.id === id)
      expect(queued?.suggestedHub).toEqual({ id: 'riverside-maths-hub', name: 'Riverside Maths Hub' })
      // Not in the hub's list until an administrator passes it on.
      expect(
        (await listHubApplications(context(admin), 'riverside-maths-hub')).items.map((a) => a.id),
      ).not.toContain(id)
      await routeApplication(context(admin), id, { hubId: 'riverside-maths-hub' })
      expect(
        (await listHubApplications(context(admin), 'riverside-maths-hub')).items.map((a) => a.id),
      ).toContain(id)
    } finally {
      await removeHubArea(context(admin), 'riverside-maths-hub', NO_HUB_LA)
    }
  })
})

describe('no submitted application is ever lost', () => {
  type Step =
    | { kind: 'submit'; school: number }
    | { kind: 'start'; school: number }
    | { kind: 'finish' }
    | { kind: 'give-area'; hub: number }
    | { kind: 'take-area' }
    | { kind: 'route'; hub: number }

  it('is in some hub’s list or the routing queue, whatever schools, areas and routing do', async () => {
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('submit' as const), school: fc.nat(3) }),
      fc.record({ kind: fc.constant('start' as const), school: fc.nat(3) }),
      fc.record({ kind: fc.constant('finish' as const) }),
      fc.record({ kind: fc.constant('give-area' as const), hub: fc.nat(HUBS.length - 1) }),
      fc.record({ kind: fc.constant('take-area' as const) }),
      fc.record({ kind: fc.constant('route' as const), hub: fc.nat(HUBS.length - 1) }),
    )
    // Schools: two with no hub (unless their area is given to one), one Northvale serves.
    const schoolFor = (n: number) => (n % 3 === 2 ? servedSchool : noHubSchools[n % 2]!)
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const pending: { id: number; teacher: Actor }[] = []
        let areaHub: string | null = null
        try {
          for (const s of steps) {
            if (s.kind === 'submit') await submittedAt(schoolFor(s.school))
            else if (s.kind === 'start') pending.push(await endorsedAt(schoolFor(s.school)))
            else if (s.kind === 'finish') {
              const next = pending.shift()
              if (next) await submitApplication(context(next.teacher), next.id)
            } else if (s.kind === 'give-area') {
              areaHub = HUBS[s.hub]!
              await assignHubArea(context(admin), areaHub, { laCode: NO_HUB_LA })
            } else if (s.kind === 'take-area') {
              if (areaHub) await removeHubArea(context(admin), areaHub, NO_HUB_LA)
              areaHub = null
            } else {
              const first = (await viewRoutingQueue(context(admin))).items[0]
              if (first) await routeApplication(context(admin), first.application.id, { hubId: HUBS[s.hub]! })
            }
            const seen = await seenSomewhere()
            for (const id of await submittedIds())
              expect(seen.has(id), `application ${id} is lost`).toBe(true)
          }
        } finally {
          if (areaHub) await removeHubArea(context(admin), areaHub, NO_HUB_LA)
          // Drafts left over are withdrawn so the next run's teachers start afresh.
          for (const p of pending) {
            await database.db
              .updateTable('applications')
              .set({ state: 'withdrawn', withdrawn_at: clock.now() })
              .where('id', '=', p.id)
              .execute()
          }
        }
      }),
      { numRuns: 12 },
    )
  }, 240_000)
})
