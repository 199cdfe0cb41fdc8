// Use-case: "find your hub". Matches schools by name, URN (old URNs find their successor) or
// postcode, and says which hub serves each and how to contact it.
import type { Executor } from '../../db/database.ts'
import type { PageRequest, Paged } from '../../lib/paging.ts'
import {
  linkedSchools,
  searchSchools,
  suggestSchoolNames,
  type SchoolSummary,
} from '../schools/schools.repository.ts'

export interface HubContact {
  id: string
  name: string
  contactEmail: string | null
  contactPhone: string | null
  website: string | null
}

export interface FindHubResult extends Omit<SchoolSummary, 'hub'> {
  hub: HubContact | null
  /** For a closed school, the open school that replaced it. */
  successor: { urn: number; name: string | null } | null
}

/** Schools on a page of "find your hub": each comes with its hub's contact details. */
export const FIND_HUB_PAGE_SIZE = 10

export interface FindHubPage extends Paged<FindHubResult> {
  /** When nothing matched: names of schools that nearly match, for "Did you mean …?". */
  suggestions: string[]
}

export async function findHubFor(
  db: Executor,
  query: string,
  request: PageRequest = { page: 1, pageSize: FIND_HUB_PAGE_SIZE },
): Promise<FindHubPage> {
  const paged = await searchSchools(db, { q: query, ...request })
  const suggestions = paged.total === 0 ? await suggestSchoolNames(db, query) : []
  return { ...paged, items: await withHubs(db, paged.items), suggestions }
}

async function withHubs(db: Executor, items: SchoolSummary[]): Promise<FindHubResult[]> {
  if (items.length === 0) return []
  const hubIds = [...new Set(items.flatMap((s) => (s.hub ? [s.hub.id] : [])))]
  const hubs =
    hubIds.length === 0
      ? []
      : await db
          .selectFrom('hubs')
          .select(['id', 'name', 'contact_email', 'contact_phone', 'website'])
          .where('id', 'in', hubIds)
          .execute()
  const hubById = new Map(
    hubs.map((h) => [
      h.id,
      {
        id: h.id,
        name: h.name,
        contactEmail: h.contact_email,
        contactPhone: h.contact_phone,
        website: h.website,
      },
    ]),
  )
  return Promise.all(
    items.map(async (school) => {
      let successor: FindHubResult['successor'] = null
      if (!school.open) {
        const { successors } = await linkedSchools(db, school.urn)
        const current = successors.find((s) => s.open) ?? successors[0]
        if (current) successor = { urn: current.urn, name: current.name }
      }
      return { ...school, hub: school.hub ? (hubById.get(school.hub.id) ?? null) : null, successor }
    }),
  )
}
