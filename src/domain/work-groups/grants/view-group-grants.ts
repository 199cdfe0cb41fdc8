// What a group's page shows of its participation grants: each school's grant due, for those who
// may see the group (its hub's team, NCETM and its lead specialists).
import { NotFoundError } from '../../../errors.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { canViewWorkGroup } from '../work-groups.policy.ts'
import { findWorkGroup } from '../work-groups.repository.ts'
import { grantsDueInGroup, type GrantDue } from './record-due-grants.ts'

export async function viewGroupGrants(context: UseCaseContext, workGroupId: number): Promise<GrantDue[]> {
  const group = await findWorkGroup(context.db, workGroupId)
  if (
    !group ||
    !canViewWorkGroup(context.actor, {
      hubId: group.hubId,
      leadPersonIds: group.leads.map((l) => l.personId),
    })
  )
    throw new NotFoundError('Work Group')
  return grantsDueInGroup(context.db, workGroupId)
}
