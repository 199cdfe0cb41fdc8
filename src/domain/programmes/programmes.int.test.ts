import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cohortInputWith, primaryCohortInput } from '../../../test/cohort-factory.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { ValidationError, NotFoundError } from '../../errors.ts'
import { fixedClock } from '../../lib/clock.ts'
import { formatUkDateTime } from '../../lib/uk-time.ts'
import { actorForPerson } from '../access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../access/actor.ts'
import { rowTransactionId } from '../audit/audit.ts'
import type { UseCaseContext } from '../use-case.ts'
import { PRIMARY_PHASES, SECONDARY_PHASES } from './eligibility.ts'
import { createCohort, updateCohortDetails } from './manage-cohorts.ts'
import { listInterest } from './programmes.repository.ts'
import { registerInterest } from './opening-notices.ts'
import { viewCohort, viewProgramme, viewProgrammes } from './view-programmes.ts'

const clock = fixedClock('2024-11-01T10:00:00Z')
let database: TestDatabase
let admin: Actor
let hubLead: Actor

async function personWith(
  email: string,
  grant: { role: 'national-admin' } | { role: 'hub-lead'; hub: string },
) {
  const db = database.db
  const person = await db
    .insertInto('people')
    .values({ name: email.split('@')[0]!, email })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('grants')
    .values({ person_id: person.id, role: grant.role, hub_id: grant.role === 'hub-lead' ? grant.hub : null })
    .execute()
  return (await actorForPerson(db, person.id))!
}

function context(actor: Actor = admin): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'programmes-test', baseUrl: 'http://localhost:3000' }
}

/** The problems a rejected call names, as {field: code}. */
async function refusal(work: Promise<unknown>): Promise<Record<string, string>> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`)
  return Object.fromEntries(error.errors.map((e) => [e.field, e.code]))
}

beforeAll(async () => {
  database = await createTestDatabase()
  await database.db
    .insertInto('hubs')
    .values({ id: 'northvale-maths-hub', name: 'Northvale Maths Hub' })
    .execute()
  admin = await personWith('nadia.khan@ncetm.example', { role: 'national-admin' })
  hubLead = await personWith('priya.shah@northvale.mathshub.example', {
    role: 'hub-lead',
    hub: 'northvale-maths-hub',
  })
})
afterAll(async () => {
  await database?.destroy()
})

describe('the programme catalogue', () => {
  it('is seeded with the nine programmes, in order, with the phases each serves', async () => {
    const programmes = await viewProgrammes(context(ANONYMOUS))
    expect(programmes.map((p) => p.id)).toEqual([
      'primary-mastery-specialist',
      'secondary-mastery-specialist',
      'readiness-work-group',
      'primary-development-work-group',
      'secondary-development-work-group',
      'special-schools-work-group',
      'embedding-work-group',
      'sustaining-work-group',
      'pd-lead-accreditation',
    ])
    const byId = Object.fromEntries(programmes.map((p) => [p.id, p]))
    expect(byId['primary-mastery-specialist']!.phases).toEqual([...PRIMARY_PHASES])
    expect(byId['secondary-mastery-specialist']!.phases).toEqual([...SECONDARY_PHASES])
    expect(byId['secondary-development-work-group']!.phases).toEqual([...SECONDARY_PHASES])
    expect(byId['special-schools-work-group']!.specialSchoolsOnly).toBe(true)
    for (const p of programmes) {
      expect(p.description.length, p.id).toBeGreaterThan(50)
      expect(p.yearStructure.length, p.id).toBeGreaterThan(0)
      expect(
        p.yearStructure.map((y) => y.year),
        p.id,
      ).toEqual(p.yearStructure.map((_, i) => i + 1))
    }
    expect(byId['primary-mastery-specialist']!.yearStructure[0]!.summary).toMatch(
      /three two-day residentials/,
    )
  })

  it('answers "not found" for a programme or cohort that does not exist', async () => {
    await expect(viewProgramme(context(), 'no-such-programme')).rejects.toBeInstanceOf(NotFoundError)
    await expect(viewCohort(context(), 'no-such-cohort-1')).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('setting up a cohort', () => {
  it('stores the example cohort as entered, in UK time, and audits it in the same transaction', async () => {
    const cohort = await createCohort(context(), primaryCohortInput())
    expect(cohort).toMatchObject({
      id: 'primary-mastery-specialist-11',
      programmeId: 'primary-mastery-specialist',
      programmeName: 'Primary Mastery Specialist Programme',
      number: 11,
      developmentYear: '2025/26',
      decisionsReleasedOn: '2025-06-13',
      funding: { releaseDaysPerYear: 15, dayRatePence: 20_000, bursaryPence: 0 },
    })
    // Both ends of the window are in GMT: 9am and 5pm UK time are 9am and 5pm UTC.
    expect(cohort.opensAt.toISOString()).toBe('2024-12-02T09:00:00.000Z')
    expect(cohort.closesAt.toISOString()).toBe('2025-03-14T17:00:00.000Z')
    expect(formatUkDateTime(cohort.closesAt)).toBe('5pm on 14 March 2025')
    expect(cohort.essentialCriteria[0]).toEqual({
      id: 'qts',
      text: 'Qualified Teacher Status',
      evidence: 'Your Teacher Reference Number',
      wordLimit: null,
    })
    expect(cohort.residentials.map((r) => [r.startsOn, r.endsOn])).toEqual([
      ['2025-11-12', '2025-11-13'],
      ['2026-03-11', '2026-03-12'],
      ['2026-06-17', '2026-06-18'],
    ])
    const audit = await database.db
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ action: 'cohort.create', record_type: 'cohort', record_id: cohort.id })
    expect(await rowTransactionId(database.db, 'cohorts', { column: 'id', value: cohort.id })).toBe(
      Number(audit.transaction_id),
    )
    expect(
      (await viewProgramme(context(ANONYMOUS), 'primary-mastery-specialist')).cohorts.map((c) => c.id),
    ).toEqual(['primary-mastery-specialist-11'])
  })

  it('is for national administrators only: anyone else is told there is no such thing', async () => {
    for (const actor of [hubLead, ANONYMOUS]) {
      await expect(createCohort(context(actor), cohortInputWith({ number: 90 }))).rejects.toBeInstanceOf(
        NotFoundError,
      )
      await expect(
        updateCohortDetails(context(actor), 'primary-mastery-specialist-11', primaryCohortInput()),
      ).rejects.toBeInstanceOf(NotFoundError)
    }
    const rows = await database.db.selectFrom('cohorts').select('id').where('number', '=', 90).execute()
    expect(rows).toEqual([])
  })

  it('refuses a second cohort with the same number, and an unknown programme', async () => {
    expect(await refusal(createCohort(context(), primaryCohortInput()))).toEqual({ number: 'duplicate' })
    expect(
      await refusal(createCohort(context(), cohortInputWith({ programmeId: 'no-such-programme' }))),
    ).toEqual({
      programmeId: 'unknown',
    })
  })

  it('checks the order of the dates, naming each field', async () => {
    // Closing before opening, and at the same instant.
    expect(
      await refusal(
        createCohort(
          context(),
          cohortInputWith({ number: 12, closesAt: { day: 1, month: 12, year: 2024, hour: 17, minute: 0 } }),
        ),
      ),
    ).toEqual({ closesAt: 'out-of-order' })
    expect(
      await refusal(
        createCohort(
          context(),
          cohortInputWith({ number: 12, closesAt: { day: 2, month: 12, year: 2024, hour: 9, minute: 0 } }),
        ),
      ),
    ).toMatchObject({ closesAt: 'out-of-order' })
    // Decisions on the closing day rather than after it.
    expect(
      await refusal(
        createCohort(
          context(),
          cohortInputWith({ number: 12, decisionsReleasedOn: { day: 14, month: 3, year: 2025 } }),
        ),
      ),
    ).toEqual({ decisionsReleasedOn: 'out-of-order' })
    // Residentials: the first before decisions, the third before the second ends, one ending before it starts.
    const [first, second, third] = primaryCohortInput().residentials
    expect(
      await refusal(
        createCohort(
          context(),
          cohortInputWith({
            number: 12,
            residentials: [
              {
                ...first!,
                startsOn: { day: 1, month: 6, year: 2025 },
                endsOn: { day: 2, month: 6, year: 2025 },
              },
              { ...second!, endsOn: { day: 10, month: 3, year: 2026 } },
              { ...third!, startsOn: { day: 10, month: 3, year: 2026 } },
            ],
          }),
        ),
      ),
    ).toEqual({
      'residentials.0.startsOn': 'out-of-order',
      'residentials.1.endsOn': 'out-of-order',
      'residentials.2.startsOn': 'out-of-order',
    })
  })

  it('refuses dates that do not exist and parts left out, with GOV.UK messages', async () => {
    const error = await createCohort(
      context(),
      cohortInputWith({
        number: 12,
        opensAt: { day: 30, month: 2, year: 2025, hour: 9, minute: 0 },
        closesAt: { day: 14, month: 3, year: 2025, hour: 25, minute: 0 },
      }),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).errors).toEqual([
      { code: 'invalid', field: 'opensAt', message: 'The date applications open must be a real date' },
      { code: 'invalid', field: 'closesAt', message: 'The time applications close must be a real time' },
    ])
    const noDay = Object.fromEntries(
      Object.entries(primaryCohortInput().opensAt).filter(([k]) => k !== 'day'),
    )
    const missing = await createCohort(context(), {
      ...cohortInputWith({ number: 12 }),
      opensAt: noDay,
      funding: undefined,
    }).catch((e: unknown) => e)
    expect((missing as ValidationError).errors).toEqual([
      { code: 'invalid', field: 'opensAt.day', message: 'The date applications open must include a day' },
      { code: 'invalid', field: 'funding', message: 'Enter the funding' },
    ])
    expect(
      await refusal(
        createCohort(context(), {
          ...cohortInputWith({ number: 12, developmentYear: '2025/27' }),
          desirableCriteria: [{ id: 'qts', text: 'Again', evidence: 'Again', wordLimit: 100 }],
        }),
      ),
    ).toEqual({ developmentYear: 'invalid' })
    expect(
      await refusal(
        createCohort(
          context(),
          cohortInputWith({
            number: 12,
            desirableCriteria: [{ id: 'qts', text: 'Again', evidence: 'Again', wordLimit: 100 }],
          }),
        ),
      ),
    ).toEqual({ 'desirableCriteria.0.id': 'duplicate' })
    expect(await database.db.selectFrom('cohorts').select('id').where('number', '=', 12).execute()).toEqual(
      [],
    )
  })

  it('keeps the window the right way round in the database too', async () => {
    await expect(
      database.db
        .updateTable('cohorts')
        .set({ closes_at: new Date('2024-01-01T00:00:00Z') })
        .where('id', '=', 'primary-mastery-specialist-11')
        .execute(),
    ).rejects.toThrow(/check/i)
  })

  it('changes a cohort, auditing before and after', async () => {
    const changed = await updateCohortDetails(context(), 'primary-mastery-specialist-11', {
      ...primaryCohortInput(),
      closesAt: { day: 21, month: 3, year: 2025, hour: 12, minute: 0 },
    })
    expect(formatUkDateTime(changed.closesAt)).toBe('midday on 21 March 2025')
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'before', 'after'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(audit).toMatchObject({
      action: 'cohort.update',
      before: { closesAt: '2025-03-14T17:00:00.000Z' },
      after: { closesAt: '2025-03-21T12:00:00.000Z' },
    })
    await updateCohortDetails(context(), 'primary-mastery-specialist-11', primaryCohortInput())
    await expect(
      updateCohortDetails(context(), 'no-such-cohort-1', primaryCohortInput()),
    ).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('where a cohort’s window stands, by the clock', () => {
  async function statusAt(id: string, instant: string) {
    clock.set(instant)
    return (await viewCohort(context(ANONYMOUS), id)).status
  }

  it('opens at its opening instant and closes at 5pm GMT on 14 March 2025', async () => {
    const id = 'primary-mastery-specialist-11'
    expect(await statusAt(id, '2024-12-02T08:59:59.999Z')).toBe('upcoming')
    expect(await statusAt(id, '2024-12-02T09:00:00.000Z')).toBe('open')
    expect(await statusAt(id, '2025-03-14T16:59:59.999Z')).toBe('open')
    expect(await statusAt(id, '2025-03-14T17:00:00.000Z')).toBe('closed')
  })

  it('closes at 5pm BST on 12 June 2025, which is 4pm UTC', async () => {
    const bst = await createCohort(
      context(),
      cohortInputWith({
        programmeId: 'secondary-mastery-specialist',
        number: 10,
        opensAt: { day: 1, month: 4, year: 2025, hour: 9, minute: 0 },
        closesAt: { day: 12, month: 6, year: 2025, hour: 17, minute: 0 },
        decisionsReleasedOn: { day: 4, month: 7, year: 2025 },
        residentials: [],
      }),
    )
    expect(bst.opensAt.toISOString()).toBe('2025-04-01T08:00:00.000Z')
    expect(bst.closesAt.toISOString()).toBe('2025-06-12T16:00:00.000Z')
    expect(formatUkDateTime(bst.closesAt)).toBe('5pm on 12 June 2025')
    expect(await statusAt(bst.id, '2025-04-01T07:59:59.999Z')).toBe('upcoming')
    expect(await statusAt(bst.id, '2025-04-01T08:00:00.000Z')).toBe('open')
    expect(await statusAt(bst.id, '2025-06-12T15:59:59.999Z')).toBe('open')
    expect(await statusAt(bst.id, '2025-06-12T16:00:00.000Z')).toBe('closed')
    // 4:30pm UTC would still be before "5pm" if the time were wrongly read as UTC.
    expect(await statusAt(bst.id, '2025-06-12T16:30:00.000Z')).toBe('closed')
  })
})

describe('"tell me when it opens"', () => {
  it('records an address once, whatever its case, for a cohort not yet open', async () => {
    clock.set('2025-09-01T10:00:00Z')
    const upcoming = await createCohort(
      context(),
      cohortInputWith({
        number: 12,
        developmentYear: '2026/27',
        opensAt: { day: 1, month: 12, year: 2025, hour: 9, minute: 0 },
        closesAt: { day: 13, month: 3, year: 2026, hour: 17, minute: 0 },
        decisionsReleasedOn: { day: 12, month: 6, year: 2026 },
        residentials: [],
      }),
    )
    expect((await viewCohort(context(ANONYMOUS), upcoming.id)).status).toBe('upcoming')
    const auditsBefore = await database.db.selectFrom('audit_events').select('id').execute()
    expect(
      await registerInterest(context(ANONYMOUS), upcoming.id, { email: ' Jo.Bloggs@School.example ' }),
    ).toEqual({
      confirmed: false,
    })
    expect(
      await registerInterest(context(ANONYMOUS), upcoming.id, { email: 'jo.bloggs@school.example' }),
    ).toEqual({
      confirmed: false,
    })
    expect((await listInterest(database.db, upcoming.id)).map((i) => i.email)).toEqual([
      'Jo.Bloggs@School.example',
    ])
    const auditsAfter = await database.db
      .selectFrom('audit_events')
      .select(['id', 'action', 'after'])
      .execute()
    expect(auditsAfter.length).toBe(auditsBefore.length + 1)
    expect(JSON.stringify(auditsAfter.at(-1))).not.toMatch(/bloggs/i)
  })

  it('refuses a malformed address, and a cohort that is open or closed', async () => {
    clock.set('2025-09-01T10:00:00Z')
    expect(
      await refusal(registerInterest(context(ANONYMOUS), 'primary-mastery-specialist-12', { email: 'jo@' })),
    ).toEqual({ email: 'invalid' })
    expect(await refusal(registerInterest(context(ANONYMOUS), 'primary-mastery-specialist-12', {}))).toEqual({
      email: 'invalid',
    })
    expect(
      await refusal(
        registerInterest(context(ANONYMOUS), 'primary-mastery-specialist-11', { email: 'jo@school.example' }),
      ),
    ).toEqual({ cohort: 'cohort-closed' })
    clock.set('2025-12-01T09:00:00Z')
    expect(
      await refusal(
        registerInterest(context(ANONYMOUS), 'primary-mastery-specialist-12', {
          email: 'new@school.example',
        }),
      ),
    ).toEqual({ cohort: 'cohort-open' })
    await expect(
      registerInterest(context(ANONYMOUS), 'no-such-cohort-1', { email: 'jo@school.example' }),
    ).rejects.toBeInstanceOf(NotFoundError)
  })
})
