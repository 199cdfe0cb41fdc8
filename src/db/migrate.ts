// Versioned SQL migrations in src/db/migrations, applied in name order, each in its own
// transaction, under an advisory lock so several processes starting at once apply each only once.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { Db } from './database.ts'

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')
const MIGRATION_LOCK = 7_310_001

export function listMigrations(): { version: string; file: string }[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: name.replace(/\.sql$/, ''), file: path.join(MIGRATIONS_DIR, name) }))
}

/** Applies any migrations not yet applied; returns the versions applied now. */
export async function migrate(db: Db): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db)
  const applied: string[] = []
  for (const migration of listMigrations()) {
    const didApply = await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx)
      const done = await tx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', migration.version)
        .executeTakeFirst()
      if (done) return false
      await sql.raw(fs.readFileSync(migration.file, 'utf8')).execute(tx)
      await tx.insertInto('schema_migrations').values({ version: migration.version }).execute()
      return true
    })
    if (didApply) applied.push(migration.version)
  }
  return applied
}
