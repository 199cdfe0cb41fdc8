// Use-cases for attendance at each event day: present, late, left early, or absent with a reason.
// Recorded three ways: marked on screen by an organiser; uploaded by an organiser as a CSV or XLSX
// file (every row good, or nothing saved, each problem naming its line and column); or entered by
// the attendee as the short code shown at the event, valid only during that day's hours, with
// wrong codes refused and limited. Only people with a place are marked, only on the event's days.
import { randomInt } from 'node:crypto'
import { z } from 'zod'
import type { Tx } from '../../../db/database.ts'
import type { AttendanceMethod, AttendanceStatus } from '../../../db/schema.ts'
import { DomainError, NotFoundError, ValidationError, type FieldError } from '../../../errors.ts'
import { sameMailbox } from '../../../lib/canonical-email.ts'
import { readTableFile } from '../../../lib/table-reader.ts'
import { isSignedIn } from '../../access/access.policy.ts'
import { actingPersonId } from '../../access/actor.ts'
import { hitRateLimit, rateLimitKey } from '../../access/rate-limit.repository.ts'
import { hashSecret } from '../../auth/tokens.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canOrganise } from '../events.policy.ts'
import { findEvent, type EventRecord } from '../events.repository.ts'
import { invalid } from '../scheduling/event-input.ts'

export const ATTENDANCE_STATUSES: readonly AttendanceStatus[] = ['present', 'late', 'left-early', 'absent']

const mark = z.object({
  bookingId: z.coerce
    .number({ error: 'Select the person' })
    .int()
    .positive()
    .max(2 ** 31 - 1),
  dayNumber: z.coerce.number({ error: 'Select the day' }).int().min(1).max(10),
  status: z.enum(['present', 'late', 'left-early', 'absent'], {
    error: 'Select present, late, left early or absent',
  }),
  absenceReason: z.string().trim().max(2000, 'The reason must be 2,000 characters or fewer').optional(),
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

/** A problem with a mark: after its line and column in a file, or as a sentence on its own. */
function say(field: string, text: string): string {
  return field.startsWith('Line') ? `${field}: ${text}` : text.charAt(0).toUpperCase() + text.slice(1)
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
  const seen = new Set<string>()
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
    if (m.status === 'absent' && !m.absenceReason) {
      errors.push({
        code: 'reason',
        field: m.field.startsWith('Line') ? m.field : `${m.field}.absenceReason`,
        message: say(m.field, `give the reason for the absence`),
      })
    }
    const key = `${m.bookingId}:${m.dayNumber}`
    if (seen.has(key)) {
      errors.push({
        code: 'duplicate',
        field: m.field,
        message: say(m.field, `this person is marked twice for the same day`),
      })
    }
    seen.add(key)
  }
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
const STATUS_WORDS: Record<string, AttendanceStatus> = {
  present: 'present',
  late: 'late',
  'left early': 'left-early',
  'left-early': 'left-early',
  absent: 'absent',
}

/** An organiser uploads a CSV or XLSX file: every row good, or nothing saved. */
export async function importAttendance(
  context: UseCaseContext,
  eventId: number,
  bytes: Uint8Array,
): Promise<number> {
  return inTransaction(context, async (unit) => {
    const event = await organisedEvent(context, unit.tx, eventId)
    let table
    try {
      table = await readTableFile(bytes, ['Email', 'Day', 'Status'], 'The file')
    } catch (error) {
      if (error instanceof DomainError)
        throw new ValidationError([{ code: error.code, field: 'file', message: error.message }])
      throw error
    }
    const booked = await bookedAt(unit.tx, event.id)
    const errors: FieldError[] = table.malformed.map((m) => ({
      code: 'malformed',
      field: 'file',
      message: `Line ${m.line} ${m.message}`,
    }))
    const marks: (Mark & { field: string })[] = []
    for (const row of table.rows) {
      const at = (column: string) => `Line ${row.line}, column "${column}"`
      const person = booked.find((b) => sameMailbox(b.email, row.values.Email ?? ''))
      const day = Number(row.values.Day)
      const status = STATUS_WORDS[(row.values.Status ?? '').toLowerCase()]
      const reason = row.values['Absence reason'] ?? ''
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
      if (!status)
        errors.push({
          code: 'status',
          field: 'file',
          message: `${at('Status')}: enter present, late, left early or absent`,
        })
      if (status === 'absent' && !reason)
        errors.push({
          code: 'reason',
          field: 'file',
          message: `${at('Absence reason')}: give the reason for the absence`,
        })
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
    if (table.rows.length === 0 && errors.length === 0) {
      errors.push({
        code: 'empty',
        field: 'file',
        message: 'The file has no rows under its header. Nothing was saved.',
      })
    }
    if (errors.length > 0) throw new ValidationError(errors)
    return writeMarks(context, unit, event, marks, 'upload')
  })
}

/** Six characters people read off a screen, without 0/O or 1/I. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

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
    const code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')
    await tx
      .updateTable('event_days')
      .set({ attendance_code_hash: hashSecret(code) })
      .where('id', '=', day.id)
      .execute()
    await audit({
      action: 'attendance.code',
      recordType: 'event',
      recordId: String(eventId),
      after: { day: dayNumber },
    })
    return code
  })
}

/** Five wrong codes an hour for one person, then they must wait. */
export const ATTENDANCE_CODE_LIMIT = { name: 'attendance-code:person', limit: 5, windowMs: 60 * 60_000 }

const codeInput = z.object({
  code: z
    .string({ error: 'Enter the code shown at the event' })
    .trim()
    .min(1, 'Enter the code shown at the event')
    .max(20, 'Enter the code shown at the event'),
})

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
  const code = parsed.data.code.toUpperCase().replace(/\s+/g, '')
  if (await overTheLimit(context, actor.personId)) throw tooMany()
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
    if (!stored.attendance_code_hash || stored.attendance_code_hash !== hashSecret(code)) return 'wrong'
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
  // A wrong code counts against the person, outside the refused change, so the count stays.
  const { allowed } = await hitRateLimit(
    context.db,
    ATTENDANCE_CODE_LIMIT,
    String(actor.personId),
    context.clock.now(),
  )
  if (!allowed) throw tooMany()
  throw new ValidationError([
    { code: 'wrong-code', field: 'code', message: 'The code is not right: check it and try again' },
  ])
}

function tooMany(): ValidationError {
  return new ValidationError([
    {
      code: 'too-many',
      field: 'code',
      message:
        'You have entered a wrong code too many times. Try again in an hour, or ask the organiser to mark you',
    },
  ])
}

/** Whether the person has used up this window's wrong codes: then even the right one waits. */
async function overTheLimit(context: UseCaseContext, personId: number): Promise<boolean> {
  const now = context.clock.now().getTime()
  const windowStart = new Date(
    Math.floor(now / ATTENDANCE_CODE_LIMIT.windowMs) * ATTENDANCE_CODE_LIMIT.windowMs,
  )
  const row = await context.db
    .selectFrom('rate_limits')
    .select('hits')
    .where('key', '=', rateLimitKey(ATTENDANCE_CODE_LIMIT, String(personId)))
    .where('window_start', '=', windowStart)
    .executeTakeFirst()
  return (row?.hits ?? 0) >= ATTENDANCE_CODE_LIMIT.limit
}
