// Use-cases: ask for an emailed one-time sign-in link, and use it. The answer to a request is the
// same whether or not the address is known, and so is the work done before it: only the rate
// limits are counted before answering; looking up the address and making and emailing the link
// can be handed to `later`, to run after the answer. Links are single use and expire after 20
// minutes.
import { z } from 'zod'
import { emailAddressSchema } from '../../lib/email-address.ts'
import { parseInput } from '../../errors.ts'
import { ANONYMOUS } from '../access/actor.ts'
import { hitRateLimit, type RateLimit } from '../access/rate-limit.repository.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { findPersonByEmail } from '../people/people.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { hashSecret, newSecret } from './tokens.ts'

export const SIGN_IN_LINK_MINUTES = 20

export const SIGN_IN_LIMITS = {
  perAddress: { name: 'sign-in:address', limit: 5, windowMs: 15 * 60_000 },
  perIp: { name: 'sign-in:ip', limit: 30, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimit>

export const signInRequest = z.object({
  email: emailAddressSchema({ required: 'Enter your email address' }),
})

export type SignInRequestResult = { outcome: 'sent' } | { outcome: 'rate-limited'; retryAfterSeconds: number }

/**
 * Where work goes that the answer must not wait for (pages: after the answer is sent). Without
 * it the work is done before the use-case returns.
 */
export type Later = (work: () => Promise<void>) => void

/** How a sign-in request is handled: work after the answer, and the page the link returns to. */
export interface SignInLinkOptions {
  later?: Later
  /** A path on this service (already checked by the caller) the emailed link returns to. */
  next?: string
}

export async function runLaterOrNow(later: Later | undefined, work: () => Promise<void>): Promise<void> {
  if (later) later(work)
  else await work()
}

export async function requestSignInLink(
  context: UseCaseContext,
  raw: unknown,
  client: { ip: string },
  options: SignInLinkOptions = {},
): Promise<SignInRequestResult> {
  const { email } = parseInput(signInRequest, raw)
  const limited = await hitSignInLimits(context, email, client.ip)
  if (limited) return limited
  await runLaterOrNow(options.later, () => sendSignInLink(context, email, options.next))
  return { outcome: 'sent' }
}

/** Counts a request against the sign-in limits; answers how long to wait once they are spent. */
export async function hitSignInLimits(
  context: UseCaseContext,
  email: string,
  ip: string,
): Promise<SignInRequestResult | undefined> {
  const now = context.clock.now()
  const byIp = await hitRateLimit(context.db, SIGN_IN_LIMITS.perIp, ip, now)
  const byAddress = await hitRateLimit(context.db, SIGN_IN_LIMITS.perAddress, email, now)
  if (byIp.allowed && byAddress.allowed) return undefined
  return {
    outcome: 'rate-limited',
    retryAfterSeconds: Math.max(byIp.retryAfterSeconds, byAddress.retryAfterSeconds),
  }
}

/**
 * Makes and emails a sign-in link when the address is a person's; does nothing otherwise. The
 * link carries `next`, the page to return to, when there is one.
 */
export async function sendSignInLink(context: UseCaseContext, email: string, next?: string): Promise<void> {
  const person = await findPersonByEmail(context.db, email)
  if (!person) return
  await inTransaction({ ...context, actor: ANONYMOUS }, async ({ tx, now, audit }) => {
    const token = newSecret()
    const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000)
    await tx
      .insertInto('sign_in_tokens')
      .values({ token_hash: hashSecret(token), person_id: person.id, created_at: now, expires_at: expiresAt })
      .execute()
    await audit({
      action: 'sign-in-link.create',
      recordType: 'person',
      recordId: person.id,
      after: { expiresAt },
    })
    await queueEmail(
      tx,
      {
        template: 'sign-in-link',
        to: person.email,
        data: {
          name: person.name,
          link: `${context.baseUrl}/sign-in/link/${token}${next ? `?next=${encodeURIComponent(next)}` : ''}`,
          expiresAt,
        },
      },
      { queuedAt: now },
    )
  })
}

/** Spends a sign-in link: returns the person it signs in, or undefined if used, expired or unknown. */
export async function useSignInLink(context: UseCaseContext, token: string): Promise<number | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined
  return inTransaction({ ...context, actor: ANONYMOUS }, async ({ tx, now, audit }) => {
    const used = await tx
      .updateTable('sign_in_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hashSecret(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('person_id')
      .executeTakeFirst()
    if (!used) return undefined
    await audit({ action: 'sign-in-link.use', recordType: 'person', recordId: used.person_id })
    return used.person_id
  })
}
