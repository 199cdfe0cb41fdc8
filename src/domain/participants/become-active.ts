// The specialist becomes active, leading Work Groups.
import type { UseCaseContext } from '../use-case.ts'
import { changeStage } from './stage-rules.ts'

export async function becomeActive(
  context: UseCaseContext,
  participationId: number,
  raw: unknown,
): Promise<void> {
  await changeStage(context, participationId, 'become-active', raw)
}
