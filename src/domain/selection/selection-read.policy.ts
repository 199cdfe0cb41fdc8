// Who may read selection: the scores, the ranking, the exports, the reviews and the decisions.
// A hub's selection is read by those who run it (its hub leads and hub administrators) and by
// NCETM, who moderate every hub's. A reviewer reads only the reviews they wrote, through their
// assignment, never the ranking. The applicant reads their decision once it has been released.
// Everyone else is told the record was not found.
import { hubIdsWith, hubsAdministered, isNational, isSignedIn } from '../access/access.policy.ts'
import type { Actor } from '../access/actor.ts'

/** The ranking, the exports, every review and every decision of one hub's round. */
export function canReadHubSelection(actor: Actor, hubId: string): boolean {
  return isNational(actor) || hubsAdministered(actor).includes(hubId)
}

/** Every hub's selection for a cohort, side by side: NCETM only. */
export function canReadEverySelection(actor: Actor): boolean {
  return isNational(actor)
}

/**
 * All of an application's selection (every review, the whole decision): once submitted, its hub's
 * leads and administrators, and NCETM.
 */
export function canReadApplicationSelection(
  actor: Actor,
  application: { hubId: string | null; submittedAt: Date | null },
): boolean {
  if (application.submittedAt === null) return false
  if (isNational(actor)) return true
  return application.hubId !== null && hubsAdministered(actor).includes(application.hubId)
}

/**
 * The person whose own reviews the actor may read: a reviewer of the application's hub (the
 * caller then checks their live assignment). Undefined for anyone else.
 */
export function ownReviewerId(
  actor: Actor,
  application: { hubId: string | null; submittedAt: Date | null },
): number | undefined {
  if (!isSignedIn(actor) || application.submittedAt === null || application.hubId === null) return undefined
  return hubIdsWith(actor, ['reviewer']).includes(application.hubId) ? actor.personId : undefined
}

/** A decision has been released to the applicant when its release time has come. */
export function isReleased(decision: { releasedAt: Date | null }, now: Date): boolean {
  return decision.releasedAt !== null && decision.releasedAt.getTime() <= now.getTime()
}

/**
 * Who reads a decision, and how much: the hub's leads and administrators and NCETM read all of
 * it ("team"), whenever it was made; the applicant reads what is theirs to know ("applicant"),
 * once it has been released; anyone else nothing.
 */
export function decisionReader(
  actor: Actor,
  application: { applicantId: number; hubId: string | null; submittedAt: Date | null },
  decision: { releasedAt: Date | null },
  now: Date,
): 'team' | 'applicant' | undefined {
  if (canReadApplicationSelection(actor, application)) return 'team'
  if (isSignedIn(actor) && actor.personId === application.applicantId && isReleased(decision, now)) {
    return 'applicant'
  }
  return undefined
}
