// A test app: the real createApp on a real (test) database, with the demo register loaded.
import type { FastifyInstance, InjectOptions } from 'fastify'
import { createApp } from '../src/app.ts'
import { loadDemo } from '../src/db/seeds/demo.ts'
import { createScheduler } from '../src/jobs/scheduler.ts'
import { demoClock, fixedClock, type SettableClock } from '../src/lib/clock.ts'
import { createTestDatabase, type TestDatabase } from './database.ts'

export interface TestApp {
  app: FastifyInstance
  database: TestDatabase
  clock: ReturnType<typeof fixedClock>
  /** With `demoTime`: the demo's clock the app runs on (the fixed clock moved by the demo-time control). */
  demoClock?: SettableClock
  /** A request answered without waiting for the work done after the answer (app.inject waits). */
  injectAnswerOnly: FastifyInstance['inject']
  close(): Promise<void>
}

/**
 * Makes app.inject resolve only once the work the app does after its answers (sign-in links, new
 * accounts) has finished, so tests read a settled database. Returns the inject that does not wait.
 */
export function waitForWorkAfterEachAnswer(app: FastifyInstance): FastifyInstance['inject'] {
  const answerOnly = app.inject.bind(app) as FastifyInstance['inject']
  const waiting = async (options: InjectOptions | string) => {
    const response = await answerOnly(options)
    await app.workAfterResponse.settled()
    return response
  }
  app.inject = waiting as unknown as FastifyInstance['inject']
  return answerOnly
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
    /** The demo-time control, as `masteryhub demo` has it: the app runs on a demo clock and the scheduler's jobs. */
    demoTime?: boolean
    /** Load the demo's applications too, as `masteryhub demo` does. */
    demoApplications?: boolean
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase()
  const clock = fixedClock('2026-11-22T10:00:00Z')
  if (options.demo ?? true) {
    await loadDemo(database.db, clock, {
      applications: options.demoApplications ?? false,
      baseUrl: options.baseUrl ?? 'http://localhost:3000',
    })
  }
  const settable = options.demoTime ? demoClock(clock) : undefined
  const scheduler = settable
    ? createScheduler({
        db: database.db,
        clock: settable,
        baseUrl: options.baseUrl ?? 'http://localhost:3000',
      })
    : undefined
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
    clock: settable ?? clock,
    demo: options.demo ?? true,
    demoTime: settable && scheduler ? { clock: settable, runDueWork: () => scheduler.runOnce() } : undefined,
    logStream: options.logLines ? { write: (line: string) => void options.logLines!.push(line) } : undefined,
  })
  options.extraRoutes?.(app)
  await app.ready()
  const injectAnswerOnly = waitForWorkAfterEachAnswer(app)
  return {
    app,
    database,
    clock,
    ...(settable ? { demoClock: settable } : {}),
    injectAnswerOnly,
    close: async () => {
      await app.close()
      await database.destroy()
    },
  }
}
