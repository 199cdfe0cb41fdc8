// Use-cases for the answers to the offer of a place: the teacher accepts or declines on their
// application (signed in); the headteacher through their single-use emailed link (no sign-in; the
// link is the authority). When the second of them accepts, the place is confirmed: the teacher's
// participation in the cohort is made, with the Mastery Specialist role for the cohort. Either of
// them declining frees the place for the hub lead to offer to the next reserve. Answers to one
// offer queue on its locked row, so two acceptances at the same moment make one participation.
import { startYearOne } from '../../participants/start-year-one.ts'
import { NotFoundError, parseInput } from '../../../errors.ts'
import { formatUkDateTime } from '../../../lib/uk-time.ts'
import { ANONYMOUS, actingPersonId } from '../../access/actor.ts'
import { isApplicant } from '../../applications/applications.policy.ts'
import { findApplication, type Application } from '../../applications/applications.repository.ts'
import { hashSecret } from '../../auth/tokens.ts'
import { findCohort, type Cohort } from '../../programmes/programmes.repository.ts'
import { inTransaction, type Unit, type UseCaseContext } from '../../use-case.ts'
import { offerResponseInput, type OfferResponse } from '../deciding/decisions-input.ts'
import { recordDecisionEvent } from '../deciding/decisions-history.ts'
import { refusal } from '../deciding/decisions-rules.ts'
import {
  ensureSpecialistGrant,
  findDecision,
  findDecisionByHeadteacherToken,
  insertParticipation,
  lockDecision,
  updateDecision,
  type Decision,
} from '../deciding/decisions.repository.ts'
import { nextOfferState } from '../deciding/decisions.states.ts'
import { tellBoth } from './offers-rules.ts'

export type Answerer = 'teacher' | 'headteacher'

/**
 * Where the offer stands for one of the two who answer it: open to their answer; accepted by
 * them and waiting for the other; confirmed (both accepted); declined; or lapsed (the deadline
 * passed, whether or not the scheduled job has marked it yet).
 */
export type OfferStatus = 'open' | 'waiting' | 'confirmed' | 'declined' | 'lapsed'

export function offerStatus(decision: Decision, who: Answerer, now: Date): OfferStatus {
  if (decision.offerState === 'accepted') return 'confirmed'
  if (decision.offerState === 'declined') return 'declined'
  if (decision.offerState === 'lapsed') return 'lapsed'
  if (decision.respondBy && decision.respondBy.getTime() <= now.getTime()) return 'lapsed'
  const mine = who === 'teacher' ? decision.teacherAcceptedAt : decision.headteacherAcceptedAt
  return mine ? 'waiting' : 'open'
}

export interface OfferView {
  status: OfferStatus
  decision: Decision
  application: Application
  cohort: Cohort
}

const REFUSALS: Record<Exclude<OfferStatus, 'open'>, (d: Decision) => string> = {
  waiting: () => 'You have already accepted the place',
  confirmed: () => 'The place has already been accepted by you both',
  declined: () => 'The place has been declined, so it can no longer be accepted',
  lapsed: (d) =>
    `The offer had to be accepted by ${d.respondBy ? formatUkDateTime(d.respondBy) : 'the deadline'}, so it has lapsed. Contact your Maths Hub`,
}

async function answer(
  context: UseCaseContext,
  unit: Unit,
  decision: Decision,
  who: Answerer,
  input: OfferResponse,
): Promise<void> {
  const { tx, now } = unit
  const status = offerStatus(decision, who, now)
  if (status !== 'open') throw refusal(`offer-${status}`, 'decision', REFUSALS[status](decision))
  const application = (await findApplication(tx, decision.applicationId))!
  const cohort = (await findCohort(tx, decision.cohortId))!
  const actorPersonId = actingPersonId(context.actor)
  const actorKind = who === 'teacher' ? 'applicant' : 'headteacher'
  if (input.decision === 'decline') {
    const offerState = nextOfferState('offered', 'decline')
    await updateDecision(
      tx,
      decision.applicationId,
      { offerState, declinedAt: now, declineReason: input.reason ?? null },
      now,
    )
    await recordDecisionEvent(tx, {
      applicationId: application.id,
      applicationState: application.state,
      event: 'offer-declined',
      actorPersonId,
      actorKind,
      note: `Declined by the ${who}`,
      now,
    })
    await unit.audit({
      action: 'offer.decline',
      recordType: 'application',
      recordId: application.id,
      before: { offerState: 'offered' },
      after: { offerState, by: who },
    })
    await tellBoth(tx, application, cohort, {
      template: 'place-declined',
      declinedBy: who,
      reason: input.reason ?? null,
    })
    return
  }
  const other = who === 'teacher' ? decision.headteacherAcceptedAt : decision.teacherAcceptedAt
  await updateDecision(
    tx,
    decision.applicationId,
    who === 'teacher' ? { teacherAcceptedAt: now } : { headteacherAcceptedAt: now },
    now,
  )
  await recordDecisionEvent(tx, {
    applicationId: application.id,
    applicationState: application.state,
    event: 'offer-accepted',
    actorPersonId,
    actorKind,
    note: `Accepted by the ${who}`,
    now,
  })
  await unit.audit({
    action: 'offer.accept',
    recordType: 'application',
    recordId: application.id,
    after: { by: who },
  })
  if (other === null) return
  // The second acceptance: the place is confirmed and the teacher becomes a Mastery Specialist.
  const offerState = nextOfferState('offered', 'accept')
  await updateDecision(tx, decision.applicationId, { offerState }, now)
  const participationId = await insertParticipation(tx, {
    personId: application.applicantId,
    cohortId: application.cohortId,
    applicationId: application.id,
    schoolUrn: application.schoolUrn,
    hubId: application.hubId,
    startedAt: now,
  })
  await startYearOne(tx, participationId, application.cohortId, now)
  await unit.audit({
    action: 'participation.create',
    recordType: 'participation',
    recordId: participationId,
    after: {
      personId: application.applicantId,
      cohortId: application.cohortId,
      applicationId: application.id,
      role: 'mastery-specialist',
    },
  })
  const grantId = await ensureSpecialistGrant(tx, {
    personId: application.applicantId,
    cohortId: application.cohortId,
    createdBy: null,
  })
  if (grantId !== undefined) {
    await unit.audit({
      action: 'grant.create',
      recordType: 'grant',
      recordId: grantId,
      after: {
        person_id: application.applicantId,
        role: 'mastery-specialist',
        cohort_id: application.cohortId,
      },
    })
  }
  await recordDecisionEvent(tx, {
    applicationId: application.id,
    applicationState: application.state,
    event: 'place-confirmed',
    actorPersonId,
    actorKind,
    now,
  })
  await tellBoth(tx, application, cohort, { template: 'place-confirmed' })
}

// --- The teacher, on their application.

/** The teacher's own released place; anything else (not theirs, no place) is "not found". */
export async function viewOwnOffer(context: UseCaseContext, applicationId: number): Promise<OfferView> {
  const application = await findApplication(context.db, applicationId)
  if (!application || !isApplicant(context.actor, application)) throw new NotFoundError('Offer')
  const decision = await findDecision(context.db, applicationId)
  if (!decision || decision.offerState === null) throw new NotFoundError('Offer')
  const cohort = (await findCohort(context.db, application.cohortId))!
  return { status: offerStatus(decision, 'teacher', context.clock.now()), decision, application, cohort }
}

export async function respondToOffer(
  context: UseCaseContext,
  applicationId: number,
  raw: unknown,
): Promise<OfferView> {
  if (context.actor.kind !== 'person') throw new NotFoundError('Offer')
  const input = parseInput(offerResponseInput, raw)
  await inTransaction(context, async (unit) => {
    const decision = await lockDecision(unit.tx, applicationId)
    const application = await findApplication(unit.tx, applicationId)
    if (
      !decision ||
      !application ||
      !isApplicant(context.actor, application) ||
      decision.offerState === null
    ) {
      throw new NotFoundError('Offer')
    }
    await answer(context, unit, decision, 'teacher', input)
  })
  return viewOwnOffer(context, applicationId)
}

// --- The headteacher, through the emailed link.

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/

/** What the link shows; an unknown link is "not found". */
export async function viewPlaceOffer(context: UseCaseContext, token: string): Promise<OfferView> {
  if (!TOKEN.test(token)) throw new NotFoundError('Offer')
  const decision = await findDecisionByHeadteacherToken(context.db, hashSecret(token))
  if (!decision) throw new NotFoundError('Offer')
  const application = (await findApplication(context.db, decision.applicationId))!
  const cohort = (await findCohort(context.db, decision.cohortId))!
  return { status: offerStatus(decision, 'headteacher', context.clock.now()), decision, application, cohort }
}

export async function respondToPlaceOffer(
  context: UseCaseContext,
  token: string,
  raw: unknown,
): Promise<OfferView> {
  if (!TOKEN.test(token)) throw new NotFoundError('Offer')
  const input = parseInput(offerResponseInput, raw)
  // The headteacher is not signed in: the link is their authority, and the audit says "system".
  const headContext = { ...context, actor: ANONYMOUS }
  await inTransaction(headContext, async (unit) => {
    const found = await findDecisionByHeadteacherToken(unit.tx, hashSecret(token))
    if (!found) throw new NotFoundError('Offer')
    const decision = (await lockDecision(unit.tx, found.applicationId))!
    await answer(headContext, unit, decision, 'headteacher', input)
  })
  return viewPlaceOffer(context, token)
}
