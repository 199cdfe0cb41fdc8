// Use-cases for the hub lead: confirm the hub's proposals for NCETM to approve, or take confirmed
// proposals back to change them before NCETM has approved them. Confirming needs the window to
// have closed (so no application arrives afterwards), the places to be set, a decision for every
// submitted application, no more selected than places, and none selected that an essential
// criterion now rules out (reviews may have been completed since it was proposed).
import { ValidationError, type FieldError } from '../../../errors.ts'
import { formatUkDateTime } from '../../../lib/uk-time.ts'
import { listApplications } from '../../applications/applications.repository.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canDecideForHub } from './decisions.policy.ts'
import { hubAndCohort, moveRound, scoresFor } from './decisions-rules.ts'
import { listRoundDecisions } from './decisions.repository.ts'
import { lockRound, type SelectionRound } from '../rounds.repository.ts'
import type { Executor } from '../../../db/database.ts'
import type { Cohort } from '../../programmes/programmes.repository.ts'
import { counted } from '../../../lib/plural.ts'

/** What stands in the way of confirming the round's proposals; empty when they can be confirmed. */
export async function missingForConfirmation(
  db: Executor,
  round: SelectionRound,
  cohort: Cohort,
  now: Date,
): Promise<FieldError[]> {
  const missing: FieldError[] = []
  if (now.getTime() < cohort.closesAt.getTime()) {
    missing.push({
      code: 'window-open',
      field: 'confirm',
      message: `Applications close at ${formatUkDateTime(cohort.closesAt)}: confirm the decisions after then`,
    })
  }
  if (round.places === null) {
    missing.push({
      code: 'no-places',
      field: 'confirm',
      message: 'The NCETM has not yet set how many places your hub has',
    })
  }
  const applications = await listApplications(
    db,
    { kind: 'hubs', hubIds: [round.hubId] },
    { cohortId: round.cohortId, state: 'submitted', limit: 10_000 },
  )
  const decisions = new Map(
    (await listRoundDecisions(db, round.hubId, round.cohortId)).map((d) => [d.applicationId, d]),
  )
  const undecided = applications.filter((a) => !decisions.has(a.id))
  if (undecided.length > 0) {
    missing.push({
      code: 'undecided',
      field: 'confirm',
      message:
        undecided.length === 1
          ? `Propose a decision for ${undecided[0]!.applicantName} (${undecided[0]!.reference})`
          : `Propose a decision for each application: ${undecided.length} have none yet`,
    })
  }
  const selected = applications.filter((a) => decisions.get(a.id)?.decision === 'selected')
  if (round.places !== null && selected.length > round.places) {
    missing.push({
      code: 'places-full',
      field: 'confirm',
      message: `Your hub has ${counted(round.places, 'place')} but ${selected.length === 1 ? '1 application is' : `${selected.length} applications are`} selected`,
    })
  }
  const scores = await scoresFor(
    db,
    cohort,
    selected.map((a) => a.id),
  )
  for (const application of selected) {
    const score = scores.get(application.id)!
    if (score.excluded) {
      missing.push({
        code: 'essential-not-met',
        field: 'confirm',
        message: `${application.applicantName} (${application.reference}) is selected but cannot be: ${score.reasons.join('. ')}`,
      })
    }
  }
  return missing
}

export async function confirmDecisions(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
): Promise<void> {
  const { hub, cohort } = await hubAndCohort(
    context.db,
    hubId,
    cohortId,
    canDecideForHub(context.actor, hubId),
  )
  await inTransaction(context, async (unit) => {
    const round = await lockRound(unit.tx, hub.id, cohort.id, unit.now)
    if (round.state === 'reviewing') {
      const missing = await missingForConfirmation(unit.tx, round, cohort, unit.now)
      if (missing.length > 0) throw new ValidationError(missing)
    }
    await moveRound(context, unit, round, 'confirm', { event: 'decision-confirmed', actorKind: 'person' })
  })
}

export async function reopenDecisions(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
): Promise<void> {
  const { hub, cohort } = await hubAndCohort(
    context.db,
    hubId,
    cohortId,
    canDecideForHub(context.actor, hubId),
  )
  await inTransaction(context, async (unit) => {
    const round = await lockRound(unit.tx, hub.id, cohort.id, unit.now)
    await moveRound(context, unit, round, 'reopen', { event: 'decision-reopened', actorKind: 'person' })
  })
}
