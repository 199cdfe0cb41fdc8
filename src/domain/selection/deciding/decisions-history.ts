// The application's history rows for selection: each decision and change to it, and each step of
// the offer of a place. The application's own state does not move (it stays submitted), so a row
// names its event. Steps before release are the hub's and NCETM's business: the teacher does not
// see them in their application's history, only what was released to them and what followed.
import type { ApplicationHistoryTable, ApplicationState } from '../../../db/schema.ts'
import { insertHistory, type HistoryEntry } from '../../applications/applications.repository.ts'
import type { Tx } from '../../../db/database.ts'

export const DECISION_EVENTS = {
  'decision-proposed': { name: 'Decision proposed', applicantSees: false },
  'decision-changed': { name: 'Proposed decision changed', applicantSees: false },
  'decision-confirmed': { name: 'Decision confirmed by the hub lead', applicantSees: false },
  'decision-reopened': { name: 'Decisions reopened by the hub lead', applicantSees: false },
  'decision-approved': { name: 'Decision approved by the NCETM', applicantSees: false },
  'decision-sent-back': { name: 'Decisions sent back to the hub by the NCETM', applicantSees: false },
  'decision-released': { name: 'Decision sent', applicantSees: true },
  'place-offered': { name: 'Place offered', applicantSees: true },
  'offer-accepted': { name: 'Place accepted', applicantSees: true },
  'offer-declined': { name: 'Place declined', applicantSees: true },
  'offer-lapsed': { name: 'Offer lapsed: not answered in time', applicantSees: true },
  'place-confirmed': { name: 'Place confirmed: Mastery Specialist', applicantSees: true },
} as const satisfies Record<string, { name: string; applicantSees: boolean }>

export type DecisionEvent = keyof typeof DECISION_EVENTS

/** Names of the selection events, for the application page's history. */
export const DECISION_EVENT_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(DECISION_EVENTS).map(([event, e]) => [event, e.name]),
)

function hiddenFromApplicant(event: string): boolean {
  return event in DECISION_EVENTS && !DECISION_EVENTS[event as DecisionEvent].applicantSees
}

/** The history as the reader may see it: the applicant does not see selection before release. */
export function historyFor<T extends Pick<HistoryEntry, 'event'>>(history: T[], applicant: boolean): T[] {
  return applicant ? history.filter((h) => !hiddenFromApplicant(h.event)) : history
}

export async function recordDecisionEvent(
  tx: Tx,
  entry: {
    applicationId: number
    applicationState: ApplicationState
    event: DecisionEvent
    actorPersonId: number | null
    actorKind: ApplicationHistoryTable['actor_kind']
    note?: string | null
    now: Date
  },
): Promise<void> {
  await insertHistory(tx, {
    applicationId: entry.applicationId,
    event: entry.event,
    fromState: entry.applicationState,
    toState: entry.applicationState,
    actorPersonId: entry.actorPersonId,
    actorKind: entry.actorKind,
    note: entry.note ?? null,
    occurredAt: entry.now,
  })
}
