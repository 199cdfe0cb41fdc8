// Reading PD Lead accreditation. Accreditation belongs to the person, not to one participation
// (docs/adr/0023): a person keeps it across cohorts and programmes. The read models:
// - accreditationFor(db, participationId): the progress the pages show — each current requirement
//   for the participation's programme (those for every programme and its own), met (the date, who
//   recorded it and when) or not; "2 of 3 requirements met"; the accreditation if any (awarded, or
//   already held, with its date and where it came from); and why the award cannot be recorded yet;
// - isAccredited(db, personId, on?): whether the person is accredited (by a date, if given), so
//   release time can count their funded days as teaching for mastery work instead (seed 001);
// - viewAccreditation: accreditationFor behind its policy.
import type { Executor } from '../../../db/database.ts'
import { NotFoundError } from '../../../errors.ts'
import { formatUkDate } from '../../../lib/uk-time.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { findParticipationRecord } from '../participants.repository.ts'
import { canViewAccreditation } from './accreditation.policy.ts'
import {
  accreditationOf,
  currentRequirements,
  metRecords,
  type Accreditation,
  type MetRecord,
} from './accreditation.repository.ts'

export interface RequirementProgress {
  id: number
  title: string
  /** Null when it is for every programme. */
  programmeId: string | null
  met: Omit<MetRecord, 'requirementId'> | null
}

export interface AccreditationProgress {
  participationId: number
  personId: number
  accreditation: Accreditation | null
  requirements: RequirementProgress[]
  met: number
  total: number
  /** "2 of 3 requirements met" */
  summary: string
  /** Why NCETM cannot record the award yet; null when it can. */
  awardRefusal: string | null
  /** The latest date a requirement was met: the award cannot be dated before it. */
  lastMetOn: string | null
}

/** "14 March 2026" for a UK date. */
export function ukDateText(date: string): string {
  return formatUkDate(new Date(`${date}T12:00:00Z`))
}

function quotedList(titles: string[]): string {
  const quoted = titles.map((t) => `‘${t}’`)
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`
}

export async function accreditationFor(
  db: Executor,
  participationId: number,
): Promise<AccreditationProgress | undefined> {
  const participation = await findParticipationRecord(db, participationId)
  if (!participation) return undefined
  const [requirements, met, accreditation] = await Promise.all([
    currentRequirements(db, participation.programmeId),
    metRecords(db, participation.personId),
    accreditationOf(db, participation.personId),
  ])
  const progress = requirements.map((r) => {
    const record = met.get(r.id)
    return {
      id: r.id,
      title: r.title,
      programmeId: r.programmeId,
      met: record
        ? { metOn: record.metOn, recordedByName: record.recordedByName, recordedAt: record.recordedAt }
        : null,
    }
  })
  const metCount = progress.filter((r) => r.met).length
  const outstanding = progress.filter((r) => !r.met).map((r) => r.title)
  const awardRefusal = accreditation
    ? `Already accredited since ${ukDateText(accreditation.accreditedOn)}`
    : progress.length === 0
      ? 'There are no requirements to meet yet: add them to the checklist first'
      : outstanding.length > 0
        ? `Every requirement must be met before the award is recorded: still to meet ${quotedList(outstanding)}`
        : null
  const metDates = progress.flatMap((r) => (r.met ? [r.met.metOn] : [])).sort()
  return {
    participationId,
    personId: participation.personId,
    accreditation: accreditation ?? null,
    requirements: progress,
    met: metCount,
    total: progress.length,
    summary: `${metCount} of ${progress.length} ${progress.length === 1 ? 'requirement' : 'requirements'} met`,
    awardRefusal,
    lastMetOn: metDates.at(-1) ?? null,
  }
}

/** The person holds PD Lead accreditation (awarded here or already held), by `on` if given. */
export async function isAccredited(db: Executor, personId: number, on?: string): Promise<boolean> {
  const accreditation = await accreditationOf(db, personId)
  return accreditation !== undefined && (on === undefined || accreditation.accreditedOn <= on)
}

/** The participation's accreditation progress for the specialist, their hub and NCETM; else not found. */
export async function viewAccreditation(
  context: UseCaseContext,
  participationId: number,
): Promise<AccreditationProgress> {
  const participation = await findParticipationRecord(context.db, participationId)
  if (!participation || !canViewAccreditation(context.actor, participation)) {
    throw new NotFoundError('Participation')
  }
  return (await accreditationFor(context.db, participationId))!
}
