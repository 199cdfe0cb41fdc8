// The specialist defers to a later cohort of the same programme, with a reason; the stages so far
// and the history stay with the participation, which moves to the later cohort.
import { z } from 'zod'
import { parseInput, ValidationError } from '../../errors.ts'
import type { UseCaseContext } from '../use-case.ts'
import { laterCohort, moveCohort } from './participants.repository.ts'
import { changeStage } from './stage-rules.ts'

const deferInput = z.object({ toCohortId: z.string().trim().min(1, 'Choose the later cohort').max(100) })

export async function deferParticipation(
  context: UseCaseContext,
  participationId: number,
  raw: { on: string; reason?: string; toCohortId: string },
): Promise<void> {
  const { toCohortId } = parseInput(deferInput, raw)
  await changeStage(context, participationId, 'defer', raw, async (unit, participation) => {
    if (!(await laterCohort(unit.tx, participation.cohortId, toCohortId))) {
      throw new ValidationError([
        { code: 'not-later', field: 'toCohortId', message: 'Choose a later cohort of the same programme' },
      ])
    }
    await moveCohort(unit.tx, participation.id, toCohortId)
    return { toCohortId }
  })
}
