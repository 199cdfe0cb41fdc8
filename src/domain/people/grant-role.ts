// Use-case: give a person a role (national administrators any; hub leads their own hub's
// administrators and reviewers). A person not yet known is created. They are told by email. The
// school where they work may be recorded too, for reviewers' conflicts of interest.
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { isPlainLine } from '../../lib/text.ts'
import { canManageAnyGrant, hubRolesGrantableBy } from '../access/access.policy.ts'
import { actingPersonId, ROLE_NAMES, ROLES, scopeOf, type Role } from '../access/actor.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { findLiveGrant, findPersonByEmail, insertPerson } from './people.repository.ts'

export const grantRoleInput = z.object({
  email: z
    .string({ message: 'Enter an email address' })
    .trim()
    .min(1, 'Enter an email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .email('Enter an email address in the correct format, like name@example.com'),
  name: z
    .string()
    .trim()
    .max(100, 'Name must be 100 characters or fewer')
    .refine(isPlainLine, 'Name must not contain control characters')
    .optional(),
  role: z.enum(ROLES as [Role, ...Role[]], { message: 'Select a role' }),
  hubId: z.string().trim().max(100).refine(isPlainLine, 'Select a hub').optional(),
  schoolUrn: z.coerce.number().int().positive('Enter the school’s URN').optional(),
  cohortId: z.string().trim().max(100).refine(isPlainLine, 'Select a cohort').optional(),
  /** The school where the person works, so that reviewers never review their own school or trust. */
  workplaceUrn: z.coerce
    .number({ message: 'Enter the URN of the school where they work, like 123456' })
    .int('Enter the URN of the school where they work, like 123456')
    .min(100_000, 'Enter the URN of the school where they work, like 123456')
    .max(99_999_999, 'Enter the URN of the school where they work, like 123456')
    .optional(),
})

export type GrantRoleInput = z.infer<typeof grantRoleInput>

export function scopeText(grant: {
  role: Role
  hubName?: string | null
  schoolName?: string | null
}): string {
  const scope = scopeOf(grant.role)
  if (scope === 'hub') return grant.hubName ?? 'a hub'
  if (scope === 'school') return grant.schoolName ?? 'a school'
  if (scope === 'national') return 'England'
  return 'Maths Hubs: Teaching for Mastery'
}

export async function grantRole(
  context: UseCaseContext,
  raw: unknown,
): Promise<{ grantId: number; personId: number }> {
  const input = parseInput(grantRoleInput, raw)
  const scope = scopeOf(input.role)
  const actor = context.actor
  // The policy first: a hub role in a hub you do not run, or any other role without national
  // administration, is "not found".
  if (scope === 'hub') {
    if (!input.hubId || !hubRolesGrantableBy(actor, input.hubId).includes(input.role)) {
      if (!input.hubId && canManageAnyGrant(actor)) {
        throw new ValidationError([{ code: 'required', field: 'hubId', message: 'Select the hub' }])
      }
      throw new NotFoundError('Hub')
    }
  } else if (!canManageAnyGrant(actor)) {
    throw new NotFoundError('Person')
  }

  return inTransaction(context, async ({ tx, now, audit }) => {
    const hub = input.hubId
      ? await tx.selectFrom('hubs').select(['id', 'name']).where('id', '=', input.hubId).executeTakeFirst()
      : undefined
    if (scope === 'hub' && !hub) throw new NotFoundError('Hub')
    let school: { urn: number; name: string } | undefined
    if (scope === 'school') {
      if (!input.schoolUrn) {
        throw new ValidationError([
          { code: 'required', field: 'schoolUrn', message: 'Enter the school’s URN' },
        ])
      }
      school = await tx
        .selectFrom('schools')
        .select(['urn', 'name'])
        .where('urn', '=', input.schoolUrn)
        .executeTakeFirst()
      if (!school) {
        throw new ValidationError([
          { code: 'unknown', field: 'schoolUrn', message: 'No school in the register has that URN' },
        ])
      }
    }
    let workplace: { urn: number } | undefined
    if (input.workplaceUrn !== undefined) {
      workplace = await tx
        .selectFrom('schools')
        .select('urn')
        .where('urn', '=', input.workplaceUrn)
        .executeTakeFirst()
      if (!workplace) {
        throw new ValidationError([
          { code: 'unknown', field: 'workplaceUrn', message: 'No school in the register has that URN' },
        ])
      }
    }
    let person = await findPersonByEmail(tx, input.email)
    if (!person) {
      if (!input.name) {
        throw new ValidationError([
          {
            code: 'required',
            field: 'name',
            message: 'Enter the person’s name: nobody has that email address yet',
          },
        ])
      }
      person = await insertPerson(tx, { name: input.name, email: input.email })
      await audit({
        action: 'person.create',
        recordType: 'person',
        recordId: person.id,
        // No personal data in the audit trail: the person's record holds their name.
      })
    }
    if (workplace) {
      const before = await tx
        .selectFrom('people')
        .select('workplace_urn')
        .where('id', '=', person.id)
        .executeTakeFirstOrThrow()
      if (before.workplace_urn !== workplace.urn) {
        await tx
          .updateTable('people')
          .set({ workplace_urn: workplace.urn, updated_at: now })
          .where('id', '=', person.id)
          .execute()
        await audit({
          action: 'person.workplace',
          recordType: 'person',
          recordId: person.id,
          before: { workplace_urn: before.workplace_urn },
          after: { workplace_urn: workplace.urn },
        })
      }
    }
    const grant = {
      person_id: person.id,
      role: input.role,
      hub_id: scope === 'hub' ? hub!.id : null,
      school_urn: scope === 'school' ? school!.urn : null,
      cohort_id: input.role === 'reviewer' ? (input.cohortId ?? null) : null,
      created_by: actingPersonId(actor),
    }
    const existing = await tx
      .selectFrom('grants')
      .select('id')
      .where('person_id', '=', grant.person_id)
      .where('role', '=', grant.role)
      .where('revoked_at', 'is', null)
      .where((eb) => (grant.hub_id ? eb('hub_id', '=', grant.hub_id) : eb('hub_id', 'is', null)))
      .where((eb) =>
        grant.school_urn ? eb('school_urn', '=', grant.school_urn) : eb('school_urn', 'is', null),
      )
      .executeTakeFirst()
    if (existing) {
      throw new ValidationError([
        {
          code: 'duplicate',
          field: 'role',
          message: `${person.name} is already a ${ROLE_NAMES[input.role].toLowerCase()} there`,
        },
      ])
    }
    const { id } = await tx.insertInto('grants').values(grant).returning('id').executeTakeFirstOrThrow()
    await audit({ action: 'grant.create', recordType: 'grant', recordId: id, after: grant })
    const detail = await findLiveGrant(tx, id)
    await queueEmail(
      tx,
      {
        template: 'role-granted',
        to: person.email,
        data: {
          name: person.name,
          roleName: ROLE_NAMES[input.role],
          scope: scopeText({ role: input.role, hubName: detail?.hubName, schoolName: detail?.schoolName }),
          signInUrl: `${context.baseUrl}/sign-in`,
        },
      },
      { queuedAt: now },
    )
    return { grantId: id, personId: person.id }
  })
}
