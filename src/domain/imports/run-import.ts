// Every import run is recorded: a successful one by the import itself, inside its transaction;
// a refused or failed one here, after its transaction has rolled back.
import type { Db } from '../../db/database.ts'
import type { ImportRunsTable } from '../../db/schema.ts'
import type { Clock } from '../../lib/clock.ts'
import { recordFailedImport, type ImportCounts, type Problem } from './import-runs.repository.ts'

export interface ImportResult extends ImportCounts {
  runId: number
  encoding: string
  problems: Problem[]
  message?: string
}

export async function recordingFailures<T>(
  db: Db,
  clock: Clock,
  run: { kind: ImportRunsTable['kind']; fileName: string; mode: 'full' | 'partial' },
  work: (startedAt: Date) => Promise<T>,
): Promise<T> {
  const startedAt = clock.now()
  try {
    return await work(startedAt)
  } catch (error) {
    await recordFailedImport(db, {
      ...run,
      startedAt,
      finishedAt: clock.now(),
      message: error instanceof Error ? error.message : String(error),
    })
    throw error
  }
}
