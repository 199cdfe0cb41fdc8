// SQL for the record of import runs.
import type { Executor } from '../../db/database.ts'
import type { ImportRunsTable } from '../../db/schema.ts'

export interface Problem {
  line: number
  field?: string
  message: string
}

export interface ImportCounts {
  rowsRead: number
  inserted: number
  updated: number
  unchanged: number
  closed: number
  rejected: number
}

/** How many problems an import run keeps; the count of rejected rows is always exact. */
export const PROBLEMS_KEPT = 1000

export async function startImportRun(
  db: Executor,
  run: {
    kind: ImportRunsTable['kind']
    fileName: string
    mode: 'full' | 'partial'
    encoding: string
    startedAt: Date
  },
): Promise<number> {
  const row = await db
    .insertInto('import_runs')
    .values({
      kind: run.kind,
      file_name: run.fileName,
      mode: run.mode,
      status: 'succeeded',
      encoding: run.encoding,
      started_at: run.startedAt,
      finished_at: run.startedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function finishImportRun(
  db: Executor,
  id: number,
  result: ImportCounts & { problems: Problem[]; finishedAt: Date; message?: string },
): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({
      finished_at: result.finishedAt,
      rows_read: result.rowsRead,
      inserted: result.inserted,
      updated: result.updated,
      unchanged: result.unchanged,
      closed: result.closed,
      rejected: result.rejected,
      problems: JSON.stringify(result.problems.slice(0, PROBLEMS_KEPT)),
      message: result.message ?? null,
    })
    .where('id', '=', id)
    .execute()
}

/** Records an import that was refused or failed; nothing from it was kept. */
export async function recordFailedImport(
  db: Executor,
  run: {
    kind: ImportRunsTable['kind']
    fileName: string
    mode: 'full' | 'partial'
    startedAt: Date
    finishedAt: Date
    message: string
  },
): Promise<number> {
  const row = await db
    .insertInto('import_runs')
    .values({
      kind: run.kind,
      file_name: run.fileName,
      mode: run.mode,
      status: 'failed',
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      message: run.message,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function listImportRuns(db: Executor, limit = 20) {
  return db.selectFrom('import_runs').selectAll().orderBy('id', 'desc').limit(limit).execute()
}
