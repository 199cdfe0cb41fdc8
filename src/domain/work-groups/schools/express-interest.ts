// Use-case: a school contact registers the school's interest in a Work Group programme for a year.
// The school must be eligible as for applications (the register's state-funded, in-England and
// phase rules, with their reasons), in the area of the hub it registers with, and may take a
// once-per-school programme (Development) only if it has never been accepted into it. Its head of
// maths and a senior leader are each asked to support it by a single-use link. Registrations of one
// school take turns, so a second copy of the same registration is refused as already made.
import { NotFoundError, parseNestedInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import {
  ALL_PHASES,
  checkEligibility,
  PRIMARY_PHASES,
  SECONDARY_PHASES,
  type EligibilityProgramme,
} from '../../programmes/eligibility.ts'
import { findSchool } from '../../schools/schools.repository.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { findWorkGroupProgramme, type WorkGroupProgramme } from '../work-groups.repository.ts'
import { sendSupportRequest } from './ask-for-support.ts'
import { recordInterestMove, registrableYears } from './interest-moves.ts'
import { interestInput } from './schools.input.ts'
import { canActForSchool } from './schools.policy.ts'
import { findInterest, type InterestRecord } from './schools.repository.ts'

/** The register's phases a Work Group programme serves: its group phases, in GIAS terms. */
export function eligibilityProgrammeOf(programme: WorkGroupProgramme): EligibilityProgramme {
  if (programme.phases.length === 1 && programme.phases[0] === 'cross-phase') {
    return { id: programme.id, phases: ALL_PHASES, specialSchoolsOnly: true }
  }
  const phases = new Set<string>()
  if (programme.phases.includes('primary')) PRIMARY_PHASES.forEach((p) => phases.add(p))
  if (programme.phases.includes('secondary')) SECONDARY_PHASES.forEach((p) => phases.add(p))
  return { id: programme.id, phases: [...phases], specialSchoolsOnly: false }
}

export async function expressInterest(
  context: UseCaseContext,
  urn: number,
  raw: unknown,
): Promise<InterestRecord> {
  if (!canActForSchool(context.actor, urn)) throw new NotFoundError('School')
  const input = parseNestedInput(interestInput, raw)
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    // The school's row is held until the interest is written, so two registrations of the same
    // school take turns: the second finds the first and is told so (the one-live index backs it).
    await tx.selectFrom('schools').select('urn').where('urn', '=', urn).forUpdate().execute()
    const school = await findSchool(tx, urn)
    if (!school) throw new NotFoundError('School')
    const programme = await findWorkGroupProgramme(tx, input.programmeId)
    if (!programme) {
      throw new ValidationError([{ code: 'unknown', field: 'programmeId', message: 'Select the programme' }])
    }
    if (!registrableYears(now).includes(input.academicYear)) {
      throw new ValidationError([
        {
          code: 'year',
          field: 'academicYear',
          message: `Select ${registrableYears(now).join(' or ')}: schools register for this academic year or the next`,
        },
      ])
    }
    const eligibility = checkEligibility(school, eligibilityProgrammeOf(programme))
    if (eligibility.outcome === 'not-eligible') {
      throw new ValidationError(
        eligibility.reasons.map((r) => ({ code: r.code, field: 'school', message: r.message })),
      )
    }
    const hubId = input.hubId || school.hub?.id
    if (!school.hub || hubId !== school.hub.id) {
      const hub = hubId
        ? await tx.selectFrom('hubs').select('name').where('id', '=', hubId).executeTakeFirst()
        : undefined
      throw new ValidationError([
        {
          code: 'out-of-area',
          field: 'school',
          message: school.hub
            ? `${school.name} is not in ${hub?.name ?? 'that hub'}’s area. Schools take part through the Maths Hub ` +
              `serving their area, which for ${school.name} is ${school.hub.name}`
            : `${school.name} is not in any Maths Hub’s area, so it cannot take part in a Work Group`,
        },
      ])
    }
    if (programme.oncePerSchool) {
      // Ever accepted: accepted now, or accepted once and moved on since.
      const before = await tx
        .selectFrom('work_group_interests as i')
        .select('i.academic_year')
        .where('i.school_urn', '=', urn)
        .where('i.programme_id', '=', programme.id)
        .where((eb) =>
          eb.or([
            eb('i.status', '=', 'accepted'),
            eb.exists(
              eb
                .selectFrom('work_group_interest_history as h')
                .select('h.id')
                .whereRef('h.interest_id', '=', 'i.id')
                .where('h.to_status', '=', 'accepted'),
            ),
          ]),
        )
        .orderBy('i.academic_year')
        .executeTakeFirst()
      if (before) {
        throw new ValidationError([
          {
            code: 'once-per-school',
            field: 'programmeId',
            message: `A school takes ${programme.name} only once, and ${school.name} took it in ${before.academic_year}`,
          },
        ])
      }
    }
    const live = await tx
      .selectFrom('work_group_interests')
      .select('id')
      .where('school_urn', '=', urn)
      .where('programme_id', '=', programme.id)
      .where('academic_year', '=', input.academicYear)
      .where('status', 'not in', ['declined', 'withdrawn'])
      .executeTakeFirst()
    if (live) {
      throw new ValidationError([
        {
          code: 'duplicate',
          field: 'programmeId',
          message: `${school.name} has already registered interest in ${programme.name} for ${input.academicYear}`,
        },
      ])
    }
    const row = await tx
      .insertInto('work_group_interests')
      .values({
        school_urn: urn,
        hub_id: school.hub.id,
        programme_id: programme.id,
        academic_year: input.academicYear,
        statement: input.statement || null,
        registered_by: actingPersonId(context.actor),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const id = Number(row.id)
    await recordInterestMove(context, unit, {
      interestId: id,
      event: 'register',
      from: null,
      to: 'awaiting-support',
    })
    const interest = {
      id,
      schoolName: school.name,
      hubName: school.hub.name,
      programmeName: programme.name,
      academicYear: input.academicYear,
    }
    await sendSupportRequest(context, unit, interest, 'head-of-maths', input.headOfMaths)
    await sendSupportRequest(context, unit, interest, 'senior-leader', input.seniorLeader)
    return (await findInterest(tx, id))!
  })
}
