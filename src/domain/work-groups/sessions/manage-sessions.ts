// A group's lead specialists and those who run the hub's groups add its sessions (a date and
// times in UK time, a host school, the big idea studied and the lesson observed) and mark each as
// held or cancelled. The host is one of the group's schools or a lead specialist's. A group that
// has been cancelled or completed takes no more sessions. Each change is audited.
import { z } from 'zod'
import { parseInput, ValidationError } from '../../../errors.ts'
import { parseUkDateTime } from '../../../lib/uk-time.ts'
import { actingPersonId } from '../../access/actor.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { groupFor, refuseIfFinished, sessionFor } from './session-access.ts'
import { BIG_IDEAS, possibleHosts, type SessionRecord, findSession } from './sessions.repository.ts'

const time = (what: string) =>
  z
    .string({ error: `Enter the ${what} time, like 09:30` })
    .trim()
    .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, `Enter the ${what} time on the 24-hour clock, like 09:30`)

export const sessionInput = z.object({
  date: z
    .string({ error: 'Enter the date of the session' })
    .trim()
    .min(1, 'Enter the date of the session')
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date of the session as a real date'),
  startTime: time('start'),
  endTime: time('end'),
  hostSchoolUrn: z.coerce
    .number({ error: 'Select the school hosting the session' })
    .int('Select the school hosting the session')
    .positive('Select the school hosting the session')
    .max(2 ** 31 - 1, 'Select the school hosting the session'),
  bigIdea: z.enum(BIG_IDEAS as [string, ...string[]], {
    error: 'Select the big idea the session focuses on',
  }),
  lessonObserved: z
    .string({ error: 'Describe the lesson observed' })
    .trim()
    .min(1, 'Describe the lesson observed')
    .max(2000, 'The lesson observed must be 2,000 characters or fewer'),
})

function instant(date: string, clock: string, field: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const [hour, minute] = clock.split(/[:.]/).map(Number) as [number, number]
  try {
    return parseUkDateTime({ year, month, day, hour, minute })
  } catch {
    throw new ValidationError([
      { code: 'invalid', field, message: 'Enter the date of the session as a real date' },
    ])
  }
}

/** A lead specialist or the hub team adds a session to a group that is not over. */
export async function addSession(
  context: UseCaseContext,
  workGroupId: number,
  raw: unknown,
): Promise<SessionRecord> {
  return inTransaction(context, async ({ tx, now, audit }) => {
    const group = await groupFor(tx, context.actor, workGroupId, 'manage')
    refuseIfFinished(group, 'no sessions can be added to it')
    const input = parseInput(sessionInput, raw)
    const startsAt = instant(input.date, input.startTime, 'date')
    const endsAt = instant(input.date, input.endTime, 'endTime')
    if (endsAt <= startsAt)
      throw new ValidationError([
        { code: 'ends-before-start', field: 'endTime', message: 'The session must end after it starts' },
      ])
    const hosts = await possibleHosts(tx, workGroupId)
    if (!hosts.some((h) => h.urn === input.hostSchoolUrn))
      throw new ValidationError([
        {
          code: 'not-a-host',
          field: 'hostSchoolUrn',
          message: 'The host must be one of the group’s schools or a lead specialist’s school',
        },
      ])
    const row = await tx
      .insertInto('work_group_sessions')
      .values({
        work_group_id: workGroupId,
        starts_at: startsAt,
        ends_at: endsAt,
        host_school_urn: input.hostSchoolUrn,
        big_idea: input.bigIdea as SessionRecord['bigIdea'],
        lesson_observed: input.lessonObserved,
        created_by: actingPersonId(context.actor),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit({
      action: 'work-group-session.add',
      recordType: 'work-group-session',
      recordId: Number(row.id),
      after: { workGroupId, startsAt, endsAt, hostSchoolUrn: input.hostSchoolUrn, bigIdea: input.bigIdea },
    })
    return (await findSession(tx, Number(row.id)))!
  })
}

export const SESSION_MOVES = {
  hold: { from: ['planned'], to: 'held' },
  cancel: { from: ['planned'], to: 'cancelled' },
} as const

export type SessionMove = keyof typeof SESSION_MOVES

const moveInput = z.object({
  event: z.enum(['hold', 'cancel'], { error: 'Choose whether the session was held or is cancelled' }),
})

/** Marks a planned session as held (once it has started) or cancelled. */
export async function moveSession(
  context: UseCaseContext,
  sessionId: number,
  raw: unknown,
): Promise<SessionRecord> {
  const { event } = parseInput(moveInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    const { group, session } = await sessionFor(tx, context.actor, sessionId, 'manage')
    refuseIfFinished(group, 'its sessions cannot be changed')
    const move = SESSION_MOVES[event]
    if (!(move.from as readonly string[]).includes(session.status))
      throw new ValidationError([
        {
          code: 'refused-move',
          field: 'event',
          message: `This session is already marked as ${session.status}`,
        },
      ])
    if (event === 'hold' && session.startsAt > now)
      throw new ValidationError([
        {
          code: 'not-started',
          field: 'event',
          message: 'A session can be marked as held once it has started',
        },
      ])
    await tx
      .updateTable('work_group_sessions')
      .set({ status: move.to, updated_at: now })
      .where('id', '=', sessionId)
      .where('status', '=', session.status)
      .execute()
    await audit({
      action: `work-group-session.${event}`,
      recordType: 'work-group-session',
      recordId: sessionId,
      before: { status: session.status },
      after: { status: move.to },
    })
    return (await findSession(tx, sessionId))!
  })
}
