// The part of a group's page that belongs to the journey: its participation grants due and its
// end-of-year questionnaire (send it, answer it, see the answers), for work-group.njk to include.
import type { UseCaseContext } from '../../domain/use-case.ts'
import { viewGroupGrants } from '../../domain/work-groups/grants/view-group-grants.ts'
import { canManageWorkGroups } from '../../domain/work-groups/work-groups.policy.ts'
import { findWorkGroup } from '../../domain/work-groups/work-groups.repository.ts'

export async function groupJourneySection(context: UseCaseContext, workGroupId: number) {
  const grants = await viewGroupGrants(context, workGroupId)
  const group = (await findWorkGroup(context.db, workGroupId))!
  const actor = context.actor
  const open = group.state === 'running' || group.state === 'completed'
  return {
    grants,
    evaluation: {
      canSend: open && canManageWorkGroups(actor, group.hubId),
      canAnswer: open && actor.kind === 'person' && group.leads.some((l) => l.personId === actor.personId),
      answerHref: `/work-groups/${workGroupId}/evaluation/answer`,
      resultsHref: `/work-groups/${workGroupId}/evaluation`,
    },
  }
}
