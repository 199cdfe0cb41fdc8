// SQL for the hub's decisions, the offers of places that follow them, the participations that
// accepted offers create, and the changes to a round's state and places. Reads of a round are in
// rounds.repository.ts. The first argument is the database or a transaction.
import { sql } from 'kysely'
import type { Executor, Tx } from '../../../db/database.ts'
import type {
  ApplicationState,
  OfferState,
  SelectionDecision,
  SelectionRoundState,
} from '../../../db/schema.ts'
import { PLACE_HELD } from './decisions.states.ts'

export interface Decision {
  applicationId: number
  applicationState: ApplicationState
  hubId: string
  cohortId: string
  decision: SelectionDecision
  reasonCode: string
  feedback: string
  shareFeedback: boolean
  reserveRank: number | null
  decidedBy: number | null
  decidedByName: string | null
  decidedAt: Date
  releasedAt: Date | null
  offerState: OfferState | null
  offeredAt: Date | null
  respondBy: Date | null
  teacherAcceptedAt: Date | null
  headteacherAcceptedAt: Date | null
  declinedAt: Date | null
  declineReason: string | null
  updatedAt: Date
}

function decisionsQuery(db: Executor) {
  return db
    .selectFrom('selection_decisions as d')
    .innerJoin('applications as a', 'a.id', 'd.application_id')
    .leftJoin('people as p', 'p.id', 'd.decided_by')
    .select([
      'd.application_id',
      'a.state as application_state',
      'd.hub_id',
      'd.cohort_id',
      'd.decision',
      'd.reason_code',
      'd.feedback',
      'd.share_feedback',
      'd.reserve_rank',
      'd.decided_by',
      'p.name as decided_by_name',
      'd.decided_at',
      'd.released_at',
      'd.offer_state',
      'd.offered_at',
      'd.respond_by',
      'd.teacher_accepted_at',
      'd.headteacher_accepted_at',
      'd.declined_at',
      'd.decline_reason',
      'd.updated_at',
    ])
}

type DecisionRow = Awaited<ReturnType<ReturnType<typeof decisionsQuery>['executeTakeFirstOrThrow']>>

function toDecision(row: DecisionRow): Decision {
  return {
    applicationId: row.application_id,
    applicationState: row.application_state,
    hubId: row.hub_id,
    cohortId: row.cohort_id,
    decision: row.decision,
    reasonCode: row.reason_code,
    feedback: row.feedback,
    shareFeedback: row.share_feedback,
    reserveRank: row.reserve_rank,
    decidedBy: row.decided_by,
    decidedByName: row.decided_by_name,
    decidedAt: row.decided_at,
    releasedAt: row.released_at,
    offerState: row.offer_state,
    offeredAt: row.offered_at,
    respondBy: row.respond_by,
    teacherAcceptedAt: row.teacher_accepted_at,
    headteacherAcceptedAt: row.headteacher_accepted_at,
    declinedAt: row.declined_at,
    declineReason: row.decline_reason,
    updatedAt: row.updated_at,
  }
}

export async function findDecision(db: Executor, applicationId: number): Promise<Decision | undefined> {
  const row = await decisionsQuery(db).where('d.application_id', '=', applicationId).executeTakeFirst()
  return row ? toDecision(row) : undefined
}

/** Reads the decision and locks its row until the transaction ends, so answers queue. */
export async function lockDecision(tx: Tx, applicationId: number): Promise<Decision | undefined> {
  const locked = await tx
    .selectFrom('selection_decisions')
    .select('application_id')
    .where('application_id', '=', applicationId)
    .forUpdate()
    .executeTakeFirst()
  return locked ? findDecision(tx, applicationId) : undefined
}

/** The decision whose offer the headteacher's link answers. */
export async function findDecisionByHeadteacherToken(
  db: Executor,
  tokenHash: string,
): Promise<Decision | undefined> {
  const row = await decisionsQuery(db).where('d.headteacher_token_hash', '=', tokenHash).executeTakeFirst()
  return row ? toDecision(row) : undefined
}

/** Every decision of a hub's round, including those for applications since withdrawn. */
export async function listRoundDecisions(db: Executor, hubId: string, cohortId: string): Promise<Decision[]> {
  const rows = await decisionsQuery(db)
    .where('d.hub_id', '=', hubId)
    .where('d.cohort_id', '=', cohortId)
    .orderBy('d.application_id')
    .execute()
  return rows.map(toDecision)
}

/** The decisions on a cohort's applications, by application: one hub's, or every hub's. */
export async function decisionsIn(
  db: Executor,
  scope: { cohortId: string; hubId?: string | undefined },
): Promise<Map<number, Decision>> {
  let query = decisionsQuery(db).where('a.cohort_id', '=', scope.cohortId)
  if (scope.hubId !== undefined) query = query.where('a.hub_id', '=', scope.hubId)
  return new Map((await query.execute()).map((row) => [row.application_id, toDecision(row)]))
}

export async function saveDecision(
  tx: Tx,
  values: {
    applicationId: number
    hubId: string
    cohortId: string
    decision: SelectionDecision
    reasonCode: string
    feedback: string
    shareFeedback: boolean
    reserveRank: number | null
    decidedBy: number | null
    now: Date
  },
): Promise<void> {
  const row = {
    decision: values.decision,
    reason_code: values.reasonCode,
    feedback: values.feedback,
    share_feedback: values.shareFeedback,
    reserve_rank: values.reserveRank,
    decided_by: values.decidedBy,
    decided_at: values.now,
    updated_at: values.now,
  }
  await tx
    .insertInto('selection_decisions')
    .values({
      application_id: values.applicationId,
      hub_id: values.hubId,
      cohort_id: values.cohortId,
      ...row,
    })
    .onConflict((oc) => oc.column('application_id').doUpdateSet(row))
    .execute()
}

export interface DecisionChanges {
  decision?: SelectionDecision
  reasonCode?: string
  reserveRank?: number | null
  releasedAt?: Date
  offerState?: OfferState
  offeredAt?: Date
  respondBy?: Date
  teacherAcceptedAt?: Date
  headteacherAcceptedAt?: Date
  declinedAt?: Date
  declineReason?: string | null
  headteacherTokenHash?: string
}

export async function updateDecision(
  tx: Tx,
  applicationId: number,
  changes: DecisionChanges,
  now: Date,
): Promise<void> {
  await tx
    .updateTable('selection_decisions')
    .set({
      ...(changes.decision !== undefined && { decision: changes.decision }),
      ...(changes.reasonCode !== undefined && { reason_code: changes.reasonCode }),
      ...(changes.reserveRank !== undefined && { reserve_rank: changes.reserveRank }),
      ...(changes.releasedAt !== undefined && { released_at: changes.releasedAt }),
      ...(changes.offerState !== undefined && { offer_state: changes.offerState }),
      ...(changes.offeredAt !== undefined && { offered_at: changes.offeredAt }),
      ...(changes.respondBy !== undefined && { respond_by: changes.respondBy }),
      ...(changes.teacherAcceptedAt !== undefined && { teacher_accepted_at: changes.teacherAcceptedAt }),
      ...(changes.headteacherAcceptedAt !== undefined && {
        headteacher_accepted_at: changes.headteacherAcceptedAt,
      }),
      ...(changes.declinedAt !== undefined && { declined_at: changes.declinedAt }),
      ...(changes.declineReason !== undefined && { decline_reason: changes.declineReason }),
      ...(changes.headteacherTokenHash !== undefined && {
        headteacher_token_hash: changes.headteacherTokenHash,
      }),
      updated_at: now,
    })
    .where('application_id', '=', applicationId)
    .execute()
}

/**
 * Places the round's decisions hold: selected applications still submitted whose place is not
 * yet offered (before release), offered or accepted. Declined and lapsed places are free again.
 */
export async function countPlacesHeld(
  db: Executor,
  hubId: string,
  cohortId: string,
  except?: number,
): Promise<number> {
  let query = db
    .selectFrom('selection_decisions as d')
    .innerJoin('applications as a', 'a.id', 'd.application_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('d.hub_id', '=', hubId)
    .where('d.cohort_id', '=', cohortId)
    .where('d.decision', '=', 'selected')
    .where('a.state', '=', 'submitted')
    .where((eb) => eb.or([eb('d.offer_state', 'is', null), eb('d.offer_state', 'in', [...PLACE_HELD])]))
  if (except !== undefined) query = query.where('d.application_id', '<>', except)
  const row = await query.executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The next reserve to be offered a free place: released, still submitted, lowest rank first. */
export async function nextReserve(
  db: Executor,
  hubId: string,
  cohortId: string,
): Promise<Decision | undefined> {
  const row = await decisionsQuery(db)
    .where('d.hub_id', '=', hubId)
    .where('d.cohort_id', '=', cohortId)
    .where('d.decision', '=', 'reserve')
    .where('d.released_at', 'is not', null)
    .where('a.state', '=', 'submitted')
    .orderBy(sql`d.reserve_rank NULLS LAST`)
    .orderBy('d.application_id')
    .executeTakeFirst()
  return row ? toDecision(row) : undefined
}

/** Decisions, by hub and decision, for applications to the cohort still submitted. */
export async function cohortDecisionCounts(
  db: Executor,
  cohortId: string,
): Promise<{ hubId: string; decision: SelectionDecision; offerState: OfferState | null; count: number }[]> {
  const rows = await db
    .selectFrom('selection_decisions as d')
    .innerJoin('applications as a', 'a.id', 'd.application_id')
    .select(['d.hub_id', 'd.decision', 'd.offer_state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('d.cohort_id', '=', cohortId)
    .where('a.state', '=', 'submitted')
    .groupBy(['d.hub_id', 'd.decision', 'd.offer_state'])
    .execute()
  return rows.map((r) => ({
    hubId: r.hub_id,
    decision: r.decision,
    offerState: r.offer_state,
    count: Number(r.n),
  }))
}

// --- Rounds: changes of state and places (reads are in rounds.repository.ts).

export async function setRoundPlaces(
  tx: Tx,
  hubId: string,
  cohortId: string,
  values: { places: number; setBy: number | null; now: Date },
): Promise<void> {
  await tx
    .updateTable('selection_rounds')
    .set({
      places: values.places,
      places_set_by: values.setBy,
      places_set_at: values.now,
      updated_at: values.now,
    })
    .where('hub_id', '=', hubId)
    .where('cohort_id', '=', cohortId)
    .execute()
}

export async function setRoundState(
  tx: Tx,
  hubId: string,
  cohortId: string,
  state: SelectionRoundState,
  values: { by: number | null; now: Date },
): Promise<void> {
  await tx
    .updateTable('selection_rounds')
    .set({
      state,
      // Confirmed again: NCETM's reason for sending them back has been answered.
      ...(state === 'confirmed' && {
        confirmed_by: values.by,
        confirmed_at: values.now,
        sent_back_reason: null,
        sent_back_by: null,
        sent_back_at: null,
      }),
      ...(state === 'approved' && { approved_by: values.by, approved_at: values.now }),
      ...(state === 'released' && { released_at: values.now }),
      // Back to proposing: the earlier confirmation and approval no longer stand.
      ...(state === 'reviewing' && {
        confirmed_by: null,
        confirmed_at: null,
        approved_by: null,
        approved_at: null,
      }),
      updated_at: values.now,
    })
    .where('hub_id', '=', hubId)
    .where('cohort_id', '=', cohortId)
    .execute()
}

export interface RoundSummary {
  hubId: string
  places: number | null
  placesSetAt: Date | null
  state: SelectionRoundState
  confirmedAt: Date | null
  approvedAt: Date | null
  releasedAt: Date | null
}

/** Every hub's round for the cohort that has been set up. */
export async function listCohortRounds(db: Executor, cohortId: string): Promise<RoundSummary[]> {
  const rows = await db
    .selectFrom('selection_rounds')
    .select(['hub_id', 'places', 'places_set_at', 'state', 'confirmed_at', 'approved_at', 'released_at'])
    .where('cohort_id', '=', cohortId)
    .execute()
  return rows.map((r) => ({
    hubId: r.hub_id,
    places: r.places,
    placesSetAt: r.places_set_at,
    state: r.state,
    confirmedAt: r.confirmed_at,
    approvedAt: r.approved_at,
    releasedAt: r.released_at,
  }))
}

/**
 * Claims approved rounds whose cohort's decisions are due (the release date, a UK date, is today
 * or earlier); other processes skip the rows this one holds.
 */
export async function claimRoundsToRelease(
  tx: Tx,
  today: string,
  limit: number,
): Promise<{ hubId: string; cohortId: string }[]> {
  const rows = await tx
    .selectFrom('selection_rounds')
    .select(['hub_id', 'cohort_id'])
    .where('state', '=', 'approved')
    .where('cohort_id', 'in', (eb) =>
      eb.selectFrom('cohorts').select('id').where('decisions_released_on', '<=', today),
    )
    .orderBy('cohort_id')
    .orderBy('hub_id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  return rows.map((r) => ({ hubId: r.hub_id, cohortId: r.cohort_id }))
}

/** Claims open offers whose time to answer has run out. */
export async function claimLapsedOffers(tx: Tx, now: Date, limit: number): Promise<number[]> {
  const rows = await tx
    .selectFrom('selection_decisions')
    .select('application_id')
    .where('offer_state', '=', 'offered')
    .where('respond_by', '<=', now)
    .orderBy('respond_by')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  return rows.map((r) => r.application_id)
}

// --- Participations

export interface Participation {
  id: number
  personId: number
  cohortId: string
  applicationId: number
  schoolUrn: number | null
  hubId: string | null
  role: string
  startedAt: Date
}

export async function insertParticipation(
  tx: Tx,
  values: {
    personId: number
    cohortId: string
    applicationId: number
    schoolUrn: number | null
    hubId: string | null
    startedAt: Date
  },
): Promise<number> {
  const row = await tx
    .insertInto('participations')
    .values({
      person_id: values.personId,
      cohort_id: values.cohortId,
      application_id: values.applicationId,
      school_urn: values.schoolUrn,
      hub_id: values.hubId,
      started_at: values.startedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function findParticipation(
  db: Executor,
  applicationId: number,
): Promise<Participation | undefined> {
  const row = await db
    .selectFrom('participations')
    .selectAll()
    .where('application_id', '=', applicationId)
    .executeTakeFirst()
  return row
    ? {
        id: row.id,
        personId: row.person_id,
        cohortId: row.cohort_id,
        applicationId: row.application_id,
        schoolUrn: row.school_urn,
        hubId: row.hub_id,
        role: row.role,
        startedAt: row.started_at,
      }
    : undefined
}

/** A live Mastery Specialist grant for the person in the cohort, made unless there is one. */
export async function ensureSpecialistGrant(
  tx: Tx,
  values: { personId: number; cohortId: string; createdBy: number | null },
): Promise<number | undefined> {
  const existing = await tx
    .selectFrom('grants')
    .select('id')
    .where('person_id', '=', values.personId)
    .where('role', '=', 'mastery-specialist')
    .where('cohort_id', '=', values.cohortId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (existing) return undefined
  const row = await tx
    .insertInto('grants')
    .values({
      person_id: values.personId,
      role: 'mastery-specialist',
      cohort_id: values.cohortId,
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
