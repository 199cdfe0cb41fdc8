// Use-case: give a person a role (national administrators any; hub leads their own hub's
// administrators and reviewers). They are told by email. A person not yet known is created, with
// their name and the school where they work (for reviewers' conflicts of interest); a person
// already known keeps their profile exactly as it is: giving a role never changes who someone is
// or where they work (that is edit-person.ts, with its own policy). Safe when the same grant is
// asked for several times at once: one succeeds, the rest get the ordinary "already" answer.
import { z } from 'zod'
import { emailAddressSchema } from '../../lib/email-address.ts'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { isPlainLine } from '../../lib/text.ts'
import { canManageAnyGrant, hubRolesGrantableBy } from '../access/access.policy.ts'
import { actingPersonId, ROLE_NAMES, ROLES, scopeOf, type Role } from '../access/actor.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { findLiveGrant, findPersonByEmail, insertPersonUnlessKnown } from './people.repository.ts'
import { personNameSchema } from './person-name.ts'

export const grantRoleInput = z.object({
  email: emailAddressSchema({ required: 'Enter an email address' }),
  /** Only for a person new to the service. */
  name: personNameSchema.optional(),
  role: z.enum(ROLES as [Role, ...Role[]], { message: 'Select a role' }),
  hubId: z.string().trim().max(100).refine(isPlainLine, 'Select a hub').optional(),
  schoolUrn: z.coerce.number().int().positive('Enter the school’s URN').optional(),
  cohortId: z.string().trim().max(100).refine(isPlainLine, 'Select a cohort').optional(),
  /**
   * Only for a person new to the service: the school where they work, so that reviewers never
   * review their own school or trust.
   */
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

function duplicateGrant(name: string, role: Role): ValidationError {
  return new ValidationError([
    {
      code: 'duplicate',
      field: 'role',
      message: `${name} is already a ${ROLE_NAMES[role].toLowerCase()} there`,
    },
  ])
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
    if (input.role === 'reviewer' && input.cohortId !== undefined) {
      const cohort = await tx
        .selectFrom('cohorts')
        .select('id')
        .where('id', '=', input.cohortId)
        .executeTakeFirst()
      if (!cohort) {
        throw new ValidationError([
          { code: 'unknown', field: 'cohortId', message: 'There is no cohort with that id' },
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
      let workplaceUrn: number | null = null
      if (input.workplaceUrn !== undefined) {
        const workplace = await tx
          .selectFrom('schools')
          .select('urn')
          .where('urn', '=', input.workplaceUrn)
          .executeTakeFirst()
        if (!workplace) {
          throw new ValidationError([
            { code: 'unknown', field: 'workplaceUrn', message: 'No school in the register has that URN' },
          ])
        }
        workplaceUrn = workplace.urn
      }
      const created = await insertPersonUnlessKnown(tx, {
        name: input.name,
        email: input.email,
        workplaceUrn,
      })
      if (created) {
        await audit({
          action: 'person.create',
          recordType: 'person',
          recordId: created.id,
          // No personal data in the audit trail: the person's record holds their name.
          ...(workplaceUrn === null ? {} : { after: { workplace_urn: workplaceUrn } }),
        })
      }
      // Made by a request at the same moment: theirs, exactly as they made it.
      person = created ?? (await findPersonByEmail(tx, input.email))
      if (!person) throw new Error('A person with this email address was made and is gone')
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
    if (existing) throw duplicateGrant(person.name, input.role)
    // The same grant made by a request at the same moment is the ordinary duplicate too.
    const inserted = await tx
      .insertInto('grants')
      .values(grant)
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!inserted) throw duplicateGrant(person.name, input.role)
    const id = inserted.id
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
