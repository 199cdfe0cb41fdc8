// Validated input for reading the register, shared by the web pages and the API so they cannot drift.
import { z } from 'zod'
import { pageParam, pageSizeParam, pagingParams } from '../../lib/paging.ts'
import { wholeNumberText } from '../../lib/whole-number.ts'
import { FIND_HUB_PAGE_SIZE } from '../hubs/find-hub.ts'
import { PHASE_SLUGS, phaseFromSlug } from './establishment-types.ts'

export const MAX_QUERY_LENGTH = 100

/** URNs the register holds: GIAS's whole numbers of up to 9 digits (the import's rule). */
export const URN_RANGE = { min: 1, max: 999_999_999, example: 100000 }

export const schoolQuery = z
  .string()
  .trim()
  .max(MAX_QUERY_LENGTH, `Search must be ${MAX_QUERY_LENGTH} characters or fewer`)

export const schoolSearchParams = z.object({
  q: schoolQuery
    .optional()
    .describe('School name, URN (an old URN finds the school that replaced it) or postcode'),
  phase: z
    .enum(PHASE_SLUGS as [string, ...string[]], { message: `Phase must be one of ${PHASE_SLUGS.join(', ')}` })
    .optional()
    .describe('Phase of education'),
  la: z
    .string()
    .regex(/^\d{3}$/, 'Local authority must be a three-digit LA code, like 201')
    .optional()
    .describe('GIAS local authority code'),
  hub: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Hub must be a hub id, like boolean-maths-hub')
    .max(100)
    .optional()
    .describe('Hub id'),
  open: z.enum(['true', 'false'], { message: 'Open must be true or false' }).optional(),
  ...pagingParams(20, 100),
})

export type SchoolSearchParams = z.infer<typeof schoolSearchParams>

export function toSchoolSearch(params: SchoolSearchParams) {
  return {
    q: params.q,
    phase: params.phase ? phaseFromSlug(params.phase) : undefined,
    la: params.la,
    hub: params.hub,
    open: params.open === undefined ? undefined : params.open === 'true',
    page: params.page,
    pageSize: params.pageSize,
  }
}

export const findHubQuery = z.object({
  q: z
    .string({ message: 'Enter a school name, URN or postcode' })
    .trim()
    .min(2, 'Enter at least 2 characters of a school name, URN or postcode')
    .max(MAX_QUERY_LENGTH, `Search must be ${MAX_QUERY_LENGTH} characters or fewer`),
  page: pageParam,
})

/** The API's "find your hub": the page's size may be chosen too. */
export const findHubApiQuery = findHubQuery.extend({ pageSize: pageSizeParam(FIND_HUB_PAGE_SIZE, 50) })

export const urnParam = z.object({
  urn: wholeNumberText('URN', URN_RANGE),
})

export const hubIdParam = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Hub id must be lower-case words joined by hyphens')
    .max(100),
})
