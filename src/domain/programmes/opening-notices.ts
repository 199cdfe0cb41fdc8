// "Tell me when it opens". Anyone may ask to be told when a cohort's window opens, but the address
// counts as interested only once its owner follows the single-use link we email to it (a signed-in
// person's own address, already proven, counts at once): so nobody can sign up someone else's
// address and have us write to them. The link works once, for 7 days; an unconfirmed sign-up is
// deleted by housekeeping after that. Sign-ups are limited per client address, per account and
// per recipient, counted in the database across processes.
//
// Scheduled job: once a cohort's window has opened, each confirmed address gets one email saying
// so, with a link to the cohort. Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of
// processes may run it: each address is told once. Nobody is told about a window that has already
// closed.
import { sql } from 'kysely'
import { z } from 'zod'
import type { Db, Executor } from '../../db/database.ts'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { canonicalEmail, sameMailbox } from '../../lib/canonical-email.ts'
import { emailAddressSchema } from '../../lib/email-address.ts'
import type { Clock } from '../../lib/clock.ts'
import { isSignedIn } from '../access/access.policy.ts'
import { useAllowances } from '../access/allowances.ts'
import type { RateLimit } from '../access/rate-limit.repository.ts'
import { cohortName } from '../applications/application-rules.ts'
import { hashSecret, newSecret } from '../auth/tokens.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { claimOpeningNotices, findCohort, markNotified, type Cohort } from './programmes.repository.ts'
import { cohortStatus } from './view-programmes.ts'

/** How long the link confirming an address works. */
export const INTEREST_CONFIRM_DAYS = 7

const HOUR_MS = 3_600_000

export const INTEREST_LIMITS = {
  perIp: { name: 'interest:ip', limit: 10, windowMs: HOUR_MS },
  perAccount: { name: 'interest:account', limit: 10, windowMs: HOUR_MS },
  /** However many clients ask, one mailbox gets only so many confirmation emails a day. */
  perAddress: { name: 'interest:address', limit: 3, windowMs: 24 * HOUR_MS },
} satisfies Record<string, RateLimit>

export const interestInput = z.object({
  email: emailAddressSchema({
    required: 'Enter an email address',
    format: 'Enter an email address in the correct format, like name@example.com',
  }),
})

export function interestConfirmLink(baseUrl: string, token: string): string {
  return new URL(`/cohort-interest/${token}`, baseUrl).href
}

/**
 * Asks to be told when a cohort not yet open opens. A signed-in person's own address counts at
 * once ({confirmed: true}); any other address is emailed a link to confirm it, and the answer is
 * the same whether or not the address had already asked or confirmed, so nobody learns who has.
 */
export async function registerInterest(
  context: UseCaseContext,
  id: string,
  raw: unknown,
  client?: { ip: string },
): Promise<{ confirmed: boolean }> {
  const cohort = await findCohort(context.db, id)
  if (!cohort) throw new NotFoundError('Cohort')
  const status = cohortStatus(cohort, context.clock.now())
  if (status !== 'upcoming') {
    throw new ValidationError([
      status === 'open'
        ? {
            code: 'cohort-open',
            field: 'cohort',
            message: 'Applications for this cohort are open now, so you can apply straight away',
          }
        : { code: 'cohort-closed', field: 'cohort', message: 'Applications for this cohort have closed' },
    ])
  }
  // Only an upcoming cohort's page asks for an address, so only then is the address checked.
  const { email } = parseInput(interestInput, raw)
  const { actor } = context
  const own = isSignedIn(actor) && sameMailbox(email, actor.email)
  await useAllowances(
    context.db,
    'requests to be told when applications open',
    [
      ...(client ? [[INTEREST_LIMITS.perIp, client.ip] as const] : []),
      ...(isSignedIn(actor) ? [[INTEREST_LIMITS.perAccount, String(actor.personId)] as const] : []),
      ...(own ? [] : [[INTEREST_LIMITS.perAddress, canonicalEmail(email)] as const]),
    ],
    context.clock.now(),
  )
  return inTransaction(context, async ({ tx, now, audit }) => {
    const existing = await tx
      .selectFrom('cohort_interest')
      .select(['id', 'confirmed_at'])
      .where('cohort_id', '=', cohort.id)
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .forUpdate()
      .executeTakeFirst()
    if (existing?.confirmed_at) return { confirmed: own }
    const token = own ? undefined : newSecret()
    const waiting = {
      confirm_token_hash: token ? hashSecret(token) : null,
      confirm_expires_at: token ? new Date(now.getTime() + INTEREST_CONFIRM_DAYS * 24 * HOUR_MS) : null,
      confirmed_at: own ? now : null,
    }
    let interestId: number
    if (existing) {
      interestId = existing.id
      await tx.updateTable('cohort_interest').set(waiting).where('id', '=', existing.id).execute()
    } else {
      const row = await tx
        .insertInto('cohort_interest')
        .values({ cohort_id: cohort.id, email, created_at: now, ...waiting })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst()
      // The same address asked at the same moment: that request's row and email stand.
      if (!row) return { confirmed: own }
      interestId = row.id
      // The address itself stays out of the audit trail; the row's id finds it.
      await audit({
        action: 'cohort-interest.register',
        recordType: 'cohort',
        recordId: cohort.id,
        after: { interestId, confirmed: own },
      })
    }
    if (token) {
      await queueEmail(tx, {
        template: 'cohort-interest-confirm',
        to: email,
        data: {
          programmeName: cohort.programmeName,
          cohortName: cohortName(cohort),
          link: interestConfirmLink(context.baseUrl, token),
          expiresAt: waiting.confirm_expires_at!,
        },
      })
    }
    return { confirmed: own }
  })
}

/** Follows the emailed link: the address now counts. 'gone' when used, expired or unknown. */
export async function confirmInterest(context: UseCaseContext, token: string): Promise<'confirmed' | 'gone'> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return 'gone'
  return inTransaction(context, async ({ tx, now, audit }) => {
    const row = await tx
      .updateTable('cohort_interest')
      .set({ confirmed_at: now, confirm_token_hash: null, confirm_expires_at: null })
      .where('confirm_token_hash', '=', hashSecret(token))
      .where('confirmed_at', 'is', null)
      .where('confirm_expires_at', '>', now)
      .returning(['id', 'cohort_id'])
      .executeTakeFirst()
    if (!row) return 'gone'
    await audit({
      action: 'cohort-interest.confirm',
      recordType: 'cohort',
      recordId: row.cohort_id,
      after: { interestId: row.id },
    })
    return 'confirmed'
  })
}

/** Deletes sign-ups never confirmed whose link ran out before the given instant; returns how many. */
export async function pruneUnconfirmedInterest(db: Executor, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('cohort_interest')
    .where('confirmed_at', 'is', null)
    .where('confirm_expires_at', '<', before)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function sendOpeningNotices(
  deps: { db: Db; clock: Clock; baseUrl: string },
  options: { batch?: number } = {},
): Promise<number> {
  const now = deps.clock.now()
  return deps.db.transaction().execute(async (tx) => {
    const due = await claimOpeningNotices(tx, now, options.batch ?? 200)
    const cohorts = new Map<string, Cohort>()
    for (const notice of due) {
      let cohort = cohorts.get(notice.cohortId)
      if (!cohort) {
        cohort = (await findCohort(tx, notice.cohortId))!
        cohorts.set(cohort.id, cohort)
      }
      await queueEmail(tx, {
        template: 'cohort-open',
        to: notice.email,
        data: {
          programmeName: cohort.programmeName,
          cohortName: cohortName(cohort),
          link: new URL(`/cohorts/${cohort.id}`, deps.baseUrl).href,
          closesAt: cohort.closesAt,
        },
      })
    }
    await markNotified(
      tx,
      due.map((n) => n.id),
      now,
    )
    return due.length
  })
}
