// NCETM's reason for sending a hub's decisions back: required, plain text, kept on the round, shown
// on the hub's page until the hub lead confirms again, and emailed to each of the hub's leads.
import { z } from 'zod'
import type { Executor, Tx } from '../../../db/database.ts'
import { isPlainText } from '../../../lib/text.ts'
import { queueEmail } from '../../email/outbox.repository.ts'

export const MAX_SEND_BACK_REASON = 2_000

export const sendBackInput = z.object({
  reason: z
    .string({ error: 'Enter why you are sending the decisions back' })
    .max(
      MAX_SEND_BACK_REASON,
      `The reason must be ${MAX_SEND_BACK_REASON.toLocaleString('en-GB')} characters or fewer`,
    )
    .refine(isPlainText, { message: 'Enter only text for the reason, without control characters' })
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'Enter why you are sending the decisions back')),
})

export function sendBackFromForm(form: Record<string, string>): unknown {
  return { reason: form.reason }
}

export interface SentBack {
  reason: string
  at: Date
}

/** The hub's live leads with an address (erased people have none to write to). */
export async function hubLeads(db: Executor, hubId: string): Promise<{ name: string; email: string }[]> {
  return db
    .selectFrom('people as p')
    .select(['p.name', 'p.email'])
    .where('p.erased_at', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('grants as g')
          .select('g.id')
          .whereRef('g.person_id', '=', 'p.id')
          .where('g.hub_id', '=', hubId)
          .where('g.role', '=', 'hub-lead')
          .where('g.revoked_at', 'is', null),
      ),
    )
    .orderBy('p.id')
    .execute()
}

/** Keeps the reason on the round and queues the email to each of the hub's leads. */
export async function recordSendBack(
  tx: Tx,
  round: { hubId: string; hubName: string; cohortId: string; programmeName: string; cohortName: string },
  sent: { reason: string; by: number | null; now: Date; link: string },
): Promise<number> {
  await tx
    .updateTable('selection_rounds')
    .set({
      sent_back_reason: sent.reason,
      sent_back_by: sent.by,
      sent_back_at: sent.now,
      updated_at: sent.now,
    })
    .where('hub_id', '=', round.hubId)
    .where('cohort_id', '=', round.cohortId)
    .execute()
  const leads = await hubLeads(tx, round.hubId)
  for (const lead of leads) {
    await queueEmail(tx, {
      template: 'decisions-sent-back',
      to: lead.email,
      data: {
        name: lead.name,
        hubName: round.hubName,
        programmeName: round.programmeName,
        cohortName: round.cohortName,
        reason: sent.reason,
        link: sent.link,
      },
    })
  }
  return leads.length
}

/** The reason the hub's page shows: while the decisions are back with the hub, until confirmed again. */
export function sentBackShown(round: {
  state: string
  sentBackReason: string | null
  sentBackAt: Date | null
}): SentBack | null {
  if (round.state !== 'reviewing' || round.sentBackReason === null || round.sentBackAt === null) return null
  return { reason: round.sentBackReason, at: round.sentBackAt }
}
