// Errors from the database (pg and PGlite's node-postgres adapter raise the same DatabaseError):
// what kind they are, and what of them may be written to a log. PostgreSQL's DETAIL, WHERE and
// the query's parameters carry row values (an email address in "Key (lower(email))=(...) already
// exists"), so a log keeps only the SQLSTATE, the names of the constraint, table and column, and
// the message with any quoted value in it replaced.

export interface DatabaseErrorFields {
  code: string
  severity?: string
  constraint?: string
  table?: string
  column?: string
  schema?: string
  dataType?: string
  routine?: string
  message: string
}

/** An error PostgreSQL sent: a five-character SQLSTATE and the protocol's severity. */
export function isDatabaseError(error: unknown): error is Error & DatabaseErrorFields {
  if (!(error instanceof Error)) return false
  const { code, severity } = error as { code?: unknown; severity?: unknown }
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string'
}

/** The database error behind an error, if any: itself, or one of its causes. */
export function databaseErrorIn(error: unknown): (Error & DatabaseErrorFields) | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (isDatabaseError(current)) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

export type DatabaseRefusal =
  /** The row clashes with one already there: a duplicate, often two requests at the same moment. */
  | 'duplicate'
  /** The row names a record that is not there, or a record still named by others was removed. */
  | 'missing-reference'
  /** A value the database cannot read or hold (class 22: a NUL, an out-of-range number, bad text). */
  | 'unreadable-value'

/** What a database error says about the request, when it is the request's doing rather than a fault. */
export function refusalOf(error: DatabaseErrorFields): DatabaseRefusal | undefined {
  if (error.code === '23505' || error.code === '23P01') return 'duplicate'
  if (error.code === '23503') return 'missing-reference'
  if (error.code.startsWith('22')) return 'unreadable-value'
  return undefined
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/

/**
 * The message without values: a quoted part is kept only when it names something in the schema
 * (a constraint, table, column or type, as the error's own fields do); any other quoted part, and
 * every quoted part of a data exception (class 22, whose messages quote the value refused), is
 * replaced.
 */
export function messageWithoutValues(error: DatabaseErrorFields): string {
  const names = new Set(
    [error.constraint, error.table, error.column, error.schema, error.dataType].filter(Boolean),
  )
  const dataException = error.code.startsWith('22')
  return error.message.replace(/"((?:[^"]|"")*)"/g, (quoted, inner: string) => {
    if (names.has(inner)) return quoted
    if (!dataException && IDENTIFIER.test(inner)) return quoted
    return '"[redacted]"'
  })
}

/** What a log may hold of a database error. */
export function databaseErrorForLog(error: Error & DatabaseErrorFields): {
  type: string
  message: string
  stack: string
  [key: string]: unknown
} {
  const message = messageWithoutValues(error)
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
  return {
    type: 'DatabaseError',
    code: error.code,
    ...(error.severity ? { severity: error.severity } : {}),
    ...(error.constraint ? { constraint: error.constraint } : {}),
    ...(error.table ? { table: error.table } : {}),
    ...(error.column ? { column: error.column } : {}),
    ...(error.routine ? { routine: error.routine } : {}),
    message,
    stack: [`DatabaseError: ${message}`, ...frames].join('\n'),
  }
}
