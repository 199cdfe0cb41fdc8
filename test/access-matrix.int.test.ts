// The whole access matrix: every route the app registers, asked by every role. Each role sees
// exactly its own data; a record it may not see answers 404; anonymous visitors are sent to sign
// in (pages) or get 401 (API). docs/permissions.md is generated from this table and checked here.
import fs from 'node:fs'
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { developmentApiChecks, developmentPageChecks, eventPageChecks } from './access-matrix.events.ts'
import { workGroupPageChecks } from './access-matrix.work-groups.ts'
import { workGroupSchoolChecks } from './access-matrix.work-group-schools.ts'
import { workGroupSessionApiChecks, workGroupSessionChecks } from './access-matrix.work-group-sessions.ts'
import { allocationChecks, workGroupApiChecks } from './access-matrix.work-group-allocation.ts'
import { schoolJourneyChecks } from './access-matrix.school-journey.ts'
import { roundAt, type RoundStage } from './decision-fixtures.ts'
import { essentialEvidence, HEAD, lastEndorsementToken, TEACHING } from './application-fixtures.ts'
import { cohortFormBody, cohortInputWith, ensureCohort } from './cohort-factory.ts'
import { cohortFormValues } from '../src/web/cohort-form.ts'
import { PERSONA_NAMES, request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../src/domain/access/actor.ts'
import { askHeadteacherAgain } from '../src/domain/applications/ask-headteacher-again.ts'
import { requestEndorsement } from '../src/domain/applications/request-endorsement.ts'
import { respondToEndorsement } from '../src/domain/applications/respond-to-endorsement.ts'
import { saveApplication } from '../src/domain/applications/save-application.ts'
import { startApplication } from '../src/domain/applications/start-application.ts'
import { submitApplication } from '../src/domain/applications/submit-application.ts'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'
import { showAttendanceCode } from '../src/domain/events/attendance/record-attendance.ts'
import { bookPlace } from '../src/domain/events/bookings/book-place.ts'
import { scheduleEvent } from '../src/domain/events/scheduling/schedule-event.ts'
import { makeParticipation } from './participation-fixtures.ts'
import type { UseCaseContext } from '../src/domain/use-case.ts'

type Outcome = 'ok' | 'not-found' | 'sign-in' | 'unauthenticated'

export interface Check {
  method: string
  route: string
  /** Builds the concrete request, setting up a fresh target when the route changes state. */
  prepare(): Promise<{ url: string; body?: Record<string, unknown>; headers?: Record<string, string> }>
  /** Who may: everyone else gets 404 (or must sign in). */
  allowed: PersonaName[] | 'everyone' | 'signed-in'
  /** What success looks like: a status. */
  success: number
  note: string
  /** Routes that end or replace the session get a fresh client for each role. */
  freshClient?: boolean
  /** A change of state: each success must leave an audit row with its request id. */
  audited?: boolean | 'signed-in'
  /** Roles the route reaches but whose request it refuses, and the status they get. */
  refused?: Partial<Record<PersonaName, { status: number; why: string }>>
}

const HUB = 'northvale-maths-hub'
const SCHOOL = 990_001 // in Northvale's area; Helen Morris is its headteacher
const PEOPLE_OF_NCETM: PersonaName[] = ['nationalAdmin', 'nationalViewer']
const HUB_TEAM_VIEWERS: PersonaName[] = [...PEOPLE_OF_NCETM, 'hubLead', 'hubAdmin']
const HUB_TEAM_MANAGERS: PersonaName[] = ['nationalAdmin', 'hubLead']
/** Sam Carter holds a place in the demo's Primary cohort in its development year: no second application. */
const HOLDS_A_PLACE = { status: 422, why: 'holds a place on the programme already' }

let t: TestApp
let clients: Record<PersonaName, Client>
let checks: Check[]
let nextCohortNumber = 100

async function personId(email: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.id
}

/** A fresh Northvale reviewer, so each role's revoke attempt has a live grant to aim at. */
async function freshReviewerGrant(): Promise<number> {
  const person = await t.database.db
    .insertInto('people')
    .values({ name: 'Fresh Reviewer', email: `reviewer-${randomUUID()}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const grant = await t.database.db
    .insertInto('grants')
    .values({ person_id: person.id, role: 'reviewer', hub_id: HUB })
    .returning('id')
    .executeTakeFirstOrThrow()
  return grant.id
}

/** A fresh person whose one role is a Northvale reviewer's, so each role's edit has a target. */
async function freshNorthvaleReviewer(): Promise<number> {
  const grant = await freshReviewerGrant()
  const row = await t.database.db
    .selectFrom('grants')
    .select('person_id')
    .where('id', '=', grant)
    .executeTakeFirstOrThrow()
  return row.person_id
}

/** A fresh teacher, so each role's erasure attempt has a person to aim at. */
async function freshPerson(): Promise<number> {
  const person = await t.database.db
    .insertInto('people')
    .values({ name: 'Fresh Teacher', email: `teacher-${randomUUID()}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  await t.database.db.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
  return person.id
}

async function freshTokenOfHubLead(): Promise<number> {
  const owner = await personId('priya.shah@northvale.mathshub.example')
  const grant = await t.database.db
    .selectFrom('grants')
    .select('id')
    .where('person_id', '=', owner)
    .executeTakeFirstOrThrow()
  const row = await t.database.db
    .insertInto('api_tokens')
    .values({
      person_id: owner,
      name: 'fresh',
      token_hash: randomUUID(),
      token_prefix: 'mh_fresh',
      grant_id: grant.id,
      created_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

// --- Applications: each check that changes one gets a fresh one, in a fresh open cohort, owned by
// the teacher persona at a Northvale school, so every role aims at the same kind of record.

function asActor(actor: Actor): UseCaseContext {
  return {
    db: t.database.db,
    actor,
    clock: t.clock,
    requestId: 'matrix-setup',
    baseUrl: 'http://localhost:3000',
  }
}

async function teacherActor(): Promise<Actor> {
  return (await actorForPerson(t.database.db, await personId('amir.hussain@school.example')))!
}

/** A cohort open now (the clock reads 22 November 2026), new for each call. */
async function freshOpenCohort(): Promise<string> {
  return ensureCohort(
    t.database.db,
    cohortInputWith({
      number: nextCohortNumber++,
      opensAt: { day: 1, month: 11, year: 2026, hour: 9, minute: 0 },
      closesAt: { day: 21, month: 1, year: 2027, hour: 17, minute: 0 },
      decisionsReleasedOn: { day: 21, month: 4, year: 2027 },
      residentials: [
        {
          name: 'First residential',
          startsOn: { day: 14, month: 10, year: 2027 },
          endsOn: { day: 15, month: 10, year: 2027 },
          subjectToConfirmation: true,
        },
      ],
    }),
  )
}

async function freshDraft(): Promise<number> {
  // One teacher asks their headteacher for every role here; the limits on asking are tested elsewhere.
  await t.database.db.deleteFrom('rate_limits').where('key', 'like', 'headteacher-request:%').execute()
  const teacher = await teacherActor()
  const cohortId = await freshOpenCohort()
  const { application } = await startApplication(asActor(teacher), cohortId)
  const cohort = (await findCohort(t.database.db, cohortId))!
  await saveApplication(asActor(teacher), application.id, {
    school: { urn: SCHOOL },
    teaching: TEACHING,
    evidence: essentialEvidence(cohort),
  })
  return application.id
}

/** A fresh complete draft whose headteacher has been asked; returns the emailed token too. */
async function freshEndorsementRequest(): Promise<{ id: number; token: string }> {
  const id = await freshDraft()
  await requestEndorsement(asActor(await teacherActor()), id, HEAD)
  return { id, token: await lastEndorsementToken(t.database.db) }
}

async function freshEndorsed(): Promise<number> {
  const { id, token } = await freshEndorsementRequest()
  await respondToEndorsement(asActor(ANONYMOUS), token, { decision: 'confirm' })
  return id
}

async function freshSubmitted(): Promise<number> {
  const id = await freshEndorsed()
  await submitApplication(asActor(await teacherActor()), id, { idempotencyKey: randomUUID() })
  return id
}

/** A fresh submitted application whose headteacher the service could not verify. */
async function freshUnverified(): Promise<number> {
  const id = await freshSubmitted()
  await t.database.db
    .updateTable('applications')
    .set({ headteacher_verification: null, headteacher_verified_at: null })
    .where('id', '=', id)
    .execute()
  return id
}

/** The token of a hub's fresh request to a headteacher to confirm an unverified application. */
async function freshConfirmationToken(): Promise<string> {
  const id = await freshUnverified()
  const lead = (await actorForPerson(t.database.db, await personId('priya.shah@northvale.mathshub.example')))!
  await askHeadteacherAgain(asActor(lead), id, { name: 'Kim Checked', email: 'kim.checked@school.example' })
  const row = await t.database.db
    .selectFrom('outbox')
    .select('body_text')
    .where('template', '=', 'headteacher-confirmation')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return /\/confirm-headteacher\/([A-Za-z0-9_-]+)/.exec(row.body_text)![1]!
}

/** A fresh submitted application no hub holds (as from a school with no hub recorded). */
async function freshUnrouted(): Promise<number> {
  const id = await freshSubmitted()
  await t.database.db.updateTable('applications').set({ hub_id: null }).where('id', '=', id).execute()
  return id
}

/** Readers of a submitted Northvale application: NCETM, the hub's leads and administrators, and the
 * teacher who wrote it (a reviewer reads only what is assigned to them). */
const APPLICATION_READERS: PersonaName[] = [...HUB_TEAM_VIEWERS, 'teacher']

// --- Selection: reviews, decisions and exports aim at fresh submitted applications too.

const REVIEW_ROUTE_PEOPLE: PersonaName[] = ['hubLead', 'reviewer', 'otherHubLead']
const ROUND_MANAGERS: PersonaName[] = ['nationalAdmin', 'hubLead']

async function freshSubmittedIn(): Promise<{ id: number; cohortId: string }> {
  const id = await freshSubmitted()
  const row = await t.database.db
    .selectFrom('applications')
    .select('cohort_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return { id, cohortId: row.cohort_id }
}

/** A fresh open cohort and its change form, filled in as it stands. */
async function freshCohortForm(): Promise<{ id: string; body: Record<string, string> }> {
  const id = await freshOpenCohort()
  return { id, body: cohortFormBody(cohortFormValues((await findCohort(t.database.db, id))!)) }
}

/** A fresh submitted Northvale application assigned to Grace Lee, the Northvale reviewer. */
async function freshAssignment(): Promise<{ applicationId: number; assignmentId: number; cohortId: string }> {
  const { id, cohortId } = await freshSubmittedIn()
  const row = await t.database.db
    .insertInto('review_assignments')
    .values({
      application_id: id,
      reviewer_id: await personId('grace.lee@northvale.mathshub.example'),
      assigned_by: null,
      assigned_at: t.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { applicationId: id, assignmentId: row.id, cohortId }
}

/** A fresh Northvale round at the stage, the teacher persona's application the selected one. */
async function freshRound(stage: RoundStage) {
  return roundAt(t.database.db, t.clock, stage, {
    number: nextCohortNumber++,
    applicant: await teacherActor(),
  })
}
// --- The development years: Sam Carter (the specialist persona) in year 1 of a secondary cohort
// at Northvale, booked on a Northvale hub session today; changes get a fresh session or participation.

interface EventFixtures {
  cohortId: string
  participationId: number
  samEmail: string
  sessionId: number
  bookingId: number
}
let ev: EventFixtures

async function actorOf(email: string): Promise<Actor> {
  return (await actorForPerson(t.database.db, await personId(email)))!
}

/** A Northvale hub session today, 9am to 4pm (the clock reads 10am), made by the hub lead. */
async function freshSession(): Promise<number> {
  const event = await scheduleEvent(asActor(await actorOf('priya.shah@northvale.mathshub.example')), {
    kind: 'hub-session',
    title: 'Matrix hub session',
    hubId: HUB,
    days: [{ startsAt: '2026-11-22T09:00:00Z', endsAt: '2026-11-22T16:00:00Z' }],
    venues: [{ name: 'Northvale Academy', address: 'School Lane, Northvale', capacity: 50 }],
  })
  return event.id
}

/** Sam Carter's place at a fresh session. */
async function freshBooking(): Promise<number> {
  const { booking } = await bookPlace(
    asActor(await actorOf('sam.carter@school.example')),
    await freshSession(),
    {},
  )
  return booking.id
}

async function eventFixtures(): Promise<EventFixtures> {
  // Another programme than the cohorts the matrix applies to: a place held on one stops applying to it.
  const cohortId = await ensureCohort(
    t.database.db,
    cohortInputWith({ programmeId: 'secondary-mastery-specialist', number: 90 }),
  )
  const sam = await personId('sam.carter@school.example')
  const { participationId, email } = await makeParticipation(t.database.db, {
    cohortId,
    hubId: HUB,
    personId: sam,
  })
  const sessionId = await freshSession()
  const { booking } = await bookPlace(asActor(await actorOf('sam.carter@school.example')), sessionId, {})
  return { cohortId, participationId, samEmail: email, sessionId, bookingId: booking.id }
}

const ORGANISERS: PersonaName[] = ['nationalAdmin', 'hubLead', 'hubAdmin']

const selectionPage = (cohortId: string) => `/hubs/${HUB}/cohorts/${cohortId}/selection`
const moderationOf = (cohortId: string) => `/admin/cohorts/${cohortId}/selection/${HUB}`

/** A fresh submitted application whose decision has been released to the teacher. */
async function freshReleasedDecision(): Promise<number> {
  const { id, cohortId } = await freshSubmittedIn()
  const now = t.clock.now()
  await t.database.db
    .insertInto('selection_decisions')
    .values({
      application_id: id,
      hub_id: HUB,
      cohort_id: cohortId,
      decision: 'not-selected',
      reason_code: 'stronger-applications',
      decided_at: now,
      released_at: now,
      updated_at: now,
    })
    .execute()
  return id
}

function buildChecks(): Check[] {
  const get = (route: string, allowed: Check['allowed'], note: string, url = route): Check => ({
    method: 'GET',
    route,
    prepare: async () => ({ url }),
    allowed,
    success: 200,
    note,
  })
  return [
    get('/', 'everyone', 'Home'),
    get('/find-your-hub', 'everyone', 'Find your hub', '/find-your-hub?q=oakfield'),
    get('/hubs', 'everyone', 'Hubs'),
    get('/hubs/:id', 'everyone', 'A hub', `/hubs/${HUB}`),
    get('/schools', 'everyone', 'The register'),
    get('/schools/:urn', 'everyone', 'A school', `/schools/${SCHOOL}`),
    get('/accessibility', 'everyone', 'Accessibility statement'),
    get('/privacy', 'everyone', 'Privacy notice'),
    get('/cookies', 'everyone', 'Cookies'),
    get('/healthz', 'everyone', 'Health check'),
    get('/api/v1/openapi.json', 'everyone', 'OpenAPI document'),
    get('/api-documentation', 'everyone', 'API documentation'),
    get('/api/v1/schools', 'everyone', 'API: the register'),
    get('/api/v1/schools/:urn', 'everyone', 'API: a school', `/api/v1/schools/${SCHOOL}`),
    get('/api/v1/hubs', 'everyone', 'API: hubs'),
    get('/api/v1/hubs/:id', 'everyone', 'API: a hub', `/api/v1/hubs/${HUB}`),
    get('/api/v1/find-hub', 'everyone', 'API: find your hub', '/api/v1/find-hub?q=oakfield'),
    get('/sign-in', 'everyone', 'Sign in'),
    get('/sign-in/check-your-email', 'everyone', 'Sign in: check your email'),
    get(
      '/sign-in/link/:token',
      'everyone',
      'Sign in: the emailed link',
      '/sign-in/link/abcdefghijklmnopqrstuvwxyz',
    ),
    {
      method: 'POST',
      route: '/sign-in',
      prepare: async () => ({ url: '/sign-in', body: { email: `nobody-${randomUUID()}@school.example` } }),
      allowed: 'everyone',
      success: 303,
      note: 'Ask for a sign-in link',
    },
    get('/create-account', 'everyone', 'Create an account (to apply)'),
    {
      method: 'POST',
      route: '/create-account',
      prepare: async () => {
        // One address asks for each role here; the per-address limit is tested elsewhere.
        await t.database.db.deleteFrom('rate_limits').where('key', 'like', 'create-account:%').execute()
        return {
          url: '/create-account',
          body: { name: 'New Teacher', email: `teacher-${randomUUID()}@school.example` },
        }
      },
      allowed: 'everyone',
      success: 303,
      note: 'Create an account: a teacher’s role and an emailed sign-in link',
      audited: true,
    },
    {
      method: 'POST',
      route: '/sign-in/link/:token',
      prepare: async () => ({ url: '/sign-in/link/abcdefghijklmnopqrstuvwxyz' }),
      allowed: 'everyone',
      success: 410,
      note: 'Use a sign-in link (this one is unknown)',
    },
    {
      method: 'POST',
      route: '/sign-out',
      prepare: async () => ({ url: '/sign-out' }),
      allowed: 'everyone',
      success: 303,
      note: 'Sign out',
      audited: 'signed-in',
      freshClient: true,
    },
    get('/demo/personas', 'everyone', 'Demo only: sign in as a demo person'),
    get('/demo/emails', 'everyone', 'Demo only: emails the demo would have sent'),
    {
      method: 'POST',
      route: '/demo/personas/:personId',
      prepare: async () => ({ url: `/demo/personas/${await personId('amir.hussain@school.example')}` }),
      allowed: 'everyone',
      success: 303,
      note: 'Demo only: sign in as a demo person',
      audited: true,
      freshClient: true,
    },
    get('/account', 'signed-in', 'Your account'),
    get('/account/api-tokens', 'signed-in', 'Your API tokens'),
    {
      method: 'POST',
      route: '/account/api-tokens',
      prepare: async () => ({ url: '/account/api-tokens', body: { name: 'Matrix token', grantId: '' } }),
      allowed: 'signed-in',
      success: 422,
      note: 'Create an API token (here without choosing a role: refused with a message)',
    },
    {
      method: 'POST',
      route: '/account/api-tokens/:id/revoke',
      prepare: async () => ({ url: `/account/api-tokens/${await freshTokenOfHubLead()}/revoke` }),
      allowed: ['nationalAdmin', 'hubLead'],
      success: 303,
      note: 'Revoke an API token (a hub lead’s: the owner, or a national administrator)',
      audited: true,
    },
    get('/hubs/:id/team', HUB_TEAM_VIEWERS, 'A hub’s team', `/hubs/${HUB}/team`),
    {
      method: 'POST',
      route: '/hubs/:id/team',
      prepare: async () => ({
        url: `/hubs/${HUB}/team`,
        body: { email: `new-${randomUUID()}@school.example`, name: 'New Reviewer', role: 'reviewer' },
      }),
      allowed: HUB_TEAM_MANAGERS,
      success: 303,
      note: 'Add someone to a hub’s team',
      audited: true,
    },
    {
      method: 'POST',
      route: '/grants/:id/revoke',
      prepare: async () => ({
        url: `/grants/${await freshReviewerGrant()}/revoke`,
        body: { next: `/hubs/${HUB}/team` },
      }),
      allowed: HUB_TEAM_MANAGERS,
      success: 303,
      note: 'Take a hub role away',
      audited: true,
    },
    get('/admin/people', PEOPLE_OF_NCETM, 'Everyone, and their roles'),
    get('/admin/people/new', ['nationalAdmin'], 'Add a person or role'),
    {
      method: 'POST',
      route: '/admin/people/new',
      prepare: async () => ({
        url: '/admin/people/new',
        body: { email: `viewer-${randomUUID()}@ncetm.example`, name: 'New Viewer', role: 'national-viewer' },
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Add a person or role',
      audited: true,
    },
    get(
      '/people/:id',
      [...HUB_TEAM_VIEWERS, 'reviewer'],
      'A person (here a Northvale reviewer: NCETM, her hub’s leads and administrators, and herself)',
      '/people/PERSON',
    ),
    get(
      '/people/:id/edit',
      ['nationalAdmin', 'hubLead', 'reviewer'],
      'Change a person’s details (here a Northvale reviewer: NCETM administrators, the lead of the hub holding her every role, and herself)',
      '/people/PERSON/edit',
    ),
    {
      method: 'POST',
      route: '/people/:id/edit',
      prepare: async () => ({
        url: `/people/${await freshNorthvaleReviewer()}/edit`,
        body: { name: 'Matrix Renamed', workplaceUrn: '', trn: '' },
      }),
      allowed: ['nationalAdmin', 'hubLead'],
      success: 303,
      note: 'Change a person’s details (someone whose only role is a Northvale reviewer’s)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/people/:id/grants',
      prepare: async () => ({
        url: `/people/${await personId('grace.lee@northvale.mathshub.example')}/grants`,
        body: { role: 'teacher' },
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Give a person a role',
      audited: true,
    },
    {
      ...get(
        '/account/personal-data',
        'signed-in',
        'Download the information held about you (subject access)',
      ),
      audited: 'signed-in',
    },
    {
      ...get(
        '/people/:id/personal-data',
        ['nationalAdmin', 'reviewer'],
        'Download the information held about a person (NCETM administrators, and the person)',
        '/people/PERSON/personal-data',
      ),
      audited: true,
    },
    get(
      '/people/:id/erase',
      ['nationalAdmin'],
      'Erase a person’s personal data: the confirmation page',
      '/people/PERSON/erase',
    ),
    {
      method: 'POST',
      route: '/people/:id/erase',
      prepare: async () => ({ url: `/people/${await freshPerson()}/erase`, body: { confirm: 'yes' } }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Erase a person’s personal data',
      audited: true,
    },
    get(
      '/schools/:urn/people',
      [...HUB_TEAM_VIEWERS, 'headteacher'],
      'A school’s people (NCETM, the hub serving it, its own contacts)',
      `/schools/${SCHOOL}/people`,
    ),
    get(
      '/schools/:urn/applications',
      ['headteacher'],
      'A school’s applications once its headteacher has been asked (its own contacts)',
      `/schools/${SCHOOL}/applications`,
    ),
    get('/admin/hubs/:id', ['nationalAdmin'], 'Edit a hub', `/admin/hubs/${HUB}`),
    {
      method: 'POST',
      route: '/admin/hubs/:id',
      prepare: async () => ({
        url: `/admin/hubs/${HUB}`,
        body: { name: 'Northvale Maths Hub', contactEmail: 'northvale@mathshub.example' },
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Change a hub’s name and contacts',
      audited: true,
    },
    {
      method: 'POST',
      route: '/admin/hubs/:id/areas',
      prepare: async () => ({ url: `/admin/hubs/${HUB}/areas`, body: { laCode: '958' } }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Give a local authority to a hub',
      audited: true,
    },
    {
      method: 'POST',
      route: '/admin/hubs/:id/areas/:laCode/remove',
      prepare: async () => {
        await t.database.db
          .insertInto('hub_areas')
          .values({ la_code: '958', la_name: 'Farthingdale', hub_id: HUB, import_id: null })
          .onConflict((oc) => oc.column('la_code').doUpdateSet({ hub_id: HUB }))
          .execute()
        return { url: `/admin/hubs/${HUB}/areas/958/remove` }
      },
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Take a local authority from a hub',
      audited: true,
    },
    get('/admin/audit', ['nationalAdmin'], 'The audit trail'),
    get('/api/v1/programmes', 'everyone', 'API: the programme catalogue'),
    get(
      '/api/v1/programmes/:id',
      'everyone',
      'API: a programme and its cohorts',
      '/api/v1/programmes/primary-mastery-specialist',
    ),
    {
      method: 'GET',
      route: '/api/v1/cohorts/:id',
      prepare: async () => ({ url: `/api/v1/cohorts/${await ensureCohort(t.database.db)}` }),
      allowed: 'everyone',
      success: 200,
      note: 'API: a cohort, its application window and whether it is open',
    },
    {
      method: 'POST',
      route: '/api/v1/cohorts',
      prepare: async () => ({
        url: '/api/v1/cohorts',
        body: cohortInputWith({ number: nextCohortNumber++ }),
      }),
      allowed: ['nationalAdmin'],
      success: 201,
      note: 'API: set up a cohort',
      audited: true,
    },
    {
      method: 'PATCH',
      route: '/api/v1/cohorts/:id',
      prepare: async () => ({
        url: `/api/v1/cohorts/${await freshOpenCohort()}`,
        body: { developmentYear: '2027/28' },
      }),
      allowed: ['nationalAdmin'],
      success: 200,
      note: 'API: change a cohort’s details',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/cohorts/:id/close',
      prepare: async () => ({ url: `/api/v1/cohorts/${await freshOpenCohort()}/close` }),
      allowed: ['nationalAdmin'],
      success: 200,
      note: 'API: close a cohort to applications now',
      audited: true,
    },
    get(
      '/api/v1/eligibility',
      'everyone',
      'API: whether a school can take part in a programme',
      `/api/v1/eligibility?urn=${SCHOOL}&programme=primary-mastery-specialist`,
    ),
    get('/api/v1/me', 'signed-in', 'API: who the token acts as'),
    get('/api/v1/hubs/:id/team', HUB_TEAM_VIEWERS, 'API: a hub’s team', `/api/v1/hubs/${HUB}/team`),
    {
      method: 'POST',
      route: '/api/v1/hubs/:id/team',
      prepare: async () => ({
        url: `/api/v1/hubs/${HUB}/team`,
        body: { email: `api-${randomUUID()}@school.example`, name: 'Api Reviewer', role: 'reviewer' },
      }),
      allowed: HUB_TEAM_MANAGERS,
      success: 201,
      note: 'API: add someone to a hub’s team',
      audited: true,
    },
    {
      method: 'DELETE',
      route: '/api/v1/grants/:id',
      prepare: async () => ({ url: `/api/v1/grants/${await freshReviewerGrant()}` }),
      allowed: HUB_TEAM_MANAGERS,
      success: 204,
      note: 'API: take a hub role away',
      audited: true,
    },
    get(
      '/api/v1/people/:id',
      [...HUB_TEAM_VIEWERS, 'reviewer'],
      'API: a person (a Northvale reviewer)',
      '/api/v1/people/PERSON',
    ),
    {
      method: 'PATCH',
      route: '/api/v1/people/:id',
      prepare: async () => ({
        url: `/api/v1/people/${await freshNorthvaleReviewer()}`,
        body: { name: 'Matrix Renamed' },
      }),
      allowed: ['nationalAdmin', 'hubLead'],
      success: 200,
      note: 'API: change a person’s details (someone whose only role is a Northvale reviewer’s)',
      audited: true,
    },
    {
      ...get(
        '/api/v1/people/:id/subject-access',
        ['nationalAdmin', 'reviewer'],
        'API: everything held about a person (NCETM administrators, and the person)',
        '/api/v1/people/PERSON/subject-access',
      ),
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/people/:id/erasure',
      prepare: async () => ({
        url: `/api/v1/people/${await freshPerson()}/erasure`,
        body: { confirm: true },
      }),
      allowed: ['nationalAdmin'],
      success: 200,
      note: 'API: erase a person’s personal data',
      audited: true,
    },
    get(
      '/api/v1/schools/:urn/people',
      [...HUB_TEAM_VIEWERS, 'headteacher'],
      'API: a school’s people',
      `/api/v1/schools/${SCHOOL}/people`,
    ),
    get('/api/v1/audit', ['nationalAdmin'], 'API: the audit trail'),
    get(
      '/selection',
      [...HUB_TEAM_VIEWERS, 'otherHubLead'],
      'Selection: the rounds and moderation pages the person can open',
    ),
    {
      method: 'GET',
      route: '/hubs/:id/cohorts/:cohortId/selection',
      prepare: async () => ({ url: selectionPage((await freshRound('reviewing')).cohortId) }),
      allowed: HUB_TEAM_VIEWERS,
      success: 200,
      note: 'A hub’s ranked list and proposed decisions for a cohort',
    },
    {
      method: 'GET',
      route: '/hubs/:id/cohorts/:cohortId/selection/applications/:applicationId',
      prepare: async () => {
        const round = await freshRound('reviewing')
        return { url: `${selectionPage(round.cohortId)}/applications/${round.reserve.id}` }
      },
      allowed: ['hubLead'],
      success: 200,
      note: 'Propose a decision for an application (the hub lead)',
    },
    {
      method: 'POST',
      route: '/hubs/:id/cohorts/:cohortId/selection/applications/:applicationId',
      prepare: async () => {
        const round = await freshRound('reviewing')
        return {
          url: `${selectionPage(round.cohortId)}/applications/${round.reserve.id}`,
          body: { decision: 'not-selected', reasonCode: 'stronger-applications' },
        }
      },
      allowed: ['hubLead'],
      success: 303,
      note: 'Propose a decision',
      audited: true,
    },
    ...(
      [
        ['confirm', 'reviewing', 'Confirm the hub’s proposals'],
        ['reopen', 'confirmed', 'Reopen confirmed proposals'],
      ] as const
    ).map(([action, stage, note]): Check => ({
      method: 'POST',
      route: `/hubs/:id/cohorts/:cohortId/selection/${action}`,
      prepare: async () => ({ url: `${selectionPage((await freshRound(stage)).cohortId)}/${action}` }),
      allowed: ['hubLead'],
      success: 303,
      note,
      audited: true,
    })),
    {
      method: 'POST',
      route: '/hubs/:id/cohorts/:cohortId/selection/offer-to-reserve',
      prepare: async () => {
        const round = await freshRound('place-free')
        return {
          url: `${selectionPage(round.cohortId)}/offer-to-reserve`,
          body: { applicationId: round.reserve.id },
        }
      },
      allowed: ['hubLead'],
      success: 303,
      note: 'Offer a declined place to the next reserve',
      audited: true,
    },
    {
      method: 'GET',
      route: '/admin/cohorts/:cohortId/selection',
      prepare: async () => ({ url: `/admin/cohorts/${(await freshRound('confirmed')).cohortId}/selection` }),
      allowed: PEOPLE_OF_NCETM,
      success: 200,
      note: 'Every hub’s proposals side by side, with score distributions',
    },
    {
      method: 'GET',
      route: '/admin/cohorts/:cohortId/selection/:hubId/send-back',
      prepare: async () => ({ url: `${moderationOf((await freshRound('confirmed')).cohortId)}/send-back` }),
      allowed: ['nationalAdmin'],
      success: 200,
      note: 'Ask why a hub’s decisions are sent back',
    },
    {
      method: 'POST',
      route: '/admin/cohorts/:cohortId/selection/:hubId/places',
      prepare: async () => ({
        url: `${moderationOf((await freshRound('reviewing')).cohortId)}/places`,
        body: { places: '3' },
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Set a hub’s places for a cohort',
      audited: true,
    },
    ...(
      [
        ['approve', 'confirmed', 'Approve a hub’s decisions'],
        ['send-back', 'approved', 'Send a hub’s decisions back'],
      ] as const
    ).map(([action, stage, note]): Check => ({
      method: 'POST',
      route: `/admin/cohorts/:cohortId/selection/:hubId/${action}`,
      prepare: async () => ({
        url: `${moderationOf((await freshRound(stage)).cohortId)}/${action}`,
        ...(action === 'send-back' && { body: { reason: 'Too few reserves' } }),
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note,
      audited: true,
    })),
    {
      method: 'GET',
      route: '/applications/:id/offer',
      prepare: async () => ({ url: `/applications/${(await freshRound('released')).selected.id}/offer` }),
      allowed: ['teacher'],
      success: 200,
      note: 'The offer of a place (the teacher it is offered to)',
    },
    {
      method: 'POST',
      route: '/applications/:id/offer',
      prepare: async () => ({
        url: `/applications/${(await freshRound('released')).selected.id}/offer`,
        body: { decision: 'accept' },
      }),
      allowed: ['teacher'],
      success: 303,
      note: 'Accept or decline a place',
      audited: true,
    },
    {
      method: 'GET',
      route: '/places/:token',
      prepare: async () => ({ url: `/places/${(await freshRound('released')).placeToken}` }),
      allowed: 'everyone',
      success: 200,
      note: 'The headteacher’s emailed link to accept the place (the link is the authority)',
    },
    {
      method: 'POST',
      route: '/places/:token',
      prepare: async () => ({
        url: `/places/${(await freshRound('released')).placeToken}`,
        body: { decision: 'accept' },
      }),
      allowed: 'everyone',
      success: 200,
      note: 'The headteacher accepts the place',
      audited: true,
    },
    get('/reviews', REVIEW_ROUTE_PEOPLE, 'Your reviews (hub leads and reviewers)'),
    {
      method: 'GET',
      route: '/reviews/:id',
      prepare: async () => ({ url: `/reviews/${(await freshAssignment()).assignmentId}` }),
      allowed: ['reviewer'],
      success: 200,
      note: 'A review (here Grace Lee’s: only the assigned reviewer)',
    },
    {
      method: 'POST',
      route: '/reviews/:id',
      prepare: async () => ({
        url: `/reviews/${(await freshAssignment()).assignmentId}`,
        body: { action: 'save' },
      }),
      allowed: ['reviewer'],
      success: 303,
      note: 'Save a review',
      audited: true,
    },
    {
      method: 'POST',
      route: '/reviews/:id/conflict',
      prepare: async () => ({
        url: `/reviews/${(await freshAssignment()).assignmentId}/conflict`,
        body: { reason: 'I coached this teacher last year' },
      }),
      allowed: ['reviewer'],
      success: 303,
      note: 'Declare a conflict of interest',
      audited: true,
    },
    get(
      '/hubs/:id/cohorts/:cohortId/reviewers',
      ROUND_MANAGERS,
      'A hub’s review queue and reviewers for a cohort',
      `/hubs/${HUB}/cohorts/primary-mastery-specialist-13/reviewers`,
    ),
    {
      method: 'POST',
      route: '/hubs/:id/cohorts/:cohortId/reviewers/settings',
      prepare: async () => ({
        url: `/hubs/${HUB}/cohorts/primary-mastery-specialist-13/reviewers/settings`,
        body: { blindReview: 'no', reviewsPerApplication: '2', priorities: '' },
      }),
      allowed: ROUND_MANAGERS,
      success: 303,
      note: 'Set a round’s blind review, reviews per application and priorities',
      audited: true,
    },
    {
      method: 'POST',
      route: '/hubs/:id/cohorts/:cohortId/reviewers/assign',
      prepare: async () => {
        const { id, cohortId } = await freshSubmittedIn()
        return {
          url: `/hubs/${HUB}/cohorts/${cohortId}/reviewers/assign`,
          body: { applicationId: id, reviewerId: await personId('grace.lee@northvale.mathshub.example') },
        }
      },
      allowed: ROUND_MANAGERS,
      success: 303,
      note: 'Assign a reviewer by hand',
      audited: true,
    },
    {
      method: 'POST',
      route: '/hubs/:id/cohorts/:cohortId/reviewers/assign-automatically',
      prepare: async () => {
        const { cohortId } = await freshSubmittedIn()
        return { url: `/hubs/${HUB}/cohorts/${cohortId}/reviewers/assign-automatically` }
      },
      allowed: ROUND_MANAGERS,
      success: 303,
      note: 'Assign reviewers automatically, balancing their load',
      audited: true,
    },
    {
      method: 'POST',
      route: '/hubs/:id/cohorts/:cohortId/reviewers/take-away',
      prepare: async () => {
        const { assignmentId, cohortId } = await freshAssignment()
        return { url: `/hubs/${HUB}/cohorts/${cohortId}/reviewers/take-away`, body: { assignmentId } }
      },
      allowed: ROUND_MANAGERS,
      success: 303,
      note: 'Take a review away from a reviewer',
      audited: true,
    },
    ...(['csv', 'xlsx'] as const).flatMap((format): Check[] => [
      {
        method: 'GET',
        route: `/hubs/:id/cohorts/:cohortId/export.${format}`,
        prepare: async () => ({ url: `/hubs/${HUB}/cohorts/primary-mastery-specialist-13/export.${format}` }),
        allowed: HUB_TEAM_VIEWERS,
        success: 200,
        note: `A hub’s applications with scores and decisions (${format.toUpperCase()})`,
        audited: true,
      },
      {
        method: 'GET',
        route: `/admin/cohorts/:cohortId/export.${format}`,
        prepare: async () => ({ url: `/admin/cohorts/primary-mastery-specialist-13/export.${format}` }),
        allowed: PEOPLE_OF_NCETM,
        success: 200,
        note: `Every hub’s applications for a cohort (${format.toUpperCase()})`,
        audited: true,
      },
    ]),
    get(
      '/api/v1/hubs/:id/cohorts/:cohortId/ranking',
      HUB_TEAM_VIEWERS,
      'API: a hub’s ranking for a cohort',
      `/api/v1/hubs/${HUB}/cohorts/primary-mastery-specialist-13/ranking`,
    ),
    get(
      '/api/v1/hubs/:id/cohorts/:cohortId/reviewers-behind',
      ROUND_MANAGERS,
      'API: a round’s review deadline and the reviewers behind',
      `/api/v1/hubs/${HUB}/cohorts/primary-mastery-specialist-13/reviewers-behind`,
    ),
    {
      method: 'GET',
      route: '/api/v1/applications/:id/reviews',
      prepare: async () => ({
        url: `/api/v1/applications/${(await freshAssignment()).applicationId}/reviews`,
      }),
      allowed: [...HUB_TEAM_VIEWERS, 'reviewer'],
      success: 200,
      note: 'API: an application’s reviews (a reviewer: only their own, and not in a blind round)',
    },
    {
      method: 'GET',
      route: '/api/v1/reviews/:id',
      prepare: async () => ({ url: `/api/v1/reviews/${(await freshAssignment()).assignmentId}` }),
      allowed: ['reviewer'],
      success: 200,
      note: 'API: a review by its id (here Grace Lee’s: only the assigned reviewer)',
    },
    {
      method: 'GET',
      route: '/api/v1/applications/:id/decision',
      prepare: async () => ({ url: `/api/v1/applications/${await freshReleasedDecision()}/decision` }),
      allowed: [...HUB_TEAM_VIEWERS, 'teacher'],
      success: 200,
      note: 'API: an application’s decision (the teacher once released)',
    },
    get(
      '/api/v1/cohorts/:cohortId/selection',
      PEOPLE_OF_NCETM,
      'API: every hub’s selection for a cohort',
      '/api/v1/cohorts/primary-mastery-specialist-13/selection',
    ),
    // The development years: participations, events, bookings and attendance
    get('/api/v1/me/participations', 'signed-in', 'API: your own participations'),
    get(
      '/api/v1/participations',
      HUB_TEAM_VIEWERS,
      'API: a hub’s specialists (its team, and NCETM)',
      `/api/v1/participations?hub=${HUB}`,
    ),
    get(
      '/api/v1/participations/:id',
      [...HUB_TEAM_VIEWERS, 'specialist'],
      'API: a participation, its stages and history (the specialist, the hub’s team, NCETM)',
      `/api/v1/participations/${ev.participationId}`,
    ),
    {
      method: 'POST',
      route: '/api/v1/participations/:id/stage-changes',
      prepare: async () => {
        const { participationId } = await makeParticipation(t.database.db, {
          cohortId: ev.cohortId,
          hubId: HUB,
        })
        return {
          url: `/api/v1/participations/${participationId}/stage-changes`,
          body: { change: 'withdraw', on: '2026-11-01', reason: 'Moving school' },
        }
      },
      allowed: HUB_TEAM_MANAGERS,
      success: 200,
      note: 'API: change a participation’s stage (NCETM administrators and the hub’s lead)',
      audited: true,
    },
    get(
      '/api/v1/cohorts/:id/events',
      ['nationalAdmin'],
      'API: a cohort’s residentials and workshop',
      `/api/v1/cohorts/${ev.cohortId}/events`,
    ),
    get(
      '/api/v1/hubs/:id/events',
      ORGANISERS,
      'API: a hub’s sessions and visits',
      `/api/v1/hubs/${HUB}/events`,
    ),
    get('/api/v1/me/events', 'signed-in', 'API: your own events'),
    {
      method: 'POST',
      route: '/api/v1/events',
      prepare: async () => ({
        url: '/api/v1/events',
        body: {
          kind: 'hub-session',
          title: 'Matrix session',
          hubId: HUB,
          days: [{ startsAt: '2027-02-03T09:00:00Z', endsAt: '2027-02-03T12:00:00Z' }],
          venues: [{ name: 'Northvale Academy', address: 'School Lane, Northvale', capacity: 20 }],
        },
      }),
      allowed: ORGANISERS,
      success: 201,
      note: 'API: schedule an event (here a Northvale hub session)',
      audited: true,
    },
    get(
      '/api/v1/events/:id',
      [...ORGANISERS, 'specialist'],
      'API: an event (its organisers, and the specialists invited)',
      `/api/v1/events/${ev.sessionId}`,
    ),
    ...(['confirm', 'move', 'cancel'] as const).map((action): Check => ({
      method: 'POST',
      route: `/api/v1/events/:id/${action}`,
      prepare: async () => ({
        url: `/api/v1/events/${await freshSession()}/${action}`,
        body: {
          confirm: undefined,
          move: { days: [{ startsAt: '2026-11-23T09:00:00Z', endsAt: '2026-11-23T16:00:00Z' }] },
          cancel: { reason: 'The room is not free' },
        }[action],
      }),
      allowed: ORGANISERS,
      success: 200,
      note: `API: ${action} an event (its organisers)`,
      audited: true,
    })),
    {
      method: 'POST',
      route: '/api/v1/events/:id/bookings',
      prepare: async () => ({
        url: `/api/v1/events/${await freshSession()}/bookings`,
        body: { accessNeeds: 'A hearing loop' },
      }),
      allowed: ['specialist'],
      success: 201,
      note: 'API: book a place (the specialists invited)',
      audited: true,
    },
    get(
      '/api/v1/events/:id/bookings',
      ORGANISERS,
      'API: an event’s bookings with needs (its organisers)',
      `/api/v1/events/${ev.sessionId}/bookings`,
    ),
    {
      method: 'POST',
      route: '/api/v1/bookings/:id/cancel',
      prepare: async () => ({ url: `/api/v1/bookings/${await freshBooking()}/cancel` }),
      allowed: [...ORGANISERS, 'specialist'],
      success: 200,
      note: 'API: cancel a booking (the person’s own, or the event’s organisers)',
      audited: true,
    },
    get(
      '/api/v1/events/:id/attendance',
      [...ORGANISERS, 'specialist'],
      'API: an event’s attendance (its organisers; an attendee their own)',
      `/api/v1/events/${ev.sessionId}/attendance`,
    ),
    {
      method: 'POST',
      route: '/api/v1/events/:id/attendance',
      prepare: async () => ({
        url: `/api/v1/events/${ev.sessionId}/attendance`,
        body: { marks: [{ bookingId: ev.bookingId, dayNumber: 1, status: 'present' }] },
      }),
      allowed: ORGANISERS,
      success: 200,
      note: 'API: mark attendance (its organisers)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/events/:id/attendance/import',
      prepare: async () => ({
        url: `/api/v1/events/${ev.sessionId}/attendance/import`,
        body: { file: Buffer.from(`Email,Day,Status\r\n${ev.samEmail},1,Late\r\n`).toString('base64') },
      }),
      allowed: ORGANISERS,
      success: 200,
      note: 'API: upload attendance as CSV or XLSX (its organisers)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/events/:id/days/:day/code',
      prepare: async () => ({ url: `/api/v1/events/${ev.sessionId}/days/1/code` }),
      allowed: ORGANISERS,
      success: 200,
      note: 'API: show a day’s attendance code (its organisers)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/events/:id/attendance-code',
      prepare: async () => ({
        url: `/api/v1/events/${ev.sessionId}/attendance-code`,
        body: {
          code: await showAttendanceCode(
            asActor(await actorOf('priya.shah@northvale.mathshub.example')),
            ev.sessionId,
            1,
          ),
        },
      }),
      allowed: ['specialist'],
      success: 200,
      note: 'API: enter the day’s code (an attendee with a place)',
      audited: true,
    },
    get('/programmes', 'everyone', 'Programmes'),
    get('/programmes/:id', 'everyone', 'A programme', '/programmes/primary-mastery-specialist'),
    get('/cohorts/:id', 'everyone', 'A cohort and its window', '/cohorts/primary-mastery-specialist-13'),
    get(
      '/programmes/:id/cohorts/new',
      ['nationalAdmin'],
      'Add a cohort to a programme',
      '/programmes/primary-mastery-specialist/cohorts/new',
    ),
    {
      method: 'POST',
      route: '/programmes/:id/cohorts',
      prepare: async () => {
        const { body } = await freshCohortForm()
        return {
          url: '/programmes/primary-mastery-specialist/cohorts',
          body: { ...body, number: String(nextCohortNumber++) },
        }
      },
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Set up a cohort',
      audited: true,
    },
    get(
      '/cohorts/:id/edit',
      ['nationalAdmin'],
      'Change a cohort’s details',
      '/cohorts/primary-mastery-specialist-13/edit',
    ),
    {
      method: 'POST',
      route: '/cohorts/:id/edit',
      prepare: async () => {
        const { id, body } = await freshCohortForm()
        return { url: `/cohorts/${id}/edit`, body: { ...body, developmentYear: '2027/28' } }
      },
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Change a cohort’s details',
      audited: true,
    },
    get(
      '/cohorts/:id/close',
      ['nationalAdmin'],
      'Confirm closing a cohort to applications',
      '/cohorts/primary-mastery-specialist-13/close',
    ),
    {
      method: 'POST',
      route: '/cohorts/:id/close',
      prepare: async () => ({ url: `/cohorts/${await freshOpenCohort()}/close` }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Close a cohort to applications now',
      audited: true,
    },
    {
      method: 'POST',
      route: '/cohorts/:id/interest',
      prepare: async () => {
        // Every role asks from one address here; the limits are tested elsewhere.
        await t.database.db.deleteFrom('rate_limits').where('key', 'like', 'interest:%').execute()
        return {
          url: '/cohorts/embedding-work-group-3/interest',
          body: { email: `keen-${randomUUID()}@school.example` },
        }
      },
      allowed: 'everyone',
      success: 303,
      note: 'Ask to be told when a cohort opens (a link is emailed to confirm the address)',
      audited: true,
    },
    get(
      '/cohort-interest/:token',
      'everyone',
      'Tell me when it opens: the emailed link that confirms the address',
      '/cohort-interest/abcdefghijklmnopqrstuvwxyz',
    ),
    {
      method: 'POST',
      route: '/cohort-interest/:token',
      prepare: async () => ({ url: '/cohort-interest/abcdefghijklmnopqrstuvwxyz' }),
      allowed: 'everyone',
      success: 410,
      note: 'Confirm an address for "tell me when it opens" (this link is unknown)',
    },
    {
      method: 'POST',
      route: '/cohorts/:id/apply',
      prepare: async () => ({ url: `/cohorts/${await freshOpenCohort()}/apply` }),
      allowed: 'signed-in',
      success: 303,
      note: 'Start an application (anyone signed in may apply)',
      audited: 'signed-in',
      refused: { specialist: HOLDS_A_PLACE },
    },
    get('/applications', 'signed-in', 'Your applications'),
    {
      method: 'GET',
      route: '/applications/:id',
      prepare: async () => ({ url: `/applications/${await freshSubmitted()}` }),
      allowed: APPLICATION_READERS,
      success: 200,
      note: 'A submitted application (to a Northvale school): NCETM, the hub’s team, its teacher',
    },
    ...(['school', 'teaching', 'evidence', 'headteacher', 'check', 'withdraw'] as const).map(
      (part): Check => ({
        method: 'GET',
        route: `/applications/:id/${part}`,
        prepare: async () => ({ url: `/applications/${await freshDraft()}/${part}` }),
        allowed: ['teacher'],
        success: 200,
        note: `An application’s ${part} page (a draft: only its teacher)`,
      }),
    ),
    {
      method: 'POST',
      route: '/applications/:id/school',
      prepare: async () => ({ url: `/applications/${await freshDraft()}/school`, body: { urn: '990001' } }),
      allowed: ['teacher'],
      success: 303,
      note: 'Choose the school (only the teacher who applied)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/applications/:id/teaching',
      prepare: async () => ({
        url: `/applications/${await freshDraft()}/teaching`,
        body: {
          hasQts: 'no',
          yearsTeachingMaths: '3',
          currentRole: 'Class teacher',
          classesTaught: 'Year 2',
        },
      }),
      allowed: ['teacher'],
      success: 303,
      note: 'Save teaching details',
      audited: true,
    },
    {
      method: 'POST',
      route: '/applications/:id/evidence',
      prepare: async () => ({
        url: `/applications/${await freshDraft()}/evidence`,
        body: { 'evidence-enthusiasm': 'I love it' },
      }),
      allowed: ['teacher'],
      success: 303,
      note: 'Save evidence against the criteria',
      audited: true,
    },
    {
      method: 'POST',
      route: '/applications/:id/headteacher',
      prepare: async () => ({ url: `/applications/${await freshDraft()}/headteacher`, body: HEAD }),
      allowed: ['teacher'],
      success: 303,
      note: 'Ask the headteacher to endorse',
      audited: true,
    },
    {
      method: 'POST',
      route: '/applications/:id/submit',
      prepare: async () => ({
        url: `/applications/${await freshEndorsed()}/submit`,
        body: { idempotencyKey: randomUUID() },
      }),
      allowed: ['teacher'],
      success: 303,
      note: 'Submit an endorsed application',
      audited: true,
    },
    {
      method: 'POST',
      route: '/applications/:id/withdraw',
      prepare: async () => ({ url: `/applications/${await freshDraft()}/withdraw` }),
      allowed: ['teacher'],
      success: 303,
      note: 'Withdraw an application',
      audited: true,
    },
    {
      method: 'POST',
      route: '/applications/:id/headteacher-verification',
      prepare: async () => {
        const id = await freshSubmitted()
        // As if the teacher had named a headteacher the service does not hold for the school.
        await t.database.db
          .updateTable('applications')
          .set({ headteacher_verification: null, headteacher_verified_at: null })
          .where('id', '=', id)
          .execute()
        return { url: `/applications/${id}/headteacher-verification` }
      },
      allowed: ROUND_MANAGERS,
      success: 303,
      note: 'Mark an application’s headteacher as verified (the hub lead)',
      audited: true,
    },
    {
      method: 'GET',
      route: '/applications/:id/ask-headteacher',
      prepare: async () => ({ url: `/applications/${await freshUnverified()}/ask-headteacher` }),
      allowed: ROUND_MANAGERS,
      success: 200,
      note: 'Ask the school’s headteacher to confirm an application (the hub lead)',
    },
    {
      method: 'POST',
      route: '/applications/:id/ask-headteacher',
      prepare: async () => ({
        url: `/applications/${await freshUnverified()}/ask-headteacher`,
        body: { name: 'Kim Checked', email: 'kim.checked@school.example' },
      }),
      allowed: ROUND_MANAGERS,
      success: 303,
      note: 'Send the headteacher the hub has checked a link to confirm the application',
      audited: true,
    },
    {
      method: 'GET',
      route: '/confirm-headteacher/:token',
      prepare: async () => ({ url: `/confirm-headteacher/${await freshConfirmationToken()}` }),
      allowed: 'everyone',
      success: 200,
      note: 'The checked headteacher’s emailed link (the link is the authority; no sign-in)',
    },
    {
      method: 'POST',
      route: '/confirm-headteacher/:token',
      prepare: async () => ({
        url: `/confirm-headteacher/${await freshConfirmationToken()}`,
        body: { answer: 'confirmed' },
      }),
      allowed: 'everyone',
      success: 200,
      note: 'The checked headteacher confirms the application through the link',
      audited: true,
    },
    {
      method: 'GET',
      route: '/endorse/:token',
      prepare: async () => ({ url: `/endorse/${(await freshEndorsementRequest()).token}` }),
      allowed: 'everyone',
      success: 200,
      note: 'The headteacher’s emailed link (the link is the authority; no sign-in)',
    },
    {
      method: 'POST',
      route: '/endorse/:token',
      prepare: async () => ({
        url: `/endorse/${(await freshEndorsementRequest()).token}`,
        body: { decision: 'confirm' },
      }),
      allowed: 'everyone',
      success: 200,
      note: 'The headteacher endorses through the link',
      audited: true,
    },
    get(
      '/hubs/:id/applications',
      HUB_TEAM_VIEWERS,
      'A hub’s submitted applications',
      `/hubs/${HUB}/applications`,
    ),
    get('/admin/applications', PEOPLE_OF_NCETM, 'Every hub’s submitted applications'),
    get('/admin/routing', PEOPLE_OF_NCETM, 'The NCETM’s queue of applications from schools with no hub'),
    {
      method: 'POST',
      route: '/admin/routing/:id',
      prepare: async () => ({ url: `/admin/routing/${await freshUnrouted()}`, body: { hubId: HUB } }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Pass an application from a school with no hub to a hub',
      audited: true,
    },
    get('/api/v1/routing-queue', PEOPLE_OF_NCETM, 'API: applications from schools with no hub'),
    {
      method: 'POST',
      route: '/api/v1/applications/:id/hub',
      prepare: async () => ({
        url: `/api/v1/applications/${await freshUnrouted()}/hub`,
        body: { hubId: HUB },
      }),
      allowed: ['nationalAdmin'],
      success: 200,
      note: 'API: pass an application from a school with no hub to a hub',
      audited: true,
    },
    get('/api/v1/applications', 'signed-in', 'API: the applications the token may read'),
    {
      method: 'POST',
      route: '/api/v1/applications',
      prepare: async () => ({ url: '/api/v1/applications', body: { cohortId: await freshOpenCohort() } }),
      allowed: 'signed-in',
      success: 201,
      note: 'API: start an application',
      audited: 'signed-in',
      refused: { specialist: HOLDS_A_PLACE },
    },
    {
      method: 'GET',
      route: '/api/v1/applications/:id',
      prepare: async () => ({ url: `/api/v1/applications/${await freshSubmitted()}` }),
      allowed: APPLICATION_READERS,
      success: 200,
      note: 'API: a submitted application',
    },
    {
      method: 'PATCH',
      route: '/api/v1/applications/:id',
      prepare: async () => ({
        url: `/api/v1/applications/${await freshDraft()}`,
        body: { evidence: { enthusiasm: 'I love it' } },
      }),
      allowed: ['teacher'],
      success: 200,
      note: 'API: change a draft',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/applications/:id/headteacher',
      prepare: async () => ({ url: `/api/v1/applications/${await freshDraft()}/headteacher`, body: HEAD }),
      allowed: ['teacher'],
      success: 200,
      note: 'API: ask the headteacher to endorse',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/applications/:id/submit',
      prepare: async () => ({
        url: `/api/v1/applications/${await freshEndorsed()}/submit`,
        headers: { 'idempotency-key': randomUUID() },
      }),
      allowed: ['teacher'],
      success: 200,
      note: 'API: submit (with an Idempotency-Key)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/applications/:id/withdraw',
      prepare: async () => ({ url: `/api/v1/applications/${await freshDraft()}/withdraw` }),
      allowed: ['teacher'],
      success: 200,
      note: 'API: withdraw an application',
      audited: true,
    },
    ...eventPageChecks(() => t),
    ...developmentPageChecks(() => t),
    ...developmentApiChecks(() => t),
    ...workGroupPageChecks(() => t),
    ...workGroupSchoolChecks(() => t),
    ...workGroupSessionChecks(() => t),
    ...workGroupSessionApiChecks(() => t),
    ...allocationChecks(() => t),
    ...workGroupApiChecks(() => t),
    ...schoolJourneyChecks(() => t),
  ]
}

function expectedOutcome(check: Check, persona: PersonaName): Outcome {
  if (check.allowed === 'everyone') return 'ok'
  if (persona === 'anonymous') return check.route.startsWith('/api/') ? 'unauthenticated' : 'sign-in'
  if (check.allowed === 'signed-in') return 'ok'
  return check.allowed.includes(persona) ? 'ok' : 'not-found'
}

function statusFor(check: Check, outcome: Outcome): number {
  return { ok: check.success, 'not-found': 404, 'sign-in': 302, unauthenticated: 401 }[outcome]
}

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
  ev = await eventFixtures()
  checks = buildChecks()
})
afterAll(async () => {
  await t?.close()
})

describe('the access matrix', () => {
  it('has a row for every route the app registers', () => {
    const registered = t.app.routeTable
      .filter((r) => !r.url.startsWith('/assets/'))
      .map((r) => `${r.method} ${r.url}`)
      .sort()
    const covered = checks.map((c) => `${c.method} ${c.route}`).sort()
    expect(covered).toEqual(registered)
  })

  it('answers every role exactly as the matrix says', async () => {
    const grace = await personId('grace.lee@northvale.mathshub.example')
    const failures: string[] = []
    for (const check of checks) {
      for (const persona of PERSONA_NAMES) {
        // Each role gets its own fresh client for sign-out, which ends the session it is given.
        const client = check.freshClient ? (await signInPersonas(t))[persona] : clients[persona]
        const { url, body, headers } = await check.prepare()
        const response = await request(
          t,
          client,
          check.method,
          url.replace('PERSON', String(grace)),
          body,
          headers,
        )
        const outcome = expectedOutcome(check, persona)
        const status = check.refused?.[persona]?.status ?? statusFor(check, outcome)
        const location = String(response.headers.location ?? '')
        const ok = response.statusCode === status && (outcome !== 'sign-in' || location === '/sign-in')
        if (!ok)
          failures.push(
            `${check.method} ${url} as ${persona}: expected ${status}, got ${response.statusCode} ${location}`,
          )
        // Every change of state made here is in the audit trail, under this request's id.
        const changed =
          outcome === 'ok' &&
          !check.refused?.[persona] &&
          (check.audited === true || (check.audited === 'signed-in' && persona !== 'anonymous'))
        if (changed) {
          const requestId = String(response.headers['x-request-id'])
          const rows = await t.database.db
            .selectFrom('audit_events')
            .select('id')
            .where('request_id', '=', requestId)
            .execute()
          if (rows.length === 0)
            failures.push(`${check.method} ${url} as ${persona}: no audit row for ${requestId}`)
        }
      }
    }
    expect(failures).toEqual([])
  }, 600_000) // hundreds of requests and fresh records: minutes on a busy machine

  it('is written down in docs/permissions.md', () => {
    const columns = PERSONA_NAMES
    const mark: Record<Outcome, string> = {
      ok: '✓',
      'not-found': '404',
      'sign-in': 'sign in',
      unauthenticated: '401',
    }
    const lines = [
      '# Permissions',
      '',
      'Generated by test/access-matrix.int.test.ts from the matrix it enforces; do not edit by hand',
      '(run `UPDATE_PERMISSIONS_DOC=1 npx vitest run --project integration test/access-matrix.int.test.ts`).',
      '',
      '✓: allowed. 404: answered "not found", so the record’s existence is not revealed. sign in: the',
      'page sends an anonymous visitor to sign in. 401: the API needs a token. Hub roles are shown for',
      'Northvale Maths Hub’s records; "other hub lead" leads a different hub. The school is one in',
      'Northvale’s area whose headteacher is the "headteacher".',
      '',
      `| Route | What | ${columns.join(' | ')} |`,
      `| --- | --- | ${columns.map(() => '---').join(' | ')} |`,
      ...checks.map(
        (c) =>
          `| \`${c.method} ${c.route}\` | ${c.note} | ${columns.map((p) => (c.refused?.[p] ? `${c.refused[p]!.status}: ${c.refused[p]!.why}` : mark[expectedOutcome(c, p)])).join(' | ')} |`,
      ),
      '',
    ]
    const text = lines.join('\n')
    const file = path.resolve('docs/permissions.md')
    if (process.env.UPDATE_PERMISSIONS_DOC) fs.writeFileSync(file, text)
    expect(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').toBe(text)
  })
})

describe('cross-hub and cross-school requests by id', () => {
  it('answer 404 in pages and the API', async () => {
    const priya = clients.hubLead
    for (const url of [
      '/hubs/riverside-maths-hub/team',
      '/api/v1/hubs/riverside-maths-hub/team',
      '/admin/hubs/riverside-maths-hub',
    ]) {
      expect((await request(t, priya, 'GET', url)).statusCode, url).toBe(404)
    }
    const riversideSchool = await t.database.db
      .selectFrom('schools')
      .select('urn')
      .where('la_code', '=', '953')
      .executeTakeFirstOrThrow()
    expect(
      (await request(t, clients.headteacher, 'GET', `/schools/${riversideSchool.urn}/people`)).statusCode,
    ).toBe(404)
    expect(
      (await request(t, clients.hubLead, 'GET', `/api/v1/schools/${riversideSchool.urn}/people`)).statusCode,
    ).toBe(404)
    const ruth = await personId('ruth.okafor@riverside.mathshub.example')
    expect((await request(t, priya, 'GET', `/people/${ruth}`)).statusCode).toBe(404)
    // Writes too: Priya cannot add to Riverside's team.
    const write = await request(t, priya, 'POST', '/hubs/riverside-maths-hub/team', {
      email: 'x@school.example',
      name: 'X',
      role: 'reviewer',
    })
    expect(write.statusCode).toBe(404)
    const count = await t.database.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', 'x@school.example')
      .execute()
    expect(count).toEqual([])
  })
})
