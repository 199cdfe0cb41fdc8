// PD Lead accreditation on a real database: progress through NCETM's checklist ("1 of 3
// requirements met"), the award refused until every requirement is met and then recorded, a person
// already accredited recorded as such, the checklist added to, renamed and retired, and who may
// see or record what; each refusal says why and saves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cohortInputWith, ensureCohort } from '../../../../test/cohort-factory.ts'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { Actor } from '../../access/actor.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { startYearOne } from '../start-year-one.ts'
import {
  addDefaultRequirements,
  addRequirement,
  changeRequirement,
  listRequirements,
  retireRequirement,
} from './manage-requirements.ts'
import { recordAlreadyAccredited, recordAward, recordRequirementMet } from './record-accreditation.ts'
import { accreditationFor, isAccredited, viewAccreditation } from './view-accreditation.ts'

const clock = fixedClock('2026-07-01T10:00:00Z')
const HUB = 'northvale-maths-hub'
let database: TestDatabase
let admin: Actor
let hubLead: Actor
let hubAdmin: Actor
let otherLead: Actor
let cohortId: string
let n = 0

function context(actor: Actor): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'accreditation-test', baseUrl: 'http://localhost:3000' }
}

async function personWith(
  email: string,
  role: 'national-admin' | 'hub-lead' | 'hub-admin',
  hub: string | null,
) {
  const person = await database.db
    .insertInto('people')
    .values({ name: email, email })
    .returning('id')
    .executeTakeFirstOrThrow()
  await database.db.insertInto('grants').values({ person_id: person.id, role, hub_id: hub }).execute()
  return (await actorForPerson(database.db, person.id))!
}

async function specialist(): Promise<{ actor: Actor; participationId: number; personId: number }> {
  n += 1
  const db = database.db
  const person = await db
    .insertInto('people')
    .values({ name: `Specialist ${n}`, email: `s${n}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('grants')
    .values({ person_id: person.id, role: 'mastery-specialist', hub_id: HUB, cohort_id: cohortId })
    .execute()
  const application = await db
    .insertInto('applications')
    .values({
      reference: `MH-${String(n).padStart(8, '0')}`,
      cohort_id: cohortId,
      applicant_id: person.id,
      state: 'draft',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  const started = new Date('2025-10-01T09:00:00Z')
  const row = await db
    .insertInto('participations')
    .values({
      person_id: person.id,
      cohort_id: cohortId,
      application_id: application.id,
      hub_id: HUB,
      started_at: started,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.transaction().execute((tx) => startYearOne(tx, row.id, cohortId, started))
  return { actor: (await actorForPerson(db, person.id))!, participationId: row.id, personId: person.id }
}

const count = async (table: 'accreditation_requirements_met' | 'pd_lead_accreditations' | 'audit_events') =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
const counts = async () => ({
  met: await count('accreditation_requirements_met'),
  accreditations: await count('pd_lead_accreditations'),
  audit: await count('audit_events'),
})

async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ValidationError)
  return error as ValidationError
}

let requirementIds: number[]

beforeAll(async () => {
  database = await createTestDatabase()
  await database.db
    .insertInto('hubs')
    .values([
      { id: HUB, name: 'Northvale Maths Hub' },
      { id: 'other-maths-hub', name: 'Other Maths Hub' },
    ])
    .execute()
  admin = await personWith('admin@ncetm.example', 'national-admin', null)
  hubLead = await personWith('lead@northvale.example', 'hub-lead', HUB)
  hubAdmin = await personWith('admin@northvale.example', 'hub-admin', HUB)
  otherLead = await personWith('lead@other.example', 'hub-lead', 'other-maths-hub')
  cohortId = await ensureCohort(database.db, cohortInputWith({ number: 95 }))
  expect(await listRequirements(context(admin))).toEqual([])
  await addDefaultRequirements(context(admin))
  // A second time adds nothing.
  expect(await addDefaultRequirements(context(admin))).toEqual([])
  requirementIds = (await listRequirements(context(admin))).map((r) => r.id)
  expect(requirementIds).toHaveLength(3)
})

afterAll(async () => {
  await database?.destroy()
})

describe('progress and the award', () => {
  it('shows progress through the checklist and refuses the award until every requirement is met', async () => {
    const tess = await specialist()
    const start = await viewAccreditation(context(tess.actor), tess.participationId)
    expect(start.summary).toBe('0 of 3 requirements met')
    expect(start.requirements.map((r) => r.title)).toEqual([
      'Attended the PD Lead workshops',
      'Designed, led, reviewed and refined a PD programme',
      'Accreditation Evidence Document submitted',
    ])
    const [workshops, programme, evidence] = requirementIds as [number, number, number]
    const one = await recordRequirementMet(context(hubLead), tess.participationId, {
      requirementId: workshops,
      metOn: '2026-03-12',
    })
    expect(one.summary).toBe('1 of 3 requirements met')
    expect(one.requirements[0]!.met).toMatchObject({
      metOn: '2026-03-12',
      recordedByName: 'lead@northvale.example',
    })
    await recordRequirementMet(context(hubAdmin), tess.participationId, {
      requirementId: programme,
      metOn: '2026-05-20',
    })

    const before = await counts()
    const early = await refusal(
      recordAward(context(admin), tess.participationId, { awardedOn: '2026-06-30' }),
    )
    expect(early.errors).toEqual([
      {
        code: 'requirements-not-met',
        field: 'awardedOn',
        message:
          'Every requirement must be met before the award is recorded: still to meet ‘Accreditation Evidence Document submitted’',
      },
    ])
    expect((await accreditationFor(database.db, tess.participationId))!.awardRefusal).toBe(
      early.errors[0]!.message,
    )
    expect(await counts()).toEqual(before)
    expect(await isAccredited(database.db, tess.personId)).toBe(false)

    await recordRequirementMet(context(admin), tess.participationId, {
      requirementId: evidence,
      metOn: '2026-06-15',
    })
    const tooSoon = await refusal(
      recordAward(context(admin), tess.participationId, { awardedOn: '2026-06-01' }),
    )
    expect(tooSoon.errors[0]!.message).toBe(
      'The award date must be on or after 15 June 2026, when the last requirement was met',
    )
    const future = await refusal(
      recordAward(context(admin), tess.participationId, { awardedOn: '2026-07-02' }),
    )
    expect(future.errors[0]).toMatchObject({
      field: 'awardedOn',
      message: 'The date must be today or in the past',
    })
    // Only NCETM records the award: the hub lead is told it is not there.
    await expect(
      recordAward(context(hubLead), tess.participationId, { awardedOn: '2026-06-30' }),
    ).rejects.toBeInstanceOf(NotFoundError)

    const awarded = await recordAward(context(admin), tess.participationId, { awardedOn: '2026-06-30' })
    expect(awarded).toMatchObject({
      summary: '3 of 3 requirements met',
      accreditation: {
        kind: 'awarded',
        accreditedOn: '2026-06-30',
        source: null,
        participationId: tess.participationId,
      },
      awardRefusal: 'Already accredited since 30 June 2026',
    })
    expect(await isAccredited(database.db, tess.personId)).toBe(true)
    expect(await isAccredited(database.db, tess.personId, '2026-06-29')).toBe(false)
    const twice = await refusal(
      recordAward(context(admin), tess.participationId, { awardedOn: '2026-06-30' }),
    )
    expect(twice.errors[0]!.message).toBe('This person is already accredited')
    const actions = await database.db
      .selectFrom('audit_events')
      .select(['action', 'after'])
      .where('action', 'like', 'accreditation.%')
      .execute()
    expect(actions.map((a) => a.action)).toEqual([
      'accreditation.requirement-met',
      'accreditation.requirement-met',
      'accreditation.requirement-met',
      'accreditation.award',
    ])
  })

  it('refuses a requirement recorded twice, in the future or not on the checklist, and by the wrong people', async () => {
    const tess = await specialist()
    const [workshops] = requirementIds as [number]
    await recordRequirementMet(context(hubLead), tess.participationId, {
      requirementId: workshops,
      metOn: '2026-03-12',
    })
    const before = await counts()
    const twice = await refusal(
      recordRequirementMet(context(admin), tess.participationId, {
        requirementId: workshops,
        metOn: '2026-03-13',
      }),
    )
    expect(twice.errors[0]).toMatchObject({
      field: 'requirementId',
      message: 'This requirement is already recorded as met',
    })
    const future = await refusal(
      recordRequirementMet(context(admin), tess.participationId, {
        requirementId: requirementIds[1],
        metOn: '2026-07-02',
      }),
    )
    expect(future.errors[0]).toMatchObject({
      field: 'metOn',
      message: 'The date must be today or in the past',
    })
    const unknown = await refusal(
      recordRequirementMet(context(admin), tess.participationId, {
        requirementId: 999_999,
        metOn: '2026-03-12',
      }),
    )
    expect(unknown.errors[0]).toMatchObject({
      field: 'requirementId',
      message: 'Select a requirement on the checklist',
    })
    const noDate = await refusal(
      recordRequirementMet(context(admin), tess.participationId, { requirementId: requirementIds[1] }),
    )
    expect(noDate.errors[0]).toMatchObject({
      field: 'metOn',
      message: 'Enter the date the requirement was met',
    })
    // The specialist themself and another hub's lead are told it is not there.
    for (const actor of [tess.actor, otherLead]) {
      await expect(
        recordRequirementMet(context(actor), tess.participationId, {
          requirementId: requirementIds[1],
          metOn: '2026-03-12',
        }),
      ).rejects.toBeInstanceOf(NotFoundError)
    }
    await expect(viewAccreditation(context(otherLead), tess.participationId)).rejects.toBeInstanceOf(
      NotFoundError,
    )
    await expect(
      viewAccreditation(context((await specialist()).actor), tess.participationId),
    ).rejects.toBeInstanceOf(NotFoundError)
    expect(await counts()).toEqual(before)
  })

  it('records one of two at the same moment and refuses the other plainly', async () => {
    const tess = await specialist()
    const results = await Promise.allSettled([
      recordRequirementMet(context(admin), tess.participationId, {
        requirementId: requirementIds[2],
        metOn: '2026-04-01',
      }),
      recordRequirementMet(context(hubLead), tess.participationId, {
        requirementId: requirementIds[2],
        metOn: '2026-04-01',
      }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toBeInstanceOf(ValidationError)
    expect(String(refused.reason.message)).toBe('This requirement is already recorded as met')
  })
})

describe('already accredited', () => {
  it('records a person already accredited, with the date and where it came from', async () => {
    const sam = await specialist()
    const before = await counts()
    const noSource = await refusal(
      recordAlreadyAccredited(context(admin), sam.participationId, {
        accreditedOn: '2019-07-01',
        source: '',
      }),
    )
    expect(noSource.errors[0]).toMatchObject({
      field: 'source',
      message: 'Enter where the accreditation came from',
    })
    await expect(
      recordAlreadyAccredited(context(hubLead), sam.participationId, {
        accreditedOn: '2019-07-01',
        source: 'x',
      }),
    ).rejects.toBeInstanceOf(NotFoundError)
    expect(await counts()).toEqual(before)
    const recorded = await recordAlreadyAccredited(context(admin), sam.participationId, {
      accreditedOn: '2019-07-01',
      source: 'NCETM Accredited Secondary PD Lead, 2018/19 programme',
    })
    expect(recorded.accreditation).toMatchObject({
      kind: 'already-accredited',
      accreditedOn: '2019-07-01',
      source: 'NCETM Accredited Secondary PD Lead, 2018/19 programme',
      recordedByName: 'admin@ncetm.example',
    })
    expect(recorded.summary).toBe('0 of 3 requirements met')
    expect(recorded.awardRefusal).toBe('Already accredited since 1 July 2019')
    expect(await isAccredited(database.db, sam.personId, '2026-09-01')).toBe(true)
    const again = await refusal(
      recordAlreadyAccredited(context(admin), sam.participationId, {
        accreditedOn: '2020-01-01',
        source: 'Again',
      }),
    )
    expect(again.errors[0]!.message).toBe('This person is already accredited')
    const audit = JSON.stringify(
      await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'accreditation.already-accredited')
        .execute(),
    )
    expect(audit).not.toContain('Secondary PD Lead')
  })
})

describe('the checklist', () => {
  it('is added to, renamed and retired by NCETM only, changing everyone’s progress', async () => {
    const tess = await specialist()
    await expect(listRequirements(context(hubLead))).rejects.toBeInstanceOf(NotFoundError)
    await expect(addRequirement(context(hubLead), { title: 'Something' })).rejects.toBeInstanceOf(
      NotFoundError,
    )
    const added = await addRequirement(context(admin), {
      title: 'Led a pilot collaborative lesson observation workshop',
      programmeId: 'primary-mastery-specialist',
    })
    expect(added).toMatchObject({ programmeId: 'primary-mastery-specialist', retiredAt: null })
    expect((await accreditationFor(database.db, tess.participationId))!.summary).toBe(
      '0 of 4 requirements met',
    )
    const duplicate = await refusal(
      addRequirement(context(admin), { title: 'ATTENDED THE PD LEAD WORKSHOPS', programmeId: '' }),
    )
    expect(duplicate.errors[0]).toMatchObject({
      field: 'title',
      message: 'There is already a requirement with this name',
    })
    const noProgramme = await refusal(addRequirement(context(admin), { title: 'New', programmeId: 'nope' }))
    expect(noProgramme.errors[0]!.field).toBe('programmeId')
    const renamed = await changeRequirement(context(admin), added.id, { title: 'Led the pilot workshop' })
    expect(renamed.title).toBe('Led the pilot workshop')
    await recordRequirementMet(context(admin), tess.participationId, {
      requirementId: added.id,
      metOn: '2026-06-01',
    })
    expect((await accreditationFor(database.db, tess.participationId))!.summary).toBe(
      '1 of 4 requirements met',
    )
    await retireRequirement(context(admin), added.id)
    // Retired: no longer counted, but what was recorded is kept.
    expect((await accreditationFor(database.db, tess.participationId))!.summary).toBe(
      '0 of 3 requirements met',
    )
    expect(await count('accreditation_requirements_met')).toBeGreaterThan(0)
    const retiredAgain = await refusal(retireRequirement(context(admin), added.id))
    expect(retiredAgain.errors[0]!.message).toBe('This requirement has been retired')
    const list = await listRequirements(context(admin))
    expect(list.at(-1)).toMatchObject({ id: added.id, title: 'Led the pilot workshop' })
    expect(list.at(-1)!.retiredAt).not.toBeNull()
    const actions = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('record_type', '=', 'accreditation-requirement')
      .where('record_id', '=', String(added.id))
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual([
      'accreditation-requirement.add',
      'accreditation-requirement.rename',
      'accreditation-requirement.retire',
    ])
  })
})
