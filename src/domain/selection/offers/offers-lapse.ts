// Scheduled job: an offer of a place not accepted by both the teacher and the headteacher by its
// deadline lapses. The teacher and the headteacher are told, and the hub lead may then offer the
// place to the next reserve. Offers are claimed with FOR UPDATE SKIP LOCKED, so any number of
// processes may run the job: each offer lapses once.
import { ANONYMOUS } from '../../access/actor.ts'
import { findApplication } from '../../applications/applications.repository.ts'
import { recordAudit } from '../../audit/audit.ts'
import { findCohort } from '../../programmes/programmes.repository.ts'
import { recordDecisionEvent } from '../deciding/decisions-history.ts'
import { claimLapsedOffers, findDecision, updateDecision } from '../deciding/decisions.repository.ts'
import { nextOfferState } from '../deciding/decisions.states.ts'
import { tellBoth } from './offers-rules.ts'
import type { JobDeps } from './release-decisions.ts'

export async function lapseOffers(deps: JobDeps, options: { batch?: number } = {}): Promise<number> {
  const now = deps.clock.now()
  return deps.db.transaction().execute(async (tx) => {
    const due = await claimLapsedOffers(tx, now, options.batch ?? 100)
    for (const applicationId of due) {
      const decision = (await findDecision(tx, applicationId))!
      const application = (await findApplication(tx, applicationId))!
      const cohort = (await findCohort(tx, application.cohortId))!
      const offerState = nextOfferState(decision.offerState ?? 'none', 'lapse')
      await updateDecision(tx, applicationId, { offerState }, now)
      await recordDecisionEvent(tx, {
        applicationId,
        applicationState: application.state,
        event: 'offer-lapsed',
        actorPersonId: null,
        actorKind: 'system',
        now,
      })
      await recordAudit(
        tx,
        { actor: ANONYMOUS, now },
        {
          action: 'offer.lapse',
          recordType: 'application',
          recordId: applicationId,
          before: { offerState: decision.offerState },
          after: { offerState },
        },
      )
      await tellBoth(tx, application, cohort, { template: 'place-lapsed', respondBy: decision.respondBy! })
    }
    return due.length
  })
}
