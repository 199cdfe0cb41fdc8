// The audit trail: one append-only row per change of state, written in the same transaction as
// the change (the row records the transaction id, equal to the changed rows' xmin).
import { sql } from 'kysely'
import type { Executor, Tx } from '../../db/database.ts'
import { fetchPage } from '../../db/paged-query.ts'
import { actingPersonId, type Actor } from '../access/actor.ts'

export interface AuditContext {
  actor: Actor
  requestId?: string | undefined
  now: Date
}

export interface AuditEntry {
  action: string
  recordType: string
  recordId: string | number
  before?: unknown
  after?: unknown
}

export async function recordAudit(tx: Tx, context: AuditContext, entry: AuditEntry): Promise<void> {
  const actor = context.actor
  await tx
    .insertInto('audit_events')
    .values({
      occurred_at: context.now,
      actor_person_id: actingPersonId(actor),
      actor_kind:
        actor.kind === 'anonymous'
          ? 'system'
          : actor.via === 'api-token'
            ? 'api-token'
            : actor.via === 'command-line'
              ? 'command-line'
              : 'person',
      action: entry.action,
      record_type: entry.recordType,
      record_id: String(entry.recordId),
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      request_id: context.requestId ?? null,
    })
    .execute()
}

export interface AuditSearch {
  personId?: number | undefined
  recordType?: string | undefined
  recordId?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
  page: number
  pageSize: number
}

export async function searchAudit(db: Executor, search: AuditSearch) {
  let query = db
    .selectFrom('audit_events as e')
    .leftJoin('people as p', 'p.id', 'e.actor_person_id')
    .select([
      'e.id',
      'e.occurred_at',
      'e.actor_person_id',
      'e.actor_kind',
      'p.name as actor_name',
      'e.action',
      'e.record_type',
      'e.record_id',
      'e.before',
      'e.after',
      'e.request_id',
    ])
  if (search.personId !== undefined) {
    const personId = search.personId
    query = query.where((eb) =>
      eb.or([
        eb('e.actor_person_id', '=', personId),
        eb.and([eb('e.record_type', '=', 'person'), eb('e.record_id', '=', String(personId))]),
      ]),
    )
  }
  if (search.recordType) query = query.where('e.record_type', '=', search.recordType)
  if (search.recordId) query = query.where('e.record_id', '=', search.recordId)
  if (search.from) query = query.where('e.occurred_at', '>=', search.from)
  if (search.to) query = query.where('e.occurred_at', '<', search.to)
  return fetchPage(db, query.orderBy('e.id', 'desc'), search)
}

/** The transaction id a row was last written in, to prove an audit row shares its transaction. */
export async function rowTransactionId(
  db: Executor,
  table: string,
  where: { column: string; value: unknown },
) {
  const result = await sql<{
    xmin: string
  }>`SELECT xmin::text AS xmin FROM ${sql.table(table)} WHERE ${sql.ref(where.column)} = ${where.value}`.execute(
    db,
  )
  return result.rows[0] ? Number(result.rows[0].xmin) : undefined
}
