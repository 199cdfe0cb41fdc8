// Use-cases for national administrators: a hub's name and contacts, and the local authorities it
// serves (one hub per local authority).
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { EMAIL_ADDRESS_FORMAT, isEmailAddress } from '../../lib/email-address.ts'
import { isPlainLine } from '../../lib/text.ts'
import { canManageHubs } from '../access/access.policy.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'

// Text kept for a hub is plain: no control characters (PostgreSQL cannot store a NUL at all).
const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .refine(isPlainLine, 'Enter text without control characters')
    .optional()
    .transform((v) => (v ? v : null))

export const hubDetailsInput = z.object({
  name: z
    .string({ message: 'Enter the hub’s name' })
    .trim()
    .min(1, 'Enter the hub’s name')
    .max(200, 'Name must be 200 characters or fewer')
    .refine(isPlainLine, 'Enter the hub’s name without control characters'),
  contactEmail: optionalText(254, 'Email address must be 254 characters or fewer').refine(
    (v) => v === null || isEmailAddress(v),
    EMAIL_ADDRESS_FORMAT,
  ),
  contactPhone: optionalText(30, 'Phone number must be 30 characters or fewer').refine(
    (v) => v === null || /^[0-9 +()-]{6,30}$/.test(v),
    'Enter a phone number, like 01632 960 001',
  ),
  website: optionalText(300, 'Website must be 300 characters or fewer').refine(
    (v) => v === null || /^https?:\/\/[^\s<>"]+$/.test(v),
    'Enter a website address starting https://',
  ),
})

function nameTaken(): ValidationError {
  return new ValidationError([
    { code: 'duplicate', field: 'name', message: 'Another hub already has that name' },
  ])
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null
  return e?.code === '23505' && e.constraint === constraint
}

export async function updateHubDetails(context: UseCaseContext, hubId: string, raw: unknown): Promise<void> {
  if (!canManageHubs(context.actor)) throw new NotFoundError('Hub')
  const input = parseInput(hubDetailsInput, raw)
  await inTransaction(context, async ({ tx, now, audit }) => {
    const before = await tx
      .selectFrom('hubs')
      .select(['name', 'contact_email', 'contact_phone', 'website'])
      .where('id', '=', hubId)
      .executeTakeFirst()
    if (!before) throw new NotFoundError('Hub')
    const clash = await tx
      .selectFrom('hubs')
      .select('id')
      .where('name', '=', input.name)
      .where('id', '!=', hubId)
      .executeTakeFirst()
    if (clash) throw nameTaken()
    const after = {
      name: input.name,
      contact_email: input.contactEmail,
      contact_phone: input.contactPhone,
      website: input.website,
    }
    try {
      await tx
        .updateTable('hubs')
        .set({ ...after, updated_at: now })
        .where('id', '=', hubId)
        .execute()
    } catch (error) {
      // Another hub given the same name at this moment: the ordinary answer (the change rolls back).
      if (isUniqueViolation(error, 'hubs_name_key')) throw nameTaken()
      throw error
    }
    await audit({ action: 'hub.update', recordType: 'hub', recordId: hubId, before, after })
  })
}

export const hubAreaInput = z.object({
  laCode: z
    .string({ message: 'Enter a local authority code' })
    .trim()
    .regex(/^\d{3}$/, 'Enter a 3-digit local authority code, like 886'),
})

/** Gives a local authority to the hub, taking it from any hub that had it. */
export async function assignHubArea(context: UseCaseContext, hubId: string, raw: unknown): Promise<void> {
  if (!canManageHubs(context.actor)) throw new NotFoundError('Hub')
  const { laCode } = parseInput(hubAreaInput, raw)
  await inTransaction(context, async ({ tx, audit }) => {
    const hub = await tx.selectFrom('hubs').select('id').where('id', '=', hubId).executeTakeFirst()
    if (!hub) throw new NotFoundError('Hub')
    const la = await tx
      .selectFrom('schools')
      .select((eb) => eb.fn.max('la_name').as('la_name'))
      .where('la_code', '=', laCode)
      .executeTakeFirst()
    if (!la?.la_name) {
      throw new ValidationError([
        { code: 'unknown', field: 'laCode', message: 'No school in the register is in that local authority' },
      ])
    }
    const before = await tx
      .selectFrom('hub_areas')
      .select(['hub_id'])
      .where('la_code', '=', laCode)
      .executeTakeFirst()
    if (before?.hub_id === hubId) return
    await tx
      .insertInto('hub_areas')
      .values({ la_code: laCode, la_name: la.la_name, hub_id: hubId, import_id: null })
      .onConflict((oc) => oc.column('la_code').doUpdateSet({ hub_id: hubId, import_id: null }))
      .execute()
    await audit({
      action: 'hub-area.assign',
      recordType: 'hub-area',
      recordId: laCode,
      before: before ?? null,
      after: { hub_id: hubId },
    })
  })
}

export async function removeHubArea(context: UseCaseContext, hubId: string, laCode: string): Promise<void> {
  if (!canManageHubs(context.actor)) throw new NotFoundError('Hub')
  await inTransaction(context, async ({ tx, audit }) => {
    const removed = await tx
      .deleteFrom('hub_areas')
      .where('la_code', '=', laCode)
      .where('hub_id', '=', hubId)
      .returning(['la_code', 'hub_id'])
      .executeTakeFirst()
    if (!removed) throw new NotFoundError('Hub area')
    await audit({ action: 'hub-area.remove', recordType: 'hub-area', recordId: laCode, before: removed })
  })
}
