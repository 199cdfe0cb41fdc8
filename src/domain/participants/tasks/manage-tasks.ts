// Use-cases for NCETM's tasks: set a task for a cohort (title, description, due date — due by 5pm UK
// time — and optionally one development year), change it, or withdraw it. Each writes a version to
// the task's history and an audit row; a withdrawn task keeps every submission made against it.
import { sql } from 'kysely'
import type { Executor } from '../../../db/database.ts'
import { NotFoundError, parseInput, ValidationError } from '../../../errors.ts'
import { actingPersonId } from '../../access/actor.ts'
import { inTransaction, type UseCaseContext } from '../../use-case.ts'
import { dueInstant, taskInput, withdrawTaskInput } from './task-input.ts'
import { canManageTasks } from './tasks.policy.ts'
import {
  findTask,
  insertTask,
  insertTaskHistory,
  markWithdrawn,
  updateTask,
  type Task,
  type TaskValues,
} from './tasks.repository.ts'

async function cohortShape(db: Executor, cohortId: string): Promise<{ hasYearTwo: boolean } | undefined> {
  const row = await db
    .selectFrom('cohorts')
    .innerJoin('programmes', 'programmes.id', 'cohorts.programme_id')
    .select(sql<boolean>`programmes.year_structure @> '[{"year": 2}]'::jsonb`.as('has_year_two'))
    .where('cohorts.id', '=', cohortId)
    .executeTakeFirst()
  return row ? { hasYearTwo: row.has_year_two } : undefined
}

function checkedValues(raw: unknown, hasYearTwo: boolean, now: Date, previous?: Task): TaskValues {
  const input = parseInput(taskInput, raw)
  const dueAt = dueInstant(input.dueOn)!
  if (input.forYear === 2 && !hasYearTwo) {
    throw new ValidationError([
      {
        code: 'no-year-two',
        field: 'forYear',
        message: 'This programme has one development year: select year 1 or both years',
      },
    ])
  }
  if (dueAt <= now && input.dueOn !== previous?.dueOn) {
    throw new ValidationError([
      { code: 'past', field: 'dueOn', message: 'The due date must be in the future' },
    ])
  }
  return {
    title: input.title,
    description: input.description,
    dueOn: input.dueOn,
    dueAt,
    forYear: input.forYear,
  }
}

export async function setTask(context: UseCaseContext, cohortId: string, raw: unknown): Promise<Task> {
  if (!canManageTasks(context.actor)) throw new NotFoundError('Cohort')
  return inTransaction(context, async ({ tx, now, audit }) => {
    const shape = await cohortShape(tx, cohortId)
    if (!shape) throw new NotFoundError('Cohort')
    const values = checkedValues(raw, shape.hasYearTwo, now)
    const by = actingPersonId(context.actor)
    const id = await insertTask(tx, cohortId, values, by, now)
    await insertTaskHistory(tx, { id, ...values }, 'set', null, by, now)
    await audit({
      action: 'task.set',
      recordType: 'task',
      recordId: id,
      after: { cohortId, dueOn: values.dueOn, forYear: values.forYear },
    })
    return (await findTask(tx, id))!
  })
}

export async function changeTask(context: UseCaseContext, taskId: number, raw: unknown): Promise<Task> {
  if (!canManageTasks(context.actor)) throw new NotFoundError('Task')
  return inTransaction(context, async ({ tx, now, audit }) => {
    const task = await findTask(tx, taskId, { forUpdate: true })
    if (!task) throw new NotFoundError('Task')
    if (task.status === 'withdrawn') {
      throw new ValidationError([
        { code: 'withdrawn', field: 'task', message: 'This task has been withdrawn and cannot be changed' },
      ])
    }
    const shape = (await cohortShape(tx, task.cohortId))!
    const values = checkedValues(raw, shape.hasYearTwo, now, task)
    const by = actingPersonId(context.actor)
    await updateTask(tx, taskId, values, now)
    await insertTaskHistory(tx, { id: taskId, ...values }, 'change', null, by, now)
    await audit({
      action: 'task.change',
      recordType: 'task',
      recordId: taskId,
      before: { dueOn: task.dueOn, forYear: task.forYear },
      after: {
        dueOn: values.dueOn,
        forYear: values.forYear,
        titleChanged: values.title !== task.title,
        descriptionChanged: values.description !== task.description,
      },
    })
    return (await findTask(tx, taskId))!
  })
}

export async function withdrawTask(context: UseCaseContext, taskId: number, raw: unknown): Promise<void> {
  if (!canManageTasks(context.actor)) throw new NotFoundError('Task')
  const input = parseInput(withdrawTaskInput, raw)
  await inTransaction(context, async ({ tx, now, audit }) => {
    const task = await findTask(tx, taskId, { forUpdate: true })
    if (!task) throw new NotFoundError('Task')
    if (task.status === 'withdrawn') {
      throw new ValidationError([
        { code: 'withdrawn', field: 'task', message: 'This task has already been withdrawn' },
      ])
    }
    const by = actingPersonId(context.actor)
    await markWithdrawn(tx, taskId, input.reason, now)
    await insertTaskHistory(tx, task, 'withdraw', input.reason, by, now)
    await audit({
      action: 'task.withdraw',
      recordType: 'task',
      recordId: taskId,
      before: { status: 'set' },
      after: { status: 'withdrawn' },
    })
  })
}
