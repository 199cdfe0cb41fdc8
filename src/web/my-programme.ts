// What "Your programme" shows beside the specialist's events, gathered from each area's read model.
import { myParticipations } from '../domain/participants/my-programme.ts'
import type { UseCaseContext } from '../domain/use-case.ts'

export async function myProgrammeSections(context: UseCaseContext) {
  const participations = await myParticipations(context)
  return { participations }
}
