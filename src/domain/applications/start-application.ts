// Use-case: a signed-in teacher starts an application to an open cohort. One live application per
// teacher per cohort: a second attempt is given the first.
import { NotFoundError, ValidationError } from '../../errors.ts'
import { findCohort } from '../programmes/programmes.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { assertWindowOpen } from './application-rules.ts'
import { canApply } from './applications.policy.ts'
import {
  findLiveApplication,
  insertApplication,
  insertHistory,
  type Application,
} from './applications.repository.ts'
import { findApplication } from './applications.repository.ts'

export async function startApplication(
  context: UseCaseContext,
  cohortId: unknown,
): Promise<{ application: Application; created: boolean }> {
  const actor = context.actor
  if (!canApply(actor)) throw new NotFoundError('Cohort')
  if (typeof cohortId !== 'string' || cohortId.length > 120 || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(cohortId)) {
    throw new ValidationError([
      {
        code: 'invalid',
        field: 'cohortId',
        message: 'Enter a cohort id, like primary-mastery-specialist-11',
      },
    ])
  }
  return inTransaction(context, async ({ tx, now, audit }) => {
    const cohort = await findCohort(tx, cohortId)
    if (!cohort) {
      throw new ValidationError([
        { code: 'unknown', field: 'cohortId', message: 'There is no cohort with that id' },
      ])
    }
    const existing = await findLiveApplication(tx, cohort.id, actor.personId)
    if (existing) return { application: existing, created: false }
    assertWindowOpen(cohort, now, false)
    const id = await insertApplication(tx, { cohortId: cohort.id, applicantId: actor.personId, now })
    if (id === undefined) {
      // Another request started one a moment ago.
      const raced = await findLiveApplication(tx, cohort.id, actor.personId)
      if (raced) return { application: raced, created: false }
      throw new Error('The application could not be started')
    }
    await insertHistory(tx, {
      applicationId: id,
      event: 'start',
      fromState: null,
      toState: 'draft',
      actorPersonId: actor.personId,
      actorKind: 'applicant',
      occurredAt: now,
    })
    await audit({
      action: 'application.start',
      recordType: 'application',
      recordId: id,
      after: { cohortId: cohort.id, state: 'draft' },
    })
    return { application: (await findApplication(tx, id))!, created: true }
  })
}
