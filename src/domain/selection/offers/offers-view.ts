// What the application page shows about selection: once released, the decision and, for a place,
// where the offer stands (the teacher answers it on its own page); and the names of selection's
// events in the application's history. Nothing is shown before release.
import type { Application } from '../../applications/applications.repository.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { DECISION_NAMES, type SelectionDecision } from '../deciding/decisions-input.ts'
import { DECISION_EVENT_NAMES } from '../deciding/decisions-history.ts'
import { findDecision } from '../deciding/decisions.repository.ts'
import { offerStatus, type OfferStatus } from './offers-respond.ts'

export interface ApplicationPageOffer {
  decision: SelectionDecision
  decisionName: string
  /** The hub's feedback, where it chose to share it. */
  feedback: string | null
  releasedAt: Date
  /** For a place: where it stands for the teacher, by when to answer, and who has accepted. */
  status: OfferStatus | null
  respondBy: Date | null
  teacherAcceptedAt: Date | null
  headteacherAcceptedAt: Date | null
  /** The teacher's page to accept or decline, while they can. */
  respondLink: string | null
}

export interface ApplicationPageSelection {
  offer: ApplicationPageOffer | undefined
  eventNames: Record<string, string>
}

/** For the application page (whoever may read it, with `own` for the applicant). */
export async function selectionOnApplicationPage(
  context: UseCaseContext,
  view: { application: Pick<Application, 'id'>; own: boolean },
): Promise<ApplicationPageSelection> {
  const decision = await findDecision(context.db, view.application.id)
  if (!decision || decision.releasedAt === null) return { offer: undefined, eventNames: DECISION_EVENT_NAMES }
  const status = decision.offerState === null ? null : offerStatus(decision, 'teacher', context.clock.now())
  return {
    offer: {
      decision: decision.decision,
      decisionName: DECISION_NAMES[decision.decision],
      feedback: decision.shareFeedback && decision.feedback !== '' ? decision.feedback : null,
      releasedAt: decision.releasedAt,
      status,
      respondBy: decision.respondBy,
      teacherAcceptedAt: decision.teacherAcceptedAt,
      headteacherAcceptedAt: decision.headteacherAcceptedAt,
      respondLink: view.own && status === 'open' ? `/applications/${view.application.id}/offer` : null,
    },
    eventNames: DECISION_EVENT_NAMES,
  }
}
