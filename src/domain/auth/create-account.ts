// Use-case: a teacher with no account creates one to apply: a name and an email address, then the
// same emailed sign-in link as everyone, which proves the address. The answer is the same whether
// or not the address already had an account (an existing one just gets a sign-in link), so nobody
// can find out who has one. Accounts made here hold the teacher role and nothing more.
import { z } from 'zod'
import { parseInput } from '../../errors.ts'
import { ANONYMOUS } from '../access/actor.ts'
import { hitRateLimit, rateLimitKey, type RateLimit } from '../access/rate-limit.repository.ts'
import { findPersonByEmail, insertPerson } from '../people/people.repository.ts'
import { personNameSchema } from '../people/person-name.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { requestSignInLink, SIGN_IN_LIMITS, signInRequest, type SignInRequestResult } from './sign-in-link.ts'

export const CREATE_ACCOUNT_LIMIT: RateLimit = { name: 'create-account:ip', limit: 10, windowMs: 15 * 60_000 }

export const createAccountInput = signInRequest.extend({
  name: z
    .string({ error: 'Enter your full name' })
    .trim()
    .min(1, 'Enter your full name')
    .max(100, 'Full name must be 100 characters or fewer')
    .refine(
      // eslint-disable-next-line no-control-regex
      (v) => !/[\u0000-\u001f\u007f<>]/.test(v),
      'Full name must only include letters, spaces, hyphens and apostrophes',
    )
    .pipe(personNameSchema),
})

export async function createAccount(
  context: UseCaseContext,
  raw: unknown,
  client: { ip: string },
): Promise<SignInRequestResult> {
  const { name, email } = parseInput(createAccountInput, raw)
  const byIp = await hitRateLimit(context.db, CREATE_ACCOUNT_LIMIT, client.ip, context.clock.now())
  if (!byIp.allowed) return { outcome: 'rate-limited', retryAfterSeconds: byIp.retryAfterSeconds }
  // A refusal changes nothing: when no sign-in link could be sent now, no account is made either.
  const linkRefused = await signInLinkRefused(context, email, client.ip)
  if (linkRefused !== undefined) return { outcome: 'rate-limited', retryAfterSeconds: linkRefused }
  await inTransaction({ ...context, actor: ANONYMOUS }, async ({ tx, audit }) => {
    if (await findPersonByEmail(tx, email)) return
    const person = await insertPerson(tx, { name, email })
    await tx.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
    await audit({
      action: 'person.create-account',
      recordType: 'person',
      recordId: person.id,
      after: { role: 'teacher' },
    })
  })
  return requestSignInLink(context, { email }, client)
}

/** Seconds to wait when the sign-in link limits are already used up for this address or IP. */
async function signInLinkRefused(
  context: UseCaseContext,
  email: string,
  ip: string,
): Promise<number | undefined> {
  const now = context.clock.now().getTime()
  for (const [limit, subject] of [
    [SIGN_IN_LIMITS.perIp, ip],
    [SIGN_IN_LIMITS.perAddress, email],
  ] as const) {
    const windowStart = Math.floor(now / limit.windowMs) * limit.windowMs
    const row = await context.db
      .selectFrom('rate_limits')
      .select('hits')
      .where('key', '=', rateLimitKey(limit, subject))
      .where('window_start', '=', new Date(windowStart))
      .executeTakeFirst()
    if (row && row.hits >= limit.limit) return Math.ceil((windowStart + limit.windowMs - now) / 1000)
  }
  return undefined
}
