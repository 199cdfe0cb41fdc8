// The JSON shapes of API v1, and the zod schemas that document them in the OpenAPI document.
import { z } from 'zod'
import { pagedJson } from '../../lib/paging.ts'
import type { FindHubResult } from '../../domain/hubs/find-hub.ts'
import type { Hub, HubSummary } from '../../domain/hubs/hubs.repository.ts'
import type { LinkedSchool, School, SchoolSummary } from '../../domain/schools/schools.repository.ts'

export const errorBody = z
  .object({
    errors: z.array(
      z.object({
        code: z.string(),
        field: z.string().optional(),
        message: z.string(),
      }),
    ),
  })
  .describe('What went wrong, one entry per problem, each naming the field where there is one')

const hubRef = z.object({ id: z.string(), name: z.string() }).nullable()

export const schoolSummaryJson = z.object({
  urn: z.number().int(),
  name: z.string(),
  type: z.string().describe('GIAS TypeOfEstablishment'),
  typeGroup: z.string().describe('GIAS EstablishmentTypeGroup'),
  phase: z.string().describe('GIAS PhaseOfEducation'),
  laCode: z.string(),
  laName: z.string(),
  postcode: z.string().nullable(),
  town: z.string().nullable(),
  open: z.boolean(),
  status: z.string(),
  inEngland: z.boolean(),
  stateFunded: z.boolean(),
  hub: hubRef.describe('The Maths Hub serving the school, or null where none is recorded yet'),
})

const linkedJson = z.object({
  urn: z.number().int(),
  name: z.string().nullable(),
  linkType: z.string(),
  establishedOn: z.string().nullable(),
  inRegister: z.boolean(),
})

export const schoolJson = schoolSummaryJson.extend({
  pupils: z.number().int().nullable(),
  percentageFsm: z.number().nullable().describe('Percentage of pupils eligible for free school meals'),
  trustName: z.string().nullable(),
  hubOverridden: z.boolean().describe('True when the school is served by a hub other than its LA’s'),
  successorUrn: z
    .number()
    .int()
    .nullable()
    .describe('For a closed school, the URN of the school that replaced it'),
  predecessors: z.array(linkedJson),
  successors: z.array(linkedJson),
})

export const schoolPageJson = pagedJson(schoolSummaryJson)

export const hubSummaryJson = z.object({
  id: z.string(),
  name: z.string(),
  contactEmail: z.string().nullable(),
  contactPhone: z.string().nullable(),
  website: z.string().nullable(),
  areaCount: z.number().int(),
  schoolCount: z.number().int().describe('Open schools in England the hub serves'),
})

export const hubJson = hubSummaryJson.extend({
  leadSchool: z.object({ urn: z.number().int(), name: z.string().nullable() }).nullable(),
  areas: z.array(
    z.object({ laCode: z.string(), laName: z.string().nullable(), schoolCount: z.number().int() }),
  ),
})

export const findHubResultJson = schoolSummaryJson.extend({
  hub: z
    .object({
      id: z.string(),
      name: z.string(),
      contactEmail: z.string().nullable(),
      contactPhone: z.string().nullable(),
      website: z.string().nullable(),
    })
    .nullable(),
  successor: z.object({ urn: z.number().int(), name: z.string().nullable() }).nullable(),
})

export const findHubJson = pagedJson(findHubResultJson).extend({
  suggestions: z
    .array(z.string())
    .describe('When nothing matched: names of open schools that nearly match ("Did you mean …?")'),
})

export const hubPageJson = pagedJson(hubSummaryJson)

export function presentSchoolSummary(school: SchoolSummary): z.infer<typeof schoolSummaryJson> {
  return {
    urn: school.urn,
    name: school.name,
    type: school.typeName,
    typeGroup: school.typeGroup,
    phase: school.phase,
    laCode: school.laCode,
    laName: school.laName,
    postcode: school.postcode,
    town: school.town,
    open: school.open,
    status: school.status,
    inEngland: school.inEngland,
    stateFunded: school.stateFunded,
    hub: school.hub,
  }
}

function presentLinked(link: LinkedSchool) {
  return {
    urn: link.urn,
    name: link.name,
    linkType: link.linkType,
    establishedOn: link.establishedOn,
    inRegister: link.inRegister,
  }
}

export function presentSchool(
  school: School,
  links: { predecessors: LinkedSchool[]; successors: LinkedSchool[] },
): z.infer<typeof schoolJson> {
  const current = links.successors.find((s) => s.open) ?? links.successors[0]
  return {
    ...presentSchoolSummary(school),
    pupils: school.pupils,
    percentageFsm: school.percentageFsm,
    trustName: school.trustName,
    hubOverridden: school.hubOverridden,
    successorUrn: school.open ? null : (current?.urn ?? null),
    predecessors: links.predecessors.map(presentLinked),
    successors: links.successors.map(presentLinked),
  }
}

export function presentHubSummary(hub: HubSummary): z.infer<typeof hubSummaryJson> {
  return {
    id: hub.id,
    name: hub.name,
    contactEmail: hub.contactEmail,
    contactPhone: hub.contactPhone,
    website: hub.website,
    areaCount: hub.areaCount,
    schoolCount: hub.schoolCount,
  }
}

export function presentHub(hub: Hub): z.infer<typeof hubJson> {
  return { ...presentHubSummary(hub), leadSchool: hub.leadSchool, areas: hub.areas }
}

export function presentFindHubResult(r: FindHubResult): z.infer<typeof findHubResultJson> {
  return { ...presentSchoolSummary({ ...r, hub: null }), hub: r.hub, successor: r.successor }
}
