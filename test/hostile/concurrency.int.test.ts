// The same request several times at once, on every route that writes a table with a uniqueness
// rule (a unique index or key in src/db/migrations/): role grants, team additions, accounts,
// hub names and areas, cohorts, interest sign-ups, applications, review assignments, reviews,
// decisions, offers, single-use links, stage changes, events, bookings and attendance, and schools'
// interest in Work Groups (one live interest, the waiting list, two advocates, a group's places). On
// PostgreSQL the copies really race; on PGlite they take turns. Either way no answer is a 5xx,
// each is a clear success or a clear refusal (the API's {errors} or a page), exactly one wins
// where the rule allows one, and the rule holds afterwards.
//
// Every POST/PUT/PATCH/DELETE route the app registers must be either in RACES or in
// NO_UNIQUENESS_RULE with the reason, and every unique index the database has must be named by a
// race or by UNIQUE_WITHOUT_A_ROUTE: a new write route or a new unique rule has to be classified.
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import {
  contextOf,
  freshBooking,
  freshPastDate,
  freshResidential,
  freshTask,
  participationOf,
} from '../event-fixtures.ts'
import { addRequirement } from '../../src/domain/participants/accreditation/manage-requirements.ts'
import { logReleaseTime } from '../../src/domain/participants/release-time/log-release-time.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cohortFormBody, cohortInputWith, ensureCohort } from '../cohort-factory.ts'
import { findCohort } from '../../src/domain/programmes/programmes.repository.ts'
import { showAttendanceCode } from '../../src/domain/events/attendance/record-attendance.ts'
import { bookPlace } from '../../src/domain/events/bookings/book-place.ts'
import { scheduleEvent } from '../../src/domain/events/scheduling/schedule-event.ts'
import type { UseCaseContext } from '../../src/domain/use-case.ts'
import { makeParticipation } from '../participation-fixtures.ts'
import { WORK_GROUP_HUB, workGroupForm } from '../work-group-fixtures.ts'
import { allocationScenario } from '../work-group-allocation-fixtures.ts'
import { cohortFormValues } from '../../src/web/cohort-form.ts'
import { actorByEmail, roundAt, type StagedRound } from '../decision-fixtures.ts'
import type { PersonaName } from '../personas.ts'
import { freshQuestionnaireToken, fullAnswers, schoolWithoutStage } from '../work-group-journey-fixtures.ts'
import { freshWorkGroup as freshGroupToSend } from '../work-group-fixtures.ts'
import {
  fillGroup as fillGroupToSend,
  freeSchoolsIn,
  readyInterest,
  schoolContact,
  type InterestScope,
} from '../work-group-school-fixtures.ts'
import { hashSecret as hashLinkSecret } from '../../src/domain/auth/tokens.ts'
import { freshSession, sessionTargets } from '../work-group-session-fixtures.ts'
import {
  api,
  askHeadteacher,
  completed,
  countInputs,
  databaseLeak,
  finishShare,
  freshVisitor,
  labelled,
  newTeacher,
  NORTHVALE_PRIMARY,
  OPEN_COHORT,
  openHostileApp,
  page,
  personas,
  t,
  type Field,
  type Person,
  type Reply,
} from './harness.ts'

const TIMEOUT = 300_000
/** Copies of each request sent at once. */
const COPIES = 6
const HUB = 'northvale-maths-hub'
const UPCOMING_COHORT = 'embedding-work-group-3'

interface Race {
  /** As the app registers it. */
  route: string
  /** The unique indexes or keys the route's writes must respect (as named in the database). */
  guards: string[]
  /**
   * 'one': exactly one copy succeeds, the rest are refused (4xx); 'same': every copy may succeed,
   * as a repeat of the same thing (the rule still holds, checked by `rows`); a number: exactly that
   * many copies succeed (two advocates of a school), the rest are refused.
   */
  winners: 'one' | 'same' | number
  /** What every refused copy must say, so that the loser knows why. */
  refusedWith?: string
  /** Makes a fresh target and gives the copies to send at once. */
  prepare: () => Promise<{ send: () => Promise<Reply>; rows: () => Promise<number>; expectRows: number }>
}

let people: Record<PersonaName, Person>
let cohortNumber = 600

const count = async (query: ReturnType<typeof sql<{ n: number }>>): Promise<number> =>
  (await query.execute(t.database.db)).rows[0]!.n

async function round(stage: 'reviewing' | 'released', applicant?: Person): Promise<StagedRound> {
  const email = applicant
    ? (
        await t.database.db
          .selectFrom('people')
          .select('email')
          .where('id', '=', applicant.personId!)
          .executeTakeFirstOrThrow()
      ).email
    : undefined
  return roundAt(t.database.db, t.clock, stage, {
    number: cohortNumber++,
    applicant: email ? await actorByEmail(t.database.db, email) : undefined,
  })
}

const form =
  (who: () => Promise<Person> | Person, url: string, fields: Field[] = []) =>
  async () =>
    page(await who(), 'POST', url, fields)

const liveGrants = (email: string) =>
  count(sql<{ n: number }>`SELECT count(*)::int AS n FROM grants g JOIN people p ON p.id = g.person_id
    WHERE lower(p.email) = lower(${email}) AND g.revoked_at IS NULL`)
const peopleWith = (email: string) =>
  count(sql<{ n: number }>`SELECT count(*)::int AS n FROM people WHERE lower(email) = lower(${email})`)

// --- The development years: Sam Carter (the specialist persona) in year 1 of a secondary cohort
// at Northvale; each race has a hub session today of its own, and Sam's place on it.

let development: { cohortId: string; laterCohortId: string; samEmail: string }

function useCase(actor: Awaited<ReturnType<typeof actorByEmail>>): UseCaseContext {
  return {
    db: t.database.db,
    actor,
    clock: t.clock,
    requestId: 'race-setup',
    baseUrl: 'http://localhost:3000',
  }
}

/** A Northvale hub session today, 9am to 4pm (the clock reads 10am), made by the hub lead. */
async function hubSession(): Promise<number> {
  const lead = await actorByEmail(t.database.db, 'priya.shah@northvale.mathshub.example')
  const event = await scheduleEvent(useCase(lead), {
    kind: 'hub-session',
    title: `Race ${randomUUID()}`,
    hubId: HUB,
    days: [{ startsAt: '2026-11-22T09:00:00Z', endsAt: '2026-11-22T16:00:00Z' }],
    venues: [{ name: 'Northvale Academy', address: 'School Lane, Northvale', capacity: 50 }],
  })
  return event.id
}

/** A fresh session with Sam Carter's place on it. */
async function bookedSession(): Promise<{ eventId: number; bookingId: number }> {
  const eventId = await hubSession()
  const sam = await actorByEmail(t.database.db, 'sam.carter@school.example')
  const { booking } = await bookPlace(useCase(sam), eventId, {})
  return { eventId, bookingId: booking.id }
}

const attendanceOf = (bookingId: number) =>
  count(sql<{ n: number }>`SELECT count(*)::int AS n FROM attendance WHERE booking_id = ${bookingId}`)

// --- Schools in Work Groups: fresh schools of Northvale with no interest in the programme and
// year raced, each with a contact of its own; interests ready for the hub made straight in the tables.

const NEXT_YEAR_READINESS: InterestScope = {
  hubId: HUB,
  programmeId: 'readiness',
  academicYear: '2027/28',
  phase: 'primary',
}

async function contactOfFreeSchool(scope: InterestScope): Promise<{ urn: number; contact: Person }> {
  const [urn] = await freeSchoolsIn(t, scope, 1)
  return { urn: urn!, contact: labelled(await schoolContact(t, urn!), `contact of ${urn}`) }
}

const liveInterests = (urn: number, scope: InterestScope) =>
  count(sql<{ n: number }>`SELECT count(*)::int AS n FROM work_group_interests
    WHERE school_urn = ${urn} AND programme_id = ${scope.programmeId} AND academic_year = ${scope.academicYear}
      AND status NOT IN ('declined', 'withdrawn')`)

/** Ready interests of as many fresh schools, for copies that each decide a different school. */
async function readyInterests(scope: InterestScope, n: number): Promise<number[]> {
  const ids: number[] = []
  for (const urn of await freeSchoolsIn(t, scope, n)) ids.push(await readyInterest(t, urn, scope))
  return ids
}

const idList = (ids: number[]) => sql.join(ids.map((id) => sql`${id}`))

const RACES: Race[] = [
  {
    route: 'POST /hubs/:id/team',
    guards: ['people_email_unique', 'grants_live_unique'],
    winners: 'one',
    prepare: async () => {
      const email = `racer-${randomUUID()}@school.example`
      const fields: Field[] = [
        ['email', email],
        ['name', 'Rhea Racer'],
        ['role', 'reviewer'],
        ['workplaceUrn', String(NORTHVALE_PRIMARY)],
      ]
      return {
        send: form(() => people.hubLead, `/hubs/${HUB}/team`, fields),
        rows: () => liveGrants(email),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /api/v1/hubs/:id/team',
    guards: ['people_email_unique', 'grants_live_unique'],
    winners: 'one',
    prepare: async () => {
      const email = `racer-${randomUUID()}@school.example`
      const json = { email, name: 'Rhea Racer', role: 'reviewer', workplaceUrn: NORTHVALE_PRIMARY }
      return {
        send: () => api(people.hubLead, 'POST', `/api/v1/hubs/${HUB}/team`, { json }),
        rows: () => liveGrants(email),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /admin/people/new',
    guards: ['people_email_unique', 'grants_live_unique'],
    winners: 'one',
    prepare: async () => {
      const email = `racer-${randomUUID()}@school.example`
      const fields: Field[] = [
        ['email', email],
        ['name', 'Hana Racer'],
        ['role', 'hub-admin'],
        ['hubId', HUB],
      ]
      return {
        send: form(() => people.nationalAdmin, '/admin/people/new', fields),
        rows: () => peopleWith(email),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /people/:id/grants',
    guards: ['grants_live_unique'],
    winners: 'one',
    prepare: async () => {
      const teacher = await newTeacher()
      const email = (
        await t.database.db
          .selectFrom('people')
          .select('email')
          .where('id', '=', teacher.personId!)
          .executeTakeFirstOrThrow()
      ).email
      const fields: Field[] = [
        ['role', 'reviewer'],
        ['hubId', HUB],
      ]
      return {
        send: form(() => people.nationalAdmin, `/people/${teacher.personId}/grants`, fields),
        rows: () => liveGrants(email),
        // Their teacher grant and the one reviewer grant.
        expectRows: 2,
      }
    },
  },
  {
    route: 'POST /create-account',
    guards: ['people_email_unique'],
    // The page says the same to an address that has an account, so no one can tell.
    winners: 'same',
    prepare: async () => {
      const email = `racer-${randomUUID()}@school.example`
      const fields: Field[] = [
        ['name', 'Ada Racer'],
        ['email', email],
      ]
      return {
        send: form(freshVisitor, '/create-account', fields),
        rows: () => peopleWith(email),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /admin/hubs/:id',
    guards: ['hubs_name_key'],
    // Copies to the hub that wins repeat its change; those to the other must be refused.
    winners: 'same',
    prepare: async () => {
      // Two hubs renamed to the same new name at once, three times each.
      const name = `Racing Maths Hub ${randomUUID().slice(0, 8)}`
      const fields = (): Field[] => [
        ['name', name],
        ['contactEmail', 'hub@northvale.mathshub.example'],
        ['contactPhone', '01632 960001'],
        ['website', 'https://northvale.mathshub.example'],
      ]
      let n = 0
      return {
        send: () =>
          page(
            people.nationalAdmin,
            'POST',
            `/admin/hubs/${n++ % 2 ? 'riverside-maths-hub' : 'eastmoor-maths-hub'}`,
            fields(),
          ),
        rows: () => count(sql<{ n: number }>`SELECT count(*)::int AS n FROM hubs WHERE name = ${name}`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /admin/hubs/:id/areas',
    guards: ['hub_areas_pkey'],
    winners: 'same',
    prepare: async () => {
      await t.database.db.deleteFrom('hub_areas').where('la_code', '=', '958').execute()
      return {
        send: form(() => people.nationalAdmin, `/admin/hubs/${HUB}/areas`, [['laCode', '958']]),
        rows: () => count(sql<{ n: number }>`SELECT count(*)::int AS n FROM hub_areas WHERE la_code = '958'`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /api/v1/cohorts',
    guards: ['cohorts_programme_id_number_key', 'cohorts_pkey'],
    winners: 'one',
    prepare: async () => {
      const json = cohortInputWith({ number: cohortNumber++ })
      return {
        send: () =>
          api(people.nationalAdmin, 'POST', '/api/v1/cohorts', { json }, { 'idempotency-key': randomUUID() }),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM cohorts
            WHERE programme_id = ${json.programmeId} AND number = ${json.number}`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /programmes/:id/cohorts',
    guards: ['cohorts_programme_id_number_key', 'cohorts_pkey'],
    winners: 'one',
    prepare: async () => {
      // The form filled in from an existing cohort, for a number nobody has yet.
      const from = await ensureCohort(t.database.db, cohortInputWith({ number: cohortNumber++ }))
      const number = cohortNumber++
      const fields = Object.entries({
        ...cohortFormBody(cohortFormValues((await findCohort(t.database.db, from))!)),
        number: String(number),
      })
      return {
        send: form(() => people.nationalAdmin, '/programmes/primary-mastery-specialist/cohorts', fields),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM cohorts
            WHERE programme_id = 'primary-mastery-specialist' AND number = ${number}`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /cohorts/:id/interest',
    guards: ['cohort_interest_unique'],
    // The page thanks every sign-up alike, so no one can tell who has signed up.
    winners: 'same',
    prepare: async () => {
      const email = `racer-${randomUUID()}@school.example`
      return {
        send: form(freshVisitor, `/cohorts/${UPCOMING_COHORT}/interest`, [['email', email]]),
        rows: () =>
          count(
            sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM cohort_interest WHERE lower(email) = lower(${email})`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /cohorts/:id/apply',
    guards: ['applications_one_live', 'applications_reference_key'],
    // A second start takes the teacher to the application they have.
    winners: 'same',
    prepare: async () => {
      const teacher = await newTeacher()
      return {
        send: form(() => teacher, `/cohorts/${OPEN_COHORT}/apply`),
        rows: () =>
          count(
            sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM applications WHERE applicant_id = ${teacher.personId}`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /api/v1/applications',
    guards: ['applications_one_live', 'applications_reference_key'],
    winners: 'one',
    prepare: async () => {
      const teacher = await newTeacher()
      return {
        send: () => api(teacher, 'POST', '/api/v1/applications', { json: { cohortId: OPEN_COHORT } }),
        rows: () =>
          count(
            sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM applications WHERE applicant_id = ${teacher.personId}`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /endorse/:token',
    guards: ['endorsement_requests_token_hash_key'],
    winners: 'one',
    prepare: async () => {
      const teacher = await newTeacher()
      const id = await completed(teacher)
      const token = await askHeadteacher(teacher, id)
      return {
        send: form(freshVisitor, `/endorse/${token}`, [['decision', 'confirm']]),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM application_history
            WHERE application_id = ${id} AND to_state = 'endorsed'`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /sign-in/link/:token',
    guards: ['sign_in_tokens_pkey', 'sessions_pkey'],
    winners: 'one',
    prepare: async () => {
      const email = 'amir.hussain@school.example'
      await page(await freshVisitor(), 'POST', '/sign-in', [['email', email]])
      const mail = await t.database.db
        .selectFrom('outbox')
        .select('body_text')
        .where('to_address', '=', email)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
      const token = /\/sign-in\/link\/([A-Za-z0-9_-]+)/.exec(mail.body_text)![1]!
      const before = await count(
        sql<{
          n: number
        }>`SELECT count(*)::int AS n FROM sessions s JOIN people p ON p.id = s.person_id WHERE p.email = ${email}`,
      )
      return {
        send: form(freshVisitor, `/sign-in/link/${token}`),
        rows: async () =>
          (await count(
            sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM sessions s JOIN people p ON p.id = s.person_id WHERE p.email = ${email}`,
          )) - before,
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /hubs/:id/cohorts/:cohortId/reviewers/assign',
    guards: ['review_assignments_live'],
    winners: 'one',
    prepare: async () => {
      const r = await round('reviewing')
      const grace = people.reviewer.personId!
      return {
        send: form(() => people.hubLead, `/hubs/${HUB}/cohorts/${r.cohortId}/reviewers/assign`, [
          ['applicationId', String(r.selected.id)],
          ['reviewerId', String(grace)],
        ]),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM review_assignments
            WHERE application_id = ${r.selected.id} AND reviewer_id = ${grace} AND ended_at IS NULL`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /hubs/:id/cohorts/:cohortId/reviewers/assign-automatically',
    guards: ['review_assignments_live'],
    winners: 'same',
    prepare: async () => {
      const r = await round('reviewing')
      const live = () =>
        count(sql<{
          n: number
        }>`SELECT count(*)::int AS n FROM (SELECT application_id, reviewer_id FROM review_assignments
          WHERE application_id IN (${r.selected.id}, ${r.reserve.id}) AND ended_at IS NULL
          GROUP BY 1, 2 HAVING count(*) > 1) twice`)
      return {
        send: form(() => people.hubLead, `/hubs/${HUB}/cohorts/${r.cohortId}/reviewers/assign-automatically`),
        // No reviewer twice on one application.
        rows: live,
        expectRows: 0,
      }
    },
  },
  {
    route: 'POST /reviews/:id',
    guards: ['reviews_pkey'],
    winners: 'same',
    prepare: async () => {
      const r = await round('reviewing')
      const grace = people.reviewer.personId!
      const assignment = await t.database.db
        .insertInto('review_assignments')
        .values({ application_id: r.selected.id, reviewer_id: grace, assigned_at: t.clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow()
      return {
        send: form(() => people.reviewer, `/reviews/${assignment.id}`, [
          ['action', 'save'],
          ['strategicScore', '3'],
          ['strategicNote', 'A strong fit.'],
        ]),
        rows: () =>
          count(
            sql<{ n: number }>`SELECT count(*)::int AS n FROM reviews WHERE assignment_id = ${assignment.id}`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /hubs/:id/cohorts/:cohortId/selection/applications/:applicationId',
    guards: ['selection_decisions_pkey'],
    winners: 'same',
    prepare: async () => {
      const r = await round('reviewing')
      await t.database.db
        .deleteFrom('selection_decisions')
        .where('application_id', '=', r.reserve.id)
        .execute()
      return {
        send: form(
          () => people.hubLead,
          `/hubs/${HUB}/cohorts/${r.cohortId}/selection/applications/${r.reserve.id}`,
          [
            ['decision', 'not-selected'],
            ['reasonCode', 'other'],
            ['feedback', 'Thank you for applying.'],
            ['shareFeedback', 'yes'],
          ],
        ),
        rows: () =>
          count(
            sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM selection_decisions WHERE application_id = ${r.reserve.id}`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /applications/:id/offer',
    guards: ['participations_application_id_key', 'participations_one_per_cohort'],
    winners: 'one',
    prepare: async () => {
      const teacher = await newTeacher()
      const r = await round('released', teacher)
      await page(await freshVisitor(), 'POST', `/places/${r.placeToken}`, [['decision', 'accept']])
      return {
        send: form(() => teacher, `/applications/${r.selected.id}/offer`, [['decision', 'accept']]),
        rows: () =>
          count(
            sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM participations WHERE application_id = ${r.selected.id}`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /places/:token',
    guards: [
      'participations_application_id_key',
      'participations_one_per_cohort',
      'selection_decisions_headteacher_token_hash_key',
    ],
    winners: 'one',
    prepare: async () => {
      const teacher = await newTeacher()
      const r = await round('released', teacher)
      await page(teacher, 'POST', `/applications/${r.selected.id}/offer`, [['decision', 'accept']])
      return {
        send: form(freshVisitor, `/places/${r.placeToken}`, [['decision', 'accept']]),
        rows: () =>
          count(
            sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM participations WHERE application_id = ${r.selected.id}`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /api/v1/participations/:id/stage-changes',
    guards: ['participations_one_per_cohort'],
    winners: 'one',
    prepare: async () => {
      const { cohortId, laterCohortId } = development
      const { participationId } = await makeParticipation(t.database.db, { cohortId, hubId: HUB })
      const json = { change: 'defer', on: '2026-11-01', reason: 'Moving school', cohortId: laterCohortId }
      return {
        send: () =>
          api(people.hubLead, 'POST', `/api/v1/participations/${participationId}/stage-changes`, { json }),
        rows: () =>
          count(
            sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM participation_stages WHERE participation_id = ${participationId}`,
          ),
        expectRows: 2,
      }
    },
  },
  {
    route: 'POST /api/v1/events',
    guards: ['event_days_event_id_day_number_key', 'event_venues_event_id_name_key'],
    winners: 'same',
    prepare: async () => {
      const title = `Race ${randomUUID()}`
      const json = {
        kind: 'hub-session',
        title,
        hubId: HUB,
        days: [
          { startsAt: '2027-02-03T09:00:00Z', endsAt: '2027-02-03T12:00:00Z' },
          { startsAt: '2027-02-04T09:00:00Z', endsAt: '2027-02-04T12:00:00Z' },
        ],
        venues: [{ name: 'Northvale Academy', address: 'School Lane, Northvale', capacity: 20 }],
      }
      return {
        send: () => api(people.hubLead, 'POST', '/api/v1/events', { json }),
        // Each copy is an event of its own, with its own two days.
        rows: () =>
          count(sql<{
            n: number
          }>`SELECT count(*)::int AS n FROM event_days d JOIN events e ON e.id = d.event_id
            WHERE e.title = ${title}`),
        expectRows: COPIES * 2,
      }
    },
  },
  {
    route: 'POST /api/v1/events/:id/move',
    guards: ['event_days_event_id_day_number_key', 'event_venues_event_id_name_key'],
    winners: 'one',
    prepare: async () => {
      const eventId = await hubSession()
      const json = {
        days: [
          { startsAt: '2026-11-23T09:00:00Z', endsAt: '2026-11-23T16:00:00Z' },
          { startsAt: '2026-11-24T09:00:00Z', endsAt: '2026-11-24T16:00:00Z' },
        ],
        venues: [{ name: 'Riverside Hall', address: 'River Road, Northvale', capacity: 30 }],
      }
      return {
        send: () => api(people.hubLead, 'POST', `/api/v1/events/${eventId}/move`, { json }),
        rows: () =>
          count(sql<{ n: number }>`SELECT (SELECT count(*) FROM event_days WHERE event_id = ${eventId})::int
            + (SELECT count(*) FROM event_venues WHERE event_id = ${eventId})::int AS n`),
        expectRows: 3,
      }
    },
  },
  {
    route: 'POST /api/v1/events/:id/bookings',
    guards: ['bookings_one_live'],
    winners: 'one',
    prepare: async () => {
      const eventId = await hubSession()
      return {
        send: () =>
          api(people.specialist, 'POST', `/api/v1/events/${eventId}/bookings`, {
            json: { accessNeeds: 'A hearing loop' },
          }),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM bookings
            WHERE event_id = ${eventId} AND status <> 'cancelled'`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /api/v1/events/:id/attendance',
    guards: ['attendance_event_day_id_booking_id_key'],
    winners: 'same',
    prepare: async () => {
      const { eventId, bookingId } = await bookedSession()
      const json = { marks: [{ bookingId, dayNumber: 1, status: 'late' }] }
      return {
        send: () => api(people.hubLead, 'POST', `/api/v1/events/${eventId}/attendance`, { json }),
        rows: () => attendanceOf(bookingId),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /api/v1/events/:id/attendance/import',
    guards: ['attendance_event_day_id_booking_id_key'],
    winners: 'same',
    prepare: async () => {
      const { eventId, bookingId } = await bookedSession()
      const csv = `Email,Day,Status\r\n${development.samEmail},1,Present\r\n`
      const json = { file: Buffer.from(csv).toString('base64') }
      return {
        send: () => api(people.hubLead, 'POST', `/api/v1/events/${eventId}/attendance/import`, { json }),
        rows: () => attendanceOf(bookingId),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /api/v1/events/:id/attendance-code',
    guards: ['attendance_event_day_id_booking_id_key'],
    winners: 'same',
    prepare: async () => {
      const { eventId, bookingId } = await bookedSession()
      const lead = await actorByEmail(t.database.db, 'priya.shah@northvale.mathshub.example')
      const code = await showAttendanceCode(useCase(lead), eventId, 1)
      return {
        send: () =>
          api(people.specialist, 'POST', `/api/v1/events/${eventId}/attendance-code`, { json: { code } }),
        rows: () => attendanceOf(bookingId),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /events/:id/book',
    guards: ['bookings_one_live'],
    winners: 'one',
    prepare: async () => {
      const eventId = await freshResidential(t)
      return {
        send: form(() => people.specialist, `/events/${eventId}/book`, [['accessNeeds', 'A quiet room']]),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM bookings WHERE event_id = ${eventId}`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /events/:id/attendance',
    guards: ['attendance_event_day_id_booking_id_key'],
    winners: 'same',
    prepare: async () => {
      const eventId = await freshResidential(t)
      const bookingId = await freshBooking(t, eventId)
      return {
        send: form(() => people.nationalAdmin, `/events/${eventId}/attendance`, [
          ['dayNumber', '1'],
          ['marks.0.bookingId', String(bookingId)],
          ['marks.0.status', 'present'],
        ]),
        rows: () =>
          count(
            sql<{ n: number }>`SELECT count(*)::int AS n FROM attendance WHERE booking_id = ${bookingId}`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /work-group-sessions/:id/attendance',
    guards: ['work_group_attendance_session_id_advocate_id_key'],
    winners: 'same',
    prepare: async () => {
      const sessionId = await freshSession(t)
      const { advocateId } = await sessionTargets(t)
      return {
        send: form(() => people.hubLead, `/work-group-sessions/${sessionId}/attendance`, [
          ['marks.0.advocateId', String(advocateId)],
          ['marks.0.status', 'late'],
        ]),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM work_group_attendance
            WHERE session_id = ${sessionId} AND advocate_id = ${advocateId}`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /work-group-sessions/:id/lesson-study',
    guards: ['work_group_lesson_studies_session_id_school_urn_key'],
    winners: 'same',
    prepare: async () => {
      const sessionId = await freshSession(t, { held: true })
      const { urn } = await sessionTargets(t)
      return {
        send: form(() => people.hubLead, `/work-group-sessions/${sessionId}/lesson-study`, [
          ['schoolUrn', String(urn)],
          ['lessonTaught', 'Year 5: adding fractions'],
          ['taughtBy', 'Mr Jones'],
          ['classes', '5J'],
          ['learned', 'Bar models made the common denominator visible.'],
        ]),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM work_group_lesson_studies
            WHERE session_id = ${sessionId} AND school_urn = ${urn}`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /schools/:urn/work-groups/interest',
    guards: ['work_group_interests_one_live'],
    winners: 'one',
    refusedWith: 'has already registered interest',
    prepare: async () => {
      const { urn, contact } = await contactOfFreeSchool(NEXT_YEAR_READINESS)
      return {
        send: form(() => contact, `/schools/${urn}/work-groups/interest`, [
          ['programmeId', 'readiness'],
          ['academicYear', '2027/28'],
          ['headOfMaths.name', 'Jo Head'],
          ['headOfMaths.email', 'jo.head@school.example'],
          ['seniorLeader.name', 'Sam Senior'],
          ['seniorLeader.email', 'sam.senior@school.example'],
        ]),
        rows: () => liveInterests(urn, NEXT_YEAR_READINESS),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /api/v1/schools/:urn/work-group-interests',
    guards: ['work_group_interests_one_live'],
    winners: 'one',
    refusedWith: 'has already registered interest',
    prepare: async () => {
      const { urn, contact } = await contactOfFreeSchool(NEXT_YEAR_READINESS)
      const json = {
        programmeId: 'readiness',
        academicYear: '2027/28',
        headOfMaths: { name: 'Jo Head', email: 'jo.head@school.example' },
        seniorLeader: { name: 'Sam Senior', email: 'sam.senior@school.example' },
      }
      return {
        send: () => api(contact, 'POST', `/api/v1/schools/${urn}/work-group-interests`, { json }),
        rows: () => liveInterests(urn, NEXT_YEAR_READINESS),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /work-group-interests/:id/advocates',
    guards: ['work_group_advocates_current'],
    // The same advocate named by every copy at once: two take the two slots, the rest are a third.
    winners: 2,
    refusedWith: 'exactly two Mastery Advocates',
    prepare: async () => {
      const { urn, contact } = await contactOfFreeSchool(NEXT_YEAR_READINESS)
      const interest = await readyInterest(t, urn, NEXT_YEAR_READINESS)
      return {
        send: form(() => contact, `/work-group-interests/${interest}/advocates`, [
          ['name', 'Ada Advocate'],
          ['email', 'ada.advocate@school.example'],
          ['role', 'Year 4 teacher'],
        ]),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM work_group_advocates
            WHERE interest_id = ${interest} AND to_date IS NULL`),
        expectRows: 2,
      }
    },
  },
  {
    route: 'POST /api/v1/work-group-interests/:id/decision',
    guards: ['work_group_interests_waiting_position'],
    // Each copy puts a different ready school on the same waiting list: each gets a place of its own.
    winners: COPIES,
    prepare: async () => {
      const scope = { ...NEXT_YEAR_READINESS, programmeId: 'embedding' }
      const ids = await readyInterests(scope, COPIES)
      let n = 0
      return {
        send: () =>
          api(people.hubLead, 'POST', `/api/v1/work-group-interests/${ids[n++ % COPIES]}/decision`, {
            json: { decision: 'wait' },
          }),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(DISTINCT waiting_position)::int AS n FROM work_group_interests
            WHERE id IN (${idList(ids)}) AND status = 'waiting'`),
        expectRows: COPIES,
      }
    },
  },
  {
    route: 'POST /work-group-interests/:id/decision',
    // A group's capacity is no index: the group's row is held while its places are counted.
    guards: [],
    // Each copy accepts a different ready school into a group with one place left.
    winners: 'one',
    refusedWith: 'is full',
    prepare: async () => {
      const group = await freshGroupToSend(t, ['open-recruitment'])
      const row = await t.database.db
        .selectFrom('work_groups')
        .select(['capacity', 'programme_id', 'academic_year'])
        .where('id', '=', group)
        .executeTakeFirstOrThrow()
      await fillGroupToSend(t, group, row.capacity - 1)
      const scope: InterestScope = {
        hubId: HUB,
        programmeId: row.programme_id,
        academicYear: row.academic_year,
        phase: 'primary',
      }
      const ids = await readyInterests(scope, COPIES)
      let n = 0
      return {
        send: () =>
          page(people.hubLead, 'POST', `/work-group-interests/${ids[n++ % COPIES]}/decision`, [
            ['decision', 'accept'],
            ['workGroupId', String(group)],
          ]),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM work_group_interests
            WHERE work_group_id = ${group} AND status = 'accepted'`),
        expectRows: row.capacity,
      }
    },
  },
  {
    route: 'POST /api/v1/work-group-interests/:id/withdraw',
    guards: ['work_group_interests_waiting_position'],
    // The school first on a waiting list withdraws, every copy at once: the two behind it move up once.
    winners: 'one',
    refusedWith: 'already withdrawn',
    prepare: async () => {
      const scope = { ...NEXT_YEAR_READINESS, programmeId: 'sustaining' }
      const ids = await readyInterests(scope, 3)
      for (const id of ids) {
        const reply = await api(people.hubLead, 'POST', `/api/v1/work-group-interests/${id}/decision`, {
          json: { decision: 'wait' },
        })
        expect(reply.statusCode, reply.body).toBe(200)
      }
      const positions = await t.database.db
        .selectFrom('work_group_interests')
        .select(['id', 'school_urn', 'waiting_position'])
        .where('id', 'in', ids)
        .orderBy('waiting_position')
        .execute()
      const [first, ...behind] = positions
      const contact = labelled(await schoolContact(t, first!.school_urn), 'the first school’s contact')
      return {
        send: () => api(contact, 'POST', `/api/v1/work-group-interests/${first!.id}/withdraw`),
        // The two behind are now where the first and second were.
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM work_group_interests
            WHERE status = 'waiting' AND (${sql.join(
              behind.map((b) => sql`(id = ${b.id} AND waiting_position = ${b.waiting_position! - 1})`),
              sql` OR `,
            )})`),
        expectRows: 2,
      }
    },
  },
  {
    route: 'POST /hubs/:id/work-groups',
    guards: ['work_groups_name', 'work_group_leads_pkey'],
    winners: 'one',
    prepare: async () => {
      const values = await workGroupForm(t)
      return {
        send: form(() => people.hubLead, `/hubs/${WORK_GROUP_HUB}/work-groups`, Object.entries(values)),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM work_groups WHERE name = ${values.name}`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /hubs/:id/work-groups/allocation/pairs',
    guards: ['work_group_pair_rules_pair'],
    winners: 'one',
    prepare: async () => {
      const { scope, urns } = await allocationScenario(t, 2)
      const [a, b] = urns as [number, number]
      return {
        send: form(() => people.hubLead, `/hubs/${WORK_GROUP_HUB}/work-groups/allocation/pairs`, [
          ['scope', `${scope.programmeId}|${scope.academicYear}`],
          ['kind', 'apart'],
          ['schoolA', String(a)],
          ['schoolB', String(b)],
        ]),
        rows: () =>
          count(
            sql<{ n: number }>`SELECT count(*)::int AS n FROM work_group_pair_rules
              WHERE school_a = ${Math.min(a, b)} AND school_b = ${Math.max(a, b)}
                AND academic_year = ${scope.academicYear}`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /questionnaire/:token',
    guards: ['evaluation_answers_pkey'],
    winners: 'one',
    prepare: async () => {
      const { token } = await freshQuestionnaireToken(t)
      const answers = await fullAnswers(t, 'advocate')
      return {
        send: form(() => people.anonymous, `/questionnaire/${token}`, Object.entries(answers)),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM evaluation_answers a
            JOIN evaluation_responses r ON r.id = a.response_id WHERE r.token_hash = ${hashLinkSecret(token)}`),
        expectRows: Object.keys(answers).length,
      }
    },
  },
  {
    route: 'POST /work-groups/:id/evaluation/send',
    guards: ['evaluation_responses_advocate'],
    winners: 'same',
    prepare: async () => {
      const group = await freshGroupToSend(t, ['open-recruitment', 'start'])
      await fillGroupToSend(t, group, 1)
      return {
        send: form(() => people.hubLead, `/work-groups/${group}/evaluation/send`),
        rows: () =>
          count(
            sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM evaluation_responses WHERE work_group_id = ${group}`,
          ),
        expectRows: 2,
      }
    },
  },
  {
    route: 'POST /schools/:urn/journey/stage',
    guards: ['school_mastery_stages_current'],
    winners: 'one',
    prepare: async () => {
      const urn = await schoolWithoutStage(t)
      return {
        send: form(() => people.hubLead, `/schools/${urn}/journey/stage`, [
          ['stage', 'readiness'],
          ['movedOn.day', '1'],
          ['movedOn.month', '9'],
          ['movedOn.year', '2025'],
          ['evidence', 'The school has agreed its plan'],
        ]),
        rows: () =>
          count(
            sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM school_mastery_stages WHERE school_urn = ${urn}`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /my-programme/calendar',
    guards: ['calendar_feeds_pkey', 'calendar_feeds_token_hash_key'],
    winners: 'same',
    prepare: async () => ({
      send: form(() => people.specialist, '/my-programme/calendar'),
      rows: () =>
        count(
          sql<{
            n: number
          }>`SELECT count(*)::int AS n FROM calendar_feeds WHERE person_id = ${people.specialist.personId}`,
        ),
      expectRows: 1,
    }),
  },
  {
    route: 'POST /participations/:id/release-time',
    guards: ['release_entries_one_first_use'],
    winners: 'one',
    prepare: async () => {
      const id = await participationOf(t, 'sam.carter@school.example')
      const on = await freshPastDate(t)
      const [year, month, day] = on.split('-')
      return {
        send: form(() => people.specialist, `/participations/${id}/release-time`, [
          ['on.day', day!],
          ['on.month', month!],
          ['on.year', year!],
          ['half', 'afternoon'],
          ['activity', 'department'],
        ]),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM release_entries
            WHERE participation_id = ${id} AND on_date = ${on}::date AND kind = 'use'`),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /participations/:id/release-time/:entryId/reverse',
    guards: ['release_entries_reversed_once', 'release_entries_same_half_day'],
    winners: 'one',
    prepare: async () => {
      const id = await participationOf(t, 'leah.patel@school.example')
      const lead = await contextOf(t, 'priya.shah@northvale.mathshub.example')
      const { entryIds } = await logReleaseTime(lead, id, {
        on: await freshPastDate(t),
        half: 'morning',
        activity: 'hub-work',
      })
      return {
        send: form(() => people.hubLead, `/participations/${id}/release-time/${entryIds[0]}/reverse`, [
          ['reason', 'Logged twice'],
        ]),
        rows: () =>
          count(
            sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM release_entries WHERE reverses_entry_id = ${entryIds[0]!}`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /participations/:id/tasks/:taskId',
    guards: ['task_submissions_one_live', 'task_submissions_file_id_key'],
    winners: 'one',
    prepare: async () => {
      const id = await participationOf(t, 'sam.carter@school.example')
      const taskId = await freshTask(t)
      return {
        send: form(() => people.specialist, `/participations/${id}/tasks/${taskId}`, [
          ['kind', 'text'],
          ['text', 'What I did'],
        ]),
        rows: () =>
          count(
            sql<{ n: number }>`SELECT count(*)::int AS n FROM task_submissions WHERE task_id = ${taskId}`,
          ),
        expectRows: 1,
      }
    },
  },
  {
    route: 'POST /participations/:id/accreditation/requirements/:requirementId',
    guards: ['accreditation_requirements_met_once'],
    winners: 'one',
    prepare: async () => {
      const id = await participationOf(t, 'sam.carter@school.example')
      const requirement = await addRequirement(await contextOf(t, 'nadia.khan@ncetm.example'), {
        title: `Raced requirement ${randomUUID()}`,
      })
      const [year, month, day] = (await freshPastDate(t)).split('-')
      return {
        send: form(
          () => people.hubLead,
          `/participations/${id}/accreditation/requirements/${requirement.id}`,
          [
            ['metOn.day', day!],
            ['metOn.month', month!],
            ['metOn.year', year!],
          ],
        ),
        rows: () =>
          count(sql<{ n: number }>`SELECT count(*)::int AS n FROM accreditation_requirements_met
            WHERE requirement_id = ${requirement.id}`),
        expectRows: 1,
      }
    },
  },
]

/** Write routes whose writes have no uniqueness rule a repeat could break, and why. */
const NO_UNIQUENESS_RULE: Record<string, string> = {
  'POST /sign-in': 'queues an email and a random single-use token (random: no clash)',
  'POST /sign-out': 'deletes the session',
  'POST /demo/personas/:personId': 'makes a session with a random id',
  'POST /account/api-tokens': 'each request makes a token of its own, with a random hash',
  'POST /account/api-tokens/:id/revoke': 'sets revoked_at on one row',
  'POST /grants/:id/revoke': 'sets revoked_at on one grant (lifting the live-grant rule, never adding to it)',
  'DELETE /api/v1/grants/:id': 'sets revoked_at on one grant',
  'POST /admin/hubs/:id/areas/:laCode/remove': 'deletes one area row',
  'POST /people/:id/erase': 'overwrites one person; its counts are upserted (see the erasure race below)',
  'POST /api/v1/people/:id/erasure': 'as POST /people/:id/erase',
  'POST /applications/:id/school': 'updates one application row',
  'POST /applications/:id/teaching': 'updates one application row',
  'POST /applications/:id/evidence': 'updates one application row',
  'PATCH /api/v1/applications/:id': 'updates one application row',
  'POST /applications/:id/headteacher': 'each request asks afresh, with a new random link (no clash)',
  'POST /api/v1/applications/:id/headteacher': 'each request asks afresh, with a new random link (no clash)',
  'POST /applications/:id/submit': 'a change of state of one row, with its idempotency key',
  'POST /applications/:id/headteacher-verification': 'sets the verification columns of one application row',
  'POST /admin/routing/:id': 'passes one waiting application row to a hub, once (a second is refused)',
  'POST /api/v1/applications/:id/hub': 'as POST /admin/routing/:id',
  'POST /applications/:id/ask-headteacher': 'each request asks afresh, with a new random link (no clash)',
  'POST /confirm-headteacher/:token': 'records the answer once, by a conditional update of one row',
  'POST /cohort-interest/:token': 'sets when the one row the link names was confirmed (again: no change)',
  'POST /people/:id/edit': 'updates one person row; the email, their only unique field, cannot be changed',
  'PATCH /api/v1/people/:id': 'as POST /people/:id/edit',
  'POST /api/v1/applications/:id/submit': 'a change of state of one row, with its idempotency key',
  'POST /applications/:id/withdraw': 'a change of state of one row',
  'POST /api/v1/applications/:id/withdraw': 'a change of state of one row',
  'POST /hubs/:id/cohorts/:cohortId/selection/confirm': 'a change of state of one round row',
  'POST /hubs/:id/cohorts/:cohortId/selection/reopen': 'a change of state of one round row',
  'POST /hubs/:id/cohorts/:cohortId/selection/offer-to-reserve': 'updates one decision row',
  'POST /admin/cohorts/:cohortId/selection/:hubId/places': 'upserts one round row',
  'POST /admin/cohorts/:cohortId/selection/:hubId/approve': 'a change of state of one round row',
  'POST /admin/cohorts/:cohortId/selection/:hubId/send-back': 'a change of state of one round row',
  'POST /reviews/:id/conflict': 'ends one assignment',
  'POST /hubs/:id/cohorts/:cohortId/reviewers/settings': 'updates one round row',
  'POST /hubs/:id/cohorts/:cohortId/reviewers/take-away': 'ends one assignment',
  'POST /cohorts/:id/edit':
    'updates one cohort row, held while it is changed; its id and number cannot change',
  'PATCH /api/v1/cohorts/:id': 'as POST /cohorts/:id/edit',
  'POST /cohorts/:id/close': 'ends one cohort’s window by a conditional update (a second close is refused)',
  'POST /api/v1/cohorts/:id/close': 'as POST /cohorts/:id/close',
  'POST /api/v1/events/:id/confirm':
    'a change of state of one event row, held while it changes (a second confirmation is refused)',
  'POST /api/v1/events/:id/cancel':
    'a change of state of one event row, held while it changes (a second cancellation is refused)',
  'POST /api/v1/bookings/:id/cancel':
    'cancels one booking, held while it changes, and moves the first waiting up: leaving the live-booking rule, never adding to it',
  'POST /api/v1/events/:id/days/:day/code': 'sets the hash of one event day’s code',
  'POST /events': 'as POST /api/v1/events (raced above): each request makes an event of its own',
  'POST /events/:id/confirm': 'as POST /api/v1/events/:id/confirm',
  'POST /events/:id/move': 'as POST /api/v1/events/:id/move (raced above)',
  'POST /events/:id/cancel': 'as POST /api/v1/events/:id/cancel',
  'POST /bookings/:id/cancel': 'as POST /api/v1/bookings/:id/cancel',
  'POST /events/:id/attendance/upload': 'as POST /api/v1/events/:id/attendance/import (raced above)',
  'POST /events/:id/days/:day/code': 'as POST /api/v1/events/:id/days/:day/code',
  'POST /events/:id/attendance-code': 'as POST /api/v1/events/:id/attendance-code (raced above)',
  'POST /participations/:id/release-time/extra-days':
    'appends one approval row with the participation held; approvals add up and have no uniqueness rule',
  'POST /participations/:id/accreditation/award':
    'inserts the person’s one accreditation (pd_lead_accreditations_pkey) with the participation held; raced in the accreditation test',
  'POST /submissions/:id/review':
    'a change of state of one submission row, held while it changes (a second is refused)',
  'POST /cohorts/:id/tasks': 'each request sets a task of its own, with its first history row',
  'POST /api/v1/participations/:id/release-time': 'as POST /participations/:id/release-time (raced above)',
  'POST /api/v1/participations/:id/release-time/:entryId/reverse':
    'as POST /participations/:id/release-time/:entryId/reverse (raced above)',
  'POST /api/v1/participations/:id/release-time/extra-days':
    'as POST /participations/:id/release-time/extra-days',
  'POST /api/v1/participations/:id/tasks/:taskId/submissions':
    'as POST /participations/:id/tasks/:taskId (raced above)',
  'POST /api/v1/submissions/:id/review': 'as POST /submissions/:id/review',
  'POST /api/v1/cohorts/:id/tasks': 'as POST /cohorts/:id/tasks',
  'POST /api/v1/hubs/:id/work-groups': 'as POST /hubs/:id/work-groups (raced above)',
  'POST /api/v1/work-groups/:id/state': 'as POST /work-groups/:id/state',
  'POST /api/v1/hubs/:id/work-groups/allocation': 'as POST /hubs/:id/work-groups/allocation',
  'POST /api/v1/work-group-plans/:id/move': 'as POST /work-group-plans/:id/move',
  'POST /api/v1/work-group-plans/:id/apply': 'as POST /work-group-plans/:id/apply',
  'POST /hubs/:id/work-groups/allocation':
    'each request stores a proposal of its own (earlier proposals are marked replaced); plans have no uniqueness rule',
  'POST /work-group-pair-rules/:id/remove': 'deletes one pair row, held while it is removed',
  'POST /work-group-plans/:id/move':
    'changes one plan row, held while it changes; the group’s room is counted with the plan held',
  'POST /work-group-plans/:id/apply':
    'holds the plan, its groups and the interests in scope while they change; a second apply finds the plan applied. Waiting-list positions are renumbered in order, never two at once',
  'POST /api/v1/schools/:urn/stages': 'as POST /schools/:urn/journey/stage (raced above)',
  'POST /evaluation/questions':
    'each request adds a question of its own; the questions are locked while positions are given',
  'POST /evaluation/questions/:id':
    'a change of one question, with every question locked while it changes (positions stay distinct)',
  'POST /work-groups/:id/evaluation/answer':
    'one response per lead per group: the insert is ON CONFLICT DO NOTHING on evaluation_responses_specialist, so a second copy is refused (422); no persona leads a group to race it here',
  'POST /work-groups/:id/state':
    'a change of state of one group row, held while it changes (a second of the same move is refused)',
  'POST /work-group-interests/:id/advocates/change':
    'the interest row is locked while one advocate’s period ends and the next starts in the same slot',
  'POST /work-group-interests/:id/support':
    'the interest row is locked; each request has a random token (random: no clash) and retires the older one',
  'POST /work-group-interests/:id/withdraw':
    'as POST /api/v1/work-group-interests/:id/withdraw (raced above)',
  'POST /api/v1/work-group-interests/:id/advocates':
    'as POST /work-group-interests/:id/advocates (raced above)',
  'POST /api/v1/work-group-interests/:id/advocates/change':
    'as POST /work-group-interests/:id/advocates/change',
  'POST /work-group-support/:token':
    'the interest row is locked and the link is marked used, so a second answer by the same link is refused',
  'POST /work-groups/:id/sessions':
    'each request adds a session of its own: a group may meet twice on a day, so sessions have no uniqueness rule',
  'POST /work-group-sessions/:id/state':
    'a change of state of one session row, only from planned (a second of the same move finds it moved and is refused)',
  'POST /work-group-sessions/:id/code':
    'each request replaces the session’s one code hash; the last shown is the one that works',
  'POST /work-group-sessions/:id/attendance/upload':
    'as POST /work-group-sessions/:id/attendance (raced above): the same upsert on the session and advocate',
  'POST /work-group-sessions/:id/attend':
    'the code marks an advocate present with ON CONFLICT DO NOTHING on the session and advocate (raced above)',
  'POST /api/v1/work-groups/:id/sessions': 'as POST /work-groups/:id/sessions',
  'POST /api/v1/work-group-sessions/:id/state': 'as POST /work-group-sessions/:id/state',
  'POST /api/v1/work-group-sessions/:id/attendance':
    'as POST /work-group-sessions/:id/attendance (raced above)',
  'POST /api/v1/work-group-sessions/:id/attendance/import':
    'as POST /work-group-sessions/:id/attendance (raced above): the same upsert on the session and advocate',
  'POST /api/v1/work-group-sessions/:id/code': 'as POST /work-group-sessions/:id/code',
  'POST /api/v1/work-group-sessions/:id/lesson-study':
    'as POST /work-group-sessions/:id/lesson-study (raced above)',
  'POST /api/v1/work-groups/:id/support-visits': 'as POST /work-groups/:id/support-visits',
  'POST /work-groups/:id/support-visits':
    'each request records a visit of its own: a specialist may visit a school twice on a day, so visits have no uniqueness rule',
}

/**
 * Unique indexes no route writes through a race could break: primary keys of serial ids, the
 * register (written by imports only), rate-limit windows (upserted) and secrets with random values.
 */
const UNIQUE_WITHOUT_A_ROUTE = new Set([
  // A school leader's support link: the hash of a random secret, so no two requests share one.
  'work_group_support_requests_token_hash_key',
  // Funding (ADR 0027): the rules' one a day per programme, and one owed item per record behind it,
  // written only by the owed refresh, which takes one advisory lock first (no route writes them yet).
  'funding_rules_one_a_day',
  'owed_items_one_per_record',
  // A claim line's owed item, held once by a claim not rejected: raced in claims.int.test.ts (no route yet).
  'funding_claim_lines_claimed_once',
  // Payment runs: one open run per hub (taken by an insert that does nothing on conflict), one statement
  // per school in a run and a claim line paid once, both written by the run under its row lock.
  'payment_runs_one_open',
  'statements_one_per_school',
  'statement_lines_claim_line_paid_once',
  // The late-review reminder job's one row per reviewer a day (its own race is tested beside it).
  'review_reminders_pkey',
  // The words of open schools' names, a materialized view refreshed by imports.
  'school_name_words_word',
  'school_links_pkey',
  'schools_pkey',
  'school_hub_overrides_pkey',
  'service_settings_pkey',
  'hubs_pkey',
  'programmes_pkey',
  'programmes_name_key',
  'programmes_position_key',
  'rate_limits_pkey',
  'api_tokens_token_hash_key',
  'endorsement_requests_reminder_token_hash_key',
  'headteacher_confirmations_token_hash_key',
  // The interest sign-up writes a random confirmation token's hash: no two requests share one.
  'cohort_interest_confirm_token',
  'selection_rounds_pkey',
  'deleted_application_counts_cohort_id_hub_id_outcome_key',
  'schema_migrations_pkey',
  // Release time's ledger, written only by use-cases so far (each raced in its own test); when its
  // routes come, each moves into RACES with its route.
  'release_entries_followed_once',
  // The person's one PD Lead accreditation: its route is classified above, raced in its own test.
  'pd_lead_accreditations_pkey',
  // A requirement's title is unique in its scope: written only by use-cases so far.
  'accreditation_requirements_title',
  // The Work Group programmes: reference rows the migrations write.
  'work_group_programmes_pkey',
  'work_group_programmes_name_key',
  'work_group_programmes_position_key',
  // Grant rules are reference rows the migrations write; a grant falls due inside the move that
  // completes its group (which holds the group's row) or from recordDueGrants, which inserts with
  // ON CONFLICT DO NOTHING, so no route can make two.
  'work_group_grant_rules_pkey',
  'work_group_grants_due_work_group_id_school_urn_key',
  // A questionnaire link's hash is of a random secret; a lead's one response per group is written
  // with ON CONFLICT DO NOTHING (its route is classified above).
  'evaluation_responses_token_hash_key',
  'evaluation_responses_specialist',
])

beforeAll(async () => {
  await openHostileApp()
  people = await personas()
  const db = t.database.db
  const cohortOf = (number: number) =>
    ensureCohort(
      db,
      cohortInputWith({ programmeId: 'secondary-mastery-specialist', number, residentials: [] }),
    )
  const cohortId = await cohortOf(96)
  const laterCohortId = await cohortOf(97)
  const sam = await actorByEmail(db, 'sam.carter@school.example')
  const { email } = await makeParticipation(db, {
    cohortId,
    hubId: HUB,
    personId: sam.kind === 'person' ? sam.personId : undefined,
  })
  development = { cohortId, laterCohortId, samEmail: email }
}, TIMEOUT)

afterAll(async () => {
  await t?.close()
  await finishShare('concurrency')
})

/** What is unclear about an answer, if anything. */
function unclear(route: string, reply: Reply): string | undefined {
  if (reply.statusCode >= 500) return `${reply.statusCode}: ${reply.body.slice(0, 300)}`
  const leak = databaseLeak(reply.body)
  if (leak) return `${reply.statusCode} showing ${leak}`
  if (reply.statusCode < 400) return undefined
  if (route.includes(' /api/')) {
    const body = JSON.parse(reply.body) as { errors?: { code?: unknown; message?: unknown }[] }
    if (!body.errors?.length || !body.errors.every((e) => typeof e.message === 'string' && e.message !== ''))
      return `${reply.statusCode} without {errors:[{code, field, message}]}: ${reply.body.slice(0, 200)}`
  } else if (!String(reply.headers['content-type']).startsWith('text/html')) {
    return `${reply.statusCode} that is not a page: ${reply.body.slice(0, 200)}`
  }
  return undefined
}

describe(`the same request ${COPIES} times at once`, () => {
  it('classifies every write route: in a race, or with no uniqueness rule and the reason', () => {
    const writes = t.app.routeTable
      .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
      .map((r) => `${r.method} ${r.url}`)
    const raced = new Set(RACES.map((r) => r.route))
    const unclassified = writes.filter((w) => !raced.has(w) && !(w in NO_UNIQUENESS_RULE))
    expect(
      unclassified,
      'write routes in neither RACES nor NO_UNIQUENESS_RULE (concurrency.int.test.ts)',
    ).toEqual([])
    const stale = [...raced, ...Object.keys(NO_UNIQUENESS_RULE)].filter((w) => !writes.includes(w))
    expect(stale, 'classified routes the app no longer has').toEqual([])
  })

  it('names every unique index of the database in a race, or says no route writes it', async () => {
    const { rows } = await sql<{ name: string }>`
      SELECT i.relname AS name FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE x.indisunique AND n.nspname = current_schema()
        AND NOT (x.indisprimary AND x.indnatts = 1 AND EXISTS (
          SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = x.indkey[0]
            AND a.attname = 'id' AND pg_get_expr((SELECT adbin FROM pg_attrdef d WHERE d.adrelid = c.oid AND d.adnum = a.attnum), c.oid) LIKE 'nextval%'))
      ORDER BY 1`.execute(t.database.db)
    const guarded = new Set(RACES.flatMap((r) => r.guards))
    const unnamed = rows
      .map((r) => r.name)
      .filter((name) => !guarded.has(name) && !UNIQUE_WITHOUT_A_ROUTE.has(name))
    expect(unnamed, 'unique indexes with no race in concurrency.int.test.ts').toEqual([])
    const unknown = [...guarded].filter((name) => !rows.some((r) => r.name === name))
    expect(unknown, 'guards that name no unique index').toEqual([])
  })

  for (const race of RACES) {
    it(
      race.route,
      async () => {
        const { send, rows, expectRows } = await race.prepare()
        const replies = await Promise.all(Array.from({ length: COPIES }, () => send()))
        countInputs(COPIES)
        const problems = replies
          .map((reply, i) => [i, unclear(race.route, reply)] as const)
          .filter(([, wrong]) => wrong)
          .map(([i, wrong]) => `copy ${i + 1} → ${wrong}`)
        const statuses = replies.map((r) => r.statusCode).join(', ')
        expect(problems, `${race.route} sent ${COPIES} times at once (answers ${statuses})`).toEqual([])
        const won = replies.filter((r) => r.statusCode < 400).length
        if (race.winners === 'same')
          expect(won, `${race.route}: copies that succeeded (answers ${statuses})`).toBeGreaterThan(0)
        else
          expect(won, `${race.route}: copies that succeeded (answers ${statuses})`).toBe(
            race.winners === 'one' ? 1 : race.winners,
          )
        if (race.refusedWith)
          for (const reply of replies.filter((r) => r.statusCode >= 400))
            expect(reply.body, `${race.route}: a refused copy says why`).toContain(race.refusedWith)
        expect(await rows(), `${race.route}: the rule holds afterwards`).toBe(expectRows)
      },
      TIMEOUT,
    )
  }
})
