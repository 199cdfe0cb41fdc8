import type { z } from 'zod'
// Domain errors with stable codes. Routes map them to HTTP answers; nothing else inspects messages.

export type ErrorCode =
  | 'not-found'
  | 'validation'
  | 'conflict'
  | 'data-dir-locked'
  | 'missing-columns'
  | 'empty-import'
  | 'unreadable-file'
  | 'invalid-dump'
  | 'database-not-empty'
  | 'rate-limited'

export interface FieldError {
  code: string
  field: string
  message: string
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not-found', `${what} was not found`)
  }
}

export class ValidationError extends DomainError {
  constructor(readonly errors: FieldError[]) {
    super('validation', errors.map((e) => e.message).join('; '))
  }
}

/** The request clashes with the record as it stands (already applied, already submitted): 409. */
export class ConflictError extends DomainError {
  constructor(
    readonly errors: FieldError[],
    /** Where the record it clashes with is, for the API's Location header. */
    readonly existingId?: number,
  ) {
    super('conflict', errors.map((e) => e.message).join('; '))
  }
}

/** Too many requests of one kind from one client in the current window: 429 with Retry-After. */
export class RateLimitedError extends DomainError {
  constructor(
    /** What was limited, as a person would say it: "searches". */
    readonly what: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate-limited', `Too many ${what}: wait ${waitText(retryAfterSeconds)} and try again`)
  }
}

function waitText(seconds: number): string {
  if (seconds <= 1) return '1 second'
  if (seconds < 60) return `${seconds} seconds`
  const minutes = Math.ceil(seconds / 60)
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}

/** Parses use-case input with a zod schema; a refusal names each field and what to do. */
/**
 * One message per field: the first of a field's problems (an empty address is "Enter your email
 * address", not that and "Enter an email address in the correct format" too).
 */
function firstPerField(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>()
  return errors.filter((e) => !seen.has(e.field) && Boolean(seen.add(e.field)))
}

export function parseInput<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw)
  if (parsed.success) return parsed.data
  throw new ValidationError(
    firstPerField(
      parsed.error.issues.map((issue) => ({
        code: 'invalid',
        field: String(issue.path[0] ?? 'form'),
        message: issue.message,
      })),
    ),
  )
}

/** Like parseInput, but names nested fields by their whole path: teaching.trn, evidence.qts. */
export function parseNestedInput<T>(schema: z.ZodType<T>, raw: unknown, prefix = ''): T {
  const parsed = schema.safeParse(raw)
  if (parsed.success) return parsed.data
  throw new ValidationError(
    firstPerField(
      parsed.error.issues.map((issue) => ({
        code: 'invalid',
        field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'form',
        message: issue.message,
      })),
    ),
  )
}
