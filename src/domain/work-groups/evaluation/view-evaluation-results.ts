// The questionnaire's answers, per group (its hub's team, NCETM and its lead specialists), per hub
// (its team and NCETM) and nationally (NCETM): for each question, how many answered, and for a
// scale question the average and how many gave each score; for a text question the answers as a
// list. Small numbers are suppressed for advocates: a question fewer than 3 advocates answered in
// the scope shows only that there were too few answers, so no advocate's answer can be told apart.
// Lead specialists answer as named staff of the hub, so theirs are shown whatever their number.
import type { EvaluationAudience } from '../../../db/schema.ts'
import { NotFoundError } from '../../../errors.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { canViewHubWorkGroups, canViewWorkGroup } from '../work-groups.policy.ts'
import { findWorkGroup } from '../work-groups.repository.ts'
import { canViewNationalEvaluation, SMALL_NUMBER } from './evaluation.policy.ts'
import { listQuestions } from './questions.ts'

export type EvaluationScope =
  { kind: 'group'; id: number } | { kind: 'hub'; id: string } | { kind: 'national' }

export interface QuestionResult {
  id: number
  audience: EvaluationAudience
  kind: 'scale' | 'text'
  text: string
  retired: boolean
  answered: number
  suppressed: boolean
  average: number | null
  /** How many gave 1, 2, 3, 4 and 5. */
  scores: number[]
  texts: string[]
}

export interface EvaluationResults {
  title: string
  responses: Record<EvaluationAudience, number>
  questions: QuestionResult[]
}

export async function viewEvaluationResults(
  context: UseCaseContext,
  scope: EvaluationScope,
): Promise<EvaluationResults> {
  const db = context.db
  let title = 'Every hub'
  if (scope.kind === 'group') {
    const group = await findWorkGroup(db, scope.id)
    if (
      !group ||
      !canViewWorkGroup(context.actor, {
        hubId: group.hubId,
        leadPersonIds: group.leads.map((l) => l.personId),
      })
    )
      throw new NotFoundError('Work Group')
    title = group.name
  } else if (scope.kind === 'hub') {
    const hub = await db.selectFrom('hubs').select('name').where('id', '=', scope.id).executeTakeFirst()
    if (!hub || !canViewHubWorkGroups(context.actor, scope.id)) throw new NotFoundError('Hub')
    title = hub.name
  } else if (!canViewNationalEvaluation(context.actor)) throw new NotFoundError('Evaluation')

  let responses = db
    .selectFrom('evaluation_responses as r')
    .innerJoin('work_groups as g', 'g.id', 'r.work_group_id')
    .where('r.submitted_at', 'is not', null)
  if (scope.kind === 'group') responses = responses.where('g.id', '=', scope.id)
  if (scope.kind === 'hub') responses = responses.where('g.hub_id', '=', scope.id)
  const counts = await responses
    .select(['r.audience', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('r.audience')
    .execute()
  const answers = await responses
    .innerJoin('evaluation_answers as a', 'a.response_id', 'r.id')
    .select(['a.question_id', 'a.scale_value', 'a.text_value'])
    .orderBy('r.submitted_at')
    .execute()
  const questions = await listQuestions(db, { withRetired: true })
  return {
    title,
    responses: {
      advocate: Number(counts.find((c) => c.audience === 'advocate')?.n ?? 0),
      specialist: Number(counts.find((c) => c.audience === 'specialist')?.n ?? 0),
    },
    questions: questions
      .map((q) => {
        const mine = answers.filter((a) => Number(a.question_id) === q.id)
        const suppressed = q.audience === 'advocate' && mine.length > 0 && mine.length < SMALL_NUMBER
        const values = mine.flatMap((a) => (a.scale_value === null ? [] : [a.scale_value]))
        return {
          id: q.id,
          audience: q.audience,
          kind: q.kind,
          text: q.text,
          retired: q.retired,
          answered: mine.length,
          suppressed,
          average:
            suppressed || values.length === 0
              ? null
              : Math.round((values.reduce((s, v) => s + v, 0) / values.length) * 10) / 10,
          scores: suppressed ? [] : [1, 2, 3, 4, 5].map((n) => values.filter((v) => v === n).length),
          texts: suppressed ? [] : mine.flatMap((a) => (a.text_value === null ? [] : [a.text_value])),
        }
      })
      // A retired question shows only where it has answers.
      .filter((q) => !q.retired || q.answered > 0),
  }
}
