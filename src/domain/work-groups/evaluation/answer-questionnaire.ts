// Answering the questionnaire: an advocate through their single-use link, without an account (the
// link is the authority; it works once, for 60 days from sending), or a group's lead specialist
// signed in, once per group. Every scale question needs an answer from 1 to 5; text answers are
// optional. A refusal saves nothing.
import type { Executor } from '../../../db/database.ts'
import type { EvaluationAudience } from '../../../db/schema.ts'
import { NotFoundError, ValidationError, type FieldError } from '../../../errors.ts'
import { hashSecret } from '../../auth/tokens.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { findWorkGroup } from '../work-groups.repository.ts'
import { listQuestions, type EvaluationQuestion } from './questions.ts'
import { LINK_DAYS } from './send-questionnaire.ts'

const DAY = 86_400_000

export type LinkStatus = 'open' | 'answered' | 'expired' | 'unknown'

export interface AdvocateQuestionnaire {
  status: LinkStatus
  groupName: string | null
  advocateName: string | null
  questions: EvaluationQuestion[]
}

async function responseByToken(db: Executor, token: string) {
  return db
    .selectFrom('evaluation_responses as r')
    .innerJoin('work_groups as g', 'g.id', 'r.work_group_id')
    .innerJoin('work_group_advocates as a', 'a.id', 'r.advocate_id')
    .select(['r.id', 'r.sent_at', 'r.submitted_at', 'g.name as group_name', 'a.name as advocate_name'])
    .where('r.token_hash', '=', hashSecret(token))
    .executeTakeFirst()
}

function statusOf(
  row: { sent_at: Date | string | null; submitted_at: unknown } | undefined,
  now: Date,
): LinkStatus {
  if (!row) return 'unknown'
  if (row.submitted_at !== null) return 'answered'
  if (!row.sent_at || new Date(row.sent_at).getTime() + LINK_DAYS * DAY < now.getTime()) return 'expired'
  return 'open'
}

export async function viewAdvocateQuestionnaire(
  context: UseCaseContext,
  token: string,
): Promise<AdvocateQuestionnaire> {
  const row = await responseByToken(context.db, token)
  const status = statusOf(row, context.clock.now())
  return {
    status,
    groupName: status === 'open' ? row!.group_name : null,
    advocateName: status === 'open' ? row!.advocate_name : null,
    questions: status === 'open' ? await listQuestions(context.db, { audience: 'advocate' }) : [],
  }
}

/** Answers keyed by question id (`q<id>`), as the form sends them. */
export type RawAnswers = Record<string, unknown>

function checkedAnswers(questions: EvaluationQuestion[], raw: RawAnswers) {
  const errors: FieldError[] = []
  const answers: { questionId: number; scale: number | null; text: string | null }[] = []
  for (const q of questions) {
    const field = `q${q.id}`
    const value = raw[field]
    const given = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : ''
    if (q.kind === 'scale') {
      if (!/^[1-5]$/.test(given)) {
        errors.push({ code: 'scale', field, message: `Select an answer from 1 to 5 for: ${q.text}` })
        continue
      }
      answers.push({ questionId: q.id, scale: Number(given), text: null })
    } else {
      if (given.length > 5000) {
        errors.push({ code: 'too-long', field, message: 'An answer must be 5,000 characters or fewer' })
        continue
      }
      if (given) answers.push({ questionId: q.id, scale: null, text: given })
    }
  }
  if (errors.length) throw new ValidationError(errors)
  return answers
}

async function writeAnswers(tx: Executor, responseId: number, answers: ReturnType<typeof checkedAnswers>) {
  if (answers.length === 0) return
  await tx
    .insertInto('evaluation_answers')
    .values(
      answers.map((a) => ({
        response_id: responseId,
        question_id: a.questionId,
        scale_value: a.scale,
        text_value: a.text,
      })),
    )
    .execute()
}

export async function answerAdvocateQuestionnaire(
  context: UseCaseContext,
  token: string,
  raw: RawAnswers,
): Promise<void> {
  await inTransaction(context, async ({ tx, now, audit }) => {
    const row = await responseByToken(tx, token)
    const status = statusOf(row, now)
    if (status === 'unknown') throw new NotFoundError('Questionnaire')
    if (status !== 'open')
      throw new ValidationError([
        {
          code: status,
          field: 'form',
          message:
            status === 'answered' ? 'This questionnaire has already been answered' : 'This link has expired',
        },
      ])
    const answers = checkedAnswers(await listQuestions(tx, { audience: 'advocate' }), raw)
    // Single use: only the first of two answers at once finds it unanswered.
    const claimed = await tx
      .updateTable('evaluation_responses')
      .set({ submitted_at: now })
      .where('id', '=', row!.id)
      .where('submitted_at', 'is', null)
      .returning('id')
      .executeTakeFirst()
    if (!claimed)
      throw new ValidationError([
        { code: 'answered', field: 'form', message: 'This questionnaire has already been answered' },
      ])
    await writeAnswers(tx, Number(row!.id), answers)
    await audit({
      action: 'evaluation.answer',
      recordType: 'evaluation-response',
      recordId: String(row!.id),
      after: { audience: 'advocate' },
    })
  })
}

export interface SpecialistQuestionnaire {
  group: { id: number; name: string; hubId: string }
  participationId: number
  answered: boolean
  questions: EvaluationQuestion[]
}

async function leadParticipation(context: UseCaseContext, workGroupId: number) {
  const group = await findWorkGroup(context.db, workGroupId)
  const actor = context.actor
  const lead = actor.kind === 'person' ? group?.leads.find((l) => l.personId === actor.personId) : undefined
  if (!group || !lead) throw new NotFoundError('Work Group')
  return { group, participationId: lead.participationId }
}

export async function viewSpecialistQuestionnaire(
  context: UseCaseContext,
  workGroupId: number,
): Promise<SpecialistQuestionnaire> {
  const { group, participationId } = await leadParticipation(context, workGroupId)
  const existing = await context.db
    .selectFrom('evaluation_responses')
    .select('id')
    .where('work_group_id', '=', workGroupId)
    .where('participation_id', '=', participationId)
    .executeTakeFirst()
  return {
    group: { id: group.id, name: group.name, hubId: group.hubId },
    participationId,
    answered: existing !== undefined,
    questions: await listQuestions(context.db, { audience: 'specialist' }),
  }
}

export async function answerAsSpecialist(
  context: UseCaseContext,
  workGroupId: number,
  raw: RawAnswers,
): Promise<void> {
  const { group, participationId } = await leadParticipation(context, workGroupId)
  if (group.state !== 'running' && group.state !== 'completed')
    throw new ValidationError([
      { code: 'state', field: 'form', message: 'The questionnaire opens once the group is running' },
    ])
  await inTransaction(context, async ({ tx, now, audit }) => {
    const answers = checkedAnswers(await listQuestions(tx, { audience: 'specialist' }), raw)
    const row = await tx
      .insertInto('evaluation_responses')
      .values({
        work_group_id: workGroupId,
        audience: 'specialist' as EvaluationAudience,
        participation_id: participationId,
        submitted_at: now,
        created_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['work_group_id', 'participation_id'])
          .where('participation_id', 'is not', null)
          .doNothing(),
      )
      .returning('id')
      .executeTakeFirst()
    if (!row)
      throw new ValidationError([
        {
          code: 'answered',
          field: 'form',
          message: 'You have already answered the questionnaire for this group',
        },
      ])
    await writeAnswers(tx, Number(row.id), answers)
    await audit({
      action: 'evaluation.answer',
      recordType: 'evaluation-response',
      recordId: String(row.id),
      after: { audience: 'specialist' },
    })
  })
}
