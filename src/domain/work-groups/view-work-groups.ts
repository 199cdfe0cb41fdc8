// Use-cases that read Work Groups: a hub's groups (its lead and administrators, NCETM), one group
// (those, and its lead specialists), what the new-group form offers, and the groups a specialist
// leads. Anyone who may not see a hub or group is told it is not there.
import { NotFoundError } from '../../errors.ts'
import { ukDateOf } from '../participants/start-year-one.ts'
import type { UseCaseContext } from '../use-case.ts'
import { academicYearOf } from './manage-work-groups.ts'
import { canManageWorkGroups, canViewHubWorkGroups, canViewWorkGroup } from './work-groups.policy.ts'
import {
  findWorkGroup,
  leadCandidates,
  listHubWorkGroups,
  listLedWorkGroups,
  listWorkGroupProgrammes,
  workGroupHistory,
  type WorkGroupHistoryRow,
  type WorkGroupLead,
  type WorkGroupProgramme,
  type WorkGroupRecord,
} from './work-groups.repository.ts'

export interface HubWorkGroups {
  hub: { id: string; name: string }
  groups: WorkGroupRecord[]
  canManage: boolean
}

export async function viewHubWorkGroups(
  context: UseCaseContext,
  hubId: string,
  filter: { academicYear?: string | undefined } = {},
): Promise<HubWorkGroups> {
  if (!canViewHubWorkGroups(context.actor, hubId)) throw new NotFoundError('Hub')
  const hub = await context.db
    .selectFrom('hubs')
    .select(['id', 'name'])
    .where('id', '=', hubId)
    .executeTakeFirst()
  if (!hub) throw new NotFoundError('Hub')
  return {
    hub,
    groups: await listHubWorkGroups(context.db, hubId, filter),
    canManage: canManageWorkGroups(context.actor, hubId),
  }
}

export interface WorkGroupView {
  group: WorkGroupRecord
  history: WorkGroupHistoryRow[]
  canManage: boolean
}

export async function viewWorkGroup(context: UseCaseContext, id: number): Promise<WorkGroupView> {
  const group = await findWorkGroup(context.db, id)
  if (
    !group ||
    !canViewWorkGroup(context.actor, {
      hubId: group.hubId,
      leadPersonIds: group.leads.map((l) => l.personId),
    })
  )
    throw new NotFoundError('Work Group')
  return {
    group,
    history: await workGroupHistory(context.db, id),
    canManage: canManageWorkGroups(context.actor, group.hubId),
  }
}

export interface NewWorkGroupOptions {
  hub: { id: string; name: string }
  programmes: WorkGroupProgramme[]
  leads: WorkGroupLead[]
  /** This academic year and the next, the years a hub plans for. */
  academicYears: string[]
}

export async function newWorkGroupOptions(
  context: UseCaseContext,
  hubId: string,
): Promise<NewWorkGroupOptions> {
  if (!canManageWorkGroups(context.actor, hubId)) throw new NotFoundError('Hub')
  const hub = await context.db
    .selectFrom('hubs')
    .select(['id', 'name'])
    .where('id', '=', hubId)
    .executeTakeFirst()
  if (!hub) throw new NotFoundError('Hub')
  const today = ukDateOf(context.clock.now())
  const thisYear = academicYearOf(today)
  const start = Number(thisYear.slice(0, 4)) + 1
  return {
    hub,
    programmes: await listWorkGroupProgrammes(context.db),
    leads: await leadCandidates(context.db, hubId, today),
    academicYears: [thisYear, `${start}/${String((start + 1) % 100).padStart(2, '0')}`],
  }
}

/** The groups the signed-in person leads (none for anyone else). */
export async function viewMyWorkGroups(context: UseCaseContext): Promise<WorkGroupRecord[]> {
  if (context.actor.kind !== 'person') return []
  return listLedWorkGroups(context.db, context.actor.personId)
}
