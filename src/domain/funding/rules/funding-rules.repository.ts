// SQL for funding rules: a programme's rules from their dates, and a new one added. Rules are
// never edited: a change of rate is a new rule from a later date, so what was owed under the
// old one can always be worked out again.
import type { Executor, Tx } from '../../../db/database.ts'
import type { FundingRulesTable } from '../../../db/schema.ts'
import type { FundingRule } from './funding-rules.ts'

type Row = Omit<FundingRulesTable, 'id' | 'created_by' | 'created_at'> & { id: number }

function ruleOf(row: Row): FundingRule {
  return {
    id: row.id,
    programmeId: row.programme_id,
    appliesFrom: row.applies_from,
    releaseDayRatePence: row.release_day_rate_pence,
    releaseHalfDaysByYear: row.release_half_days_by_year.map(Number),
    bursaryPence: row.bursary_pence,
    supportDayRatePence: row.support_day_rate_pence,
    travelJourneyCapPence: row.travel_journey_cap_pence,
    travelNightCapPence: row.travel_night_cap_pence,
    note: row.note,
  }
}

const COLUMNS = [
  'id',
  'programme_id',
  'applies_from',
  'release_day_rate_pence',
  'release_half_days_by_year',
  'bursary_pence',
  'support_day_rate_pence',
  'travel_journey_cap_pence',
  'travel_night_cap_pence',
  'note',
] as const

/** Every rule, or one programme's, oldest first within each programme. */
export async function listFundingRules(db: Executor, programmeId?: string): Promise<FundingRule[]> {
  let query = db.selectFrom('funding_rules').select(COLUMNS)
  if (programmeId !== undefined) query = query.where('programme_id', '=', programmeId)
  const rows = await query.orderBy('programme_id').orderBy('applies_from').execute()
  return rows.map(ruleOf)
}

/** Rules by programme, for working out many amounts at once. */
export async function fundingRulesByProgramme(db: Executor): Promise<Map<string, FundingRule[]>> {
  const byProgramme = new Map<string, FundingRule[]>()
  for (const rule of await listFundingRules(db)) {
    const list = byProgramme.get(rule.programmeId) ?? []
    list.push(rule)
    byProgramme.set(rule.programmeId, list)
  }
  return byProgramme
}

export async function findFundingRule(db: Executor, id: number): Promise<FundingRule | undefined> {
  const row = await db.selectFrom('funding_rules').select(COLUMNS).where('id', '=', id).executeTakeFirst()
  return row ? ruleOf(row) : undefined
}

/** Adds a rule; undefined when the programme already has one from that date. */
export async function insertFundingRule(
  tx: Tx,
  rule: Omit<FundingRule, 'id'>,
  by: { personId: number | null; now: Date },
): Promise<number | undefined> {
  const row = await tx
    .insertInto('funding_rules')
    .values({
      programme_id: rule.programmeId,
      applies_from: rule.appliesFrom,
      release_day_rate_pence: rule.releaseDayRatePence,
      release_half_days_by_year: rule.releaseHalfDaysByYear,
      bursary_pence: rule.bursaryPence,
      support_day_rate_pence: rule.supportDayRatePence,
      travel_journey_cap_pence: rule.travelJourneyCapPence,
      travel_night_cap_pence: rule.travelNightCapPence,
      note: rule.note,
      created_by: by.personId,
      created_at: by.now,
    })
    .onConflict((oc) => oc.constraint('funding_rules_one_a_day').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}
