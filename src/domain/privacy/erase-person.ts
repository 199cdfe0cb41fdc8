// Use-case: an NCETM administrator erases a person's personal data. Their record stays, so every
// state change, decision and audit row keeps its ids and reads "Erased person"; their name, email
// address and TRN, their answers and evidence, what others wrote about them, their headteacher's
// contact details, the emails sent to them and their interest notices are anonymised; their
// development years' needs, absence and stage reasons, release-time notes and reasons, task
// evidence (files deleted) and feedback, accreditation source and calendar feed go, while the
// stages, bookings, attendance, release days and tasks' outcomes stay; their sessions, sign-in
// links, API tokens and roles end, so they can no longer sign in. Refused for yourself and for the
// last NCETM administrator. Erasing twice changes nothing. Audited with counts only. See
// docs/adr/0011.
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { actingPersonId } from '../access/actor.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { erasePersonalData, erasureFacts, lockPerson, otherNationalAdmins } from './erasure.repository.ts'
import { canErasePersonalData } from './privacy.policy.ts'

const CONFIRM_MESSAGE = 'Confirm that you want to erase this person’s personal data'

/** The page's checkbox sends "yes"; the API sends true. */
export const erasureInput = z.object({
  confirm: z.union([z.literal(true), z.literal('yes')], { error: CONFIRM_MESSAGE }),
})

export type ErasureResult =
  { outcome: 'erased'; erasedAt: Date } | { outcome: 'already-erased'; erasedAt: Date }

export async function erasePerson(
  context: UseCaseContext,
  personId: number,
  raw: unknown,
): Promise<ErasureResult> {
  if (!canErasePersonalData(context.actor)) throw new NotFoundError('Person')
  return inTransaction(context, async (unit) => {
    const person = await lockPerson(unit.tx, personId)
    if (!person) throw new NotFoundError('Person')
    if (person.erased_at !== null) return { outcome: 'already-erased', erasedAt: person.erased_at }
    const by = actingPersonId(context.actor)
    if (by === person.id) {
      throw new ValidationError([
        {
          code: 'self',
          field: 'confirm',
          message: 'You cannot erase your own personal data: ask another NCETM administrator',
        },
      ])
    }
    const isAdmin = await unit.tx
      .selectFrom('grants')
      .select('id')
      .where('person_id', '=', person.id)
      .where('role', '=', 'national-admin')
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    if (isAdmin && (await otherNationalAdmins(unit.tx, person.id)) === 0) {
      throw new ValidationError([
        {
          code: 'last-national-admin',
          field: 'confirm',
          message:
            'You cannot erase the last NCETM administrator: give someone else the national administrator role first',
        },
      ])
    }
    parseInput(erasureInput, raw)
    const facts = await erasureFacts(unit.tx, person)
    await erasePersonalData(unit.tx, person, by, unit.now)
    await unit.audit({
      action: 'person.erase',
      recordType: 'person',
      recordId: person.id,
      after: { ...facts, erased: true },
    })
    return { outcome: 'erased', erasedAt: unit.now }
  })
}
