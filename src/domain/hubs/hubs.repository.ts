// SQL for the Maths Hubs and the areas they serve.
import { sql } from 'kysely'
import type { Executor } from '../../db/database.ts'

export interface HubSummary {
  id: string
  name: string
  contactEmail: string | null
  contactPhone: string | null
  website: string | null
  areaCount: number
  /** Open schools in England that the hub serves. */
  schoolCount: number
}

export interface HubArea {
  laCode: string
  laName: string | null
  schoolCount: number
}

export interface Hub extends HubSummary {
  leadSchool: { urn: number; name: string | null } | null
  areas: HubArea[]
}

/** Open schools in England per hub, counting per-school overrides. */
const SCHOOL_COUNTS = sql`
  SELECT coalesce(o.hub_id, a.hub_id) AS hub_id, count(*)::int AS schools
  FROM schools s
  LEFT JOIN school_hub_overrides o ON o.urn = s.urn
  LEFT JOIN hub_areas a ON a.la_code = s.la_code
  WHERE s.open AND s.in_england
  GROUP BY 1`

/** Every hub, or just the one with the given id. */
export async function listHubs(db: Executor, only?: { id: string }): Promise<HubSummary[]> {
  const result = await sql<{
    id: string
    name: string
    contact_email: string | null
    contact_phone: string | null
    website: string | null
    areas: number
    schools: number
  }>`
    SELECT h.id, h.name, h.contact_email, h.contact_phone, h.website,
      (SELECT count(*)::int FROM hub_areas a WHERE a.hub_id = h.id) AS areas,
      coalesce(c.schools, 0) AS schools
    FROM hubs h
    LEFT JOIN (${SCHOOL_COUNTS}) c ON c.hub_id = h.id
    ${only ? sql`WHERE h.id = ${only.id}` : sql``}
    ORDER BY h.name`.execute(db)
  return result.rows.map((r) => ({
    id: r.id,
    name: r.name,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    website: r.website,
    areaCount: r.areas,
    schoolCount: r.schools,
  }))
}

/** A hub's name alone, for headings and links (findHub also counts its areas' schools). */
export async function findHubName(db: Executor, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('hubs').select('name').where('id', '=', id).executeTakeFirst()
  return row?.name
}

export async function findHub(db: Executor, id: string): Promise<Hub | undefined> {
  const [hub] = await listHubs(db, { id })
  if (!hub) return undefined
  const details = await db
    .selectFrom('hubs as h')
    .leftJoin('schools as s', 's.urn', 'h.lead_school_urn')
    .select(['h.lead_school_urn', 's.name as lead_school_name'])
    .where('h.id', '=', id)
    .executeTakeFirstOrThrow()
  const areas = await sql<{ la_code: string; la_name: string | null; schools: number }>`
    SELECT a.la_code, a.la_name,
      (SELECT count(*)::int FROM schools s
        WHERE s.la_code = a.la_code AND s.open AND s.in_england
          AND NOT EXISTS (SELECT 1 FROM school_hub_overrides o WHERE o.urn = s.urn)) AS schools
    FROM hub_areas a WHERE a.hub_id = ${id}
    ORDER BY a.la_name, a.la_code`.execute(db)
  return {
    ...hub,
    leadSchool: details.lead_school_urn
      ? { urn: details.lead_school_urn, name: details.lead_school_name }
      : null,
    areas: areas.rows.map((a) => ({ laCode: a.la_code, laName: a.la_name, schoolCount: a.schools })),
  }
}

export async function hubIdExists(db: Executor, id: string): Promise<boolean> {
  const row = await db.selectFrom('hubs').select('id').where('id', '=', id).executeTakeFirst()
  return row !== undefined
}
