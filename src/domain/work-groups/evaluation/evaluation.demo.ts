// The questionnaire's demo answers: last year's completed Primary Development group sent its
// advocates their links when it completed; five of its six advocates answered (through their
// links, read from the demo's own outbox), and its lead specialist answered signed in. The default
// questions come from migration 0026, so every service has them.
import type { Db } from '../../../db/database.ts'
import { fixedClock } from '../../../lib/clock.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { ANONYMOUS } from '../../access/actor.ts'
import { answerAdvocateQuestionnaire, answerAsSpecialist } from './answer-questionnaire.ts'
import { listQuestions } from './questions.ts'

const TEXTS = [
  'Pupils talk about their reasoning much more, using stem sentences.',
  'Seeing the same lesson taught in another school changed how I plan.',
  'More time in school to share what we learned with colleagues.',
]

export async function loadDemoEvaluation(db: Db, workGroupId: number, completedAt: Date): Promise<void> {
  const context = (actor: UseCaseContext['actor'], at: number): UseCaseContext => ({
    db,
    actor,
    clock: fixedClock(new Date(completedAt.getTime() + at * 86_400_000)),
    requestId: 'demo',
    baseUrl: 'http://localhost:3000',
  })
  const advocates = await db
    .selectFrom('evaluation_responses as r')
    .innerJoin('work_group_advocates as a', 'a.id', 'r.advocate_id')
    .select(['a.email'])
    .where('r.work_group_id', '=', workGroupId)
    .orderBy('a.id')
    .execute()
  const questions = await listQuestions(db, { audience: 'advocate' })
  for (const [i, { email }] of advocates.slice(0, 5).entries()) {
    const mail = await db
      .selectFrom('outbox')
      .select('body_text')
      .where('to_address', '=', email)
      .where('template', '=', 'evaluation-questionnaire')
      .orderBy('id', 'desc')
      .executeTakeFirst()
    const token = mail && /\/questionnaire\/([A-Za-z0-9_-]+)/.exec(mail.body_text)?.[1]
    if (!token) continue
    const answers = Object.fromEntries(
      questions.map((q, j) => [
        `q${q.id}`,
        q.kind === 'scale' ? String(3 + ((i + j) % 3)) : (TEXTS[(i + j) % 3] ?? ''),
      ]),
    )
    await answerAdvocateQuestionnaire(context(ANONYMOUS, 2 + i), token, answers)
  }
  const lead = await db
    .selectFrom('work_group_leads')
    .innerJoin('participations', 'participations.id', 'work_group_leads.participation_id')
    .select('participations.person_id')
    .where('work_group_leads.work_group_id', '=', workGroupId)
    .executeTakeFirst()
  const actor = lead ? await actorForPerson(db, Number(lead.person_id)) : undefined
  if (!actor) return
  const specialistQuestions = await listQuestions(db, { audience: 'specialist' })
  await answerAsSpecialist(
    context(actor, 3),
    workGroupId,
    Object.fromEntries(
      specialistQuestions.map((q) => [
        `q${q.id}`,
        q.kind === 'scale' ? '4' : 'The schools that hosted sessions in turn gained the most.',
      ]),
    ),
  )
}
