// Use-cases recording a person's progress to PD Lead accreditation, through one of their
// participations: a requirement met (NCETM, or the participation's hub lead or administrators),
// the award (NCETM, only once every current requirement is met, dated on or after the last was),
// and an accreditation already held (NCETM, with its date and where it came from). Dates are UK
// dates no later than today. Each audited with ids and dates only.
import { NotFoundError, parseInput, ValidationError, type FieldError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { ukDate } from '../../events/bookings/book-place.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { findParticipationRecord } from '../participants.repository.ts'
import { alreadyAccreditedInput, awardInput, requirementMetInput } from './accreditation-input.ts'
import { canRecordAward, canRecordRequirementMet } from './accreditation.policy.ts'
import {
  accreditationOf,
  alreadyAccredited,
  alreadyMet,
  currentRequirements,
  insertAccreditation,
  insertMet,
  metRecords,
} from './accreditation.repository.ts'
import { accreditationFor, ukDateText, type AccreditationProgress } from './view-accreditation.ts'

const refuse = (error: FieldError) => new ValidationError([error])

function notAfterToday(date: string, now: Date, field: string): void {
  if (date > ukDate(now)) {
    throw refuse({ code: 'future', field, message: 'The date must be today or in the past' })
  }
}

export async function recordRequirementMet(
  context: UseCaseContext,
  participationId: number,
  raw: unknown,
): Promise<AccreditationProgress> {
  const input = parseInput(requirementMetInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    const participation = await findParticipationRecord(tx, participationId)
    if (!participation || !canRecordRequirementMet(context.actor, participation)) {
      throw new NotFoundError('Participation')
    }
    notAfterToday(input.metOn, now, 'metOn')
    const requirement = (await currentRequirements(tx, participation.programmeId)).find(
      (r) => r.id === input.requirementId,
    )
    if (!requirement) {
      throw refuse({
        code: 'invalid',
        field: 'requirementId',
        message: 'Select a requirement on the checklist',
      })
    }
    if ((await metRecords(tx, participation.personId)).has(requirement.id)) throw alreadyMet()
    const id = await insertMet(tx, {
      personId: participation.personId,
      requirementId: requirement.id,
      participationId,
      metOn: input.metOn,
      by: actingPersonId(context.actor),
      now,
    })
    await audit({
      action: 'accreditation.requirement-met',
      recordType: 'accreditation-requirement-met',
      recordId: id,
      after: {
        personId: participation.personId,
        participationId,
        requirementId: requirement.id,
        metOn: input.metOn,
      },
    })
    return (await accreditationFor(tx, participationId))!
  })
}

export async function recordAward(
  context: UseCaseContext,
  participationId: number,
  raw: unknown,
): Promise<AccreditationProgress> {
  if (!canRecordAward(context.actor)) throw new NotFoundError('Participation')
  const input = parseInput(awardInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    const participation = await findParticipationRecord(tx, participationId)
    if (!participation) throw new NotFoundError('Participation')
    notAfterToday(input.awardedOn, now, 'awardedOn')
    const progress = (await accreditationFor(tx, participationId))!
    if (progress.accreditation) throw alreadyAccredited()
    if (progress.awardRefusal) {
      throw refuse({ code: 'requirements-not-met', field: 'awardedOn', message: progress.awardRefusal })
    }
    if (progress.lastMetOn && input.awardedOn < progress.lastMetOn) {
      throw refuse({
        code: 'too-early',
        field: 'awardedOn',
        message: `The award date must be on or after ${ukDateText(progress.lastMetOn)}, when the last requirement was met`,
      })
    }
    await insertAccreditation(tx, {
      personId: participation.personId,
      kind: 'awarded',
      accreditedOn: input.awardedOn,
      source: null,
      participationId,
      by: actingPersonId(context.actor),
      now,
    })
    await audit({
      action: 'accreditation.award',
      recordType: 'pd-lead-accreditation',
      recordId: participation.personId,
      after: {
        participationId,
        accreditedOn: input.awardedOn,
        requirementIds: progress.requirements.map((r) => r.id),
      },
    })
    return (await accreditationFor(tx, participationId))!
  })
}

export async function recordAlreadyAccredited(
  context: UseCaseContext,
  participationId: number,
  raw: unknown,
): Promise<AccreditationProgress> {
  if (!canRecordAward(context.actor)) throw new NotFoundError('Participation')
  const input = parseInput(alreadyAccreditedInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    const participation = await findParticipationRecord(tx, participationId)
    if (!participation) throw new NotFoundError('Participation')
    notAfterToday(input.accreditedOn, now, 'accreditedOn')
    if (await accreditationOf(tx, participation.personId)) throw alreadyAccredited()
    await insertAccreditation(tx, {
      personId: participation.personId,
      kind: 'already-accredited',
      accreditedOn: input.accreditedOn,
      source: input.source,
      participationId,
      by: actingPersonId(context.actor),
      now,
    })
    await audit({
      action: 'accreditation.already-accredited',
      recordType: 'pd-lead-accreditation',
      recordId: participation.personId,
      after: { participationId, accreditedOn: input.accreditedOn },
    })
    return (await accreditationFor(tx, participationId))!
  })
}
