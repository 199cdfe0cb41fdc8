// A deferred specialist begins development year 1 with the later cohort.
import type { UseCaseContext } from '../use-case.ts'
import { changeStage } from './stage-rules.ts'

export async function resumeParticipation(
  context: UseCaseContext,
  participationId: number,
  raw: unknown,
): Promise<void> {
  await changeStage(context, participationId, 'resume', raw)
}
