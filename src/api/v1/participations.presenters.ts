// The JSON shapes of participations (a specialist's place on a programme), their dated stages and
// the history of every move, and the zod schemas that document them in the OpenAPI document.
import { z } from 'zod'
import { PARTICIPATION_STAGES, STAGE_NAMES } from '../../domain/participants/participation.states.ts'
import type { ParticipationSummary, ParticipationView } from '../../domain/participants/view-participation.ts'

const isoDate = z.string().describe('A UK calendar date, YYYY-MM-DD')
const stage = z.enum(PARTICIPATION_STAGES)

export const participationSummaryJson = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  personName: z.string(),
  cohortId: z.string().describe('The cohort the specialist is in now (a deferral moves them)'),
  hubId: z.string().nullable(),
  startedAt: z.string().describe('When the place was confirmed, an ISO 8601 instant'),
  currentStage: stage.nullable().describe('The stage on today’s UK date'),
  currentStageName: z.string().nullable().describe('The stage in words, like "Development year 1"'),
})

export const participationJson = participationSummaryJson.extend({
  stages: z
    .array(
      z.object({
        stage,
        startsOn: isoDate,
        endsOn: isoDate.nullable().describe('The day after the stage’s last; null while it lasts'),
        reason: z.string().nullable().describe('Why, for a deferral or a withdrawal'),
      }),
    )
    .describe('Dated periods that never overlap, oldest first'),
  history: z
    .array(
      z.object({
        event: z.string().describe('start, begin-year-two, become-active, defer, resume or withdraw'),
        fromStage: stage.nullable(),
        toStage: stage,
        reason: z.string().nullable(),
        fromCohortId: z.string().nullable(),
        toCohortId: z.string().nullable(),
        effectiveOn: isoDate,
        at: z.string().describe('When the change was recorded, an ISO 8601 instant'),
      }),
    )
    .describe('Every move, in the order recorded'),
})

export const participationListJson = z.object({ items: z.array(participationSummaryJson) })
export const ownParticipationsJson = z.object({ items: z.array(participationJson) })

export function presentParticipationSummary(
  p: ParticipationSummary,
): z.infer<typeof participationSummaryJson> {
  return {
    id: p.id,
    personId: p.personId,
    personName: p.personName,
    cohortId: p.cohortId,
    hubId: p.hubId,
    startedAt: p.startedAt.toISOString(),
    currentStage: p.currentStage,
    currentStageName: p.currentStage ? STAGE_NAMES[p.currentStage] : null,
  }
}

export function presentParticipation(p: ParticipationView): z.infer<typeof participationJson> {
  return {
    ...presentParticipationSummary(p),
    stages: p.stages.map((s) => ({
      stage: s.stage,
      startsOn: s.startsOn,
      endsOn: s.endsOn,
      reason: s.reason,
    })),
    history: p.history.map((h) => ({ ...h, at: h.at.toISOString() })),
  }
}
