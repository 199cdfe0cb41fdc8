// Year 2 begins.
import type { UseCaseContext } from '../use-case.ts'
import { changeStage } from './stage-rules.ts'

export async function beginYearTwo(
  context: UseCaseContext,
  participationId: number,
  raw: unknown,
): Promise<void> {
  await changeStage(context, participationId, 'begin-year-two', raw)
}
