// What every kind of attendance shares, for events' days and Work Group sessions alike: the
// statuses (present, late, left early, absent with a reason) and the mark's fields; reading an
// uploaded CSV or XLSX file's rows, each problem naming its line and column, with nothing saved
// unless every row is good; and the short code shown at a meeting, kept only as a hash, with wrong
// codes counted and limited.
import { randomInt } from 'node:crypto'
import { z } from 'zod'
import type { AttendanceStatus } from '../../db/schema.ts'
import { DomainError, ValidationError, type FieldError } from '../../errors.ts'
import type { CsvTable } from '../../lib/csv-file.ts'
import { readTableFile } from '../../lib/table-reader.ts'
import { hitRateLimit, rateLimitKey, type RateLimit } from '../access/rate-limit.repository.ts'
import { hashSecret } from '../auth/tokens.ts'
import type { UseCaseContext } from '../use-case.ts'

export const ATTENDANCE_STATUSES: readonly AttendanceStatus[] = ['present', 'late', 'left-early', 'absent']

export const STATUS_NAMES: Record<AttendanceStatus, string> = {
  present: 'Present',
  late: 'Late',
  'left-early': 'Left early',
  absent: 'Absent',
}

/** Whether a status counts as having been there (present, late or left early). */
export function attended(status: AttendanceStatus): boolean {
  return status !== 'absent'
}

/** A mark's status and, when absent, its reason: the fields every mark has. */
export const markFields = {
  status: z.enum(['present', 'late', 'left-early', 'absent'], {
    error: 'Select present, late, left early or absent',
  }),
  absenceReason: z.string().trim().max(2000, 'The reason must be 2,000 characters or fewer').optional(),
}

/** A problem with a mark: after its line and column in a file, or as a sentence on its own. */
export function say(field: string, text: string): string {
  return field.startsWith('Line') ? `${field}: ${text}` : text.charAt(0).toUpperCase() + text.slice(1)
}

/** The problems every mark can have: an absence without its reason, or the same one marked twice. */
export function markProblems(
  marks: { key: string; status: AttendanceStatus; absenceReason?: string | undefined; field: string }[],
  twice: string,
): FieldError[] {
  const errors: FieldError[] = []
  const seen = new Set<string>()
  for (const m of marks) {
    if (m.status === 'absent' && !m.absenceReason) {
      errors.push({
        code: 'reason',
        field: m.field.startsWith('Line') ? m.field : `${m.field}.absenceReason`,
        message: say(m.field, `give the reason for the absence`),
      })
    }
    if (seen.has(m.key)) errors.push({ code: 'duplicate', field: m.field, message: say(m.field, twice) })
    seen.add(m.key)
  }
  return errors
}

const STATUS_WORDS: Record<string, AttendanceStatus> = {
  present: 'present',
  late: 'late',
  'left early': 'left-early',
  'left-early': 'left-early',
  absent: 'absent',
}

/** The file's table, or the reason it cannot be read as the field "file"'s problem. */
export async function readAttendanceFile(bytes: Uint8Array, required: readonly string[]): Promise<CsvTable> {
  try {
    return await readTableFile(bytes, required, 'The file')
  } catch (error) {
    if (error instanceof DomainError)
      throw new ValidationError([{ code: error.code, field: 'file', message: error.message }])
    throw error
  }
}

/** The rows the reader could not split, each naming its line. */
export function malformedRows(table: CsvTable): FieldError[] {
  return table.malformed.map((m) => ({
    code: 'malformed',
    field: 'file',
    message: `Line ${m.line} ${m.message}`,
  }))
}

/** One row's status and reason from its "Status" and "Absence reason" columns, with their problems. */
export function rowMark(
  row: { line: number; values: Record<string, string | undefined> },
  errors: FieldError[],
): { status: AttendanceStatus | undefined; reason: string } {
  const at = (column: string) => `Line ${row.line}, column "${column}"`
  const status = STATUS_WORDS[(row.values.Status ?? '').toLowerCase()]
  const reason = row.values['Absence reason'] ?? ''
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
  return { status, reason }
}

/** Refuses an upload with problems, or with no rows under its header. */
export function refuseBadFile(table: CsvTable, errors: FieldError[]): void {
  if (table.rows.length === 0 && errors.length === 0) {
    errors.push({
      code: 'empty',
      field: 'file',
      message: 'The file has no rows under its header. Nothing was saved.',
    })
  }
  if (errors.length > 0) throw new ValidationError(errors)
}

/** Six characters people read off a screen, without 0/O or 1/I. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** A new code to show at a meeting, and the hash to keep of it. */
export function newAttendanceCode(): { code: string; hash: string } {
  const code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')
  return { code, hash: hashSecret(code) }
}

/** Whether the code entered is the one shown, however it was spaced or cased. */
export function codeMatches(storedHash: string | null, entered: string): boolean {
  return storedHash !== null && storedHash === hashSecret(entered.toUpperCase().replace(/\s+/g, ''))
}

/** The code field, with the message to show when it is missing. */
export function codeField(message: string) {
  return z.string({ error: message }).trim().min(1, message).max(20, message)
}

/** Five wrong codes an hour for one person, then they must wait. */
export const ATTENDANCE_CODE_LIMIT: RateLimit = {
  name: 'attendance-code:person',
  limit: 5,
  windowMs: 60 * 60_000,
}

/** Whether the subject has used up this window's wrong codes: then even the right one waits. */
export async function overTheCodeLimit(
  context: UseCaseContext,
  limit: RateLimit,
  subject: string,
): Promise<boolean> {
  const now = context.clock.now().getTime()
  const windowStart = new Date(Math.floor(now / limit.windowMs) * limit.windowMs)
  const row = await context.db
    .selectFrom('rate_limits')
    .select('hits')
    .where('key', '=', rateLimitKey(limit, subject))
    .where('window_start', '=', windowStart)
    .executeTakeFirst()
  return (row?.hits ?? 0) >= limit.limit
}

/**
 * Counts a wrong code against the subject, outside the refused change so the count stays, and
 * answers with the refusal: "not right", or "too many" once the limit is passed.
 */
export async function refuseWrongCode(
  context: UseCaseContext,
  limit: RateLimit,
  subject: string,
  askInstead: string,
): Promise<never> {
  const { allowed } = await hitRateLimit(context.db, limit, subject, context.clock.now())
  if (!allowed) throw tooManyCodes(askInstead)
  throw new ValidationError([
    { code: 'wrong-code', field: 'code', message: 'The code is not right: check it and try again' },
  ])
}

export function tooManyCodes(askInstead: string): ValidationError {
  return new ValidationError([
    {
      code: 'too-many',
      field: 'code',
      message: `You have entered a wrong code too many times. Try again in an hour, or ${askInstead}`,
    },
  ])
}
