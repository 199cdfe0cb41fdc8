// SQL for applications, their history and the headteacher endorsement requests. Lists are scoped
// in the query: a use-case says whose applications the actor may see.
import { randomInt } from 'node:crypto'
import { sql } from 'kysely'
import type { Executor, Tx } from '../../db/database.ts'
import { fetchPage } from '../../db/paged-query.ts'
import { assertPageInRange, mapPage, type PageRequest, type Paged } from '../../lib/paging.ts'
import type {
  ApplicationHistoryTable,
  ApplicationState,
  HeadteacherVerification,
  StoredEligibility,
  TeachingDetails,
} from '../../db/schema.ts'

export type { HeadteacherVerification, StoredEligibility, TeachingDetails }

export interface Application {
  id: number
  reference: string
  cohortId: string
  programmeId: string
  programmeName: string
  cohortNumber: number
  applicantId: number
  applicantName: string
  applicantEmail: string
  state: ApplicationState
  schoolUrn: number | null
  schoolName: string | null
  hubId: string | null
  hubName: string | null
  eligibility: StoredEligibility | null
  teaching: TeachingDetails
  evidence: Record<string, string>
  headteacherName: string | null
  headteacherEmail: string | null
  /** Who vouches for the headteacher: a school-contact role at the school, a hub lead, or nobody. */
  headteacherVerification: HeadteacherVerification | null
  headteacherVerifiedAt: Date | null
  endorsedAt: Date | null
  endorsementDeclinedAt: Date | null
  endorsementDeclineReason: string | null
  submittedAt: Date | null
  submitIdempotencyKey: string | null
  withdrawnAt: Date | null
  createdAt: Date
  updatedAt: Date
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** A reference people can read out: MH- and 8 characters without I, L, O or U. */
export function newReference(): string {
  let code = ''
  for (let i = 0; i < 8; i++) code += CROCKFORD[randomInt(CROCKFORD.length)]
  return `MH-${code}`
}

function applicationsQuery(db: Executor) {
  return db
    .selectFrom('applications as a')
    .innerJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .innerJoin('programmes as p', 'p.id', 'c.programme_id')
    .innerJoin('people as person', 'person.id', 'a.applicant_id')
    .leftJoin('schools as s', 's.urn', 'a.school_urn')
    .leftJoin('hubs as h', 'h.id', 'a.hub_id')
    .select([
      'a.id',
      'a.reference',
      'a.cohort_id',
      'c.programme_id',
      'p.name as programme_name',
      'c.number as cohort_number',
      'a.applicant_id',
      'person.name as applicant_name',
      'person.email as applicant_email',
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
      'a.headteacher_verification',
      'a.headteacher_verified_at',
      'a.endorsed_at',
      'a.endorsement_declined_at',
      'a.endorsement_decline_reason',
      'a.submitted_at',
      'a.submit_idempotency_key',
      'a.withdrawn_at',
      'a.created_at',
      'a.updated_at',
    ])
}

type ApplicationRow = Awaited<ReturnType<ReturnType<typeof applicationsQuery>['executeTakeFirstOrThrow']>>

function toApplication(row: ApplicationRow): Application {
  return {
    id: row.id,
    reference: row.reference,
    cohortId: row.cohort_id,
    programmeId: row.programme_id,
    programmeName: row.programme_name,
    cohortNumber: row.cohort_number,
    applicantId: row.applicant_id,
    applicantName: row.applicant_name,
    applicantEmail: row.applicant_email,
    state: row.state,
    schoolUrn: row.school_urn,
    schoolName: row.school_name,
    hubId: row.hub_id,
    hubName: row.hub_name,
    eligibility: row.eligibility,
    teaching: row.teaching,
    evidence: row.evidence,
    headteacherName: row.headteacher_name,
    headteacherEmail: row.headteacher_email,
    headteacherVerification: row.headteacher_verification,
    headteacherVerifiedAt: row.headteacher_verified_at,
    endorsedAt: row.endorsed_at,
    endorsementDeclinedAt: row.endorsement_declined_at,
    endorsementDeclineReason: row.endorsement_decline_reason,
    submittedAt: row.submitted_at,
    submitIdempotencyKey: row.submit_idempotency_key,
    withdrawnAt: row.withdrawn_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function findApplication(db: Executor, id: number): Promise<Application | undefined> {
  const row = await applicationsQuery(db).where('a.id', '=', id).executeTakeFirst()
  return row ? toApplication(row) : undefined
}

/** Reads the application and locks its row until the transaction ends, so changes queue. */
export async function lockApplication(tx: Tx, id: number): Promise<Application | undefined> {
  const locked = await tx
    .selectFrom('applications')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
  return locked ? findApplication(tx, id) : undefined
}

/** The teacher's live application to the cohort, if any. */
export async function findLiveApplication(
  db: Executor,
  cohortId: string,
  applicantId: number,
): Promise<Application | undefined> {
  const row = await applicationsQuery(db)
    .where('a.cohort_id', '=', cohortId)
    .where('a.applicant_id', '=', applicantId)
    .where('a.state', '<>', 'withdrawn')
    .executeTakeFirst()
  return row ? toApplication(row) : undefined
}

/**
 * Whose applications a list holds: one applicant's; those submitted to some hubs (and, in hubs
 * where the person only reviews, those assigned to them outside a blind round); or all submitted.
 */
export type ApplicationScope =
  | { kind: 'applicant'; personId: number }
  | { kind: 'hubs'; hubIds: string[]; assignedTo?: { personId: number; hubIds: string[] } }
  | { kind: 'national' }

export interface ApplicationFilter {
  cohortId?: string | undefined
  hubId?: string | undefined
  state?: ApplicationState | undefined
  limit?: number
  offset?: number
}

/** The applications in a scope, filtered, newest submitted first; undefined when the scope holds none. */
function scopedApplications(db: Executor, scope: ApplicationScope, filter: ApplicationFilter) {
  let query = applicationsQuery(db)
  if (scope.kind === 'applicant') query = query.where('a.applicant_id', '=', scope.personId)
  else {
    // Hubs and NCETM see an application once it has been submitted (and still, if withdrawn).
    query = query.where('a.submitted_at', 'is not', null)
    if (scope.kind === 'hubs') {
      const { hubIds, assignedTo } = scope
      if (hubIds.length === 0 && !assignedTo?.hubIds.length) return undefined
      query = query.where((eb) =>
        eb.or([
          ...(hubIds.length > 0 ? [eb('a.hub_id', 'in', hubIds)] : []),
          ...(assignedTo?.hubIds.length
            ? [
                eb.and([
                  eb('a.hub_id', 'in', assignedTo.hubIds),
                  eb.exists(
                    eb
                      .selectFrom('review_assignments as ra')
                      .select('ra.id')
                      .whereRef('ra.application_id', '=', 'a.id')
                      .where('ra.reviewer_id', '=', assignedTo.personId)
                      .where('ra.ended_at', 'is', null),
                  ),
                  eb.not(
                    eb.exists(
                      eb
                        .selectFrom('selection_rounds as sr')
                        .select('sr.hub_id')
                        .whereRef('sr.hub_id', '=', 'a.hub_id')
                        .whereRef('sr.cohort_id', '=', 'a.cohort_id')
                        .where('sr.blind_review', '=', true),
                    ),
                  ),
                ]),
              ]
            : []),
        ]),
      )
    }
  }
  if (filter.cohortId) query = query.where('a.cohort_id', '=', filter.cohortId)
  if (filter.hubId) query = query.where('a.hub_id', '=', filter.hubId)
  if (filter.state) query = query.where('a.state', '=', filter.state)
  return query.orderBy(sql`a.submitted_at DESC NULLS LAST`).orderBy('a.id', 'desc')
}

export async function listApplications(
  db: Executor,
  scope: ApplicationScope,
  filter: ApplicationFilter = {},
): Promise<Application[]> {
  const query = scopedApplications(db, scope, filter)
  if (!query) return []
  const rows = await query
    .limit(filter.limit ?? 500)
    .offset(filter.offset ?? 0)
    .execute()
  return rows.map(toApplication)
}

/** One page of the applications in a scope, filtered, newest submitted first, with the total. */
export async function pageApplications(
  db: Executor,
  scope: ApplicationScope,
  filter: Omit<ApplicationFilter, 'limit' | 'offset'>,
  request: PageRequest,
): Promise<Paged<Application>> {
  const query = scopedApplications(db, scope, filter)
  if (!query) {
    const none = { total: 0, page: request.page, pageSize: request.pageSize, items: [] }
    assertPageInRange(none)
    return none
  }
  return mapPage(await fetchPage(db, query, request), toApplication)
}

/** The cohorts a hub has submitted applications to, for the links to each round's reviewers. */
export async function cohortsWithApplications(
  db: Executor,
  hubId: string,
): Promise<{ cohortId: string; programmeName: string; cohortNumber: number }[]> {
  const rows = await db
    .selectFrom('applications as a')
    .innerJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .innerJoin('programmes as p', 'p.id', 'c.programme_id')
    .select(['c.id', 'p.name', 'c.number'])
    .distinct()
    .where('a.hub_id', '=', hubId)
    .where('a.submitted_at', 'is not', null)
    .orderBy('p.name')
    .orderBy('c.number')
    .execute()
  return rows.map((r) => ({ cohortId: r.id, programmeName: r.name, cohortNumber: r.number }))
}

/**
 * Submitted applications that no hub holds (their school had no hub when it was chosen and none
 * when it was submitted): NCETM's routing queue, oldest first.
 */
export async function listUnroutedApplications(
  db: Executor,
  request: PageRequest,
): Promise<Paged<Application>> {
  const query = applicationsQuery(db)
    .where('a.state', '=', 'submitted')
    .where('a.hub_id', 'is', null)
    .orderBy('a.submitted_at')
    .orderBy('a.id')
  return mapPage(await fetchPage(db, query, request), toApplication)
}

/** Inserts a draft; undefined when the teacher already has a live application to the cohort. */
export async function insertApplication(
  tx: Tx,
  values: { cohortId: string; applicantId: number; now: Date },
): Promise<number | undefined> {
  const row = await tx
    .insertInto('applications')
    .values({
      reference: newReference(),
      cohort_id: values.cohortId,
      applicant_id: values.applicantId,
      state: 'draft',
      created_at: values.now,
      updated_at: values.now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

export interface ApplicationChanges {
  state?: ApplicationState
  schoolUrn?: number | null
  hubId?: string | null
  eligibility?: StoredEligibility | null
  teaching?: TeachingDetails
  evidence?: Record<string, string>
  headteacherName?: string | null
  headteacherEmail?: string | null
  headteacherVerification?: HeadteacherVerification | null
  headteacherVerifiedAt?: Date | null
  headteacherVerifiedBy?: number | null
  endorsedAt?: Date | null
  endorsementDeclinedAt?: Date | null
  endorsementDeclineReason?: string | null
  submittedAt?: Date | null
  submitIdempotencyKey?: string | null
  withdrawnAt?: Date | null
}

export async function updateApplication(
  tx: Tx,
  id: number,
  changes: ApplicationChanges,
  now: Date,
): Promise<void> {
  const json = (value: unknown) => JSON.stringify(value)
  await tx
    .updateTable('applications')
    .set({
      ...(changes.state !== undefined && { state: changes.state }),
      ...(changes.schoolUrn !== undefined && { school_urn: changes.schoolUrn }),
      ...(changes.hubId !== undefined && { hub_id: changes.hubId }),
      ...(changes.eligibility !== undefined && {
        eligibility: changes.eligibility === null ? null : json(changes.eligibility),
      }),
      ...(changes.teaching !== undefined && { teaching: json(changes.teaching) }),
      ...(changes.evidence !== undefined && { evidence: json(changes.evidence) }),
      ...(changes.headteacherName !== undefined && { headteacher_name: changes.headteacherName }),
      ...(changes.headteacherEmail !== undefined && { headteacher_email: changes.headteacherEmail }),
      ...(changes.headteacherVerification !== undefined && {
        headteacher_verification: changes.headteacherVerification,
      }),
      ...(changes.headteacherVerifiedAt !== undefined && {
        headteacher_verified_at: changes.headteacherVerifiedAt,
      }),
      ...(changes.headteacherVerifiedBy !== undefined && {
        headteacher_verified_by: changes.headteacherVerifiedBy,
      }),
      ...(changes.endorsedAt !== undefined && { endorsed_at: changes.endorsedAt }),
      ...(changes.endorsementDeclinedAt !== undefined && {
        endorsement_declined_at: changes.endorsementDeclinedAt,
      }),
      ...(changes.endorsementDeclineReason !== undefined && {
        endorsement_decline_reason: changes.endorsementDeclineReason,
      }),
      ...(changes.submittedAt !== undefined && { submitted_at: changes.submittedAt }),
      ...(changes.submitIdempotencyKey !== undefined && {
        submit_idempotency_key: changes.submitIdempotencyKey,
      }),
      ...(changes.withdrawnAt !== undefined && { withdrawn_at: changes.withdrawnAt }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute()
}

export interface HistoryEntry {
  id: number
  event: string
  fromState: ApplicationState | null
  toState: ApplicationState
  actorPersonId: number | null
  actorName: string | null
  actorKind: ApplicationHistoryTable['actor_kind']
  note: string | null
  occurredAt: Date
}

export async function insertHistory(
  tx: Tx,
  entry: {
    applicationId: number
    event: string
    fromState: ApplicationState | null
    toState: ApplicationState
    actorPersonId: number | null
    actorKind: ApplicationHistoryTable['actor_kind']
    note?: string | null
    occurredAt: Date
  },
): Promise<void> {
  await tx
    .insertInto('application_history')
    .values({
      application_id: entry.applicationId,
      event: entry.event,
      from_state: entry.fromState,
      to_state: entry.toState,
      actor_person_id: entry.actorPersonId,
      actor_kind: entry.actorKind,
      note: entry.note ?? null,
      occurred_at: entry.occurredAt,
    })
    .execute()
}

export async function listHistory(db: Executor, applicationId: number): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('application_history as h')
    .leftJoin('people as p', 'p.id', 'h.actor_person_id')
    .select([
      'h.id',
      'h.event',
      'h.from_state',
      'h.to_state',
      'h.actor_person_id',
      'p.name as actor_name',
      'h.actor_kind',
      'h.note',
      'h.occurred_at',
    ])
    .where('h.application_id', '=', applicationId)
    .orderBy('h.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    fromState: r.from_state,
    toState: r.to_state,
    actorPersonId: r.actor_person_id,
    actorName: r.actor_name,
    actorKind: r.actor_kind,
    note: r.note,
    occurredAt: r.occurred_at,
  }))
}

export interface EndorsementRequest {
  id: number
  applicationId: number
  headteacherName: string
  headteacherEmail: string
  createdAt: Date
  expiresAt: Date
  remindAfter: Date
  remindedAt: Date | null
  usedAt: Date | null
  replacedAt: Date | null
}

function endorsementQuery(db: Executor) {
  return db
    .selectFrom('endorsement_requests')
    .select([
      'id',
      'application_id',
      'headteacher_name',
      'headteacher_email',
      'created_at',
      'expires_at',
      'remind_after',
      'reminded_at',
      'used_at',
      'replaced_at',
    ])
}

type EndorsementRow = Awaited<ReturnType<ReturnType<typeof endorsementQuery>['executeTakeFirstOrThrow']>>

function toEndorsement(r: EndorsementRow): EndorsementRequest {
  return {
    id: r.id,
    applicationId: r.application_id,
    headteacherName: r.headteacher_name,
    headteacherEmail: r.headteacher_email,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    remindAfter: r.remind_after,
    remindedAt: r.reminded_at,
    usedAt: r.used_at,
    replacedAt: r.replaced_at,
  }
}

/** The request a link's token belongs to (the first email's or the reminder's). */
export async function findEndorsementByToken(
  db: Executor,
  tokenHash: string,
): Promise<EndorsementRequest | undefined> {
  const row = await endorsementQuery(db)
    .where((eb) => eb.or([eb('token_hash', '=', tokenHash), eb('reminder_token_hash', '=', tokenHash)]))
    .executeTakeFirst()
  return row ? toEndorsement(row) : undefined
}

/** The newest request for the application, answered or not. */
export async function latestEndorsementRequest(
  db: Executor,
  applicationId: number,
): Promise<EndorsementRequest | undefined> {
  const row = await endorsementQuery(db)
    .where('application_id', '=', applicationId)
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return row ? toEndorsement(row) : undefined
}

export async function insertEndorsementRequest(
  tx: Tx,
  values: {
    applicationId: number
    tokenHash: string
    headteacherName: string
    headteacherEmail: string
    createdAt: Date
    expiresAt: Date
    remindAfter: Date
  },
): Promise<number> {
  const row = await tx
    .insertInto('endorsement_requests')
    .values({
      application_id: values.applicationId,
      token_hash: values.tokenHash,
      headteacher_name: values.headteacherName,
      headteacher_email: values.headteacherEmail,
      created_at: values.createdAt,
      expires_at: values.expiresAt,
      remind_after: values.remindAfter,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Retires every unanswered request for the application: their links stop working. */
export async function replaceOpenEndorsementRequests(
  tx: Tx,
  applicationId: number,
  now: Date,
): Promise<void> {
  await tx
    .updateTable('endorsement_requests')
    .set({ replaced_at: now })
    .where('application_id', '=', applicationId)
    .where('used_at', 'is', null)
    .where('replaced_at', 'is', null)
    .execute()
}

export async function markEndorsementUsed(tx: Tx, id: number, now: Date): Promise<boolean> {
  const row = await tx
    .updateTable('endorsement_requests')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('replaced_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** Claims unanswered requests due a reminder; other processes skip the rows this one holds. */
export async function claimDueReminders(tx: Tx, now: Date, limit: number): Promise<EndorsementRequest[]> {
  const rows = await endorsementQuery(tx)
    .where('remind_after', '<=', now)
    .where('expires_at', '>', now)
    .where('reminded_at', 'is', null)
    .where('used_at', 'is', null)
    .where('replaced_at', 'is', null)
    .orderBy('remind_after')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  return rows.map(toEndorsement)
}

export async function markReminded(tx: Tx, id: number, reminderTokenHash: string, now: Date): Promise<void> {
  await tx
    .updateTable('endorsement_requests')
    .set({ reminded_at: now, reminder_token_hash: reminderTokenHash })
    .where('id', '=', id)
    .execute()
}

/**
 * People who hold a live school-contact role at the school (not erased, not the applicant): the
 * headteachers the service knows, in the order they were given the role.
 */
export async function findSchoolContacts(
  db: Executor,
  urn: number,
  exceptPersonId: number,
): Promise<{ personId: number; name: string; email: string }[]> {
  const rows = await db
    .selectFrom('grants as g')
    .innerJoin('people as p', 'p.id', 'g.person_id')
    .select(['p.id', 'p.name', 'p.email'])
    .where('g.role', '=', 'school-contact')
    .where('g.school_urn', '=', urn)
    .where('g.revoked_at', 'is', null)
    .where('p.erased_at', 'is', null)
    .where('p.id', '<>', exceptPersonId)
    .orderBy('g.id')
    .execute()
  const seen = new Set<number>()
  return rows.flatMap((r) => {
    if (seen.has(r.id)) return []
    seen.add(r.id)
    return [{ personId: r.id, name: r.name, email: r.email }]
  })
}

/**
 * Applications from one school whose headteacher has been asked to endorse them (a draft never
 * sent stays the teacher's own), newest first.
 */
function schoolApplicationsQuery(db: Executor, urn: number) {
  return applicationsQuery(db)
    .where('a.school_urn', '=', urn)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('endorsement_requests as er')
          .select('er.id')
          .whereRef('er.application_id', '=', 'a.id'),
      ),
    )
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
}

/** A page of a school's applications, with the total. */
export async function pageSchoolApplications(
  db: Executor,
  urn: number,
  request: PageRequest,
): Promise<Paged<Application>> {
  return mapPage(await fetchPage(db, schoolApplicationsQuery(db, urn), request), toApplication)
}

/**
 * A school's applications that may wait for its headteacher, wherever they fall in the list:
 * those awaiting endorsement, and those with a released offer of a place still open at `now`
 * that the headteacher has not yet accepted.
 */
export async function listSchoolApplicationsWaiting(
  db: Executor,
  urn: number,
  now: Date,
): Promise<Application[]> {
  const rows = await schoolApplicationsQuery(db, urn)
    .where((eb) =>
      eb.or([
        eb('a.state', '=', 'awaiting-endorsement'),
        eb.exists(
          eb
            .selectFrom('selection_decisions as d')
            .select('d.application_id')
            .whereRef('d.application_id', '=', 'a.id')
            .where('d.released_at', 'is not', null)
            .where('d.offer_state', '=', 'offered')
            .where('d.headteacher_accepted_at', 'is', null)
            .where((w) => w.or([w('d.respond_by', 'is', null), w('d.respond_by', '>', now)])),
        ),
      ]),
    )
    .execute()
  return rows.map(toApplication)
}
