// SQL that reads everything held about one person, for a subject access export. Email addresses
// match whatever their case. Third parties (reviewers, other teachers) are never named.
import { sql } from 'kysely'
import type { Executor } from '../../db/database.ts'

export async function findPersonRecord(db: Executor, personId: number) {
  return db
    .selectFrom('people as p')
    .leftJoin('schools as w', 'w.urn', 'p.workplace_urn')
    .select([
      'p.id',
      'p.name',
      'p.email',
      'p.trn',
      'p.workplace_urn',
      'w.name as workplace_name',
      'p.created_at',
      'p.updated_at',
      'p.erased_at',
    ])
    .where('p.id', '=', personId)
    .executeTakeFirst()
}

export async function rolesOf(db: Executor, personId: number) {
  return db
    .selectFrom('grants as g')
    .leftJoin('hubs as h', 'h.id', 'g.hub_id')
    .leftJoin('schools as s', 's.urn', 'g.school_urn')
    .select([
      'g.id',
      'g.role',
      'g.hub_id',
      'h.name as hub_name',
      'g.school_urn',
      's.name as school_name',
      'g.cohort_id',
      'g.created_at',
      'g.revoked_at',
    ])
    .where('g.person_id', '=', personId)
    .orderBy('g.id')
    .execute()
}

export async function sessionsOf(db: Executor, personId: number) {
  return db
    .selectFrom('sessions')
    .select(['created_at', 'last_seen_at', 'expires_at'])
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .execute()
}

export async function signInLinksOf(db: Executor, personId: number) {
  return db
    .selectFrom('sign_in_tokens')
    .select(['created_at', 'expires_at', 'used_at'])
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .execute()
}

export async function apiTokensOf(db: Executor, personId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'token_prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('person_id', '=', personId)
    .orderBy('id')
    .execute()
}

export async function applicationsOf(db: Executor, personId: number) {
  return db
    .selectFrom('applications as a')
    .innerJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .innerJoin('programmes as p', 'p.id', 'c.programme_id')
    .leftJoin('schools as s', 's.urn', 'a.school_urn')
    .leftJoin('hubs as h', 'h.id', 'a.hub_id')
    .select([
      'a.id',
      'a.reference',
      'a.cohort_id',
      'p.name as programme_name',
      'c.number as cohort_number',
      'c.essential_criteria',
      'a.state',
      'a.school_urn',
      's.name as school_name',
      'a.hub_id',
      'h.name as hub_name',
      'a.eligibility',
      'a.teaching',
      'a.evidence',
      'a.headteacher_name',
      'a.headteacher_email',
      'a.endorsed_at',
      'a.endorsement_declined_at',
      'a.endorsement_decline_reason',
      'a.submitted_at',
      'a.withdrawn_at',
      'a.created_at',
      'a.updated_at',
    ])
    .where('a.applicant_id', '=', personId)
    .orderBy('a.id')
    .execute()
}

export async function historyOf(db: Executor, applicationIds: number[]) {
  if (applicationIds.length === 0) return []
  return db
    .selectFrom('application_history')
    .select(['application_id', 'event', 'from_state', 'to_state', 'actor_kind', 'note', 'occurred_at'])
    .where('application_id', 'in', applicationIds)
    .orderBy('id')
    .execute()
}

export async function endorsementRequestsFor(db: Executor, applicationIds: number[]) {
  if (applicationIds.length === 0) return []
  return db
    .selectFrom('endorsement_requests')
    .select([
      'application_id',
      'headteacher_name',
      'headteacher_email',
      'created_at',
      'expires_at',
      'reminded_at',
      'used_at',
      'replaced_at',
    ])
    .where('application_id', 'in', applicationIds)
    .orderBy('id')
    .execute()
}

export async function decisionsFor(db: Executor, applicationIds: number[]) {
  if (applicationIds.length === 0) return []
  return db
    .selectFrom('selection_decisions')
    .select([
      'application_id',
      'decision',
      'reason_code',
      'feedback',
      'share_feedback',
      'reserve_rank',
      'released_at',
      'offer_state',
      'offered_at',
      'respond_by',
      'teacher_accepted_at',
      'headteacher_accepted_at',
      'declined_at',
      'decline_reason',
    ])
    .where('application_id', 'in', applicationIds)
    .execute()
}

/** Reviews of the applications; the reviewers are not named. */
export async function reviewsOfApplications(db: Executor, applicationIds: number[]) {
  if (applicationIds.length === 0) return []
  return db
    .selectFrom('review_assignments as ra')
    .innerJoin('reviews as r', 'r.assignment_id', 'ra.id')
    .select([
      'ra.application_id',
      'r.essential',
      'r.desirable',
      'r.strategic_score',
      'r.strategic_note',
      'r.completed_at',
    ])
    .where('ra.application_id', 'in', applicationIds)
    .orderBy('ra.id')
    .execute()
}

export async function participationsOf(db: Executor, personId: number) {
  return db
    .selectFrom('participations as p')
    .leftJoin('applications as a', 'a.id', 'p.application_id')
    .select(['p.id', 'p.cohort_id', 'a.reference', 'p.school_urn', 'p.hub_id', 'p.role', 'p.started_at'])
    .where('p.person_id', '=', personId)
    .orderBy('p.id')
    .execute()
}

/** Endorsement requests sent to the address as a headteacher, with the application's reference. */
export async function endorsementRequestsTo(db: Executor, email: string) {
  return db
    .selectFrom('endorsement_requests as e')
    .innerJoin('applications as a', 'a.id', 'e.application_id')
    .leftJoin('schools as s', 's.urn', 'a.school_urn')
    .select([
      'a.reference',
      'a.cohort_id',
      's.name as school_name',
      'e.headteacher_name',
      'e.created_at',
      'e.expires_at',
      'e.reminded_at',
      'e.used_at',
      'e.replaced_at',
    ])
    .where(sql<string>`lower(e.headteacher_email)`, '=', email.toLowerCase())
    .orderBy('e.id')
    .execute()
}

/** Applications naming the address as the headteacher: their endorsement and place answers. */
export async function applicationsAsHeadteacher(db: Executor, email: string) {
  return db
    .selectFrom('applications as a')
    .leftJoin('schools as s', 's.urn', 'a.school_urn')
    .leftJoin('selection_decisions as d', 'd.application_id', 'a.id')
    .select([
      'a.reference',
      'a.cohort_id',
      's.name as school_name',
      'a.headteacher_name',
      'a.endorsed_at',
      'a.endorsement_declined_at',
      'a.endorsement_decline_reason',
      'd.headteacher_accepted_at',
      'd.declined_at',
      'd.decline_reason',
    ])
    .where(sql<string>`lower(a.headteacher_email)`, '=', email.toLowerCase())
    .orderBy('a.id')
    .execute()
}

/**
 * Review assignments given to the person as a reviewer, with what they wrote, and whether the round
 * is blind (then the export names the review, not the application).
 */
export async function reviewsWrittenBy(db: Executor, personId: number) {
  return db
    .selectFrom('review_assignments as ra')
    .innerJoin('applications as a', 'a.id', 'ra.application_id')
    .leftJoin('reviews as r', 'r.assignment_id', 'ra.id')
    .leftJoin('selection_rounds as sr', (join) =>
      join.onRef('sr.hub_id', '=', 'a.hub_id').onRef('sr.cohort_id', '=', 'a.cohort_id'),
    )
    .select([
      'ra.id as assignment_id',
      sql<boolean>`coalesce(sr.blind_review, false)`.as('blind_review'),
      'a.reference',
      'a.cohort_id',
      'ra.assigned_at',
      'ra.ended_at',
      'ra.conflict_reason',
      'r.essential',
      'r.desirable',
      'r.strategic_score',
      'r.strategic_note',
      'r.completed_at',
      'r.updated_at',
    ])
    .where('ra.reviewer_id', '=', personId)
    .orderBy('ra.id')
    .execute()
}

export async function emailsTo(db: Executor, email: string) {
  return db
    .selectFrom('outbox')
    .select(['to_address', 'subject', 'body_text', 'template', 'status', 'created_at', 'sent_at'])
    .where(sql<string>`lower(to_address)`, '=', email.toLowerCase())
    .orderBy('id')
    .execute()
}

export async function interestNoticesOf(db: Executor, email: string) {
  return db
    .selectFrom('cohort_interest')
    .select(['cohort_id', 'email', 'created_at', 'notified_at'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .orderBy('id')
    .execute()
}

/** The stages of the participations' timelines, with the reasons given for deferring or withdrawing. */
export async function participationStagesOf(db: Executor, participationIds: number[]) {
  if (participationIds.length === 0) return []
  return db
    .selectFrom('participation_stages')
    .select(['participation_id', 'stage', 'reason', 'starts_on', 'ends_on', 'created_at'])
    .where('participation_id', 'in', participationIds)
    .orderBy('starts_on')
    .execute()
}

/** Every change of the participations' stages; who made it is told only as "you" or not. */
export async function stageChangesOf(db: Executor, participationIds: number[]) {
  if (participationIds.length === 0) return []
  return db
    .selectFrom('participation_history')
    .select([
      'participation_id',
      'event',
      'from_stage',
      'to_stage',
      'reason',
      'from_cohort_id',
      'to_cohort_id',
      'effective_on',
      'actor_person_id',
      'at',
    ])
    .where('participation_id', 'in', participationIds)
    .orderBy('id')
    .execute()
}

/** The participations' bookings (and waiting places) with the event, the venue and their needs. */
export async function bookingsOf(db: Executor, participationIds: number[]) {
  if (participationIds.length === 0) return []
  return db
    .selectFrom('bookings as b')
    .innerJoin('events as e', 'e.id', 'b.event_id')
    .innerJoin('event_venues as v', 'v.id', 'b.venue_id')
    .select([
      'b.id',
      'b.participation_id',
      'e.title',
      'e.kind',
      'e.status as event_status',
      'e.needs_retained_until',
      'v.name as venue_name',
      'b.status',
      'b.access_needs',
      'b.dietary_needs',
      'b.needs_deleted_at',
      'b.booked_at',
      'b.cancelled_at',
      'b.cancel_reason',
    ])
    .where('b.participation_id', 'in', participationIds)
    .orderBy('b.id')
    .execute()
}

/** Attendance recorded against the bookings, per event day. */
export async function attendanceOf(db: Executor, bookingIds: number[]) {
  if (bookingIds.length === 0) return []
  return db
    .selectFrom('attendance as a')
    .innerJoin('event_days as d', 'd.id', 'a.event_day_id')
    .select([
      'a.booking_id',
      'd.day_number',
      'd.starts_at',
      'a.status',
      'a.absence_reason',
      'a.method',
      'a.recorded_at',
    ])
    .where('a.booking_id', 'in', bookingIds)
    .orderBy('a.booking_id')
    .orderBy('d.day_number')
    .execute()
}

/** Support visits arranged for the participations. */
export async function supportVisitsFor(db: Executor, participationIds: number[]) {
  if (participationIds.length === 0) return []
  return db
    .selectFrom('events')
    .select([
      'participation_id',
      'title',
      'status',
      'half_days',
      'created_at',
      'cancelled_at',
      'cancel_reason',
    ])
    .where('participation_id', 'in', participationIds)
    .orderBy('id')
    .execute()
}

/** The participations' release-time ledger: uses and reversals, with their notes and reasons. */
export async function releaseEntriesOf(db: Executor, participationIds: number[]) {
  if (participationIds.length === 0) return []
  return db
    .selectFrom('release_entries')
    .select([
      'id',
      'participation_id',
      'kind',
      'on_date',
      'half',
      'activity',
      'note',
      'reverses_entry_id',
      'reason',
      'logged_as',
      'created_at',
    ])
    .where('participation_id', 'in', participationIds)
    .orderBy('id')
    .execute()
}

/** Extra release days approved for the participations, with the reasons. */
export async function extraDaysOf(db: Executor, participationIds: number[]) {
  if (participationIds.length === 0) return []
  return db
    .selectFrom('release_extra_days')
    .select(['id', 'participation_id', 'year', 'half_days', 'reason', 'approved_as', 'created_at'])
    .where('participation_id', 'in', participationIds)
    .orderBy('id')
    .execute()
}

/** Evidence handed in for tasks: the text, the link, the file's name and type (never its bytes). */
export async function taskSubmissionsOf(db: Executor, participationIds: number[]) {
  if (participationIds.length === 0) return []
  return db
    .selectFrom('task_submissions as s')
    .innerJoin('tasks as t', 't.id', 's.task_id')
    .leftJoin('task_evidence_files as f', 'f.id', 's.file_id')
    .select([
      's.id',
      's.participation_id',
      't.title as task_title',
      't.due_on',
      's.evidence_kind',
      's.evidence_text',
      's.evidence_url',
      'f.filename',
      'f.kind as file_kind',
      'f.content_type',
      'f.size_bytes',
      's.status',
      's.submitted_at',
      's.reviewed_at',
      's.feedback',
    ])
    .where('s.participation_id', 'in', participationIds)
    .orderBy('s.id')
    .execute()
}

/** The PD Lead accreditation requirements the person has met. */
export async function requirementsMetBy(db: Executor, personId: number) {
  return db
    .selectFrom('accreditation_requirements_met as m')
    .innerJoin('accreditation_requirements as r', 'r.id', 'm.requirement_id')
    .select(['m.id', 'r.title', 'm.met_on', 'm.recorded_at'])
    .where('m.person_id', '=', personId)
    .orderBy('m.id')
    .execute()
}

/** The person's PD Lead accreditation, if they have one. */
export async function pdLeadAccreditationOf(db: Executor, personId: number) {
  return db
    .selectFrom('pd_lead_accreditations')
    .select(['kind', 'accredited_on', 'source', 'recorded_at'])
    .where('person_id', '=', personId)
    .executeTakeFirst()
}

/** When the person's calendar feed was made; never its secret or the secret's hash. */
export async function calendarFeedOf(db: Executor, personId: number) {
  return db
    .selectFrom('calendar_feeds')
    .select('created_at')
    .where('person_id', '=', personId)
    .executeTakeFirst()
}

/** Records of the person's development years whose audit rows are about them, by record type. */
export interface DevelopmentRecords {
  participationIds: number[]
  bookingIds: number[]
  releaseEntryIds: number[]
  extraDaysIds: number[]
  submissionIds: number[]
  requirementMetIds: number[]
}

/**
 * Audit rows where the person acted, or whose record is the person, one of their roles or one of
 * their applications (but not the hub's proposals before release, which the applicant never sees),
 * or a record of their development years: a participation, a booking, a release-time entry or
 * approval, a task submission, a requirement met or their PD Lead accreditation.
 */
export async function auditRowsAbout(
  db: Executor,
  subject: { personId: number; grantIds: number[]; applicationIds: number[] } & DevelopmentRecords,
) {
  const { personId, grantIds, applicationIds } = subject
  const records: [string, number[]][] = [
    ['grant', grantIds],
    ['participation', subject.participationIds],
    ['booking', subject.bookingIds],
    ['release-entry', subject.releaseEntryIds],
    ['release-extra-days', subject.extraDaysIds],
    ['task-submission', subject.submissionIds],
    ['accreditation-requirement-met', subject.requirementMetIds],
    ['pd-lead-accreditation', [personId]],
  ]
  return db
    .selectFrom('audit_events')
    .select([
      'id',
      'occurred_at',
      'actor_person_id',
      'actor_kind',
      'action',
      'record_type',
      'record_id',
      'before',
      'after',
    ])
    .where((eb) =>
      eb.or([
        eb('actor_person_id', '=', personId),
        eb.and([eb('record_type', '=', 'person'), eb('record_id', '=', String(personId))]),
        ...records
          .filter(([, ids]) => ids.length > 0)
          .map(([type, ids]) =>
            eb.and([eb('record_type', '=', type), eb('record_id', 'in', ids.map(String))]),
          ),
        ...(applicationIds.length > 0
          ? [
              eb.and([
                eb('record_type', '=', 'application'),
                eb('record_id', 'in', applicationIds.map(String)),
                eb('action', '<>', 'selection-decision.propose'),
              ]),
            ]
          : []),
      ]),
    )
    .orderBy('id')
    .execute()
}
