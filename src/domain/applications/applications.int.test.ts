// The application round end to end through the use-cases, on a real migrated database with the
// demo register: the journey, the closing instant to the millisecond in GMT and in BST, one live
// application per teacher, the headteacher's single-use link, reminders, and what each refusal
// leaves behind (nothing).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { cohortInputWith, ensureCohort } from '../../../test/cohort-factory.ts'
import {
  essentialEvidence,
  HEAD,
  KINGSMEAD_PRIMARY,
  lastEndorsementToken,
  NORTHVALE_PRIMARY,
  OPEN_COHORT,
  TEACHING,
} from '../../../test/application-fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts'
import { loadDemo } from '../../db/seeds/demo.ts'
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../../errors.ts'
import { fixedClock } from '../../lib/clock.ts'
import { actorForPerson } from '../access/actors.repository.ts'
import { ANONYMOUS, type Actor } from '../access/actor.ts'
import { rowTransactionId } from '../audit/audit.ts'
import { findCohort } from '../programmes/programmes.repository.ts'
import type { UseCaseContext } from '../use-case.ts'
import { listHistory } from './applications.repository.ts'
import { sendEndorsementReminders } from './endorsement-reminders.ts'
import { requestEndorsement } from './request-endorsement.ts'
import { respondToEndorsement, viewEndorsementRequest } from './respond-to-endorsement.ts'
import { saveApplication } from './save-application.ts'
import { startApplication } from './start-application.ts'
import { submitApplication } from './submit-application.ts'
import { listHubApplications, listOwnApplications, viewApplication } from './view-applications.ts'
import { verifyHeadteacher } from './verify-headteacher.ts'
import { withdrawApplication } from './withdraw-application.ts'

const NOW = '2026-11-22T10:00:00Z'

const clock = fixedClock(NOW)
let database: TestDatabase
let hubLead: Actor
let otherHubLead: Actor
let teacherCount = 0

function context(actor: Actor): UseCaseContext {
  return { db: database.db, actor, clock, requestId: 'applications-test', baseUrl: 'http://localhost:3000' }
}

async function actorFor(email: string): Promise<Actor> {
  const person = await database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return (await actorForPerson(database.db, person.id))!
}

async function newTeacher(): Promise<Actor> {
  teacherCount++
  const person = await database.db
    .insertInto('people')
    .values({ name: `Teacher ${teacherCount}`, email: `teacher${teacherCount}@school.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  await database.db.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
  return (await actorForPerson(database.db, person.id))!
}

async function refusal(work: Promise<unknown>): Promise<Record<string, string>> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`)
  return Object.fromEntries(error.errors.map((e) => [e.field, e.code]))
}

/** The newest endorsement link (request or reminder) emailed to the address. */
function lastLinkTo(email: string): Promise<string> {
  return lastEndorsementToken(database.db, email, ['endorsement-request', 'endorsement-reminder'])
}

/** Answers to every written essential criterion of the cohort. */
async function evidenceFor(cohortId: string): Promise<Record<string, string>> {
  return essentialEvidence((await findCohort(database.db, cohortId))!)
}

/** A teacher's application, complete and endorsed by the headteacher through the emailed link. */
async function endorsedApplication(teacher: Actor, cohortId = OPEN_COHORT): Promise<number> {
  const { application } = await startApplication(context(teacher), cohortId)
  await saveApplication(context(teacher), application.id, {
    school: { urn: NORTHVALE_PRIMARY },
    teaching: TEACHING,
    evidence: await evidenceFor(cohortId),
  })
  await requestEndorsement(context(teacher), application.id, HEAD)
  await respondToEndorsement(context(ANONYMOUS), await lastLinkTo(HEAD.email), { decision: 'confirm' })
  return application.id
}

async function counts() {
  const count = async (table: 'applications' | 'application_history' | 'outbox' | 'audit_events') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    applications: await count('applications'),
    history: await count('application_history'),
    outbox: await count('outbox'),
    audit: await count('audit_events'),
  }
}

beforeAll(async () => {
  database = await createTestDatabase()
  await loadDemo(database.db, clock)
  hubLead = await actorFor('priya.shah@northvale.mathshub.example')
  otherHubLead = await actorFor('ruth.okafor@riverside.mathshub.example')
})
afterAll(async () => {
  await database?.destroy()
})
beforeEach(() => {
  clock.set(NOW)
})

describe('the application journey', () => {
  it('goes from draft to submitted, with history, audit, emails and the hub seeing it', async () => {
    const teacher = await newTeacher()
    const { application, created } = await startApplication(context(teacher), OPEN_COHORT)
    expect(created).toBe(true)
    expect(application.state).toBe('draft')
    expect(application.reference).toMatch(/^MH-[0-9A-Z]{8}$/)

    // A draft is the teacher's alone.
    await expect(viewApplication(context(hubLead), application.id)).rejects.toBeInstanceOf(NotFoundError)
    const hubsList = (await listHubApplications(context(hubLead), 'northvale-maths-hub')).items
    expect(hubsList.map((a) => a.id)).not.toContain(application.id)

    const saved = await saveApplication(context(teacher), application.id, {
      school: { urn: NORTHVALE_PRIMARY },
    })
    expect(saved.hubId).toBe('northvale-maths-hub')
    expect(saved.eligibility?.outcome).toBe('eligible')
    await saveApplication(context(teacher), application.id, { teaching: TEACHING })
    await saveApplication(context(teacher), application.id, { evidence: await evidenceFor(OPEN_COHORT) })
    let view = await viewApplication(context(teacher), application.id)
    expect(view.tasks).toEqual({
      school: 'completed',
      teaching: 'completed',
      evidence: 'completed',
      headteacher: 'not-started',
      submit: 'cannot-start',
    })
    expect(await refusal(submitApplication(context(teacher), application.id))).toEqual({
      headteacher: 'not-endorsed',
    })

    await requestEndorsement(context(teacher), application.id, HEAD)
    const token = await lastLinkTo(HEAD.email)
    const shown = await viewEndorsementRequest(context(ANONYMOUS), token)
    expect(shown.status).toBe('open')
    expect(shown.cohort.headteacherCommitments.length).toBeGreaterThan(0)
    await respondToEndorsement(context(ANONYMOUS), token, { decision: 'confirm' })
    view = await viewApplication(context(teacher), application.id)
    expect(view.application.state).toBe('endorsed')
    expect(view.tasks.submit).toBe('not-started')

    const { application: submitted, replayed } = await submitApplication(context(teacher), application.id)
    expect(replayed).toBe(false)
    expect(submitted.state).toBe('submitted')
    expect(submitted.submittedAt?.toISOString()).toBe(new Date(NOW).toISOString())

    // Every change of state is in the history, in order, and in the audit trail in its transaction.
    const history = await listHistory(database.db, application.id)
    expect(history.map((h) => [h.event, h.fromState, h.toState, h.actorKind])).toEqual([
      ['start', null, 'draft', 'applicant'],
      ['request-endorsement', 'draft', 'awaiting-endorsement', 'applicant'],
      ['endorse', 'awaiting-endorsement', 'endorsed', 'headteacher'],
      ['submit', 'endorsed', 'submitted', 'applicant'],
    ])
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'transaction_id'])
      .where('record_type', '=', 'application')
      .where('record_id', '=', String(application.id))
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual([
      'application.start',
      'application.save',
      'application.save',
      'application.save',
      'application.request-endorsement',
      'application.endorse',
      'application.submit',
    ])
    expect(audit.at(-1)!.transaction_id).toBe(
      await rowTransactionId(database.db, 'applications', { column: 'id', value: application.id }),
    )

    // Receipts to the teacher and the headteacher; the teacher heard of the endorsement too.
    const emails = await database.db
      .selectFrom('outbox')
      .select(['to_address', 'template', 'body_text'])
      .where('to_address', 'in', [teacher.kind === 'person' ? teacher.email : '', HEAD.email])
      .orderBy('id')
      .execute()
    const templates = emails.map((e) => `${e.template} → ${e.to_address}`)
    expect(templates).toEqual(
      expect.arrayContaining([
        `endorsement-confirmed → ${teacher.kind === 'person' ? teacher.email : ''}`,
        `application-submitted → ${teacher.kind === 'person' ? teacher.email : ''}`,
        `application-submitted-headteacher → ${HEAD.email}`,
      ]),
    )
    expect(emails.find((e) => e.template === 'application-submitted')!.body_text).toContain(
      '10am on 22 November 2026',
    )

    // The hub serving the school, and NCETM, see it; another hub does not.
    expect(
      (await listHubApplications(context(hubLead), 'northvale-maths-hub')).items.map((a) => a.id),
    ).toContain(application.id)
    expect((await viewApplication(context(hubLead), application.id)).own).toBe(false)
    await expect(viewApplication(context(otherHubLead), application.id)).rejects.toBeInstanceOf(NotFoundError)
    await expect(listHubApplications(context(otherHubLead), 'northvale-maths-hub')).rejects.toBeInstanceOf(
      NotFoundError,
    )
    // Nobody else can change it.
    await expect(withdrawApplication(context(hubLead), application.id)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('gives a second attempt the first application, and allows a new one after withdrawing', async () => {
    const teacher = await newTeacher()
    const first = await startApplication(context(teacher), OPEN_COHORT)
    const second = await startApplication(context(teacher), OPEN_COHORT)
    expect(second.created).toBe(false)
    expect(second.application.id).toBe(first.application.id)
    expect((await listOwnApplications(context(teacher))).length).toBe(1)
    await withdrawApplication(context(teacher), first.application.id)
    const third = await startApplication(context(teacher), OPEN_COHORT)
    expect(third.created).toBe(true)
    expect(third.application.id).not.toBe(first.application.id)
  })

  it('refuses a closed school (naming its successor) and an ineligible one, and keeps a special school for review', async () => {
    const teacher = await newTeacher()
    const { application } = await startApplication(context(teacher), OPEN_COHORT)
    const closed = await saveApplication(context(teacher), application.id, {
      school: { urn: 990_048 },
    }).catch((e: unknown) => e)
    expect(closed).toBeInstanceOf(ValidationError)
    expect((closed as ValidationError).errors[0]).toMatchObject({
      field: 'school.urn',
      code: 'school-closed',
    })
    expect((closed as ValidationError).message).toContain('Northgate Infant Academy (URN 995048)')
    expect(
      await refusal(saveApplication(context(teacher), application.id, { school: { urn: 990_017 } })),
    ).toEqual({
      'school.urn': 'not-eligible',
    })
    expect(
      await refusal(saveApplication(context(teacher), application.id, { school: { urn: 123_456_78 } })),
    ).toEqual({
      'school.urn': 'unknown',
    })
    const special = await saveApplication(context(teacher), application.id, { school: { urn: 990_002 } })
    expect(special.eligibility?.outcome).toBe('needs-review')
  })

  it('checks teaching details and evidence, naming each field, and stores nothing refused', async () => {
    const teacher = await newTeacher()
    const { application } = await startApplication(context(teacher), OPEN_COHORT)
    const before = await counts()
    expect(
      await refusal(
        saveApplication(context(teacher), application.id, {
          teaching: { ...TEACHING, trn: null },
          evidence: { 'teaches-maths': 'word '.repeat(251), nonsense: 'x' },
        }),
      ),
    ).toEqual({ 'teaching.trn': 'invalid' })
    expect(
      await refusal(
        saveApplication(context(teacher), application.id, {
          evidence: { 'teaches-maths': 'word '.repeat(251), nonsense: 'x' },
        }),
      ),
    ).toEqual({ 'evidence.teaches-maths': 'too-long', 'evidence.nonsense': 'unknown' })
    expect(await refusal(saveApplication(context(teacher), application.id, { extra: 1 }))).toEqual({
      form: 'invalid',
    })
    expect(await counts()).toEqual(before)
    // Exactly at the limit is fine; markup is kept as text, to be escaped wherever it is shown.
    const saved = await saveApplication(context(teacher), application.id, {
      evidence: { 'teaches-maths': `${'word '.repeat(249)}<script>alert(1)</script>` },
    })
    expect(saved.evidence['teaches-maths']).toContain('<script>alert(1)</script>')
  })
})

describe('the closing instant', () => {
  // Cohort 11's window closes at 5pm on 14 March 2025 (GMT: 17:00Z); cohort 20's at 5pm on
  // 14 May 2025 (BST: 16:00Z).
  const windows = [
    {
      name: 'GMT',
      number: 11,
      closes: { day: 14, month: 3, year: 2025 },
      instant: '2025-03-14T17:00:00.000Z',
    },
    {
      name: 'BST',
      number: 20,
      closes: { day: 14, month: 5, year: 2025 },
      instant: '2025-05-14T16:00:00.000Z',
    },
  ]

  it.each(windows)(
    'in $name accepts a submission 1 ms before it and refuses one at it and 1 ms after, keeping the draft',
    async (w) => {
      const cohortId = await ensureCohort(
        database.db,
        cohortInputWith({ number: w.number, closesAt: { ...w.closes, hour: 17, minute: 0 } }),
      )
      const closesAt = (await findCohort(database.db, cohortId))!.closesAt
      expect(closesAt.toISOString()).toBe(w.instant)

      clock.set('2025-01-10T12:00:00Z')
      const onTime = await newTeacher()
      const atClose = await newTeacher()
      const late = await newTeacher()
      const ids = [
        await endorsedApplication(onTime, cohortId),
        await endorsedApplication(atClose, cohortId),
        await endorsedApplication(late, cohortId),
      ]

      clock.set(new Date(closesAt.getTime() - 1))
      const accepted = await submitApplication(context(onTime), ids[0]!)
      expect(accepted.application.submittedAt?.toISOString()).toBe(
        new Date(closesAt.getTime() - 1).toISOString(),
      )

      for (const [teacher, id, at] of [
        [atClose, ids[1]!, closesAt.getTime()],
        [late, ids[2]!, closesAt.getTime() + 1],
      ] as const) {
        clock.set(new Date(at))
        const before = await viewApplication(context(teacher), id)
        const error = await submitApplication(context(teacher), id).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(ValidationError)
        expect((error as ValidationError).errors).toEqual([
          {
            code: 'deadline-passed',
            field: 'cohort',
            message:
              `Applications to Primary Mastery Specialist Programme Cohort ${w.number} closed at ` +
              `5pm on ${w.closes.day} ${w.closes.month === 3 ? 'March' : 'May'} 2025. Your application has been kept ` +
              'as it was, but it can no longer be changed or submitted.',
          },
        ])
        // The draft is kept exactly as it was, and cannot be changed now either.
        const after = await viewApplication(context(teacher), id)
        expect(after.application).toEqual(before.application)
        expect(after.application.state).toBe('endorsed')
        expect(await refusal(saveApplication(context(teacher), id, { teaching: TEACHING }))).toEqual({
          cohort: 'deadline-passed',
        })
      }
    },
  )
})

describe('idempotent submission', () => {
  it('answers a retry with the same key as the first, and refuses another submission', async () => {
    const teacher = await newTeacher()
    const id = await endorsedApplication(teacher)
    const first = await submitApplication(context(teacher), id, { idempotencyKey: 'key-0000-aaaa' })
    const retry = await submitApplication(context(teacher), id, { idempotencyKey: 'key-0000-aaaa' })
    expect(retry.replayed).toBe(true)
    expect(retry.application).toEqual(first.application)
    await expect(
      submitApplication(context(teacher), id, { idempotencyKey: 'key-1111-bbbb' }),
    ).rejects.toBeInstanceOf(ConflictError)
    await expect(submitApplication(context(teacher), id)).rejects.toBeInstanceOf(ConflictError)
    const submits = (await listHistory(database.db, id)).filter((h) => h.event === 'submit')
    expect(submits).toHaveLength(1)
    const receipts = await database.db
      .selectFrom('outbox')
      .select('id')
      .where('template', '=', 'application-submitted')
      .where('to_address', '=', teacher.kind === 'person' ? teacher.email : '')
      .execute()
    expect(receipts).toHaveLength(1)
  })
})

describe('the headteacher’s link', () => {
  it('works once', async () => {
    const teacher = await newTeacher()
    const id = await endorsedApplication(teacher)
    const token = await lastLinkTo(HEAD.email)
    expect((await viewEndorsementRequest(context(ANONYMOUS), token)).status).toBe('used')
    expect(
      await refusal(respondToEndorsement(context(ANONYMOUS), token, { decision: 'decline', reason: 'No' })),
    ).toEqual({ decision: 'link-used' })
    expect((await viewApplication(context(teacher), id)).application.state).toBe('endorsed')
  })

  it('expires after 14 days, and an unknown link is not found', async () => {
    const teacher = await newTeacher()
    const { application } = await startApplication(context(teacher), OPEN_COHORT)
    await saveApplication(context(teacher), application.id, { school: { urn: NORTHVALE_PRIMARY } })
    await requestEndorsement(context(teacher), application.id, HEAD)
    const token = await lastLinkTo(HEAD.email)
    clock.set(new Date(new Date(NOW).getTime() + 14 * 24 * 3_600_000 - 1))
    expect((await viewEndorsementRequest(context(ANONYMOUS), token)).status).toBe('open')
    clock.set(new Date(new Date(NOW).getTime() + 14 * 24 * 3_600_000))
    expect(await refusal(respondToEndorsement(context(ANONYMOUS), token, { decision: 'confirm' }))).toEqual({
      decision: 'link-expired',
    })
    await expect(viewEndorsementRequest(context(ANONYMOUS), 'a'.repeat(43))).rejects.toBeInstanceOf(
      NotFoundError,
    )
  })

  it('stops working when the teacher resends it or changes school, and a decline needs a reason', async () => {
    const teacher = await newTeacher()
    const { application } = await startApplication(context(teacher), OPEN_COHORT)
    await saveApplication(context(teacher), application.id, { school: { urn: KINGSMEAD_PRIMARY } })
    await requestEndorsement(context(teacher), application.id, HEAD)
    const first = await lastLinkTo(HEAD.email)
    await requestEndorsement(context(teacher), application.id, {
      name: 'Helen Morris',
      email: 'head@christ-church.example',
    })
    const second = await lastLinkTo('head@christ-church.example')
    expect((await viewEndorsementRequest(context(ANONYMOUS), first)).status).toBe('replaced')
    expect(await refusal(respondToEndorsement(context(ANONYMOUS), second, { decision: 'decline' }))).toEqual({
      reason: 'invalid',
    })
    await respondToEndorsement(context(ANONYMOUS), second, {
      decision: 'decline',
      reason: 'Talk to me <b>first</b>',
    })
    const declined = await viewApplication(context(teacher), application.id)
    expect(declined.application.state).toBe('endorsement-declined')
    expect(declined.application.endorsementDeclineReason).toBe('Talk to me <b>first</b>')
    const email = await database.db
      .selectFrom('outbox')
      .select(['body_text', 'subject'])
      .where('template', '=', 'endorsement-declined')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(email.body_text).toContain('Talk to me <b>first</b>')
    expect(email.subject).not.toContain('Talk')

    // Asked again and endorsed, then a different school: the endorsement no longer stands.
    await requestEndorsement(context(teacher), application.id, HEAD)
    await respondToEndorsement(context(ANONYMOUS), await lastLinkTo(HEAD.email), { decision: 'confirm' })
    const moved = await saveApplication(context(teacher), application.id, { school: { urn: 990_002 } })
    expect(moved.state).toBe('draft')
    expect(moved.headteacherEmail).toBeNull()
    expect(moved.endorsedAt).toBeNull()
  })

  it('cannot be sent to the teacher themself, or before a school is chosen', async () => {
    const teacher = await newTeacher()
    const { application } = await startApplication(context(teacher), OPEN_COHORT)
    expect(await refusal(requestEndorsement(context(teacher), application.id, HEAD))).toEqual({
      school: 'no-school',
    })
    await saveApplication(context(teacher), application.id, { school: { urn: KINGSMEAD_PRIMARY } })
    const own = teacher.kind === 'person' ? teacher.email.toUpperCase() : ''
    expect(
      await refusal(requestEndorsement(context(teacher), application.id, { name: 'Me', email: own })),
    ).toEqual({
      email: 'own-email',
    })
  })

  it('cannot be sent to another spelling of the teacher’s own mailbox', async () => {
    const person = await database.db
      .insertInto('people')
      .values({ name: 'Bea Jones', email: 'Bea.Jones@gmail.com' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await database.db.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
    const bea = (await actorForPerson(database.db, person.id))!
    const { application } = await startApplication(context(bea), OPEN_COHORT)
    await saveApplication(context(bea), application.id, { school: { urn: KINGSMEAD_PRIMARY } })
    const before = await counts()
    for (const email of [
      'bea.jones+head@gmail.com',
      'BEAJONES@googlemail.com',
      'b.e.a.j.o.n.e.s+x@GMAIL.com',
    ]) {
      expect(
        await refusal(requestEndorsement(context(bea), application.id, { name: 'Head', email })),
      ).toEqual({
        email: 'own-email',
      })
    }
    expect(await counts()).toEqual(before)
  })

  it('refuses a headteacher’s name containing a web address, sending nothing', async () => {
    const teacher = await newTeacher()
    const { application } = await startApplication(context(teacher), OPEN_COHORT)
    await saveApplication(context(teacher), application.id, { school: { urn: KINGSMEAD_PRIMARY } })
    const before = await counts()
    const name = 'Win a prize at http://prize.example'
    const error = await requestEndorsement(context(teacher), application.id, {
      name,
      email: 'stranger@elsewhere.example',
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).errors).toEqual([
      expect.objectContaining({ field: 'name', message: 'Enter a name without a web address' }),
    ])
    expect(await counts()).toEqual(before)
  })
})

describe('who the headteacher is', () => {
  it('is the school contact the service knows, whatever address the teacher typed', async () => {
    const teacher = await newTeacher()
    const { application } = await startApplication(context(teacher), OPEN_COHORT)
    await saveApplication(context(teacher), application.id, { school: { urn: NORTHVALE_PRIMARY } })
    const own = teacher.kind === 'person' ? teacher.email.replace('@', '+head@') : ''
    const asked = await requestEndorsement(context(teacher), application.id, {
      name: 'My Other Me',
      email: own,
    })
    expect(asked).toMatchObject({
      headteacherName: HEAD.name,
      headteacherEmail: HEAD.email,
      headteacherVerification: 'school-contact',
    })
    const sent = await database.db
      .selectFrom('outbox')
      .select('to_address')
      .where('template', '=', 'endorsement-request')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(sent.to_address).toBe(HEAD.email)
  })

  it('is the one the teacher names where the service knows nobody, and then not verified', async () => {
    const teacher = await newTeacher()
    const { application } = await startApplication(context(teacher), OPEN_COHORT)
    await saveApplication(context(teacher), application.id, { school: { urn: KINGSMEAD_PRIMARY } })
    const asked = await requestEndorsement(context(teacher), application.id, {
      name: 'Pat Head',
      email: 'pat.head@kingsmead.example',
    })
    expect(asked).toMatchObject({
      headteacherEmail: 'pat.head@kingsmead.example',
      headteacherVerification: null,
    })
  })
})

describe('a headteacher not verified', () => {
  it('is verified by the hub’s lead, audited, and by nobody else', async () => {
    const teacher = await newTeacher()
    const { application } = await startApplication(context(teacher), OPEN_COHORT)
    await saveApplication(context(teacher), application.id, {
      school: { urn: KINGSMEAD_PRIMARY },
      teaching: TEACHING,
      evidence: await evidenceFor(OPEN_COHORT),
    })
    await requestEndorsement(context(teacher), application.id, {
      name: 'Pat Head',
      email: 'pat@kingsmead.example',
    })
    await respondToEndorsement(context(ANONYMOUS), await lastLinkTo('pat@kingsmead.example'), {
      decision: 'confirm',
    })
    await submitApplication(context(teacher), application.id, {})
    expect(
      (await viewApplication(context(hubLead), application.id)).application.headteacherVerification,
    ).toBeNull()

    const before = await counts()
    for (const actor of [teacher, otherHubLead]) {
      await expect(verifyHeadteacher(context(actor), application.id)).rejects.toBeInstanceOf(NotFoundError)
    }
    expect(await counts()).toEqual(before)
    const verified = await verifyHeadteacher(context(hubLead), application.id)
    expect(verified).toMatchObject({ headteacherVerification: 'hub' })
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'record_id'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(audit).toEqual({ action: 'application.verify-headteacher', record_id: String(application.id) })
  })
})

describe('limits on asking headteachers', () => {
  it('allows an account 10 requests a day, then refuses with nothing stored or sent', async () => {
    const teacher = await newTeacher()
    const { application } = await startApplication(context(teacher), OPEN_COHORT)
    await saveApplication(context(teacher), application.id, { school: { urn: KINGSMEAD_PRIMARY } })
    for (let i = 0; i < 10; i++) {
      await requestEndorsement(context(teacher), application.id, {
        name: 'Pat Head',
        email: `head${i}@kingsmead.example`,
      })
    }
    const before = await counts()
    const error = await requestEndorsement(context(teacher), application.id, {
      name: 'Pat Head',
      email: 'head10@kingsmead.example',
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitedError)
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0)
    expect(await counts()).toEqual(before)
    clock.set('2026-11-23T10:00:01Z')
    await requestEndorsement(context(teacher), application.id, {
      name: 'Pat Head',
      email: 'head10@kingsmead.example',
    })
  })

  it('allows one client address 30 requests an hour across accounts', async () => {
    const client = { ip: '203.0.113.9' }
    for (let i = 0; i < 31; i++) {
      const teacher = await newTeacher()
      const { application } = await startApplication(context(teacher), OPEN_COHORT)
      await saveApplication(context(teacher), application.id, { school: { urn: KINGSMEAD_PRIMARY } })
      const work = requestEndorsement(
        context(teacher),
        application.id,
        { name: 'Pat Head', email: `pat${i}@kingsmead.example` },
        client,
      )
      if (i < 30) await work
      else await expect(work).rejects.toBeInstanceOf(RateLimitedError)
    }
  })
})

describe('reminders', () => {
  it('go once, 5 working days after the request, with a link of their own beside the first', async () => {
    const teacher = await newTeacher()
    // Monday 23 November 2026, 10am: due Monday 30 November, 10am.
    clock.set('2026-11-23T10:00:00Z')
    const { application } = await startApplication(context(teacher), OPEN_COHORT)
    await saveApplication(context(teacher), application.id, { school: { urn: KINGSMEAD_PRIMARY } })
    await requestEndorsement(context(teacher), application.id, {
      name: 'Reminded Head',
      email: 'reminded@head.example',
    })
    const first = await lastLinkTo('reminded@head.example')
    const deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' }
    const reminders = async () =>
      database.db
        .selectFrom('outbox')
        .select('id')
        .where('to_address', '=', 'reminded@head.example')
        .where('template', '=', 'endorsement-reminder')
        .execute()

    clock.set('2026-11-30T09:59:59.999Z')
    await sendEndorsementReminders(deps)
    expect(await reminders()).toHaveLength(0)
    clock.set('2026-11-30T10:00:00Z')
    const [a, b] = await Promise.all([sendEndorsementReminders(deps), sendEndorsementReminders(deps)])
    expect((a ?? 0) + (b ?? 0)).toBeGreaterThanOrEqual(1)
    await sendEndorsementReminders(deps)
    expect(await reminders()).toHaveLength(1)
    const second = await lastLinkTo('reminded@head.example')
    expect(second).not.toBe(first)
    expect((await viewEndorsementRequest(context(ANONYMOUS), first)).status).toBe('open')
    await respondToEndorsement(context(ANONYMOUS), second, { decision: 'confirm' })
    expect((await viewEndorsementRequest(context(ANONYMOUS), first)).status).toBe('used')
  })
})

describe('withdrawal', () => {
  it('is allowed until decisions are released', async () => {
    const teacher = await newTeacher()
    const id = await endorsedApplication(teacher)
    await submitApplication(context(teacher), id)
    clock.set('2027-04-21T00:00:00Z') // decisions for cohort 13 are released on 21 April 2027 (BST)
    expect(await refusal(withdrawApplication(context(teacher), id))).toEqual({ state: 'decisions-released' })
    clock.set('2027-04-20T22:59:59.999Z') // 11:59pm on 20 April, UK time
    const withdrawn = await withdrawApplication(context(teacher), id)
    expect(withdrawn.state).toBe('withdrawn')
    expect(await refusal(withdrawApplication(context(teacher), id))).toEqual({ state: 'refused-transition' })
  })
})
