// The hub (its lead or an administrator) or NCETM approves extra release days for one year of a
// participation, beyond the cohort's funded days, with the reason. Approvals are append-only and
// add up: two approvals of 1 day allow 2 days over. Days are given as whole or half days ("2",
// "1.5") and kept as whole half days. A specialist never approves their own.
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { ukDate } from '../../events/bookings/book-place.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { findReleaseParticipation, insertApproval, lockParticipation } from './release-time.repository.ts'
import { extraDaysApproverAs } from './release-time.policy.ts'
import { MOST_YEARS, participationYears, yearOf } from './release-years.ts'

const MOST_EXTRA_DAYS = 100

const approveInput = z.object({
  /** The participation year; the one today falls in when not given. */
  year: z.coerce
    .number({ error: 'Select the year of the programme' })
    .int('Select the year of the programme')
    .min(1, 'Select the year of the programme')
    .max(MOST_YEARS, 'Select the year of the programme')
    .optional(),
  /** Whole or half days: "2", "1.5"; read as text so no fraction is ever rounded. */
  days: z
    .union([z.string(), z.number()], { error: 'Enter the extra days' })
    .transform((v) => String(v).trim())
    .refine((v) => v !== '', 'Enter the extra days')
    .refine(
      (v) => /^\d{1,3}(\.[05]0*)?$/.test(v),
      'Enter the extra days as whole or half days, like 2 or 1.5',
    )
    .transform((v) => {
      const [whole, fraction = ''] = v.split('.')
      return Number(whole) * 2 + (fraction.startsWith('5') ? 1 : 0)
    })
    .refine((halfDays) => halfDays > 0, 'Enter the extra days: half a day or more')
    .refine((halfDays) => halfDays <= MOST_EXTRA_DAYS * 2, `Extra days must be ${MOST_EXTRA_DAYS} or fewer`),
  reason: z
    .string({ error: 'Enter the reason for the extra days' })
    .trim()
    .min(1, 'Enter the reason for the extra days')
    .max(2000, 'The reason must be 2,000 characters or fewer'),
})

export type ApproveExtraDaysInput = z.input<typeof approveInput>

export interface ExtraDaysApproved {
  approvalId: number
  year: number
  halfDays: number
}

export async function approveExtraDays(
  context: UseCaseContext,
  participationId: number,
  raw: unknown,
): Promise<ExtraDaysApproved> {
  const input = parseInput(approveInput, raw)
  return inTransaction(context, async (unit) => {
    const locked = await lockParticipation(unit.tx, participationId)
    const participation = locked ? await findReleaseParticipation(unit.tx, participationId) : undefined
    const approvedAs = participation && extraDaysApproverAs(context.actor, participation)
    if (!participation || !approvedAs) throw new NotFoundError('Participation')
    const today = ukDate(unit.now)
    const years = participationYears(participation.stages, today)
    const year =
      input.year === undefined
        ? (yearOf(years, today) ?? years.at(-1))
        : years.find((y) => y.year === input.year)
    if (!year) {
      throw new ValidationError([
        { code: 'no-such-year', field: 'year', message: 'Select a year of the programme that has begun' },
      ])
    }
    const approvalId = await insertApproval(unit.tx, {
      participationId,
      year: year.year,
      halfDays: input.days,
      reason: input.reason,
      approvedBy: actingPersonId(context.actor),
      approvedAs,
      now: unit.now,
    })
    await unit.audit({
      action: 'release-time.approve-extra-days',
      recordType: 'release-extra-days',
      recordId: approvalId,
      after: { participationId, year: year.year, halfDays: input.days, approvedAs },
    })
    return { approvalId, year: year.year, halfDays: input.days }
  })
}
