// Tasks on a real database: NCETM sets a task for a cohort; a specialist hands in text, a link and
// a file; a renamed program, an oversized file, a bad link and a return without feedback are each
// refused with a plain message and nothing saved; a return, a new submission, then acceptance, with
// the emails; overdue from the clock; only the specialist, their hub and NCETM see the evidence.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cohortInputWith, ensureCohort } from '../../../../test/cohort-factory.ts'
import { createTestDatabase, type TestDatabase } from '../../../../test/database.ts'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { fixedClock, type Clock } from '../../../lib/clock.ts'
import { MAX_UPLOAD_BYTES } from '../../../lib/uploads.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { Actor } from '../../access/actor.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { beginYearTwo } from '../begin-year-two.ts'
import { startYearOne } from '../start-year-one.ts'
import { withdrawParticipation } from '../withdraw-participation.ts'
import { downloadEvidence } from './download-evidence.ts'
import { changeTask, setTask, withdrawTask } from './manage-tasks.ts'
import { reviewSubmission } from './review-submission.ts'
import { submitTask } from './submit-task.ts'
import { overdueCounts, tasksFor, viewCohortTasks, viewTasks } from './view-tasks.ts'

const clock = fixedClock('2026-03-01T10:00:00Z')
const HUB = 'northvale-maths-hub'
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n')
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0])
let database: TestDatabase
let admin: Actor
let hubLead: Actor
let hubAdmin: Actor
let otherLead: Actor
let cohortId: string
let n = 0

function context(actor: Actor, at: Clock = clock): UseCaseContext {
  return { db: database.db, actor, clock: at, requestId: 'tasks-test', baseUrl: 'http://localhost:3000' }
}

async function personWith(
  email: string,
  role: 'national-admin' | 'hub-lead' | 'hub-admin',
  hub: string | null,
) {
  const person = await database.db
    .insertInto('people')
    .values({ name: email, email })
    .returning('id')
    .executeTakeFirstOrThrow()
  await database.db.insertInto('grants').values({ person_id: person.id, role, hub_id: hub }).execute()
  return (await actorForPerson(database.db, person.id))!
}

/** A specialist in year 1 of the cohort from 1 October 2025. */
async function specialist(hub = HUB): Promise<{ actor: Actor; participationId: number; email: string }> {
  n += 1
  const db = database.db
  const email = `s${n}@school.example`
  const person = await db
    .insertInto('people')
    .values({ name: `Specialist ${n}`, email })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('grants')
    .values({ person_id: person.id, role: 'mastery-specialist', hub_id: hub, cohort_id: cohortId })
    .execute()
  const application = await db
    .insertInto('applications')
    .values({
      reference: `MH-${String(n).padStart(8, '0')}`,
      cohort_id: cohortId,
      applicant_id: person.id,
      state: 'draft',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  const started = new Date('2025-10-01T09:00:00Z')
  const row = await db
    .insertInto('participations')
    .values({
      person_id: person.id,
      cohort_id: cohortId,
      application_id: application.id,
      hub_id: hub,
      started_at: started,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.transaction().execute((tx) => startYearOne(tx, row.id, cohortId, started))
  return { actor: (await actorForPerson(db, person.id))!, participationId: row.id, email }
}

let taskNumber = 0
async function task(changes: Record<string, unknown> = {}) {
  taskNumber += 1
  return setTask(context(admin), cohortId, {
    title: `Task ${taskNumber}`,
    description: 'Lead a pilot collaborative lesson observation workshop and write up what you learned',
    dueOn: '2026-04-30',
    ...changes,
  })
}

const count = async (
  table: 'task_submissions' | 'task_evidence_files' | 'audit_events' | 'outbox' | 'tasks',
) =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
const counts = async () => ({
  submissions: await count('task_submissions'),
  files: await count('task_evidence_files'),
  audit: await count('audit_events'),
  outbox: await count('outbox'),
  tasks: await count('tasks'),
})

async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ValidationError)
  return error as ValidationError
}

beforeAll(async () => {
  database = await createTestDatabase()
  await database.db
    .insertInto('hubs')
    .values([
      { id: HUB, name: 'Northvale Maths Hub' },
      { id: 'other-maths-hub', name: 'Other Maths Hub' },
    ])
    .execute()
  admin = await personWith('admin@ncetm.example', 'national-admin', null)
  hubLead = await personWith('lead@northvale.example', 'hub-lead', HUB)
  hubAdmin = await personWith('admin@northvale.example', 'hub-admin', HUB)
  otherLead = await personWith('lead@other.example', 'hub-lead', 'other-maths-hub')
  cohortId = await ensureCohort(database.db, cohortInputWith({ number: 91 }))
})

afterAll(async () => {
  await database?.destroy()
})

describe('setting tasks', () => {
  it('sets a task due at 5pm UK time, seen by the cohort’s specialists, audited with its history', async () => {
    const tess = await specialist()
    const set = await task({ dueOn: '2026-06-30', forYear: '' })
    expect(set).toMatchObject({ cohortId, dueOn: '2026-06-30', forYear: null, status: 'set' })
    // British Summer Time: 5pm UK time is 4pm UTC.
    expect(set.dueAt.toISOString()).toBe('2026-06-30T16:00:00.000Z')
    const mine = await viewTasks(context(tess.actor), tess.participationId)
    expect(mine.tasks.find((t) => t.task.id === set.id)).toMatchObject({
      progress: 'not-started',
      overdue: false,
    })
    const audit = await database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('record_type', '=', 'task')
      .where('record_id', '=', String(set.id))
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['task.set'])
  })

  it('refuses a task with no title, a past or unreal date, or year 2 on a one-year programme, saving nothing', async () => {
    const before = await counts()
    const noTitle = await refusal(
      setTask(context(admin), cohortId, { title: ' ', description: 'x', dueOn: '2026-05-01' }),
    )
    expect(noTitle.errors).toEqual([{ code: 'invalid', field: 'title', message: 'Enter the task’s title' }])
    const past = await refusal(
      setTask(context(admin), cohortId, { title: 'T', description: 'x', dueOn: '2026-02-28' }),
    )
    expect(past.errors[0]).toMatchObject({ field: 'dueOn', message: 'The due date must be in the future' })
    const unreal = await refusal(
      setTask(context(admin), cohortId, { title: 'T', description: 'x', dueOn: '2026-02-30' }),
    )
    expect(unreal.errors[0]).toMatchObject({ field: 'dueOn', message: 'Enter a real date, like 2027-03-14' })
    // The PD Lead programme has one year.
    const oneYear = await ensureCohort(
      database.db,
      cohortInputWith({ programmeId: 'pd-lead-accreditation', number: 93 }),
    )
    const yearTwo = await refusal(
      setTask(context(admin), oneYear, { title: 'T', description: 'x', dueOn: '2026-05-01', forYear: 2 }),
    )
    expect(yearTwo.errors[0]).toMatchObject({
      field: 'forYear',
      message: 'This programme has one development year: select year 1 or both years',
    })
    // Only NCETM sets tasks: a hub lead is told the cohort is not there.
    await expect(
      setTask(context(hubLead), cohortId, { title: 'T', description: 'x', dueOn: '2026-05-01' }),
    ).rejects.toBeInstanceOf(NotFoundError)
    await expect(
      setTask(context(admin), 'no-such-cohort', { title: 'T', description: 'x', dueOn: '2026-05-01' }),
    ).rejects.toBeInstanceOf(NotFoundError)
    expect((await counts()).tasks).toBe(before.tasks)
  })

  it('changes and withdraws a task, keeping every version and the evidence handed in', async () => {
    const tess = await specialist()
    const set = await task()
    const submission = await submitTask(context(tess.actor), tess.participationId, set.id, {
      kind: 'text',
      text: 'Done',
    })
    const changed = await changeTask(context(admin), set.id, {
      title: 'Pilot workshop write-up',
      description: set.description,
      dueOn: '2026-05-15',
    })
    expect(changed).toMatchObject({ title: 'Pilot workshop write-up', dueOn: '2026-05-15' })
    await expect(changeTask(context(hubLead), set.id, { title: 'x' })).rejects.toBeInstanceOf(NotFoundError)
    const noReason = await refusal(withdrawTask(context(admin), set.id, { reason: '' }))
    expect(noReason.errors[0]).toMatchObject({ field: 'reason', message: 'Enter why the task is withdrawn' })
    await withdrawTask(context(admin), set.id, { reason: 'Replaced by the workshop itself' })
    const again = await refusal(withdrawTask(context(admin), set.id, { reason: 'Twice' }))
    expect(again.errors[0]!.message).toBe('This task has already been withdrawn')
    const cohortView = (await viewCohortTasks(context(admin), cohortId)).find((t) => t.task.id === set.id)!
    expect(cohortView.task.status).toBe('withdrawn')
    expect(cohortView.history.map((h) => [h.event, h.title, h.dueOn])).toEqual([
      ['set', set.title, '2026-04-30'],
      ['change', 'Pilot workshop write-up', '2026-05-15'],
      ['withdraw', 'Pilot workshop write-up', '2026-05-15'],
    ])
    // Withdrawn: gone from the specialist's list, but the evidence is kept.
    expect(
      (await tasksFor(database.db, tess.participationId, clock.now())).map((t) => t.task.id),
    ).not.toContain(set.id)
    expect(
      await downloadEvidence(context(tess.actor), submission.id).catch((e: unknown) => e),
    ).toBeInstanceOf(NotFoundError) // text evidence has no file
    const kept = await database.db
      .selectFrom('task_submissions')
      .select('id')
      .where('task_id', '=', set.id)
      .execute()
    expect(kept).toHaveLength(1)
    const actions = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('record_type', '=', 'task')
      .where('record_id', '=', String(set.id))
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual(['task.set', 'task.change', 'task.withdraw'])
  })
})

describe('handing in evidence', () => {
  it('takes text, an https link and a file, the file kept with its type, size, hash and safe name', async () => {
    const tess = await specialist()
    const [a, b, c] = [await task(), await task(), await task()]
    const text = await submitTask(context(tess.actor), tess.participationId, a.id, {
      kind: 'text',
      text: 'I led the workshop on 12 February with six teachers.',
    })
    expect(text).toMatchObject({ status: 'submitted', evidence: { kind: 'text' } })
    const link = await submitTask(context(tess.actor), tess.participationId, b.id, {
      kind: 'link',
      url: 'https://drive.example.com/workshop-notes',
    })
    expect(link.evidence).toEqual({ kind: 'link', url: 'https://drive.example.com/workshop-notes' })
    const file = await submitTask(context(tess.actor), tess.participationId, c.id, {
      kind: 'file',
      file: { filename: 'C:\\fakepath\\Workshop "notes".pdf', contentType: 'application/pdf', bytes: PDF },
    })
    expect(file.evidence).toMatchObject({
      kind: 'file',
      filename: 'Workshop _notes_.pdf',
      contentType: 'application/pdf',
      fileKind: 'pdf',
      sizeBytes: PDF.length,
    })
    const statuses = (await tasksFor(database.db, tess.participationId, clock.now()))
      .filter((t) => [a.id, b.id, c.id].includes(t.task.id))
      .map((t) => t.progress)
    expect(statuses).toEqual(['submitted', 'submitted', 'submitted'])
    // The specialist, their hub's lead and administrator, and NCETM download the same bytes.
    for (const actor of [tess.actor, hubLead, hubAdmin, admin]) {
      const download = await downloadEvidence(context(actor), file.id)
      expect(Buffer.from(download.bytes).equals(Buffer.from(PDF))).toBe(true)
      expect(download).toMatchObject({ filename: 'Workshop _notes_.pdf', contentType: 'application/pdf' })
      expect(download.sha256).toMatch(/^[0-9a-f]{64}$/)
    }
    // Another hub's lead and another specialist are told it is not there.
    for (const actor of [otherLead, (await specialist()).actor]) {
      await expect(downloadEvidence(context(actor), file.id)).rejects.toBeInstanceOf(NotFoundError)
      await expect(viewTasks(context(actor), tess.participationId)).rejects.toBeInstanceOf(NotFoundError)
    }
    // The audit trail has the ids and the file's facts, never the words, the link or the name.
    const audit = JSON.stringify(
      await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('record_type', '=', 'task-submission')
        .execute(),
    )
    expect(audit).not.toContain('six teachers')
    expect(audit).not.toContain('drive.example.com')
    expect(audit).not.toContain('Workshop')
  })

  it('refuses a renamed program, an oversized file, a bad link and empty text, saving nothing', async () => {
    const tess = await specialist()
    const t = await task()
    const before = await counts()
    const submit = (raw: unknown) => refusal(submitTask(context(tess.actor), tess.participationId, t.id, raw))
    const exe = await submit({
      kind: 'file',
      file: { filename: 'plan.pdf', contentType: 'application/pdf', bytes: EXE },
    })
    expect(exe.errors).toEqual([
      {
        code: 'wrong-contents',
        field: 'file',
        message: 'The selected file must be a PDF, DOCX, XLSX, PPTX, PNG or JPEG: this one is not a PDF',
      },
    ])
    const exeName = await submit({
      kind: 'file',
      file: { filename: 'setup.exe', contentType: 'application/x-msdownload', bytes: EXE },
    })
    expect(exeName.errors[0]!.message).toBe('The selected file must be a PDF, DOCX, XLSX, PPTX, PNG or JPEG')
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 1)
    big.set(PDF)
    const oversized = await submit({
      kind: 'file',
      file: { filename: 'big.pdf', contentType: 'application/pdf', bytes: big },
    })
    expect(oversized.errors).toEqual([
      { code: 'too-large', field: 'file', message: 'The selected file must be smaller than 10 MB' },
    ])
    const http = await submit({ kind: 'link', url: 'http://drive.example.com/notes' })
    expect(http.errors).toEqual([
      { code: 'invalid', field: 'url', message: 'The link must start with https://' },
    ])
    for (const url of [
      'https://',
      'https://not a link',
      'https://user:secret@example.com/x',
      'https://localhost/x',
    ]) {
      const bad = await submit({ kind: 'link', url })
      expect(bad.errors[0], url).toMatchObject({
        field: 'url',
        message: 'Enter a link in the correct format, like https://www.example.com/evidence',
      })
    }
    const javascript = await submit({ kind: 'link', url: 'javascript:alert(1)' })
    expect(javascript.errors[0]!.message).toBe('The link must start with https://')
    const empty = await submit({ kind: 'text', text: '   ' })
    expect(empty.errors[0]).toMatchObject({ field: 'text', message: 'Enter your evidence' })
    const noKind = await submit({})
    expect(noKind.errors[0]).toMatchObject({
      field: 'kind',
      message: 'Select how you will show your evidence: text, a link or a file',
    })
    expect(await counts()).toEqual(before)
  })

  it('returns with feedback, takes a new submission, then accepts it; only the latest counts', async () => {
    const tess = await specialist()
    const t = await task()
    const first = await submitTask(context(tess.actor), tess.participationId, t.id, {
      kind: 'text',
      text: 'First go',
    })
    const waiting = await refusal(
      submitTask(context(tess.actor), tess.participationId, t.id, { kind: 'text', text: 'Another' }),
    )
    expect(waiting.errors[0]!.code).toBe('already-submitted')

    // A return needs feedback: refused without, nothing saved.
    const before = await counts()
    const noFeedback = await refusal(
      reviewSubmission(context(hubLead), first.id, { decision: 'return', feedback: ' ' }),
    )
    expect(noFeedback.errors).toEqual([
      {
        code: 'invalid',
        field: 'feedback',
        message: 'Enter feedback for the specialist: what to change before they hand it in again',
      },
    ])
    const noDecision = await refusal(reviewSubmission(context(hubLead), first.id, {}))
    expect(noDecision.errors[0]).toMatchObject({
      field: 'decision',
      message: 'Select whether to accept the evidence or return it',
    })
    expect(await counts()).toEqual(before)
    const stored = await database.db
      .selectFrom('task_submissions')
      .select('status')
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow()
    expect(stored.status).toBe('submitted')

    // Another hub's lead and the specialist themself may not review it.
    for (const actor of [otherLead, tess.actor]) {
      await expect(reviewSubmission(context(actor), first.id, { decision: 'accept' })).rejects.toBeInstanceOf(
        NotFoundError,
      )
    }

    const returned = await reviewSubmission(context(hubLead), first.id, {
      decision: 'return',
      feedback: 'Add what the teachers said about the lesson.',
    })
    expect(returned).toMatchObject({
      status: 'returned',
      feedback: 'Add what the teachers said about the lesson.',
    })
    expect(returned.reviewedByName).toBe('lead@northvale.example')
    const twice = await refusal(reviewSubmission(context(admin), first.id, { decision: 'accept' }))
    expect(twice.errors[0]!.message).toBe('This evidence has already been reviewed')
    let mine = (await tasksFor(database.db, tess.participationId, clock.now())).find(
      (x) => x.task.id === t.id,
    )!
    expect(mine.progress).toBe('returned')

    const second = await submitTask(context(tess.actor), tess.participationId, t.id, {
      kind: 'link',
      url: 'https://drive.example.com/second',
    })
    mine = (await tasksFor(database.db, tess.participationId, clock.now())).find((x) => x.task.id === t.id)!
    expect(mine.progress).toBe('submitted')
    expect(mine.latest?.id).toBe(second.id)
    expect(mine.submissions.map((s) => [s.id, s.status])).toEqual([
      [second.id, 'submitted'],
      [first.id, 'returned'],
    ])

    await reviewSubmission(context(admin), second.id, { decision: 'accept' })
    mine = (await tasksFor(database.db, tess.participationId, clock.now())).find((x) => x.task.id === t.id)!
    expect(mine.progress).toBe('accepted')
    const afterAccept = await refusal(
      submitTask(context(tess.actor), tess.participationId, t.id, { kind: 'text', text: 'More' }),
    )
    expect(afterAccept.errors[0]!.message).toBe('This task has already been accepted')

    const emails = await database.db
      .selectFrom('outbox')
      .select(['template', 'subject', 'body_text'])
      .where('to_address', '=', tess.email)
      .orderBy('id')
      .execute()
    expect(emails.map((e) => e.template)).toEqual(['task-returned', 'task-accepted'])
    expect(emails[0]!.body_text).toContain('Add what the teachers said about the lesson.')
    const actions = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('record_type', '=', 'task-submission')
      .where('record_id', 'in', [String(first.id), String(second.id)])
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual([
      'task-submission.submit',
      'task-submission.return',
      'task-submission.resubmit',
      'task-submission.accept',
    ])
  })

  it('takes one of two submissions made at the same moment and refuses the other plainly', async () => {
    const tess = await specialist()
    const t = await task()
    const results = await Promise.allSettled([
      submitTask(context(tess.actor), tess.participationId, t.id, { kind: 'text', text: 'One' }),
      submitTask(context(tess.actor), tess.participationId, t.id, { kind: 'text', text: 'Two' }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toBeInstanceOf(ValidationError)
    expect(String(refused.reason.message)).not.toMatch(/task_submissions|Key/)
  })
})

describe('overdue tasks', () => {
  it('flags a task overdue after 5pm UK time on its date until it is handed in, and again when returned', async () => {
    const tess = await specialist()
    const other = await specialist()
    const t = await task({ dueOn: '2026-03-10' })
    const at = (iso: string) => fixedClock(iso)
    const standing = async (iso: string) =>
      (await tasksFor(database.db, tess.participationId, new Date(iso))).find((x) => x.task.id === t.id)!
    // Greenwich Mean Time in March: 5pm UK time is 5pm UTC.
    expect((await standing('2026-03-10T16:59:00Z')).overdue).toBe(false)
    expect((await standing('2026-03-10T17:01:00Z')).overdue).toBe(true)
    const late = new Date('2026-03-11T09:00:00Z')
    const before = await overdueCounts(database.db, [tess.participationId, other.participationId], late)
    const submission = await submitTask(
      context(tess.actor, at('2026-03-11T09:00:00Z')),
      tess.participationId,
      t.id,
      {
        kind: 'text',
        text: 'Late, sorry',
      },
    )
    const after = await overdueCounts(database.db, [tess.participationId, other.participationId], late)
    expect(after.get(tess.participationId)).toBe(before.get(tess.participationId)! - 1)
    expect(after.get(other.participationId)).toBe(before.get(other.participationId))
    await reviewSubmission(context(hubAdmin), submission.id, { decision: 'return', feedback: 'Say more' })
    expect((await standing('2026-03-11T10:00:00Z')).overdue).toBe(true)
    // A participation with nothing overdue is counted as 0, and one that is not there too.
    const none = await overdueCounts(database.db, [999_999], late)
    expect(none.get(999_999)).toBe(0)
  })

  it('does not chase a withdrawn specialist, nor set a year-2 task in year 1', async () => {
    const tess = await specialist()
    const t = await task({ dueOn: '2026-03-05' })
    const late = new Date('2026-03-06T09:00:00Z')
    expect(
      (await tasksFor(database.db, tess.participationId, late)).find((x) => x.task.id === t.id)?.overdue,
    ).toBe(true)
    await withdrawParticipation(context(admin, fixedClock('2026-03-01T12:00:00Z')), tess.participationId, {
      on: '2026-03-02',
      reason: 'Moved school',
    })
    expect(
      (await tasksFor(database.db, tess.participationId, late)).find((x) => x.task.id === t.id)?.overdue,
    ).toBe(false)
    expect((await overdueCounts(database.db, [tess.participationId], late)).get(tess.participationId)).toBe(0)
    const refused = await refusal(
      submitTask(context(tess.actor, fixedClock(late)), tess.participationId, t.id, {
        kind: 'text',
        text: 'x',
      }),
    )
    expect(refused.errors[0]!.message).toBe('You can hand in evidence only during your development years')
  })
})

describe('the cohort’s tasks', () => {
  it('shows NCETM every hub’s specialists and a hub only its own; others are told it is not there', async () => {
    const ours = await specialist()
    const theirs = await specialist('other-maths-hub')
    const t = await task()
    await submitTask(context(ours.actor), ours.participationId, t.id, { kind: 'text', text: 'Done' })
    const national = (await viewCohortTasks(context(admin), cohortId)).find((x) => x.task.id === t.id)!
    const ids = national.specialists.map((s) => s.participationId)
    expect(ids).toContain(ours.participationId)
    expect(ids).toContain(theirs.participationId)
    const hub = (await viewCohortTasks(context(hubLead), cohortId)).find((x) => x.task.id === t.id)!
    expect(hub.specialists.every((s) => s.hubId === HUB)).toBe(true)
    expect(hub.specialists.find((s) => s.participationId === ours.participationId)).toMatchObject({
      progress: 'submitted',
    })
    expect(hub.counts.submitted).toBe(1)
    const other = (await viewCohortTasks(context(otherLead), cohortId)).find((x) => x.task.id === t.id)!
    expect(other.specialists.map((s) => s.participationId)).not.toContain(ours.participationId)
    await expect(viewCohortTasks(context(ours.actor), cohortId)).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('tasks for one development year', () => {
  it('sets a year-2 task only once year 2 has begun, and a year-1 task from the start', async () => {
    const tess = await specialist()
    const yearTwo = await task({ forYear: 2, dueOn: '2026-12-01' })
    const yearOne = await task({ forYear: '1', dueOn: '2026-05-01' })
    const now = await tasksFor(database.db, tess.participationId, clock.now())
    expect(now.map((x) => x.task.id)).not.toContain(yearTwo.id)
    expect(now.map((x) => x.task.id)).toContain(yearOne.id)
    await beginYearTwo(context(admin), tess.participationId, { on: '2026-09-01' })
    const inYearTwo = await tasksFor(database.db, tess.participationId, new Date('2026-09-02T09:00:00Z'))
    expect(inYearTwo.map((x) => x.task.id)).toContain(yearTwo.id)
    // Year 1's task is still listed, and overdue, since it was never handed in.
    expect(inYearTwo.find((x) => x.task.id === yearOne.id)?.overdue).toBe(true)
  })
})

describe('the database holds the rules too', () => {
  it('refuses a due time other than 5pm UK time, a return without feedback, a second live submission and a size that is not the file’s', async () => {
    const tess = await specialist()
    const t = await task()
    const db = database.db
    await expect(
      sql`UPDATE tasks SET due_at = due_at + interval '1 hour' WHERE id = ${t.id}`.execute(db),
    ).rejects.toMatchObject({ code: '23514' })
    const s = await submitTask(context(tess.actor), tess.participationId, t.id, {
      kind: 'text',
      text: 'Done',
    })
    await expect(
      sql`UPDATE task_submissions SET status = 'returned', reviewed_at = now(), feedback = ' ' WHERE id = ${s.id}`.execute(
        db,
      ),
    ).rejects.toMatchObject({ code: '23514' })
    await expect(
      sql`INSERT INTO task_submissions (task_id, participation_id, evidence_kind, evidence_text, submitted_at)
          VALUES (${t.id}, ${tess.participationId}, 'text', 'Again', now())`.execute(db),
    ).rejects.toMatchObject({ code: '23505', constraint: 'task_submissions_one_live' })
    await expect(
      sql`INSERT INTO task_submissions (task_id, participation_id, evidence_kind, evidence_url, status, submitted_at, reviewed_at, feedback)
          VALUES (${t.id}, ${tess.participationId}, 'link', 'http://example.com', 'returned', now(), now(), 'x')`.execute(
        db,
      ),
    ).rejects.toMatchObject({ code: '23514' })
    await expect(
      sql`INSERT INTO task_evidence_files (content, kind, content_type, size_bytes, sha256, filename, uploaded_at)
          VALUES ('\\x255044462d'::bytea, 'pdf', 'application/pdf', 6, ${'0'.repeat(64)}, 'a.pdf', now())`.execute(
        db,
      ),
    ).rejects.toMatchObject({ code: '23514' })
  })
})
