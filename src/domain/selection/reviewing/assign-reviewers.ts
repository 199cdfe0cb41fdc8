// Use-cases: a hub lead gives an application to a reviewer by hand, or has every submitted
// application of the round given reviewers automatically (balanced load, as many reviews per
// application as the round asks for where reviewers allow; the hub's leads only if they opted in). A reviewer with a conflict of interest
// is never given the application: by hand it is refused with the reason. Each assignment is
// audited and leaves a history row on the application; the round is locked while it changes.
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { inTransaction, type Unit, type UseCaseContext } from '../../use-case.ts'
import { planAssignments } from './review-balance.ts'
import { assignReviewerInput } from './review-input.ts'
import { assertReviewing, managedRound, pairKey, recordReviewHistory, roundFacts } from './review-rules.ts'
import type { ReviewerFacts } from './review-conflicts.ts'
import { findRoundApplication, insertAssignment, type RoundApplication } from './reviews.repository.ts'
import { lockRound } from '../rounds.repository.ts'
import { leadOnlyReviewerIds } from './lead-reviews.ts'

async function assign(
  context: UseCaseContext,
  unit: Unit,
  application: RoundApplication,
  reviewer: ReviewerFacts,
  automatic: boolean,
): Promise<number> {
  const id = await insertAssignment(unit.tx, {
    applicationId: application.applicationId,
    reviewerId: reviewer.personId,
    assignedBy: actingPersonId(context.actor),
    now: unit.now,
  })
  await recordReviewHistory(
    context,
    unit,
    { id: application.applicationId, state: application.state },
    'assign-reviewer',
    `Reviewer assigned${automatic ? ' automatically' : ''}: ${reviewer.name}`,
  )
  await unit.audit({
    action: 'review-assignment.create',
    recordType: 'review-assignment',
    recordId: id,
    after: { application_id: application.applicationId, reviewer_id: reviewer.personId, automatic },
  })
  return id
}

/** Gives the application to the reviewer; refuses a reviewer who is not the hub's, already has it, or has a conflict. */
export async function assignReviewer(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
  raw: unknown,
): Promise<{ assignmentId: number }> {
  await managedRound(context, hubId, cohortId)
  const input = parseInput(assignReviewerInput, raw)
  return inTransaction(context, async (unit) => {
    assertReviewing(await lockRound(unit.tx, hubId, cohortId, unit.now))
    // Another hub's or cohort's application, or one never submitted, is not found.
    const found = await findRoundApplication(unit.tx, input.applicationId)
    if (!found || found.hubId !== hubId || found.cohortId !== cohortId || found.submittedAt === null) {
      throw new NotFoundError('Application')
    }
    if (found.state !== 'submitted') {
      throw new ValidationError([
        {
          code: 'not-submitted',
          field: 'applicationId',
          message: `Application ${found.reference} has been withdrawn, so it is not reviewed`,
        },
      ])
    }
    const facts = await roundFacts(unit.tx, hubId, cohortId)
    const application = facts.applications.find((a) => a.applicationId === input.applicationId)!
    const reviewer = facts.reviewers.find((r) => r.personId === input.reviewerId)
    if (!reviewer) {
      throw new ValidationError([
        { code: 'not-a-reviewer', field: 'reviewerId', message: 'Select one of the hub’s reviewers' },
      ])
    }
    const key = pairKey(application.applicationId, reviewer.personId)
    if (facts.live.some((a) => pairKey(a.applicationId, a.reviewerId) === key)) {
      throw new ValidationError([
        {
          code: 'already-assigned',
          field: 'reviewerId',
          message: `${reviewer.name} is already reviewing application ${application.reference}`,
        },
      ])
    }
    const conflict = facts.conflicts.get(key)
    if (conflict) {
      throw new ValidationError([
        {
          code: `conflict-${conflict.code}`,
          field: 'reviewerId',
          message: `${reviewer.name} ${conflict.reason}, so cannot review application ${application.reference}`,
        },
      ])
    }
    return { assignmentId: await assign(context, unit, application, reviewer, false) }
  })
}

export interface AutomaticAssignment {
  /** How many reviews each application should have. */
  wanted: number
  /** Assignments made now. */
  assigned: number
  /** Submitted applications still with fewer reviewers than wanted, and how many they have. */
  short: { applicationId: number; reference: string; assigned: number }[]
}

/**
 * Gives every submitted application of the round up to the round's reviews per application, from
 * reviewers without a conflict, keeping every reviewer's load as even as it can.
 */
export async function assignReviewersAutomatically(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
): Promise<AutomaticAssignment> {
  await managedRound(context, hubId, cohortId)
  return inTransaction(context, async (unit) => {
    const round = await lockRound(unit.tx, hubId, cohortId, unit.now)
    assertReviewing(round)
    const facts = await roundFacts(unit.tx, hubId, cohortId)
    // The hub's leads review only when they have opted in on the round's settings.
    const leadsOnly = round.leadsReview
      ? new Set<number>()
      : await leadOnlyReviewerIds(unit.tx, hubId, cohortId)
    const candidates = facts.reviewers.filter((r) => !leadsOnly.has(r.personId))
    const submitted = new Set(facts.applications.map((a) => a.applicationId))
    const liveOf = (applicationId: number) =>
      facts.live.filter((a) => a.applicationId === applicationId).map((a) => a.reviewerId)
    const plan = planAssignments(
      facts.applications.map((application) => {
        const assigned = liveOf(application.applicationId)
        return {
          applicationId: application.applicationId,
          assigned,
          candidates: candidates
            .map((r) => r.personId)
            .filter(
              (id) => !assigned.includes(id) && !facts.conflicts.has(pairKey(application.applicationId, id)),
            ),
        }
      }),
      candidates.map((r) => ({
        reviewerId: r.personId,
        load: facts.live.filter((a) => a.reviewerId === r.personId && submitted.has(a.applicationId)).length,
      })),
      round.reviewsPerApplication,
    )
    for (const { applicationId, reviewerId } of plan.assignments) {
      await assign(
        context,
        unit,
        facts.applications.find((a) => a.applicationId === applicationId)!,
        facts.reviewers.find((r) => r.personId === reviewerId)!,
        true,
      )
    }
    return {
      wanted: round.reviewsPerApplication,
      assigned: plan.assignments.length,
      short: plan.short.map((s) => ({
        applicationId: s.applicationId,
        reference: facts.applications.find((a) => a.applicationId === s.applicationId)!.reference,
        assigned: s.assigned,
      })),
    }
  })
}
