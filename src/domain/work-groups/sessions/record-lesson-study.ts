// After a session is held, each of the group's schools has a lesson study: the lesson taught in its
// own department, by whom, with which classes, and what was learned. A lead specialist or the hub
// team records it (recording again replaces it). A school that is not in the group is refused.
import { z } from 'zod'
import { parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { refuseIfFinished, sessionFor } from './session-access.ts'
import { groupSchools, sessionLessonStudies, type LessonStudy } from './sessions.repository.ts'

const text = (missing: string, max: number, long: string) =>
  z.string({ error: missing }).trim().min(1, missing).max(max, long)

export const lessonStudyInput = z.object({
  schoolUrn: z.coerce
    .number({ error: 'Select the school' })
    .int('Select the school')
    .positive('Select the school')
    .max(2 ** 31 - 1, 'Select the school'),
  lessonTaught: text(
    'Describe the lesson taught',
    2000,
    'The lesson taught must be 2,000 characters or fewer',
  ),
  taughtBy: text('Enter who taught the lesson', 500, 'Who taught it must be 500 characters or fewer'),
  classes: text('Enter the classes taught', 500, 'The classes must be 500 characters or fewer'),
  learned: text('Describe what was learned', 5000, 'What was learned must be 5,000 characters or fewer'),
})

export async function recordLessonStudy(
  context: UseCaseContext,
  sessionId: number,
  raw: unknown,
): Promise<LessonStudy> {
  return inTransaction(context, async ({ tx, now, audit }) => {
    const { group, session } = await sessionFor(tx, context.actor, sessionId, 'manage')
    refuseIfFinished(group, 'lesson study cannot be recorded')
    const input = parseInput(lessonStudyInput, raw)
    if (!(await groupSchools(tx, group.id)).some((s) => s.urn === input.schoolUrn))
      throw new ValidationError([
        {
          code: 'not-in-group',
          field: 'schoolUrn',
          message: 'This school is not in the group, so its lesson study cannot be recorded',
        },
      ])
    if (session.status !== 'held')
      throw new ValidationError([
        {
          code: 'not-held',
          field: 'session',
          message: 'Lesson study is recorded after the session is held: mark the session as held first',
        },
      ])
    const values = {
      lesson_taught: input.lessonTaught,
      taught_by: input.taughtBy,
      classes: input.classes,
      learned: input.learned,
      recorded_by: actingPersonId(context.actor),
      updated_at: now,
    }
    await tx
      .insertInto('work_group_lesson_studies')
      .values({ session_id: sessionId, school_urn: input.schoolUrn, recorded_at: now, ...values })
      .onConflict((oc) => oc.columns(['session_id', 'school_urn']).doUpdateSet(values))
      .execute()
    await audit({
      action: 'work-group-lesson-study.record',
      recordType: 'work-group-session',
      recordId: sessionId,
      after: { schoolUrn: input.schoolUrn },
    })
    return (await sessionLessonStudies(tx, sessionId)).find((l) => l.schoolUrn === input.schoolUrn)!
  })
}
