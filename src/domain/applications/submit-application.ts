// Use-case: the teacher submits their endorsed, complete application before the window closes.
// "Before" is to the millisecond, by the injected clock read when the request arrives: at the
// closing instant and after it, submission is refused and the draft kept as it was. A retry with
// the same Idempotency-Key is answered as the first was, so no request makes two submissions.
import { ConflictError, NotFoundError, parseNestedInput, ValidationError } from '../../errors.ts'
import { formatUkDateTime } from '../../lib/uk-time.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { idempotencyKey as idempotencyKeySchema } from './application-input.ts'
import {
  applicationLink,
  assertWindowOpen,
  cohortName,
  missingForSubmission,
  moveApplication,
} from './application-rules.ts'
import { findSchool } from '../schools/schools.repository.ts'
import { findApplication, type Application } from './applications.repository.ts'
import { ownApplication } from './save-application.ts'
import { assertNoPlaceHeld } from './start-application.ts'

export async function submitApplication(
  context: UseCaseContext,
  id: number,
  options: { idempotencyKey?: unknown } = {},
): Promise<{ application: Application; replayed: boolean }> {
  if (context.actor.kind !== 'person') throw new NotFoundError('Application')
  const key =
    options.idempotencyKey === undefined
      ? null
      : parseNestedInput(idempotencyKeySchema, options.idempotencyKey, 'Idempotency-Key')
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const { application, cohort } = await ownApplication(context, unit, id)
    if (application.submittedAt !== null) {
      if (key !== null && application.submitIdempotencyKey === key) return { application, replayed: true }
      throw new ConflictError(
        [
          {
            code: 'already-submitted',
            field: 'state',
            message: `You submitted this application at ${formatUkDateTime(application.submittedAt)}`,
          },
        ],
        application.id,
      )
    }
    if (application.state === 'withdrawn') {
      throw new ValidationError([
        {
          code: 'withdrawn',
          field: 'state',
          message: 'This application has been withdrawn, so it cannot be submitted',
        },
      ])
    }
    assertWindowOpen(cohort, now, true)
    await assertNoPlaceHeld(tx, cohort, application.applicantId)
    const missing = missingForSubmission(application, cohort)
    if (missing.length > 0) throw new ValidationError(missing)
    // A school whose area had no hub when it was chosen may have one now: it goes to that hub.
    // Without one, it waits in the NCETM's routing queue (route-application.ts).
    const hub =
      application.hubId === null && application.schoolUrn !== null
        ? ((await findSchool(tx, application.schoolUrn))?.hub ?? null)
        : null
    await moveApplication(context, unit, application, 'submit', {
      actor: 'applicant',
      changes: { submittedAt: now, submitIdempotencyKey: key, ...(hub && { hubId: hub.id }) },
    })
    const submitted = (await findApplication(tx, application.id))!
    await queueEmail(tx, {
      template: 'application-submitted',
      to: application.applicantEmail,
      data: {
        name: application.applicantName,
        reference: application.reference,
        programmeName: cohort.programmeName,
        cohortName: cohortName(cohort),
        submittedAt: now,
        hubName: submitted.hubName,
        decisionsReleasedOn: formatIsoDate(cohort.decisionsReleasedOn),
        link: applicationLink(context, application.id),
      },
    })
    if (application.headteacherEmail && application.headteacherName && application.schoolName) {
      await queueEmail(tx, {
        template: 'application-submitted-headteacher',
        to: application.headteacherEmail,
        data: {
          headteacherName: application.headteacherName,
          teacherName: application.applicantName,
          reference: application.reference,
          programmeName: cohort.programmeName,
          cohortName: cohortName(cohort),
          schoolName: application.schoolName,
        },
      })
    }
    return { application: submitted, replayed: false }
  })
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** 2025-06-13 as "13 June 2025". */
export function formatIsoDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number)
  return `${day} ${MONTHS[(month ?? 1) - 1]} ${year}`
}
