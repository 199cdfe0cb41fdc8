// A claim's state machine as data (ADR 0027). A school (or a specialist, for their own school)
// submits a claim for what is owed; the hub approves it or rejects it with a reason. A claim above
// NCETM's threshold waits, once the hub has approved it, for NCETM's finance approval too. An
// approved claim is paid by a payment run; a rejected one frees its owed items to be claimed again.
import { defineStateMachine } from '../../../lib/state-machine.ts'

import type { FundingClaimState as ClaimState } from '../../../db/schema.ts'

export type { ClaimState }

export const CLAIM_STATES = [
  'submitted',
  'awaiting-national',
  'approved',
  'rejected',
  'paid',
] as const satisfies readonly ClaimState[]

export const CLAIM_EVENTS = {
  'hub-approve': { from: ['submitted'], to: 'approved' },
  'hub-approve-above-threshold': { from: ['submitted'], to: 'awaiting-national' },
  'national-approve': { from: ['awaiting-national'], to: 'approved' },
  reject: { from: ['submitted', 'awaiting-national'], to: 'rejected' },
  pay: { from: ['approved'], to: 'paid' },
} as const satisfies Record<string, { from: readonly ClaimState[]; to: ClaimState }>

export type ClaimEvent = keyof typeof CLAIM_EVENTS

export const CLAIMS = defineStateMachine<ClaimState, ClaimEvent>({
  states: CLAIM_STATES,
  events: CLAIM_EVENTS,
  refusals: {
    'hub-approve': 'Only a claim waiting for the hub can be approved by the hub',
    'hub-approve-above-threshold': 'Only a claim waiting for the hub can be approved by the hub',
    'national-approve': 'Only a claim waiting for NCETM finance approval can be approved by NCETM finance',
    reject: 'Only a claim waiting for approval can be rejected',
    pay: 'Only an approved claim can be paid',
  },
})

/** Its owed items are claimed: every state but rejected. */
export const HOLDS_ITEMS: readonly ClaimState[] = ['submitted', 'awaiting-national', 'approved', 'paid']

export const CLAIM_STATE_NAMES: Record<ClaimState, string> = {
  submitted: 'Waiting for the hub',
  'awaiting-national': 'Waiting for NCETM finance',
  approved: 'Approved',
  rejected: 'Rejected',
  paid: 'Paid',
}

export const CLAIM_STATE_TAGS: Record<ClaimState, string> = {
  submitted: 'govuk-tag--blue',
  'awaiting-national': 'govuk-tag--yellow',
  approved: 'govuk-tag--green',
  rejected: 'govuk-tag--red',
  paid: 'govuk-tag--purple',
}
