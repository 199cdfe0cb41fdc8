// Use-case: what erasing a person will do, for the confirmation page (NCETM administrators only;
// anyone else is told the page was not found).
import { NotFoundError } from '../../errors.ts'
import { findPersonById } from '../people/people.repository.ts'
import type { UseCaseContext } from '../use-case.ts'
import { erasedAtOf, erasureFacts, type ErasureFacts } from './erasure.repository.ts'
import { canErasePersonalData } from './privacy.policy.ts'

export interface ErasureView {
  person: { id: number; name: string; email: string }
  erasedAt: Date | null
  facts: ErasureFacts
}

export async function viewErasure(context: UseCaseContext, personId: number): Promise<ErasureView> {
  if (!canErasePersonalData(context.actor)) throw new NotFoundError('Person')
  const person = await findPersonById(context.db, personId)
  if (!person) throw new NotFoundError('Person')
  return {
    person: { id: person.id, name: person.name, email: person.email },
    erasedAt: await erasedAtOf(context.db, personId),
    facts: await erasureFacts(context.db, person),
  }
}
