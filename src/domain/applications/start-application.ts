// Use-case: a signed-in teacher starts an application to an open cohort. One live application per
// teacher per cohort: a second attempt is given the first.
import { NotFoundError, ValidationError } from '../../errors.ts'
import type { Executor } from '../../db/database.ts'
import { findCohort, type Cohort } from '../programmes/programmes.repository.ts'
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
    await assertNoPlaceHeld(tx, cohort, actor.personId)
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

/**
 * A teacher holding a place (an accepted offer) in one cohort of a programme does not apply to
 * another cohort of the same programme (docs/adr/0020); other programmes are open to them.
 */
export async function assertNoPlaceHeld(
  db: Executor,
  cohort: Pick<Cohort, 'id' | 'programmeId' | 'programmeName'>,
  personId: number,
): Promise<void> {
  const held = await db
    .selectFrom('participations as pa')
    .innerJoin('cohorts as c', 'c.id', 'pa.cohort_id')
    .select(['c.number'])
    .where('pa.person_id', '=', personId)
    .where('c.programme_id', '=', cohort.programmeId)
    .where('pa.cohort_id', '<>', cohort.id)
    .orderBy('c.number')
    .executeTakeFirst()
  if (!held) return
  throw new ValidationError([
    {
      code: 'holds-place',
      field: 'cohortId',
      message:
        `You already hold a place on the ${cohort.programmeName}, Cohort ${held.number}, ` +
        'so you cannot apply to another cohort of it. Contact your Maths Hub if your circumstances have changed',
    },
  ])
}
