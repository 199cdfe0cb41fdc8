// Loading a group or one of its sessions for someone who may manage or see it; anyone else is told
// it is not there. A cancelled or completed group takes no more sessions or records.
import type { Executor } from '../../../db/database.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import type { Actor } from '../../access/actor.ts'
import { FINISHED } from '../work-group.states.ts'
import { findWorkGroup, type WorkGroupRecord } from '../work-groups.repository.ts'
import { canManageSessions, canViewSessions, type GroupAccess } from './sessions.policy.ts'
import { findSession, type SessionRecord } from './sessions.repository.ts'

export function accessOf(group: WorkGroupRecord): GroupAccess {
  return { hubId: group.hubId, leadPersonIds: group.leads.map((l) => l.personId) }
}

export async function groupFor(
  db: Executor,
  actor: Actor,
  workGroupId: number,
  need: 'manage' | 'view',
): Promise<WorkGroupRecord> {
  const group = await findWorkGroup(db, workGroupId)
  const may = need === 'manage' ? canManageSessions : canViewSessions
  if (!group || !may(actor, accessOf(group))) throw new NotFoundError('Work Group')
  return group
}

export async function sessionFor(
  db: Executor,
  actor: Actor,
  sessionId: number,
  need: 'manage' | 'view',
): Promise<{ group: WorkGroupRecord; session: SessionRecord }> {
  const session = await findSession(db, sessionId)
  if (!session) throw new NotFoundError('Session')
  try {
    return { group: await groupFor(db, actor, session.workGroupId, need), session }
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError('Session')
    throw error
  }
}

/** Refuses a change to a group that is over. */
export function refuseIfFinished(group: WorkGroupRecord, what: string): void {
  if (!FINISHED.includes(group.state)) return
  throw new ValidationError([
    {
      code: 'group-finished',
      field: 'workGroup',
      message: `This group has been ${group.state === 'cancelled' ? 'cancelled' : 'completed'}, so ${what}`,
    },
  ])
}

/** Refuses a change to a cancelled session. */
export function refuseIfCancelled(session: SessionRecord, what: string): void {
  if (session.status !== 'cancelled') return
  throw new ValidationError([
    { code: 'session-cancelled', field: 'session', message: `This session was cancelled, so ${what}` },
  ])
}
