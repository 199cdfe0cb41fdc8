// The offer of a place, as release and the pass to a reserve make it: the teacher answers on
// their application (signed in); the headteacher answers through a single-use link whose token is
// emailed and stored only as a hash. Both have until 5pm (UK time) on the 14th day after the offer:
// a deadline people read the same way, whatever the hour the offer went out.
import type { Tx } from '../../../db/database.ts'
import { parseUkDateTime, toUkWallClock } from '../../../lib/uk-time.ts'
import type { Application } from '../../applications/applications.repository.ts'
import { hashSecret, newSecret } from '../../auth/tokens.ts'
import { queueEmail } from '../../email/outbox.repository.ts'
import type { Cohort } from '../../programmes/programmes.repository.ts'
import { decisionEmailFacts } from '../deciding/decisions-rules.ts'
import { updateDecision, type Decision } from '../deciding/decisions.repository.ts'
import { nextOfferState } from '../deciding/decisions.states.ts'

/** Days the teacher and the headteacher have to accept a place, from the day it is offered. */
export const OFFER_RESPONSE_DAYS = 14

/** 5pm, UK time, on the 14th day after the UK date of `offeredAt`. */
export function offerDeadline(offeredAt: Date): Date {
  const today = toUkWallClock(offeredAt)
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day + OFFER_RESPONSE_DAYS))
  return parseUkDateTime({
    year: day.getUTCFullYear(),
    month: day.getUTCMonth() + 1,
    day: day.getUTCDate(),
    hour: 17,
    minute: 0,
  })
}

export function teacherOfferLink(baseUrl: string, applicationId: number): string {
  return new URL(`/applications/${applicationId}/offer`, baseUrl).href
}

export function headteacherPlaceLink(baseUrl: string, token: string): string {
  return new URL(`/places/${token}`, baseUrl).href
}

/** Opens the offer on a decision with no offer yet: its deadline and the headteacher's new link. */
export async function openOffer(
  tx: Tx,
  decision: Pick<Decision, 'applicationId' | 'offerState'>,
  now: Date,
  changes: { decision?: 'selected'; reasonCode?: string; reserveRank?: null; releasedAt?: Date } = {},
): Promise<{ token: string; respondBy: Date }> {
  const offerState = nextOfferState(decision.offerState ?? 'none', 'offer')
  const token = newSecret()
  const respondBy = offerDeadline(now)
  await updateDecision(
    tx,
    decision.applicationId,
    { ...changes, offerState, offeredAt: now, respondBy, headteacherTokenHash: hashSecret(token) },
    now,
  )
  return { token, respondBy }
}

/** The headteacher who endorsed the application, as the offer emails name them. */
export function headteacherOf(application: Application): { name: string; email: string } | undefined {
  return application.headteacherEmail
    ? { name: application.headteacherName ?? 'Headteacher', email: application.headteacherEmail }
    : undefined
}

/** Tells the teacher and the headteacher that the offer has lapsed, was declined or is confirmed. */
export async function tellBoth(
  tx: Tx,
  application: Application,
  cohort: Cohort,
  message:
    | { template: 'place-confirmed' }
    | { template: 'place-lapsed'; respondBy: Date }
    | { template: 'place-declined'; declinedBy: 'teacher' | 'headteacher'; reason: string | null },
): Promise<void> {
  const facts = decisionEmailFacts(application, cohort)
  const teacherName = application.applicantName
  const recipients = [
    { name: teacherName, email: application.applicantEmail, toHeadteacher: false },
    ...(headteacherOf(application) ? [{ ...headteacherOf(application)!, toHeadteacher: true }] : []),
  ]
  for (const r of recipients) {
    const common = { ...facts, name: r.name, teacherName, toHeadteacher: r.toHeadteacher }
    if (message.template === 'place-confirmed') {
      await queueEmail(tx, { template: 'place-confirmed', to: r.email, data: common })
    } else if (message.template === 'place-lapsed') {
      await queueEmail(tx, {
        template: 'place-lapsed',
        to: r.email,
        data: { ...common, respondBy: message.respondBy },
      })
    } else {
      await queueEmail(tx, {
        template: 'place-declined',
        to: r.email,
        data: {
          ...common,
          declinedBy: message.declinedBy,
          // The headteacher's reason goes to the teacher; nobody is sent their own words back, and
          // the teacher's reasons stay between them and the hub.
          reason: message.declinedBy === 'headteacher' && !r.toHeadteacher ? message.reason : null,
        },
      })
    }
  }
}
