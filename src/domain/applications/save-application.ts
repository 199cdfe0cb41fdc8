// Use-case: the teacher saves part of their application (school, teaching details, evidence) while
// the window is open, and can come back to it. Each part is checked as it is saved; completeness
// is checked at submission. A different school voids any endorsement.
import { NotFoundError, parseNestedInput, ValidationError, type FieldError } from '../../errors.ts'
import { checkEligibility } from '../programmes/eligibility.ts'
import { findCohort, findProgramme, type Cohort } from '../programmes/programmes.repository.ts'
import { findSchool, linkedSchools } from '../schools/schools.repository.ts'
import { inTransaction, type Unit, type UseCaseContext } from '../use-case.ts'
import { applicationChanges, countWords } from './application-input.ts'
import { assertWindowOpen, moveApplication, writtenCriteria } from './application-rules.ts'
import { IN_PROGRESS } from './application.states.ts'
import { isApplicant } from './applications.policy.ts'
import {
  findApplication,
  lockApplication,
  replaceOpenEndorsementRequests,
  updateApplication,
  type Application,
  type ApplicationChanges,
} from './applications.repository.ts'

/** Loads the actor's own application, locked, with its cohort; anyone else's is "not found". */
export async function ownApplication(
  context: UseCaseContext,
  unit: Unit,
  id: number,
): Promise<{ application: Application; cohort: Cohort }> {
  const application = await lockApplication(unit.tx, id)
  if (!application || !isApplicant(context.actor, application)) throw new NotFoundError('Application')
  const cohort = (await findCohort(unit.tx, application.cohortId))!
  return { application, cohort }
}

function checkEvidence(cohort: Cohort, answers: Record<string, string>): FieldError[] {
  const criteria = new Map(writtenCriteria(cohort).map((c) => [c.id, c]))
  const errors: FieldError[] = []
  for (const [id, text] of Object.entries(answers)) {
    const criterion = criteria.get(id)
    if (!criterion) {
      errors.push({
        code: 'unknown',
        field: `evidence.${id}`,
        message: `There is no criterion ${id.slice(0, 60)} to answer in this cohort`,
      })
    } else if (criterion.wordLimit !== null && countWords(text) > criterion.wordLimit) {
      errors.push({
        code: 'too-long',
        field: `evidence.${id}`,
        message: `Your evidence for “${criterion.text}” must be ${criterion.wordLimit} words or fewer: it has ${countWords(text)}`,
      })
    }
  }
  return errors
}

export async function saveApplication(
  context: UseCaseContext,
  id: number,
  raw: unknown,
): Promise<Application> {
  if (context.actor.kind !== 'person') throw new NotFoundError('Application')
  const input = parseNestedInput(applicationChanges, raw)
  return inTransaction(context, async (unit) => {
    const { tx, now, audit } = unit
    const { application, cohort } = await ownApplication(context, unit, id)
    if (!IN_PROGRESS.includes(application.state)) {
      throw new ValidationError([
        {
          code: 'not-editable',
          field: 'state',
          message:
            application.state === 'submitted'
              ? 'You have submitted this application, so it can no longer be changed'
              : 'This application has been withdrawn, so it can no longer be changed',
        },
      ])
    }
    assertWindowOpen(cohort, now, true)
    const changes: ApplicationChanges = {}
    const errors: FieldError[] = []
    let schoolChanged = false

    if (input.school) {
      const school = await findSchool(tx, input.school.urn)
      const programme = (await findProgramme(tx, cohort.programmeId))!
      if (!school) {
        errors.push({
          code: 'unknown',
          field: 'school.urn',
          message:
            'There is no school with that URN in the register. Search for your school by name, town or postcode',
        })
      } else if (!school.open) {
        const successors = (await linkedSchools(tx, school.urn)).successors.filter(
          (s) => s.open && s.inRegister,
        )
        errors.push({
          code: 'school-closed',
          field: 'school.urn',
          message: successors[0]
            ? `${school.name} has closed. It was replaced by ${successors[0].name} (URN ${successors[0].urn}): choose that school instead`
            : `${school.name} has closed. Choose the school you teach at now`,
        })
      } else {
        const eligibility = checkEligibility(school, programme)
        if (eligibility.outcome === 'not-eligible') {
          errors.push({
            code: 'not-eligible',
            field: 'school.urn',
            message: eligibility.reasons.map((r) => r.message).join(' '),
          })
        } else if (school.urn !== application.schoolUrn) {
          schoolChanged = application.schoolUrn !== null
          Object.assign(changes, { schoolUrn: school.urn, hubId: school.hub?.id ?? null, eligibility })
        }
      }
    }
    if (input.teaching) {
      changes.teaching = {
        ...input.teaching,
        trn: input.teaching.hasQts ? (input.teaching.trn ?? null) : null,
      }
    }
    if (input.evidence) {
      errors.push(...checkEvidence(cohort, input.evidence))
      const answers = new Map(Object.entries(application.evidence))
      for (const [criterionId, text] of Object.entries(input.evidence)) {
        if (text.trim() === '') answers.delete(criterionId)
        else answers.set(criterionId, text.trim())
      }
      const evidence = Object.fromEntries(answers)
      changes.evidence = evidence
    }
    if (errors.length > 0) throw new ValidationError(errors)

    if (schoolChanged && application.state !== 'draft') {
      // The endorsement was for the old school: its headteacher's links stop working.
      await replaceOpenEndorsementRequests(tx, application.id, now)
      await moveApplication(context, unit, application, 'change-school', {
        actor: 'applicant',
        changes: {
          ...changes,
          headteacherName: null,
          headteacherEmail: null,
          headteacherVerification: null,
          headteacherVerifiedAt: null,
          headteacherVerifiedBy: null,
          endorsedAt: null,
          endorsementDeclinedAt: null,
          endorsementDeclineReason: null,
        },
      })
    } else if (application.state === 'endorsed' && answersChanged(application, changes)) {
      // The headteacher endorsed the answers as they were: they are asked again (docs/adr/0020).
      await moveApplication(context, unit, application, 'change-answers', {
        actor: 'applicant',
        changes: { ...changes, endorsedAt: null },
        note: 'The answers changed after the headteacher endorsed them',
      })
    } else {
      if (schoolChanged) {
        Object.assign(changes, {
          headteacherName: null,
          headteacherEmail: null,
          headteacherVerification: null,
          headteacherVerifiedAt: null,
          headteacherVerifiedBy: null,
        })
      }
      await updateApplication(tx, application.id, changes, now)
      await audit({
        action: 'application.save',
        recordType: 'application',
        recordId: application.id,
        // Which parts changed, not what was written: the answers are personal.
        after: { parts: Object.keys(input), schoolUrn: changes.schoolUrn },
      })
    }
    return (await findApplication(tx, application.id))!
  })
}

/** Whether saving would change the teaching details or evidence the headteacher endorsed. */
function answersChanged(application: Application, changes: ApplicationChanges): boolean {
  const same = (a: object, b: object) =>
    JSON.stringify(Object.entries(a).sort(([x], [y]) => x.localeCompare(y))) ===
    JSON.stringify(Object.entries(b).sort(([x], [y]) => x.localeCompare(y)))
  const teaching = (t: object) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined))
  return (
    (changes.teaching !== undefined && !same(teaching(changes.teaching), teaching(application.teaching))) ||
    (changes.evidence !== undefined && !same(changes.evidence, application.evidence))
  )
}
