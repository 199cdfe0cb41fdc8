// Use-case for national administrators: a cohort's change history from the audit trail: who set
// it up, changed or closed it, when, and which of its details each change touched.
import { canViewAuditTrail } from '../access/access.policy.ts'
import { searchAudit } from '../audit/audit.ts'
import type { UseCaseContext } from '../use-case.ts'

/** The most recent changes shown; the audit trail holds every one. */
export const HISTORY_SIZE = 50

/** A cohort's details as the history names them, in the order the cohort page shows them. */
export const COHORT_FIELD_NAMES: Record<string, string> = {
  developmentYear: 'Development year',
  opensAt: 'Applications open',
  closesAt: 'Applications close',
  decisionsReleasedOn: 'Decisions released',
  essentialCriteria: 'Essential criteria',
  desirableCriteria: 'Desirable criteria',
  headteacherCommitments: 'Headteacher commitments',
  residentials: 'Residentials',
  funding: 'Funding',
}

const ACTIONS: Record<string, string> = {
  'cohort.create': 'Set up',
  'cohort.update': 'Changed',
  'cohort.close': 'Closed early',
}

export interface CohortChange {
  at: Date
  /** The person, or how the change was made when no person is named. */
  by: string
  action: string
  /** The details the change touched, by name; every detail for the setting up. */
  changed: string[]
}

function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') {
    try {
      return asRecord(JSON.parse(value))
    } catch {
      return {}
    }
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
}

/** The names of the details that differ between two audited versions of a cohort. */
export function changedFields(before: unknown, after: unknown): string[] {
  const b = asRecord(before)
  const a = asRecord(after)
  return Object.keys(COHORT_FIELD_NAMES)
    .filter((key) => key in a || key in b)
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
    .map((key) => COHORT_FIELD_NAMES[key]!)
}

function byWhom(name: string | null, kind: string): string {
  if (name) return kind === 'api-token' ? `${name} (API)` : name
  if (kind === 'command-line') return 'The command line'
  return 'The service'
}

/** The cohort's changes, newest first; undefined for anyone who may not see the audit trail. */
export async function viewCohortHistory(
  context: UseCaseContext,
  id: string,
): Promise<{ changes: CohortChange[]; total: number } | undefined> {
  if (!canViewAuditTrail(context.actor)) return undefined
  const page = await searchAudit(context.db, {
    recordType: 'cohort',
    recordId: id,
    page: 1,
    pageSize: HISTORY_SIZE,
  })
  return {
    total: page.total,
    changes: page.items.map((row) => ({
      at: row.occurred_at,
      by: byWhom(row.actor_name, row.actor_kind),
      action: ACTIONS[row.action] ?? row.action,
      changed: row.action === 'cohort.create' ? [] : changedFields(row.before, row.after),
    })),
  }
}
