// Scratch PostgreSQL databases for the bench: created fresh, dropped afterwards.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

export function benchDatabaseUrl(): string {
  return process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** The server's version ("15.4"), or the reason PostgreSQL cannot be reached. */
export async function probePostgres(
  adminUrl: string,
): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  try {
    const version = await withAdmin(adminUrl, async (client) => {
      const result = await client.query<{ server_version: string }>('SHOW server_version')
      return result.rows[0]?.server_version ?? 'unknown'
    })
    return { ok: true, version: version.split(' ')[0] ?? version }
  } catch (error) {
    return { ok: false, reason: (error as Error).message }
  }
}

export interface ScratchDatabase {
  name: string
  url: string
  drop(): Promise<void>
}

const created = new Set<ScratchDatabase>()

export async function createScratchDatabase(adminUrl: string): Promise<ScratchDatabase> {
  const name = `masteryhub_bench_${randomBytes(6).toString('hex')}`
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`))
  const scratch: ScratchDatabase = {
    name,
    url: withDatabase(adminUrl, name),
    drop: async () => {
      if (!created.delete(scratch)) return
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    },
  }
  created.add(scratch)
  return scratch
}

/** Drops every scratch database still present (on the way out, even after a failure). */
export async function dropAllScratchDatabases(): Promise<void> {
  for (const scratch of [...created]) {
    try {
      await scratch.drop()
    } catch {
      // Best effort: a database left behind is named masteryhub_bench_* and safe to drop by hand.
    }
  }
}
