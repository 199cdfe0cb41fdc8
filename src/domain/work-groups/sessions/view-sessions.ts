// Reading a group's sessions and support visits (for its page), and one session with its
// advocates' attendance and its schools' lesson study: for the group's lead specialists, those who
// run the hub's groups and NCETM. Anyone else is told the group or session is not there.
import type { UseCaseContext } from '../../use-case.ts'
import type { WorkGroupRecord } from '../work-groups.repository.ts'
import { FINISHED } from '../work-group.states.ts'
import { canManageSessions } from './sessions.policy.ts'
import { accessOf, groupFor, sessionFor } from './session-access.ts'
import {
  groupAdvocates,
  groupSchools,
  groupSupportVisits,
  listGroupSessions,
  possibleHosts,
  sessionAttendance,
  sessionLessonStudies,
  type AttendanceMark,
  type GroupSchool,
  type LessonStudy,
  type SessionAdvocate,
  type SessionRecord,
  type SupportVisit,
} from './sessions.repository.ts'

export interface GroupSessions {
  sessions: (SessionRecord & { attended: number; marked: number })[]
  supportVisits: SupportVisit[]
  /** Each lead's support half-days in the group. */
  supportHalfDays: { participationId: number; name: string; halfDays: number }[]
  canManage: boolean
  /** Whether sessions and visits may still be added (the group is not over). */
  open: boolean
}

export async function viewGroupSessions(
  context: UseCaseContext,
  workGroupId: number,
): Promise<GroupSessions> {
  const group = await groupFor(context.db, context.actor, workGroupId, 'view')
  const sessions = await listGroupSessions(context.db, workGroupId)
  const counts = await context.db
    .selectFrom('work_group_attendance as w')
    .innerJoin('work_group_sessions as s', 's.id', 'w.session_id')
    .select(['w.session_id', 'w.status'])
    .where('s.work_group_id', '=', workGroupId)
    .execute()
  const supportVisits = await groupSupportVisits(context.db, workGroupId)
  return {
    sessions: sessions.map((s) => {
      const marks = counts.filter((c) => Number(c.session_id) === s.id)
      return { ...s, marked: marks.length, attended: marks.filter((m) => m.status !== 'absent').length }
    }),
    supportVisits,
    supportHalfDays: group.leads.map((l) => ({
      participationId: l.participationId,
      name: l.name,
      halfDays: supportVisits
        .filter((v) => v.participationId === l.participationId)
        .reduce((sum, v) => sum + v.halfDays, 0),
    })),
    canManage: canManageSessions(context.actor, accessOf(group)),
    open: !FINISHED.includes(group.state),
  }
}

export interface SessionView {
  group: WorkGroupRecord
  session: SessionRecord
  advocates: (SessionAdvocate & { mark: AttendanceMark | undefined })[]
  schools: GroupSchool[]
  lessonStudies: LessonStudy[]
  canManage: boolean
  open: boolean
}

export async function viewSession(context: UseCaseContext, sessionId: number): Promise<SessionView> {
  const { group, session } = await sessionFor(context.db, context.actor, sessionId, 'view')
  const marks = await sessionAttendance(context.db, sessionId)
  const advocates = await groupAdvocates(context.db, group.id, session.date)
  return {
    group,
    session,
    advocates: advocates.map((a) => ({ ...a, mark: marks.find((m) => m.advocateId === a.advocateId) })),
    schools: await groupSchools(context.db, group.id),
    lessonStudies: await sessionLessonStudies(context.db, sessionId),
    canManage: canManageSessions(context.actor, accessOf(group)),
    open: !FINISHED.includes(group.state),
  }
}

/** What the new-session form offers: the schools that may host. */
export async function newSessionOptions(
  context: UseCaseContext,
  workGroupId: number,
): Promise<{ group: WorkGroupRecord; hosts: { urn: number; name: string }[] }> {
  const group = await groupFor(context.db, context.actor, workGroupId, 'manage')
  return { group, hosts: await possibleHosts(context.db, workGroupId) }
}
