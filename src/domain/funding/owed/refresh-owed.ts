// What is owed comes from what happened (ADR 0027). For each record that makes money owed, the
// amount it should be owed now is worked out from the records and the funding rules:
// - a half day of release used and not reversed, paid to the specialist's school at half the day
//   rate, while it is within the year's funded days and the extra days the hub approved (the
//   earliest half days of the year come first);
// - a support visit, paid to the specialist's school at half the support day rate a half day,
//   while the year's allowance lasts (visits count in the days used, beside the days logged);
// - a participation grant due, paid to the Work Group school.
// Each is set beside what its owed item holds (the sum of its changes) and only the difference is
// written, as a new change with its reason: so a reversal, a withdrawal or an approval of extra
// days changes what is owed as history, never by an edit, and a second refresh writes nothing.
// Refreshes take one lock, so two at once never both write the same difference.
import { sql } from 'kysely'
import type { Tx } from '../../../db/database.ts'
import { ukDateText } from '../../participants/accreditation/view-accreditation.ts'
import { approvals, liveUses } from '../../participants/release-time/release-time.repository.ts'
import { fundedHalfDays, participationYears } from '../../participants/release-time/release-years.ts'
import { HALF_NAMES } from '../../participants/release-time/release-time.ts'
import { ukDate } from '../../events/bookings/book-place.ts'
import type { Unit } from '../../use-case.ts'
import { fundingRulesByProgramme } from '../rules/funding-rules.repository.ts'
import { halfDayPence, ruleOn, type FundingRule } from '../rules/funding-rules.ts'
import {
  grantSources,
  insertOwedChanges,
  insertOwedItems,
  owedBalances,
  payingParticipations,
  supportVisitSources,
  type NewOwedChange,
  type NewOwedItem,
} from './owed.repository.ts'
import type { OwedKind } from '../../../db/schema.ts'

const REFRESH_LOCK = 7_310_027

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const item of items) {
    const list = groups.get(key(item))
    if (list) list.push(item)
    else groups.set(key(item), [item])
  }
  return groups
}

/** What one record should be owed now, and why it changed when it did. */
interface Expected {
  item: NewOwedItem
  amountPence: number
  fundingRuleId: number | null
  /** The reason for a change to this amount. */
  reason: string
}

export interface OwedRefresh {
  itemsAdded: number
  changesWritten: number
  /** The sum of the changes written, in pence (negative when less is owed). */
  netPence: number
  changeIds: number[]
}

const keyOf = (kind: OwedKind, sourceId: number) => `${kind}:${sourceId}`

/**
 * Release time and support visits together, as both use up a year's funded and approved days
 * (ADR 0023): within each participation year, half days logged and visits are taken in date
 * order, and each is owed while the allowance lasts (a visit may be owed for part of its half
 * days). A visit dated in no year of the programme uses no allowance and is owed in full. Release
 * items are for the hub's own specialists; visit items for the hub's Work Groups.
 */
async function expectedReleaseAndSupport(
  tx: Tx,
  rules: Map<string, FundingRule[]>,
  today: string,
  hubId?: string,
): Promise<Expected[]> {
  const visits = await supportVisitSources(tx, hubId)
  const participations = await payingParticipations(tx, hubId, [
    ...new Set(visits.map((v) => v.participationId)),
  ])
  const ids = participations.map((p) => p.id)
  const uses = await liveUses(tx, ids)
  const approved = await approvals(tx, ids)
  const usesOf = groupBy(uses, (u) => u.participationId)
  const visitsOf = groupBy(visits, (v) => v.participationId)
  const approvedOf = groupBy(approved, (a) => a.participationId)
  const expected: Expected[] = []
  const paidVisitHalves = new Map<number, number>()
  for (const participation of participations) {
    const own = usesOf.get(participation.id) ?? []
    const ownVisits = visitsOf.get(participation.id) ?? []
    if (own.length === 0 && ownVisits.length === 0) continue
    const until = [...own.map((u) => u.on), ...ownVisits.map((v) => v.visitedOn)].reduce(
      (latest, d) => (d > latest ? d : latest),
      today,
    )
    const years = participationYears(participation.stages, until)
    const funded = fundedHalfDays(participation.funding.releaseDaysPerYear)
    const inYear = (year: (typeof years)[number], date: string) =>
      year.periods.some((p) => p.startsOn <= date && (p.endsOn === null || date < p.endsOn))
    for (const year of years) {
      let remaining =
        funded +
        (approvedOf.get(participation.id) ?? [])
          .filter((a) => a.year === year.year)
          .reduce((sum, a) => sum + a.halfDays, 0)
      const events = [
        ...own.filter((u) => inYear(year, u.on)).map((use) => ({ on: use.on, use, visit: undefined })),
        ...ownVisits
          .filter((v) => inYear(year, v.visitedOn))
          .map((visit) => ({ on: visit.visitedOn, use: undefined, visit })),
      ].sort((x, y) => x.on.localeCompare(y.on))
      for (const event of events) {
        if (event.visit) {
          paidVisitHalves.set(event.visit.id, Math.min(event.visit.halfDays, Math.max(0, remaining)))
          remaining -= event.visit.halfDays
          continue
        }
        const use = event.use!
        const within = remaining > 0
        remaining -= 1
        if (hubId !== undefined && participation.hubId !== hubId) continue
        const rule = ruleOn(rules.get(participation.programmeId) ?? [], use.on)
        expected.push({
          item: {
            kind: 'release-time',
            sourceId: use.id,
            hubId: participation.hubId,
            schoolUrn: participation.schoolUrn,
            participationId: participation.id,
            workGroupId: null,
            onDate: use.on,
            description: `Release time: ${HALF_NAMES[use.half].toLowerCase()} of ${ukDateText(use.on)}`,
          },
          amountPence: within && rule ? halfDayPence(rule.releaseDayRatePence) : 0,
          fundingRuleId: rule?.id ?? null,
          reason: !rule
            ? 'No funding rule applies on the day'
            : within
              ? 'Within the funded and approved days'
              : 'Beyond the funded and approved days',
        })
      }
    }
  }
  for (const visit of visits) {
    if (hubId !== undefined && visit.hubId !== hubId) continue
    const rule = ruleOn(rules.get(visit.programmeId) ?? [], visit.visitedOn)
    const halves = paidVisitHalves.get(visit.id) ?? visit.halfDays
    expected.push({
      item: {
        kind: 'support-visit',
        sourceId: visit.id,
        hubId: visit.hubId,
        schoolUrn: visit.payeeUrn,
        participationId: visit.participationId,
        workGroupId: visit.workGroupId,
        onDate: visit.visitedOn,
        description: `Support visit to ${visit.visitedSchoolName} on ${ukDateText(visit.visitedOn)}`,
      },
      amountPence: rule ? halves * halfDayPence(rule.supportDayRatePence) : 0,
      fundingRuleId: rule?.id ?? null,
      reason: !rule
        ? 'No funding rule applies on the day'
        : halves === visit.halfDays
          ? `${visit.halfDays} half days of support`
          : `${halves} of ${visit.halfDays} half days of support within the funded and approved days`,
    })
  }
  return expected
}

async function expectedGrants(tx: Tx, hubId?: string): Promise<Expected[]> {
  return (await grantSources(tx, hubId)).map((grant) => ({
    item: {
      kind: 'grant',
      sourceId: grant.id,
      hubId: grant.hubId,
      schoolUrn: grant.schoolUrn,
      participationId: null,
      workGroupId: grant.workGroupId,
      onDate: grant.dueOn,
      description: `Participation grant: ${grant.workGroupName}`,
    },
    amountPence: grant.amountPence,
    fundingRuleId: null,
    reason: 'The participation rule was met',
  }))
}

const GONE: Record<OwedKind, string> = {
  'release-time': 'The half day was reversed',
  'support-visit': 'The support visit was removed',
  grant: 'The grant is no longer due',
}

/**
 * Brings what is owed (to one hub's schools, or every hub's) up to date with the records, in the
 * unit's transaction, with one audit entry naming every change written.
 */
export async function refreshOwed(unit: Unit, { hubId }: { hubId?: string } = {}): Promise<OwedRefresh> {
  const { tx, now } = unit
  await sql`SELECT pg_advisory_xact_lock(${REFRESH_LOCK})`.execute(tx)
  const rules = await fundingRulesByProgramme(tx)
  const expected = [
    ...(await expectedReleaseAndSupport(tx, rules, ukDate(now), hubId)),
    ...(await expectedGrants(tx, hubId)),
  ]
  const balances = new Map((await owedBalances(tx, hubId)).map((b) => [keyOf(b.kind, b.sourceId), b]))
  const toAdd = expected.filter(
    (e) => e.amountPence !== 0 && !balances.has(keyOf(e.item.kind, e.item.sourceId)),
  )
  const added = await insertOwedItems(
    tx,
    toAdd.map((e) => e.item),
    now,
  )
  const changes: NewOwedChange[] = []
  const seen = new Set<string>()
  for (const e of expected) {
    const key = keyOf(e.item.kind, e.item.sourceId)
    seen.add(key)
    const balance = balances.get(key)
    const itemId = balance?.id ?? added.get(key)
    const difference = e.amountPence - (balance?.amountPence ?? 0)
    if (itemId === undefined || difference === 0) continue
    changes.push({
      owedItemId: itemId,
      amountPence: difference,
      fundingRuleId: e.fundingRuleId,
      reason: e.reason,
    })
  }
  for (const [key, balance] of balances) {
    if (seen.has(key) || balance.amountPence === 0) continue
    changes.push({
      owedItemId: balance.id,
      amountPence: -balance.amountPence,
      fundingRuleId: null,
      reason: GONE[balance.kind],
    })
  }
  const changeIds = await insertOwedChanges(tx, changes, now)
  const netPence = changes.reduce((sum, c) => sum + c.amountPence, 0)
  if (changeIds.length > 0) {
    await unit.audit({
      action: 'funding.refresh-owed',
      recordType: 'owed-changes',
      recordId: hubId ?? 'all-hubs',
      after: { itemsAdded: added.size, changes: changeIds.length, netPence, changeIds },
    })
  }
  return { itemsAdded: added.size, changesWritten: changeIds.length, netPence, changeIds }
}
