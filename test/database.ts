// Test databases: a throwaway in-memory PGlite by default; with TEST_DATABASE_URL, a fresh
// PostgreSQL database per test file, dropped afterwards.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Database } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined
export const ENGINE = TEST_DATABASE_URL ? 'postgres' : 'pglite'

export interface TestDatabase extends Database {
  /** Drops the database (PostgreSQL) or discards it (PGlite). */
  destroy(): Promise<void>
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/** A fresh database, migrated unless `migrated: false` (a migration's own test applies them itself). */
export async function createTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    const database = await openDatabase({ dataDir: 'memory://' })
    if (migrated) await migrate(database.db)
    return { ...database, destroy: () => database.close() }
  }
  const name = `masteryhub_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = withDatabase(TEST_DATABASE_URL, name)
  const database = await openDatabase({ databaseUrl: url, poolSize: 20 })
  if (migrated) await migrate(database.db)
  return {
    ...database,
    databaseUrl: url,
    destroy: async () => {
      await database.close()
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL })
      await cleanup.connect()
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await cleanup.end()
    },
  } as TestDatabase
}
