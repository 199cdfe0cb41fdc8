// Attendance of the group's Mastery Advocates at a session, in the development years' states and
// ways (see ../../attendance/attendance.ts): marked on screen by a lead specialist or the hub team;
// uploaded by them as a CSV or XLSX file (every row good, or nothing saved, each problem naming its
// line and column); or entered by the advocate, who usually has no account, as their email address
// and the session's code during the session's hours. The code form answers the same whether or not
// the address is an advocate's, and wrong codes are counted against the address and limited. Only
// advocates whose period covers the session's date are marked; a cancelled session takes none.
import { z } from 'zod'
import type { Tx } from '../../../db/database.ts'
import type { AttendanceMethod } from '../../../db/schema.ts'
import { NotFoundError, ValidationError, type FieldError } from '../../../errors.ts'
import { canonicalEmail, sameMailbox } from '../../../lib/canonical-email.ts'
import { emailAddressSchema } from '../../../lib/email-address.ts'
import { actingPersonId } from '../../access/actor.ts'
import {
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
import { invalid } from '../../events/scheduling/event-input.ts'
import { inTransaction, type Unit, type UseCaseContext } from '../../use-case.ts'
import { refuseIfCancelled, refuseIfFinished, sessionFor } from './session-access.ts'
import { findSession, groupAdvocates, type SessionRecord } from './sessions.repository.ts'

const mark = z.object({
  advocateId: z.coerce
    .number({ error: 'Select the advocate' })
    .int()
    .positive()
    .max(2 ** 31 - 1),
  ...markFields,
})
type Mark = z.infer<typeof mark> & { field: string }

const marksInput = z.object({
  marks: z.array(mark, { error: 'Mark at least one advocate' }).min(1, 'Mark at least one advocate').max(200),
})

/** The session for one who manages it, while its group and it are not over. */
async function managedSession(context: UseCaseContext, tx: Tx, sessionId: number): Promise<SessionRecord> {
  const { group, session } = await sessionFor(tx, context.actor, sessionId, 'manage')
  refuseIfFinished(group, 'attendance cannot be recorded')
  refuseIfCancelled(session, 'attendance cannot be recorded')
  return session
}

async function writeMarks(
  context: UseCaseContext,
  unit: Unit,
  session: SessionRecord,
  marks: Mark[],
  method: AttendanceMethod,
): Promise<number> {
  const { tx, now } = unit
  const advocates = new Set(
    (await groupAdvocates(tx, session.workGroupId, session.date)).map((a) => a.advocateId),
  )
  const errors: FieldError[] = []
  for (const m of marks) {
    if (!advocates.has(m.advocateId))
      errors.push({
        code: 'not-an-advocate',
        field: m.field,
        message: say(
          m.field,
          'this person is not an advocate of one of the group’s schools on the session’s date',
        ),
      })
  }
  errors.push(
    ...markProblems(
      marks.map((m) => ({ ...m, key: String(m.advocateId) })),
      'this advocate is marked twice',
    ),
  )
  if (errors.length > 0) throw new ValidationError(errors)
  for (const m of marks) {
    const values = {
      status: m.status,
      absence_reason: m.status === 'absent' ? m.absenceReason! : null,
      method,
      recorded_by: actingPersonId(context.actor),
      recorded_at: now,
    }
    await tx
      .insertInto('work_group_attendance')
      .values({ session_id: session.id, advocate_id: m.advocateId, ...values })
      .onConflict((oc) => oc.columns(['session_id', 'advocate_id']).doUpdateSet(values))
      .execute()
  }
  await unit.audit({
    action: `work-group-attendance.${method}`,
    recordType: 'work-group-session',
    recordId: session.id,
    after: { marks: marks.map((m) => ({ advocateId: m.advocateId, status: m.status })) },
  })
  return marks.length
}

/** A lead specialist or the hub team marks the advocates' attendance on screen. */
export async function markSessionAttendance(
  context: UseCaseContext,
  sessionId: number,
  raw: unknown,
): Promise<number> {
  return inTransaction(context, async (unit) => {
    const session = await managedSession(context, unit.tx, sessionId)
    const parsed = marksInput.safeParse(raw)
    if (!parsed.success) throw invalid(parsed.error)
    return writeMarks(
      context,
      unit,
      session,
      parsed.data.marks.map((m, i) => ({ ...m, field: `marks.${i}` })),
      'screen',
    )
  })
}

/** The columns of a session's attendance upload, in the order of the template. */
export const SESSION_UPLOAD_COLUMNS = ['Email', 'Status', 'Absence reason'] as const

/** A lead specialist or the hub team uploads a CSV or XLSX file: every row good, or nothing saved. */
export async function importSessionAttendance(
  context: UseCaseContext,
  sessionId: number,
  bytes: Uint8Array,
): Promise<number> {
  return inTransaction(context, async (unit) => {
    const session = await managedSession(context, unit.tx, sessionId)
    const table = await readAttendanceFile(bytes, ['Email', 'Status'])
    const advocates = await groupAdvocates(unit.tx, session.workGroupId, session.date)
    const errors: FieldError[] = malformedRows(table)
    const marks: Mark[] = []
    for (const row of table.rows) {
      const advocate = advocates.find((a) => sameMailbox(a.email, row.values.Email ?? ''))
      if (!advocate)
        errors.push({
          code: 'not-an-advocate',
          field: 'file',
          message: `Line ${row.line}, column "Email": no advocate of the group’s schools has this email address`,
        })
      const { status, reason } = rowMark(row, errors)
      if (advocate && status)
        marks.push({
          advocateId: advocate.advocateId,
          status,
          absenceReason: reason || undefined,
          field: `Line ${row.line}`,
        })
    }
    refuseBadFile(table, errors)
    return writeMarks(context, unit, session, marks, 'upload')
  })
}

/** A lead specialist or the hub team shows a new code for the session; only its hash is kept. */
export async function showSessionCode(context: UseCaseContext, sessionId: number): Promise<string> {
  return inTransaction(context, async ({ tx, now, audit }) => {
    const session = await managedSession(context, tx, sessionId)
    const { code, hash } = newAttendanceCode()
    await tx
      .updateTable('work_group_sessions')
      .set({ attendance_code_hash: hash, updated_at: now })
      .where('id', '=', session.id)
      .execute()
    await audit({
      action: 'work-group-attendance.code',
      recordType: 'work-group-session',
      recordId: sessionId,
    })
    return code
  })
}

/** Five wrong codes an hour for one email address, then it must wait. */
export const SESSION_CODE_LIMIT = { name: 'work-group-code:email', limit: 5, windowMs: 60 * 60_000 }
const ASK_INSTEAD = 'ask the lead specialist to mark you'

const codeInput = z.object({
  email: emailAddressSchema({ required: 'Enter your email address' }),
  code: codeField('Enter the code shown at the session'),
})

/** The public facts of a session for its code page: none for a cancelled or unknown session. */
export async function sessionForCode(context: UseCaseContext, sessionId: number): Promise<SessionRecord> {
  const session = await findSession(context.db, sessionId)
  if (!session || session.status === 'cancelled') throw new NotFoundError('Session')
  return session
}

/**
 * An advocate enters their email address and the code shown at the session, during its hours.
 * Right code: an advocate of the group's schools on that date is marked present (unless already
 * marked); any other address changes nothing, and the answer is the same.
 */
export async function enterSessionCode(
  context: UseCaseContext,
  sessionId: number,
  raw: unknown,
): Promise<void> {
  const session = await sessionForCode(context, sessionId)
  const parsed = codeInput.safeParse(raw)
  if (!parsed.success) throw invalid(parsed.error)
  const subject = canonicalEmail(parsed.data.email)
  if (await overTheCodeLimit(context, SESSION_CODE_LIMIT, subject)) throw tooManyCodes(ASK_INSTEAD)
  const now = context.clock.now()
  if (!(session.startsAt <= now && now < session.endsAt))
    throw new ValidationError([
      { code: 'not-now', field: 'code', message: 'The code can only be entered during the session’s hours' },
    ])
  const right = await inTransaction(context, async ({ tx, now, audit }) => {
    const stored = await tx
      .selectFrom('work_group_sessions')
      .select('attendance_code_hash')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow()
    if (!codeMatches(stored.attendance_code_hash, parsed.data.code)) return false
    const advocate = (await groupAdvocates(tx, session.workGroupId, session.date)).find((a) =>
      sameMailbox(a.email, parsed.data.email),
    )
    if (!advocate) return true
    const inserted = await tx
      .insertInto('work_group_attendance')
      .values({
        session_id: sessionId,
        advocate_id: advocate.advocateId,
        status: 'present',
        absence_reason: null,
        method: 'code',
        recorded_by: null,
        recorded_at: now,
      })
      .onConflict((oc) => oc.columns(['session_id', 'advocate_id']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (inserted)
      await audit({
        action: 'work-group-attendance.code-entered',
        recordType: 'work-group-session',
        recordId: sessionId,
        after: { advocateId: advocate.advocateId },
      })
    return true
  })
  if (!right) await refuseWrongCode(context, SESSION_CODE_LIMIT, subject, ASK_INSTEAD)
}
