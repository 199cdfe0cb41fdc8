// What "Your programme" shows beside the specialist's events, gathered from each area's read model:
// each participation with its stage, its release time this year, its tasks and the specialist's
// PD Lead accreditation progress.
import { viewAccreditation } from '../domain/participants/accreditation/view-accreditation.ts'
import { myParticipations } from '../domain/participants/my-programme.ts'
import { viewReleaseTime } from '../domain/participants/release-time/view-release-time.ts'
import { TASK_PROGRESS_NAMES } from '../domain/participants/tasks/task-status.ts'
import { viewTasks } from '../domain/participants/tasks/view-tasks.ts'
import type { UseCaseContext } from '../domain/use-case.ts'
import { presentReleaseTime } from './routes/release-time.routes.ts'

export async function myProgrammeSections(context: UseCaseContext) {
  const participations = await Promise.all(
    (await myParticipations(context)).map(async (p) => {
      const [release, tasks, accreditation] = await Promise.all([
        viewReleaseTime(context, p.id),
        viewTasks(context, p.id),
        viewAccreditation(context, p.id),
      ])
      return {
        ...p,
        release: presentReleaseTime(release),
        tasks: tasks.tasks.map((t) => ({ ...t, progressName: TASK_PROGRESS_NAMES[t.progress] })),
        accreditation,
      }
    }),
  )
  return { participations }
}
