// SQL for tasks, their history, the evidence handed in and the files kept with it. Lists never read
// a file's bytes; only evidenceFile does.
import type { Executor, Tx } from '../../../db/database.ts'
import { databaseErrorIn } from '../../../db/database-errors.ts'
import type { EvidenceKind, SubmissionStatus, TaskStatus, UploadKindName } from '../../../db/schema.ts'
import { ValidationError } from '../../../errors.ts'
import type { StageSpan } from './task-status.ts'

export interface Task {
  id: number
  cohortId: string
  title: string
  description: string
  /** YYYY-MM-DD */
  dueOn: string
  /** 5pm UK time on dueOn. */
  dueAt: Date
  forYear: 1 | 2 | null
  status: TaskStatus
  withdrawnAt: Date | null
  withdrawReason: string | null
  createdAt: Date
  updatedAt: Date
}

const TASK_COLUMNS = [
  'tasks.id',
  'tasks.cohort_id',
  'tasks.title',
  'tasks.description',
  'tasks.due_on',
  'tasks.due_at',
  'tasks.for_year',
  'tasks.status',
  'tasks.withdrawn_at',
  'tasks.withdraw_reason',
  'tasks.created_at',
  'tasks.updated_at',
] as const

function toTask(row: {
  id: number
  cohort_id: string
  title: string
  description: string
  due_on: string
  due_at: Date
  for_year: 1 | 2 | null
  status: TaskStatus
  withdrawn_at: Date | null
  withdraw_reason: string | null
  created_at: Date
  updated_at: Date
}): Task {
  return {
    id: Number(row.id),
    cohortId: row.cohort_id,
    title: row.title,
    description: row.description,
    dueOn: row.due_on,
    dueAt: row.due_at,
    forYear: row.for_year === null ? null : (Number(row.for_year) as 1 | 2),
    status: row.status,
    withdrawnAt: row.withdrawn_at,
    withdrawReason: row.withdraw_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function findTask(
  db: Executor,
  taskId: number,
  { forUpdate = false } = {},
): Promise<Task | undefined> {
  let query = db.selectFrom('tasks').select(TASK_COLUMNS).where('tasks.id', '=', taskId)
  if (forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row ? toTask(row) : undefined
}

/** The cohorts' tasks by due date, withdrawn ones too when asked. */
export async function cohortTasks(
  db: Executor,
  cohortIds: string[],
  { withWithdrawn = false } = {},
): Promise<Task[]> {
  if (cohortIds.length === 0) return []
  let query = db.selectFrom('tasks').select(TASK_COLUMNS).where('tasks.cohort_id', 'in', cohortIds)
  if (!withWithdrawn) query = query.where('tasks.status', '=', 'set')
  const rows = await query.orderBy('tasks.due_on').orderBy('tasks.id').execute()
  return rows.map(toTask)
}

export interface TaskValues {
  title: string
  description: string
  dueOn: string
  dueAt: Date
  forYear: 1 | 2 | null
}

export async function insertTask(
  tx: Tx,
  cohortId: string,
  values: TaskValues,
  by: number | null,
  now: Date,
): Promise<number> {
  const row = await tx
    .insertInto('tasks')
    .values({
      cohort_id: cohortId,
      title: values.title,
      description: values.description,
      due_on: values.dueOn,
      due_at: values.dueAt,
      for_year: values.forYear,
      created_by: by,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function updateTask(tx: Tx, taskId: number, values: TaskValues, now: Date): Promise<void> {
  await tx
    .updateTable('tasks')
    .set({
      title: values.title,
      description: values.description,
      due_on: values.dueOn,
      due_at: values.dueAt,
      for_year: values.forYear,
      updated_at: now,
    })
    .where('id', '=', taskId)
    .execute()
}

export async function markWithdrawn(tx: Tx, taskId: number, reason: string, now: Date): Promise<void> {
  await tx
    .updateTable('tasks')
    .set({ status: 'withdrawn', withdrawn_at: now, withdraw_reason: reason, updated_at: now })
    .where('id', '=', taskId)
    .execute()
}

export async function insertTaskHistory(
  tx: Tx,
  task: Pick<Task, 'id' | 'title' | 'description' | 'dueOn' | 'forYear'>,
  event: 'set' | 'change' | 'withdraw',
  reason: string | null,
  by: number | null,
  now: Date,
): Promise<void> {
  await tx
    .insertInto('task_history')
    .values({
      task_id: task.id,
      event,
      title: task.title,
      description: task.description,
      due_on: task.dueOn,
      for_year: task.forYear,
      reason,
      actor_person_id: by,
      at: now,
    })
    .execute()
}

export interface TaskVersion {
  event: 'set' | 'change' | 'withdraw'
  title: string
  dueOn: string
  forYear: 1 | 2 | null
  reason: string | null
  at: Date
}

export async function taskHistory(db: Executor, taskIds: number[]): Promise<Map<number, TaskVersion[]>> {
  const history = new Map<number, TaskVersion[]>()
  if (taskIds.length === 0) return history
  const rows = await db
    .selectFrom('task_history')
    .select(['task_id', 'event', 'title', 'due_on', 'for_year', 'reason', 'at'])
    .where('task_id', 'in', taskIds)
    .orderBy('id')
    .execute()
  for (const r of rows) {
    const list = history.get(Number(r.task_id)) ?? []
    list.push({
      event: r.event,
      title: r.title,
      dueOn: r.due_on,
      forYear: r.for_year === null ? null : (Number(r.for_year) as 1 | 2),
      reason: r.reason,
      at: r.at,
    })
    history.set(Number(r.task_id), list)
  }
  return history
}

export interface ParticipationRow {
  id: number
  personId: number
  personName: string
  personEmail: string
  personErased: boolean
  cohortId: string
  hubId: string | null
}

export async function participationRows(db: Executor, ids: number[]): Promise<ParticipationRow[]> {
  if (ids.length === 0) return []
  return (
    await db
      .selectFrom('participations')
      .innerJoin('people', 'people.id', 'participations.person_id')
      .select([
        'participations.id',
        'participations.person_id',
        'people.name',
        'people.email',
        'people.erased_at',
        'participations.cohort_id',
        'participations.hub_id',
      ])
      .where('participations.id', 'in', ids)
      .orderBy('people.name')
      .orderBy('participations.id')
      .execute()
  ).map(toParticipationRow)
}

function toParticipationRow(r: {
  id: number
  person_id: number
  name: string
  email: string
  erased_at: Date | null
  cohort_id: string
  hub_id: string | null
}): ParticipationRow {
  return {
    id: Number(r.id),
    personId: Number(r.person_id),
    personName: r.name,
    personEmail: r.email,
    personErased: r.erased_at !== null,
    cohortId: r.cohort_id,
    hubId: r.hub_id,
  }
}

/** The cohort's participations, only those of the hubs given unless 'all'. */
export async function cohortParticipations(
  db: Executor,
  cohortId: string,
  hubs: 'all' | string[],
): Promise<ParticipationRow[]> {
  if (hubs !== 'all' && hubs.length === 0) return []
  let query = db
    .selectFrom('participations')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .select([
      'participations.id',
      'participations.person_id',
      'people.name',
      'people.email',
      'people.erased_at',
      'participations.cohort_id',
      'participations.hub_id',
    ])
    .where('participations.cohort_id', '=', cohortId)
  if (hubs !== 'all') query = query.where('participations.hub_id', 'in', hubs)
  return (await query.orderBy('people.name').orderBy('participations.id').execute()).map(toParticipationRow)
}

export async function stagesOf(db: Executor, participationIds: number[]): Promise<Map<number, StageSpan[]>> {
  const stages = new Map<number, StageSpan[]>()
  if (participationIds.length === 0) return stages
  const rows = await db
    .selectFrom('participation_stages')
    .select(['participation_id', 'stage', 'starts_on', 'ends_on'])
    .where('participation_id', 'in', participationIds)
    .orderBy('starts_on')
    .execute()
  for (const r of rows) {
    const list = stages.get(Number(r.participation_id)) ?? []
    list.push({ stage: r.stage, startsOn: r.starts_on, endsOn: r.ends_on })
    stages.set(Number(r.participation_id), list)
  }
  return stages
}

export type Evidence =
  | { kind: 'text'; text: string }
  | { kind: 'link'; url: string }
  | {
      kind: 'file'
      fileId: number
      filename: string
      contentType: string
      fileKind: UploadKindName
      sizeBytes: number
      sha256: string
    }

export interface Submission {
  id: number
  taskId: number
  participationId: number
  evidence: Evidence
  status: SubmissionStatus
  submittedAt: Date
  reviewedAt: Date | null
  reviewedByName: string | null
  feedback: string | null
}

const SUBMISSION_COLUMNS = [
  's.id',
  's.task_id',
  's.participation_id',
  's.evidence_kind',
  's.evidence_text',
  's.evidence_url',
  's.file_id',
  's.status',
  's.submitted_at',
  's.reviewed_at',
  's.feedback',
  'reviewer.name as reviewer_name',
  'f.filename',
  'f.content_type',
  'f.kind as file_kind',
  'f.size_bytes',
  'f.sha256',
] as const

function submissionQuery(db: Executor) {
  return db
    .selectFrom('task_submissions as s')
    .leftJoin('people as reviewer', 'reviewer.id', 's.reviewed_by')
    .leftJoin('task_evidence_files as f', 'f.id', 's.file_id')
    .select(SUBMISSION_COLUMNS)
}

type SubmissionRowData = Awaited<ReturnType<ReturnType<typeof submissionQuery>['executeTakeFirstOrThrow']>>

function toSubmission(r: SubmissionRowData): Submission {
  const kind: EvidenceKind = r.evidence_kind
  const evidence: Evidence =
    kind === 'text'
      ? { kind, text: r.evidence_text ?? '' }
      : kind === 'link'
        ? { kind, url: r.evidence_url ?? '' }
        : {
            kind,
            fileId: Number(r.file_id),
            filename: r.filename ?? '',
            contentType: r.content_type ?? '',
            fileKind: r.file_kind ?? 'pdf',
            sizeBytes: Number(r.size_bytes),
            sha256: r.sha256 ?? '',
          }
  return {
    id: Number(r.id),
    taskId: Number(r.task_id),
    participationId: Number(r.participation_id),
    evidence,
    status: r.status,
    submittedAt: r.submitted_at,
    reviewedAt: r.reviewed_at,
    reviewedByName: r.reviewer_name,
    feedback: r.feedback,
  }
}

/** Every submission of the participations, oldest first. */
export async function submissionsOf(db: Executor, participationIds: number[]): Promise<Submission[]> {
  if (participationIds.length === 0) return []
  const rows = await submissionQuery(db)
    .where('s.participation_id', 'in', participationIds)
    .orderBy('s.id')
    .execute()
  return rows.map(toSubmission)
}

export async function findSubmission(
  db: Executor,
  submissionId: number,
  { forUpdate = false } = {},
): Promise<Submission | undefined> {
  let query = submissionQuery(db).where('s.id', '=', submissionId)
  if (forUpdate) query = query.forUpdate('s')
  const row = await query.executeTakeFirst()
  return row ? toSubmission(row) : undefined
}

/** The latest submission of a task by a participation, locked. */
export async function latestSubmission(
  tx: Tx,
  taskId: number,
  participationId: number,
): Promise<{ id: number; status: SubmissionStatus } | undefined> {
  const row = await tx
    .selectFrom('task_submissions')
    .select(['id', 'status'])
    .where('task_id', '=', taskId)
    .where('participation_id', '=', participationId)
    .orderBy('id', 'desc')
    .forUpdate()
    .executeTakeFirst()
  return row ? { id: Number(row.id), status: row.status } : undefined
}

export async function insertEvidenceFile(
  tx: Tx,
  file: {
    bytes: Uint8Array
    kind: UploadKindName
    contentType: string
    sizeBytes: number
    sha256: string
    filename: string
  },
  by: number | null,
  now: Date,
): Promise<number> {
  const row = await tx
    .insertInto('task_evidence_files')
    .values({
      content: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
      kind: file.kind,
      content_type: file.contentType,
      size_bytes: file.sizeBytes,
      sha256: file.sha256,
      filename: file.filename,
      uploaded_by: by,
      uploaded_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export const alreadyHandedIn = () =>
  new ValidationError([
    {
      code: 'already-submitted',
      field: 'task',
      message: 'You have already handed in evidence for this task: it is waiting to be reviewed or accepted',
    },
  ])

/** A new submission; a second live one (two at once) is refused by the database, said plainly. */
export async function insertSubmission(
  tx: Tx,
  values: {
    taskId: number
    participationId: number
    kind: EvidenceKind
    text: string | null
    url: string | null
    fileId: number | null
    by: number | null
    now: Date
  },
): Promise<number> {
  try {
    const row = await tx
      .insertInto('task_submissions')
      .values({
        task_id: values.taskId,
        participation_id: values.participationId,
        evidence_kind: values.kind,
        evidence_text: values.text,
        evidence_url: values.url,
        file_id: values.fileId,
        submitted_by: values.by,
        submitted_at: values.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  } catch (error) {
    const e = databaseErrorIn(error)
    if (e?.code === '23505' && e.constraint === 'task_submissions_one_live') throw alreadyHandedIn()
    throw error
  }
}

export async function recordReview(
  tx: Tx,
  submissionId: number,
  values: { status: 'accepted' | 'returned'; feedback: string | null; by: number | null; now: Date },
): Promise<void> {
  await tx
    .updateTable('task_submissions')
    .set({
      status: values.status,
      feedback: values.feedback,
      reviewed_by: values.by,
      reviewed_at: values.now,
    })
    .where('id', '=', submissionId)
    .execute()
}

export interface EvidenceFile {
  filename: string
  contentType: string
  kind: UploadKindName
  sizeBytes: number
  sha256: string
  bytes: Uint8Array
}

export async function evidenceFile(db: Executor, fileId: number): Promise<EvidenceFile | undefined> {
  const row = await db
    .selectFrom('task_evidence_files')
    .select(['filename', 'content_type', 'kind', 'size_bytes', 'sha256', 'content'])
    .where('id', '=', fileId)
    .executeTakeFirst()
  return row
    ? {
        filename: row.filename,
        contentType: row.content_type,
        kind: row.kind,
        sizeBytes: Number(row.size_bytes),
        sha256: row.sha256,
        bytes: new Uint8Array(row.content),
      }
    : undefined
}
