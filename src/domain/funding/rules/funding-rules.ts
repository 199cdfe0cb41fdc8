// A programme's funding rules from their dates (no SQL): the rule applying to a day is the latest
// one from on or before it, and a participation year's funded release is the rule's figure for
// that year, the last one standing for every later year.

export interface FundingRule {
  id: number
  programmeId: string
  /** YYYY-MM-DD, UK. */
  appliesFrom: string
  releaseDayRatePence: number
  /** Funded release by participation year, in half days; the last applies to every later year. */
  releaseHalfDaysByYear: number[]
  bursaryPence: number
  supportDayRatePence: number
  travelJourneyCapPence: number
  travelNightCapPence: number
  note: string | null
}

/** The rule applying on a day, among one programme's rules; undefined before the first. */
export function ruleOn(rules: readonly FundingRule[], date: string): FundingRule | undefined {
  let found: FundingRule | undefined
  for (const rule of rules) {
    if (rule.appliesFrom <= date && (!found || rule.appliesFrom > found.appliesFrom)) found = rule
  }
  return found
}

/** The funded release of a participation year (1, 2, …), in half days. */
export function ruleHalfDaysForYear(rule: FundingRule, year: number): number {
  const byYear = rule.releaseHalfDaysByYear
  return byYear[Math.min(year, byYear.length) - 1] ?? 0
}

/** A half day of release, or of support: half the day's rate (rates are whole numbers of 2p). */
export function halfDayPence(dayRatePence: number): number {
  return dayRatePence / 2
}

/** The travel a journey may be paid: its actual cost up to the caps, per journey and per night. */
export function travelPence(
  rule: Pick<FundingRule, 'travelJourneyCapPence' | 'travelNightCapPence'>,
  claimed: { journeyPence: number; nights: number; nightsPence: number },
): number {
  const journey = Math.min(claimed.journeyPence, rule.travelJourneyCapPence)
  const nights = Math.min(claimed.nightsPence, rule.travelNightCapPence * claimed.nights)
  return journey + nights
}
