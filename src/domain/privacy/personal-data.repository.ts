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
    .select(['p.cohort_id', 'a.reference', 'p.school_urn', 'p.hub_id', 'p.role', 'p.started_at'])
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

/**
 * Audit rows where the person acted, or whose record is the person, one of their roles or one of
 * their applications (but not the hub's proposals before release, which the applicant never sees).
 */
export async function auditRowsAbout(
  db: Executor,
  subject: { personId: number; grantIds: number[]; applicationIds: number[] },
) {
  const { personId, grantIds, applicationIds } = subject
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
        ...(grantIds.length > 0
          ? [eb.and([eb('record_type', '=', 'grant'), eb('record_id', 'in', grantIds.map(String))])]
          : []),
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
