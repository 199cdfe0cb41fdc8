// Subject access and erasure through the real use-cases, on a real database with the demo register.
// One teacher, Zara Quill, builds a full record: two applications (one not selected, one an
// accepted place), a reviewer's role and a review she wrote, an endorsement she gave as another
// teacher's headteacher, an interest notice, a sign-in link, a session and an API token; and, in
// the development year of her place, a booking with access and dietary needs, an absence with its
// reason, a support visit, release time with a note, a correction and extra days, evidence handed
// in as text, a link and a file (one returned with feedback), a requirement met and an existing PD
// Lead accreditation, a calendar feed and a withdrawal with its reason. Her export holds each kind
// of data and nothing about an unconnected teacher. Erasing her leaves no trace of her name, email
// address or TRN, nor of anything she or others wrote about her, in any text column of any table,
// while her applications' history, decisions and place, and her development year's stages,
// bookings, attendance, release days and tasks' outcomes remain; she can no longer sign in;
// refusals change nothing; each is audited.
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { essentialEvidence, KINGSMEAD_PRIMARY, TEACHING } from '../../../test/application-fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { actorByEmail, contextFor, decisionCohort, NORTHVALE } from '../../../test/decision-fixtures.ts'
import { openSession } from '../../../test/personas.ts'
import {
  cohortWithEveryOutcome,
  findEverywhere,
  newTeacher,
  type CohortOutcomes,
} from '../../../test/privacy-fixtures.ts'
import { lastEndorsementToken } from '../../../test/application-fixtures.ts'
import { cohortInputWith, ensureCohort } from '../../../test/cohort-factory.ts'
import { loadDemo } from '../../db/seeds/demo.ts'
import { NotFoundError, ValidationError } from '../../errors.ts'
import { fixedClock } from '../../lib/clock.ts'
import { actorForApiToken, actorForPerson } from '../access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../access/actor.ts'
import { requestEndorsement } from '../applications/request-endorsement.ts'
import { respondToEndorsement } from '../applications/respond-to-endorsement.ts'
import { saveApplication } from '../applications/save-application.ts'
import { startApplication } from '../applications/start-application.ts'
import { submitApplication } from '../applications/submit-application.ts'
import { createApiToken } from '../auth/api-tokens.ts'
import { requestSignInLink } from '../auth/sign-in-link.ts'
import { markAttendance } from '../events/attendance/record-attendance.ts'
import { bookPlace } from '../events/bookings/book-place.ts'
import { resetCalendarFeed } from '../events/calendar/calendar-feed.ts'
import { scheduleEvent } from '../events/scheduling/schedule-event.ts'
import { currentRequirements } from '../participants/accreditation/accreditation.repository.ts'
import {
  recordAlreadyAccredited,
  recordRequirementMet,
} from '../participants/accreditation/record-accreditation.ts'
import { approveExtraDays } from '../participants/release-time/approve-extra-days.ts'
import { logReleaseTime } from '../participants/release-time/log-release-time.ts'
import { reverseReleaseEntry } from '../participants/release-time/reverse-release-entry.ts'
import { setTask } from '../participants/tasks/manage-tasks.ts'
import { reviewSubmission } from '../participants/tasks/review-submission.ts'
import { submitTask } from '../participants/tasks/submit-task.ts'
import { withdrawParticipation } from '../participants/withdraw-participation.ts'
import { grantRole } from '../people/grant-role.ts'
import { findCohort } from '../programmes/programmes.repository.ts'
import { registerInterest } from '../programmes/opening-notices.ts'
import { assignReviewer } from '../selection/reviewing/assign-reviewers.ts'
import { saveReview } from '../selection/reviewing/save-review.ts'
import { erasePerson } from './erase-person.ts'
import { exportPersonalData, type PersonalDataDocument } from './export-personal-data.ts'

const clock = fixedClock('2026-11-22T10:00:00Z')
let database: TestDatabase
let zara: Actor & { kind: 'person' }
let otto: Actor & { kind: 'person' }
let ncetm: Actor
let notSelectedRound: CohortOutcomes
let acceptedRound: CohortOutcomes
let ottoReference: string
let apiToken: string
const ZARA = { name: 'Zara Quill', trn: '7654321' }
/** What she and others wrote in her development year: each must be in her export, then nowhere. */
const WRITTEN = {
  accessNeeds: 'A hearing loop near the front',
  dietaryNeeds: 'Sesame allergy, carries an adrenaline pen',
  absenceReason: 'Hospital appointment for her knee',
  releaseNote: 'Covered by the deputy head while away',
  reversalReason: 'Logged the wrong morning by mistake',
  extraDaysReason: 'Extra days while her partner is unwell',
  evidenceText: 'Bar models with my Year 4 class went well',
  evidenceLink: 'https://video.example.org/quill-lesson',
  fileName: 'quill-reflection.pdf',
  feedback: 'Say more about pupils talking in pairs',
  accreditationSource: 'Accredited through the Eastvale pilot in 2024',
  withdrawalReason: 'Moving abroad for family reasons',
}
/** The evidence file's own bytes, to look for after erasure. */
const FILE_MARK = 'QUILL-EVIDENCE-BYTES'
let development: {
  participationId: number
  bookingId: number
  supportVisitId: number
  fileId: number
  submissionIds: number[]
  calendarToken: string
}

const as = (actor: Actor) => contextFor(database.db, clock, actor)

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`)
  return error.errors.map((e) => `${e.field}: ${e.code}`).join(', ')
}

/** Every row of the tables erasure may touch, to prove a refusal changed nothing. */
async function snapshot(): Promise<string> {
  const tables = [
    'people',
    'grants',
    'sessions',
    'sign_in_tokens',
    'api_tokens',
    'applications',
    'outbox',
    'bookings',
    'attendance',
    'events',
    'participation_stages',
    'participation_history',
    'release_entries',
    'release_extra_days',
    'task_submissions',
    'task_evidence_files',
    'pd_lead_accreditations',
    'calendar_feeds',
  ]
  const parts: string[] = []
  for (const table of tables) {
    const result = await sql<{ row: string }>`
      SELECT row_to_json(t)::text AS row FROM ${sql.table(table)} t ORDER BY 1`.execute(database.db)
    parts.push(...result.rows.map((r) => `${table}: ${r.row}`))
  }
  const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_events`.execute(database.db)
  return `${parts.join('\n')}\naudit rows: ${audit.rows[0]!.n}`
}

/** The facts of her development year that erasure keeps, with the text it blanks beside them. */
async function developmentFacts() {
  const db = database.db
  const id = development.participationId
  const booking = await db
    .selectFrom('bookings')
    .select(['event_id', 'venue_id', 'status', 'booked_at', 'access_needs', 'dietary_needs'])
    .where('id', '=', development.bookingId)
    .executeTakeFirstOrThrow()
  const attendance = await db
    .selectFrom('attendance')
    .select(['status', 'absence_reason'])
    .where('booking_id', '=', development.bookingId)
    .execute()
  const stages = await db
    .selectFrom('participation_stages')
    .select(['stage', 'starts_on', 'reason'])
    .where('participation_id', '=', id)
    .orderBy('starts_on')
    .execute()
  const history = await db
    .selectFrom('participation_history')
    .select(['event', 'to_stage', 'reason'])
    .where('participation_id', '=', id)
    .orderBy('id')
    .execute()
  const entries = await db
    .selectFrom('release_entries')
    .select(['kind', 'on_date', 'half', 'note', 'reason'])
    .where('participation_id', '=', id)
    .orderBy('id')
    .execute()
  const extraDays = await db
    .selectFrom('release_extra_days')
    .select(['year', 'half_days', 'reason'])
    .where('participation_id', '=', id)
    .execute()
  const submissions = await db
    .selectFrom('task_submissions')
    .select(['status', 'evidence_kind', 'evidence_text', 'file_id', 'feedback'])
    .where('id', 'in', development.submissionIds)
    .orderBy('id')
    .execute()
  const met = await db
    .selectFrom('accreditation_requirements_met')
    .select('id')
    .where('person_id', '=', zara.personId)
    .execute()
  const accreditation = await db
    .selectFrom('pd_lead_accreditations')
    .select(['kind', 'accredited_on', 'source'])
    .where('person_id', '=', zara.personId)
    .executeTakeFirstOrThrow()
  return {
    booking,
    attendance,
    stages,
    history,
    entries,
    extraDays,
    submissions,
    requirementsMet: met.length,
    accreditation,
  }
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  const db = database.db
  ncetm = await actorByEmail(db, 'nadia.khan@ncetm.example')
  zara = (await newTeacher(db, ZARA.name, ZARA.trn)) as typeof zara
  otto = (await newTeacher(db, 'Otto Other')) as typeof otto

  // Zara is the headteacher Otto asks to endorse, in a cohort of his own; she endorses.
  clock.set('2026-11-22T10:00:00Z')
  const ottoCohort = await decisionCohort(db, 403)
  const { application } = await startApplication(as(otto), ottoCohort)
  ottoReference = application.reference
  await saveApplication(as(otto), application.id, {
    // A school whose headteacher the service does not hold, so the request goes to the one named.
    school: { urn: KINGSMEAD_PRIMARY },
    teaching: { ...TEACHING, trn: '1111111' },
    evidence: essentialEvidence((await findCohort(db, ottoCohort))!),
  })
  await requestEndorsement(as(otto), application.id, { name: ZARA.name, email: zara.email })
  await respondToEndorsement(as(ANONYMOUS), await lastEndorsementToken(db, zara.email), {
    decision: 'confirm',
  })
  await submitApplication(as(otto), application.id, { idempotencyKey: randomUUID() })

  // She asks to be told when a later cohort opens.
  const later = await ensureCohort(
    db,
    cohortInputWith({
      number: 404,
      opensAt: { day: 1, month: 11, year: 2027, hour: 9, minute: 0 },
      closesAt: { day: 21, month: 1, year: 2028, hour: 17, minute: 0 },
      decisionsReleasedOn: { day: 21, month: 4, year: 2028 },
      developmentYear: '2028/29',
      residentials: [],
    }),
  )
  await registerInterest(as(ANONYMOUS), later, { email: zara.email.toUpperCase() })

  // She reviews Otto's application for Northvale (a draft, with a note).
  await grantRole(as(ncetm), { email: zara.email, role: 'reviewer', hubId: NORTHVALE })
  zara = (await actorForPerson(db, zara.personId)) as typeof zara
  clock.set('2027-01-25T10:00:00Z')
  const hubLead = await actorByEmail(db, 'priya.shah@northvale.mathshub.example')
  const { assignmentId } = await assignReviewer(as(hubLead), NORTHVALE, ottoCohort, {
    applicationId: application.id,
    reviewerId: zara.personId,
  })
  await saveReview(
    as(zara),
    assignmentId,
    { strategicNote: 'Otto reasons clearly about fluency' },
    { complete: false },
  )

  // Her own applications: one not selected, one an accepted place.
  notSelectedRound = await cohortWithEveryOutcome(db, clock, 401, { notSelected: zara })
  acceptedRound = await cohortWithEveryOutcome(db, clock, 402, { accepted: zara })
  zara = (await actorForPerson(db, zara.personId)) as typeof zara

  // Her development year: the place accepted on 25 April 2027 began year 1 that day.
  const participation = await db
    .selectFrom('participations')
    .select('id')
    .where('person_id', '=', zara.personId)
    .executeTakeFirstOrThrow()
  const participationId = Number(participation.id)
  clock.set('2027-04-26T10:00:00Z')
  const residential = await scheduleEvent(as(ncetm), {
    kind: 'residential',
    title: 'First residential',
    cohortId: acceptedRound.cohortId,
    days: [{ startsAt: '2027-05-10T08:00:00Z', endsAt: '2027-05-10T16:00:00Z' }],
    venues: [{ name: 'London', address: '1 Station Road', capacity: 40 }],
  })
  const { booking } = await bookPlace(as(zara), residential.id, {
    accessNeeds: WRITTEN.accessNeeds,
    dietaryNeeds: WRITTEN.dietaryNeeds,
  })
  const supportVisit = await scheduleEvent(as(hubLead), {
    kind: 'support-visit',
    title: 'Support visit',
    hubId: NORTHVALE,
    participationId,
    halfDays: 2,
    days: [{ startsAt: '2027-05-12T08:00:00Z', endsAt: '2027-05-12T15:00:00Z' }],
    venues: [{ name: 'Her school', address: 'Northvale Primary', capacity: 5 }],
  })
  const { token: calendarToken } = await resetCalendarFeed(as(zara))
  const tasks = []
  for (const title of ['Reflect on your teaching', 'Film a lesson', 'Write up the residential']) {
    tasks.push(
      await setTask(as(ncetm), acceptedRound.cohortId, { title, description: title, dueOn: '2027-05-28' }),
    )
  }

  clock.set('2027-05-11T10:00:00Z')
  await markAttendance(as(ncetm), residential.id, {
    marks: [{ bookingId: booking.id, dayNumber: 1, status: 'absent', absenceReason: WRITTEN.absenceReason }],
  })
  await logReleaseTime(as(zara), participationId, {
    on: '2027-05-03',
    half: 'morning',
    activity: 'hub-work',
    note: WRITTEN.releaseNote,
  })
  const wrong = await logReleaseTime(as(zara), participationId, {
    on: '2027-05-04',
    half: 'morning',
    activity: 'department',
  })
  await reverseReleaseEntry(as(zara), participationId, wrong.entryIds[0]!, { reason: WRITTEN.reversalReason })
  await approveExtraDays(as(hubLead), participationId, { days: '1', reason: WRITTEN.extraDaysReason })
  const text = await submitTask(as(zara), participationId, tasks[0]!.id, {
    kind: 'text',
    text: WRITTEN.evidenceText,
  })
  const link = await submitTask(as(zara), participationId, tasks[1]!.id, {
    kind: 'link',
    url: WRITTEN.evidenceLink,
  })
  const file = await submitTask(as(zara), participationId, tasks[2]!.id, {
    kind: 'file',
    file: {
      filename: WRITTEN.fileName,
      contentType: 'application/pdf',
      bytes: new TextEncoder().encode(`%PDF-1.4\n%${FILE_MARK}\n%%EOF\n`),
    },
  })
  await reviewSubmission(as(hubLead), text.id, { decision: 'return', feedback: WRITTEN.feedback })
  await reviewSubmission(as(hubLead), file.id, { decision: 'accept' })
  const [requirement] = await currentRequirements(db, 'primary-mastery-specialist')
  await recordRequirementMet(as(ncetm), participationId, {
    requirementId: requirement!.id,
    metOn: '2027-05-10',
  })
  await recordAlreadyAccredited(as(ncetm), participationId, {
    accreditedOn: '2027-05-11',
    source: WRITTEN.accreditationSource,
  })
  clock.set('2027-05-15T10:00:00Z')
  await withdrawParticipation(as(ncetm), participationId, {
    on: '2027-05-20',
    reason: WRITTEN.withdrawalReason,
  })
  development = {
    participationId,
    bookingId: booking.id,
    supportVisitId: supportVisit.id,
    fileId: file.evidence.kind === 'file' ? file.evidence.fileId : 0,
    submissionIds: [text.id, link.id, file.id],
    calendarToken,
  }

  // Signing in, and an API token.
  await requestSignInLink(as(ANONYMOUS), { email: zara.email }, { ip: '203.0.113.9' })
  await openSession(db, zara.personId, clock.now())
  const grant = zara.grants.find((g) => g.role === 'reviewer')!
  apiToken = (await createApiToken(as(zara), { name: 'Marking laptop', grantId: grant.id })).token
}, 300_000)

afterAll(async () => {
  await database?.destroy()
})

describe('the subject access export', () => {
  let document: PersonalDataDocument
  let body: string

  beforeAll(async () => {
    const file = await exportPersonalData(as(zara), zara.personId)
    document = file.document
    body = file.body
    expect(file.fileName).toMatch(new RegExp(`^personal-data-${zara.personId}-\\d{4}-\\d{2}-\\d{2}\\.json$`))
    expect(JSON.parse(body)).toMatchObject({ format: 'masteryhub-personal-data', version: 1 })
  })

  it('holds her record, roles, sign-in metadata and API token names', () => {
    expect(document.person).toMatchObject({
      name: ZARA.name,
      email: zara.email,
      teacherReferenceNumber: ZARA.trn,
    })
    expect(document.roles.map((r) => r.role).sort()).toEqual(['Mastery Specialist', 'Reviewer', 'Teacher'])
    expect(document.signIns.sessions).toHaveLength(1)
    expect(document.signIns.signInLinks).toHaveLength(1)
    expect(document.apiTokens).toEqual([expect.objectContaining({ name: 'Marking laptop', revokedAt: null })])
    expect(body).not.toContain(apiToken)
  })

  it('holds her applications with evidence, endorsement, history, and the released reviews and decision', () => {
    expect(document.applications).toHaveLength(2)
    const notSelected = document.applications.find(
      (a) => a.reference === notSelectedRound.notSelected.reference,
    )!
    expect(notSelected.evidence.length).toBeGreaterThan(0)
    expect(notSelected.evidence[0]!.answer).toContain('because of my work this year')
    expect(notSelected.teaching.trn).toBe(ZARA.trn)
    expect(notSelected.endorsementRequests).toHaveLength(1)
    expect(notSelected.decision).toMatchObject({
      decision: 'Not selected',
      feedback: 'Nora’s evidence of leading colleagues was thin',
    })
    expect(notSelected.reviews).toHaveLength(1)
    expect(notSelected.reviews[0]!.reviewer).toBe('Reviewer 1')
    expect(notSelected.score).not.toBeNull()
    const events = notSelected.history.map((h) => h.event)
    expect(events).toContain('decision-released')
    expect(events).not.toContain('decision-proposed')
    const accepted = document.applications.find((a) => a.reference === acceptedRound.accepted.reference)!
    expect(accepted.decision?.offer).toMatchObject({ state: 'accepted' })
    expect(document.places).toEqual([
      expect.objectContaining({
        applicationReference: acceptedRound.accepted.reference,
        role: 'mastery-specialist',
      }),
    ])
    expect(document.withheld).toEqual([])
  })

  it('holds what she did as a headteacher and a reviewer, her emails, notices and audit rows', () => {
    expect(document.asHeadteacher.endorsementRequests).toEqual([
      expect.objectContaining({ applicationReference: ottoReference, nameGiven: ZARA.name }),
    ])
    expect(document.asHeadteacher.applications[0]!.endorsedAt).not.toBeNull()
    expect(document.reviewsWritten).toEqual([
      expect.objectContaining({
        applicationReference: ottoReference,
        review: expect.objectContaining({ strategicNote: 'Otto reasons clearly about fluency' }),
      }),
    ])
    const kinds = document.emails.map((e) => e.kind)
    expect(kinds).toEqual(
      expect.arrayContaining(['endorsement-request', 'role-granted', 'api-token-created']),
    )
    expect(document.emails.every((e) => e.to.toLowerCase() === zara.email.toLowerCase())).toBe(true)
    expect(document.interestNotices).toHaveLength(1)
    const actions = document.auditTrail.map((a) => a.action)
    expect(actions).toEqual(
      expect.arrayContaining([
        'sign-in-link.create',
        'api-token.create',
        'grant.create',
        'application.submit',
      ]),
    )
    expect(actions).not.toContain('selection-decision.propose')
    expect(document.auditTrail.find((a) => a.action === 'api-token.create')!.by).toBe('you')
  })

  it('holds her development year: stages, bookings and needs, attendance, release time, tasks, accreditation, calendar', () => {
    const years = document.developmentYears
    expect(years.participations).toHaveLength(1)
    const year = years.participations[0]!
    expect(year.cohortId).toBe(acceptedRound.cohortId)
    expect(year.stages).toEqual([
      { stage: 'year-one', startsOn: '2027-04-25', endsOn: '2027-05-20', reason: null },
      { stage: 'withdrawn', startsOn: '2027-05-20', endsOn: null, reason: WRITTEN.withdrawalReason },
    ])
    expect(year.stageChanges.map((c) => [c.event, c.reason, c.by])).toEqual([
      ['start', null, 'the service'],
      ['withdraw', WRITTEN.withdrawalReason, 'someone else'],
    ])
    expect(year.bookings).toEqual([
      expect.objectContaining({
        event: { title: 'First residential', kind: 'residential', status: 'planned' },
        venue: 'London',
        status: 'booked',
        accessNeeds: WRITTEN.accessNeeds,
        dietaryNeeds: WRITTEN.dietaryNeeds,
        attendance: [
          expect.objectContaining({ day: 1, status: 'absent', absenceReason: WRITTEN.absenceReason }),
        ],
      }),
    ])
    expect(year.supportVisits).toEqual([expect.objectContaining({ title: 'Support visit', halfDays: 2 })])
    expect(year.releaseTime.entries.map((e) => [e.kind, e.on, e.half, e.note, e.reason, e.loggedBy])).toEqual(
      [
        ['use', '2027-05-03', 'morning', WRITTEN.releaseNote, null, 'you'],
        ['use', '2027-05-04', 'morning', null, null, 'you'],
        ['reversal', '2027-05-04', 'morning', null, WRITTEN.reversalReason, 'you'],
      ],
    )
    expect(year.releaseTime.extraDays).toEqual([
      expect.objectContaining({
        year: 1,
        halfDays: 2,
        reason: WRITTEN.extraDaysReason,
        approvedBy: 'your hub',
      }),
    ])
    expect(year.taskSubmissions.map((t) => [t.evidence, t.status, t.feedback])).toEqual([
      [{ kind: 'text', text: WRITTEN.evidenceText, link: null, file: null }, 'returned', WRITTEN.feedback],
      [{ kind: 'link', text: null, link: WRITTEN.evidenceLink, file: null }, 'submitted', null],
      [
        {
          kind: 'file',
          text: null,
          link: null,
          file: {
            name: WRITTEN.fileName,
            type: 'pdf',
            contentType: 'application/pdf',
            sizeBytes: expect.any(Number),
          },
        },
        'accepted',
        null,
      ],
    ])
    expect(body).not.toContain(FILE_MARK)
    expect(years.accreditation.requirementsMet).toEqual([
      expect.objectContaining({ metOn: '2027-05-10', requirement: expect.any(String) }),
    ])
    expect(years.accreditation.pdLead).toMatchObject({
      kind: 'already-accredited',
      accreditedOn: '2027-05-11',
      source: WRITTEN.accreditationSource,
    })
    expect(years.calendarFeed).toEqual({ held: true, createdAt: new Date('2027-04-26T10:00:00Z') })
    expect(body).not.toContain(development.calendarToken)
    expect(body).not.toMatch(/token_?hash/i)
    for (const text of Object.values(WRITTEN)) expect(body).toContain(JSON.stringify(text).slice(1, -1))
    // The audit rows about her development year, with the withdrawal's reason only as a flag.
    const withdrawal = document.auditTrail.find((a) => a.action === 'participation.withdraw')!
    expect(withdrawal.after).toMatchObject({ stage: 'withdrawn', reasonGiven: true })
    expect(JSON.stringify(withdrawal)).not.toContain(WRITTEN.withdrawalReason)
    expect(document.auditTrail.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'booking.book',
        'release-time.log',
        'release-time.reverse',
        'release-time.approve-extra-days',
        'task-submission.submit',
        'task-submission.return',
        'accreditation.requirement-met',
        'accreditation.already-accredited',
        'calendar.reset',
      ]),
    )
  })

  it('holds nothing about an unconnected teacher', async () => {
    const others = [
      notSelectedRound.placeDeclined,
      notSelectedRound.reserve,
      notSelectedRound.accepted,
      acceptedRound.notSelected,
    ]
    for (const other of others) {
      expect(body).not.toContain(other.name)
      expect(body).not.toContain(other.email)
      expect(body).not.toContain(other.reference)
    }
    expect(body).not.toContain('Priya')
    expect(body).not.toContain('Reviewer 1@')
  })

  it('is given to NCETM administrators for anyone, and to nobody else', async () => {
    const file = await exportPersonalData(as(ncetm), zara.personId)
    expect(file.document.person.email).toBe(zara.email)
    for (const email of [
      'oliver.grant@ncetm.example',
      'priya.shah@northvale.mathshub.example',
      'helen.morris@school.example',
    ]) {
      await expect(
        exportPersonalData(as(await actorByEmail(database.db, email)), zara.personId),
      ).rejects.toThrow(NotFoundError)
    }
    await expect(exportPersonalData(as(otto), zara.personId)).rejects.toThrow(NotFoundError)
    await expect(exportPersonalData(as(ANONYMOUS), zara.personId)).rejects.toThrow(NotFoundError)
    await expect(exportPersonalData(as(ncetm), 2 ** 31 - 1)).rejects.toThrow(NotFoundError)
  })

  it('is audited with who asked, for whom and counts only', async () => {
    const rows = await database.db
      .selectFrom('audit_events')
      .select(['actor_person_id', 'record_id', 'after'])
      .where('action', '=', 'person.subject-access-export')
      .orderBy('id')
      .execute()
    expect(rows.map((r) => [r.actor_person_id, r.record_id])).toEqual([
      [zara.personId, String(zara.personId)],
      [(ncetm as { personId: number }).personId, String(zara.personId)],
    ])
    expect(rows[0]!.after).toMatchObject({
      forThemself: true,
      applications: 2,
      places: 1,
      reviewsWritten: 1,
      bookings: 1,
      releaseEntries: 3,
      taskSubmissions: 3,
    })
    const text = JSON.stringify(rows)
    expect(text).not.toContain('Zara')
    expect(text).not.toContain('@')
  })
})

describe('erasure', () => {
  it('is refused for yourself, for the last NCETM administrator, without confirmation and for others, changing nothing', async () => {
    const before = await snapshot()
    const nadia = ncetm as { personId: number }
    expect(await refusal(erasePerson(as(ncetm), nadia.personId, { confirm: true }))).toBe('confirm: self')
    const commandLine: Actor = {
      kind: 'person',
      personId: 0,
      name: 'Command line',
      email: '',
      grants: [{ id: 0, role: 'national-admin', hubId: null, cohortId: null, schoolUrn: null }],
      via: 'command-line',
    }
    expect(await refusal(erasePerson(as(commandLine), nadia.personId, { confirm: true }))).toBe(
      'confirm: last-national-admin',
    )
    expect(await refusal(erasePerson(as(ncetm), zara.personId, {}))).toBe('confirm: invalid')
    expect(await refusal(erasePerson(as(ncetm), zara.personId, { confirm: 'no' }))).toBe('confirm: invalid')
    for (const actor of [
      zara,
      otto,
      await actorByEmail(database.db, 'oliver.grant@ncetm.example'),
      ANONYMOUS,
    ]) {
      await expect(erasePerson(as(actor), zara.personId, { confirm: true })).rejects.toThrow(NotFoundError)
    }
    expect(await snapshot()).toBe(before)
  })

  it('anonymises her everywhere while her history stays, and she can no longer sign in', async () => {
    const db = database.db
    const ownIds = [notSelectedRound.notSelected.id, acceptedRound.accepted.id]
    const historyBefore = await db
      .selectFrom('application_history')
      .select(['id', 'event', 'to_state'])
      .where('application_id', 'in', ownIds)
      .orderBy('id')
      .execute()
    const auditBefore = await db.selectFrom('audit_events').select('id').orderBy('id').execute()
    // Her name, email and TRN are in many places before.
    expect((await findEverywhere(db, ZARA.name)).length).toBeGreaterThan(2)
    expect(await findEverywhere(db, zara.email)).toContain('people.email')
    expect(await findEverywhere(db, ZARA.trn)).toContain('people.trn')
    for (const text of Object.values(WRITTEN)) expect(await findEverywhere(db, text), text).not.toEqual([])
    const developmentBefore = await developmentFacts()
    // An organiser names her in the support visit's title. (Set here, not through changing the
    // event: its audit row would keep the title, and the audit trail is beyond erasure.)
    await db
      .updateTable('events')
      .set({ title: `Support visit for ${ZARA.name}` })
      .where('id', '=', development.supportVisitId)
      .execute()
    // Before she is erased, the ledger refuses even the blanking of her note.
    await expect(
      sql`UPDATE release_entries SET note = NULL
        WHERE participation_id = ${development.participationId}`.execute(db),
    ).rejects.toThrow(/append-only/)

    clock.set('2027-06-01T09:00:00Z')
    const result = await erasePerson(as(ncetm), zara.personId, { confirm: 'yes' })
    expect(result.outcome).toBe('erased')

    expect(await findEverywhere(db, ZARA.name)).toEqual([])
    expect(await findEverywhere(db, zara.email)).toEqual([])
    expect(await findEverywhere(db, ZARA.trn)).toEqual([])
    expect(await findEverywhere(db, 'Otto reasons clearly')).toEqual(['reviews.strategic_note'])
    // Nothing she or others wrote in her development year is left, in any text column.
    for (const text of Object.values(WRITTEN)) expect(await findEverywhere(db, text), text).toEqual([])
    const visit = await db
      .selectFrom('events')
      .select(['title', 'status', 'half_days'])
      .where('id', '=', development.supportVisitId)
      .executeTakeFirstOrThrow()
    expect(visit).toEqual({ title: 'Support visit for Erased person', status: 'planned', half_days: 2 })
    // Nor the evidence file's bytes, nor her calendar feed.
    const bytes = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM task_evidence_files
      WHERE position(convert_to(${FILE_MARK}, 'UTF8') IN content) > 0`.execute(db)
    expect(bytes.rows[0]!.n).toBe(0)
    expect(
      await db.selectFrom('task_evidence_files').select('id').where('id', '=', development.fileId).execute(),
    ).toEqual([])
    expect(
      await db
        .selectFrom('calendar_feeds')
        .select('person_id')
        .where('person_id', '=', zara.personId)
        .execute(),
    ).toEqual([])
    // The facts her funding and the counts need stay.
    expect(await developmentFacts()).toEqual({
      ...developmentBefore,
      booking: { ...developmentBefore.booking, access_needs: null, dietary_needs: null },
      attendance: [{ status: 'absent', absence_reason: 'Erased' }],
      stages: [
        { stage: 'year-one', starts_on: '2027-04-25', reason: null },
        { stage: 'withdrawn', starts_on: '2027-05-20', reason: 'Erased' },
      ],
      history: [
        { event: 'start', to_stage: 'year-one', reason: null },
        { event: 'withdraw', to_stage: 'withdrawn', reason: 'Erased' },
      ],
      entries: [
        { kind: 'use', on_date: '2027-05-03', half: 'morning', note: null, reason: null },
        { kind: 'use', on_date: '2027-05-04', half: 'morning', note: null, reason: null },
        { kind: 'reversal', on_date: '2027-05-04', half: 'morning', note: null, reason: 'Erased' },
      ],
      extraDays: [{ year: 1, half_days: 2, reason: 'Erased' }],
      submissions: [
        {
          status: 'returned',
          evidence_kind: 'text',
          evidence_text: 'Erased',
          file_id: null,
          feedback: 'Erased',
        },
        {
          status: 'submitted',
          evidence_kind: 'text',
          evidence_text: 'Erased',
          file_id: null,
          feedback: null,
        },
        { status: 'accepted', evidence_kind: 'text', evidence_text: 'Erased', file_id: null, feedback: null },
      ],
      requirementsMet: 1,
      accreditation: { kind: 'already-accredited', accredited_on: '2027-05-11', source: 'Erased' },
    })
    const needsDeleted = await db
      .selectFrom('bookings')
      .select('needs_deleted_at')
      .where('id', '=', development.bookingId)
      .executeTakeFirstOrThrow()
    expect(needsDeleted.needs_deleted_at).toEqual(new Date('2027-06-01T09:00:00Z'))
    // The ledger still refuses anything but that blanking, even for her.
    for (const change of [
      sql`UPDATE release_entries SET half = 'afternoon' WHERE participation_id = ${development.participationId}`,
      sql`UPDATE release_entries SET note = 'Something new' WHERE participation_id = ${development.participationId}`,
      sql`UPDATE release_entries SET reason = 'Another reason'
        WHERE participation_id = ${development.participationId} AND kind = 'reversal'`,
      sql`UPDATE release_extra_days SET half_days = 100 WHERE participation_id = ${development.participationId}`,
      sql`DELETE FROM release_entries WHERE participation_id = ${development.participationId}`,
      sql`DELETE FROM release_extra_days WHERE participation_id = ${development.participationId}`,
    ]) {
      await expect(change.execute(db)).rejects.toThrow(/append-only/)
    }

    // History, decisions, the place and the audit trail stay, with their ids.
    const person = await db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', zara.personId)
      .executeTakeFirstOrThrow()
    expect(person).toMatchObject({ name: 'Erased person', trn: null })
    expect(person.erased_at).toEqual(new Date('2027-06-01T09:00:00Z'))
    const historyAfter = await db
      .selectFrom('application_history')
      .select(['id', 'event', 'to_state'])
      .where('application_id', 'in', ownIds)
      .orderBy('id')
      .execute()
    expect(historyAfter).toEqual(historyBefore)
    const decisions = await db
      .selectFrom('selection_decisions')
      .select(['decision', 'offer_state', 'feedback'])
      .where('application_id', 'in', ownIds)
      .orderBy('application_id')
      .execute()
    expect(decisions).toEqual([
      { decision: 'not-selected', offer_state: null, feedback: '' },
      { decision: 'selected', offer_state: 'accepted', feedback: '' },
    ])
    const applications = await db
      .selectFrom('applications')
      .select(['state', 'evidence', 'headteacher_email'])
      .where('id', 'in', ownIds)
      .execute()
    expect(applications).toEqual([
      { state: 'submitted', evidence: {}, headteacher_email: null },
      { state: 'submitted', evidence: {}, headteacher_email: null },
    ])
    expect(
      await db.selectFrom('participations').select('id').where('person_id', '=', zara.personId).execute(),
    ).toHaveLength(1)
    const auditAfter = await db.selectFrom('audit_events').select('id').orderBy('id').execute()
    expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore)

    // She can no longer sign in: no session, no link for her old address, no API token, no roles.
    expect(
      await db.selectFrom('sessions').select('id_hash').where('person_id', '=', zara.personId).execute(),
    ).toEqual([])
    expect(await actorForPerson(db, zara.personId)).toBeUndefined()
    expect(await actorForApiToken(db, apiToken, clock.now())).toBeUndefined()
    await requestSignInLink(as(ANONYMOUS), { email: zara.email }, { ip: '203.0.113.9' })
    expect(
      await db
        .selectFrom('sign_in_tokens')
        .select('token_hash')
        .where('person_id', '=', zara.personId)
        .execute(),
    ).toEqual([])
    expect(
      await db
        .selectFrom('grants')
        .select('id')
        .where('person_id', '=', zara.personId)
        .where('revoked_at', 'is', null)
        .execute(),
    ).toEqual([])
  })

  it('is audited with counts and no personal data, and erasing twice changes nothing', async () => {
    const rows = await database.db
      .selectFrom('audit_events')
      .select(['actor_person_id', 'record_type', 'record_id', 'after'])
      .where('action', '=', 'person.erase')
      .execute()
    expect(rows).toEqual([
      {
        actor_person_id: (ncetm as { personId: number }).personId,
        record_type: 'person',
        record_id: String(zara.personId),
        after: expect.objectContaining({
          applications: 2,
          apiTokens: 1,
          asHeadteacher: 1,
          interestNotices: 1,
          participations: 1,
          bookingNeeds: 1,
          absenceReasons: 1,
          stageReasons: 1,
          releaseTexts: 3,
          taskSubmissions: 3,
          evidenceFiles: 1,
          accreditationSources: 1,
          calendarFeeds: 1,
        }),
      },
    ])
    const before = await snapshot()
    clock.set('2027-07-01T09:00:00Z')
    const again = await erasePerson(as(ncetm), zara.personId, { confirm: true })
    expect(again).toEqual({ outcome: 'already-erased', erasedAt: new Date('2027-06-01T09:00:00Z') })
    expect(await snapshot()).toBe(before)
  })

  it('leaves an export that says so', async () => {
    const file = await exportPersonalData(as(ncetm), zara.personId)
    expect(file.document.person).toMatchObject({ name: 'Erased person', teacherReferenceNumber: null })
    expect(file.body).not.toContain(ZARA.name)
    expect(file.body).not.toContain(zara.email)
  })
})
