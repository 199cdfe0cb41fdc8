// The only reader of process.env. Everything else receives a typed Config.
import path from 'node:path'
import { DEFAULT_BANK_HOLIDAY_CHANGES, type BankHolidayChanges } from './lib/working-days.ts'

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
    /**
     * Key that signs anonymous forms' CSRF tokens (CSRF_SECRET). Without it each process makes a
     * random key at start, so with more than one process it must be set, the same in each.
     */
    csrfSecret?: string | undefined
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
  /**
   * Whole months an unsuccessful application (and its evidence, endorsement, reviews and decision)
   * is kept after it became unsuccessful, before the scheduled job deletes it. See docs/adr/0011.
   */
  retentionUnsuccessfulMonths: number
  /**
   * How long the outbox worker's claim on a message lasts: a process that dies holds its messages
   * this long before another process sends them.
   */
  outboxLeaseMs: number
  /**
   * Which proxies to believe about the client's address (Fastify's trustProxy): false when the
   * processes face the internet, or the load balancer's address or hop count behind one.
   */
  trustProxy: boolean | number | string
  /** Searches of the school register and hubs one client may make a minute, across every process. */
  searchRateLimitPerMinute: number
  /**
   * Bank holidays added to, or moved from, those computed for England and Wales (a coronation, a
   * jubilee): EXTRA_BANK_HOLIDAYS and MOVED_BANK_HOLIDAYS. Working days (reminders) count with them.
   */
  bankHolidays: BankHolidayChanges
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
  const searchRateLimitPerMinute = positive('SEARCH_RATE_LIMIT_PER_MINUTE', 120)
  if (!Number.isInteger(searchRateLimitPerMinute)) {
    throw new Error('SEARCH_RATE_LIMIT_PER_MINUTE must be a whole number')
  }
  const retentionUnsuccessfulMonths = Number(env.RETENTION_UNSUCCESSFUL_MONTHS ?? 12)
  if (
    !Number.isInteger(retentionUnsuccessfulMonths) ||
    retentionUnsuccessfulMonths < 1 ||
    retentionUnsuccessfulMonths > 120
  ) {
    throw new Error('RETENTION_UNSUCCESSFUL_MONTHS must be a whole number of months from 1 to 120')
  }
  if (oidcIssuer && (!env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET)) {
    throw new Error('OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too')
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    searchRateLimitPerMinute,
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
      csrfSecret: csrfSecretOf(env.CSRF_SECRET),
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
    retentionUnsuccessfulMonths,
    outboxLeaseMs: positive('OUTBOX_LEASE_MS', 60_000),
    bankHolidays: bankHolidayChangesOf(env),
    ...overrides,
  }
}

/** CSRF_SECRET: at least 32 characters (for example `openssl rand -base64 48`), or absent. */
function csrfSecretOf(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  if (value.length < 32) throw new Error('CSRF_SECRET must be at least 32 characters long')
  return value
}

/** TRUST_PROXY: "true", "false", a hop count, or addresses and CIDR ranges separated by commas. */
function trustProxyOf(value: string | undefined): boolean | number | string {
  const text = (value ?? '').trim()
  if (text === '' || text === 'false') return false
  if (text === 'true') return true
  if (/^\d+$/.test(text)) return Number(text)
  if (/^[0-9a-fA-F.:/,\s]+$/.test(text)) return text
  throw new Error('TRUST_PROXY must be true, false, a number of hops, or addresses separated by commas')
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A real calendar date written YYYY-MM-DD. */
function isCalendarDate(text: string): boolean {
  const match = ISO_DATE.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** A comma-separated list; unset means the defaults, set but empty means none. */
function listOf(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/**
 * EXTRA_BANK_HOLIDAYS: dates added, like "2023-05-08,2022-06-03". MOVED_BANK_HOLIDAYS: a bank
 * holiday moved to another date, written FROM:TO, like "2022-05-30:2022-06-02". Unset, each is the
 * known historic changes (DEFAULT_BANK_HOLIDAY_CHANGES); set to nothing, there are none.
 */
function bankHolidayChangesOf(env: Env): BankHolidayChanges {
  const extra = listOf(env.EXTRA_BANK_HOLIDAYS) ?? [...DEFAULT_BANK_HOLIDAY_CHANGES.extra]
  for (const day of extra) {
    if (!isCalendarDate(day)) {
      throw new Error(
        `EXTRA_BANK_HOLIDAYS must be dates written YYYY-MM-DD separated by commas, like 2023-05-08,2022-06-03, not "${day.slice(0, 40)}"`,
      )
    }
  }
  const movedItems = listOf(env.MOVED_BANK_HOLIDAYS)
  const moved =
    movedItems === undefined
      ? [...DEFAULT_BANK_HOLIDAY_CHANGES.moved]
      : movedItems.map((item) => {
          const [from = '', to = '', ...rest] = item.split(':').map((part) => part.trim())
          if (rest.length > 0 || !isCalendarDate(from) || !isCalendarDate(to)) {
            throw new Error(
              `MOVED_BANK_HOLIDAYS must be moves written FROM:TO (dates YYYY-MM-DD) separated by commas, like 2022-05-30:2022-06-02, not "${item.slice(0, 40)}"`,
            )
          }
          return { from, to }
        })
  return { extra, moved }
}
