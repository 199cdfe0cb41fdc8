// Use-cases for national administrators: set up a programme's cohort, and change it. The
// application window is entered as UK wall-clock date and time parts (as in a GOV.UK date input)
// and stored as instants; every date is checked against the others, and each problem names its field.
import { z } from 'zod'
import { NotFoundError, ValidationError, type FieldError } from '../../errors.ts'
import { isPlainText } from '../../lib/text.ts'
import { parseUkDateTime, toUkWallClock, type UkWallClock } from '../../lib/uk-time.ts'
import { planCohortResidentials } from '../events/scheduling/cohort-residentials.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { canManageCohorts } from './programmes.policy.ts'
import {
  cohortId,
  findCohort,
  findProgramme,
  insertCohort,
  listCohorts,
  updateCohort,
  type Cohort,
  type CohortValues,
  type Programme,
} from './programmes.repository.ts'

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** A date part: a whole number, or missing ("must include a day"). Ranges are checked with the date. */
const part = (missing: string, invalid: string) =>
  z.number({ error: (issue) => (issue.input === undefined ? missing : invalid) }).int(invalid)

/** A date as day, month and year: "the date decisions are released". */
const dateParts = (what: string) =>
  z.object(
    {
      day: part(`The date ${what} must include a day`, `The date ${what} must be a real date`),
      month: part(`The date ${what} must include a month`, `The date ${what} must be a real date`),
      year: part(`The date ${what} must include a year`, `The date ${what} must be a real date`),
    },
    { error: `Enter the date ${what}` },
  )

/** A UK date and time as parts: "applications open". */
const dateTimeParts = (what: string) =>
  z.object(
    {
      day: part(`The date ${what} must include a day`, `The date ${what} must be a real date`),
      month: part(`The date ${what} must include a month`, `The date ${what} must be a real date`),
      year: part(`The date ${what} must include a year`, `The date ${what} must be a real date`),
      hour: part(`The time ${what} must include an hour`, `The time ${what} must be a real time`),
      minute: part(`The time ${what} must include minutes`, `The time ${what} must be a real time`),
    },
    { error: `Enter the date and time ${what}` },
  )

const text = (max: number, missing: string, tooLong: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(max, tooLong)
    .refine(isPlainText, { message: missing.replace(/^Enter/, 'Enter only text for') })

const criterion = z.object({
  id: z
    .string({ error: 'Enter an id for the criterion, like qts' })
    .regex(SLUG, 'A criterion’s id must be lower-case words joined by hyphens, like qts')
    .max(60, 'A criterion’s id must be 60 characters or fewer'),
  text: text(500, 'Enter the criterion', 'A criterion must be 500 characters or fewer'),
  evidence: text(300, 'Enter the evidence asked for', 'Evidence must be 300 characters or fewer'),
  wordLimit: z
    .number({ error: 'Word limit must be a whole number' })
    .int('Word limit must be a whole number')
    .min(1, 'Word limit must be from 1 to 2000')
    .max(2000, 'Word limit must be from 1 to 2000')
    .nullable()
    .default(null)
    .describe('The most words a written answer may use; null where none is asked for'),
})

const residential = z.object({
  name: text(100, 'Enter the residential’s name', 'A residential’s name must be 100 characters or fewer'),
  startsOn: dateParts('the residential starts'),
  endsOn: dateParts('the residential ends'),
  subjectToConfirmation: z
    .boolean({ error: 'Say whether the dates are subject to confirmation' })
    .default(false),
})

const pence = (what: string) =>
  z
    .number({ error: `Enter the ${what} in pence` })
    .int(`The ${what} must be a whole number of pence`)
    .min(0, `The ${what} must be 0 or more`)
    .max(10_000_000, `The ${what} must be £100,000 or less`)

/** The cohort's details that may change after it is set up. */
export const cohortChangesInput = z.object({
  developmentYear: z
    .string({ error: 'Enter the development year, like 2025/26' })
    .trim()
    .regex(/^\d{4}\/\d{2}$/, 'Enter the development year like 2025/26')
    .refine(
      (v) => Number(v.slice(5)) === (Number(v.slice(0, 4)) + 1) % 100,
      'The development year must be one academic year, like 2025/26',
    )
    .describe('The academic year of the development year, like 2025/26'),
  opensAt: dateTimeParts('applications open').describe('When applications open, in UK time'),
  closesAt: dateTimeParts('applications close').describe('When applications close, in UK time'),
  decisionsReleasedOn: dateParts('decisions are released'),
  essentialCriteria: z
    .array(criterion, { error: 'Add the essential criteria' })
    .min(1, 'Add at least one essential criterion')
    .max(30, 'A cohort can have up to 30 essential criteria'),
  desirableCriteria: z
    .array(criterion, { error: 'Add the desirable criteria' })
    .max(30, 'A cohort can have up to 30 desirable criteria')
    .default([]),
  headteacherCommitments: z
    .array(text(500, 'Enter the commitment', 'A commitment must be 500 characters or fewer'), {
      error: 'Add the headteacher’s commitments',
    })
    .max(20, 'A cohort can have up to 20 headteacher commitments')
    .default([]),
  residentials: z
    .array(residential, { error: 'Add the residentials' })
    .max(10, 'A cohort can have up to 10 residentials')
    .default([]),
  funding: z.object(
    {
      releaseDaysPerYear: z
        .number({ error: 'Enter the days of release time funded each year' })
        .min(0, 'Days of release time must be 0 or more')
        .max(100, 'Days of release time must be 100 or fewer')
        .multipleOf(0.5, 'Days of release time must be whole or half days, like 7.5'),
      dayRatePence: pence('day rate'),
      bursaryPence: pence('bursary'),
    },
    { error: 'Enter the funding' },
  ),
})

/**
 * Changes as the API takes them: any of the details, each replacing the stored one whole (a list
 * is sent in full); a detail left out keeps its stored value.
 */
export const cohortPatchInput = cohortChangesInput.partial().extend({
  // Without their defaults, so that one left out is not sent as empty.
  desirableCriteria: cohortChangesInput.shape.desirableCriteria.unwrap().optional(),
  headteacherCommitments: cohortChangesInput.shape.headteacherCommitments.unwrap().optional(),
  residentials: cohortChangesInput.shape.residentials.unwrap().optional(),
})

/** A new cohort: its programme and number, which make its id, and its details. */
export const cohortInput = cohortChangesInput.extend({
  programmeId: z
    .string({ error: 'Select a programme' })
    .regex(SLUG, 'Select a programme')
    .max(100, 'Select a programme'),
  number: z
    .number({ error: 'Enter the cohort number, like 11' })
    .int('The cohort number must be a whole number, like 11')
    .min(1, 'The cohort number must be from 1 to 999')
    .max(999, 'The cohort number must be from 1 to 999'),
})

type DateParts = Omit<UkWallClock, 'hour' | 'minute'>

function fieldOf(path: PropertyKey[]): string {
  return path.map(String).join('.') || 'form'
}

// Not the shared parseInput: a cohort's fields nest, and each problem is named by its full path
// (opensAt.day, residentials.1.startsOn), as the API names them too.
function invalid(error: z.ZodError): ValidationError {
  return new ValidationError(
    error.issues.map((i) => ({ code: 'invalid', field: fieldOf(i.path), message: i.message })),
  )
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** The UK calendar date of an instant, YYYY-MM-DD. */
function ukDateOf(instant: Date): string {
  const w = toUkWallClock(instant)
  return isoDate(w.year, w.month, w.day)
}

function plausibleYear(year: number): boolean {
  return year >= 2000 && year <= 2100
}

/** Turns the parsed parts into stored values, checking each date is real and the dates are in order. */
function toValues(input: z.infer<typeof cohortChangesInput>): CohortValues {
  const errors: FieldError[] = []
  const instant = (field: string, what: string, p: UkWallClock): Date | undefined => {
    if (!plausibleYear(p.year)) {
      errors.push({ code: 'invalid', field, message: `The date ${what} must be a real date` })
      return undefined
    }
    if (p.hour < 0 || p.hour > 23 || p.minute < 0 || p.minute > 59) {
      errors.push({ code: 'invalid', field, message: `The time ${what} must be a real time` })
      return undefined
    }
    try {
      return parseUkDateTime(p)
    } catch {
      errors.push({ code: 'invalid', field, message: `The date ${what} must be a real date` })
      return undefined
    }
  }
  const date = (field: string, what: string, p: DateParts): string | undefined => {
    // A real date is one UK clocks show at midday on it.
    const at = instant(field, what, { ...p, hour: 12, minute: 0 })
    return at ? isoDate(p.year, p.month, p.day) : undefined
  }

  const opensAt = instant('opensAt', 'applications open', input.opensAt)
  const closesAt = instant('closesAt', 'applications close', input.closesAt)
  const decisionsReleasedOn = date('decisionsReleasedOn', 'decisions are released', input.decisionsReleasedOn)
  const residentials = input.residentials.map((r, i) => ({
    name: r.name,
    startsOn: date(`residentials.${i}.startsOn`, 'the residential starts', r.startsOn),
    endsOn: date(`residentials.${i}.endsOn`, 'the residential ends', r.endsOn),
    subjectToConfirmation: r.subjectToConfirmation,
  }))

  // The order of dates: opens, closes, decisions, then each residential in turn.
  if (opensAt && closesAt && closesAt <= opensAt) {
    errors.push({
      code: 'out-of-order',
      field: 'closesAt',
      message: 'The date applications close must be after the date they open',
    })
  }
  if (closesAt && decisionsReleasedOn && decisionsReleasedOn <= ukDateOf(closesAt)) {
    errors.push({
      code: 'out-of-order',
      field: 'decisionsReleasedOn',
      message: 'The date decisions are released must be after the day applications close',
    })
  }
  let previousEnd = decisionsReleasedOn
  residentials.forEach((r, i) => {
    if (r.startsOn && previousEnd && r.startsOn <= previousEnd) {
      errors.push({
        code: 'out-of-order',
        field: `residentials.${i}.startsOn`,
        message:
          i === 0
            ? 'The first residential must start after decisions are released'
            : `Residential ${i + 1} must start after residential ${i} ends`,
      })
    }
    if (r.startsOn && r.endsOn && r.endsOn < r.startsOn) {
      errors.push({
        code: 'out-of-order',
        field: `residentials.${i}.endsOn`,
        message: `Residential ${i + 1} must end on or after the day it starts`,
      })
    }
    previousEnd = r.endsOn ?? r.startsOn ?? previousEnd
  })

  // Each criterion has its own id, so applications can answer it by id.
  const seen = new Set<string>()
  for (const [list, criteria] of [
    ['essentialCriteria', input.essentialCriteria],
    ['desirableCriteria', input.desirableCriteria],
  ] as const) {
    criteria.forEach((c, i) => {
      if (seen.has(c.id)) {
        errors.push({
          code: 'duplicate',
          field: `${list}.${i}.id`,
          message: `Each criterion needs its own id: ${c.id} is used more than once`,
        })
      }
      seen.add(c.id)
    })
  }

  if (errors.length > 0 || !opensAt || !closesAt || !decisionsReleasedOn) throw new ValidationError(errors)
  return {
    developmentYear: input.developmentYear,
    opensAt,
    closesAt,
    decisionsReleasedOn,
    essentialCriteria: input.essentialCriteria,
    desirableCriteria: input.desirableCriteria,
    headteacherCommitments: input.headteacherCommitments,
    residentials: residentials.map((r) => ({ ...r, startsOn: r.startsOn!, endsOn: r.endsOn! })),
    funding: input.funding,
  }
}

/** The stored values as the audit trail shows them. */
export function auditable(values: CohortValues) {
  return { ...values, opensAt: values.opensAt.toISOString(), closesAt: values.closesAt.toISOString() }
}

function valuesOf(cohort: Cohort): CohortValues {
  return {
    developmentYear: cohort.developmentYear,
    opensAt: cohort.opensAt,
    closesAt: cohort.closesAt,
    decisionsReleasedOn: cohort.decisionsReleasedOn,
    essentialCriteria: cohort.essentialCriteria,
    desirableCriteria: cohort.desirableCriteria,
    headteacherCommitments: cohort.headteacherCommitments,
    residentials: cohort.residentials,
    funding: cohort.funding,
  }
}

/** A new cohort's input as the values to store; a ValidationError names each field in error. */
export function parseCohortInput(raw: unknown): { programmeId: string; number: number } & CohortValues {
  const parsed = cohortInput.safeParse(raw)
  if (!parsed.success) throw invalid(parsed.error)
  return { programmeId: parsed.data.programmeId, number: parsed.data.number, ...toValues(parsed.data) }
}

/** Changes to a cohort as the values to store; a ValidationError names each field in error. */
export function parseCohortChanges(raw: unknown): CohortValues {
  const parsed = cohortChangesInput.safeParse(raw)
  if (!parsed.success) throw invalid(parsed.error)
  return toValues(parsed.data)
}

export async function createCohort(context: UseCaseContext, raw: unknown): Promise<Cohort> {
  if (!canManageCohorts(context.actor)) throw new NotFoundError('Cohort')
  const { programmeId, number, ...values } = parseCohortInput(raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    const programme = await findProgramme(tx, programmeId)
    if (!programme) {
      throw new ValidationError([
        { code: 'unknown', field: 'programmeId', message: 'There is no programme with that id' },
      ])
    }
    const created = await insertCohort(tx, { programmeId: programme.id, number, ...values }, now)
    if (!created) {
      throw new ValidationError([
        {
          code: 'duplicate',
          field: 'number',
          message: `${programme.name} already has a cohort ${number}`,
        },
      ])
    }
    const id = cohortId(programme.id, number)
    await planCohortResidentials(tx, id, values.residentials, now)
    await audit({
      action: 'cohort.create',
      recordType: 'cohort',
      recordId: id,
      after: { programmeId: programme.id, number, ...auditable(values) },
    })
    return (await findCohort(tx, id))!
  })
}

/** A stored cohort as the input that would set it up: the window as UK date and time parts. */
export function cohortAsInput(cohort: Cohort) {
  const dateOf = (iso: string) => {
    const [year, month, day] = iso.split('-').map(Number) as [number, number, number]
    return { day, month, year }
  }
  const dateTimeOf = (instant: Date) => {
    const w = toUkWallClock(instant)
    return { day: w.day, month: w.month, year: w.year, hour: w.hour, minute: w.minute }
  }
  return {
    developmentYear: cohort.developmentYear,
    opensAt: dateTimeOf(cohort.opensAt),
    closesAt: dateTimeOf(cohort.closesAt),
    decisionsReleasedOn: dateOf(cohort.decisionsReleasedOn),
    essentialCriteria: cohort.essentialCriteria,
    desirableCriteria: cohort.desirableCriteria,
    headteacherCommitments: cohort.headteacherCommitments,
    residentials: cohort.residentials.map((r) => ({
      name: r.name,
      startsOn: dateOf(r.startsOn),
      endsOn: dateOf(r.endsOn),
      subjectToConfirmation: r.subjectToConfirmation,
    })),
    funding: cohort.funding,
  }
}

/** The cohort as a national administrator changes it; anyone else is answered "not found". */
export async function viewCohortToManage(context: UseCaseContext, id: string): Promise<Cohort> {
  if (!canManageCohorts(context.actor)) throw new NotFoundError('Cohort')
  const cohort = await findCohort(context.db, id)
  if (!cohort) throw new NotFoundError('Cohort')
  return cohort
}

/**
 * The programme a national administrator adds a cohort to, with its newest cohort (whose criteria,
 * commitments and funding the new one starts from); anyone else is answered "not found".
 */
export async function viewProgrammeToAddCohort(
  context: UseCaseContext,
  programmeId: string,
): Promise<{ programme: Programme; latest: Cohort | undefined }> {
  if (!canManageCohorts(context.actor)) throw new NotFoundError('Programme')
  const programme = await findProgramme(context.db, programmeId)
  if (!programme) throw new NotFoundError('Programme')
  const [latest] = await listCohorts(context.db, { programmeId })
  return { programme, latest }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Changes a cohort's details. Each top-level field given replaces the stored one; a field left out
 * keeps its stored value (so the API can send only what changes). The whole result is checked as
 * a new cohort would be, and on any problem nothing changes.
 */
export async function updateCohortDetails(
  context: UseCaseContext,
  id: string,
  raw: unknown,
): Promise<Cohort> {
  if (!canManageCohorts(context.actor)) throw new NotFoundError('Cohort')
  return inTransaction(context, async ({ tx, now, audit }) => {
    const before = await findCohort(tx, id, { forUpdate: true })
    if (!before) throw new NotFoundError('Cohort')
    const values = parseCohortChanges(isObject(raw) ? { ...cohortAsInput(before), ...raw } : raw)
    await updateCohort(tx, id, values, now)
    await audit({
      action: 'cohort.update',
      recordType: 'cohort',
      recordId: id,
      before: auditable(valuesOf(before)),
      after: auditable(values),
    })
    return (await findCohort(tx, id))!
  })
}
