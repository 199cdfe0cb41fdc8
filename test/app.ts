// A test app: the real createApp on a real (test) database, with the demo register loaded.
import type { FastifyInstance } from 'fastify'
import { createApp } from '../src/app.ts'
import { loadDemo } from '../src/db/seeds/demo.ts'
import { fixedClock } from '../src/lib/clock.ts'
import { createTestDatabase, type TestDatabase } from './database.ts'

export interface TestApp {
  app: FastifyInstance
  database: TestDatabase
  clock: ReturnType<typeof fixedClock>
  close(): Promise<void>
}

export async function createTestApp(
  options: {
    demo?: boolean
    oidc?: { issuer: string; clientId: string; clientSecret: string }
    /** The public search's limit a minute; tests that do not test it search freely. */
    searchRateLimitPerMinute?: number
    /** Collect every line the service logs (at info and above) into this array. */
    logLines?: string[]
    /** The service's public address (http://localhost:3000 unless given). */
    baseUrl?: string
    /** Routes a test adds to the app before it starts (to force an answer the service never gives). */
    extraRoutes?: (app: FastifyInstance) => void
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase()
  const clock = fixedClock('2026-11-22T10:00:00Z')
  if (options.demo ?? true) await loadDemo(database.db, clock)
  const app = await createApp({
    database,
    config: {
      logLevel: 'silent',
      cacheTemplates: true,
      baseUrl: options.baseUrl ?? 'http://localhost:3000',
      session: { idleMinutes: 60, absoluteHours: 12, secureCookies: false },
      oidc: options.oidc,
      searchRateLimitPerMinute: options.searchRateLimitPerMinute ?? 1_000_000,
    },
    clock,
    demo: options.demo ?? true,
    logStream: options.logLines ? { write: (line: string) => void options.logLines!.push(line) } : undefined,
  })
  options.extraRoutes?.(app)
  await app.ready()
  return {
    app,
    database,
    clock,
    close: async () => {
      await app.close()
      await database.destroy()
    },
  }
}
