// The JSON shape of an application, and the zod schema that documents it in the OpenAPI document.
// Instants are ISO 8601 (UTC); an application's parts not yet answered are null.
import { z } from 'zod'
import { pagedJson } from '../../lib/paging.ts'
import { APPLICATION_STATES, STATE_NAMES } from '../../domain/applications/application.states.ts'
import type { Application } from '../../domain/applications/applications.repository.ts'
import {
  APPLICATION_OUTCOMES,
  OUTCOME_NAMES,
  type ApplicationOutcome,
} from '../../domain/selection/offers/offers-outcomes.ts'

const instant = (description: string) => z.string().nullable().describe(`ISO 8601 instant ${description}`)

export const applicationJson = z.object({
  id: z.number().int(),
  reference: z.string().describe('The reference people read out, like MH-7K3Q9T2D'),
  cohortId: z.string().describe('Like primary-mastery-specialist-13'),
  programmeId: z.string(),
  programmeName: z.string(),
  state: z.enum(APPLICATION_STATES),
  stateName: z.string().describe('The state in plain words, as the teacher sees it'),
  outcome: z
    .enum(APPLICATION_OUTCOMES)
    .nullable()
    .describe(
      'Once the hub’s decisions are released: the outcome (a place offered, accepted, declined or lapsed; reserve; not selected)',
    ),
  outcomeName: z.string().nullable().describe('The outcome in plain words'),
  schoolUrn: z.number().int().nullable().describe('The school the teacher teaches at, once chosen'),
  schoolName: z.string().nullable(),
  hubId: z.string().nullable().describe('The Maths Hub serving the school when it was chosen'),
  hubName: z.string().nullable(),
  eligibility: z
    .object({
      outcome: z.enum(['eligible', 'not-eligible', 'needs-review']),
      reasons: z.array(z.object({ code: z.string(), message: z.string() })),
    })
    .nullable()
    .describe('Whether the school can take part in the programme, checked when it was chosen'),
  teaching: z.object({
    hasQts: z.boolean().nullable(),
    trn: z.string().nullable().describe('Teacher reference number: 7 digits'),
    yearsTeachingMaths: z.number().int().nullable(),
    currentRole: z.string().nullable(),
    classesTaught: z.string().nullable(),
  }),
  evidence: z.record(z.string(), z.string()).describe('Answers by criterion id'),
  headteacher: z
    .object({ name: z.string(), email: z.string() })
    .nullable()
    .describe('The headteacher asked to endorse the application'),
  endorsedAt: instant('the headteacher endorsed the application'),
  endorsementDeclinedAt: instant('the headteacher declined to endorse it'),
  endorsementDeclineReason: z.string().nullable(),
  submittedAt: instant('the application was submitted'),
  withdrawnAt: instant('the application was withdrawn'),
  createdAt: z.string().describe('ISO 8601 instant the application was started'),
  updatedAt: z.string().describe('ISO 8601 instant of the last change'),
  links: z.object({
    self: z.string().describe('This application in the API'),
    page: z.string().describe('This application’s page on the service'),
  }),
})

export const applicationListJson = pagedJson(applicationJson)

export const routingQueueJson = pagedJson(
  z.object({
    application: applicationJson,
    suggestedHub: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .describe('The hub serving the school now, if its area has been given to one since'),
  }),
)

export function applicationPath(id: number): string {
  return `/api/v1/applications/${id}`
}

export function presentApplication(
  application: Application,
  outcome: ApplicationOutcome | null = null,
): z.infer<typeof applicationJson> {
  const t = application.teaching
  return {
    id: application.id,
    reference: application.reference,
    cohortId: application.cohortId,
    programmeId: application.programmeId,
    programmeName: application.programmeName,
    state: application.state,
    stateName: STATE_NAMES[application.state],
    outcome,
    outcomeName: outcome ? OUTCOME_NAMES[outcome] : null,
    schoolUrn: application.schoolUrn,
    schoolName: application.schoolName,
    hubId: application.hubId,
    hubName: application.hubName,
    eligibility: application.eligibility,
    teaching: {
      hasQts: t.hasQts ?? null,
      trn: t.trn ?? null,
      yearsTeachingMaths: t.yearsTeachingMaths ?? null,
      currentRole: t.currentRole ?? null,
      classesTaught: t.classesTaught ?? null,
    },
    evidence: application.evidence,
    headteacher:
      application.headteacherName !== null && application.headteacherEmail !== null
        ? { name: application.headteacherName, email: application.headteacherEmail }
        : null,
    endorsedAt: application.endorsedAt?.toISOString() ?? null,
    endorsementDeclinedAt: application.endorsementDeclinedAt?.toISOString() ?? null,
    endorsementDeclineReason: application.endorsementDeclineReason,
    submittedAt: application.submittedAt?.toISOString() ?? null,
    withdrawnAt: application.withdrawnAt?.toISOString() ?? null,
    createdAt: application.createdAt.toISOString(),
    updatedAt: application.updatedAt.toISOString(),
    links: { self: applicationPath(application.id), page: `/applications/${application.id}` },
  }
}
