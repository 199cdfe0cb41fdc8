// Use-case: change a person's profile (their name, the school where they work, their teacher
// reference number). Who may (docs/adr/0015): the person themself, NCETM administrators, and a
// hub lead for someone whose every role is in a hub they lead; anyone else is "not found". An
// email address is not changed here: it is how the person signs in. Audited with which fields
// changed and the workplace's URN, never the name or TRN themselves.
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { canEditPerson } from '../access/access.policy.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { findPersonById, liveGrantsOf, type Person } from './people.repository.ts'
import { personNameSchema } from './person-name.ts'

const WORKPLACE_FORMAT = 'Enter the URN of the school where they work, like 123456'

/** Each field is optional: only what is sent changes. null clears the workplace or the TRN. */
export const editPersonInput = z.object({
  name: personNameSchema.min(1, 'Enter their name').optional().describe('Their full name'),
  workplaceUrn: z
    .number({ error: WORKPLACE_FORMAT })
    .int(WORKPLACE_FORMAT)
    .min(100_000, WORKPLACE_FORMAT)
    .max(99_999_999, WORKPLACE_FORMAT)
    .nullable()
    .optional()
    .describe('The URN of the school where they work (and so its trust), or null for none'),
  trn: z
    .string({ error: 'Teacher reference number (TRN) must be 7 digits, like 1234567' })
    .regex(/^\d{7}$/, 'Teacher reference number (TRN) must be 7 digits, like 1234567')
    .nullable()
    .optional()
    .describe('Teacher reference number: 7 digits, or null for none'),
  email: z
    .never({
      error: 'An email address cannot be changed: it is how the person signs in. Ask NCETM for help',
    })
    .optional()
    .describe('Not changeable: sending it is refused'),
})

export type EditPersonInput = z.infer<typeof editPersonInput>

type Field = 'name' | 'workplace_urn' | 'trn'

export async function editPerson(
  context: UseCaseContext,
  personId: number,
  raw: unknown,
): Promise<Person & { workplaceUrn: number | null }> {
  await assertMayEdit(context, personId)
  const input = parseInput(editPersonInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    const before = await tx
      .selectFrom('people')
      .select(['name', 'workplace_urn', 'trn', 'erased_at'])
      .where('id', '=', personId)
      .forUpdate()
      .executeTakeFirst()
    if (!before || before.erased_at !== null) throw new NotFoundError('Person')
    if (input.workplaceUrn !== undefined && input.workplaceUrn !== null) {
      const school = await tx
        .selectFrom('schools')
        .select('urn')
        .where('urn', '=', input.workplaceUrn)
        .executeTakeFirst()
      if (!school) {
        throw new ValidationError([
          { code: 'unknown', field: 'workplaceUrn', message: 'No school in the register has that URN' },
        ])
      }
    }
    const after = {
      name: input.name ?? before.name,
      workplace_urn: input.workplaceUrn === undefined ? before.workplace_urn : input.workplaceUrn,
      trn: input.trn === undefined ? before.trn : input.trn,
    }
    const changed = (['name', 'workplace_urn', 'trn'] as Field[]).filter((f) => after[f] !== before[f])
    if (changed.length > 0) {
      await tx
        .updateTable('people')
        .set({ ...after, updated_at: now })
        .where('id', '=', personId)
        .execute()
      // Which fields changed, and where they work (a school, as the audit trail already records):
      // never the name or TRN, so erasing the person never needs to touch the audit trail.
      await audit({
        action: 'person.update',
        recordType: 'person',
        recordId: personId,
        before: changed.includes('workplace_urn') ? { workplace_urn: before.workplace_urn } : {},
        after: {
          changed,
          ...(changed.includes('workplace_urn') ? { workplace_urn: after.workplace_urn } : {}),
        },
      })
    }
    const person = await findPersonById(tx, personId)
    if (!person) throw new NotFoundError('Person')
    return { ...person, workplaceUrn: after.workplace_urn }
  })
}

/** The person's profile as the edit form shows it; "not found" for anyone who may not edit it. */
export async function viewPersonToEdit(context: UseCaseContext, personId: number) {
  await assertMayEdit(context, personId)
  const person = await context.db
    .selectFrom('people as p')
    .leftJoin('schools as s', 's.urn', 'p.workplace_urn')
    .select([
      'p.id',
      'p.name',
      'p.email',
      'p.trn',
      'p.workplace_urn',
      's.name as workplace_name',
      'p.erased_at',
    ])
    .where('p.id', '=', personId)
    .executeTakeFirst()
  if (!person || person.erased_at !== null) throw new NotFoundError('Person')
  return {
    id: person.id,
    name: person.name,
    email: person.email,
    trn: person.trn,
    workplace_urn: person.workplace_urn,
    workplace_name: person.workplace_name,
  }
}

async function assertMayEdit(context: UseCaseContext, personId: number): Promise<void> {
  const grants = await liveGrantsOf(context.db, personId)
  if (!canEditPerson(context.actor, { id: personId, grants })) throw new NotFoundError('Person')
}
