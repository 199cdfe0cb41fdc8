// Release time's fixed lists and their plain names: the halves of a day, the activities a half
// day of release is spent on (from the programmes' own descriptions: residentials, time within the
// hub, planning with the specialist's own department, working with other schools and leading Work
// Groups, the NCETM Accredited PD Lead programme, or teaching for mastery work for a specialist
// already accredited), and who logged an entry.
import type { ReleaseActivity, ReleaseHalf, ReleaseLoggedAs } from '../../../db/schema.ts'

export type { ReleaseActivity, ReleaseHalf, ReleaseLoggedAs }

export const RELEASE_HALVES = ['morning', 'afternoon'] as const satisfies readonly ReleaseHalf[]

export const HALF_NAMES: Record<ReleaseHalf, string> = { morning: 'Morning', afternoon: 'Afternoon' }

export const RELEASE_ACTIVITIES = {
  residential: 'An NCETM residential',
  'hub-work': 'Working within the hub',
  department: 'Planning and development with their own department',
  'other-schools': 'Working with other schools',
  'work-group': 'Leading a Work Group',
  'pd-lead': 'The NCETM Accredited PD Lead programme',
  'teaching-for-mastery': 'Teaching for mastery work, as an Accredited PD Lead already',
} as const satisfies Record<ReleaseActivity, string>

export const RELEASE_ACTIVITY_IDS = Object.keys(RELEASE_ACTIVITIES) as [ReleaseActivity, ...ReleaseActivity[]]

export const LOGGED_AS_NAMES: Record<ReleaseLoggedAs, string> = {
  specialist: 'The specialist',
  hub: 'The hub',
  ncetm: 'NCETM',
}

/** The reason written on every entry a withdrawal reverses. */
export const WITHDRAWN_REASON = 'Withdrawn from the programme'
