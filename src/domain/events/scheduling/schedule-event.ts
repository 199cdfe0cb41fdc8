// Use-case for organisers: schedule an event with its days and venues. It begins "subject to
// confirmation" (planned) until the organiser confirms it. See docs/adr/0022.
import { z } from 'zod'
import { NotFoundError, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canOrganise, NATIONAL_KINDS } from '../events.policy.ts'
import { findEvent, type EventRecord } from '../events.repository.ts'
import { checkedDays, daysInput, invalid, needsRetainedUntil, venueInput } from './event-input.ts'

const scheduleInput = z.object({
  kind: z.enum(['residential', 'hub-session', 'support-visit', 'workshop'], {
    error: 'Select the kind of event',
  }),
  title: z
    .string({ error: 'Enter the event’s title' })
    .trim()
    .min(1, 'Enter the event’s title')
    .max(200, 'The title must be 200 characters or fewer'),
  cohortId: z.string().trim().min(1).max(100).optional(),
  hubId: z.string().trim().min(1).max(100).optional(),
  participationId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1)
    .optional(),
  halfDays: z.coerce
    .number({ error: 'Enter the half days as a whole number' })
    .int('Enter the half days as a whole number')
    .min(1, 'A support visit is at least one half day')
    .max(20, 'A support visit is at most 20 half days')
    .optional(),
  days: daysInput,
  venues: z
    .array(venueInput, { error: 'Add the venue' })
    .min(1, 'Add the venue')
    .max(2, 'An event can have up to 2 venues'),
})

export type ScheduleEventInput = z.input<typeof scheduleInput>

export async function scheduleEvent(context: UseCaseContext, raw: unknown): Promise<EventRecord> {
  const parsed = scheduleInput.safeParse(raw)
  if (!parsed.success) throw invalid(parsed.error)
  const input = parsed.data
  const national = NATIONAL_KINDS.includes(input.kind)
  const hubId = national ? null : (input.hubId ?? null)
  // Someone who may not organise it is told the hub (or cohort) is not there, never why.
  if (!canOrganise(context.actor, { kind: input.kind, hubId }))
    throw new NotFoundError(national ? 'Cohort' : 'Hub')
  if (national && !input.cohortId) {
    throw new ValidationError([{ code: 'required', field: 'cohortId', message: 'Select the cohort' }])
  }
  if (!national && !input.hubId) {
    throw new ValidationError([{ code: 'required', field: 'hubId', message: 'Select the hub' }])
  }
  const visit = input.kind === 'support-visit'
  if (visit && (input.participationId === undefined || input.halfDays === undefined)) {
    throw new ValidationError([
      ...(input.participationId === undefined
        ? [{ code: 'required', field: 'participationId', message: 'Select the specialist the visit is for' }]
        : []),
      ...(input.halfDays === undefined
        ? [{ code: 'required', field: 'halfDays', message: 'Enter the half days of support' }]
        : []),
    ])
  }
  if (input.venues.length > 1 && input.kind !== 'residential') {
    throw new ValidationError([
      { code: 'one-venue', field: 'venues.1.name', message: 'Only a residential can have two venues' },
    ])
  }
  if (new Set(input.venues.map((v) => v.name.toLowerCase())).size < input.venues.length) {
    throw new ValidationError([
      { code: 'duplicate', field: 'venues.1.name', message: 'Give each venue a different name' },
    ])
  }
  const days = checkedDays(input.days)
  return inTransaction(context, async ({ tx, now, audit }) => {
    if (national) {
      const cohort = await tx
        .selectFrom('cohorts')
        .select('id')
        .where('id', '=', input.cohortId!)
        .executeTakeFirst()
      if (!cohort)
        throw new ValidationError([
          { code: 'unknown', field: 'cohortId', message: 'There is no cohort with that id' },
        ])
    } else {
      const hub = await tx.selectFrom('hubs').select('id').where('id', '=', hubId!).executeTakeFirst()
      if (!hub) throw new NotFoundError('Hub')
    }
    if (visit) {
      const participation = await tx
        .selectFrom('participations')
        .select('hub_id')
        .where('id', '=', input.participationId!)
        .executeTakeFirst()
      if (!participation || participation.hub_id !== hubId) {
        throw new ValidationError([
          { code: 'unknown', field: 'participationId', message: 'Select a specialist of this hub' },
        ])
      }
    }
    const event = await tx
      .insertInto('events')
      .values({
        kind: input.kind,
        title: input.title,
        cohort_id: national ? input.cohortId! : null,
        hub_id: hubId,
        participation_id: visit ? input.participationId! : null,
        half_days: visit ? input.halfDays! : null,
        needs_retained_until: needsRetainedUntil(days),
        created_by: actingPersonId(context.actor),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const id = Number(event.id)
    await tx
      .insertInto('event_days')
      .values(
        days.map((d, i) => ({ event_id: id, day_number: i + 1, starts_at: d.startsAt, ends_at: d.endsAt })),
      )
      .execute()
    await tx
      .insertInto('event_venues')
      .values(
        input.venues.map((v) => ({ event_id: id, name: v.name, address: v.address, capacity: v.capacity })),
      )
      .execute()
    await audit({
      action: 'event.schedule',
      recordType: 'event',
      recordId: String(id),
      after: {
        kind: input.kind,
        title: input.title,
        cohortId: input.cohortId ?? null,
        hubId,
        days: days.map((d) => [d.startsAt.toISOString(), d.endsAt.toISOString()]),
        venues: input.venues.map((v) => v.name),
      },
    })
    return (await findEvent(tx, id))!
  })
}
