// Hostile input to a hub's review and selection of its applicants: the review form, declaring a
// conflict, a round's settings, assigning and taking away reviewers, proposing decisions, places,
// the teacher's and the headteacher's answers to an offer, passing a place to a reserve, and the
// selection API's ids. Valid forms with one part hostile, numbers out of range, scores and ranks
// that cannot be; sent by whoever may (and, where cheap, whoever may not: "not found"). No 5xx, a
// refusal says what is wrong and changes nothing.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actorByEmail, roundAt, type StagedRound } from '../decision-fixtures.ts'
import { hostilePathSegment } from '../hostile-arbitraries.ts'
import type { PersonaName } from '../personas.ts'
import {
  api,
  asyncProperty,
  exchange,
  expectApi,
  expectPage,
  finishShare,
  formFields,
  formWithOneHostile,
  hostileValue,
  newTeacher,
  NUMBERISH,
  openHostileApp,
  page,
  personas,
  sometimes,
  t,
  type Field,
  type Person,
} from './harness.ts'

const RUNS = 100
const TIMEOUT = 300_000
const HUB = 'northvale-maths-hub'
/** Someone who may not: "not found", or 400 or 414 when the router cannot read the address at all. */
const REFUSED_UNSEEN = [400, 404, 414]

let people: Record<PersonaName, Person>
let reviewing: StagedRound
let released: StagedRound
let placeFree: StagedRound
let offered: Person
let assignment: number
let conflictAssignments: number[]
let grace: number

const numberish = fc.oneof(fc.integer({ min: -3, max: 12 }).map(String), fc.constantFrom(...NUMBERISH))

beforeAll(async () => {
  await openHostileApp()
  people = await personas()
  const db = t.database.db
  reviewing = await roundAt(db, t.clock, 'reviewing', { number: 500 })
  offered = await newTeacher()
  offered.email = (await db
    .selectFrom('people')
    .select('email')
    .where('id', '=', offered.personId!)
    .executeTakeFirstOrThrow())!.email
  released = await roundAt(db, t.clock, 'released', {
    number: 501,
    applicant: await actorByEmail(db, offered.email),
  })
  placeFree = await roundAt(db, t.clock, 'place-free', { number: 502 })
  grace = (
    await db
      .selectFrom('people')
      .select('id')
      .where('email', '=', 'grace.lee@northvale.mathshub.example')
      .executeTakeFirstOrThrow()
  ).id
  const assign = async (applicationId: number) =>
    (
      await db
        .insertInto('review_assignments')
        .values({ application_id: applicationId, reviewer_id: grace, assigned_at: t.clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  assignment = await assign(reviewing.selected.id)
  conflictAssignments = [await assign(reviewing.reserve.id)]
}, TIMEOUT)

afterAll(async () => {
  await t?.close()
  await finishShare('reviews-and-selection')
})

const selection = (r: StagedRound) => `/hubs/${HUB}/cohorts/${r.cohortId}/selection`
const reviewers = (r: StagedRound) => `/hubs/${HUB}/cohorts/${r.cohortId}/reviewers`

/** A review form: every box as the page names it, valid values with one hostile, or all mixed. */
const REVIEW: Record<string, string> = {
  'essential-qts': 'met',
  'essential-teaches-maths': 'not-met',
  'essential-teaches-maths-note': 'Teaches Year 4',
  'desirable-additional-status': '3',
  'desirable-subject-leader': '4',
  'desirable-subject-leader-note': 'Leads maths',
  strategicScore: '2',
  strategicNote: 'Rural school',
  action: 'save',
}

describe('reviews', () => {
  it(
    'POST /reviews/:id {essential-*, desirable-*, strategicScore, strategicNote, action}',
    async () => {
      const form = fc.oneof(
        formWithOneHostile(REVIEW),
        formFields(
          Object.fromEntries(
            Object.entries(REVIEW).map(([k, v]) => [
              k,
              sometimes(k.startsWith('desirable') || k === 'strategicScore' ? numberish : fc.constant(v)),
            ]),
          ),
        ),
      )
      const who = fc.constantFrom(people.reviewer, people.reviewer, people.reviewer, people.hubLead)
      await fc.assert(
        asyncProperty(who, form, async (client, fields) => {
          const reply = await exchange(
            () => page(client, 'POST', `/reviews/${assignment}`, fields),
            expectPage,
          )
          if (client === people.hubLead) expect(REFUSED_UNSEEN).toContain(reply.statusCode)
        }),
        { numRuns: RUNS * 2 },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /reviews/:id/conflict {reason}',
    async () => {
      const reason = fc.oneof(hostileValue, fc.constantFrom('', ' ', 'x'.repeat(2001)))
      await fc.assert(
        asyncProperty(reason, formFields({}), async (text, extras) => {
          const id = conflictAssignments.at(-1)!
          const reply = await exchange(
            () => page(people.reviewer, 'POST', `/reviews/${id}/conflict`, [['reason', text], ...extras]),
            expectPage,
          )
          // A declared conflict takes the review away: give Grace another to declare on.
          if (reply.statusCode === 303) {
            const row = await t.database.db
              .insertInto('review_assignments')
              .values({
                application_id: reviewing.reserve.id,
                reviewer_id: grace,
                assigned_at: t.clock.now(),
              })
              .returning('id')
              .executeTakeFirstOrThrow()
            conflictAssignments.push(row.id)
          }
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /hubs/:id/cohorts/:cohortId/reviewers/{settings,assign,take-away}',
    async () => {
      const action = fc.oneof(
        formWithOneHostile({
          blindReview: 'yes',
          reviewsPerApplication: '2',
          priorities: 'Rural schools',
        }).map((fields) => ({ to: 'settings', fields })),
        formFields({
          blindReview: sometimes(fc.constantFrom('yes', 'no')),
          reviewsPerApplication: sometimes(numberish),
          priorities: hostileValue,
        }).map((fields) => ({ to: 'settings', fields })),
        formFields({
          applicationId: sometimes(
            fc.constantFrom(String(reviewing.reserve.id), String(released.selected.id)),
          ),
          reviewerId: sometimes(fc.constantFrom(String(grace), String(people.teacher.personId))),
        }).map((fields) => ({ to: 'assign', fields })),
        formFields({ assignmentId: sometimes(numberish) }).map((fields) => ({ to: 'take-away', fields })),
      )
      const who = fc.constantFrom(people.hubLead, people.hubLead, people.hubLead, people.otherHubLead)
      await fc.assert(
        asyncProperty(who, action, async (client, { to, fields }) => {
          const reply = await exchange(
            () => page(client, 'POST', `${reviewers(reviewing)}/${to}`, fields),
            expectPage,
          )
          if (client === people.otherHubLead) expect(REFUSED_UNSEEN).toContain(reply.statusCode)
        }),
        { numRuns: RUNS * 2 },
      )
    },
    TIMEOUT,
  )
})

describe('decisions and offers', () => {
  it(
    'POST /hubs/:id/cohorts/:cohortId/selection/applications/:applicationId {decision, reasonCode, feedback, shareFeedback, reserveRank}',
    async () => {
      const form = fc.oneof(
        formWithOneHostile({
          decision: 'not-selected',
          reasonCode: 'stronger-applications',
          feedback: 'Thank you for applying',
          shareFeedback: 'yes',
        }),
        formWithOneHostile({ decision: 'reserve', reserveRank: '2' }),
        formFields({
          decision: sometimes(fc.constantFrom('selected', 'reserve', 'not-selected')),
          reasonCode: sometimes(fc.constantFrom('stronger-applications', 'essential-criteria-not-met')),
          feedback: hostileValue,
          shareFeedback: sometimes(fc.constantFrom('yes', 'no')),
          reserveRank: sometimes(numberish),
        }),
      )
      const application = fc.oneof(
        { weight: 4, arbitrary: fc.constant(String(reviewing.reserve.id)) },
        { weight: 1, arbitrary: hostilePathSegment },
      )
      const who = fc.constantFrom(people.hubLead, people.hubLead, people.hubLead, people.hubAdmin)
      await fc.assert(
        asyncProperty(who, application, form, async (client, id, fields) => {
          const url = `${selection(reviewing)}/applications/${id}`
          const reply = await exchange(() => page(client, 'POST', url, fields), expectPage)
          if (client === people.hubAdmin) expect(REFUSED_UNSEEN).toContain(reply.statusCode)
        }),
        { numRuns: RUNS * 2 },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /admin/cohorts/:cohortId/selection/:hubId/places {places} and offer-to-reserve {applicationId}',
    async () => {
      const action = fc.oneof(
        formFields({ places: sometimes(numberish) }).map((fields) => ({
          url: `/admin/cohorts/${reviewing.cohortId}/selection/${HUB}/places`,
          fields,
          who: people.nationalAdmin,
        })),
        formFields({ applicationId: sometimes(fc.constantFrom(String(placeFree.reserve.id), '1')) }).map(
          (fields) => ({ url: `${selection(placeFree)}/offer-to-reserve`, fields, who: people.hubLead }),
        ),
        formFields({ places: numberish }).map((fields) => ({
          url: `/admin/cohorts/${reviewing.cohortId}/selection/${HUB}/places`,
          fields,
          who: people.hubLead,
        })),
      )
      await fc.assert(
        asyncProperty(action, async ({ url, fields, who }) => {
          await exchange(() => page(who, 'POST', url, fields), expectPage)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /applications/:id/offer and /places/:token {decision, reason}: answers that cannot be taken',
    async () => {
      const decision = hostileValue.filter((d) => d !== 'accept' && d !== 'decline')
      const answer = fc.oneof(
        fc.tuple(decision, hostileValue).map(([d, r]): Field[] => [
          ['decision', d],
          ['reason', r],
        ]),
        fc.constantFrom('', ' ', 'x'.repeat(2001), '\u0000').map((r): Field[] => [
          ['decision', 'decline'],
          ['reason', r],
        ]),
        formFields({}),
      )
      const target = fc.oneof(
        fc.constant({ url: `/applications/${released.selected.id}/offer`, who: offered }),
        fc.constant({ url: `/places/${released.placeToken}`, who: people.anonymous }),
        hostilePathSegment.map((token) => ({ url: `/places/${token}`, who: people.anonymous })),
        hostilePathSegment.map((id) => ({ url: `/applications/${id}/offer`, who: offered })),
      )
      await fc.assert(
        asyncProperty(target, answer, async ({ url, who }, fields) => {
          const reply = await exchange(() => page(who, 'POST', url, fields), expectPage)
          expect(reply.statusCode).toBeGreaterThanOrEqual(400)
        }),
        { numRuns: RUNS * 2 },
      )
    },
    TIMEOUT,
  )

  it(
    'the selection API’s ids: rankings, reviews, decisions, a cohort’s selection',
    async () => {
      const route = fc.oneof(
        fc
          .tuple(
            fc.oneof(fc.constant(HUB), hostilePathSegment),
            fc.oneof(fc.constant(reviewing.cohortId), hostilePathSegment),
          )
          .map(([hub, cohort]) => `/api/v1/hubs/${hub}/cohorts/${cohort}/ranking`),
        fc
          .oneof(fc.constant(String(reviewing.selected.id)), hostilePathSegment)
          .map((id) => `/api/v1/applications/${id}/reviews`),
        fc
          .oneof(fc.constant(String(released.selected.id)), hostilePathSegment)
          .map((id) => `/api/v1/applications/${id}/decision`),
        fc
          .oneof(fc.constant(reviewing.cohortId), hostilePathSegment)
          .map((id) => `/api/v1/cohorts/${id}/selection`),
      )
      const who = fc.constantFrom(people.hubLead, people.nationalAdmin, people.reviewer, offered)
      await fc.assert(
        asyncProperty(who, route, async (client, url) => {
          await exchange(() => api(client, 'GET', url), expectApi)
        }),
        { numRuns: RUNS * 2 },
      )
    },
    TIMEOUT,
  )
})
