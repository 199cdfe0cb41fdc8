// Rules the decision use-cases share: which hub and cohort a request is about (after its policy),
// how each application scores, moving a round through its state machine with a history row for
// each decided application and an audit row, and the facts every decision email names.
import type { Executor } from '../../../db/database.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { cohortName } from '../../applications/application-rules.ts'
import type { Application } from '../../applications/applications.repository.ts'
import type { DecisionEmail } from '../selection.emails.ts'
import { findCohort, type Cohort } from '../../programmes/programmes.repository.ts'
import type { Unit, UseCaseContext } from '../../use-case.ts'
import { DECISION_NAMES } from './decisions-input.ts'
import { recordDecisionEvent, type DecisionEvent } from './decisions-history.ts'
import { listRoundDecisions, setRoundState } from './decisions.repository.ts'
import {
  nextRoundState,
  RefusedRoundMove,
  type RoundEvent,
  type SelectionRoundState,
} from './decisions.states.ts'
import { completedReviewsFor, type SelectionRound } from '../rounds.repository.ts'
import { aggregate, type AggregateScore } from '../reviewing/scores.ts'

export interface HubAndCohort {
  hub: { id: string; name: string }
  cohort: Cohort
}

/** The hub and cohort, once the policy allows; anything else is "not found". */
export async function hubAndCohort(
  db: Executor,
  hubId: string,
  cohortId: string,
  allowed: boolean,
): Promise<HubAndCohort> {
  if (!allowed) throw new NotFoundError('Selection')
  const hub = await db.selectFrom('hubs').select(['id', 'name']).where('id', '=', hubId).executeTakeFirst()
  const cohort = await findCohort(db, cohortId)
  if (!hub || !cohort) throw new NotFoundError('Selection')
  return { hub, cohort }
}

/** Each application's combined score from its completed reviews. */
export async function scoresFor(
  db: Executor,
  cohort: Cohort,
  applicationIds: readonly number[],
): Promise<Map<number, AggregateScore>> {
  const reviews = await completedReviewsFor(db, applicationIds)
  return new Map(applicationIds.map((id) => [id, aggregate(cohort.essentialCriteria, reviews.get(id) ?? [])]))
}

export function refusal(code: string, field: string, message: string): ValidationError {
  return new ValidationError([{ code, field, message }])
}

/**
 * Moves the (locked) round by the event, writing a history row for each application it has
 * decided (still submitted) and one audit row. A move the state machine refuses throws first.
 */
export async function moveRound(
  context: UseCaseContext,
  unit: Unit,
  round: SelectionRound,
  event: RoundEvent,
  history: { event: DecisionEvent; actorKind: 'person' | 'system' },
): Promise<SelectionRoundState> {
  let to: SelectionRoundState
  try {
    to = nextRoundState(round.state, event)
  } catch (error) {
    if (!(error instanceof RefusedRoundMove)) throw error
    throw refusal('refused-transition', 'state', error.message)
  }
  const by = actingPersonId(context.actor)
  await setRoundState(unit.tx, round.hubId, round.cohortId, to, { by, now: unit.now })
  const decisions = await listRoundDecisions(unit.tx, round.hubId, round.cohortId)
  for (const decision of decisions.filter((d) => d.applicationState === 'submitted')) {
    await recordDecisionEvent(unit.tx, {
      applicationId: decision.applicationId,
      applicationState: decision.applicationState,
      event: history.event,
      actorPersonId: by,
      actorKind: history.actorKind,
      note: DECISION_NAMES[decision.decision],
      now: unit.now,
    })
  }
  await unit.audit({
    action: `selection-round.${event}`,
    recordType: 'selection-round',
    recordId: `${round.hubId}/${round.cohortId}`,
    before: { state: round.state },
    after: { state: to },
  })
  return to
}

/** What every email about a decision names. */
export function decisionEmailFacts(application: Application, cohort: Cohort): DecisionEmail {
  return {
    reference: application.reference,
    programmeName: cohort.programmeName,
    cohortName: cohortName(cohort),
    hubName: application.hubName ?? 'Your Maths Hub',
  }
}
