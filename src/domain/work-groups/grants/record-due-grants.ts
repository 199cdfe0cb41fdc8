// Participation grants: when a school in a group meets its programme's participation rule for the
// year, its grant becomes due, recorded once (one row per school per group, in pence, with the
// evidence) for the funding work to claim and pay. The rule is judged on the year's sessions, so
// it is evaluated only once the group has held all its planned sessions or has completed: call
// recordDueGrants whenever attendance is recorded or a group moves on. It is idempotent: a grant
// already due is never recorded twice or changed, and a school that does not (yet) meet the rule
// gets nothing. A school's participation year is how many academic years it has been accepted into
// the programme so far, counting this one; a year with no rule (Embedding, Sustaining) has no grant.
import { sql } from 'kysely'
import type { Executor } from '../../../db/database.ts'
import type { AuditEntry } from '../../audit/audit.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { ATTENDED, meetsParticipationRule, type RuleOutcome } from './grants.rule.ts'

export interface GrantDue {
  id: number
  workGroupId: number
  workGroupName: string
  schoolUrn: number
  schoolName: string
  programmeId: string
  academicYear: string
  participationYear: number
  amountPence: number
  dueAt: Date
}

/** A transaction and its time, as inTransaction gives them (its audit, when there is one). */
export interface GrantsUnit {
  tx: Executor
  now: Date
  audit?: (entry: AuditEntry) => Promise<void>
}

function isContext(on: UseCaseContext | GrantsUnit): on is UseCaseContext {
  return 'clock' in on
}

/** Records the grants that have become due in the group; returns those it recorded now. */
export async function recordDueGrants(
  on: UseCaseContext | GrantsUnit,
  workGroupId: number,
): Promise<GrantDue[]> {
  if (isContext(on)) return inTransaction(on, (unit) => recordIn(unit, workGroupId))
  return recordIn(on, workGroupId)
}

async function recordIn({ tx, now, audit }: GrantsUnit, workGroupId: number): Promise<GrantDue[]> {
  const group = await tx
    .selectFrom('work_groups')
    .select(['id', 'programme_id', 'academic_year', 'state', 'planned_sessions'])
    .where('id', '=', workGroupId)
    .executeTakeFirst()
  if (!group || group.state === 'cancelled') return []
  const held = await tx
    .selectFrom('work_group_sessions')
    .select('id')
    .where('work_group_id', '=', workGroupId)
    .where('status', '=', 'held')
    .execute()
  if (group.state !== 'completed' && held.length < group.planned_sessions) return []
  const schools = await tx
    .selectFrom('work_group_interests as i')
    .select(['i.id', 'i.school_urn'])
    .where('i.work_group_id', '=', workGroupId)
    .where('i.status', '=', 'accepted')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('work_group_grants_due as d')
            .select('d.id')
            .where('d.work_group_id', '=', workGroupId)
            .whereRef('d.school_urn', '=', 'i.school_urn'),
        ),
      ),
    )
    .orderBy('i.school_urn')
    .execute()
  const recorded: number[] = []
  for (const school of schools) {
    const years = await tx
      .selectFrom('work_group_interests')
      .select(sql<string>`count(DISTINCT academic_year)`.as('n'))
      .where('school_urn', '=', school.school_urn)
      .where('programme_id', '=', group.programme_id)
      .where('status', '=', 'accepted')
      .where('academic_year', '<=', group.academic_year)
      .executeTakeFirstOrThrow()
    const participationYear = Math.max(1, Number(years.n))
    const rule = await tx
      .selectFrom('work_group_grant_rules')
      .selectAll()
      .where('programme_id', '=', group.programme_id)
      .where('academic_year', '=', group.academic_year)
      .where('participation_year', '=', participationYear)
      .executeTakeFirst()
    if (!rule) continue
    const outcome = await slotOutcome(tx, school.id, workGroupId, held.length, rule.rule)
    if (!outcome.met) continue
    const row = await tx
      .insertInto('work_group_grants_due')
      .values({
        work_group_id: workGroupId,
        school_urn: school.school_urn,
        programme_id: group.programme_id,
        academic_year: group.academic_year,
        participation_year: participationYear,
        amount_pence: rule.amount_pence,
        evidence: JSON.stringify({
          rule: rule.rule,
          sessionsHeld: outcome.sessionsHeld,
          needed: outcome.needed,
          advocatePlaces: outcome.slots,
        }),
        due_at: now,
      })
      .onConflict((oc) => oc.columns(['work_group_id', 'school_urn']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!row) continue
    recorded.push(Number(row.id))
    await audit?.({
      action: 'work-group.grant-due',
      recordType: 'work-group-grant',
      recordId: String(row.id),
      after: {
        workGroupId,
        schoolUrn: school.school_urn,
        participationYear,
        amountPence: rule.amount_pence,
      },
    })
  }
  if (recorded.length === 0) return []
  return grantsDueWhere(tx, (q) => q.where('d.id', 'in', recorded))
}

async function slotOutcome(
  tx: Executor,
  interestId: number,
  workGroupId: number,
  sessionsHeld: number,
  rule: { advocates: number; attendedShare: number },
): Promise<RuleOutcome> {
  const rows = await tx
    .selectFrom('work_group_advocates as a')
    .leftJoin('work_group_attendance as att', (join) =>
      join.onRef('att.advocate_id', '=', 'a.id').on('att.status', 'in', ATTENDED),
    )
    .leftJoin('work_group_sessions as s', (join) =>
      join
        .onRef('s.id', '=', 'att.session_id')
        .on('s.work_group_id', '=', workGroupId)
        .on('s.status', '=', 'held'),
    )
    .select(['a.slot', sql<string>`count(DISTINCT s.id)`.as('attended')])
    .where('a.interest_id', '=', interestId)
    .groupBy('a.slot')
    .orderBy('a.slot')
    .execute()
  return meetsParticipationRule(
    rule,
    sessionsHeld,
    rows.map((r) => ({ slot: r.slot, attended: Number(r.attended) })),
  )
}

type GrantQuery = ReturnType<typeof grantQuery>

function grantQuery(db: Executor) {
  return db
    .selectFrom('work_group_grants_due as d')
    .innerJoin('work_groups as g', 'g.id', 'd.work_group_id')
    .innerJoin('schools', 'schools.urn', 'd.school_urn')
    .select([
      'd.id',
      'd.work_group_id',
      'g.name as group_name',
      'd.school_urn',
      'schools.name as school_name',
      'd.programme_id',
      'd.academic_year',
      'd.participation_year',
      'd.amount_pence',
      'd.due_at',
    ])
}

async function grantsDueWhere(db: Executor, where: (q: GrantQuery) => GrantQuery): Promise<GrantDue[]> {
  const rows = await where(grantQuery(db)).orderBy('d.due_at').orderBy('schools.name').execute()
  return rows.map((r) => ({
    id: Number(r.id),
    workGroupId: Number(r.work_group_id),
    workGroupName: r.group_name,
    schoolUrn: r.school_urn,
    schoolName: r.school_name,
    programmeId: r.programme_id,
    academicYear: r.academic_year,
    participationYear: r.participation_year,
    amountPence: r.amount_pence,
    dueAt: new Date(r.due_at),
  }))
}

export function grantsDueInGroup(db: Executor, workGroupId: number): Promise<GrantDue[]> {
  return grantsDueWhere(db, (q) => q.where('d.work_group_id', '=', workGroupId))
}

export function grantsDueToSchool(db: Executor, urn: number): Promise<GrantDue[]> {
  return grantsDueWhere(db, (q) => q.where('d.school_urn', '=', urn))
}
