// Who may do what in a hub's review of its applicants: small, named, pure predicates over the
// actor. A hub's round is run by its hub lead (and NCETM's national administrators); its reviewers
// are the people with a live reviewer or hub-lead grant there. Everyone else is told "not found".
import { hubIdsWith, isNationalAdmin, isSignedIn } from '../../access/access.policy.ts'
import type { Actor, Role } from '../../access/actor.ts'

/** The roles whose holders may be assigned a hub's applications to review. */
export const REVIEWING_ROLES: readonly Role[] = ['reviewer', 'hub-lead']

/** Settings, the queue and assignments of a hub's round: its hub lead and national administrators. */
export function canManageReviews(actor: Actor, hubId: string): boolean {
  return isNationalAdmin(actor) || hubIdsWith(actor, ['hub-lead']).includes(hubId)
}

/** Hubs whose applications the actor may be assigned to review. */
export function hubsReviewedBy(actor: Actor): string[] {
  return hubIdsWith(actor, [...REVIEWING_ROLES])
}

export function canReviewFor(actor: Actor, hubId: string): boolean {
  return hubsReviewedBy(actor).includes(hubId)
}

/**
 * The assigned reviewer, with the assignment still live and a reviewing grant still held at the
 * application's hub, reads and scores it; nobody else (a hub lead reads the scores on the queue).
 */
export function canScoreAssignment(
  actor: Actor,
  assignment: { reviewerId: number; endedAt: Date | null; hubId: string | null },
): boolean {
  return (
    isSignedIn(actor) &&
    actor.personId === assignment.reviewerId &&
    assignment.endedAt === null &&
    assignment.hubId !== null &&
    canReviewFor(actor, assignment.hubId)
  )
}
