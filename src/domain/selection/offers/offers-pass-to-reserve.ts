// Use-case: once decisions are released, a place that was declined or lapsed (or that NCETM has
// added) is free; the hub lead confirms, and the top reserve's decision becomes selected with the
// offer of the place, emailed once to the teacher and their headteacher. The round is locked, so
// two confirmations at the same moment offer one place once; the hub lead names the reserve they
// were shown, so a reserve list that changed in the meantime is noticed rather than acted on.
import { parseInput } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { findApplication } from '../../applications/applications.repository.ts'
import { queueEmail } from '../../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { passToReserveInput, REASON_PLACE_FROM_RESERVE } from '../deciding/decisions-input.ts'
import { recordDecisionEvent } from '../deciding/decisions-history.ts'
import { canDecideForHub } from '../deciding/decisions.policy.ts'
import { decisionEmailFacts, hubAndCohort, refusal } from '../deciding/decisions-rules.ts'
import {
  countPlacesHeld,
  findDecision,
  lockDecision,
  nextReserve,
  type Decision,
} from '../deciding/decisions.repository.ts'
import { headteacherOf, headteacherPlaceLink, openOffer, teacherOfferLink } from './offers-rules.ts'
import { lockRound } from '../rounds.repository.ts'

export async function offerPlaceToReserve(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
  raw: unknown,
): Promise<Decision> {
  const { hub, cohort } = await hubAndCohort(
    context.db,
    hubId,
    cohortId,
    canDecideForHub(context.actor, hubId),
  )
  const input = parseInput(passToReserveInput, raw)
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const round = await lockRound(tx, hub.id, cohort.id, now)
    if (round.state !== 'released') {
      throw refusal(
        'not-released',
        'applicationId',
        'Places can be offered to reserves once decisions are released',
      )
    }
    const held = await countPlacesHeld(tx, hub.id, cohort.id)
    if (round.places === null || held >= round.places) {
      throw refusal(
        'no-free-place',
        'applicationId',
        round.places === 1
          ? 'There is no free place: your hub’s one place is offered or accepted'
          : `There is no free place: all ${round.places ?? 0} of your hub’s places are offered or accepted`,
      )
    }
    const reserve = await nextReserve(tx, hub.id, cohort.id)
    if (!reserve) throw refusal('no-reserve', 'applicationId', 'There is nobody left on the reserve list')
    if (reserve.applicationId !== input.applicationId) {
      throw refusal(
        'reserve-changed',
        'applicationId',
        'The reserve list has changed since you looked at it: check who is next and try again',
      )
    }
    const locked = (await lockDecision(tx, reserve.applicationId))!
    // No longer a reserve: the place in the reserve list goes (its history row keeps it).
    const { token, respondBy } = await openOffer(tx, locked, now, {
      decision: 'selected',
      reasonCode: REASON_PLACE_FROM_RESERVE,
      reserveRank: null,
    })
    const application = (await findApplication(tx, reserve.applicationId))!
    const facts = decisionEmailFacts(application, cohort)
    const schoolName = application.schoolName ?? 'your school'
    await queueEmail(tx, {
      template: 'place-offered',
      to: application.applicantEmail,
      data: {
        ...facts,
        name: application.applicantName,
        teacherName: application.applicantName,
        schoolName,
        link: teacherOfferLink(context.baseUrl, application.id),
        respondBy,
      },
    })
    const headteacher = headteacherOf(application)
    if (headteacher) {
      await queueEmail(tx, {
        template: 'place-offered-headteacher',
        to: headteacher.email,
        data: {
          ...facts,
          name: headteacher.name,
          teacherName: application.applicantName,
          schoolName,
          link: headteacherPlaceLink(context.baseUrl, token),
          respondBy,
        },
      })
    }
    await recordDecisionEvent(tx, {
      applicationId: application.id,
      applicationState: application.state,
      event: 'place-offered',
      actorPersonId: actingPersonId(context.actor),
      actorKind: 'person',
      note: `Offered from the reserve list (reserve ${reserve.reserveRank ?? '-'})`,
      now,
    })
    await unit.audit({
      action: 'selection-decision.offer-to-reserve',
      recordType: 'application',
      recordId: application.id,
      before: { decision: 'reserve', reserveRank: reserve.reserveRank },
      after: { decision: 'selected', reasonCode: REASON_PLACE_FROM_RESERVE, offerState: 'offered' },
    })
    return (await findDecision(tx, application.id))!
  })
}
