// The participation rule as data (work_group_grant_rules.rule): how many of a school's advocate
// places must each have attended at least a share of the sessions held. Attended is present, late
// or left early. An advocate place (slot) counts the sessions attended by whoever held it, so a
// school that changed an advocate mid-year keeps the sessions its first advocate attended.
import type { AttendanceStatus } from '../../../db/schema.ts'

export interface ParticipationRule {
  advocates: number
  attendedShare: number
}

export const ATTENDED: readonly AttendanceStatus[] = ['present', 'late', 'left-early']

export interface SlotAttendance {
  slot: number
  attended: number
}

export interface RuleOutcome {
  met: boolean
  sessionsHeld: number
  /** The fewest sessions each counted advocate place must have attended. */
  needed: number
  slots: SlotAttendance[]
}

export function meetsParticipationRule(
  rule: ParticipationRule,
  sessionsHeld: number,
  slots: SlotAttendance[],
): RuleOutcome {
  const needed = Math.ceil(sessionsHeld * rule.attendedShare - 1e-9)
  const enough = slots.filter((s) => s.attended >= needed).length
  return { met: sessionsHeld > 0 && enough >= rule.advocates, sessionsHeld, needed, slots }
}
