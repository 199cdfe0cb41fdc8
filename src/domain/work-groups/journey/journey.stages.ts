// A school's teaching-for-mastery stages as data: the four stages in order, their names, and the
// moves the hub may record (from a stage, or from none for the school's first recorded stage, to
// the next). Development is once only and Embedding follows it; a school new to the service may
// start at any stage. Moving back, staying put or skipping a stage is refused in plain words.
import type { SchoolMasteryStage } from '../../../db/schema.ts'

export type { SchoolMasteryStage }

export const MASTERY_STAGES = [
  'readiness',
  'development',
  'embedding',
  'sustaining',
] as const satisfies readonly SchoolMasteryStage[]

export const MASTERY_STAGE_NAMES: Record<SchoolMasteryStage, string> = {
  readiness: 'Readiness',
  development: 'Development',
  embedding: 'Embedding',
  sustaining: 'Sustaining',
}

/** The moves allowed, from → to; `none` is a school with no stage recorded yet. */
export const STAGE_MOVES: Record<SchoolMasteryStage | 'none', readonly SchoolMasteryStage[]> = {
  none: MASTERY_STAGES,
  readiness: ['development'],
  development: ['embedding'],
  embedding: ['sustaining'],
  sustaining: [],
}

export function canMoveStage(from: SchoolMasteryStage | null, to: SchoolMasteryStage): boolean {
  return STAGE_MOVES[from ?? 'none'].includes(to)
}

/** Why a move is refused, or null when it is allowed. */
export function stageMoveRefusal(from: SchoolMasteryStage | null, to: SchoolMasteryStage): string | null {
  if (canMoveStage(from, to)) return null
  if (from === null) return null
  const fromName = MASTERY_STAGE_NAMES[from]
  const toName = MASTERY_STAGE_NAMES[to]
  if (from === to) return `The school is already at ${fromName}`
  const order = (s: SchoolMasteryStage) => MASTERY_STAGES.indexOf(s)
  if (order(to) < order(from)) return `A school cannot move back from ${fromName} to ${toName}`
  const next = STAGE_MOVES[from][0]!
  return `A school moves from ${fromName} to ${MASTERY_STAGE_NAMES[next]} first, not straight to ${toName}`
}
