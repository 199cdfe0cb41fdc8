// SQL for PD Lead accreditation: the checklist of requirements (for every programme or one), the
// requirements each person has met, and each person's accreditation (at most one, held so by its
// primary key). Clashes the database refuses (two requirements of one name, a requirement recorded
// twice, two accreditations) end as plain ValidationErrors.
import type { Executor, Tx } from '../../../db/database.ts'
import { databaseErrorIn } from '../../../db/database-errors.ts'
import type { AccreditationKind } from '../../../db/schema.ts'
import { ValidationError } from '../../../errors.ts'

export interface Requirement {
  id: number
  programmeId: string | null
  title: string
  position: number
  retiredAt: Date | null
}

const REQUIREMENT_COLUMNS = ['id', 'programme_id', 'title', 'position', 'retired_at'] as const

function toRequirement(r: {
  id: number
  programme_id: string | null
  title: string
  position: number
  retired_at: Date | null
}): Requirement {
  return {
    id: Number(r.id),
    programmeId: r.programme_id,
    title: r.title,
    position: Number(r.position),
    retiredAt: r.retired_at,
  }
}

/** Every requirement, retired ones last, for NCETM's checklist page. */
export async function allRequirements(db: Executor): Promise<Requirement[]> {
  const rows = await db
    .selectFrom('accreditation_requirements')
    .select(REQUIREMENT_COLUMNS)
    .orderBy((eb) => eb('retired_at', 'is not', null))
    .orderBy('position')
    .orderBy('id')
    .execute()
  return rows.map(toRequirement)
}

/** The current requirements for a programme: those for every programme and its own. */
export async function currentRequirements(db: Executor, programmeId: string): Promise<Requirement[]> {
  const rows = await db
    .selectFrom('accreditation_requirements')
    .select(REQUIREMENT_COLUMNS)
    .where('retired_at', 'is', null)
    .where((eb) => eb.or([eb('programme_id', 'is', null), eb('programme_id', '=', programmeId)]))
    .orderBy('position')
    .orderBy('id')
    .execute()
  return rows.map(toRequirement)
}

export async function findRequirement(
  db: Executor,
  id: number,
  { forUpdate = false } = {},
): Promise<Requirement | undefined> {
  let query = db.selectFrom('accreditation_requirements').select(REQUIREMENT_COLUMNS).where('id', '=', id)
  if (forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row ? toRequirement(row) : undefined
}

export const titleTaken = () =>
  new ValidationError([
    { code: 'duplicate', field: 'title', message: 'There is already a requirement with this name' },
  ])

function clashOn(error: unknown, constraint: string): boolean {
  const e = databaseErrorIn(error)
  return e?.code === '23505' && e.constraint === constraint
}

export async function insertRequirement(
  tx: Tx,
  values: { programmeId: string | null; title: string; by: number | null; now: Date },
): Promise<number> {
  const last = await tx
    .selectFrom('accreditation_requirements')
    .select((eb) => eb.fn.max('position').as('position'))
    .executeTakeFirst()
  try {
    const row = await tx
      .insertInto('accreditation_requirements')
      .values({
        programme_id: values.programmeId,
        title: values.title,
        position: Number(last?.position ?? 0) + 1,
        created_by: values.by,
        created_at: values.now,
        updated_at: values.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  } catch (error) {
    if (clashOn(error, 'accreditation_requirements_title')) throw titleTaken()
    throw error
  }
}

export async function renameRequirement(tx: Tx, id: number, title: string, now: Date): Promise<void> {
  try {
    await tx
      .updateTable('accreditation_requirements')
      .set({ title, updated_at: now })
      .where('id', '=', id)
      .execute()
  } catch (error) {
    if (clashOn(error, 'accreditation_requirements_title')) throw titleTaken()
    throw error
  }
}

export async function markRetired(tx: Tx, id: number, by: number | null, now: Date): Promise<void> {
  await tx
    .updateTable('accreditation_requirements')
    .set({ retired_at: now, retired_by: by, updated_at: now })
    .where('id', '=', id)
    .execute()
}

export async function titleInUse(
  db: Executor,
  programmeId: string | null,
  title: string,
  exceptId?: number,
): Promise<boolean> {
  let query = db
    .selectFrom('accreditation_requirements')
    .select('id')
    .where('retired_at', 'is', null)
    .where((eb) => eb(eb.fn('lower', ['title']), '=', title.toLowerCase()))
  query =
    programmeId === null
      ? query.where('programme_id', 'is', null)
      : query.where('programme_id', '=', programmeId)
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId)
  return (await query.executeTakeFirst()) !== undefined
}

export interface MetRecord {
  requirementId: number
  /** YYYY-MM-DD */
  metOn: string
  recordedByName: string | null
  recordedAt: Date
}

export async function metRecords(db: Executor, personId: number): Promise<Map<number, MetRecord>> {
  const rows = await db
    .selectFrom('accreditation_requirements_met as m')
    .leftJoin('people as recorder', 'recorder.id', 'm.recorded_by')
    .select(['m.requirement_id', 'm.met_on', 'recorder.name as recorder_name', 'm.recorded_at'])
    .where('m.person_id', '=', personId)
    .execute()
  return new Map(
    rows.map((r) => [
      Number(r.requirement_id),
      {
        requirementId: Number(r.requirement_id),
        metOn: r.met_on,
        recordedByName: r.recorder_name,
        recordedAt: r.recorded_at,
      },
    ]),
  )
}

export const alreadyMet = () =>
  new ValidationError([
    { code: 'already-met', field: 'requirementId', message: 'This requirement is already recorded as met' },
  ])

export async function insertMet(
  tx: Tx,
  values: {
    personId: number
    requirementId: number
    participationId: number
    metOn: string
    by: number | null
    now: Date
  },
): Promise<number> {
  try {
    const row = await tx
      .insertInto('accreditation_requirements_met')
      .values({
        person_id: values.personId,
        requirement_id: values.requirementId,
        participation_id: values.participationId,
        met_on: values.metOn,
        recorded_by: values.by,
        recorded_at: values.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  } catch (error) {
    if (clashOn(error, 'accreditation_requirements_met_once')) throw alreadyMet()
    throw error
  }
}

export interface Accreditation {
  personId: number
  kind: AccreditationKind
  /** YYYY-MM-DD */
  accreditedOn: string
  /** Where an existing accreditation came from; null for one awarded here. */
  source: string | null
  /** The participation it was awarded through, or recorded through. */
  participationId: number | null
  recordedByName: string | null
  recordedAt: Date
}

export async function accreditationOf(db: Executor, personId: number): Promise<Accreditation | undefined> {
  const row = await db
    .selectFrom('pd_lead_accreditations as a')
    .leftJoin('people as recorder', 'recorder.id', 'a.recorded_by')
    .select([
      'a.person_id',
      'a.kind',
      'a.accredited_on',
      'a.source',
      'a.participation_id',
      'recorder.name as recorder_name',
      'a.recorded_at',
    ])
    .where('a.person_id', '=', personId)
    .executeTakeFirst()
  return row
    ? {
        personId: Number(row.person_id),
        kind: row.kind,
        accreditedOn: row.accredited_on,
        source: row.source,
        participationId: row.participation_id === null ? null : Number(row.participation_id),
        recordedByName: row.recorder_name,
        recordedAt: row.recorded_at,
      }
    : undefined
}

export const alreadyAccredited = () =>
  new ValidationError([
    { code: 'already-accredited', field: 'accreditation', message: 'This person is already accredited' },
  ])

export async function insertAccreditation(
  tx: Tx,
  values: {
    personId: number
    kind: AccreditationKind
    accreditedOn: string
    source: string | null
    participationId: number
    by: number | null
    now: Date
  },
): Promise<void> {
  try {
    await tx
      .insertInto('pd_lead_accreditations')
      .values({
        person_id: values.personId,
        kind: values.kind,
        accredited_on: values.accreditedOn,
        source: values.source,
        participation_id: values.participationId,
        recorded_by: values.by,
        recorded_at: values.now,
      })
      .execute()
  } catch (error) {
    if (clashOn(error, 'pd_lead_accreditations_pkey')) throw alreadyAccredited()
    throw error
  }
}
