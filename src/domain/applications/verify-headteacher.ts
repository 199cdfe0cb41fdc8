// Use-case: the hub's lead confirms that the headteacher named on a submitted application is the
// school's headteacher, where the service could not tell (no school contact held for the school).
// Audited; the application's state does not change.
import { hubIdsWith, isNationalAdmin } from '../access/access.policy.ts'
import type { Actor } from '../access/actor.ts'
import { NotFoundError, ValidationError } from '../../errors.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { canViewApplication } from './applications.policy.ts'
import {
  findApplication,
  lockApplication,
  updateApplication,
  type Application,
} from './applications.repository.ts'

/** The hub's leads (and NCETM's administrators) vouch for a headteacher. */
export function canVerifyHeadteacher(actor: Actor, application: { hubId: string | null }): boolean {
  if (application.hubId === null) return false
  return isNationalAdmin(actor) || hubIdsWith(actor, ['hub-lead']).includes(application.hubId)
}

export async function verifyHeadteacher(context: UseCaseContext, id: number): Promise<Application> {
  const { actor } = context
  if (actor.kind !== 'person') throw new NotFoundError('Application')
  return inTransaction(context, async ({ tx, now, audit }) => {
    const application = await lockApplication(tx, id)
    if (
      !application ||
      !canViewApplication(actor, application) ||
      !canVerifyHeadteacher(actor, application)
    ) {
      throw new NotFoundError('Application')
    }
    if (application.headteacherEmail === null || application.headteacherVerification !== null) {
      throw new ValidationError([
        {
          code: application.headteacherEmail === null ? 'no-headteacher' : 'already-verified',
          field: 'headteacher',
          message:
            application.headteacherEmail === null
              ? 'The application names no headteacher to verify'
              : 'The headteacher is already verified',
        },
      ])
    }
    await updateApplication(
      tx,
      application.id,
      { headteacherVerification: 'hub', headteacherVerifiedAt: now, headteacherVerifiedBy: actor.personId },
      now,
    )
    await audit({
      action: 'application.verify-headteacher',
      recordType: 'application',
      recordId: application.id,
      after: { headteacherVerification: 'hub' },
    })
    return (await findApplication(tx, application.id))!
  })
}
