// The hub approves or rejects a claim; a claim above NCETM's threshold, once the hub has approved
// it, waits for NCETM finance approval too. The approver is never the submitter (checked here, and
// by the database). A rejection gives its reason and frees the claim's items to be claimed again.
// The claim's row is locked first, so two decisions on one claim never both apply.
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { RefusedMove } from '../../../lib/state-machine.ts'
import type { Actor } from '../../access/actor.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canApproveForHub, canApproveNationally, canViewClaim } from '../funding.policy.ts'
import { CLAIMS, type ClaimEvent, type ClaimState } from './claim.states.ts'
import { findClaim, insertClaimHistory, moveClaim, type ClaimRow } from './claims.repository.ts'

const decideInput = z.discriminatedUnion(
  'decision',
  [
    z.object({ decision: z.literal('approve') }),
    z.object({
      decision: z.literal('reject'),
      reason: z
        .string({ error: 'Enter why the claim is rejected' })
        .trim()
        .min(1, 'Enter why the claim is rejected')
        .max(2000, 'The reason must be 2,000 characters or fewer'),
    }),
  ],
  { error: 'Select whether to approve or reject the claim' },
)

export type DecideClaimInput = z.input<typeof decideInput>

function refuse(code: string, field: string, message: string): ValidationError {
  return new ValidationError([{ code, field, message }])
}

/** The event the actor's decision is, on the claim as it stands; throws where they may not make it. */
function eventFor(actor: Actor, claim: ClaimRow, decision: 'approve' | 'reject'): ClaimEvent {
  const hub = canApproveForHub(actor, claim)
  const national = canApproveNationally(actor)
  if (claim.state === 'awaiting-national') {
    if (!national)
      throw refuse('needs-national', 'decision', 'This claim is waiting for NCETM finance approval')
    return decision === 'approve' ? 'national-approve' : 'reject'
  }
  if (!hub && !national)
    throw refuse('not-the-hub', 'decision', 'Only the hub that pays this claim can decide it')
  if (decision === 'reject') return 'reject'
  if (!hub) throw refuse('not-the-hub', 'decision', 'The hub approves a claim before NCETM finance does')
  return claim.needsNationalApproval ? 'hub-approve-above-threshold' : 'hub-approve'
}

export async function decideClaim(
  context: UseCaseContext,
  claimId: number,
  raw: unknown,
): Promise<ClaimState> {
  const input = parseInput(decideInput, raw)
  const actor = context.actor
  return inTransaction(context, async (unit) => {
    const claim = await findClaim(unit.tx, claimId, { lock: true })
    if (!claim || actor.kind !== 'person' || !canViewClaim(actor, claim)) throw new NotFoundError('Claim')
    if (!canApproveForHub(actor, claim) && !canApproveNationally(actor)) throw new NotFoundError('Claim')
    if (input.decision === 'approve' && actor.personId === claim.submittedBy) {
      throw refuse(
        'own-claim',
        'decision',
        'You cannot approve a claim you submitted: ask someone else at the hub',
      )
    }
    const event = eventFor(actor, claim, input.decision)
    let to: ClaimState
    try {
      to = CLAIMS.nextState(claim.state, event)
    } catch (error) {
      if (error instanceof RefusedMove) throw refuse('refused-move', 'decision', error.message)
      throw error
    }
    const reason = input.decision === 'reject' ? input.reason : undefined
    await moveClaim(
      unit.tx,
      claimId,
      to,
      event === 'reject'
        ? { rejectedBy: actor.personId, rejectionReason: reason }
        : event === 'national-approve'
          ? { nationalApprovedBy: actor.personId }
          : { hubApprovedBy: actor.personId },
      unit.now,
    )
    await insertClaimHistory(unit.tx, {
      claimId,
      from: claim.state,
      to,
      by: actor.personId,
      reason,
      now: unit.now,
    })
    await unit.audit({
      action: `funding.claim.${event}`,
      recordType: 'funding-claim',
      recordId: claimId,
      before: { state: claim.state },
      after: { state: to, ...(reason ? { reason } : {}) },
    })
    return to
  })
}
