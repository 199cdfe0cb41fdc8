// Use-case: national administrators search the audit trail by person, record and date.
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { mapPage, pagingParams } from '../../lib/paging.ts'
import { isPlainLine } from '../../lib/text.ts'
import { parseUkDateTime } from '../../lib/uk-time.ts'
import { canViewAuditTrail } from '../access/access.policy.ts'
import { findPersonByEmail } from '../people/people.repository.ts'
import type { UseCaseContext } from '../use-case.ts'
import { searchAudit } from './audit.ts'

/** Changes on a page of the audit trail. */
export const AUDIT_PAGE_SIZE = 50

export const AUDIT_RECORD_TYPES = [
  { value: 'person', text: 'Person' },
  { value: 'grant', text: 'Role' },
  { value: 'hub', text: 'Hub' },
  { value: 'hub-area', text: 'Hub area' },
  { value: 'api-token', text: 'API token' },
  { value: 'cohort', text: 'Cohort' },
  { value: 'application', text: 'Application' },
  { value: 'review-assignment', text: 'Review assignment' },
  { value: 'review', text: 'Review' },
  { value: 'selection-round', text: 'Selection round' },
  { value: 'participation', text: 'Participation' },
  { value: 'retention', text: 'Retention (deleted applications)' },
]

const isoDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a real date, like 2026-11-22')
  .optional()
  .or(z.literal('').transform(() => undefined))

// PostgreSQL cannot even be asked about a NUL: text searched for must be plain.
export const auditSearchInput = z.object({
  person: z
    .string()
    .trim()
    .max(254, 'Email address must be 254 characters or fewer')
    .refine(isPlainLine, 'Email address must not contain control characters')
    .optional(),
  recordType: z
    .enum(AUDIT_RECORD_TYPES.map((t) => t.value) as [string, ...string[]], {
      message: 'Select a kind of record',
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  recordId: z
    .string()
    .trim()
    .max(100, 'Record must be 100 characters or fewer')
    .refine(isPlainLine, 'Record must not contain control characters')
    .optional(),
  from: isoDay,
  to: isoDay,
  ...pagingParams(AUDIT_PAGE_SIZE, 200),
})

/** The instant a UK calendar day starts. */
function startOfUkDay(iso: string, field: string): Date {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number]
  const probe = new Date(Date.UTC(year, month - 1, day))
  if (year < 1 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new ValidationError([{ code: 'invalid', field, message: 'Enter a real date' }])
  }
  return parseUkDateTime({ year, month, day, hour: 0, minute: 0 })
}

export async function searchAuditTrail(context: UseCaseContext, raw: unknown) {
  if (!canViewAuditTrail(context.actor)) throw new NotFoundError('Audit trail')
  const input = parseInput(auditSearchInput, raw)
  let personId: number | undefined
  if (input.person) {
    const person = await findPersonByEmail(context.db, input.person)
    if (!person) return { total: 0, page: input.page, pageSize: input.pageSize, items: [] }
    personId = person.id
  }
  const from = input.from ? startOfUkDay(input.from, 'from') : undefined
  // "To" includes the whole UK day: the search stops where the next day starts.
  let toExclusive: Date | undefined
  if (input.to) {
    startOfUkDay(input.to, 'to') // refuses a date that does not exist, like 2026-02-30
    const [year, month, day] = input.to.split('-').map(Number) as [number, number, number]
    toExclusive = startOfUkDay(new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10), 'to')
  }
  const rows = await searchAudit(context.db, {
    personId,
    recordType: input.recordType,
    recordId: input.recordId || undefined,
    from,
    to: toExclusive,
    page: input.page,
    pageSize: input.pageSize,
  })
  return mapPage(rows, (r) => ({
    id: r.id,
    occurredAt: r.occurred_at,
    actorName: r.actor_name,
    actorKind: r.actor_kind,
    action: r.action,
    recordType: r.record_type,
    recordId: r.record_id,
    // As the JSON they are (an object, as recorded); a page writes them out as text itself.
    before: r.before ?? null,
    after: r.after ?? null,
    requestId: r.request_id,
  }))
}
