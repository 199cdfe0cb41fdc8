// Use-case: a specialist hands in evidence that a task is done — text, an https link, or a file
// (checked by src/lib/uploads.ts: type by name, declared type and contents; size). The file is kept
// in the database with its type, size, SHA-256 and safe name. After a return, handing in again
// makes a new submission and only the latest counts; while one waits for review or has been
// accepted, another is refused (and the database refuses two at once).
import { NotFoundError, parseInput, ValidationError, type FieldError } from '../../../errors.ts'
import { checkUpload } from '../../../lib/uploads.ts'
import { actingPersonId } from '../../access/actor.ts'
import { ukDate } from '../../events/bookings/book-place.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { evidenceInput } from './task-input.ts'
import { developingOn, taskApplies } from './task-status.ts'
import { isOwnParticipation } from './tasks.policy.ts'
import {
  alreadyHandedIn,
  findSubmission,
  findTask,
  insertEvidenceFile,
  insertSubmission,
  latestSubmission,
  participationRows,
  stagesOf,
  type Submission,
} from './tasks.repository.ts'

const refuse = (error: FieldError) => new ValidationError([error])

export async function submitTask(
  context: UseCaseContext,
  participationId: number,
  taskId: number,
  raw: unknown,
): Promise<Submission> {
  const input = parseInput(evidenceInput, raw)
  const upload = input.kind === 'file' ? checkUpload(input.file) : undefined
  if (upload && !upload.ok) throw new ValidationError(upload.errors)
  return inTransaction(context, async ({ tx, now, audit }) => {
    const [participation] = await participationRows(tx, [participationId])
    if (!participation || !isOwnParticipation(context.actor, participation)) throw new NotFoundError('Task')
    const task = await findTask(tx, taskId)
    const today = ukDate(now)
    const stages = (await stagesOf(tx, [participationId])).get(participationId) ?? []
    if (!task || task.cohortId !== participation.cohortId || !taskApplies(task, stages, today)) {
      throw new NotFoundError('Task')
    }
    if (task.status === 'withdrawn') {
      throw refuse({
        code: 'withdrawn',
        field: 'task',
        message: 'This task has been withdrawn: you do not need to do it',
      })
    }
    if (!developingOn(stages, today)) {
      throw refuse({
        code: 'not-developing',
        field: 'task',
        message: 'You can hand in evidence only during your development years',
      })
    }
    const latest = await latestSubmission(tx, taskId, participationId)
    if (latest?.status === 'accepted') {
      throw refuse({ code: 'accepted', field: 'task', message: 'This task has already been accepted' })
    }
    if (latest?.status === 'submitted') throw alreadyHandedIn()
    const by = actingPersonId(context.actor)
    const fileId =
      input.kind === 'file' && upload?.ok
        ? await insertEvidenceFile(tx, { ...upload, bytes: input.file.bytes }, by, now)
        : null
    const id = await insertSubmission(tx, {
      taskId,
      participationId,
      kind: input.kind,
      text: input.kind === 'text' ? input.text : null,
      url: input.kind === 'link' ? input.url : null,
      fileId,
      by,
      now,
    })
    // Ids and the file's facts only: never the text, the link or the file's name.
    await audit({
      action: latest ? 'task-submission.resubmit' : 'task-submission.submit',
      recordType: 'task-submission',
      recordId: id,
      after: {
        taskId,
        participationId,
        kind: input.kind,
        ...(upload?.ok
          ? { fileId, fileKind: upload.kind, sizeBytes: upload.sizeBytes, sha256: upload.sha256 }
          : {}),
        ...(latest ? { replaces: latest.id } : {}),
      },
    })
    return (await findSubmission(tx, id))!
  })
}
