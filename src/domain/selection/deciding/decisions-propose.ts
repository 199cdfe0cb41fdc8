// Use-case: the hub lead proposes (or changes) the decision for one submitted application while
// the hub is still proposing: selected, reserve or not selected, with a reason, feedback and
// whether the teacher sees it, and a place in the reserve list for a reserve. The round is locked
// first, so proposals made at the same moment queue and cannot together select more applications
// than the hub has places. An application that does not meet an essential criterion cannot be
// selected.
import { NotFoundError, parseInput } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { lockApplication } from '../../applications/applications.repository.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { DECISION_NAMES, proposalInput, REASON_NAMES, type Proposal } from './decisions-input.ts'
import { recordDecisionEvent } from './decisions-history.ts'
import { canDecideForHub } from './decisions.policy.ts'
import { hubAndCohort, refusal, scoresFor } from './decisions-rules.ts'
import {
  countPlacesHeld,
  findDecision,
  listRoundDecisions,
  saveDecision,
  type Decision,
} from './decisions.repository.ts'
import { PROPOSING, ROUND_STATE_NAMES } from './decisions.states.ts'
import { lockRound } from '../rounds.repository.ts'

export interface ProposalTarget {
  hubId: string
  cohortId: string
  applicationId: number
}

export async function proposeDecision(
  context: UseCaseContext,
  target: ProposalTarget,
  raw: unknown,
): Promise<Decision> {
  const { hub, cohort } = await hubAndCohort(
    context.db,
    target.hubId,
    target.cohortId,
    canDecideForHub(context.actor, target.hubId),
  )
  const input: Proposal = parseInput(proposalInput, raw)
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const round = await lockRound(tx, hub.id, cohort.id, now)
    const application = await lockApplication(tx, target.applicationId)
    if (
      !application ||
      application.hubId !== hub.id ||
      application.cohortId !== cohort.id ||
      application.submittedAt === null
    ) {
      throw new NotFoundError('Application')
    }
    if (application.state !== 'submitted') {
      throw refusal('withdrawn', 'decision', 'This application has been withdrawn, so it needs no decision')
    }
    if (!PROPOSING.includes(round.state)) {
      throw refusal(
        'not-proposing',
        'decision',
        round.state === 'confirmed'
          ? 'You have confirmed the decisions. Reopen them to make a change'
          : `The decisions can no longer be changed here: ${ROUND_STATE_NAMES[round.state].toLowerCase()}`,
      )
    }
    if (input.decision === 'selected') {
      const score = (await scoresFor(tx, cohort, [application.id])).get(application.id)!
      if (score.excluded) {
        throw refusal(
          'essential-not-met',
          'decision',
          `This application cannot be selected. ${score.reasons.join('. ')}`,
        )
      }
      if (round.places === null) {
        throw refusal(
          'no-places',
          'decision',
          'The NCETM has not yet set how many places your hub has, so no application can be selected yet',
        )
      }
      const held = await countPlacesHeld(tx, hub.id, cohort.id, application.id)
      if (held + 1 > round.places) {
        throw refusal(
          'places-full',
          'decision',
          `Your hub has ${round.places} place${round.places === 1 ? '' : 's'} and ` +
            `${held === 1 ? '1 application is' : `${held} applications are`} already selected. ` +
            'Change another decision first, or propose this one as a reserve',
        )
      }
    }
    if (input.decision === 'reserve') {
      const decisions = await listRoundDecisions(tx, hub.id, cohort.id)
      const clash = decisions.find(
        (d) =>
          d.applicationId !== application.id &&
          d.applicationState === 'submitted' &&
          d.decision === 'reserve' &&
          d.reserveRank === input.reserveRank,
      )
      if (clash) {
        throw refusal(
          'rank-taken',
          'reserveRank',
          `Another application is already reserve ${input.reserveRank}: choose a different place in the list`,
        )
      }
    }
    const before = await findDecision(tx, application.id)
    await saveDecision(tx, {
      applicationId: application.id,
      hubId: hub.id,
      cohortId: cohort.id,
      ...input,
      decidedBy: actingPersonId(context.actor),
      now,
    })
    await recordDecisionEvent(tx, {
      applicationId: application.id,
      applicationState: application.state,
      event: before ? 'decision-changed' : 'decision-proposed',
      actorPersonId: actingPersonId(context.actor),
      actorKind: 'person',
      note:
        `${DECISION_NAMES[input.decision]}: ${REASON_NAMES[input.reasonCode]}` +
        (input.reserveRank !== null ? ` (reserve ${input.reserveRank})` : ''),
      now,
    })
    // The audit names what changed, not the feedback's words.
    const summary = (
      d: Pick<Decision, 'decision' | 'reasonCode' | 'reserveRank' | 'shareFeedback' | 'feedback'>,
    ) => ({
      decision: d.decision,
      reasonCode: d.reasonCode,
      reserveRank: d.reserveRank,
      feedbackGiven: d.feedback !== '',
      shareFeedback: d.shareFeedback,
    })
    await unit.audit({
      action: 'selection-decision.propose',
      recordType: 'application',
      recordId: application.id,
      before: before ? summary(before) : undefined,
      after: summary(input),
    })
    return (await findDecision(tx, application.id))!
  })
}
