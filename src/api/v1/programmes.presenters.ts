// The JSON shapes of the programme catalogue, cohorts and eligibility, and the zod schemas that
// document them in the OpenAPI document. Instants are ISO 8601 with a UK-time reading beside them.
import { z } from 'zod'
import { ELIGIBILITY_REASON_CODES, type Eligibility } from '../../domain/programmes/eligibility.ts'
import {
  COHORT_STATUSES,
  type CohortView,
  type ProgrammeView,
} from '../../domain/programmes/view-programmes.ts'
import { formatUkDate, formatUkDateTime } from '../../lib/uk-time.ts'

const isoDate = z.string().describe('A date, YYYY-MM-DD')

const criterionJson = z.object({
  id: z.string(),
  text: z.string(),
  evidence: z.string().describe('What the applicant gives to show it'),
  wordLimit: z.number().int().nullable().describe('The most words a written answer may use'),
})

const residentialJson = z.object({
  name: z.string(),
  startsOn: isoDate,
  endsOn: isoDate,
  subjectToConfirmation: z.boolean(),
})

const fundingJson = z.object({
  releaseDaysPerYear: z.number().describe('Days of release time funded each year'),
  dayRatePence: z.number().int().describe('Pay for each day of release time, in pence'),
  bursaryPence: z.number().int().describe('A bursary to the school, in pence'),
})

export const cohortSummaryJson = z.object({
  id: z.string().describe('The programme id and the cohort number, like primary-mastery-specialist-11'),
  programmeId: z.string(),
  number: z.number().int(),
  name: z.string().describe('Like "Cohort 11"'),
  developmentYear: z.string().describe('Like 2025/26'),
  status: z
    .enum(COHORT_STATUSES as [string, ...string[]])
    .describe('Where the application window stands now'),
  opensAt: z.string().describe('ISO 8601 instant applications open'),
  opensAtUk: z.string().describe('The same in UK time, like "9am on 2 December 2024"'),
  closesAt: z.string().describe('ISO 8601 instant applications close'),
  closesAtUk: z.string().describe('The same in UK time, like "5pm on 14 March 2025"'),
})

export const cohortJson = cohortSummaryJson.extend({
  programmeName: z.string(),
  decisionsReleasedOn: isoDate,
  decisionsReleasedOnUk: z.string().describe('Like "13 June 2025"'),
  essentialCriteria: z.array(criterionJson),
  desirableCriteria: z.array(criterionJson),
  headteacherCommitments: z.array(z.string()),
  residentials: z.array(residentialJson),
  funding: fundingJson,
})

export const programmeJson = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  phases: z.array(z.string()).describe('The GIAS phases of education whose schools it serves'),
  specialSchoolsOnly: z.boolean(),
  yearStructure: z.array(z.object({ year: z.number().int(), summary: z.string() })),
  cohorts: z.array(cohortSummaryJson).describe('Newest first'),
})

export const eligibilityJson = z.object({
  outcome: z
    .enum(['eligible', 'not-eligible', 'needs-review'])
    .describe('needs-review: the Maths Hub checks the programme suits the school'),
  reasons: z.array(
    z.object({ code: z.enum(ELIGIBILITY_REASON_CODES as [string, ...string[]]), message: z.string() }),
  ),
})

/** A calendar date, YYYY-MM-DD, as "13 June 2025". */
function formatIsoDate(date: string): string {
  return formatUkDate(new Date(`${date}T12:00:00Z`))
}

export function presentCohortSummary(cohort: CohortView): z.infer<typeof cohortSummaryJson> {
  return {
    id: cohort.id,
    programmeId: cohort.programmeId,
    number: cohort.number,
    name: `Cohort ${cohort.number}`,
    developmentYear: cohort.developmentYear,
    status: cohort.status,
    opensAt: cohort.opensAt.toISOString(),
    opensAtUk: formatUkDateTime(cohort.opensAt),
    closesAt: cohort.closesAt.toISOString(),
    closesAtUk: formatUkDateTime(cohort.closesAt),
  }
}

export function presentCohort(cohort: CohortView): z.infer<typeof cohortJson> {
  return {
    ...presentCohortSummary(cohort),
    programmeName: cohort.programmeName,
    decisionsReleasedOn: cohort.decisionsReleasedOn,
    decisionsReleasedOnUk: formatIsoDate(cohort.decisionsReleasedOn),
    essentialCriteria: cohort.essentialCriteria,
    desirableCriteria: cohort.desirableCriteria,
    headteacherCommitments: cohort.headteacherCommitments,
    residentials: cohort.residentials,
    funding: cohort.funding,
  }
}

export function presentProgramme(programme: ProgrammeView): z.infer<typeof programmeJson> {
  return {
    id: programme.id,
    name: programme.name,
    description: programme.description,
    phases: programme.phases,
    specialSchoolsOnly: programme.specialSchoolsOnly,
    yearStructure: programme.yearStructure,
    cohorts: programme.cohorts.map(presentCohortSummary),
  }
}

export function presentEligibility(eligibility: Eligibility): z.infer<typeof eligibilityJson> {
  return { outcome: eligibility.outcome, reasons: eligibility.reasons }
}
