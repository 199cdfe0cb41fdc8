// The specialist withdraws from the programme, with a reason.
import type { UseCaseContext } from '../use-case.ts'
import { changeStage } from './stage-rules.ts'

export async function withdrawParticipation(
  context: UseCaseContext,
  participationId: number,
  raw: unknown,
): Promise<void> {
  await changeStage(context, participationId, 'withdraw', raw, async () => {
    // Seam: bookings and funded days do not exist yet. When they do, end here, in this same
    // transaction, every booking and funded day of this participation on or after the date given.
    return {}
  })
}
