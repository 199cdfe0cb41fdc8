// PGlite answers on this thread, as microtasks: without taking turns, a chain of queries ran to its
// end before any other work the event loop had waiting could start, so in a surge which request went
// next was left to chance and some waited for the whole surge (bench: PGlite deadline surge p99).
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from './database.ts'

let database: Database
beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' })
})
afterAll(async () => {
  await database.close()
})

describe('the embedded database’s one connection', () => {
  it('lets work that arrives during a chain of queries have its turn, first come first served', async () => {
    const order: string[] = []
    const chain = (async () => {
      for (let i = 1; i <= 20; i++) {
        await sql`SELECT ${i}::int AS n`.execute(database.db)
        order.push(`chain ${i}`)
      }
    })()
    // Arrives as the next turn of the event loop would bring a new request: after the chain began.
    const arrival = new Promise<void>((resolve) =>
      setImmediate(() => {
        void sql`SELECT 0 AS n`.execute(database.db).then(() => {
          order.push('arrival')
          resolve()
        })
      }),
    )
    await Promise.all([chain, arrival])
    // It queues behind what the chain had already asked for, not behind the whole chain.
    expect(order.indexOf('arrival')).toBeLessThan(3)
    expect(order).toHaveLength(21)
  })

  it('still answers pg-pool’s own pool.query(), which asks for the connection with a callback', async () => {
    const result = await database.pool.query<{ n: number }>('SELECT 42 AS n')
    expect(result.rows[0]?.n).toBe(42)
  })
})
