// Pages for a school's teaching-for-mastery journey: its timeline across years (NCETM, the serving
// hub's team, the school's own contacts), and recording a move to the next stage with its date and
// evidence (the hub's team and NCETM's national administrators). A refusal shows the form again
// (422) with the GOV.UK error summary and changes nothing; anyone who may not see the school is
// answered "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { urnParam } from '../../domain/schools/school-queries.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { MASTERY_STAGE_NAMES, STAGE_MOVES } from '../../domain/work-groups/journey/journey.stages.ts'
import { recordStageMove } from '../../domain/work-groups/journey/record-stage-move.ts'
import { viewSchoolJourney } from '../../domain/work-groups/journey/view-school-journey.ts'
import { STATE_NAMES } from '../../domain/work-groups/work-group.states.ts'
import { ValidationError } from '../../errors.ts'
import { dateFieldValue, firstValues } from '../forms.ts'
import { errorsOf } from '../page.ts'
import { guarded, notFound } from '../route-params.ts'

export interface SchoolJourneyRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const INTEREST_STATUS: Record<string, string> = {
  'awaiting-support': 'Waiting for the school’s leaders to support it',
  ready: 'Waiting for the hub’s decision',
  accepted: 'In a group',
  waiting: 'On the waiting list',
  declined: 'Not offered a place',
  withdrawn: 'Withdrawn',
}

export function schoolJourneyRoutes(app: FastifyInstance, deps: SchoolJourneyRouteDeps): void {
  app.get(
    '/schools/:urn/journey',
    guarded(async (request, reply) => {
      const parsed = urnParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const journey = await viewSchoolJourney(deps.context(request), parsed.data.urn)
      return reply.view('school-journey.njk', {
        pageTitle: `Teaching for mastery journey: ${journey.school.name}`,
        ...journey,
        currentName: journey.current ? MASTERY_STAGE_NAMES[journey.current.stage] : null,
        stages: journey.stages.map((s) => ({ ...s, stageName: MASTERY_STAGE_NAMES[s.stage] })),
        groups: journey.groups.map((g) => ({
          ...g,
          statusName: INTEREST_STATUS[g.status] ?? g.status,
          stateName: g.workGroupState ? STATE_NAMES[g.workGroupState] : null,
        })),
        saved:
          firstValues(request.query).saved === 'stage' ? 'The school’s stage has been recorded' : undefined,
      })
    }),
  )

  async function stageForm(
    request: FastifyRequest,
    reply: FastifyReply,
    urn: number,
    extra: Record<string, unknown> = {},
  ) {
    const journey = await viewSchoolJourney(deps.context(request), urn)
    if (!journey.canRecordMove) return notFound(reply)
    const next = STAGE_MOVES[journey.current?.stage ?? 'none']
    return reply.view('school-journey-stage.njk', {
      pageTitle: `Record a stage move: ${journey.school.name}`,
      school: journey.school,
      current: journey.current,
      currentName: journey.current ? MASTERY_STAGE_NAMES[journey.current.stage] : null,
      choices: next.map((s) => ({ value: s, text: MASTERY_STAGE_NAMES[s] })),
      values: {},
      ...extra,
    })
  }

  app.get(
    '/schools/:urn/journey/stage',
    guarded(async (request, reply) => {
      const parsed = urnParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return stageForm(request, reply, parsed.data.urn)
    }),
  )

  app.post(
    '/schools/:urn/journey/stage',
    guarded(async (request, reply) => {
      const parsed = urnParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const body = firstValues(request.body)
      try {
        await recordStageMove(deps.context(request), parsed.data.urn, {
          stage: body.stage ?? '',
          movedOn: dateFieldValue(body, 'movedOn'),
          evidence: body.evidence ?? '',
        })
        return reply.redirect(`/schools/${parsed.data.urn}/journey?saved=stage`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return stageForm(request, reply.code(422), parsed.data.urn, {
          ...errorsOf(error.errors, ['stage', 'movedOn', 'evidence'], ['movedOn']),
          values: {
            stage: body.stage,
            evidence: body.evidence,
            movedOn: { day: body['movedOn.day'], month: body['movedOn.month'], year: body['movedOn.year'] },
          },
        })
      }
    }),
  )
}
