// Use-case: a teacher with no account creates one to apply: a name and an email address, then the
// same emailed sign-in link as everyone, which proves the address. The answer is the same whether
// or not the address already had an account (an existing one just gets a sign-in link), so nobody
// can find out who has one, and so is the work done before it (making the account and the link can
// be handed to `later`, to run after the answer). Accounts made here hold the teacher role and
// nothing more.
import { z } from 'zod'
import { parseInput } from '../../errors.ts'
import { ANONYMOUS } from '../access/actor.ts'
import { hitRateLimit, type RateLimit } from '../access/rate-limit.repository.ts'
import { insertPersonUnlessKnown } from '../people/people.repository.ts'
import { personNameSchema } from '../people/person-name.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import {
  hitSignInLimits,
  runLaterOrNow,
  sendSignInLink,
  type SignInLinkOptions,
  signInRequest,
  type SignInRequestResult,
} from './sign-in-link.ts'

export const CREATE_ACCOUNT_LIMIT: RateLimit = { name: 'create-account:ip', limit: 10, windowMs: 15 * 60_000 }

// Fields in the order the form asks for them, so refusals come in that order in the API too.
export const createAccountInput = z.object({
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
  email: signInRequest.shape.email,
})

export async function createAccount(
  context: UseCaseContext,
  raw: unknown,
  client: { ip: string },
  options: SignInLinkOptions = {},
): Promise<SignInRequestResult> {
  const { name, email } = parseInput(createAccountInput, raw)
  const byIp = await hitRateLimit(context.db, CREATE_ACCOUNT_LIMIT, client.ip, context.clock.now())
  if (!byIp.allowed) return { outcome: 'rate-limited', retryAfterSeconds: byIp.retryAfterSeconds }
  // A refusal changes nothing: when no sign-in link could be sent now, no account is made either.
  const limited = await hitSignInLimits(context, email, client.ip)
  if (limited) return limited
  // Whether the address already has an account decides the work, so it is done after the answer.
  await runLaterOrNow(options.later, async () => {
    await inTransaction({ ...context, actor: ANONYMOUS }, async ({ tx, audit }) => {
      // Two requests for one new address at once: the second finds the row the first made.
      const person = await insertPersonUnlessKnown(tx, { name, email, workplaceUrn: null })
      if (!person) return
      await tx.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
      await audit({
        action: 'person.create-account',
        recordType: 'person',
        recordId: person.id,
        after: { role: 'teacher' },
      })
    })
    await sendSignInLink(context, email, options.next)
  })
  return { outcome: 'sent' }
}
