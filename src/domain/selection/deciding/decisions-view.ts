// Use-cases for reading decisions: a hub's ranked list for a cohort with its proposals (the hub's
// leads and administrators, and NCETM), NCETM's moderation page with every hub side by side and
// the spread of each hub's scores for calibration, and the list of rounds the actor can open.
import type { Executor } from '../../../db/database.ts'
import { NotFoundError, type FieldError } from '../../../errors.ts'
import { fiveNumbers, type FiveNumbers } from '../../../lib/five-numbers.ts'
import { isNational, isSignedIn } from '../../access/access.policy.ts'
import {
  findApplication,
  listApplications,
  type Application,
} from '../../applications/applications.repository.ts'
import { findCohort, listCohorts, type Cohort } from '../../programmes/programmes.repository.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { missingForConfirmation } from './decisions-confirm.ts'
import {
  canDecideForHub,
  canModerate,
  canViewHubSelection,
  canViewModeration,
  hubsSelecting,
} from './decisions.policy.ts'
import { hubAndCohort, scoresFor } from './decisions-rules.ts'
import {
  cohortDecisionCounts,
  countPlacesHeld,
  findDecision,
  listCohortRounds,
  listRoundDecisions,
  nextReserve,
  type Decision,
} from './decisions.repository.ts'
import { canMoveRound, PLACE_FREED, PROPOSING, type SelectionRoundState } from './decisions.states.ts'
import { findRound, type SelectionRound } from '../rounds.repository.ts'
import { rank, type AggregateScore } from '../reviewing/scores.ts'
import type { SelectionDecision } from '../../../db/schema.ts'

export interface SelectionEntry {
  application: Application
  score: AggregateScore
  decision: Decision | undefined
}

export interface DecisionCounts {
  selected: number
  reserve: number
  notSelected: number
  undecided: number
  submitted: number
}

export interface HubSelectionView {
  hub: { id: string; name: string }
  cohort: Cohort
  round: SelectionRound
  ranked: (SelectionEntry & { rank: number })[]
  /** Out of the ranking: an essential criterion not met (with the reasons), or not yet reviewed. */
  unranked: SelectionEntry[]
  counts: DecisionCounts
  /** Places held by selected applications (before release) or by open and accepted offers. */
  placesHeld: number
  /** The actor is the hub's lead: may propose, confirm, reopen and offer places to reserves. */
  canDecide: boolean
  /** Proposals can be changed now. */
  proposing: boolean
  /** What stands in the way of confirming, while proposing. */
  missingForConfirmation: FieldError[]
  canReopen: boolean
  /** After release: the offers made, and the reserve a free place would go to. */
  offers: SelectionEntry[]
  reserves: SelectionEntry[]
  freePlaces: number
  nextReserve: SelectionEntry | undefined
}

function countsOf(entries: SelectionEntry[]): DecisionCounts {
  const count = (d: SelectionDecision) => entries.filter((e) => e.decision?.decision === d).length
  return {
    selected: count('selected'),
    reserve: count('reserve'),
    notSelected: count('not-selected'),
    undecided: entries.filter((e) => !e.decision).length,
    submitted: entries.length,
  }
}

async function submittedTo(db: Executor, hubIds: string[] | 'all', cohortId: string): Promise<Application[]> {
  return listApplications(db, hubIds === 'all' ? { kind: 'national' } : { kind: 'hubs', hubIds }, {
    cohortId,
    state: 'submitted',
    limit: 100_000,
  })
}

export async function viewHubSelection(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
): Promise<HubSelectionView> {
  const { db, actor } = context
  const { hub, cohort } = await hubAndCohort(db, hubId, cohortId, canViewHubSelection(actor, hubId))
  const round = await findRound(db, hub.id, cohort.id)
  const applications = await submittedTo(db, [hub.id], cohort.id)
  const scores = await scoresFor(
    db,
    cohort,
    applications.map((a) => a.id),
  )
  const decisions = new Map(
    (await listRoundDecisions(db, hub.id, cohort.id)).map((d) => [d.applicationId, d]),
  )
  const entries = applications.map((application) => ({
    applicationId: application.id,
    application,
    score: scores.get(application.id)!,
    decision: decisions.get(application.id),
  }))
  const { ranked, unranked } = rank(entries)
  const canDecide = canDecideForHub(actor, hub.id)
  const proposing = PROPOSING.includes(round.state)
  const placesHeld = await countPlacesHeld(db, hub.id, cohort.id)
  const released = round.state === 'released'
  const next = released ? await nextReserve(db, hub.id, cohort.id) : undefined
  const byId = new Map(entries.map((e) => [e.application.id, e]))
  return {
    hub,
    cohort,
    round,
    ranked,
    unranked,
    counts: countsOf(entries),
    placesHeld,
    canDecide,
    proposing,
    missingForConfirmation:
      canDecide && proposing ? await missingForConfirmation(db, round, cohort, context.clock.now()) : [],
    canReopen: canDecide && canMoveRound(round.state, 'reopen'),
    offers: released
      ? entries.filter((e) => e.decision?.decision === 'selected' && e.decision.offerState)
      : [],
    reserves: released
      ? entries
          .filter((e) => e.decision?.decision === 'reserve')
          .sort((a, b) => (a.decision!.reserveRank ?? 1e9) - (b.decision!.reserveRank ?? 1e9))
      : [],
    freePlaces: released && round.places !== null ? Math.max(0, round.places - placesHeld) : 0,
    nextReserve: next ? byId.get(next.applicationId) : undefined,
  }
}

export interface ProposalView {
  hub: { id: string; name: string }
  cohort: Cohort
  round: SelectionRound
  /** With its rank in the round, when it is ranked. */
  entry: SelectionEntry & { rank?: number }
  proposing: boolean
  placesHeld: number
}

/** One submitted application of the hub's round, for the hub lead's proposal form. */
export async function viewProposal(
  context: UseCaseContext,
  hubId: string,
  cohortId: string,
  applicationId: number,
): Promise<ProposalView> {
  const { db, actor } = context
  const { hub, cohort } = await hubAndCohort(db, hubId, cohortId, canDecideForHub(actor, hubId))
  const application = await findApplication(db, applicationId)
  if (
    !application ||
    application.hubId !== hub.id ||
    application.cohortId !== cohort.id ||
    application.state !== 'submitted'
  ) {
    throw new NotFoundError('Application')
  }
  const round = await findRound(db, hub.id, cohort.id)
  // The rank is the application's place in the whole round's ranking, as the hub's list gives it.
  const submitted = await submittedTo(db, [hub.id], cohort.id)
  const scores = await scoresFor(
    db,
    cohort,
    submitted.map((a) => a.id),
  )
  const score = scores.get(application.id)!
  const { ranked } = rank(submitted.map((a) => ({ applicationId: a.id, score: scores.get(a.id)! })))
  const position = ranked.find((r) => r.applicationId === application.id)?.rank
  const decision = await findDecision(db, application.id)
  return {
    hub,
    cohort,
    round,
    entry: { application, score, decision, ...(position !== undefined && { rank: position }) },
    proposing: PROPOSING.includes(round.state),
    placesHeld: await countPlacesHeld(db, hub.id, cohort.id),
  }
}

// --- NCETM's moderation page

export interface HubModeration {
  hub: { id: string; name: string }
  state: SelectionRoundState
  places: number | null
  counts: DecisionCounts
  /** Offers after release: open, accepted, and declined or lapsed. */
  offers: { open: number; accepted: number; freed: number }
  /** The medians of the hub's reviewed applications (quartiles as NCETM's exports give them). */
  scores: FiveNumbers | undefined
  /** Reviewed applications that an essential criterion rules out. */
  excluded: number
  unreviewed: number
  canApprove: boolean
  canSendBack: boolean
  canSetPlaces: boolean
}

export interface ModerationView {
  cohort: Cohort
  hubs: HubModeration[]
  /** Every hub's medians together, for comparison. */
  overall: FiveNumbers | undefined
  canModerate: boolean
}

export async function viewModeration(context: UseCaseContext, cohortId: string): Promise<ModerationView> {
  const { db, actor } = context
  if (!canViewModeration(actor)) throw new NotFoundError('Selection')
  const cohort = await findCohort(db, cohortId)
  if (!cohort) throw new NotFoundError('Selection')
  const hubs = await db.selectFrom('hubs').select(['id', 'name']).orderBy('name').execute()
  const applications = await submittedTo(db, 'all', cohort.id)
  const scores = await scoresFor(
    db,
    cohort,
    applications.map((a) => a.id),
  )
  const rounds = new Map((await listCohortRounds(db, cohort.id)).map((r) => [r.hubId, r]))
  const decisionCounts = await cohortDecisionCounts(db, cohort.id)
  const admin = canModerate(actor)
  const allMedians: number[] = []
  const rows = hubs.map((hub): HubModeration => {
    const mine = applications.filter((a) => a.hubId === hub.id)
    const hubScores = mine.map((a) => scores.get(a.id)!)
    const medians = hubScores.flatMap((s) => (s.median === undefined ? [] : [s.median]))
    allMedians.push(...medians)
    const counts = decisionCounts.filter((c) => c.hubId === hub.id)
    const sum = (keep: (c: (typeof counts)[number]) => boolean) =>
      counts.filter(keep).reduce((total, c) => total + c.count, 0)
    const decided = sum(() => true)
    const round = rounds.get(hub.id)
    const state = round?.state ?? 'reviewing'
    return {
      hub,
      state,
      places: round?.places ?? null,
      counts: {
        selected: sum((c) => c.decision === 'selected'),
        reserve: sum((c) => c.decision === 'reserve'),
        notSelected: sum((c) => c.decision === 'not-selected'),
        undecided: Math.max(0, mine.length - decided),
        submitted: mine.length,
      },
      offers: {
        open: sum((c) => c.offerState === 'offered'),
        accepted: sum((c) => c.offerState === 'accepted'),
        freed: sum((c) => c.offerState !== null && PLACE_FREED.includes(c.offerState)),
      },
      scores: fiveNumbers(medians),
      excluded: hubScores.filter((s) => s.excluded).length,
      unreviewed: hubScores.filter((s) => s.median === undefined).length,
      canApprove: admin && canMoveRound(state, 'approve'),
      canSendBack: admin && canMoveRound(state, 'send-back'),
      canSetPlaces: admin && (state === 'reviewing' || state === 'released'),
    }
  })
  return { cohort, hubs: rows, overall: fiveNumbers(allMedians), canModerate: admin }
}

// --- The rounds the actor can open

export interface SelectionLink {
  cohort: { id: string; programmeName: string; number: number; decisionsReleasedOn: string }
  hub?: { id: string; name: string }
  state?: SelectionRoundState
  submitted: number
}

/** Hubs' rounds with applications (hub leads and administrators), and every cohort's moderation page (NCETM). */
export async function listSelections(
  context: UseCaseContext,
): Promise<{ hubRounds: SelectionLink[]; cohorts: SelectionLink[] }> {
  const { db, actor } = context
  if (!isSignedIn(actor)) throw new NotFoundError('Selection')
  const national = isNational(actor)
  const hubIds = hubsSelecting(actor)
  if (!national && hubIds.length === 0) throw new NotFoundError('Selection')
  let query = db
    .selectFrom('applications as a')
    .innerJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .innerJoin('programmes as p', 'p.id', 'c.programme_id')
    .innerJoin('hubs as h', 'h.id', 'a.hub_id')
    .leftJoin('selection_rounds as r', (join) =>
      join.onRef('r.hub_id', '=', 'a.hub_id').onRef('r.cohort_id', '=', 'a.cohort_id'),
    )
    .select([
      'c.id as cohort_id',
      'p.name as programme_name',
      'c.number',
      'c.decisions_released_on',
      'h.id as hub_id',
      'h.name as hub_name',
      'r.state',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('a.state', '=', 'submitted')
    .groupBy([
      'c.id',
      'p.name',
      'p.position',
      'c.number',
      'c.decisions_released_on',
      'h.id',
      'h.name',
      'r.state',
    ])
    .orderBy('p.position')
    .orderBy('c.number', 'desc')
    .orderBy('h.name')
  if (!national) query = query.where('a.hub_id', 'in', hubIds)
  const rows = await query.execute()
  const link = (r: (typeof rows)[number]): SelectionLink => ({
    cohort: {
      id: r.cohort_id,
      programmeName: r.programme_name,
      number: r.number,
      decisionsReleasedOn: r.decisions_released_on,
    },
    hub: { id: r.hub_id, name: r.hub_name },
    state: r.state ?? 'reviewing',
    submitted: Number(r.n),
  })
  const hubRounds = rows.filter((r) => hubIds.includes(r.hub_id)).map(link)
  // NCETM: every cohort, so places can be set before applications arrive.
  const cohorts: SelectionLink[] = national
    ? (await listCohorts(db)).map((c) => ({
        cohort: {
          id: c.id,
          programmeName: c.programmeName,
          number: c.number,
          decisionsReleasedOn: c.decisionsReleasedOn,
        },
        submitted: rows.filter((r) => r.cohort_id === c.id).reduce((n, r) => n + Number(r.n), 0),
      }))
    : []
  return { hubRounds, cohorts }
}
