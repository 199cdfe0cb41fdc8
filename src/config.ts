// The only reader of process.env. Everything else receives a typed Config.
import path from 'node:path'

export interface Config {
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined
  /** Folder for the embedded PGlite database. */
  dataDir: string
  port: number
  host: string
  /** Public base URL, used in links. */
  baseUrl: string
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Cache compiled templates (off in development for quick edits). */
  cacheTemplates: boolean
}

export type Env = Record<string, string | undefined>

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const port = Number(env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, not "${env.PORT}"`)
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel']
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)
  }
  const host = env.HOST ?? '127.0.0.1'
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    port,
    host,
    baseUrl: env.BASE_URL ?? `http://localhost:${port}`,
    logLevel,
    cacheTemplates: env.NODE_ENV === 'production' || env.CACHE_TEMPLATES === 'true',
    ...overrides,
  }
}
