// What follows a group's completion, in the same transaction as the move: the participation
// grants that have become due are recorded, and each current advocate is sent the end-of-year
// questionnaire by a single-use link.
import type { Unit, UseCaseContext } from '../../use-case.ts'
import { issueQuestionnaire } from '../evaluation/send-questionnaire.ts'
import { recordDueGrants } from '../grants/record-due-grants.ts'

export async function whenGroupCompletes(
  unit: Unit,
  context: UseCaseContext,
  workGroupId: number,
): Promise<void> {
  await recordDueGrants(unit, workGroupId)
  await issueQuestionnaire(unit, context.baseUrl, workGroupId)
}
