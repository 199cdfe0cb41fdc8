// Every route the app registers, given generated hostile input as someone who may use it: each
// field it reads (form fields, JSON properties, query parameters) hostile, missing or repeated,
// with hostile extra fields. No answer is a 5xx, a refusal says what is wrong and changes nothing,
// and each route is shown to have been reached (past sign-in and "not found") by that input. The
// first test names every route with no case here, so a new route cannot go untested.
import { demoWorkGroup, freshWorkGroup } from '../work-group-fixtures.ts'
import { allocationRouteFixtures, type AllocationRouteFixtures } from '../work-group-allocation-fixtures.ts'
import { journeyRouteFixtures, type JourneyRouteFixtures } from '../work-group-journey-fixtures.ts'
import { schoolRouteFixtures, type SchoolRouteFixtures } from '../work-group-school-route-fixtures.ts'
import { sessionRouteFixtures, type SessionRouteFixtures } from '../work-group-session-fixtures.ts'
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actorByEmail, roundAt, type RoundStage, type StagedRound } from '../decision-fixtures.ts'
import { hostileJson, hostileString } from '../hostile-arbitraries.ts'
import { hashSecret } from '../../src/domain/auth/tokens.ts'
import { resetCalendarFeed } from '../../src/domain/events/calendar/calendar-feed.ts'
import { DEMO_DEVELOPMENT_COHORT } from '../../src/domain/participants/participants.demo.ts'
import {
  contextOf,
  freshBooking,
  freshPastDate,
  freshResidential,
  freshSubmission,
  freshTask,
  participationOf,
} from '../event-fixtures.ts'
import { addRequirement } from '../../src/domain/participants/accreditation/manage-requirements.ts'
import { logReleaseTime } from '../../src/domain/participants/release-time/log-release-time.ts'
import { bookPlace } from '../../src/domain/events/bookings/book-place.ts'
import { scheduleEvent } from '../../src/domain/events/scheduling/schedule-event.ts'
import type { UseCaseContext } from '../../src/domain/use-case.ts'
import { makeParticipation } from '../participation-fixtures.ts'
import { cohortInputWith, ensureCohort } from '../cohort-factory.ts'
import type { PersonaName } from '../personas.ts'
import {
  api,
  askHeadteacher,
  countInputs,
  asyncProperty,
  completed,
  exchange,
  expectApi,
  expectPage,
  finishShare,
  freshVisitor,
  hostileForm,
  jsonBody,
  jsonObject,
  newTeacher,
  OPEN_COHORT,
  openHostileApp,
  page,
  personas,
  query,
  routesHit,
  started,
  t,
  type Method,
  type Person,
} from './harness.ts'

/** Generated inputs per route. */
const RUNS = 25
const TIMEOUT = 300_000
const HUB = 'northvale-maths-hub'
const SCHOOL = 990_001
const UPCOMING_COHORT = 'embedding-work-group-3'

interface RouteCase {
  /** As the app registers it: "POST /hubs/:id/team". */
  route: string
  /** Who sends it: a persona, a person made for the case, or a fresh visitor for each input. */
  as: PersonaName | 'fresh' | (() => Person)
  /** The concrete address, made once the fixtures exist. */
  path: () => string
  /** The fields the route reads: form fields, JSON properties, or query parameters for a GET. */
  fields: string[]
  /**
   * Fields that name a record the route must find before it reads the rest (else 404): some inputs
   * carry the real value, the other fields still hostile, so that hostile input reaches the route.
   */
  reach?: () => Record<string, string>
}

let people: Record<PersonaName, Person>
const fixtures = {} as {
  teacher: Person
  draft: number
  withdrawer: Person
  withdrawable: number
  apiTeacher: Person
  apiDraft: number
  apiWithdrawable: number
  applicant: Person
  endorseToken: string
  /** A submitted application whose headteacher is not verified, and a hub's link asking a headteacher to confirm it. */
  unverified: number
  confirmToken: string
  rounds: Record<'propose' | 'confirm' | 'reopen' | 'approve' | 'sendBack' | 'reserve', StagedRound>
  offered: Person
  offerRound: StagedRound
  reviewAssignment: number
  conflictAssignment: number
  takeAwayAssignment: number
  /** Cohorts of their own for changing and closing: by the pages, and through the API. */
  cohorts: Record<'edit' | 'close' | 'patch' | 'closeByApi', string>
  grace: number
  grantToRevoke: number
  grantToDelete: number
  tokenToRevoke: number
  toErase: Person
  toEraseByApi: Person
  /** A Northvale reviewer whose details the hub lead may change. */
  toEdit: number
  /** The development years' pages: the demo's second residential, and fresh ones to change. */
  pages: Record<'second' | 'confirm' | 'move' | 'cancel' | 'book', number>
  /** Sam Carter's places: on the second residential (to mark), and a fresh one to cancel. */
  samsPlace: number
  placeToCancel: number
  calendarToken: string
  /** Work Groups: a demo group to look at, and one to move on. */
  workGroups: Record<'demo' | 'toMove', number>
  /** Allocation: a scenario's programme and year, a pair to remove, plans to review, change and apply. */
  allocation: AllocationRouteFixtures
  /** A school's journey, the evaluation questionnaire and grants. */
  journey: JourneyRouteFixtures
  /** Work Group sessions: a group, a planned and a held session, an advocate. */
  sessions: SessionRouteFixtures
  /** Schools in Work Groups: a school contact's school and interest, a ready interest, a support link, interests to withdraw. */
  schools: SchoolRouteFixtures
  /** Release time, tasks and accreditation: Sam's and Leah's participations and fresh records. */
  dev: Record<'sam' | 'leah' | 'leahEntry' | 'task' | 'submission' | 'fileSubmission' | 'requirement', number>
  /**
   * The development years: Sam Carter (the specialist persona) in year 1 of a secondary cohort at
   * Northvale, booked on a hub session today; another participation whose stage is changed; and
   * sessions of their own to confirm, move, cancel and book, and a booking to cancel.
   */
  events: {
    cohortId: string
    participationId: number
    stageParticipation: number
    session: number
    toConfirm: number
    toMove: number
    toCancel: number
    toBook: number
    bookingToCancel: number
  }
}

let cohortNumber = 400

async function round(stage: RoundStage, applicant?: Person): Promise<StagedRound> {
  return roundAt(t.database.db, t.clock, stage, {
    number: cohortNumber++,
    applicant: applicant ? await actorByEmail(t.database.db, applicant.email) : undefined,
  })
}

async function personId(email: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.id
}

async function assignment(applicationId: number, reviewer: number): Promise<number> {
  const row = await t.database.db
    .insertInto('review_assignments')
    .values({ application_id: applicationId, reviewer_id: reviewer, assigned_at: t.clock.now() })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function reviewerGrant(): Promise<number> {
  const person = await t.database.db
    .insertInto('people')
    .values({ name: 'Rhea Reviewer', email: `reviewer-${randomUUID()}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const grant = await t.database.db
    .insertInto('grants')
    .values({ person_id: person.id, role: 'reviewer', hub_id: HUB })
    .returning('id')
    .executeTakeFirstOrThrow()
  return grant.id
}

/** A Northvale hub session today, 9am to 4pm (the clock reads 10am), made by the hub lead. */
async function hubSession(title: string): Promise<number> {
  const lead = await actorByEmail(t.database.db, 'priya.shah@northvale.mathshub.example')
  const event = await scheduleEvent(useCase(lead), {
    kind: 'hub-session',
    title,
    hubId: HUB,
    days: [{ startsAt: '2026-11-22T09:00:00Z', endsAt: '2026-11-22T16:00:00Z' }],
    venues: [{ name: 'Northvale Academy', address: 'School Lane, Northvale', capacity: 50 }],
  })
  return event.id
}

function useCase(actor: Awaited<ReturnType<typeof actorByEmail>>): UseCaseContext {
  return {
    db: t.database.db,
    actor,
    clock: t.clock,
    requestId: 'hostile-setup',
    baseUrl: 'http://localhost:3000',
  }
}

async function eventFixtures(): Promise<(typeof fixtures)['events']> {
  const db = t.database.db
  const cohortId = await ensureCohort(
    db,
    cohortInputWith({ programmeId: 'secondary-mastery-specialist', number: 95, residentials: [] }),
  )
  const sam = await actorByEmail(db, 'sam.carter@school.example')
  const { participationId } = await makeParticipation(db, {
    cohortId,
    hubId: HUB,
    personId: sam.kind === 'person' ? sam.personId : undefined,
  })
  const stageParticipation = (await makeParticipation(db, { cohortId, hubId: HUB })).participationId
  const session = await hubSession('Hub session: reasoning')
  await bookPlace(useCase(sam), session, { accessNeeds: 'A hearing loop' })
  const toCancelBooking = await hubSession('Hub session: to cancel a place')
  const { booking } = await bookPlace(useCase(sam), toCancelBooking, {})
  return {
    cohortId,
    participationId,
    stageParticipation,
    session,
    toConfirm: await hubSession('Hub session: to confirm'),
    toMove: await hubSession('Hub session: to move'),
    toCancel: await hubSession('Hub session: to cancel'),
    toBook: await hubSession('Hub session: to book'),
    bookingToCancel: booking.id,
  }
}

beforeAll(async () => {
  await openHostileApp()
  people = await personas()
  const f = fixtures
  f.teacher = await newTeacher()
  f.draft = await started(f.teacher)
  f.withdrawer = await newTeacher()
  f.withdrawable = await started(f.withdrawer)
  f.apiTeacher = await newTeacher()
  f.apiDraft = await started(f.apiTeacher)
  f.apiWithdrawable = await started(await newTeacher())
  f.applicant = await newTeacher()
  const toEndorse = await newTeacher()
  f.endorseToken = await askHeadteacher(toEndorse, await completed(toEndorse))
  for (const p of [f.teacher, f.withdrawer, f.apiTeacher, f.applicant, toEndorse]) {
    p.email = (await t.database.db
      .selectFrom('people')
      .select('email')
      .where('id', '=', p.personId!)
      .executeTakeFirstOrThrow())!.email
  }
  f.rounds = {
    propose: await round('reviewing'),
    confirm: await round('reviewing'),
    reopen: await round('confirmed'),
    approve: await round('confirmed'),
    sendBack: await round('approved'),
    reserve: await round('place-free'),
  }
  f.unverified = f.rounds.propose.reserve.id
  await t.database.db
    .updateTable('applications')
    .set({ headteacher_verification: null, headteacher_verified_at: null })
    .where('id', '=', f.unverified)
    .execute()
  f.confirmToken = randomUUID().replace(/-/g, '')
  await t.database.db
    .insertInto('headteacher_confirmations')
    .values({
      application_id: f.unverified,
      token_hash: hashSecret(f.confirmToken),
      headteacher_name: 'Kim Kingsmead',
      headteacher_email: 'kim@kingsmead-primary.example',
      asked_by: await personId('priya.shah@northvale.mathshub.example'),
      asked_at: t.clock.now(),
      expires_at: new Date(t.clock.now().getTime() + 14 * 86_400_000),
    })
    .execute()
  f.offered = await newTeacher()
  f.offered.email = (await t.database.db
    .selectFrom('people')
    .select('email')
    .where('id', '=', f.offered.personId!)
    .executeTakeFirstOrThrow())!.email
  f.offerRound = await round('released', f.offered)
  f.grace = await personId('grace.lee@northvale.mathshub.example')
  f.reviewAssignment = await assignment(f.rounds.propose.selected.id, f.grace)
  f.conflictAssignment = await assignment(f.rounds.propose.reserve.id, f.grace)
  f.takeAwayAssignment = await assignment(f.rounds.confirm.selected.id, f.grace)
  const openCohort = (number: number) =>
    ensureCohort(
      t.database.db,
      cohortInputWith({
        programmeId: 'secondary-mastery-specialist',
        number,
        opensAt: { day: 1, month: 11, year: 2026, hour: 9, minute: 0 },
        closesAt: { day: 21, month: 1, year: 2027, hour: 17, minute: 0 },
        decisionsReleasedOn: { day: 21, month: 4, year: 2027 },
        residentials: [],
      }),
    )
  f.cohorts = {
    edit: await openCohort(81),
    close: await openCohort(82),
    patch: await openCohort(83),
    closeByApi: await openCohort(84),
  }
  f.toErase = await newTeacher()
  f.toEraseByApi = await newTeacher()
  f.grantToRevoke = await reviewerGrant()
  f.grantToDelete = await reviewerGrant()
  f.toEdit = (
    await t.database.db
      .selectFrom('grants')
      .select('person_id')
      .where('id', '=', await reviewerGrant())
      .executeTakeFirstOrThrow()
  ).person_id
  const priya = await personId('priya.shah@northvale.mathshub.example')
  const priyasGrant = await t.database.db
    .selectFrom('grants')
    .select('id')
    .where('person_id', '=', priya)
    .executeTakeFirstOrThrow()
  f.tokenToRevoke = (
    await t.database.db
      .insertInto('api_tokens')
      .values({
        person_id: priya,
        name: 'to revoke',
        token_hash: randomUUID(),
        token_prefix: 'mh_revoke',
        grant_id: priyasGrant.id,
        created_at: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  const second = await t.database.db
    .selectFrom('events')
    .select('id')
    .where('cohort_id', '=', DEMO_DEVELOPMENT_COHORT)
    .where('title', '=', 'Second residential')
    .executeTakeFirstOrThrow()
  f.pages = {
    second: Number(second.id),
    confirm: await freshResidential(t),
    move: await freshResidential(t),
    cancel: await freshResidential(t),
    book: await freshResidential(t, 2),
  }
  f.samsPlace = Number(
    (
      await t.database.db
        .selectFrom('bookings')
        .innerJoin('participations', 'participations.id', 'bookings.participation_id')
        .innerJoin('people', 'people.id', 'participations.person_id')
        .select('bookings.id')
        .where('bookings.event_id', '=', f.pages.second)
        .where('people.email', '=', 'sam.carter@school.example')
        .executeTakeFirstOrThrow()
    ).id,
  )
  f.placeToCancel = await freshBooking(t, await freshResidential(t))
  f.calendarToken = (await resetCalendarFeed(await contextOf(t, 'leah.patel@school.example'))).token
  const leah = await participationOf(t, 'leah.patel@school.example')
  const priyaAtHub = await contextOf(t, 'priya.shah@northvale.mathshub.example')
  f.dev = {
    sam: await participationOf(t, 'sam.carter@school.example'),
    leah,
    leahEntry: (
      await logReleaseTime(priyaAtHub, leah, {
        on: await freshPastDate(t),
        half: 'morning',
        activity: 'hub-work',
      })
    ).entryIds[0]!,
    task: await freshTask(t),
    submission: await freshSubmission(t),
    fileSubmission: await freshSubmission(t, 'file'),
    requirement: (
      await addRequirement(await contextOf(t, 'nadia.khan@ncetm.example'), { title: 'Hostile requirement' })
    ).id,
  }
  await t.database.db
    .insertInto('hub_areas')
    .values({ la_code: '958', la_name: 'Farthingdale', hub_id: HUB, import_id: null })
    .onConflict((oc) => oc.column('la_code').doUpdateSet({ hub_id: HUB }))
    .execute()
  f.events = await eventFixtures()
  f.workGroups = { demo: await demoWorkGroup(t), toMove: await freshWorkGroup(t) }
  f.allocation = await allocationRouteFixtures(t)
  f.journey = await journeyRouteFixtures(t)
  f.sessions = await sessionRouteFixtures(t)
  f.schools = await schoolRouteFixtures(t)
}, TIMEOUT)

afterAll(async () => {
  await t?.close()
  await finishShare('every-route')
})

const f = fixtures
const selection = (r: StagedRound) => `/hubs/${HUB}/cohorts/${r.cohortId}/selection`
const moderation = (r: StagedRound) => `/admin/cohorts/${r.cohortId}/selection/${HUB}`
const reviewers = (r: StagedRound) => `/hubs/${HUB}/cohorts/${r.cohortId}/reviewers`
const AUDIT_QUERY = ['person', 'recordType', 'recordId', 'from', 'to']
/** The event form's fields: a day's start and end, and a venue. */
const EVENT_FORM_FIELDS = [
  ...['startsAt', 'endsAt'].flatMap((at) =>
    ['day', 'month', 'year', 'hour', 'minute'].map((part) => `days.0.${at}.${part}`),
  ),
  'venues.0.name',
  'venues.0.address',
  'venues.0.capacity',
]
const APPLICATION_FLAGS = ['existing', 'submitted', 'withdrawn', 'asked']

const get = (
  route: string,
  as: RouteCase['as'],
  path: () => string = () => route,
  fields: string[] = [],
) => ({
  route: `GET ${route}`,
  as,
  path,
  fields,
})
const post = (route: string, as: RouteCase['as'], path: () => string, fields: string[] = []) => ({
  route: `POST ${route}`,
  as,
  path,
  fields,
})

const CASES: RouteCase[] = [
  // The register, public pages and the public API
  get('/', 'anonymous'),
  get('/healthz', 'anonymous'),
  get('/accessibility', 'anonymous'),
  get('/privacy', 'anonymous'),
  get('/cookies', 'anonymous'),
  get('/find-your-hub', 'anonymous', () => '/find-your-hub', ['q']),
  get('/hubs', 'anonymous'),
  get('/hubs/:id', 'anonymous', () => `/hubs/${HUB}`),
  get('/schools', 'anonymous', () => '/schools', ['q', 'phase', 'la', 'hub', 'page']),
  get('/schools/:urn', 'anonymous', () => `/schools/${SCHOOL}`),
  get('/schools/:urn/applications', 'headteacher', () => `/schools/${SCHOOL}/applications`),
  get('/programmes', 'anonymous'),
  get('/programmes/:id', 'anonymous', () => '/programmes/primary-mastery-specialist'),
  get('/cohorts/:id', 'anonymous', () => `/cohorts/${OPEN_COHORT}`, ['interest']),
  get('/demo/emails', 'anonymous'),
  get('/api/v1/openapi.json', 'anonymous'),
  get('/api-documentation', 'anonymous'),
  get('/api/v1/schools', 'anonymous', () => '/api/v1/schools', [
    'q',
    'phase',
    'la',
    'hub',
    'page',
    'pageSize',
  ]),
  get('/api/v1/schools/:urn', 'anonymous', () => `/api/v1/schools/${SCHOOL}`),
  get('/api/v1/hubs', 'anonymous'),
  get('/api/v1/hubs/:id', 'anonymous', () => `/api/v1/hubs/${HUB}`),
  get('/api/v1/find-hub', 'anonymous', () => '/api/v1/find-hub', ['q']),
  get('/api/v1/programmes', 'anonymous'),
  get('/api/v1/programmes/:id', 'anonymous', () => '/api/v1/programmes/primary-mastery-specialist'),
  get('/api/v1/cohorts/:id', 'anonymous', () => `/api/v1/cohorts/${OPEN_COHORT}`),
  get('/api/v1/eligibility', 'anonymous', () => '/api/v1/eligibility', ['urn', 'programme']),
  // Signing in
  get('/sign-in', 'anonymous'),
  post('/sign-in', 'anonymous', () => '/sign-in', ['email']),
  get('/create-account', 'anonymous'),
  post('/create-account', 'anonymous', () => '/create-account', ['name', 'email']),
  get('/sign-in/check-your-email', 'anonymous'),
  get('/sign-in/link/:token', 'anonymous', () => '/sign-in/link/abcdefghijklmnopqrstuvwxyz'),
  post('/sign-in/link/:token', 'fresh', () => '/sign-in/link/abcdefghijklmnopqrstuvwxyz'),
  post('/sign-out', 'fresh', () => '/sign-out'),
  get('/demo/personas', 'anonymous'),
  post('/demo/personas/:personId', 'fresh', () => `/demo/personas/${people.teacher.personId}`),
  // Accounts, people, roles and hubs
  get('/account', 'teacher'),
  get('/account/api-tokens', 'hubLead'),
  post('/account/api-tokens', 'hubLead', () => '/account/api-tokens', ['name', 'grantId']),
  post('/account/api-tokens/:id/revoke', 'hubLead', () => `/account/api-tokens/${f.tokenToRevoke}/revoke`),
  get('/hubs/:id/team', 'hubLead', () => `/hubs/${HUB}/team`),
  post('/hubs/:id/team', 'hubLead', () => `/hubs/${HUB}/team`, ['email', 'name', 'role', 'workplaceUrn']),
  post('/grants/:id/revoke', 'nationalAdmin', () => `/grants/${f.grantToRevoke}/revoke`, ['next']),
  get('/admin/people', 'nationalAdmin', () => '/admin/people', ['q']),
  get('/admin/people/new', 'nationalAdmin'),
  post('/admin/people/new', 'nationalAdmin', () => '/admin/people/new', [
    'email',
    'name',
    'role',
    'hubId',
    'schoolUrn',
    'cohortId',
    'workplaceUrn',
  ]),
  get('/people/:id', 'nationalAdmin', () => `/people/${f.grace}`),
  post('/people/:id/grants', 'nationalAdmin', () => `/people/${f.grace}/grants`, [
    'role',
    'hubId',
    'schoolUrn',
    'cohortId',
    'workplaceUrn',
  ]),
  get('/people/:id/edit', 'hubLead', () => `/people/${f.toEdit}/edit`),
  post('/people/:id/edit', 'hubLead', () => `/people/${f.toEdit}/edit`, ['name', 'workplaceUrn', 'trn']),
  get('/schools/:urn/people', 'headteacher', () => `/schools/${SCHOOL}/people`),
  get('/admin/hubs/:id', 'nationalAdmin', () => `/admin/hubs/${HUB}`),
  post('/admin/hubs/:id', 'nationalAdmin', () => `/admin/hubs/${HUB}`, [
    'name',
    'contactEmail',
    'contactPhone',
    'website',
  ]),
  post('/admin/hubs/:id/areas', 'nationalAdmin', () => `/admin/hubs/${HUB}/areas`, ['laCode']),
  post('/admin/hubs/:id/areas/:laCode/remove', 'nationalAdmin', () => `/admin/hubs/${HUB}/areas/958/remove`),
  get('/admin/audit', 'nationalAdmin', () => '/admin/audit', AUDIT_QUERY),
  // Data protection: subject access and erasure
  get('/account/personal-data', 'teacher'),
  get('/people/:id/personal-data', 'nationalAdmin', () => `/people/${f.grace}/personal-data`),
  get('/people/:id/erase', 'nationalAdmin', () => `/people/${f.toErase.personId}/erase`),
  post('/people/:id/erase', 'nationalAdmin', () => `/people/${f.toErase.personId}/erase`, ['confirm']),
  get('/api/v1/people/:id/subject-access', 'nationalAdmin', () => `/api/v1/people/${f.grace}/subject-access`),
  {
    route: 'POST /api/v1/people/:id/erasure',
    as: 'nationalAdmin',
    path: () => `/api/v1/people/${f.toEraseByApi.personId}/erasure`,
    fields: ['confirm'],
  },
  get('/api/v1/me', 'teacher'),
  get('/api/v1/hubs/:id/team', 'hubLead', () => `/api/v1/hubs/${HUB}/team`),
  {
    route: 'POST /api/v1/hubs/:id/team',
    as: 'hubLead',
    path: () => `/api/v1/hubs/${HUB}/team`,
    fields: ['email', 'name', 'role', 'workplaceUrn'],
  },
  {
    route: 'DELETE /api/v1/grants/:id',
    as: 'hubLead',
    path: () => `/api/v1/grants/${f.grantToDelete}`,
    fields: [],
  },
  get('/api/v1/people/:id', 'hubLead', () => `/api/v1/people/${f.grace}`),
  {
    route: 'PATCH /api/v1/people/:id',
    as: 'hubLead',
    path: () => `/api/v1/people/${f.toEdit}`,
    fields: ['name', 'workplaceUrn', 'trn', 'email'],
  },
  get('/api/v1/schools/:urn/people', 'headteacher', () => `/api/v1/schools/${SCHOOL}/people`),
  get('/api/v1/audit', 'nationalAdmin', () => '/api/v1/audit', AUDIT_QUERY),
  // Programmes and the application round
  post('/cohorts/:id/interest', 'anonymous', () => `/cohorts/${UPCOMING_COHORT}/interest`, ['email']),
  get('/cohort-interest/:token', 'anonymous', () => '/cohort-interest/abcdefghijklmnopqrstuvwxyz'),
  post('/cohort-interest/:token', 'fresh', () => '/cohort-interest/abcdefghijklmnopqrstuvwxyz'),
  post(
    '/cohorts/:id/apply',
    () => f.applicant,
    () => `/cohorts/${OPEN_COHORT}/apply`,
  ),
  {
    route: 'POST /api/v1/cohorts',
    as: 'nationalAdmin',
    path: () => '/api/v1/cohorts',
    fields: [
      'programmeId',
      'number',
      'developmentYear',
      'opensAt',
      'closesAt',
      'decisionsReleasedOn',
      'funding',
    ],
  },
  {
    route: 'PATCH /api/v1/cohorts/:id',
    as: 'nationalAdmin',
    path: () => `/api/v1/cohorts/${f.cohorts.patch}`,
    fields: ['developmentYear', 'opensAt', 'closesAt', 'essentialCriteria', 'residentials', 'funding'],
  },
  post('/api/v1/cohorts/:id/close', 'nationalAdmin', () => `/api/v1/cohorts/${f.cohorts.closeByApi}/close`),
  get(
    '/programmes/:id/cohorts/new',
    'nationalAdmin',
    () => '/programmes/primary-mastery-specialist/cohorts/new',
  ),
  post('/programmes/:id/cohorts', 'nationalAdmin', () => '/programmes/primary-mastery-specialist/cohorts', [
    'number',
    'developmentYear',
    'opensAt.day',
    'closesAt.hour',
    'decisionsReleasedOn.year',
    'essentialCriteria.0.id',
    'essentialCriteria.1.wordLimit',
    'residentials.0.startsOn.day',
    'funding.dayRate',
    'add',
  ]),
  get('/cohorts/:id/edit', 'nationalAdmin', () => `/cohorts/${f.cohorts.edit}/edit`),
  post('/cohorts/:id/edit', 'nationalAdmin', () => `/cohorts/${f.cohorts.edit}/edit`, [
    'developmentYear',
    'opensAt.minute',
    'closesAt.day',
    'essentialCriteria.0.text',
    'desirableCriteria.3.evidence',
    'headteacherCommitments.0',
    'residentials.1.name',
    'residentials.0.subjectToConfirmation',
    'funding.releaseDaysPerYear',
    'funding.bursary',
    'add',
  ]),
  get('/cohorts/:id/close', 'nationalAdmin', () => `/cohorts/${f.cohorts.close}/close`),
  post('/cohorts/:id/close', 'nationalAdmin', () => `/cohorts/${f.cohorts.close}/close`),
  get('/applications', () => f.teacher),
  get(
    '/applications/:id',
    () => f.teacher,
    () => `/applications/${f.draft}`,
    APPLICATION_FLAGS,
  ),
  get(
    '/applications/:id/school',
    () => f.teacher,
    () => `/applications/${f.draft}/school`,
    ['q'],
  ),
  post(
    '/applications/:id/school',
    () => f.teacher,
    () => `/applications/${f.draft}/school`,
    ['urn', 'q'],
  ),
  get(
    '/applications/:id/teaching',
    () => f.teacher,
    () => `/applications/${f.draft}/teaching`,
  ),
  post(
    '/applications/:id/teaching',
    () => f.teacher,
    () => `/applications/${f.draft}/teaching`,
    ['hasQts', 'trn', 'yearsTeachingMaths', 'currentRole', 'classesTaught'],
  ),
  get(
    '/applications/:id/evidence',
    () => f.teacher,
    () => `/applications/${f.draft}/evidence`,
  ),
  post(
    '/applications/:id/evidence',
    () => f.teacher,
    () => `/applications/${f.draft}/evidence`,
    ['evidence-teaches-maths', 'evidence-enthusiasm', 'evidence-subject-leader'],
  ),
  get(
    '/applications/:id/headteacher',
    () => f.teacher,
    () => `/applications/${f.draft}/headteacher`,
  ),
  post(
    '/applications/:id/headteacher',
    () => f.teacher,
    () => `/applications/${f.draft}/headteacher`,
    ['name', 'email'],
  ),
  get(
    '/applications/:id/check',
    () => f.teacher,
    () => `/applications/${f.draft}/check`,
  ),
  post(
    '/applications/:id/submit',
    () => f.teacher,
    () => `/applications/${f.draft}/submit`,
    ['idempotencyKey'],
  ),
  get(
    '/applications/:id/withdraw',
    () => f.teacher,
    () => `/applications/${f.draft}/withdraw`,
  ),
  post(
    '/applications/:id/withdraw',
    () => f.withdrawer,
    () => `/applications/${f.withdrawable}/withdraw`,
  ),
  post(
    '/applications/:id/headteacher-verification',
    'hubLead',
    () => `/applications/${f.rounds.propose.selected.id}/headteacher-verification`,
  ),
  get('/applications/:id/ask-headteacher', 'hubLead', () => `/applications/${f.unverified}/ask-headteacher`),
  post(
    '/applications/:id/ask-headteacher',
    'hubLead',
    () => `/applications/${f.unverified}/ask-headteacher`,
    ['name', 'email'],
  ),
  get('/confirm-headteacher/:token', 'anonymous', () => `/confirm-headteacher/${f.confirmToken}`),
  post('/confirm-headteacher/:token', 'anonymous', () => `/confirm-headteacher/${f.confirmToken}`, [
    'answer',
  ]),
  get('/endorse/:token', 'anonymous', () => `/endorse/${f.endorseToken}`),
  post('/endorse/:token', 'anonymous', () => `/endorse/${f.endorseToken}`, ['decision', 'reason']),
  get('/hubs/:id/applications', 'hubLead', () => `/hubs/${HUB}/applications`, ['cohort', 'state']),
  get('/admin/applications', 'nationalAdmin', () => '/admin/applications', ['cohort', 'state']),
  get('/admin/routing', 'nationalAdmin', () => '/admin/routing', ['routed']),
  post('/admin/routing/:id', 'nationalAdmin', () => `/admin/routing/${f.rounds.propose.selected.id}`, [
    'hubId',
  ]),
  get('/api/v1/routing-queue', 'nationalAdmin'),
  {
    route: 'POST /api/v1/applications/:id/hub',
    as: 'nationalAdmin',
    path: () => `/api/v1/applications/${f.rounds.propose.selected.id}/hub`,
    fields: ['hubId'],
  },
  get(
    '/api/v1/applications',
    () => f.apiTeacher,
    () => '/api/v1/applications',
    ['cohort', 'hub', 'state'],
  ),
  {
    route: 'POST /api/v1/applications',
    as: () => f.applicant,
    path: () => '/api/v1/applications',
    fields: ['cohortId'],
  },
  get(
    '/api/v1/applications/:id',
    () => f.apiTeacher,
    () => `/api/v1/applications/${f.apiDraft}`,
  ),
  {
    route: 'PATCH /api/v1/applications/:id',
    as: () => f.apiTeacher,
    path: () => `/api/v1/applications/${f.apiDraft}`,
    fields: ['school', 'teaching', 'evidence'],
  },
  {
    route: 'POST /api/v1/applications/:id/headteacher',
    as: () => f.apiTeacher,
    path: () => `/api/v1/applications/${f.apiDraft}/headteacher`,
    fields: ['name', 'email'],
  },
  {
    route: 'POST /api/v1/applications/:id/submit',
    as: () => f.apiTeacher,
    path: () => `/api/v1/applications/${f.apiDraft}/submit`,
    fields: [],
  },
  {
    route: 'POST /api/v1/applications/:id/withdraw',
    as: () => f.apiTeacher,
    path: () => `/api/v1/applications/${f.apiWithdrawable}/withdraw`,
    fields: [],
  },
  // Selection: decisions and offers
  get('/selection', 'hubLead'),
  get('/hubs/:id/cohorts/:cohortId/selection', 'hubLead', () => selection(f.rounds.propose), [
    'saved',
    'confirmed',
    'reopened',
    'offered',
  ]),
  post(
    '/hubs/:id/cohorts/:cohortId/selection/confirm',
    'hubLead',
    () => `${selection(f.rounds.confirm)}/confirm`,
  ),
  post(
    '/hubs/:id/cohorts/:cohortId/selection/reopen',
    'hubLead',
    () => `${selection(f.rounds.reopen)}/reopen`,
  ),
  post(
    '/hubs/:id/cohorts/:cohortId/selection/offer-to-reserve',
    'hubLead',
    () => `${selection(f.rounds.reserve)}/offer-to-reserve`,
    ['applicationId'],
  ),
  get(
    '/hubs/:id/cohorts/:cohortId/selection/applications/:applicationId',
    'hubLead',
    () => `${selection(f.rounds.propose)}/applications/${f.rounds.propose.reserve.id}`,
  ),
  post(
    '/hubs/:id/cohorts/:cohortId/selection/applications/:applicationId',
    'hubLead',
    () => `${selection(f.rounds.propose)}/applications/${f.rounds.propose.reserve.id}`,
    ['decision', 'reasonCode', 'feedback', 'shareFeedback', 'reserveRank'],
  ),
  get(
    '/admin/cohorts/:cohortId/selection',
    'nationalAdmin',
    () => `/admin/cohorts/${f.rounds.approve.cohortId}/selection`,
    ['places', 'approved', 'sent-back'],
  ),
  post(
    '/admin/cohorts/:cohortId/selection/:hubId/places',
    'nationalAdmin',
    () => `${moderation(f.rounds.propose)}/places`,
    ['places'],
  ),
  post(
    '/admin/cohorts/:cohortId/selection/:hubId/approve',
    'nationalAdmin',
    () => `${moderation(f.rounds.approve)}/approve`,
  ),
  get(
    '/admin/cohorts/:cohortId/selection/:hubId/send-back',
    'nationalAdmin',
    () => `${moderation(f.rounds.sendBack)}/send-back`,
  ),
  post(
    '/admin/cohorts/:cohortId/selection/:hubId/send-back',
    'nationalAdmin',
    () => `${moderation(f.rounds.sendBack)}/send-back`,
    ['reason'],
  ),
  get(
    '/applications/:id/offer',
    () => f.offered,
    () => `/applications/${f.offerRound.selected.id}/offer`,
  ),
  post(
    '/applications/:id/offer',
    () => f.offered,
    () => `/applications/${f.offerRound.selected.id}/offer`,
    ['decision', 'reason'],
  ),
  get('/places/:token', 'anonymous', () => `/places/${f.offerRound.placeToken}`),
  post('/places/:token', 'anonymous', () => `/places/${f.offerRound.placeToken}`, ['decision', 'reason']),
  get(
    '/api/v1/hubs/:id/cohorts/:cohortId/ranking',
    'hubLead',
    () => `/api/v1/hubs/${HUB}/cohorts/${f.rounds.propose.cohortId}/ranking`,
  ),
  get(
    '/api/v1/hubs/:id/cohorts/:cohortId/reviewers-behind',
    'hubLead',
    () => `/api/v1/hubs/${HUB}/cohorts/${f.rounds.propose.cohortId}/reviewers-behind`,
  ),
  get(
    '/api/v1/applications/:id/reviews',
    'hubLead',
    () => `/api/v1/applications/${f.rounds.propose.selected.id}/reviews`,
  ),
  get('/api/v1/reviews/:id', 'reviewer', () => `/api/v1/reviews/${f.reviewAssignment}`),
  get(
    '/api/v1/applications/:id/decision',
    'hubLead',
    () => `/api/v1/applications/${f.rounds.propose.selected.id}/decision`,
  ),
  get(
    '/api/v1/cohorts/:cohortId/selection',
    'nationalAdmin',
    () => `/api/v1/cohorts/${f.rounds.propose.cohortId}/selection`,
  ),
  // The development years: participations, events, bookings and attendance
  get('/api/v1/me/participations', 'specialist'),
  get('/api/v1/participations', 'hubLead', () => '/api/v1/participations', ['cohort', 'hub']),
  get('/api/v1/participations/:id', 'specialist', () => `/api/v1/participations/${f.events.participationId}`),
  post(
    '/api/v1/participations/:id/stage-changes',
    'hubLead',
    () => `/api/v1/participations/${f.events.stageParticipation}/stage-changes`,
    ['change', 'on', 'reason', 'cohortId'],
  ),
  get('/api/v1/cohorts/:id/events', 'nationalAdmin', () => `/api/v1/cohorts/${f.events.cohortId}/events`),
  get('/api/v1/hubs/:id/events', 'hubLead', () => `/api/v1/hubs/${HUB}/events`),
  get('/api/v1/me/events', 'specialist'),
  post('/api/v1/events', 'hubLead', () => '/api/v1/events', [
    'kind',
    'title',
    'cohortId',
    'hubId',
    'participationId',
    'halfDays',
    'days',
    'venues',
  ]),
  get('/api/v1/events/:id', 'specialist', () => `/api/v1/events/${f.events.session}`),
  post('/api/v1/events/:id/confirm', 'hubLead', () => `/api/v1/events/${f.events.toConfirm}/confirm`),
  post('/api/v1/events/:id/move', 'hubLead', () => `/api/v1/events/${f.events.toMove}/move`, [
    'days',
    'venues',
  ]),
  post('/api/v1/events/:id/cancel', 'hubLead', () => `/api/v1/events/${f.events.toCancel}/cancel`, [
    'reason',
  ]),
  post('/api/v1/events/:id/bookings', 'specialist', () => `/api/v1/events/${f.events.toBook}/bookings`, [
    'venueId',
    'accessNeeds',
    'dietaryNeeds',
  ]),
  get('/api/v1/events/:id/bookings', 'hubLead', () => `/api/v1/events/${f.events.session}/bookings`),
  post(
    '/api/v1/bookings/:id/cancel',
    'specialist',
    () => `/api/v1/bookings/${f.events.bookingToCancel}/cancel`,
  ),
  get('/api/v1/events/:id/attendance', 'hubLead', () => `/api/v1/events/${f.events.session}/attendance`),
  post('/api/v1/events/:id/attendance', 'hubLead', () => `/api/v1/events/${f.events.session}/attendance`, [
    'marks',
  ]),
  post(
    '/api/v1/events/:id/attendance/import',
    'hubLead',
    () => `/api/v1/events/${f.events.session}/attendance/import`,
    ['file'],
  ),
  post(
    '/api/v1/events/:id/days/:day/code',
    'hubLead',
    () => `/api/v1/events/${f.events.session}/days/1/code`,
  ),
  post(
    '/api/v1/events/:id/attendance-code',
    'specialist',
    () => `/api/v1/events/${f.events.session}/attendance-code`,
    ['code'],
  ),
  // Reviews
  get('/reviews', 'reviewer', () => '/reviews', ['conflict']),
  get('/reviews/:id', 'reviewer', () => `/reviews/${f.reviewAssignment}`, ['saved']),
  post('/reviews/:id', 'reviewer', () => `/reviews/${f.reviewAssignment}`, [
    'action',
    'essential-teaches-maths',
    'essential-teaches-maths-note',
    'desirable-subject-leader',
    'desirable-subject-leader-note',
    'strategicScore',
    'strategicNote',
  ]),
  post('/reviews/:id/conflict', 'reviewer', () => `/reviews/${f.conflictAssignment}/conflict`, ['reason']),
  get('/hubs/:id/cohorts/:cohortId/reviewers', 'hubLead', () => reviewers(f.rounds.propose), [
    'done',
    'count',
  ]),
  post(
    '/hubs/:id/cohorts/:cohortId/reviewers/settings',
    'hubLead',
    () => `${reviewers(f.rounds.propose)}/settings`,
    [
      'blindReview',
      'reviewsPerApplication',
      'priorities',
      'leadsReview',
      'reviewDeadline-day',
      'reviewDeadline-month',
      'reviewDeadline-year',
    ],
  ),
  post(
    '/hubs/:id/cohorts/:cohortId/reviewers/assign',
    'hubLead',
    () => `${reviewers(f.rounds.propose)}/assign`,
    ['applicationId', 'reviewerId'],
  ),
  post(
    '/hubs/:id/cohorts/:cohortId/reviewers/assign-automatically',
    'hubLead',
    () => `${reviewers(f.rounds.propose)}/assign-automatically`,
  ),
  {
    ...post(
      '/hubs/:id/cohorts/:cohortId/reviewers/take-away',
      'hubLead',
      () => `${reviewers(f.rounds.confirm)}/take-away`,
      ['assignmentId'],
    ),
    reach: () => ({ assignmentId: String(f.takeAwayAssignment) }),
  },
  // The development years' pages: events, bookings, attendance, the specialist's programme and calendar
  get('/cohorts/:id/events', 'nationalAdmin', () => `/cohorts/${DEMO_DEVELOPMENT_COHORT}/events`, ['saved']),
  get('/hubs/:id/events', 'hubLead', () => `/hubs/${HUB}/events`, ['saved']),
  {
    ...get('/events/new', 'nationalAdmin', () => '/events/new', ['cohort', 'hub']),
    reach: () => ({ cohort: DEMO_DEVELOPMENT_COHORT }),
  },
  {
    ...post('/events', 'nationalAdmin', () => '/events', [...EVENT_FORM_FIELDS, 'cohortId', 'kind', 'title']),
    reach: () => ({ cohortId: DEMO_DEVELOPMENT_COHORT }),
  },
  get('/events/:id', 'specialist', () => `/events/${f.pages.second}`, ['saved']),
  post('/events/:id/confirm', 'nationalAdmin', () => `/events/${f.pages.confirm}/confirm`),
  get('/events/:id/move', 'nationalAdmin', () => `/events/${f.pages.move}/move`),
  post('/events/:id/move', 'nationalAdmin', () => `/events/${f.pages.move}/move`, EVENT_FORM_FIELDS),
  get('/events/:id/cancel', 'nationalAdmin', () => `/events/${f.pages.cancel}/cancel`),
  post('/events/:id/cancel', 'nationalAdmin', () => `/events/${f.pages.cancel}/cancel`, ['reason']),
  get('/events/:id/book', 'specialist', () => `/events/${f.pages.book}/book`),
  post('/events/:id/book', 'specialist', () => `/events/${f.pages.book}/book`, [
    'venueId',
    'accessNeeds',
    'dietaryNeeds',
  ]),
  post('/bookings/:id/cancel', 'specialist', () => `/bookings/${f.placeToCancel}/cancel`),
  get('/events/:id/attendance', 'nationalAdmin', () => `/events/${f.pages.second}/attendance`, ['day']),
  {
    ...post('/events/:id/attendance', 'nationalAdmin', () => `/events/${f.pages.second}/attendance`, [
      'dayNumber',
      'marks.0.bookingId',
      'marks.0.status',
      'marks.0.absenceReason',
    ]),
    reach: () => ({ dayNumber: '1', 'marks.0.bookingId': String(f.samsPlace) }),
  },
  get('/events/:id/attendance/upload', 'nationalAdmin', () => `/events/${f.pages.second}/attendance/upload`),
  post(
    '/events/:id/attendance/upload',
    'nationalAdmin',
    () => `/events/${f.pages.second}/attendance/upload`,
    ['file'],
  ),
  get(
    '/events/:id/attendance/template.csv',
    'nationalAdmin',
    () => `/events/${f.pages.second}/attendance/template.csv`,
  ),
  post('/events/:id/days/:day/code', 'nationalAdmin', () => `/events/${f.pages.second}/days/1/code`),
  post('/events/:id/attendance-code', 'specialist', () => `/events/${f.pages.second}/attendance-code`, [
    'code',
  ]),
  get('/my-programme', 'specialist'),
  get('/my-programme/calendar', 'specialist'),
  post('/my-programme/calendar', 'specialist', () => '/my-programme/calendar'),
  get('/calendar/:file', 'anonymous', () => `/calendar/${f.calendarToken}.ics`),
  // The API of release time and tasks
  get(
    '/api/v1/participations/:id/release-time',
    'specialist',
    () => `/api/v1/participations/${f.dev.sam}/release-time`,
  ),
  post(
    '/api/v1/participations/:id/release-time',
    'specialist',
    () => `/api/v1/participations/${f.dev.sam}/release-time`,
    ['on', 'half', 'activity', 'note'],
  ),
  post(
    '/api/v1/participations/:id/release-time/:entryId/reverse',
    'hubLead',
    () => `/api/v1/participations/${f.dev.leah}/release-time/${f.dev.leahEntry}/reverse`,
    ['reason'],
  ),
  post(
    '/api/v1/participations/:id/release-time/extra-days',
    'hubLead',
    () => `/api/v1/participations/${f.dev.leah}/release-time/extra-days`,
    ['year', 'days', 'reason'],
  ),
  get('/api/v1/participations/:id/tasks', 'hubLead', () => `/api/v1/participations/${f.dev.sam}/tasks`),
  post(
    '/api/v1/participations/:id/tasks/:taskId/submissions',
    'specialist',
    () => `/api/v1/participations/${f.dev.sam}/tasks/${f.dev.task}/submissions`,
    ['kind', 'text', 'url', 'file'],
  ),
  post('/api/v1/submissions/:id/review', 'hubLead', () => `/api/v1/submissions/${f.dev.submission}/review`, [
    'decision',
    'feedback',
  ]),
  post(
    '/api/v1/cohorts/:id/tasks',
    'nationalAdmin',
    () => `/api/v1/cohorts/${DEMO_DEVELOPMENT_COHORT}/tasks`,
    ['title', 'description', 'dueOn', 'forYear'],
  ),
  // Release time, the roster, the participation page, tasks and accreditation
  get('/participations/:id', 'hubLead', () => `/participations/${f.dev.sam}`, ['saved']),
  get('/participations/:id/release-time', 'specialist', () => `/participations/${f.dev.sam}/release-time`, [
    'saved',
  ]),
  post('/participations/:id/release-time', 'specialist', () => `/participations/${f.dev.sam}/release-time`, [
    'on.day',
    'on.month',
    'on.year',
    'half',
    'activity',
    'note',
  ]),
  get(
    '/participations/:id/release-time/:entryId/reverse',
    'hubLead',
    () => `/participations/${f.dev.leah}/release-time/${f.dev.leahEntry}/reverse`,
  ),
  post(
    '/participations/:id/release-time/:entryId/reverse',
    'hubLead',
    () => `/participations/${f.dev.leah}/release-time/${f.dev.leahEntry}/reverse`,
    ['reason'],
  ),
  get(
    '/participations/:id/release-time/extra-days',
    'hubLead',
    () => `/participations/${f.dev.leah}/release-time/extra-days`,
  ),
  post(
    '/participations/:id/release-time/extra-days',
    'hubLead',
    () => `/participations/${f.dev.leah}/release-time/extra-days`,
    ['year', 'days', 'reason'],
  ),
  get('/cohorts/:id/specialists', 'hubLead', () => `/cohorts/${DEMO_DEVELOPMENT_COHORT}/specialists`, [
    'hub',
    'flag',
    'weeks',
  ]),
  get(
    '/cohorts/:id/specialists.csv',
    'nationalAdmin',
    () => `/cohorts/${DEMO_DEVELOPMENT_COHORT}/specialists.csv`,
    ['hub', 'flag', 'weeks'],
  ),
  get(
    '/cohorts/:id/specialists.xlsx',
    'nationalAdmin',
    () => `/cohorts/${DEMO_DEVELOPMENT_COHORT}/specialists.xlsx`,
    ['hub', 'flag', 'weeks'],
  ),
  post(
    '/participations/:id/accreditation/requirements/:requirementId',
    'hubLead',
    () => `/participations/${f.dev.sam}/accreditation/requirements/${f.dev.requirement}`,
    ['metOn.day', 'metOn.month', 'metOn.year'],
  ),
  post(
    '/participations/:id/accreditation/award',
    'nationalAdmin',
    () => `/participations/${f.dev.sam}/accreditation/award`,
    ['awardedOn.day', 'awardedOn.month', 'awardedOn.year'],
  ),
  get(
    '/participations/:id/tasks/:taskId',
    'specialist',
    () => `/participations/${f.dev.sam}/tasks/${f.dev.task}`,
    ['saved'],
  ),
  post(
    '/participations/:id/tasks/:taskId',
    'specialist',
    () => `/participations/${f.dev.sam}/tasks/${f.dev.task}`,
    ['kind', 'text', 'url'],
  ),
  post('/submissions/:id/review', 'hubLead', () => `/submissions/${f.dev.submission}/review`, [
    'decision',
    'feedback',
  ]),
  get('/submissions/:id/file', 'hubLead', () => `/submissions/${f.dev.fileSubmission}/file`),
  get('/cohorts/:id/tasks', 'nationalAdmin', () => `/cohorts/${DEMO_DEVELOPMENT_COHORT}/tasks`, ['saved']),
  post('/cohorts/:id/tasks', 'nationalAdmin', () => `/cohorts/${DEMO_DEVELOPMENT_COHORT}/tasks`, [
    'title',
    'description',
    'dueOn.day',
    'dueOn.month',
    'dueOn.year',
    'forYear',
  ]),
  // Work Groups
  get('/hubs/:id/work-groups', 'hubLead', () => `/hubs/${HUB}/work-groups`, ['year']),
  get('/hubs/:id/work-groups/new', 'hubLead', () => `/hubs/${HUB}/work-groups/new`),
  post('/hubs/:id/work-groups', 'hubLead', () => `/hubs/${HUB}/work-groups`, [
    'programmeId',
    'phase',
    'academicYear',
    'name',
    'meetingArea',
    'capacity',
    'plannedSessions',
    'leads',
  ]),
  get('/work-groups/:id', 'hubLead', () => `/work-groups/${f.workGroups.demo}`, ['saved']),
  post('/work-groups/:id/state', 'hubLead', () => `/work-groups/${f.workGroups.toMove}/state`, ['event']),
  // Allocation
  get('/hubs/:id/work-groups/allocation', 'hubLead', () => `/hubs/${HUB}/work-groups/allocation`, [
    'scope',
    'saved',
  ]),
  post('/hubs/:id/work-groups/allocation', 'hubLead', () => `/hubs/${HUB}/work-groups/allocation`, ['scope']),
  post(
    '/hubs/:id/work-groups/allocation/pairs',
    'hubLead',
    () => `/hubs/${HUB}/work-groups/allocation/pairs`,
    ['scope', 'kind', 'schoolA', 'schoolB'],
  ),
  post(
    '/work-group-pair-rules/:id/remove',
    'hubLead',
    () => `/work-group-pair-rules/${f.allocation.pair}/remove`,
  ),
  get('/work-group-plans/:id', 'hubLead', () => `/work-group-plans/${f.allocation.plan}`, ['saved']),
  post('/work-group-plans/:id/move', 'hubLead', () => `/work-group-plans/${f.allocation.plan}/move`, [
    'urn',
    'workGroupId',
  ]),
  post('/work-group-plans/:id/apply', 'hubLead', () => `/work-group-plans/${f.allocation.toApply}/apply`),
  // The Work Groups API
  get('/api/v1/hubs/:id/work-groups', 'hubLead', () => `/api/v1/hubs/${HUB}/work-groups`),
  post('/api/v1/hubs/:id/work-groups', 'hubLead', () => `/api/v1/hubs/${HUB}/work-groups`, [
    'programmeId',
    'phase',
    'academicYear',
    'name',
    'meetingArea',
    'capacity',
    'plannedSessions',
    'leads',
  ]),
  get('/api/v1/work-groups/:id', 'hubLead', () => `/api/v1/work-groups/${f.workGroups.demo}`),
  post('/api/v1/work-groups/:id/state', 'hubLead', () => `/api/v1/work-groups/${f.workGroups.toMove}/state`, [
    'event',
  ]),
  post(
    '/api/v1/hubs/:id/work-groups/allocation',
    'hubLead',
    () => `/api/v1/hubs/${HUB}/work-groups/allocation`,
    ['programmeId', 'academicYear'],
  ),
  get('/api/v1/work-group-plans/:id', 'hubLead', () => `/api/v1/work-group-plans/${f.allocation.plan}`),
  post(
    '/api/v1/work-group-plans/:id/move',
    'hubLead',
    () => `/api/v1/work-group-plans/${f.allocation.plan}/move`,
    ['urn', 'workGroupId'],
  ),
  post(
    '/api/v1/work-group-plans/:id/apply',
    'hubLead',
    () => `/api/v1/work-group-plans/${f.allocation.apiToApply}/apply`,
  ),
  // Schools in Work Groups
  get('/schools/:urn/work-groups', 'headteacher', () => `/schools/${f.schools.urn}/work-groups`, ['saved']),
  get(
    '/schools/:urn/work-groups/interest',
    'headteacher',
    () => `/schools/${f.schools.urn}/work-groups/interest`,
  ),
  post(
    '/schools/:urn/work-groups/interest',
    'headteacher',
    () => `/schools/${f.schools.urn}/work-groups/interest`,
    [
      'programmeId',
      'academicYear',
      'statement',
      'headOfMaths.name',
      'headOfMaths.email',
      'seniorLeader.name',
      'seniorLeader.email',
    ],
  ),
  get('/work-group-interests/:id', 'hubLead', () => `/work-group-interests/${f.schools.interest}`, ['saved']),
  post(
    '/work-group-interests/:id/advocates',
    'headteacher',
    () => `/work-group-interests/${f.schools.interest}/advocates`,
    ['name', 'email', 'role'],
  ),
  post(
    '/work-group-interests/:id/advocates/change',
    'headteacher',
    () => `/work-group-interests/${f.schools.interest}/advocates/change`,
    [
      'slot',
      'change.name',
      'change.email',
      'change.role',
      'fromDate.day',
      'fromDate.month',
      'fromDate.year',
      'reason',
    ],
  ),
  post(
    '/work-group-interests/:id/support',
    'headteacher',
    () => `/work-group-interests/${f.schools.interest}/support`,
    ['supportRole', 'support.name', 'support.email'],
  ),
  post(
    '/work-group-interests/:id/decision',
    'hubLead',
    () => `/work-group-interests/${f.schools.ready}/decision`,
    ['decision', 'workGroupId'],
  ),
  get('/hubs/:id/work-group-schools', 'hubLead', () => `/hubs/northvale-maths-hub/work-group-schools`, [
    'programme',
    'year',
  ]),
  get('/work-group-support/:token', 'anonymous', () => `/work-group-support/${f.schools.token}`),
  post('/work-group-support/:token', 'fresh', () => `/work-group-support/${f.schools.token}`, ['answer']),
  get(
    '/work-group-interests/:id/withdraw',
    'headteacher',
    () => `/work-group-interests/${f.schools.withdrawable}/withdraw`,
  ),
  post(
    '/work-group-interests/:id/withdraw',
    'headteacher',
    () => `/work-group-interests/${f.schools.withdrawable}/withdraw`,
  ),
  // The API for schools in Work Groups
  get(
    '/api/v1/schools/:urn/work-group-interests',
    'headteacher',
    () => `/api/v1/schools/${f.schools.urn}/work-group-interests`,
  ),
  post(
    '/api/v1/schools/:urn/work-group-interests',
    'headteacher',
    () => `/api/v1/schools/${f.schools.urn}/work-group-interests`,
    ['programmeId', 'academicYear', 'hubId', 'statement', 'headOfMaths', 'seniorLeader'],
  ),
  get('/api/v1/hubs/:id/work-group-interests', 'hubLead', () => `/api/v1/hubs/${HUB}/work-group-interests`, [
    'programmeId',
    'academicYear',
  ]),
  get(
    '/api/v1/work-group-interests/:id',
    'hubLead',
    () => `/api/v1/work-group-interests/${f.schools.interest}`,
  ),
  post(
    '/api/v1/work-group-interests/:id/advocates',
    'headteacher',
    () => `/api/v1/work-group-interests/${f.schools.interest}/advocates`,
    ['name', 'email', 'role'],
  ),
  post(
    '/api/v1/work-group-interests/:id/advocates/change',
    'headteacher',
    () => `/api/v1/work-group-interests/${f.schools.interest}/advocates/change`,
    ['slot', 'name', 'email', 'role', 'fromDate', 'reason'],
  ),
  post(
    '/api/v1/work-group-interests/:id/decision',
    'hubLead',
    () => `/api/v1/work-group-interests/${f.schools.ready}/decision`,
    ['decision', 'workGroupId'],
  ),
  post(
    '/api/v1/work-group-interests/:id/withdraw',
    'headteacher',
    () => `/api/v1/work-group-interests/${f.schools.apiWithdrawable}/withdraw`,
  ),
  // Work Group sessions
  get('/work-groups/:id/sessions/new', 'hubLead', () => `/work-groups/${f.sessions.group}/sessions/new`),
  post('/work-groups/:id/sessions', 'hubLead', () => `/work-groups/${f.sessions.group}/sessions`, [
    'date.day',
    'date.month',
    'date.year',
    'startTime',
    'endTime',
    'hostSchoolUrn',
    'bigIdea',
    'lessonObserved',
  ]),
  get('/work-group-sessions/:id', 'hubLead', () => `/work-group-sessions/${f.sessions.planned}`, ['saved']),
  post(
    '/work-group-sessions/:id/state',
    'hubLead',
    () => `/work-group-sessions/${f.sessions.planned}/state`,
    ['event'],
  ),
  post('/work-group-sessions/:id/code', 'hubLead', () => `/work-group-sessions/${f.sessions.planned}/code`),
  get(
    '/work-group-sessions/:id/attendance',
    'hubLead',
    () => `/work-group-sessions/${f.sessions.held}/attendance`,
  ),
  {
    ...post(
      '/work-group-sessions/:id/attendance',
      'hubLead',
      () => `/work-group-sessions/${f.sessions.held}/attendance`,
      ['marks.0.advocateId', 'marks.0.status', 'marks.0.absenceReason'],
    ),
    reach: () => ({ 'marks.0.advocateId': String(f.sessions.advocateId) }),
  },
  get(
    '/work-group-sessions/:id/attendance/upload',
    'hubLead',
    () => `/work-group-sessions/${f.sessions.held}/attendance/upload`,
  ),
  post(
    '/work-group-sessions/:id/attendance/upload',
    'hubLead',
    () => `/work-group-sessions/${f.sessions.held}/attendance/upload`,
    ['file'],
  ),
  get(
    '/work-group-sessions/:id/attendance/template.csv',
    'hubLead',
    () => `/work-group-sessions/${f.sessions.held}/attendance/template.csv`,
  ),
  get('/work-group-sessions/:id/attend', 'anonymous', () => `/work-group-sessions/${f.sessions.held}/attend`),
  post('/work-group-sessions/:id/attend', 'fresh', () => `/work-group-sessions/${f.sessions.held}/attend`, [
    'email',
    'code',
  ]),
  get(
    '/work-group-sessions/:id/lesson-study',
    'hubLead',
    () => `/work-group-sessions/${f.sessions.held}/lesson-study`,
    ['school'],
  ),
  post(
    '/work-group-sessions/:id/lesson-study',
    'hubLead',
    () => `/work-group-sessions/${f.sessions.held}/lesson-study`,
    ['schoolUrn', 'lessonTaught', 'taughtBy', 'classes', 'learned'],
  ),
  get(
    '/work-groups/:id/support-visits/new',
    'hubLead',
    () => `/work-groups/${f.sessions.group}/support-visits/new`,
  ),
  post(
    '/work-groups/:id/support-visits',
    'hubLead',
    () => `/work-groups/${f.sessions.group}/support-visits`,
    [
      'participationId',
      'schoolUrn',
      'visitedOn.day',
      'visitedOn.month',
      'visitedOn.year',
      'halfDays',
      'notes',
    ],
  ),
  get(
    '/api/v1/work-groups/:id/sessions',
    'hubLead',
    () => `/api/v1/work-groups/${f.sessions.group}/sessions`,
  ),
  post(
    '/api/v1/work-groups/:id/sessions',
    'hubLead',
    () => `/api/v1/work-groups/${f.sessions.group}/sessions`,
    ['date', 'startTime', 'endTime', 'hostSchoolUrn', 'bigIdea', 'lessonObserved'],
  ),
  get(
    '/api/v1/work-group-sessions/:id',
    'hubLead',
    () => `/api/v1/work-group-sessions/${f.sessions.planned}`,
  ),
  post(
    '/api/v1/work-group-sessions/:id/state',
    'hubLead',
    () => `/api/v1/work-group-sessions/${f.sessions.planned}/state`,
    ['event'],
  ),
  post(
    '/api/v1/work-group-sessions/:id/attendance',
    'hubLead',
    () => `/api/v1/work-group-sessions/${f.sessions.held}/attendance`,
    ['marks'],
  ),
  post(
    '/api/v1/work-group-sessions/:id/attendance/import',
    'hubLead',
    () => `/api/v1/work-group-sessions/${f.sessions.held}/attendance/import`,
    ['file'],
  ),
  post(
    '/api/v1/work-group-sessions/:id/code',
    'hubLead',
    () => `/api/v1/work-group-sessions/${f.sessions.planned}/code`,
  ),
  post(
    '/api/v1/work-group-sessions/:id/lesson-study',
    'hubLead',
    () => `/api/v1/work-group-sessions/${f.sessions.held}/lesson-study`,
    ['schoolUrn', 'lessonTaught', 'taughtBy', 'classes', 'learned'],
  ),
  post(
    '/api/v1/work-groups/:id/support-visits',
    'hubLead',
    () => `/api/v1/work-groups/${f.sessions.group}/support-visits`,
    ['participationId', 'schoolUrn', 'visitedOn', 'halfDays', 'notes'],
  ),
  // A school's journey
  get('/schools/:urn/journey', 'hubLead', () => `/schools/${f.journey.urn}/journey`, ['saved']),
  get('/schools/:urn/journey/stage', 'hubLead', () => `/schools/${f.journey.urn}/journey/stage`),
  post('/schools/:urn/journey/stage', 'hubLead', () => `/schools/${f.journey.urn}/journey/stage`, [
    'stage',
    'movedOn.day',
    'movedOn.month',
    'movedOn.year',
    'evidence',
  ]),
  get('/api/v1/schools/:urn/stages', 'hubLead', () => `/api/v1/schools/${f.journey.urn}/stages`),
  get('/api/v1/schools/:urn/timeline', 'hubLead', () => `/api/v1/schools/${f.journey.urn}/timeline`),
  post('/api/v1/schools/:urn/stages', 'hubLead', () => `/api/v1/schools/${f.journey.urn}/stages`, [
    'stage',
    'movedOn',
    'evidence',
  ]),
  // The end-of-year questionnaire
  get('/evaluation/questions', 'nationalAdmin', () => '/evaluation/questions', ['saved']),
  post('/evaluation/questions', 'nationalAdmin', () => '/evaluation/questions', ['audience', 'kind', 'text']),
  post('/evaluation/questions/:id', 'nationalAdmin', () => `/evaluation/questions/${f.journey.question}`, [
    'action',
    'text',
  ]),
  post(
    '/work-groups/:id/evaluation/send',
    'hubLead',
    () => `/work-groups/${f.journey.group}/evaluation/send`,
  ),
  get('/work-groups/:id/evaluation', 'hubLead', () => `/work-groups/${f.journey.group}/evaluation`, [
    'saved',
  ]),
  get('/hubs/:id/evaluation', 'hubLead', () => `/hubs/${HUB}/evaluation`, ['saved']),
  get('/evaluation/results', 'nationalViewer', () => '/evaluation/results', ['saved']),
  get(
    '/work-groups/:id/evaluation/answer',
    'specialist',
    () => `/work-groups/${f.journey.group}/evaluation/answer`,
  ),
  post(
    '/work-groups/:id/evaluation/answer',
    'specialist',
    () => `/work-groups/${f.journey.group}/evaluation/answer`,
    ['q1', 'q7'],
  ),
  get('/questionnaire/:token', 'anonymous', () => `/questionnaire/${f.journey.token}`),
  post('/questionnaire/:token', 'fresh', () => `/questionnaire/${f.journey.token}`, ['q1', 'q2', 'q5']),
  // Exports
  ...(['csv', 'xlsx'] as const).flatMap((format) => [
    get(
      `/hubs/:id/cohorts/:cohortId/export.${format}`,
      'hubLead',
      () => `/hubs/${HUB}/cohorts/${OPEN_COHORT}/export.${format}`,
    ),
    get(
      `/admin/cohorts/:cohortId/export.${format}`,
      'nationalAdmin',
      () => `/admin/cohorts/${OPEN_COHORT}/export.${format}`,
    ),
  ]),
]

/** The routes as the app registers them, less the static assets. */
function registeredRoutes(): string[] {
  return t.app.routeTable
    .filter((r) => !r.url.startsWith('/assets/'))
    .map((r) => `${r.method} ${r.url}`)
    .sort()
}

async function sender(c: RouteCase): Promise<Person> {
  if (c.as === 'fresh') return freshVisitor()
  if (typeof c.as === 'function') return c.as()
  return people[c.as]
}

/** The input for a route: hostile fields, as a form or query string, and as a JSON body. */
function inputFor(c: RouteCase) {
  const json = jsonObject(
    Object.fromEntries(c.fields.map((name) => [name, fc.oneof(hostileJson, hostileString)])),
  )
  // Called inside the test, once the fixtures exist: a field that must name a record sometimes does.
  const valid = Object.fromEntries(
    Object.entries(c.reach?.() ?? {}).map(([name, value]) => [name, fc.constant(value)]),
  )
  return fc.record({ fields: hostileForm(c.fields, valid), json: jsonBody(json) })
}

describe('hostile input to every route', () => {
  it('has a case for every route the app registers', () => {
    const covered = new Set(CASES.map((c) => c.route))
    const missing = registeredRoutes().filter((route) => !covered.has(route))
    expect(missing, 'routes with no hostile case in test/hostile/every-route.int.test.ts').toEqual([])
    const stale = [...covered].filter((route) => !registeredRoutes().includes(route))
    expect(stale, 'cases for routes the app no longer has').toEqual([])
  })

  for (const c of CASES) {
    it(
      c.route,
      async () => {
        const [method, template] = c.route.split(' ') as [Method, string]
        const isApi = template.startsWith('/api/')
        await fc.assert(
          asyncProperty(inputFor(c), async ({ fields, json }) => {
            const who = await sender(c)
            const path = c.path()
            if (method === 'GET') {
              const url = `${path}${query(fields)}`
              await exchange(
                () => (isApi ? api(who, 'GET', url) : page(who, 'GET', url)),
                isApi ? expectApi : (reply) => expectPage(reply),
              )
            } else if (isApi) {
              await exchange(
                () => api(who, method, path, json, { 'idempotency-key': randomUUID() }),
                expectApi,
              )
            } else {
              await exchange(
                () => page(who, method, path, fields),
                (reply) => expectPage(reply),
              )
            }
          }),
          // A route that must first find the record its form names gets more runs, so that some
          // of them, with the real record and hostile everything else, reach it.
          { numRuns: c.reach ? RUNS * 3 : RUNS },
        )
        const use = routesHit.get(c.route)
        expect(
          use?.reached ?? 0,
          `${c.route}: hostile input got past sign-in and "not found"`,
        ).toBeGreaterThan(0)
      },
      TIMEOUT,
    )
  }

  // Every API route takes only the query parameters it declares: any other is refused (422, naming
  // it) before the route does anything, and changes nothing. Declared ones are what the case sends.
  for (const c of CASES.filter((c) => c.route.split(' ')[1]!.startsWith('/api/'))) {
    it(`${c.route} refuses a query parameter it does not declare`, async () => {
      const [method] = c.route.split(' ') as [Method, string]
      const who = await sender(c)
      const unknown: [string, string][] = [
        ['perPage', 'perPage'],
        ['sort', 'sort'],
        ['', 'query'],
        ['__proto__', '__proto__'],
      ]
      for (const [name, shown] of unknown) {
        const url = `${c.path()}?${encodeURIComponent(name)}=1`
        const reply = await exchange(
          () => api(who, method, url, method === 'GET' || method === 'DELETE' ? undefined : { json: {} }),
          expectApi,
        )
        expect(reply.statusCode, `${url}: ${reply.body}`).toBe(422)
        const { errors } = JSON.parse(reply.body) as {
          errors: { code: string; field: string; message: string }[]
        }
        expect(errors).toEqual([
          {
            code: 'unknown-parameter',
            field: shown,
            message: expect.stringContaining('This endpoint takes'),
          },
        ])
        const declared = c.fields.filter((f) => !['name', 'email'].includes(f) || method === 'GET')
        if (method === 'GET' && declared.length > 0) {
          expect(errors[0]!.message).toContain(declared[0]!)
        }
      }
      countInputs(4)
    })
  }

  it('reached every registered route with hostile input, and no object’s prototype was changed', () => {
    const unreached = registeredRoutes().filter((route) => !(routesHit.get(route)?.reached ?? 0))
    expect(unreached).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })
})
