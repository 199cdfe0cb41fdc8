// Use-cases for attendance at each event day: present, late, left early, or absent with a reason.
// Recorded three ways: marked on screen by an organiser; uploaded by an organiser as a CSV or XLSX
// file (every row good, or nothing saved, each problem naming its line and column); or entered by
// the attendee as the short code shown at the event, valid only during that day's hours, with
// wrong codes refused and limited. Only people with a place are marked, only on the event's days.
import { z } from 'zod'
import type { Tx } from '../../../db/database.ts'
import type { AttendanceMethod } from '../../../db/schema.ts'
import { NotFoundError, ValidationError, type FieldError } from '../../../errors.ts'
import { sameMailbox } from '../../../lib/canonical-email.ts'
import { isSignedIn } from '../../access/access.policy.ts'
import { actingPersonId } from '../../access/actor.ts'
import {
  ATTENDANCE_CODE_LIMIT,
  codeField,
  codeMatches,
  malformedRows,
  markFields,
  markProblems,
  newAttendanceCode,
  overTheCodeLimit,
  readAttendanceFile,
  refuseBadFile,
  refuseWrongCode,
  rowMark,
  say,
  tooManyCodes,
} from '../../attendance/attendance.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canOrganise } from '../events.policy.ts'
import { findEvent, type EventRecord } from '../events.repository.ts'
import { invalid } from '../scheduling/event-input.ts'

export { ATTENDANCE_CODE_LIMIT, ATTENDANCE_STATUSES } from '../../attendance/attendance.ts'

const mark = z.object({
  bookingId: z.coerce
    .number({ error: 'Select the person' })
    .int()
    .positive()
    .max(2 ** 31 - 1),
  dayNumber: z.coerce.number({ error: 'Select the day' }).int().min(1).max(10),
  ...markFields,
})
type Mark = z.infer<typeof mark>

const marksInput = z.object({
  marks: z.array(mark, { error: 'Mark at least one person' }).min(1, 'Mark at least one person').max(2000),
})

interface Booked {
  bookingId: number
  email: string
  name: string
}

async function bookedAt(tx: Tx, eventId: number): Promise<Booked[]> {
  const rows = await tx
    .selectFrom('bookings')
    .innerJoin('participations', 'participations.id', 'bookings.participation_id')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .select(['bookings.id', 'people.email', 'people.name'])
    .where('bookings.event_id', '=', eventId)
    .where('bookings.status', '=', 'booked')
    .execute()
  return rows.map((r) => ({ bookingId: Number(r.id), email: r.email, name: r.name }))
}

/** The event for an organiser; anyone else is told it is not there. */
async function organisedEvent(context: UseCaseContext, tx: Tx, eventId: number): Promise<EventRecord> {
  const event = await findEvent(tx, eventId)
  if (!event || !canOrganise(context.actor, event)) throw new NotFoundError('Event')
  if (event.status === 'cancelled') {
    throw new ValidationError([
      { code: 'cancelled', field: 'event', message: 'This event has been cancelled' },
    ])
  }
  return event
}

/** Checks every mark (refusing all if any is wrong) and writes them, with one audit row. */
async function writeMarks(
  context: UseCaseContext,
  unit: {
    tx: Tx
    now: Date
    audit: (e: { action: string; recordType: string; recordId: string; after: unknown }) => Promise<void>
  },
  event: EventRecord,
  marks: (Mark & { field: string })[],
  method: AttendanceMethod,
): Promise<number> {
  const { tx, now } = unit
  const booked = new Set((await bookedAt(tx, event.id)).map((b) => b.bookingId))
  const errors: FieldError[] = []
  for (const m of marks) {
    if (!booked.has(m.bookingId)) {
      errors.push({
        code: 'not-booked',
        field: m.field,
        message: say(m.field, `this person does not have a place at this event`),
      })
    }
    if (!event.days.some((d) => d.dayNumber === m.dayNumber)) {
      errors.push({
        code: 'not-a-day',
        field: m.field,
        message: say(m.field, `the event has no day ${m.dayNumber}`),
      })
    }
  }
  errors.push(
    ...markProblems(
      marks.map((m) => ({ ...m, key: `${m.bookingId}:${m.dayNumber}` })),
      'this person is marked twice for the same day',
    ),
  )
  if (errors.length > 0) throw new ValidationError(errors)
  const dayIds = new Map(event.days.map((d) => [d.dayNumber, d.id]))
  for (const m of marks) {
    const values = {
      status: m.status,
      absence_reason: m.status === 'absent' ? m.absenceReason! : null,
      method,
      recorded_by: actingPersonId(context.actor),
      recorded_at: now,
    }
    await tx
      .insertInto('attendance')
      .values({ event_day_id: dayIds.get(m.dayNumber)!, booking_id: m.bookingId, ...values })
      .onConflict((oc) => oc.columns(['event_day_id', 'booking_id']).doUpdateSet(values))
      .execute()
  }
  await unit.audit({
    action: `attendance.${method}`,
    recordType: 'event',
    recordId: String(event.id),
    after: { marks: marks.map((m) => ({ bookingId: m.bookingId, day: m.dayNumber, status: m.status })) },
  })
  return marks.length
}

/** An organiser marks attendance on screen. */
export async function markAttendance(
  context: UseCaseContext,
  eventId: number,
  raw: unknown,
): Promise<number> {
  const parsed = marksInput.safeParse(raw)
  if (!parsed.success) throw invalid(parsed.error)
  return inTransaction(context, async (unit) => {
    const event = await organisedEvent(context, unit.tx, eventId)
    return writeMarks(
      context,
      unit,
      event,
      parsed.data.marks.map((m, i) => ({ ...m, field: `marks.${i}` })),
      'screen',
    )
  })
}

/** The columns of an attendance upload, in the order of the template. */
export const UPLOAD_COLUMNS = ['Email', 'Day', 'Status', 'Absence reason'] as const

/** An organiser uploads a CSV or XLSX file: every row good, or nothing saved. */
export async function importAttendance(
  context: UseCaseContext,
  eventId: number,
  bytes: Uint8Array,
): Promise<number> {
  return inTransaction(context, async (unit) => {
    const event = await organisedEvent(context, unit.tx, eventId)
    const table = await readAttendanceFile(bytes, ['Email', 'Day', 'Status'])
    const booked = await bookedAt(unit.tx, event.id)
    const errors: FieldError[] = malformedRows(table)
    const marks: (Mark & { field: string })[] = []
    for (const row of table.rows) {
      const at = (column: string) => `Line ${row.line}, column "${column}"`
      const person = booked.find((b) => sameMailbox(b.email, row.values.Email ?? ''))
      const day = Number(row.values.Day)
      if (!person)
        errors.push({
          code: 'not-booked',
          field: 'file',
          message: `${at('Email')}: no one with a place at this event has this email address`,
        })
      if (!Number.isInteger(day) || !event.days.some((d) => d.dayNumber === day)) {
        errors.push({
          code: 'not-a-day',
          field: 'file',
          message: `${at('Day')}: enter a day of the event, from 1 to ${event.days.length}`,
        })
      }
      const { status, reason } = rowMark(row, errors)
      if (person && status && Number.isInteger(day)) {
        marks.push({
          bookingId: person.bookingId,
          dayNumber: day,
          status,
          absenceReason: reason || undefined,
          field: `Line ${row.line}`,
        })
      }
    }
    refuseBadFile(table, errors)
    return writeMarks(context, unit, event, marks, 'upload')
  })
}

/** An organiser shows a new code for one of the event's days; only its hash is kept. */
export async function showAttendanceCode(
  context: UseCaseContext,
  eventId: number,
  dayNumber: number,
): Promise<string> {
  return inTransaction(context, async ({ tx, audit }) => {
    const event = await organisedEvent(context, tx, eventId)
    const day = event.days.find((d) => d.dayNumber === dayNumber)
    if (!day)
      throw new ValidationError([
        { code: 'not-a-day', field: 'dayNumber', message: `The event has no day ${dayNumber}` },
      ])
    const { code, hash } = newAttendanceCode()
    await tx.updateTable('event_days').set({ attendance_code_hash: hash }).where('id', '=', day.id).execute()
    await audit({
      action: 'attendance.code',
      recordType: 'event',
      recordId: String(eventId),
      after: { day: dayNumber },
    })
    return code
  })
}

const codeInput = z.object({ code: codeField('Enter the code shown at the event') })
const ASK_INSTEAD = 'ask the organiser to mark you'

/** The attendee enters the code shown at the event, during that day's hours: they are marked present. */
export async function enterAttendanceCode(
  context: UseCaseContext,
  eventId: number,
  raw: unknown,
): Promise<void> {
  const parsed = codeInput.safeParse(raw)
  if (!parsed.success) throw invalid(parsed.error)
  const actor = context.actor
  if (!isSignedIn(actor)) throw new NotFoundError('Event')
  const code = parsed.data.code
  const subject = String(actor.personId)
  if (await overTheCodeLimit(context, ATTENDANCE_CODE_LIMIT, subject)) throw tooManyCodes(ASK_INSTEAD)
  const refusal = await inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const event = await findEvent(tx, eventId)
    const booking =
      event &&
      (await tx
        .selectFrom('bookings')
        .innerJoin('participations', 'participations.id', 'bookings.participation_id')
        .select(['bookings.id', 'bookings.status'])
        .where('bookings.event_id', '=', eventId)
        .where('participations.person_id', '=', actor.personId)
        .where('bookings.status', '<>', 'cancelled')
        .executeTakeFirst())
    if (!event || !booking) throw new NotFoundError('Event')
    if (booking.status !== 'booked')
      return 'You do not have a place at this event, so you cannot be marked as there'
    const day = event.days.find((d) => d.startsAt <= now && now < d.endsAt)
    if (!day) return 'The code can only be entered during the event’s hours'
    const stored = await tx
      .selectFrom('event_days')
      .select('attendance_code_hash')
      .where('id', '=', day.id)
      .executeTakeFirstOrThrow()
    if (!codeMatches(stored.attendance_code_hash, code)) return 'wrong'
    const values = {
      status: 'present' as const,
      absence_reason: null,
      method: 'code' as const,
      recorded_by: actor.personId,
      recorded_at: now,
    }
    await tx
      .insertInto('attendance')
      .values({ event_day_id: day.id, booking_id: Number(booking.id), ...values })
      .onConflict((oc) => oc.columns(['event_day_id', 'booking_id']).doNothing())
      .execute()
    await unit.audit({
      action: 'attendance.code-entered',
      recordType: 'event',
      recordId: String(eventId),
      after: { day: day.dayNumber },
    })
    return undefined
  })
  if (refusal === undefined) return
  if (refusal !== 'wrong') throw new ValidationError([{ code: 'not-now', field: 'code', message: refusal }])
  return refuseWrongCode(context, ATTENDANCE_CODE_LIMIT, subject, ASK_INSTEAD)
}
