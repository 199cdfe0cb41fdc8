// The real reference data beside the repository (read-only; never copied into it).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const SHARED_DATA = process.env.SHARED_DATA_DIR ?? path.resolve(ROOT, '..', 'shared', 'data')

export const GIAS_OPEN = path.join(SHARED_DATA, 'gias', 'gias_open_establishments_edubasealldata20250524.csv')
export const GIAS_STATE_FUNDED = path.join(
  SHARED_DATA,
  'gias',
  'gias_statefunded_edubaseallstatefunded20250524.csv',
)
export const GIAS_LINKS = path.join(SHARED_DATA, 'gias', 'links_edubasealldata20250422.csv')
export const HUB_AREAS = path.join(SHARED_DATA, 'maths-hubs', 'hub_areas.csv')
export const HUB_AREAS_EXTENDED = path.join(SHARED_DATA, 'maths-hubs', 'hub_areas_extended.csv')

export function sharedDataAvailable(): boolean {
  return fs.existsSync(GIAS_OPEN) && fs.existsSync(HUB_AREAS)
}
