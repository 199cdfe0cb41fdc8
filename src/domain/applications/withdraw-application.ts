// Use-case: the teacher withdraws their application, at any point before decisions are released.
// Any link the headteacher still holds stops working; the teacher gets a confirmation.
import { NotFoundError, ValidationError } from '../../errors.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { cohortName, moveApplication, ukDateOf } from './application-rules.ts'
import {
  findApplication,
  replaceOpenEndorsementRequests,
  type Application,
} from './applications.repository.ts'
import { formatIsoDate } from './submit-application.ts'
import { LIVE } from './application.states.ts'
import type { Cohort } from '../programmes/programmes.repository.ts'
import { findDecision } from '../selection/deciding/decisions.repository.ts'
import { ownApplication } from './save-application.ts'

/**
 * Whether the teacher may still withdraw: a live application, before the cohort's decision date,
 * and with no decision released to them (an offered or accepted place is answered on its own page).
 */
export function mayWithdraw(
  application: Pick<Application, 'state'>,
  cohort: Pick<Cohort, 'decisionsReleasedOn'>,
  now: Date,
  decisionReleased: boolean,
): boolean {
  return LIVE.includes(application.state) && !decisionReleased && ukDateOf(now) < cohort.decisionsReleasedOn
}

export async function withdrawApplication(context: UseCaseContext, id: number): Promise<Application> {
  if (context.actor.kind !== 'person') throw new NotFoundError('Application')
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const { application, cohort } = await ownApplication(context, unit, id)
    const decision = await findDecision(tx, application.id)
    // Already withdrawn is refused by the state machine, with its own message.
    if (
      LIVE.includes(application.state) &&
      !mayWithdraw(application, cohort, now, decision?.releasedAt != null)
    ) {
      throw new ValidationError([
        {
          code: 'decisions-released',
          field: 'state',
          message: `Decisions were released on ${formatIsoDate(cohort.decisionsReleasedOn)}, so the application can no longer be withdrawn here. Contact your Maths Hub`,
        },
      ])
    }
    await replaceOpenEndorsementRequests(tx, application.id, now)
    await moveApplication(context, unit, application, 'withdraw', {
      actor: 'applicant',
      changes: { withdrawnAt: now },
    })
    await queueEmail(tx, {
      template: 'application-withdrawn',
      to: application.applicantEmail,
      data: {
        name: application.applicantName,
        reference: application.reference,
        programmeName: cohort.programmeName,
        cohortName: cohortName(cohort),
      },
    })
    return (await findApplication(tx, application.id))!
  })
}
