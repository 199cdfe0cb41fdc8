// Use-case: take a role away. Hub leads may revoke their own hub's administrators and reviewers;
// national administrators any grant. Anything else is "not found".
import { NotFoundError } from '../../errors.ts'
import { canManageAnyGrant, hubRolesGrantableBy } from '../access/access.policy.ts'
import { actingPersonId, ROLE_NAMES, scopeOf } from '../access/actor.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { scopeText } from './grant-role.ts'
import { findLiveGrant, findPersonById } from './people.repository.ts'

export async function revokeGrant(context: UseCaseContext, grantId: number): Promise<void> {
  await inTransaction(context, async ({ tx, now, audit }) => {
    const grant = await findLiveGrant(tx, grantId)
    if (!grant) throw new NotFoundError('Grant')
    const allowed =
      scopeOf(grant.role) === 'hub' && grant.hubId
        ? hubRolesGrantableBy(context.actor, grant.hubId).includes(grant.role)
        : canManageAnyGrant(context.actor)
    if (!allowed) throw new NotFoundError('Grant')
    await tx
      .updateTable('grants')
      .set({ revoked_at: now, revoked_by: actingPersonId(context.actor) })
      .where('id', '=', grantId)
      .execute()
    // A token carrying this grant stops working with it.
    await tx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('grant_id', '=', grantId)
      .where('revoked_at', 'is', null)
      .execute()
    await audit({
      action: 'grant.revoke',
      recordType: 'grant',
      recordId: grantId,
      before: {
        role: grant.role,
        hub_id: grant.hubId,
        school_urn: grant.schoolUrn,
        person_id: grant.personId,
      },
    })
    const person = await findPersonById(tx, grant.personId)
    if (person) {
      await queueEmail(
        tx,
        {
          template: 'role-revoked',
          to: person.email,
          data: { name: person.name, roleName: ROLE_NAMES[grant.role], scope: scopeText(grant) },
        },
        { queuedAt: now },
      )
    }
  })
}
