// The hub records a school's move to a teaching-for-mastery stage, with the date and the evidence:
// the current period ends that day and the new one opens. The serving hub's lead and
// administrators (or NCETM's national administrators) decide each move; moving back, to the same
// stage or skipping one, a date on or before the current period's start or in the future, and
// empty evidence are refused and change nothing. The periods are the history; an audit row too.
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { ukDate } from '../../participants/accreditation/accreditation-input.ts'
import { ukDateText } from '../../participants/accreditation/view-accreditation.ts'
import { ukDateOf } from '../../participants/start-year-one.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canRecordStageMove, canViewSchoolJourney } from './journey.policy.ts'
import { findJourneySchool, stagePeriods, type StagePeriod } from './journey.repository.ts'
import { MASTERY_STAGE_NAMES, MASTERY_STAGES, stageMoveRefusal } from './journey.stages.ts'

export const stageMoveInput = z.object({
  stage: z.enum(MASTERY_STAGES, { error: 'Select the stage the school has moved to' }),
  movedOn: ukDate('Enter the date of the move'),
  evidence: z
    .string({ error: 'Enter the evidence for the move' })
    .trim()
    .min(1, 'Enter the evidence for the move')
    .max(5000, 'The evidence must be 5,000 characters or fewer'),
})

export type StageMoveInput = z.input<typeof stageMoveInput>

export async function recordStageMove(
  context: UseCaseContext,
  urn: number,
  raw: unknown,
): Promise<StagePeriod[]> {
  const school = await findJourneySchool(context.db, urn)
  if (!school || !canViewSchoolJourney(context.actor, school)) throw new NotFoundError('School')
  if (!canRecordStageMove(context.actor, school.servingHubId)) throw new NotFoundError('School')
  const input = parseInput(stageMoveInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    // One move at a time for a school: the second of two at once sees the first's period.
    await tx.selectFrom('schools').select('urn').where('urn', '=', urn).forUpdate().executeTakeFirst()
    const hubId = school.servingHubId
    if (hubId === null) {
      throw new ValidationError([
        {
          code: 'no-hub',
          field: 'stage',
          message: 'No Maths Hub serves this school, so its stage cannot be recorded',
        },
      ])
    }
    const current = await tx
      .selectFrom('school_mastery_stages')
      .select(['id', 'stage', 'from_date'])
      .where('school_urn', '=', urn)
      .where('to_date', 'is', null)
      .executeTakeFirst()
    const currentStage = current?.stage ?? null
    const errors = []
    const refusal = stageMoveRefusal(currentStage, input.stage)
    if (refusal) errors.push({ code: 'refused', field: 'stage', message: refusal })
    const currentFrom = current ? String(current.from_date).slice(0, 10) : null
    if (currentFrom !== null && input.movedOn <= currentFrom) {
      errors.push({
        code: 'before-current',
        field: 'movedOn',
        message: `The date of the move must be after ${ukDateText(currentFrom)}, when the school began ${MASTERY_STAGE_NAMES[currentStage!]}`,
      })
    }
    if (input.movedOn > ukDateOf(now)) {
      errors.push({
        code: 'future',
        field: 'movedOn',
        message: 'The date of the move must be today or in the past',
      })
    }
    if (errors.length) throw new ValidationError(errors)
    if (current) {
      await tx
        .updateTable('school_mastery_stages')
        .set({ to_date: input.movedOn })
        .where('id', '=', current.id)
        .execute()
    }
    const row = await tx
      .insertInto('school_mastery_stages')
      .values({
        school_urn: urn,
        stage: input.stage,
        from_date: input.movedOn,
        evidence: input.evidence,
        hub_id: hubId,
        decided_by: actingPersonId(context.actor),
        decided_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit({
      action: 'school.stage-move',
      recordType: 'school-mastery-stage',
      recordId: String(row.id),
      before: current ? { stage: current.stage, fromDate: currentFrom } : null,
      after: { schoolUrn: urn, stage: input.stage, fromDate: input.movedOn, hubId },
    })
    return stagePeriods(tx, urn)
  })
}
