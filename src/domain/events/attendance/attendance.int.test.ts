// Attendance on a real database, recorded three ways: on screen, by a CSV or XLSX upload (all rows
// good or nothing saved, each problem naming its line and column), and by the attendee's code
// during the day's hours (a wrong code refused, and limited). Refusals change nothing.
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cohortInputWith, ensureCohort } from '../../../../test/cohort-factory.ts'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { Actor } from '../../access/actor.ts'
import { startYearOne } from '../../participants/start-year-one.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { bookPlace } from '../bookings/book-place.ts'
import type { EventRecord } from '../events.repository.ts'
import { confirmEvent } from '../scheduling/change-event.ts'
import { scheduleEvent } from '../scheduling/schedule-event.ts'
import {
  enterAttendanceCode,
  importAttendance,
  markAttendance,
  showAttendanceCode,
} from './record-attendance.ts'

const booking = fixedClock('2026-09-01T10:00:00Z')
const duringDayOne = fixedClock('2026-10-13T10:00:00Z')
const evening = fixedClock('2026-10-13T19:00:00Z')
const HUB = 'northvale-maths-hub'
let database: TestDatabase
let admin: Actor
let otherLead: Actor
let cohortId: string
let n = 0

function context(actor: Actor, clock = booking): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'attendance-test', baseUrl: 'http://localhost:3000' }
}

async function specialist(): Promise<{ actor: Actor; email: string }> {
  n += 1
  const db = database.db
  const email = `s${n}@school.example`
  const person = await db
    .insertInto('people')
    .values({ name: `Specialist ${n}`, email })
    .returning('id')
    .executeTakeFirstOrThrow()
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
  const started = new Date('2026-06-01T09:00:00Z')
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
  return { actor: (await actorForPerson(db, person.id))!, email }
}

/** A confirmed two-day residential with two specialists booked and one not. */
async function residentialWithPeople() {
  const event: EventRecord = await scheduleEvent(context(admin), {
    kind: 'residential',
    title: 'First residential',
    cohortId,
    days: [
      { startsAt: '2026-10-13T08:00:00Z', endsAt: '2026-10-13T16:00:00Z' },
      { startsAt: '2026-10-14T08:00:00Z', endsAt: '2026-10-14T16:00:00Z' },
    ],
    venues: [{ name: 'London', address: '1 Example Street, London', capacity: 60 }],
  })
  await confirmEvent(context(admin), event.id)
  const a = await specialist()
  const b = await specialist()
  const notBooked = await specialist()
  const bookingA = (await bookPlace(context(a.actor), event.id, {})).booking
  const bookingB = (await bookPlace(context(b.actor), event.id, {})).booking
  return { event, a, b, notBooked, bookingA, bookingB }
}

const attendanceRows = async (eventId: number) =>
  database.db
    .selectFrom('attendance')
    .innerJoin('event_days', 'event_days.id', 'attendance.event_day_id')
    .select([
      'attendance.booking_id',
      'event_days.day_number',
      'attendance.status',
      'attendance.absence_reason',
      'attendance.method',
    ])
    .where('event_days.event_id', '=', eventId)
    .orderBy('attendance.booking_id')
    .orderBy('event_days.day_number')
    .execute()

beforeAll(async () => {
  database = await createTestDatabase()
  await database.db
    .insertInto('hubs')
    .values([
      { id: HUB, name: 'Northvale Maths Hub' },
      { id: 'other-maths-hub', name: 'Other Maths Hub' },
    ])
    .execute()
  const a = await database.db
    .insertInto('people')
    .values({ name: 'Admin', email: 'admin@ncetm.example' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await database.db.insertInto('grants').values({ person_id: a.id, role: 'national-admin' }).execute()
  admin = (await actorForPerson(database.db, a.id))!
  const o = await database.db
    .insertInto('people')
    .values({ name: 'Other lead', email: 'lead@other.example' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await database.db
    .insertInto('grants')
    .values({ person_id: o.id, role: 'hub-lead', hub_id: 'other-maths-hub' })
    .execute()
  otherLead = (await actorForPerson(database.db, o.id))!
  cohortId = await ensureCohort(database.db, cohortInputWith({ number: 86 }))
})

afterAll(async () => {
  await database?.destroy()
})

describe('attendance on screen', () => {
  it('marks present, late, left early and absent with a reason', async () => {
    const { event, bookingA, bookingB } = await residentialWithPeople()
    await markAttendance(context(admin, duringDayOne), event.id, {
      marks: [
        { bookingId: bookingA.id, dayNumber: 1, status: 'present' },
        { bookingId: bookingA.id, dayNumber: 2, status: 'left-early' },
        { bookingId: bookingB.id, dayNumber: 1, status: 'late' },
        { bookingId: bookingB.id, dayNumber: 2, status: 'absent', absenceReason: 'Ill' },
      ],
    })
    expect(
      (await attendanceRows(event.id)).map((r) => [r.day_number, r.status, r.absence_reason, r.method]),
    ).toEqual([
      [1, 'present', null, 'screen'],
      [2, 'left-early', null, 'screen'],
      [1, 'late', null, 'screen'],
      [2, 'absent', 'Ill', 'screen'],
    ])
  })

  it('refuses someone not booked, a day not of the event and an absence without a reason, saving nothing', async () => {
    const { event, bookingA, notBooked } = await residentialWithPeople()
    const other = await residentialWithPeople()
    const cases = [
      { bookingId: other.bookingA.id, dayNumber: 1, status: 'present' },
      { bookingId: bookingA.id, dayNumber: 3, status: 'present' },
      { bookingId: bookingA.id, dayNumber: 1, status: 'absent' },
    ]
    const fields = ['marks.1', 'marks.1', 'marks.1.absenceReason']
    for (const [i, bad] of cases.entries()) {
      const error = await markAttendance(context(admin), event.id, {
        marks: [{ bookingId: bookingA.id, dayNumber: 2, status: 'present' }, bad],
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).errors[0]!.field).toBe(fields[i])
      expect((error as ValidationError).errors[0]!.message).toMatch(/^[A-Z]/)
    }
    expect(await attendanceRows(event.id)).toEqual([])
    await expect(markAttendance(context(otherLead), event.id, { marks: [cases[0]] })).rejects.toBeInstanceOf(
      NotFoundError,
    )
    await expect(
      markAttendance(context(notBooked.actor), event.id, { marks: [cases[0]] }),
    ).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('attendance by upload', () => {
  it('saves a good CSV, and refuses one with a bad row among good ones, naming line and column, saving nothing', async () => {
    const { event, a, b, notBooked } = await residentialWithPeople()
    const bad = `Email,Day,Status,Absence reason\r\n${a.email},1,Present,\r\n${notBooked.email},1,Present,\r\n${b.email},2,Absent,\r\n${b.email},1,sleeping,\r\n`
    const error = await importAttendance(context(admin), event.id, Buffer.from(bad)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).errors.map((e) => e.message)).toEqual([
      'Line 3, column "Email": no one with a place at this event has this email address',
      'Line 4, column "Absence reason": give the reason for the absence',
      'Line 5, column "Status": enter present, late, left early or absent',
    ])
    expect(await attendanceRows(event.id)).toEqual([])
    const good = `Email,Day,Status,Absence reason\r\n${a.email.toUpperCase()},1,Present,\r\n${b.email},1,Left early,\r\n${b.email},2,Absent,Train cancelled\r\n`
    expect(await importAttendance(context(admin), event.id, Buffer.from(good))).toBe(3)
    expect(
      (await attendanceRows(event.id)).map((r) => [r.day_number, r.status, r.absence_reason, r.method]),
    ).toEqual([
      [1, 'present', null, 'upload'],
      [1, 'left-early', null, 'upload'],
      [2, 'absent', 'Train cancelled', 'upload'],
    ])
  })

  it('reads an XLSX workbook the same way, and refuses a file with a column missing', async () => {
    const { event, a, b } = await residentialWithPeople()
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Attendance')
    sheet.addRow(['Email', 'Day', 'Status', 'Absence reason'])
    sheet.addRow([a.email, 1, 'Late', ''])
    sheet.addRow([b.email, 7, 'Present', ''])
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer())
    const error = await importAttendance(context(admin), event.id, bytes).catch((e: unknown) => e)
    expect((error as ValidationError).errors.map((e) => e.message)).toEqual([
      'Line 3, column "Day": enter a day of the event, from 1 to 2',
    ])
    expect(await attendanceRows(event.id)).toEqual([])
    sheet.getRow(3).getCell(2).value = 2
    expect(
      await importAttendance(context(admin), event.id, Buffer.from(await workbook.xlsx.writeBuffer())),
    ).toBe(2)
    const missing = await importAttendance(
      context(admin),
      event.id,
      Buffer.from('Email,Status\r\nx@y.example,Present\r\n'),
    ).catch((e: unknown) => e)
    expect((missing as ValidationError).errors[0]!.message).toContain('"Day"')
  })
})

describe('attendance by code', () => {
  it('marks the attendee present with the right code during the day, and refuses it after hours', async () => {
    const { event, a, b, notBooked, bookingA } = await residentialWithPeople()
    const code = await showAttendanceCode(context(admin, duringDayOne), event.id, 1)
    expect(code).toMatch(/^[A-Z2-9]{6}$/)
    await enterAttendanceCode(context(a.actor, duringDayOne), event.id, { code: code.toLowerCase() })
    expect(
      (await attendanceRows(event.id)).map((r) => [r.booking_id, r.day_number, r.status, r.method]),
    ).toEqual([[bookingA.id, 1, 'present', 'code']])
    const late = await enterAttendanceCode(context(b.actor, evening), event.id, { code }).catch(
      (e: unknown) => e,
    )
    expect((late as ValidationError).errors[0]!.message).toBe(
      'The code can only be entered during the event’s hours',
    )
    await expect(
      enterAttendanceCode(context(notBooked.actor, duringDayOne), event.id, { code }),
    ).rejects.toBeInstanceOf(NotFoundError)
    expect(await attendanceRows(event.id)).toHaveLength(1)
  })

  it('refuses a wrong code, and after five wrong codes refuses even the right one for the hour', async () => {
    const { event, a } = await residentialWithPeople()
    const code = await showAttendanceCode(context(admin, duringDayOne), event.id, 1)
    for (let i = 0; i < 5; i++) {
      const wrong = await enterAttendanceCode(context(a.actor, duringDayOne), event.id, {
        code: 'ZZZZZZ',
      }).catch((e: unknown) => e)
      expect((wrong as ValidationError).errors[0]!.code).toBe('wrong-code')
    }
    const limited = await enterAttendanceCode(context(a.actor, duringDayOne), event.id, { code }).catch(
      (e: unknown) => e,
    )
    expect((limited as ValidationError).errors[0]!.code).toBe('too-many')
    expect(await attendanceRows(event.id)).toEqual([])
  })
})
