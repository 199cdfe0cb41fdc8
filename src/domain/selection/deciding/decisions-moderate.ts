// Use-cases for NCETM's national administrators: set each hub's number of places for a cohort,
// approve a hub's confirmed proposals, or send them back to the hub. Places cannot be set below
// the places the hub's decisions already hold, and cannot change under proposals the hub lead has
// confirmed or NCETM has approved (send them back first). After release, more places let the hub
// lead offer them to reserves.
import { parseInput } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { placesInput } from './decisions-input.ts'
import { canModerate } from './decisions.policy.ts'
import { hubAndCohort, moveRound, refusal } from './decisions-rules.ts'
import { countPlacesHeld, setRoundPlaces } from './decisions.repository.ts'
import { PLACES_CHANGEABLE } from './decisions.states.ts'
import { lockRound } from '../rounds.repository.ts'
import { recordSendBack, sendBackInput } from './send-back-reason.ts'
import { cohortName } from '../../applications/application-rules.ts'

export async function setPlaces(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
  raw: unknown,
): Promise<number> {
  const { hub, cohort } = await hubAndCohort(context.db, hubId, cohortId, canModerate(context.actor))
  const { places } = parseInput(placesInput, raw)
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const round = await lockRound(tx, hub.id, cohort.id, now)
    if (!PLACES_CHANGEABLE.includes(round.state)) {
      throw refusal(
        'round-confirmed',
        'places',
        `${hub.name}’s decisions are ${round.state === 'approved' ? 'approved' : 'confirmed'}: send them back to the hub before changing its places`,
      )
    }
    const held = await countPlacesHeld(tx, hub.id, cohort.id)
    if (places < held) {
      throw refusal(
        'below-held',
        'places',
        `${hub.name} has ${held} place${held === 1 ? '' : 's'} already ${round.state === 'released' ? 'offered or accepted' : 'proposed as selected'}: set at least ${held}`,
      )
    }
    await setRoundPlaces(tx, hub.id, cohort.id, { places, setBy: actingPersonId(context.actor), now })
    await unit.audit({
      action: 'selection-round.set-places',
      recordType: 'selection-round',
      recordId: `${hub.id}/${cohort.id}`,
      before: { places: round.places },
      after: { places },
    })
    return places
  })
}

export async function approveDecisions(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
): Promise<void> {
  const { hub, cohort } = await hubAndCohort(context.db, hubId, cohortId, canModerate(context.actor))
  await inTransaction(context, async (unit) => {
    const round = await lockRound(unit.tx, hub.id, cohort.id, unit.now)
    await moveRound(context, unit, round, 'approve', { event: 'decision-approved', actorKind: 'person' })
  })
}

/**
 * Sends the hub's decisions back with NCETM's reason (required): the round returns to the hub,
 * the reason stays on it for the hub's page until the lead confirms again, and each of the hub's
 * leads is emailed it.
 */
export async function sendBackDecisions(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
  raw: unknown,
): Promise<void> {
  const { hub, cohort } = await hubAndCohort(context.db, hubId, cohortId, canModerate(context.actor))
  const { reason } = parseInput(sendBackInput, raw)
  await inTransaction(context, async (unit) => {
    const round = await lockRound(unit.tx, hub.id, cohort.id, unit.now)
    await moveRound(context, unit, round, 'send-back', { event: 'decision-sent-back', actorKind: 'person' })
    const told = await recordSendBack(
      unit.tx,
      {
        hubId: hub.id,
        hubName: hub.name,
        cohortId: cohort.id,
        programmeName: cohort.programmeName,
        cohortName: cohortName(cohort),
      },
      {
        reason,
        by: actingPersonId(context.actor),
        now: unit.now,
        link: `${context.baseUrl}/hubs/${hub.id}/cohorts/${cohort.id}/selection`,
      },
    )
    await unit.audit({
      action: 'selection-round.send-back-reason',
      recordType: 'selection-round',
      recordId: `${hub.id}/${cohort.id}`,
      after: { reason_characters: reason.length, leads_emailed: told },
    })
  })
}
