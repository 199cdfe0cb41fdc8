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
  session: {
    /** Signed out after this long without a request. */
    idleMinutes: number
    /** Signed out this long after signing in, however active. */
    absoluteHours: number
    /** Secure cookies: on whenever the base URL is https. */
    secureCookies: boolean
  }
  /** SMTP for the email outbox; without it emails wait in the outbox (the demo lists them). */
  smtp:
    | {
        host: string
        port: number
        secure: boolean
        user?: string | undefined
        password?: string | undefined
      }
    | undefined
  emailFrom: string
  /** OpenID Connect sign-in, when an issuer is configured. */
  oidc: { issuer: string; clientId: string; clientSecret: string } | undefined
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
  const baseUrl = overrides.baseUrl ?? env.BASE_URL ?? `http://localhost:${overrides.port ?? port}`
  const positive = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback)
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`)
    return value
  }
  const smtpPort = positive('SMTP_PORT', 587)
  const oidcIssuer = env.OIDC_ISSUER || undefined
  if (oidcIssuer && (!env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET)) {
    throw new Error('OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too')
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    port,
    host,
    baseUrl,
    logLevel,
    cacheTemplates: env.NODE_ENV === 'production' || env.CACHE_TEMPLATES === 'true',
    session: {
      idleMinutes: positive('SESSION_IDLE_MINUTES', 60),
      absoluteHours: positive('SESSION_ABSOLUTE_HOURS', 12),
      secureCookies: baseUrl.startsWith('https://'),
    },
    smtp: env.SMTP_HOST
      ? {
          host: env.SMTP_HOST,
          port: smtpPort,
          secure: env.SMTP_SECURE === 'true',
          user: env.SMTP_USER || undefined,
          password: env.SMTP_PASSWORD || undefined,
        }
      : undefined,
    emailFrom: env.EMAIL_FROM ?? 'Maths Hubs: Teaching for Mastery <no-reply@mathshubs.example>',
    oidc: oidcIssuer
      ? { issuer: oidcIssuer, clientId: env.OIDC_CLIENT_ID!, clientSecret: env.OIDC_CLIENT_SECRET! }
      : undefined,
    ...overrides,
  }
}
