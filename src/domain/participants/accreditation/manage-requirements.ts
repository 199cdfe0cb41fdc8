// Use-cases for NCETM's checklist of PD Lead accreditation requirements: list them, add one (for
// every programme or one programme), rename one, retire one. A retired requirement no longer
// counts towards anyone's progress, but what was recorded against it is kept. Each change audited.
import type { Tx } from '../../../db/database.ts'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { renameInput, requirementInput } from './accreditation-input.ts'
import { canManageRequirements } from './accreditation.policy.ts'
import {
  allRequirements,
  findRequirement,
  insertRequirement,
  markRetired,
  renameRequirement,
  titleInUse,
  titleTaken,
  type Requirement,
} from './accreditation.repository.ts'

/** The checklist as the NCETM's pages describe it (PROGRAMME.md), for every programme. */
export const DEFAULT_REQUIREMENTS: readonly string[] = [
  'Attended the PD Lead workshops',
  'Designed, led, reviewed and refined a PD programme',
  'Accreditation Evidence Document submitted',
]

/** Adds the default checklist's requirements not already there (for the demo and a new service). */
export async function addDefaultRequirements(context: UseCaseContext): Promise<Requirement[]> {
  if (!canManageRequirements(context.actor)) throw new NotFoundError('Requirements')
  const added: Requirement[] = []
  for (const title of DEFAULT_REQUIREMENTS) {
    if (!(await titleInUse(context.db, null, title))) added.push(await addRequirement(context, { title }))
  }
  return added
}

export async function listRequirements(context: UseCaseContext): Promise<Requirement[]> {
  if (!canManageRequirements(context.actor)) throw new NotFoundError('Requirements')
  return allRequirements(context.db)
}

export async function addRequirement(context: UseCaseContext, raw: unknown): Promise<Requirement> {
  if (!canManageRequirements(context.actor)) throw new NotFoundError('Requirements')
  const input = parseInput(requirementInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    if (input.programmeId !== null) {
      const programme = await tx
        .selectFrom('programmes')
        .select('id')
        .where('id', '=', input.programmeId)
        .executeTakeFirst()
      if (!programme) {
        throw new ValidationError([
          {
            code: 'invalid',
            field: 'programmeId',
            message: 'Select a programme, or leave it blank for every programme',
          },
        ])
      }
    }
    if (await titleInUse(tx, input.programmeId, input.title)) throw titleTaken()
    const id = await insertRequirement(tx, { ...input, by: actingPersonId(context.actor), now })
    await audit({
      action: 'accreditation-requirement.add',
      recordType: 'accreditation-requirement',
      recordId: id,
      after: { programmeId: input.programmeId, title: input.title },
    })
    return (await findRequirement(tx, id))!
  })
}

/** The requirement, locked; refused once retired. */
async function current(tx: Tx, id: number): Promise<Requirement> {
  const requirement = await findRequirement(tx, id, { forUpdate: true })
  if (!requirement) throw new NotFoundError('Requirement')
  if (requirement.retiredAt) {
    throw new ValidationError([
      { code: 'retired', field: 'requirement', message: 'This requirement has been retired' },
    ])
  }
  return requirement
}

export async function changeRequirement(
  context: UseCaseContext,
  requirementId: number,
  raw: unknown,
): Promise<Requirement> {
  if (!canManageRequirements(context.actor)) throw new NotFoundError('Requirement')
  const input = parseInput(renameInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    const requirement = await current(tx, requirementId)
    if (await titleInUse(tx, requirement.programmeId, input.title, requirementId)) throw titleTaken()
    await renameRequirement(tx, requirementId, input.title, now)
    await audit({
      action: 'accreditation-requirement.rename',
      recordType: 'accreditation-requirement',
      recordId: requirementId,
      before: { title: requirement.title },
      after: { title: input.title },
    })
    return (await findRequirement(tx, requirementId))!
  })
}

export async function retireRequirement(context: UseCaseContext, requirementId: number): Promise<void> {
  if (!canManageRequirements(context.actor)) throw new NotFoundError('Requirement')
  await inTransaction(context, async ({ tx, now, audit }) => {
    await current(tx, requirementId)
    await markRetired(tx, requirementId, actingPersonId(context.actor), now)
    await audit({
      action: 'accreditation-requirement.retire',
      recordType: 'accreditation-requirement',
      recordId: requirementId,
      before: { retired: false },
      after: { retired: true },
    })
  })
}
