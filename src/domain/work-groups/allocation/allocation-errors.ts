// Why a hub's schools cannot be placed in Work Groups as asked: a closed set of reasons, each
// with a sentence a hub can act on. The outcome says it; a use-case that wants a 422 throws it.
import { ValidationError } from '../../../errors.ts'

export type InfeasibleReason =
  /** A school (or schools that must stay together) has no candidate host of a phase it fits. */
  | 'no-host-for-phase'
  /** The candidate hosts together hold fewer schools than are interested (for some phase). */
  | 'not-enough-capacity'
  /** A school is placed with a host of a phase it does not fit. */
  | 'fixed-phase'
  /** More schools are placed with a host than its group holds. */
  | 'fixed-over-capacity'
  /** Two schools that must be apart are placed with the same host. */
  | 'fixed-apart'
  /** Two schools that must be together are placed with different hosts. */
  | 'fixed-together-split'
  /** A school is placed with a host whose own school is placed elsewhere. */
  | 'fixed-host-school-elsewhere'
  /** Two schools must be both together and apart (directly or through others). */
  | 'together-apart'
  /** Schools that must be together are more than any group they fit holds. */
  | 'together-too-large'
  /** The number of groups asked for cannot be met (too few for the schools, or more than can open). */
  | 'group-count'
  /** The solver proved that no plan meets every rule (for example, too many schools to keep apart). */
  | 'no-feasible-plan'
  /** The time limit ran out before any plan meeting every rule was found; none is proven impossible. */
  | 'no-plan-in-time'

export interface InfeasibleAllocation {
  status: 'infeasible'
  reason: InfeasibleReason
  message: string
  /** True when it is proven that no plan exists; false only for 'no-plan-in-time'. */
  proven: boolean
  solveMs: number
}

/** The infeasible outcome as a domain error (422 on a page or in the API), its reason as the code. */
export class InfeasibleAllocationError extends ValidationError {
  readonly reason: InfeasibleReason
  constructor(readonly outcome: InfeasibleAllocation) {
    super([{ code: outcome.reason, field: 'allocation', message: outcome.message }])
    this.reason = outcome.reason
    this.name = 'InfeasibleAllocationError'
  }
}

export function infeasible(reason: InfeasibleReason, message: string, solveMs = 0): InfeasibleAllocation {
  return { status: 'infeasible', reason, message, proven: reason !== 'no-plan-in-time', solveMs }
}
