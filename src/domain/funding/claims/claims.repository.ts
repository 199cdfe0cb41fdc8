// SQL for claims: the owed items a claim may name (with their amounts and who they belong to),
// the claims with their lines, and the writes. A claim's row is locked before it moves, so two
// decisions on one claim never both apply.
import { sql } from 'kysely'
import type { Executor, Tx } from '../../../db/database.ts'
import type { FundingClaimState, OwedKind } from '../../../db/schema.ts'

/** The threshold when NCETM has not set one: £5,000.00. */
export const DEFAULT_NATIONAL_THRESHOLD_PENCE = 500_000
export const THRESHOLD_SETTING = 'funding.national-approval-threshold-pence'

export async function nationalThresholdPence(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('service_settings')
    .select('value')
    .where('key', '=', THRESHOLD_SETTING)
    .executeTakeFirst()
  const value = row ? Number(typeof row.value === 'string' ? JSON.parse(row.value) : row.value) : NaN
  return Number.isSafeInteger(value) && value >= 0 ? value : DEFAULT_NATIONAL_THRESHOLD_PENCE
}

export interface OwedItemView {
  id: number
  kind: OwedKind
  hubId: string
  schoolUrn: number
  schoolName: string
  participationId: number | null
  specialistPersonId: number | null
  onDate: string
  description: string
  amountPence: number
  /** The claim holding the item (not rejected), if any. */
  claimId: number | null
}

function owedItemsQuery(db: Executor) {
  return db
    .selectFrom('owed_items as i')
    .innerJoin('schools as s', 's.urn', 'i.school_urn')
    .leftJoin('participations as p', 'p.id', 'i.participation_id')
    .select([
      'i.id',
      'i.kind',
      'i.hub_id',
      'i.school_urn',
      's.name as school_name',
      'i.participation_id',
      'p.person_id',
      'i.on_date',
      'i.description',
      sql<string>`(SELECT coalesce(sum(c.amount_pence), 0) FROM owed_changes c WHERE c.owed_item_id = i.id)`.as(
        'amount',
      ),
      sql<number | null>`(SELECT l.claim_id FROM funding_claim_lines l
        WHERE l.owed_item_id = i.id AND l.released_at IS NULL)`.as('claim_id'),
    ])
}

type OwedRow = Awaited<ReturnType<ReturnType<typeof owedItemsQuery>['execute']>>[number]

function owedItemOf(r: OwedRow): OwedItemView {
  return {
    id: r.id,
    kind: r.kind,
    hubId: r.hub_id,
    schoolUrn: r.school_urn,
    schoolName: r.school_name,
    participationId: r.participation_id,
    specialistPersonId: r.person_id,
    onDate: r.on_date,
    description: r.description,
    amountPence: Number(r.amount),
    claimId: r.claim_id === null ? null : Number(r.claim_id),
  }
}

export async function owedItemsById(db: Executor, ids: readonly number[]): Promise<OwedItemView[]> {
  if (ids.length === 0) return []
  const rows = await owedItemsQuery(db)
    .where('i.id', 'in', [...ids])
    .orderBy('i.on_date')
    .orderBy('i.id')
    .execute()
  return rows.map(owedItemOf)
}

/** The items owed to a school (or to a specialist's participations at it), oldest first. */
export async function owedItemsFor(
  db: Executor,
  scope: { schoolUrn?: number; hubId?: string; specialistPersonId?: number },
): Promise<OwedItemView[]> {
  let query = owedItemsQuery(db)
  if (scope.schoolUrn !== undefined) query = query.where('i.school_urn', '=', scope.schoolUrn)
  if (scope.hubId !== undefined) query = query.where('i.hub_id', '=', scope.hubId)
  if (scope.specialistPersonId !== undefined)
    query = query.where('p.person_id', '=', scope.specialistPersonId)
  const rows = await query.orderBy('i.on_date').orderBy('i.id').execute()
  return rows.map(owedItemOf)
}

export interface ClaimRow {
  id: number
  hubId: string
  schoolUrn: number
  state: FundingClaimState
  totalPence: number
  needsNationalApproval: boolean
  submittedBy: number
  submittedAs: 'school-contact' | 'specialist'
  submittedAt: Date
  rejectionReason: string | null
}

export async function findClaim(
  db: Executor,
  id: number,
  { lock = false } = {},
): Promise<ClaimRow | undefined> {
  let query = db
    .selectFrom('funding_claims')
    .select([
      'id',
      'hub_id',
      'school_urn',
      'state',
      'total_pence',
      'needs_national_approval',
      'submitted_by',
      'submitted_as',
      'submitted_at',
      'rejection_reason',
    ])
    .where('id', '=', id)
  if (lock) query = query.forUpdate()
  const r = await query.executeTakeFirst()
  return r
    ? {
        id: r.id,
        hubId: r.hub_id,
        schoolUrn: r.school_urn,
        state: r.state,
        totalPence: r.total_pence,
        needsNationalApproval: r.needs_national_approval,
        submittedBy: r.submitted_by,
        submittedAs: r.submitted_as,
        submittedAt: r.submitted_at,
        rejectionReason: r.rejection_reason,
      }
    : undefined
}

export interface ClaimLineView {
  id: number
  owedItemId: number
  kind: OwedKind
  description: string
  onDate: string
  amountPence: number
}

export async function claimLines(db: Executor, claimId: number): Promise<ClaimLineView[]> {
  const rows = await db
    .selectFrom('funding_claim_lines as l')
    .innerJoin('owed_items as i', 'i.id', 'l.owed_item_id')
    .select(['l.id', 'l.owed_item_id', 'i.kind', 'i.description', 'i.on_date', 'l.amount_pence'])
    .where('l.claim_id', '=', claimId)
    .orderBy('i.on_date')
    .orderBy('l.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    owedItemId: r.owed_item_id,
    kind: r.kind,
    description: r.description,
    onDate: r.on_date,
    amountPence: r.amount_pence,
  }))
}

export async function insertClaim(
  tx: Tx,
  claim: {
    hubId: string
    schoolUrn: number
    totalPence: number
    needsNationalApproval: boolean
    submittedBy: number
    submittedAs: 'school-contact' | 'specialist'
    now: Date
  },
  lines: readonly { owedItemId: number; amountPence: number }[],
): Promise<number> {
  const row = await tx
    .insertInto('funding_claims')
    .values({
      hub_id: claim.hubId,
      school_urn: claim.schoolUrn,
      state: 'submitted',
      total_pence: claim.totalPence,
      needs_national_approval: claim.needsNationalApproval,
      submitted_by: claim.submittedBy,
      submitted_as: claim.submittedAs,
      submitted_at: claim.now,
      updated_at: claim.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await tx
    .insertInto('funding_claim_lines')
    .values(lines.map((l) => ({ claim_id: row.id, owed_item_id: l.owedItemId, amount_pence: l.amountPence })))
    .execute()
  await insertClaimHistory(tx, {
    claimId: row.id,
    from: null,
    to: 'submitted',
    by: claim.submittedBy,
    now: claim.now,
  })
  return row.id
}

export async function insertClaimHistory(
  tx: Tx,
  entry: {
    claimId: number
    from: FundingClaimState | null
    to: FundingClaimState
    by: number | null
    reason?: string | null
    now: Date
  },
): Promise<void> {
  await tx
    .insertInto('funding_claim_history')
    .values({
      claim_id: entry.claimId,
      from_state: entry.from,
      to_state: entry.to,
      by_person_id: entry.by,
      reason: entry.reason ?? null,
      at: entry.now,
    })
    .execute()
}

export async function moveClaim(
  tx: Tx,
  claimId: number,
  to: FundingClaimState,
  set: {
    hubApprovedBy?: number
    nationalApprovedBy?: number
    rejectedBy?: number
    rejectionReason?: string
  },
  now: Date,
): Promise<void> {
  await tx
    .updateTable('funding_claims')
    .set({
      state: to,
      updated_at: now,
      ...(set.hubApprovedBy !== undefined
        ? { hub_approved_by: set.hubApprovedBy, hub_approved_at: now }
        : {}),
      ...(set.nationalApprovedBy !== undefined
        ? { national_approved_by: set.nationalApprovedBy, national_approved_at: now }
        : {}),
      ...(set.rejectedBy !== undefined
        ? { rejected_by: set.rejectedBy, rejected_at: now, rejection_reason: set.rejectionReason ?? null }
        : {}),
    })
    .where('id', '=', claimId)
    .execute()
  if (to === 'rejected') {
    await tx
      .updateTable('funding_claim_lines')
      .set({ released_at: now })
      .where('claim_id', '=', claimId)
      .where('released_at', 'is', null)
      .execute()
  }
}

export async function claimCounts(db: Executor): Promise<{ claims: number; lines: number; history: number }> {
  const row = await db
    .selectNoFrom([
      sql<string>`(SELECT count(*) FROM funding_claims)`.as('claims'),
      sql<string>`(SELECT count(*) FROM funding_claim_lines)`.as('lines'),
      sql<string>`(SELECT count(*) FROM funding_claim_history)`.as('history'),
    ])
    .executeTakeFirstOrThrow()
  return { claims: Number(row.claims), lines: Number(row.lines), history: Number(row.history) }
}
