// Use-case for national administrators: close a cohort early. Closing ends its application window
// now (one not yet open gets a window of one second ending now, so it is never open); nothing is deleted, and the
// cohort can be opened again by changing its dates. See docs/adr/0017.
import { NotFoundError, ValidationError } from '../../errors.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { cohortStatus, type CohortStatus } from './view-programmes.ts'
import { canManageCohorts } from './programmes.policy.ts'
import { closeCohortWindow, countUnsubmitted, findCohort, type Cohort } from './programmes.repository.ts'

function alreadyClosed(): ValidationError {
  return new ValidationError([
    { code: 'closed', field: 'cohort', message: 'Applications to this cohort have already closed' },
  ])
}

export interface CohortToClose {
  cohort: Cohort & { status: CohortStatus }
  /** Applications started and not submitted: they can no longer be submitted once it closes. */
  unsubmitted: number
}

/** What closing the cohort would do, for its confirmation page; a closed cohort is refused. */
export async function viewCohortToClose(context: UseCaseContext, id: string): Promise<CohortToClose> {
  if (!canManageCohorts(context.actor)) throw new NotFoundError('Cohort')
  const cohort = await findCohort(context.db, id)
  if (!cohort) throw new NotFoundError('Cohort')
  const status = cohortStatus(cohort, context.clock.now())
  return { cohort: { ...cohort, status }, unsubmitted: await countUnsubmitted(context.db, id) }
}

/** Ends the cohort's application window now; refused (422) when it has closed already. */
export async function closeCohort(context: UseCaseContext, id: string): Promise<Cohort> {
  if (!canManageCohorts(context.actor)) throw new NotFoundError('Cohort')
  return inTransaction(context, async ({ tx, now, audit }) => {
    const before = await findCohort(tx, id, { forUpdate: true })
    if (!before) throw new NotFoundError('Cohort')
    const window = await closeCohortWindow(tx, id, now)
    if (!window) throw alreadyClosed()
    await audit({
      action: 'cohort.close',
      recordType: 'cohort',
      recordId: id,
      before: { opensAt: before.opensAt.toISOString(), closesAt: before.closesAt.toISOString() },
      after: { opensAt: window.opensAt.toISOString(), closesAt: window.closesAt.toISOString() },
    })
    return (await findCohort(tx, id))!
  })
}
