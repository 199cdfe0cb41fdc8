// The specialist withdraws from the programme, with a reason. Every booking on an event not over
// by the start of the withdrawal date ends in the same transaction (the first waiting at each
// venue moves up), and every funded day from that date on ends: each release-time use dated then
// or later is reversed, "Withdrawn from the programme".
import { parseUkDateTime } from '../../lib/uk-time.ts'
import { cancelFutureBookings } from '../events/bookings/book-place.ts'
import type { UseCaseContext } from '../use-case.ts'
import { reverseUsesFrom } from './release-time/reverse-release-entry.ts'
import { changeStage } from './stage-rules.ts'

export async function withdrawParticipation(
  context: UseCaseContext,
  participationId: number,
  raw: unknown,
): Promise<void> {
  await changeStage(context, participationId, 'withdraw', raw, async (unit, participation, on) => {
    const [year, month, day] = on.split('-').map(Number) as [number, number, number]
    const from = parseUkDateTime({ year, month, day, hour: 0, minute: 0 })
    await cancelFutureBookings(unit.tx, participation.id, from, unit.now)
    await reverseUsesFrom(unit, context.actor, participation, on)
    return {}
  })
}
