// A school's journey in Work Groups, across years: its teaching-for-mastery stage periods, the
// programmes and groups it has been in, and a timeline in date order of its interests and the
// hub's decisions, advocates and their changes, sessions each advocate attended, lesson study,
// support visits, stage moves and grants due. Seen by NCETM, the serving hub's team and the
// school's own contacts; anyone else is told the school is not there.
import { NotFoundError } from '../../../errors.ts'
import { ukDateOf } from '../../participants/start-year-one.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { grantsDueToSchool, type GrantDue } from '../grants/record-due-grants.ts'
import { canRecordStageMove, canViewSchoolJourney } from './journey.policy.ts'
import {
  findJourneySchool,
  interestHistory,
  schoolAdvocates,
  schoolAttendance,
  schoolInterests,
  schoolLessonStudies,
  schoolSupportVisits,
  stagePeriods,
  type JourneyGroupRow,
  type JourneySchoolRow,
  type StagePeriod,
} from './journey.repository.ts'
import { MASTERY_STAGE_NAMES } from './journey.stages.ts'

export type TimelineKind =
  'interest' | 'advocate' | 'attendance' | 'lesson-study' | 'support-visit' | 'stage' | 'grant'

export interface TimelineEntry {
  /** A UK date, YYYY-MM-DD: entries are in this order, then in the order they happened. */
  on: string
  kind: TimelineKind
  text: string
  /** The group it belongs to, where there is one. */
  workGroupId: number | null
  amountPence?: number
}

export interface SchoolJourney {
  school: JourneySchoolRow
  stages: StagePeriod[]
  current: StagePeriod | null
  groups: JourneyGroupRow[]
  grants: GrantDue[]
  timeline: TimelineEntry[]
  canRecordMove: boolean
}

/** Each interest history event (as the schools' use-cases write it) as words in the timeline. */
const INTEREST_EVENTS: Record<string, string> = {
  register: 'registered interest in',
  supported: 'had the support of its leaders for',
  accept: 'was accepted into',
  allocated: 'was placed by the hub’s allocation plan in',
  wait: 'was put on the waiting list for',
  'close-up': 'moved up the waiting list for',
  decline: 'was not offered a place on',
  withdraw: 'withdrew from',
}

const ATTENDANCE_WORDS: Record<string, string> = {
  present: 'attended',
  late: 'attended (arrived late)',
  'left-early': 'attended (left early)',
  absent: 'was absent from',
}

const BIG_IDEAS: Record<string, string> = {
  coherence: 'Coherence',
  'representation-and-structure': 'Representation and Structure',
  'mathematical-thinking': 'Mathematical Thinking',
  fluency: 'Fluency',
  variation: 'Variation',
}

export async function viewSchoolJourney(context: UseCaseContext, urn: number): Promise<SchoolJourney> {
  const db = context.db
  const school = await findJourneySchool(db, urn)
  if (!school || !canViewSchoolJourney(context.actor, school)) throw new NotFoundError('School')
  const [stages, groups, history, advocates, attendance, lessons, visits, grants] = await Promise.all([
    stagePeriods(db, urn),
    schoolInterests(db, urn),
    interestHistory(db, urn),
    schoolAdvocates(db, urn),
    schoolAttendance(db, urn),
    schoolLessonStudies(db, urn),
    schoolSupportVisits(db, urn),
    grantsDueToSchool(db, urn),
  ])
  const timeline: TimelineEntry[] = []
  for (const h of history) {
    const what = INTEREST_EVENTS[h.event] ?? 'had its interest changed for'
    const where =
      h.groupName && h.event !== 'register' ? `${h.groupName} (${h.programmeName})` : h.programmeName
    timeline.push({
      on: ukDateOf(h.at),
      kind: 'interest',
      text: `The school ${what} ${where}, ${h.academicYear}${h.waitingPosition ? `, number ${h.waitingPosition} on the list` : ''}`,
      workGroupId: h.workGroupId,
    })
  }
  for (const a of advocates) {
    timeline.push({
      on: a.fromDate,
      kind: 'advocate',
      text: `${a.name} (${a.role}) became a Mastery Advocate for ${a.programmeName}, ${a.academicYear}`,
      workGroupId: null,
    })
    if (a.toDate) {
      timeline.push({
        on: a.toDate,
        kind: 'advocate',
        text: `${a.name} stopped being a Mastery Advocate${a.changeReason ? `: ${a.changeReason}` : ''}`,
        workGroupId: null,
      })
    }
  }
  for (const s of attendance) {
    timeline.push({
      on: ukDateOf(s.startsAt),
      kind: 'attendance',
      text: `${s.advocateName} ${ATTENDANCE_WORDS[s.status]} a session of ${s.groupName} (${BIG_IDEAS[s.bigIdea] ?? s.bigIdea})`,
      workGroupId: s.workGroupId,
    })
  }
  for (const l of lessons) {
    timeline.push({
      on: ukDateOf(l.recordedAt),
      kind: 'lesson-study',
      text: `Lesson study for ${l.groupName}: ${l.lessonTaught}, taught by ${l.taughtBy}`,
      workGroupId: null,
    })
  }
  for (const v of visits) {
    timeline.push({
      on: v.visitedOn,
      kind: 'support-visit',
      text: `Support visit by ${v.specialist} for ${v.groupName} (${v.halfDays} half ${v.halfDays === 1 ? 'day' : 'days'})`,
      workGroupId: null,
    })
  }
  for (const p of stages) {
    timeline.push({
      on: p.fromDate,
      kind: 'stage',
      text: `Moved to ${MASTERY_STAGE_NAMES[p.stage]}: ${p.evidence}`,
      workGroupId: null,
    })
  }
  for (const g of grants) {
    timeline.push({
      on: ukDateOf(g.dueAt),
      kind: 'grant',
      text: `Participation grant due for ${g.workGroupName} (year ${g.participationYear} of the programme)`,
      workGroupId: g.workGroupId,
      amountPence: g.amountPence,
    })
  }
  // A stable sort keeps each source's own order within a day.
  timeline.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))
  return {
    school,
    stages,
    current: stages.find((p) => p.toDate === null) ?? null,
    groups,
    grants,
    timeline,
    canRecordMove: canRecordStageMove(context.actor, school.servingHubId),
  }
}
