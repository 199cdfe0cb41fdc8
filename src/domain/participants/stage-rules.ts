// What every stage change shares: the actor may see the participation (else 404), the move is one
// the machine allows for the programme's shape, the open stage ends on the date given and the new
// one begins then, and the move is written to the history and the audit trail in one transaction.
// A deferral's or withdrawal's reason is kept in the stage and the history, never in the audit row.
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { actingPersonId } from '../access/actor.ts'
import { inTransaction, type Unit, type UseCaseContext } from '../use-case.ts'
import { canChangeStage } from './participants.policy.ts'
import {
  endStage,
  findParticipationRecord,
  insertHistory,
  insertStage,
  openStage,
  type ParticipationRecord,
} from './participants.repository.ts'
import {
  nextStage,
  RefusedStageChange,
  WITH_REASON,
  type ParticipationEvent,
} from './participation.states.ts'

export const stageChangeInput = z.object({
  /** The first day of the new stage, YYYY-MM-DD. */
  on: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date the change takes effect')
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'Enter a real date'),
  reason: z.string().trim().max(2000, 'The reason must be 2,000 characters or fewer').optional(),
})

export type StageChangeInput = z.input<typeof stageChangeInput>

export async function changeStage(
  context: UseCaseContext,
  participationId: number,
  event: ParticipationEvent,
  raw: unknown,
  extra?: (unit: Unit, participation: ParticipationRecord, on: string) => Promise<{ toCohortId?: string }>,
): Promise<void> {
  const input = parseInput(stageChangeInput, raw)
  await inTransaction(context, async (unit) => {
    const participation = await findParticipationRecord(unit.tx, participationId)
    if (!participation || !canChangeStage(context.actor, participation)) {
      throw new NotFoundError('Participation')
    }
    const current = await openStage(unit.tx, participationId)
    if (!current) throw new NotFoundError('Participation')
    let to
    try {
      to = nextStage(current.stage, event, participation.hasYearTwo ? 'with-year-two' : 'one-year')
    } catch (error) {
      if (!(error instanceof RefusedStageChange)) throw error
      throw new ValidationError([{ code: 'refused-transition', field: 'stage', message: error.message }])
    }
    const reason = WITH_REASON.includes(to) ? (input.reason ?? '') : null
    if (reason === '') {
      throw new ValidationError([{ code: 'required', field: 'reason', message: 'Enter the reason' }])
    }
    if (input.on <= current.startsOn) {
      throw new ValidationError([
        {
          code: 'too-early',
          field: 'on',
          message: 'The change must take effect after the current stage began',
        },
      ])
    }
    const moved = extra ? await extra(unit, participation, input.on) : {}
    const actorPersonId = actingPersonId(context.actor)
    await endStage(unit.tx, current.id, input.on)
    await insertStage(unit.tx, {
      participationId,
      stage: to,
      reason,
      startsOn: input.on,
      createdBy: actorPersonId,
      now: unit.now,
    })
    await insertHistory(unit.tx, {
      participationId,
      event,
      fromStage: current.stage,
      toStage: to,
      reason,
      fromCohortId: moved.toCohortId ? participation.cohortId : null,
      toCohortId: moved.toCohortId ?? null,
      effectiveOn: input.on,
      actorPersonId,
      now: unit.now,
    })
    // The reason is the person's own circumstances: it stays in the stage and its history, which
    // erasure reaches; the audit trail (append-only) records only that one was given.
    await unit.audit({
      action: `participation.${event}`,
      recordType: 'participation',
      recordId: participationId,
      before: { stage: current.stage, cohortId: participation.cohortId },
      after: {
        stage: to,
        on: input.on,
        reasonGiven: reason !== null,
        cohortId: moved.toCohortId ?? participation.cohortId,
      },
    })
  })
}
