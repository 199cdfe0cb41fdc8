// The questionnaire's questions, managed by NCETM's national administrators: add one (for advocates
// or specialists, a scale of 1 to 5 or free text), reword it, move it up or down, or retire it (a
// retired question is kept for the answers it has, and no longer asked). Audited.
import { z } from 'zod'
import type { Executor } from '../../../db/database.ts'
import type { EvaluationAudience } from '../../../db/schema.ts'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { canManageQuestions } from './evaluation.policy.ts'

export interface EvaluationQuestion {
  id: number
  audience: EvaluationAudience
  kind: 'scale' | 'text'
  text: string
  position: number
  retired: boolean
}

export const AUDIENCE_NAMES: Record<EvaluationAudience, string> = {
  advocate: 'Mastery Advocates',
  specialist: 'Lead specialists',
}

export async function listQuestions(
  db: Executor,
  filter: { audience?: EvaluationAudience; withRetired?: boolean } = {},
): Promise<EvaluationQuestion[]> {
  let q = db.selectFrom('evaluation_questions').selectAll()
  if (filter.audience) q = q.where('audience', '=', filter.audience)
  if (!filter.withRetired) q = q.where('retired_at', 'is', null)
  const rows = await q.orderBy('audience').orderBy('position').orderBy('id').execute()
  return rows.map((r) => ({
    id: Number(r.id),
    audience: r.audience,
    kind: r.kind,
    text: r.text,
    position: r.position,
    retired: r.retired_at !== null,
  }))
}

const questionText = z
  .string({ error: 'Enter the question' })
  .trim()
  .min(1, 'Enter the question')
  .max(500, 'The question must be 500 characters or fewer')

export const questionInput = z.object({
  audience: z.enum(['advocate', 'specialist'], { error: 'Select who answers the question' }),
  kind: z.enum(['scale', 'text'], { error: 'Select the kind of answer' }),
  text: questionText,
})

const changeInput = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('reword'), text: questionText }),
    z.object({ action: z.literal('up') }),
    z.object({ action: z.literal('down') }),
    z.object({ action: z.literal('retire') }),
  ],
  { error: 'Select what to do with the question' },
)

export async function addQuestion(context: UseCaseContext, raw: unknown): Promise<EvaluationQuestion> {
  if (!canManageQuestions(context.actor)) throw new NotFoundError('Questions')
  const input = parseInput(questionInput, raw)
  return inTransaction(context, async ({ tx, now, audit }) => {
    // One change to the questions at a time, so positions stay distinct.
    await tx.selectFrom('evaluation_questions').select('id').forUpdate().execute()
    const last = await tx
      .selectFrom('evaluation_questions')
      .select((eb) => eb.fn.max('position').as('p'))
      .where('audience', '=', input.audience)
      .executeTakeFirst()
    const row = await tx
      .insertInto('evaluation_questions')
      .values({
        audience: input.audience,
        kind: input.kind,
        text: input.text,
        position: Number(last?.p ?? 0) + 1,
        created_by: actingPersonId(context.actor),
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit({
      action: 'evaluation-question.add',
      recordType: 'evaluation-question',
      recordId: String(row.id),
      after: input,
    })
    return (await listQuestions(tx, { withRetired: true })).find((q) => q.id === Number(row.id))!
  })
}

export async function changeQuestion(context: UseCaseContext, id: number, raw: unknown): Promise<void> {
  if (!canManageQuestions(context.actor)) throw new NotFoundError('Question')
  const input = parseInput(changeInput, raw)
  await inTransaction(context, async ({ tx, now, audit }) => {
    await tx.selectFrom('evaluation_questions').select('id').forUpdate().execute()
    const question = await tx
      .selectFrom('evaluation_questions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    if (!question) throw new NotFoundError('Question')
    if (question.retired_at !== null)
      throw new ValidationError([
        { code: 'retired', field: 'action', message: 'This question has been retired and cannot be changed' },
      ])
    if (input.action === 'reword') {
      await tx.updateTable('evaluation_questions').set({ text: input.text }).where('id', '=', id).execute()
    } else if (input.action === 'retire') {
      await tx.updateTable('evaluation_questions').set({ retired_at: now }).where('id', '=', id).execute()
    } else {
      const live = await listQuestions(tx, { audience: question.audience })
      const at = live.findIndex((q) => q.id === id)
      const other = live[input.action === 'up' ? at - 1 : at + 1]
      if (!other)
        throw new ValidationError([
          {
            code: 'edge',
            field: 'action',
            message: `This question is already ${input.action === 'up' ? 'first' : 'last'}`,
          },
        ])
      await tx
        .updateTable('evaluation_questions')
        .set({ position: other.position })
        .where('id', '=', id)
        .execute()
      await tx
        .updateTable('evaluation_questions')
        .set({ position: question.position })
        .where('id', '=', other.id)
        .execute()
    }
    await audit({
      action: `evaluation-question.${input.action}`,
      recordType: 'evaluation-question',
      recordId: String(id),
      before: { text: question.text, position: question.position },
      after: input,
    })
  })
}
