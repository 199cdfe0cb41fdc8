// What is owed comes from what happened (ADR 0027). For each record that makes money owed, the
// amount it should be owed now is worked out from the records and the funding rules:
// - a half day of release used and not reversed, paid to the specialist's school at half the day
//   rate, while it is within the year's funded days and the extra days the hub approved (the
//   earliest half days of the year come first);
// - a support visit, paid to the specialist's school at half the support day rate a half day;
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

async function expectedReleaseTime(
  tx: Tx,
  rules: Map<string, FundingRule[]>,
  today: string,
  hubId?: string,
): Promise<Expected[]> {
  const participations = await payingParticipations(tx, hubId)
  const ids = participations.map((p) => p.id)
  const uses = await liveUses(tx, ids)
  const approved = await approvals(tx, ids)
  const expected: Expected[] = []
  for (const participation of participations) {
    const own = uses.filter((u) => u.participationId === participation.id)
    if (own.length === 0) continue
    const until = own.reduce((latest, u) => (u.on > latest ? u.on : latest), today)
    const years = participationYears(participation.stages, until)
    const funded = fundedHalfDays(participation.funding.releaseDaysPerYear)
    for (const year of years) {
      const inYear = own.filter((u) =>
        year.periods.some((p) => p.startsOn <= u.on && (p.endsOn === null || u.on < p.endsOn)),
      )
      const allowed =
        funded +
        approved
          .filter((a) => a.participationId === participation.id && a.year === year.year)
          .reduce((sum, a) => sum + a.halfDays, 0)
      inYear.forEach((use, index) => {
        const rule = ruleOn(rules.get(participation.programmeId) ?? [], use.on)
        const within = index < allowed
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
      })
    }
  }
  return expected
}

async function expectedSupportVisits(
  tx: Tx,
  rules: Map<string, FundingRule[]>,
  hubId?: string,
): Promise<Expected[]> {
  return (await supportVisitSources(tx, hubId)).map((visit) => {
    const rule = ruleOn(rules.get(visit.programmeId) ?? [], visit.visitedOn)
    return {
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
      amountPence: rule ? visit.halfDays * halfDayPence(rule.supportDayRatePence) : 0,
      fundingRuleId: rule?.id ?? null,
      reason: rule ? `${visit.halfDays} half days of support` : 'No funding rule applies on the day',
    }
  })
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
    ...(await expectedReleaseTime(tx, rules, ukDate(now), hubId)),
    ...(await expectedSupportVisits(tx, rules, hubId)),
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
