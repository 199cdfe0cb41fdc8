// Use-cases: API tokens for hub and national systems. Shown once, stored hashed, carrying the
// scope of one of the owner's grants, revocable, with their last-used time.
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { isPlainLine } from '../../lib/text.ts'
import { canManageOwnApiTokens, isNationalAdmin } from '../access/access.policy.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { hashSecret, newSecret } from './tokens.ts'

export const TOKEN_PREFIX = 'mh_'

export const createApiTokenInput = z.object({
  name: z
    .string({ message: 'Enter a name for the token' })
    .trim()
    .min(1, 'Enter a name for the token, like "Hub reporting system"')
    .max(100, 'Name must be 100 characters or fewer')
    .refine(isPlainLine, 'Enter a name without control characters'),
  grantId: z.coerce
    .number({ message: 'Select the role the token acts with' })
    .int()
    .positive('Select the role the token acts with'),
})

export async function createApiToken(
  context: UseCaseContext,
  raw: unknown,
): Promise<{ id: number; token: string }> {
  const actor = context.actor
  if (actor.kind !== 'person' || !canManageOwnApiTokens(actor)) throw new NotFoundError('API tokens')
  const input = parseInput(createApiTokenInput, raw)
  if (!actor.grants.some((g) => g.id === input.grantId)) {
    throw new ValidationError([{ code: 'invalid', field: 'grantId', message: 'Select one of your roles' }])
  }
  const token = `${TOKEN_PREFIX}${newSecret()}`
  return inTransaction(context, async ({ tx, now, audit }) => {
    const { id } = await tx
      .insertInto('api_tokens')
      .values({
        person_id: actor.personId,
        name: input.name,
        token_hash: hashSecret(token),
        token_prefix: token.slice(0, 10),
        grant_id: input.grantId,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit({
      action: 'api-token.create',
      recordType: 'api-token',
      recordId: id,
      after: { name: input.name, grantId: input.grantId },
    })
    await queueEmail(
      tx,
      {
        template: 'api-token-created',
        to: actor.email,
        data: { name: actor.name, tokenName: input.name },
      },
      { queuedAt: now },
    )
    return { id, token }
  })
}

export async function revokeApiToken(context: UseCaseContext, tokenId: number): Promise<void> {
  const actor = context.actor
  if (actor.kind !== 'person') throw new NotFoundError('API token')
  await inTransaction(context, async ({ tx, now, audit }) => {
    const token = await tx
      .selectFrom('api_tokens')
      .select(['id', 'person_id', 'name'])
      .where('id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    if (!token || (token.person_id !== actor.personId && !isNationalAdmin(actor)))
      throw new NotFoundError('API token')
    await tx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', tokenId).execute()
    await audit({
      action: 'api-token.revoke',
      recordType: 'api-token',
      recordId: tokenId,
      before: { name: token.name },
    })
  })
}

export async function listOwnApiTokens(context: UseCaseContext) {
  const actor = context.actor
  if (actor.kind !== 'person') throw new NotFoundError('API tokens')
  return context.db
    .selectFrom('api_tokens as t')
    .innerJoin('grants as g', 'g.id', 't.grant_id')
    .leftJoin('hubs as h', 'h.id', 'g.hub_id')
    .leftJoin('schools as s', 's.urn', 'g.school_urn')
    .select([
      't.id',
      't.name',
      't.token_prefix',
      't.created_at',
      't.last_used_at',
      't.revoked_at',
      'g.role',
      'h.name as hub_name',
      's.name as school_name',
    ])
    .where('t.person_id', '=', actor.personId)
    .orderBy('t.id', 'desc')
    .execute()
}
