// The allocation map: schools and their groups' hosts drawn from the register's Easting/Northing
// (metres, British National Grid) into an SVG viewBox, north up, with a line from each school to
// where its group meets. Colours come from a palette that keeps adjacent groups apart; every group
// is also told apart by its number, so the map never relies on colour alone.
import type { PlanView } from '../domain/work-groups/allocation-plans/view-allocation.ts'

/** Eight colours with at least 3:1 contrast against white. */
const PALETTE = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92', '#b58840', '#d53880', '#28a197', '#505a5f']

export interface MapPoint {
  x: number
  y: number
}

export interface MapGroup {
  number: number
  name: string
  colour: string
  host: MapPoint & { name: string }
  schools: (MapPoint & { name: string; urn: number })[]
}

export interface AllocationMap {
  width: number
  height: number
  groups: MapGroup[]
  /** The scale bar: its length in the viewBox and in kilometres. */
  scale: { length: number; kilometres: number }
}

const WIDTH = 640
const MARGIN = 24

export function allocationMap(plan: PlanView): AllocationMap | undefined {
  const points = plan.groups.flatMap((g) => [
    { easting: g.easting, northing: g.northing },
    ...g.schools.flatMap((s) => (s.location ? [s.location] : [])),
  ])
  if (points.length === 0) return undefined
  const minE = Math.min(...points.map((p) => p.easting))
  const maxE = Math.max(...points.map((p) => p.easting))
  const minN = Math.min(...points.map((p) => p.northing))
  const maxN = Math.max(...points.map((p) => p.northing))
  const span = Math.max(maxE - minE, maxN - minN, 1_000)
  const scale = (WIDTH - 2 * MARGIN) / span
  const height = Math.round((maxN - minN) * scale + 2 * MARGIN)
  const at = (p: { easting: number; northing: number }): MapPoint => ({
    x: Math.round((p.easting - minE) * scale + MARGIN),
    y: Math.round((maxN - p.northing) * scale + MARGIN),
  })
  const kilometres = [1, 2, 5, 10, 20, 50, 100].find((k) => k * 1_000 * scale >= WIDTH / 6) ?? 100
  return {
    width: WIDTH,
    height: Math.max(height, 120),
    groups: plan.groups.map((g, i) => ({
      number: i + 1,
      name: g.name,
      colour: PALETTE[i % PALETTE.length]!,
      host: { ...at(g), name: g.hostName },
      schools: g.schools.flatMap((s) =>
        s.location ? [{ ...at(s.location), name: s.name, urn: s.urn }] : [],
      ),
    })),
    scale: { length: Math.round(kilometres * 1_000 * scale), kilometres },
  }
}
