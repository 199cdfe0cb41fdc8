// The part of a group's page that belongs to the journey: its participation grants due and its
// end-of-year questionnaire (send it, answer it, see the answers), for work-group.njk to include.
import type { UseCaseContext } from '../../domain/use-case.ts'
import { viewGroupGrants } from '../../domain/work-groups/grants/view-group-grants.ts'

export async function groupJourneySection(context: UseCaseContext, workGroupId: number) {
  return { grants: await viewGroupGrants(context, workGroupId), evaluation: undefined }
}
