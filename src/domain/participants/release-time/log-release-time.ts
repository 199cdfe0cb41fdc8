// The specialist, their hub's team or NCETM logs release time: a date, the morning, the afternoon
// or the whole day (both halves in one go), what it was spent on and an optional note. The date
// must fall in the specialist's development years or active years (not before they began, not
// during a deferral, not after withdrawing, not after today); a half day is logged once (the
// database holds it, with release_entries_one_first_use and release_entries_followed_once); and a
// year's days used (logged, and the half-days of Work Group support visits dated in it) never go
// beyond its funded days and the extra days the hub approved.
import { z } from 'zod'
import { databaseErrorIn } from '../../../db/database-errors.ts'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { formatUkDate } from '../../../lib/uk-time.ts'
import { actingPersonId } from '../../access/actor.ts'
import { ukDate } from '../../events/bookings/book-place.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import {
  approvals,
  findReleaseParticipation,
  insertUse,
  liveUses,
  lockParticipation,
  reversalToFollow,
  type ReleaseParticipation,
} from './release-time.repository.ts'
import { releaseLoggerAs } from './release-time.policy.ts'
import { supportVisitsOf } from './support-visits.repository.ts'
import { RELEASE_ACTIVITY_IDS, type ReleaseHalf, type ReleaseLoggedAs } from './release-time.ts'
import { yearFigures } from './release-summary.ts'
import {
  daysPhrase,
  daysText,
  fundedHalfDays,
  isCalendarDate,
  participationYears,
  yearOf,
} from './release-years.ts'

const logInput = z.object({
  on: z
    .string({ error: 'Enter the date' })
    .trim()
    .min(1, 'Enter the date')
    .refine(isCalendarDate, 'Enter a real date'),
  half: z.enum(['morning', 'afternoon', 'day'], {
    error: 'Select the morning, the afternoon or the whole day',
  }),
  activity: z.enum(RELEASE_ACTIVITY_IDS, { error: 'Select what the time was spent on' }),
  note: z
    .string()
    .trim()
    .max(500, 'The note must be 500 characters or fewer')
    .optional()
    .transform((v) => (v ? v : null)),
})

export type LogReleaseTimeInput = z.input<typeof logInput>

export interface LoggedReleaseTime {
  /** The new entries: one for a half day, two (morning then afternoon) for a whole day. */
  entryIds: number[]
  year: number
}

function refuse(field: string, code: string, message: string): ValidationError {
  return new ValidationError([{ code, field, message }])
}

/** "3 March 2026" for a YYYY-MM-DD date. */
export function dateText(date: string): string {
  return formatUkDate(new Date(`${date}T12:00:00Z`))
}

/** "The morning of 3 March 2026". */
export function halfDayText(date: string, half: ReleaseHalf): string {
  return `The ${half} of ${dateText(date)}`
}

/** Why a date is not one release time can be logged on, in plain words; undefined when it is. */
function outsideParticipation(
  participation: ReleaseParticipation,
  on: string,
  today: string,
): string | undefined {
  if (on > today) return `${dateText(on)} is in the future: log days once they have happened`
  const stages = participation.stages
  const stage = stages.find((s) => s.startsOn <= on && (s.endsOn === null || on < s.endsOn))
  if (!stage) {
    const first = stages[0]
    return first
      ? `${dateText(on)} is before the programme began on ${dateText(first.startsOn)}`
      : `${dateText(on)} is not during the programme`
  }
  if (stage.stage === 'deferred') {
    return `${dateText(on)} is during the deferral from ${dateText(stage.startsOn)}: days cannot be logged while deferred`
  }
  if (stage.stage === 'withdrawn') {
    return `${dateText(on)} is after the withdrawal from the programme on ${dateText(stage.startsOn)}`
  }
  return undefined
}

function overFunded(
  used: number,
  { funded, approved, support }: { funded: number; approved: number; support: number },
  loggedAs: ReleaseLoggedAs,
): string {
  const allowance =
    approved > 0
      ? `${daysText(funded)} funded and ${daysText(approved)} approved`
      : `${daysText(funded)} funded`
  const next =
    loggedAs === 'specialist'
      ? 'Ask your hub to approve extra days first'
      : 'Record the approval of extra days first'
  const visits = support > 0 ? `, counting ${daysPhrase(support)} of Work Group support visits` : ''
  return `This would be ${daysPhrase(used)} of ${allowance}${visits}. ${next}`
}

/** The database's refusal of a second use of a half day, as the same plain words as the check. */
function isSecondUse(error: unknown): boolean {
  const e = databaseErrorIn(error)
  return (
    e?.code === '23505' &&
    (e.constraint === 'release_entries_one_first_use' || e.constraint === 'release_entries_followed_once')
  )
}

export async function logReleaseTime(
  context: UseCaseContext,
  participationId: number,
  raw: unknown,
): Promise<LoggedReleaseTime> {
  const input = parseInput(logInput, raw)
  const halves: ReleaseHalf[] = input.half === 'day' ? ['morning', 'afternoon'] : [input.half]
  return inTransaction(context, async (unit) => {
    const locked = await lockParticipation(unit.tx, participationId)
    const participation = locked ? await findReleaseParticipation(unit.tx, participationId) : undefined
    const loggedAs = participation && releaseLoggerAs(context.actor, participation)
    if (!participation || !loggedAs) throw new NotFoundError('Participation')

    const today = ukDate(unit.now)
    const outside = outsideParticipation(participation, input.on, today)
    if (outside) throw refuse('on', 'outside-participation', outside)

    const uses = await liveUses(unit.tx, [participationId])
    const taken = halves.filter((half) => uses.some((u) => u.on === input.on && u.half === half))
    if (taken.length > 0) {
      const message =
        taken.length === 2
          ? `${dateText(input.on)} is already logged`
          : `${halfDayText(input.on, taken[0]!)} is already logged`
      throw refuse('on', 'already-logged', message)
    }

    const year = yearOf(participationYears(participation.stages, today), input.on)
    if (!year)
      throw refuse('on', 'outside-participation', `${dateText(input.on)} is not during the programme`)
    const figures = yearFigures(
      year,
      fundedHalfDays(participation.funding.releaseDaysPerYear),
      uses.map((u) => u.on),
      await approvals(unit.tx, [participationId]),
      await supportVisitsOf(unit.tx, [participationId]),
    )
    const after = figures.used + halves.length
    if (after > figures.funded + figures.approved) {
      throw refuse('form', 'over-funded', overFunded(after, figures, loggedAs))
    }

    const entryIds: number[] = []
    for (const half of halves) {
      let id: number
      try {
        id = await insertUse(unit.tx, {
          participationId,
          on: input.on,
          half,
          activity: input.activity,
          note: input.note,
          followsReversalId: await reversalToFollow(unit.tx, participationId, input.on, half),
          loggedBy: actingPersonId(context.actor),
          loggedAs,
          now: unit.now,
        })
      } catch (error) {
        if (isSecondUse(error))
          throw refuse('on', 'already-logged', `${halfDayText(input.on, half)} is already logged`)
        throw error
      }
      entryIds.push(id)
      // The note is the logger's own words: the audit trail records only that there is one.
      await unit.audit({
        action: 'release-time.log',
        recordType: 'release-entry',
        recordId: id,
        after: {
          participationId,
          on: input.on,
          half,
          activity: input.activity,
          year: year.year,
          loggedAs,
          note: input.note !== null,
        },
      })
    }
    return { entryIds, year: year.year }
  })
}
