// One query path for both engines: Kysely over a pg.Pool. With DATABASE_URL the pool talks to
// PostgreSQL; without it, the pool's connection is PGlite's node-postgres adapter (one connection,
// so transactions queue rather than interleave).
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { Kysely, PostgresDialect, type Transaction } from 'kysely'
import pg from 'pg'
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts'
import type { DB } from './schema.ts'

export type Db = Kysely<DB>
export type Tx = Transaction<DB>
/** Repositories take either the database or an open transaction as their first argument. */
export type Executor = Db | Tx

export type Engine = 'pglite' | 'postgres'

export interface Database {
  db: Db
  pool: pg.Pool
  engine: Engine
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** PostgreSQL connection string. */
  databaseUrl?: string | undefined
  /** PGlite data folder, or 'memory://' for a throwaway database. */
  dataDir?: string
  poolSize?: number
}

// int8 (counts) as number; our counts never approach 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10))
// Dates without a time stay as 'YYYY-MM-DD' strings, never shifted by the process's time zone.
pg.types.setTypeParser(1082, (value) => value)

/**
 * PGlite runs each query on this thread and its answer comes back as a microtask, so one request
 * could go from its first query to its answer without the event loop once reading another request.
 * Which waiting request went next was then left to the order the sockets were read in, and in a
 * surge some waited for the whole of it. Here the one connection is handed over only after the event
 * loop has turned, so every request that has arrived is in pg-pool's queue by then, and that queue
 * is first come, first served.
 */
function takeTurns(pool: pg.Pool): pg.Pool {
  type Done = (error: Error | undefined, client: pg.PoolClient | undefined, release: () => void) => void
  const connect = pool.connect.bind(pool) as unknown as (done: Done) => void
  Object.assign(pool, {
    // pg-pool's own pool.query() passes a callback; Kysely awaits the promise.
    connect(done?: Done) {
      const handOver = (resolve: Done) =>
        connect((error, client, release) => setImmediate(() => resolve(error, client, release)))
      if (done) return handOver(done)
      return new Promise<pg.PoolClient>((resolve, reject) =>
        handOver((error, client) => (error || !client ? reject(error) : resolve(client))),
      )
    },
  })
  return pool
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 })
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on next use.
    })
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    return {
      db,
      pool,
      engine: 'postgres',
      close: async () => {
        await db.destroy()
      },
    }
  }

  const dataDir = options.dataDir ?? 'memory://'
  const inMemory = dataDir.startsWith('memory://')
  let lock: DataDirLock | undefined
  if (!inMemory) lock = lockDataDir(dataDir)
  try {
    const pglite = await PGlite.create(inMemory ? dataDir : path.join(dataDir, 'pgdata'), {
      extensions: { pg_trgm, btree_gist },
    })
    const pool = takeTurns(new pg.Pool(createPgConfig(pglite)))
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    return {
      db,
      pool,
      engine: 'pglite',
      close: async () => {
        await db.destroy()
        await pglite.close()
        lock?.release()
      },
    }
  } catch (error) {
    lock?.release()
    throw error
  }
}
