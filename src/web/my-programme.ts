// What "Your programme" shows beside the specialist's events, gathered from each area's read model:
// each participation with its stage, and its release time this year.
import { myParticipations } from '../domain/participants/my-programme.ts'
import { viewReleaseTime } from '../domain/participants/release-time/view-release-time.ts'
import type { UseCaseContext } from '../domain/use-case.ts'
import { presentReleaseTime } from './routes/release-time.routes.ts'

export async function myProgrammeSections(context: UseCaseContext) {
  const participations = await Promise.all(
    (await myParticipations(context)).map(async (p) => ({
      ...p,
      release: presentReleaseTime(await viewReleaseTime(context, p.id)),
    })),
  )
  return { participations }
}
