// Decisions and offers end to end through the use-cases, on a real migrated database with the
// demo register: NCETM's places and the hub's proposals (the limit holds, even for proposals made
// at the same moment), confirmation, approval, the release on the cohort's date (UK time) with one
// email per decision in its final form and feedback only where shared, the offer accepted by both
// (one participation), a declined place passed to the next reserve only when the hub lead
// confirms, and an unanswered offer lapsing at its deadline.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  actorByEmail,
  AFTER_CLOSE,
  completedReview,
  contextFor,
  DECISIONS_NOW,
  decisionCohort,
  emailsTo,
  EVE_OF_RELEASE,
  NORTHVALE,
  placeToken,
  RELEASE_DAY,
  submittedApplication,
  type Applicant,
} from '../../../../test/decision-fixtures.ts'
import { HEAD } from '../../../../test/application-fixtures.ts'
import { createTestDatabase, ENGINE, type TestDatabase } from '../../../../test/database.ts'
import { loadDemo } from '../../../db/seeds/demo.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { ANONYMOUS, type Actor } from '../../access/actor.ts'
import { viewApplication } from '../../applications/view-applications.ts'
import { withdrawApplication } from '../../applications/withdraw-application.ts'
import { createScheduler } from '../../../jobs/scheduler.ts'
import { confirmDecisions, reopenDecisions } from './decisions-confirm.ts'
import { approveDecisions, sendBackDecisions, setPlaces } from './decisions-moderate.ts'
import { proposeDecision } from './decisions-propose.ts'
import { viewHubSelection, viewModeration } from './decisions-view.ts'
import { findDecision } from './decisions.repository.ts'
import { lapseOffers } from '../offers/offers-lapse.ts'
import { offerPlaceToReserve } from '../offers/offers-pass-to-reserve.ts'
import { respondToOffer, respondToPlaceOffer, viewPlaceOffer } from '../offers/offers-respond.ts'
import { selectionOnApplicationPage } from '../offers/offers-view.ts'
import { releaseDecisions } from '../offers/release-decisions.ts'

const clock = fixedClock(DECISIONS_NOW)
let database: TestDatabase
let hubLead: Actor
let hubAdmin: Actor
let otherHubLead: Actor
let nationalAdmin: Actor
let nationalViewer: Actor
let nextCohort = 200

const as = (actor: Actor) => contextFor(database.db, clock, actor)
const deps = () => ({ db: database.db, clock, baseUrl: 'http://localhost:3000' })

async function refusal(work: Promise<unknown>): Promise<Record<string, string>> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`)
  return Object.fromEntries(error.errors.map((e) => [e.field, e.code]))
}

/** A fresh cohort with submitted applications from the named teachers, each with one completed review. */
async function round(names: string[]): Promise<{ cohortId: string; apps: Applicant[] }> {
  clock.set(DECISIONS_NOW)
  const cohortId = await decisionCohort(database.db, nextCohort++)
  const apps: Applicant[] = []
  for (const [i, name] of names.entries()) {
    const app = await submittedApplication(database.db, clock, cohortId, name)
    await completedReview(database.db, clock, app.id, { score: 4 - (i % 4) })
    apps.push(app)
  }
  return { cohortId, apps }
}

function propose(cohortId: string, app: Applicant, input: Record<string, unknown>, actor = hubLead) {
  return proposeDecision(as(actor), { hubId: NORTHVALE, cohortId, applicationId: app.id }, input)
}

const SELECTED = { decision: 'selected' }
const reserve = (rank: number) => ({ decision: 'reserve', reserveRank: rank })
const NOT_SELECTED = { decision: 'not-selected', reasonCode: 'stronger-applications' }

/** Proposals for every application, confirmed by the hub lead (after the window) and approved by NCETM. */
async function approved(cohortId: string, places: number, proposals: [Applicant, Record<string, unknown>][]) {
  await setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places })
  for (const [app, input] of proposals) await propose(cohortId, app, input)
  clock.set(AFTER_CLOSE)
  await confirmDecisions(as(hubLead), NORTHVALE, cohortId)
  await approveDecisions(as(nationalAdmin), NORTHVALE, cohortId)
}

/** Decision emails to the teachers. */
async function decisionEmails(apps: Applicant[]) {
  return database.db
    .selectFrom('outbox')
    .select(['to_address', 'template'])
    .where('template', 'like', 'decision-%')
    .where(
      'to_address',
      'in',
      apps.map((a) => a.email),
    )
    .execute()
}

/** Decision emails to the headteacher about these applications (their subjects name the reference). */
async function headteacherDecisionEmails(apps: Applicant[]) {
  const rows = await emailsTo(database.db, HEAD.email)
  return rows.filter(
    (r) => r.template.startsWith('decision-') && apps.some((a) => r.subject.endsWith(a.reference)),
  )
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  hubLead = await actorByEmail(database.db, 'priya.shah@northvale.mathshub.example')
  hubAdmin = await actorByEmail(database.db, 'tom.evans@northvale.mathshub.example')
  otherHubLead = await actorByEmail(database.db, 'ruth.okafor@riverside.mathshub.example')
  nationalAdmin = await actorByEmail(database.db, 'nadia.khan@ncetm.example')
  nationalViewer = await actorByEmail(database.db, 'oliver.grant@ncetm.example')
})
afterAll(async () => {
  await database?.destroy()
})
beforeEach(() => {
  clock.set(DECISIONS_NOW)
})

describe('places and proposals', () => {
  it('lets only NCETM’s administrators set places, never below those already selected', async () => {
    const { cohortId, apps } = await round(['Ada', 'Ben'])
    for (const actor of [nationalViewer, hubLead, hubAdmin, ANONYMOUS]) {
      await expect(setPlaces(as(actor), NORTHVALE, cohortId, { places: 3 })).rejects.toBeInstanceOf(
        NotFoundError,
      )
    }
    expect(await refusal(setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places: -1 }))).toEqual({
      places: 'invalid',
    })
    expect(await setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places: 2 })).toBe(2)
    await propose(cohortId, apps[0]!, SELECTED)
    await propose(cohortId, apps[1]!, SELECTED)
    expect(await refusal(setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places: 1 }))).toEqual({
      places: 'below-held',
    })
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'after'])
      .where('record_type', '=', 'selection-round')
      .where('record_id', '=', `${NORTHVALE}/${cohortId}`)
      .execute()
    expect(audit).toEqual([{ action: 'selection-round.set-places', after: { places: 2 } }])
  })

  it('refuses a proposal that would select more applications than the hub has places', async () => {
    const { cohortId, apps } = await round(['Ada', 'Ben', 'Cal'])
    expect(await refusal(propose(cohortId, apps[0]!, SELECTED))).toEqual({ decision: 'no-places' })
    await setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places: 2 })
    await propose(cohortId, apps[0]!, SELECTED)
    await propose(cohortId, apps[1]!, SELECTED)
    const error = await propose(cohortId, apps[2]!, SELECTED).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).errors).toEqual([
      {
        code: 'places-full',
        field: 'decision',
        message:
          'Your hub has 2 places and 2 applications are already selected. Change another decision first, or propose this one as a reserve',
      },
    ])
    // Proposing the same application again does not count it twice; freeing a place makes room.
    await propose(cohortId, apps[1]!, { ...SELECTED, feedback: 'Strong', shareFeedback: true })
    await propose(cohortId, apps[1]!, reserve(1))
    await propose(cohortId, apps[2]!, SELECTED)
    const view = await viewHubSelection(as(hubLead), NORTHVALE, cohortId)
    expect(view.counts).toEqual({ selected: 2, reserve: 1, notSelected: 0, undecided: 0, submitted: 3 })
    expect(view.placesHeld).toBe(2)
    // The history names each proposal and change; the audit names what changed, not the words.
    const history = await database.db
      .selectFrom('application_history')
      .select(['event', 'note'])
      .where('application_id', '=', apps[1]!.id)
      .where('event', 'like', 'decision-%')
      .orderBy('id')
      .execute()
    expect(history).toEqual([
      { event: 'decision-proposed', note: 'Selected: Meets the criteria and fits the hub’s plan' },
      { event: 'decision-changed', note: 'Selected: Meets the criteria and fits the hub’s plan' },
      {
        event: 'decision-changed',
        note: 'Reserve: Meets the criteria, but the places are filled (reserve 1)',
      },
    ])
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['before', 'after'])
      .where('action', '=', 'selection-decision.propose')
      .where('record_id', '=', String(apps[1]!.id))
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.after)).toEqual([
      {
        decision: 'selected',
        reasonCode: 'meets-criteria-and-plan',
        reserveRank: null,
        feedbackGiven: false,
        shareFeedback: false,
      },
      {
        decision: 'selected',
        reasonCode: 'meets-criteria-and-plan',
        reserveRank: null,
        feedbackGiven: true,
        shareFeedback: true,
      },
      {
        decision: 'reserve',
        reasonCode: 'meets-criteria-place-limit',
        reserveRank: 1,
        feedbackGiven: false,
        shareFeedback: false,
      },
    ])
    expect(JSON.stringify(audit)).not.toContain('Strong')
  })

  it(`cannot exceed the places with proposals made at the same moment (${ENGINE})`, async () => {
    const { cohortId, apps } = await round(['Ada', 'Ben', 'Cal', 'Dee', 'Eve', 'Fay'])
    await setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places: 2 })
    const results = await Promise.allSettled(apps.map((app) => propose(cohortId, app, SELECTED)))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2)
    const refused = results.filter((r) => r.status === 'rejected')
    expect(refused).toHaveLength(4)
    for (const r of refused) {
      expect((r.reason as ValidationError).errors[0]?.code).toBe('places-full')
    }
    const selected = await database.db
      .selectFrom('selection_decisions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('cohort_id', '=', cohortId)
      .where('decision', '=', 'selected')
      .executeTakeFirstOrThrow()
    expect(Number(selected.n)).toBe(2)
  })

  it('refuses to select an application that does not meet an essential criterion, saying which', async () => {
    clock.set(DECISIONS_NOW)
    const cohortId = await decisionCohort(database.db, nextCohort++)
    const weak = await submittedApplication(database.db, clock, cohortId, 'Gil')
    await completedReview(database.db, clock, weak.id, { score: 4, notMet: ['good-teaching'] })
    const unreviewed = await submittedApplication(database.db, clock, cohortId, 'Hal')
    await setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places: 5 })
    const error = await propose(cohortId, weak, SELECTED).catch((e: unknown) => e)
    expect((error as ValidationError).errors).toEqual([
      {
        code: 'essential-not-met',
        field: 'decision',
        message:
          'This application cannot be selected. Does not meet the essential criterion “Good teaching skills in maths, as shown by observation”',
      },
    ])
    await propose(cohortId, weak, { decision: 'not-selected', reasonCode: 'essential-not-met' })
    const view = await viewHubSelection(as(hubAdmin), NORTHVALE, cohortId)
    expect(view.ranked).toEqual([])
    expect(view.unranked.map((u) => [u.application.id, u.score.excluded, u.score.reasons])).toEqual([
      [unreviewed.id, false, []],
      [
        weak.id,
        true,
        ['Does not meet the essential criterion “Good teaching skills in maths, as shown by observation”'],
      ],
    ])
    expect(view.canDecide).toBe(false)
  })

  it('lets only the hub’s own lead propose; others are told the application was not found', async () => {
    const { cohortId, apps } = await round(['Ada'])
    for (const actor of [
      hubAdmin,
      otherHubLead,
      nationalAdmin,
      nationalViewer,
      apps[0]!.teacher,
      ANONYMOUS,
    ]) {
      await expect(propose(cohortId, apps[0]!, NOT_SELECTED, actor)).rejects.toBeInstanceOf(NotFoundError)
    }
    const other = await round(['Bea'])
    await expect(
      proposeDecision(
        as(hubLead),
        { hubId: NORTHVALE, cohortId, applicationId: other.apps[0]!.id },
        NOT_SELECTED,
      ),
    ).rejects.toBeInstanceOf(NotFoundError)
    await expect(viewHubSelection(as(otherHubLead), NORTHVALE, cohortId)).rejects.toBeInstanceOf(
      NotFoundError,
    )
    await expect(viewModeration(as(hubLead), cohortId)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('refuses two reserves with the same place in the list', async () => {
    const { cohortId, apps } = await round(['Ada', 'Ben'])
    await propose(cohortId, apps[0]!, reserve(1))
    expect(await refusal(propose(cohortId, apps[1]!, reserve(1)))).toEqual({ reserveRank: 'rank-taken' })
    await propose(cohortId, apps[1]!, reserve(2))
  })
})

describe('confirming and approving', () => {
  it('confirms only after the window, with places set and every submitted application decided', async () => {
    const { cohortId, apps } = await round(['Ada', 'Ben', 'Cal'])
    await withdrawApplication(as(apps[2]!.teacher), apps[2]!.id)
    await propose(cohortId, apps[0]!, NOT_SELECTED)
    const early = await confirmDecisions(as(hubLead), NORTHVALE, cohortId).catch((e: unknown) => e)
    expect((early as ValidationError).errors.map((e) => e.code)).toEqual([
      'window-open',
      'no-places',
      'undecided',
    ])
    clock.set(AFTER_CLOSE)
    await setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places: 1 })
    const undecided = await confirmDecisions(as(hubLead), NORTHVALE, cohortId).catch((e: unknown) => e)
    expect((undecided as ValidationError).errors).toEqual([
      { code: 'undecided', field: 'confirm', message: `Propose a decision for Ben (${apps[1]!.reference})` },
    ])
    await propose(cohortId, apps[1]!, SELECTED)
    await expect(confirmDecisions(as(hubAdmin), NORTHVALE, cohortId)).rejects.toBeInstanceOf(NotFoundError)
    await confirmDecisions(as(hubLead), NORTHVALE, cohortId)
    expect((await viewHubSelection(as(hubLead), NORTHVALE, cohortId)).round.state).toBe('confirmed')
    expect(await refusal(propose(cohortId, apps[1]!, NOT_SELECTED))).toEqual({ decision: 'not-proposing' })
    expect(await refusal(confirmDecisions(as(hubLead), NORTHVALE, cohortId))).toEqual({
      state: 'refused-transition',
    })
    const confirmed = await database.db
      .selectFrom('application_history')
      .select(['application_id', 'note'])
      .where('event', '=', 'decision-confirmed')
      .where(
        'application_id',
        'in',
        apps.map((a) => a.id),
      )
      .orderBy('application_id')
      .execute()
    expect(confirmed).toEqual([
      { application_id: apps[0]!.id, note: 'Not selected' },
      { application_id: apps[1]!.id, note: 'Selected' },
    ])
    // The hub lead may take them back before NCETM approves.
    await reopenDecisions(as(hubLead), NORTHVALE, cohortId)
    await propose(cohortId, apps[1]!, reserve(1))
    await confirmDecisions(as(hubLead), NORTHVALE, cohortId)
  })

  it('lets NCETM approve confirmed decisions or send them back, side by side with every hub', async () => {
    const { cohortId, apps } = await round(['Ada', 'Ben', 'Cal'])
    await setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places: 1 })
    expect(await refusal(approveDecisions(as(nationalAdmin), NORTHVALE, cohortId))).toEqual({
      state: 'refused-transition',
    })
    await propose(cohortId, apps[0]!, SELECTED)
    await propose(cohortId, apps[1]!, reserve(1))
    await propose(cohortId, apps[2]!, NOT_SELECTED)
    clock.set(AFTER_CLOSE)
    await confirmDecisions(as(hubLead), NORTHVALE, cohortId)
    const moderation = await viewModeration(as(nationalViewer), cohortId)
    const northvale = moderation.hubs.find((h) => h.hub.id === NORTHVALE)!
    expect(northvale).toMatchObject({
      state: 'confirmed',
      places: 1,
      counts: { selected: 1, reserve: 1, notSelected: 1, undecided: 0, submitted: 3 },
      // The three medians: 4 + 3×4 = 16, 3 + 3×3 = 12, 2 + 3×2 = 8.
      scores: { min: 8, q1: 10, median: 12, q3: 14, max: 16 },
      canApprove: false,
    })
    expect(moderation.hubs.find((h) => h.hub.id === 'riverside-maths-hub')).toMatchObject({
      state: 'reviewing',
      places: null,
      scores: undefined,
    })
    await expect(approveDecisions(as(nationalViewer), NORTHVALE, cohortId)).rejects.toBeInstanceOf(
      NotFoundError,
    )
    await approveDecisions(as(nationalAdmin), NORTHVALE, cohortId)
    expect(await refusal(setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places: 3 }))).toEqual({
      places: 'round-confirmed',
    })
    expect(await refusal(reopenDecisions(as(hubLead), NORTHVALE, cohortId))).toEqual({
      state: 'refused-transition',
    })
    await sendBackDecisions(as(nationalAdmin), NORTHVALE, cohortId, { reason: 'Too few reserves' })
    const view = await viewHubSelection(as(hubLead), NORTHVALE, cohortId)
    expect(view.round).toMatchObject({ state: 'reviewing', confirmedAt: null, approvedAt: null })
    const events = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('record_id', '=', `${NORTHVALE}/${cohortId}`)
      .orderBy('id')
      .execute()
    expect(events.map((e) => e.action)).toEqual([
      'selection-round.set-places',
      'selection-round.confirm',
      'selection-round.approve',
      'selection-round.send-back',
      'selection-round.send-back-reason',
    ])
  })

  it('sends decisions back only with a reason, which the hub lead is emailed and sees until confirming again', async () => {
    const { cohortId, apps } = await round(['Ada'])
    await setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places: 1 })
    await propose(cohortId, apps[0]!, SELECTED)
    clock.set(AFTER_CLOSE)
    await confirmDecisions(as(hubLead), NORTHVALE, cohortId)
    const sentBack = async () =>
      (await emailsTo(database.db, 'priya.shah@northvale.mathshub.example')).filter(
        (e) => e.template === 'decisions-sent-back' && e.body_text.includes(cohortId.replace(/.*-/, '')),
      )
    const before = (await emailsTo(database.db, 'priya.shah@northvale.mathshub.example')).length
    for (const raw of [
      {},
      { reason: '' },
      { reason: '   ' },
      { reason: 'x'.repeat(2001) },
      { reason: 'a\u0000b' },
    ]) {
      expect(await refusal(sendBackDecisions(as(nationalAdmin), NORTHVALE, cohortId, raw))).toEqual({
        reason: 'invalid',
      })
    }
    // Refused: nothing changed and nobody was emailed.
    expect((await viewHubSelection(as(hubLead), NORTHVALE, cohortId)).round).toMatchObject({
      state: 'confirmed',
      sentBackReason: null,
    })
    expect((await emailsTo(database.db, 'priya.shah@northvale.mathshub.example')).length).toBe(before)

    const reason = '  Ada’s school is already served by two specialists.\nPlease look again.  '
    await sendBackDecisions(as(nationalAdmin), NORTHVALE, cohortId, { reason })
    expect((await viewHubSelection(as(hubLead), NORTHVALE, cohortId)).round).toMatchObject({
      state: 'reviewing',
      sentBackReason: reason.trim(),
      sentBackAt: new Date(AFTER_CLOSE),
    })
    const emails = await sentBack()
    expect(emails).toHaveLength(1)
    expect(emails[0]!.subject).toBe(
      'The NCETM has sent your hub’s decisions back: Primary Mastery Specialist Programme, Cohort ' +
        cohortId.replace(/.*-/, ''),
    )
    expect(emails[0]!.body_text).toContain(
      'Ada’s school is already served by two specialists.\nPlease look again.',
    )
    expect(emails[0]!.body_text).toContain(
      `http://localhost:3000/hubs/${NORTHVALE}/cohorts/${cohortId}/selection`,
    )
    // Confirmed again: the reason has been answered and no longer shows.
    await confirmDecisions(as(hubLead), NORTHVALE, cohortId)
    await reopenDecisions(as(hubLead), NORTHVALE, cohortId)
    expect((await viewHubSelection(as(hubLead), NORTHVALE, cohortId)).round).toMatchObject({
      state: 'reviewing',
      sentBackReason: null,
      sentBackAt: null,
    })
  })
})

describe('the release of decisions', () => {
  it('goes out on the decision date in UK time, once, and only in each decision’s final form', async () => {
    const { cohortId, apps } = await round(['Ada', 'Ben'])
    await setPlaces(as(nationalAdmin), NORTHVALE, cohortId, { places: 1 })
    // Ada is proposed for a place, then changed to a reserve before anything is released.
    await propose(cohortId, apps[0]!, SELECTED)
    await propose(cohortId, apps[0]!, reserve(1))
    await propose(cohortId, apps[1]!, NOT_SELECTED)
    clock.set(AFTER_CLOSE)
    await confirmDecisions(as(hubLead), NORTHVALE, cohortId)
    // Not approved: nothing goes, even on the day.
    clock.set(RELEASE_DAY)
    expect(await releaseDecisions(deps())).toBe(0)
    clock.set(AFTER_CLOSE)
    await approveDecisions(as(nationalAdmin), NORTHVALE, cohortId)
    // The last millisecond of 20 April in the UK (BST): nothing yet.
    clock.set(EVE_OF_RELEASE)
    expect(await releaseDecisions(deps())).toBe(0)
    expect(await headteacherDecisionEmails(apps)).toEqual([])
    expect(
      (await emailsTo(database.db, apps[0]!.email)).filter((e) => e.template.startsWith('decision-')),
    ).toEqual([])
    // Midnight on 21 April in the UK: the scheduler releases both decisions.
    clock.set(RELEASE_DAY)
    const done = await createScheduler(deps()).runOnce()
    expect(done.releasedDecisions).toBe(2)
    const ada = (await emailsTo(database.db, apps[0]!.email)).filter((e) =>
      e.template.startsWith('decision-'),
    )
    expect(ada.map((e) => e.template)).toEqual(['decision-reserve'])
    const ben = (await emailsTo(database.db, apps[1]!.email)).filter((e) =>
      e.template.startsWith('decision-'),
    )
    expect(ben.map((e) => e.template)).toEqual(['decision-not-selected'])
    expect(
      (await headteacherDecisionEmails(apps)).map((e) => [e.template, e.subject.slice(-11)]).sort(),
    ).toEqual(
      [
        ['decision-not-selected-headteacher', apps[1]!.reference],
        ['decision-reserve-headteacher', apps[0]!.reference],
      ].sort(),
    )
    // Again, and later: nothing more.
    expect(await releaseDecisions(deps())).toBe(0)
    clock.advance(86_400_000)
    expect(await releaseDecisions(deps())).toBe(0)
    expect(await decisionEmails(apps)).toHaveLength(2)
    expect((await viewHubSelection(as(hubLead), NORTHVALE, cohortId)).round.state).toBe('released')
    expect((await findDecision(database.db, apps[0]!.id))?.releasedAt).toEqual(new Date(RELEASE_DAY))
    // Nobody can change a released decision.
    expect(await refusal(propose(cohortId, apps[1]!, reserve(2)))).toEqual({ decision: 'not-proposing' })
  })

  it('includes the hub’s feedback only where it chose to share it, and only for the teacher', async () => {
    const { cohortId, apps } = await round(['Ada', 'Ben', 'Cal'])
    await approved(cohortId, 1, [
      [apps[0]!, { ...SELECTED, feedback: 'A superb <b>lesson</b>\r\nobservation.', shareFeedback: true }],
      [
        apps[1]!,
        { ...NOT_SELECTED, feedback: 'Shared: build your\ncollaboration evidence.', shareFeedback: true },
      ],
      [apps[2]!, { ...NOT_SELECTED, feedback: 'Private: weaker than the others.', shareFeedback: false }],
    ])
    clock.set(RELEASE_DAY)
    expect(await releaseDecisions(deps())).toBe(3)
    const [ada] = await emailsTo(database.db, apps[0]!.email).then((e) =>
      e.filter((m) => m.template === 'decision-selected'),
    )
    expect(ada!.body_text).toContain('Feedback from the hub:\n\nA superb <b>lesson</b>\nobservation.')
    expect(ada!.body_text).toContain(`http://localhost:3000/applications/${apps[0]!.id}/offer`)
    expect(ada!.body_text).toContain('by 5pm on 5 May 2027')
    const [ben] = await emailsTo(database.db, apps[1]!.email).then((e) =>
      e.filter((m) => m.template.startsWith('decision-')),
    )
    expect(ben!.body_text).toContain('Shared: build your\ncollaboration evidence.')
    const [cal] = await emailsTo(database.db, apps[2]!.email).then((e) =>
      e.filter((m) => m.template.startsWith('decision-')),
    )
    expect(cal!.body_text).not.toContain('Private')
    expect(cal!.body_text).not.toContain('Feedback from the hub')
    for (const email of await headteacherDecisionEmails(apps)) {
      expect(email.body_text).not.toMatch(/superb|Shared|Private/)
    }
    // The teacher sees the decision (and shared feedback) on their application once released.
    const page = await selectionOnApplicationPage(as(apps[1]!.teacher), { application: apps[1]!, own: true })
    expect(page.offer).toMatchObject({
      decision: 'not-selected',
      feedback: 'Shared: build your\ncollaboration evidence.',
    })
    const cals = await selectionOnApplicationPage(as(apps[2]!.teacher), { application: apps[2]!, own: true })
    expect(cals.offer).toMatchObject({ decision: 'not-selected', feedback: null })
  })

  it('keeps the decision from the teacher until it is released', async () => {
    const { cohortId, apps } = await round(['Ada'])
    await approved(cohortId, 1, [[apps[0]!, SELECTED]])
    const teacher = as(apps[0]!.teacher)
    const before = await viewApplication(teacher, apps[0]!.id)
    expect(before.history.map((h) => h.event).filter((e) => e.startsWith('decision-'))).toEqual([])
    expect(
      (await selectionOnApplicationPage(teacher, { application: apps[0]!, own: true })).offer,
    ).toBeUndefined()
    // The hub sees every step.
    const hub = await viewApplication(as(hubLead), apps[0]!.id)
    expect(hub.history.map((h) => h.event).filter((e) => e.startsWith('decision-'))).toEqual([
      'decision-proposed',
      'decision-confirmed',
      'decision-approved',
    ])
    clock.set(RELEASE_DAY)
    await releaseDecisions(deps())
    const after = await viewApplication(teacher, apps[0]!.id)
    expect(after.history.map((h) => h.event).filter((e) => e.startsWith('decision-'))).toEqual([
      'decision-released',
    ])
    expect(
      (await selectionOnApplicationPage(teacher, { application: apps[0]!, own: true })).offer,
    ).toMatchObject({
      decision: 'selected',
      status: 'open',
      respondLink: `/applications/${apps[0]!.id}/offer`,
    })
  })
})

describe('offers of places', () => {
  it('makes one participation and a Mastery Specialist when the teacher and the headteacher both accept', async () => {
    const { cohortId, apps } = await round(['Ada', 'Ben'])
    await approved(cohortId, 2, [
      [apps[0]!, SELECTED],
      [apps[1]!, SELECTED],
    ])
    clock.set(RELEASE_DAY)
    await releaseDecisions(deps())
    clock.advance(3_600_000)
    // Ada accepts first, then her headteacher.
    const first = await respondToOffer(as(apps[0]!.teacher), apps[0]!.id, { decision: 'accept' })
    expect(first.status).toBe('waiting')
    expect(
      await refusal(respondToOffer(as(apps[0]!.teacher), apps[0]!.id, { decision: 'decline', reason: 'No' })),
    ).toEqual({
      decision: 'offer-waiting',
    })
    await expect(
      respondToOffer(as(apps[1]!.teacher), apps[0]!.id, { decision: 'accept' }),
    ).rejects.toBeInstanceOf(NotFoundError)
    const token = await placeToken(database.db, apps[0]!.reference)
    expect((await viewPlaceOffer(as(ANONYMOUS), token)).status).toBe('open')
    const head = await respondToPlaceOffer(as(ANONYMOUS), token, { decision: 'accept' })
    expect(head.status).toBe('confirmed')
    expect(await refusal(respondToPlaceOffer(as(ANONYMOUS), token, { decision: 'accept' }))).toEqual({
      decision: 'offer-confirmed',
    })
    // Ben and his headteacher accept at the same moment: one participation.
    const benToken = await placeToken(database.db, apps[1]!.reference)
    await Promise.all([
      respondToOffer(as(apps[1]!.teacher), apps[1]!.id, { decision: 'accept' }),
      respondToPlaceOffer(as(ANONYMOUS), benToken, { decision: 'accept' }),
    ])
    const participations = await database.db
      .selectFrom('participations')
      .select(['person_id', 'application_id', 'cohort_id', 'hub_id', 'school_urn', 'role'])
      .where('cohort_id', '=', cohortId)
      .orderBy('application_id')
      .execute()
    expect(participations).toEqual(
      apps.map((a) => ({
        person_id: a.teacher.kind === 'person' ? a.teacher.personId : 0,
        application_id: a.id,
        cohort_id: cohortId,
        hub_id: NORTHVALE,
        school_urn: 990_001,
        role: 'mastery-specialist',
      })),
    )
    const grants = await database.db
      .selectFrom('grants')
      .select(['person_id', 'role', 'cohort_id'])
      .where('role', '=', 'mastery-specialist')
      .where('cohort_id', '=', cohortId)
      .execute()
    expect(grants).toHaveLength(2)
    expect((await findDecision(database.db, apps[0]!.id))?.offerState).toBe('accepted')
    expect((await emailsTo(database.db, apps[0]!.email)).map((e) => e.template)).toContain('place-confirmed')
    const history = await database.db
      .selectFrom('application_history')
      .select(['event', 'actor_kind', 'note'])
      .where('application_id', '=', apps[0]!.id)
      .where('event', 'in', ['offer-accepted', 'place-confirmed'])
      .orderBy('id')
      .execute()
    expect(history).toEqual([
      { event: 'offer-accepted', actor_kind: 'applicant', note: 'Accepted by the teacher' },
      { event: 'offer-accepted', actor_kind: 'headteacher', note: 'Accepted by the headteacher' },
      { event: 'place-confirmed', actor_kind: 'headteacher', note: null },
    ])
  })

  it('passes a declined place to the next reserve only when the hub lead confirms, once', async () => {
    const { cohortId, apps } = await round(['Ada', 'Ben', 'Cal'])
    const [ada, ben, cal] = apps as [Applicant, Applicant, Applicant]
    await approved(cohortId, 1, [
      [ada, SELECTED],
      [ben, reserve(1)],
      [cal, reserve(2)],
    ])
    clock.set(RELEASE_DAY)
    await releaseDecisions(deps())
    expect(
      await refusal(offerPlaceToReserve(as(hubLead), NORTHVALE, cohortId, { applicationId: ben.id })),
    ).toEqual({
      applicationId: 'no-free-place',
    })
    clock.advance(3_600_000)
    await respondToPlaceOffer(as(ANONYMOUS), await placeToken(database.db, ada.reference), {
      decision: 'decline',
      reason: 'We cannot release her this year',
    })
    expect((await findDecision(database.db, ada.id))?.offerState).toBe('declined')
    const adaEmails = await emailsTo(database.db, ada.email)
    expect(adaEmails.at(-1)?.template).toBe('place-declined')
    expect(adaEmails.at(-1)?.body_text).toContain('We cannot release her this year')
    // Nothing goes to the reserve until the hub lead confirms.
    expect((await emailsTo(database.db, ben.email)).map((e) => e.template)).not.toContain('place-offered')
    const view = await viewHubSelection(as(hubLead), NORTHVALE, cohortId)
    expect(view.freePlaces).toBe(1)
    expect(view.nextReserve?.application.id).toBe(ben.id)
    await expect(
      offerPlaceToReserve(as(hubAdmin), NORTHVALE, cohortId, { applicationId: ben.id }),
    ).rejects.toBeInstanceOf(NotFoundError)
    expect(
      await refusal(offerPlaceToReserve(as(hubLead), NORTHVALE, cohortId, { applicationId: cal.id })),
    ).toEqual({
      applicationId: 'reserve-changed',
    })
    // Two confirmations at the same moment offer the place once.
    const results = await Promise.allSettled([
      offerPlaceToReserve(as(hubLead), NORTHVALE, cohortId, { applicationId: ben.id }),
      offerPlaceToReserve(as(hubLead), NORTHVALE, cohortId, { applicationId: ben.id }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await findDecision(database.db, ben.id)).toMatchObject({
      decision: 'selected',
      reasonCode: 'place-from-reserve',
      offerState: 'offered',
      // 5pm (BST) on the 14th day after the day it was offered.
      respondBy: new Date('2027-05-05T16:00:00Z'),
    })
    expect(
      (await emailsTo(database.db, ben.email)).filter((e) => e.template === 'place-offered'),
    ).toHaveLength(1)
    const benHead = (await emailsTo(database.db, HEAD.email)).filter(
      (e) => e.template === 'place-offered-headteacher' && e.subject.endsWith(ben.reference),
    )
    expect(benHead).toHaveLength(1)
    expect((await findDecision(database.db, cal.id))?.decision).toBe('reserve')
    // Ben accepts through his own page, and his headteacher through the new link.
    await respondToOffer(as(ben.teacher), ben.id, { decision: 'accept' })
    await respondToPlaceOffer(as(ANONYMOUS), await placeToken(database.db, ben.reference), {
      decision: 'accept',
    })
    expect((await findDecision(database.db, ben.id))?.offerState).toBe('accepted')
  })

  it('lapses an offer not accepted by both by its deadline', async () => {
    const { cohortId, apps } = await round(['Ada'])
    await approved(cohortId, 1, [[apps[0]!, SELECTED]])
    clock.set(RELEASE_DAY)
    await releaseDecisions(deps())
    await respondToOffer(as(apps[0]!.teacher), apps[0]!.id, { decision: 'accept' })
    const respondBy = (await findDecision(database.db, apps[0]!.id))!.respondBy!
    clock.set(new Date(respondBy.getTime() - 1))
    expect(await lapseOffers(deps())).toBe(0)
    clock.set(respondBy)
    // At the deadline the headteacher's answer is refused, even before the job has run.
    const token = await placeToken(database.db, apps[0]!.reference)
    expect(await refusal(respondToPlaceOffer(as(ANONYMOUS), token, { decision: 'accept' }))).toEqual({
      decision: 'offer-lapsed',
    })
    // (Offers left open by earlier tests in this file lapse at the same instant.)
    expect(await lapseOffers(deps())).toBeGreaterThanOrEqual(1)
    expect(await lapseOffers(deps())).toBe(0)
    expect(await findDecision(database.db, apps[0]!.id)).toMatchObject({ offerState: 'lapsed' })
    expect((await emailsTo(database.db, apps[0]!.email)).at(-1)?.template).toBe('place-lapsed')
    expect((await viewHubSelection(as(hubLead), NORTHVALE, cohortId)).freePlaces).toBe(1)
    const participations = await database.db
      .selectFrom('participations')
      .select('id')
      .where('cohort_id', '=', cohortId)
      .execute()
    expect(participations).toEqual([])
  })
})
