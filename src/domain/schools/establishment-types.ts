// What we derive from a GIAS establishment's type, phase and local authority.

/** The GIAS establishment types in the DfE's state-funded schools extract (edubaseallstatefunded). */
const STATE_FUNDED_TYPES = new Set([
  // Local authority maintained schools
  'Community school',
  'Foundation school',
  'Voluntary aided school',
  'Voluntary controlled school',
  'Local authority nursery school',
  'Pupil referral unit',
  // Academies
  'Academy converter',
  'Academy sponsor led',
  'Academy special converter',
  'Academy special sponsor led',
  'Academy alternative provision converter',
  'Academy alternative provision sponsor led',
  'Academy 16-19 converter',
  'Academy 16 to 19 sponsor led',
  // (An 'Academy secure 16 to 19' is a secure unit; the DfE's state-funded schools extract leaves it out.)
  // Free Schools
  'Free schools',
  'Free schools special',
  'Free schools alternative provision',
  'Free schools 16 to 19',
  'Studio schools',
  'University technical college',
  // Special schools maintained by a local authority
  'Community special school',
  'Foundation special school',
])

/** GIAS type group for each type, for files that give the type but not its group. */
const TYPE_GROUPS: Record<string, string> = {
  'Community school': 'Local authority maintained schools',
  'Foundation school': 'Local authority maintained schools',
  'Voluntary aided school': 'Local authority maintained schools',
  'Voluntary controlled school': 'Local authority maintained schools',
  'Local authority nursery school': 'Local authority maintained schools',
  'Pupil referral unit': 'Local authority maintained schools',
  'Academy converter': 'Academies',
  'Academy sponsor led': 'Academies',
  'Academy special converter': 'Academies',
  'Academy special sponsor led': 'Academies',
  'Academy alternative provision converter': 'Academies',
  'Academy alternative provision sponsor led': 'Academies',
  'Academy 16-19 converter': 'Academies',
  'Academy 16 to 19 sponsor led': 'Academies',
  'Academy secure 16 to 19': 'Academies',
  'Free schools': 'Free Schools',
  'Free schools special': 'Free Schools',
  'Free schools alternative provision': 'Free Schools',
  'Free schools 16 to 19': 'Free Schools',
  'Studio schools': 'Free Schools',
  'University technical college': 'Free Schools',
  'Community special school': 'Special schools',
  'Foundation special school': 'Special schools',
  'Non-maintained special school': 'Special schools',
  'Other independent special school': 'Special schools',
  'City technology college': 'Independent schools',
  'Other independent school': 'Independent schools',
  'Further education': 'Colleges',
  'Sixth form centres': 'Colleges',
  'Higher education institutions': 'Universities',
  'Welsh establishment': 'Welsh schools',
  'Online provider': 'Online provider',
  'British schools overseas': 'Other types',
  'Institution funded by other government department': 'Other types',
  Miscellaneous: 'Other types',
  'Offshore schools': 'Other types',
  'Secure units': 'Other types',
  "Service children's education": 'Other types',
  'Special post 16 institution': 'Other types',
}

export function isStateFundedType(typeName: string): boolean {
  return STATE_FUNDED_TYPES.has(typeName)
}

export function typeGroupOf(typeName: string): string {
  return TYPE_GROUPS[typeName] ?? 'Other types'
}

/**
 * English local authorities have GIAS codes 201-213 (inner London), 301-320 (outer London),
 * 330-394 (metropolitan districts), 420 (Isles of Scilly) and 800-941 (unitary and county).
 * Welsh authorities are 660-681; 701-708 are offshore and overseas; 000 is "does not apply".
 */
export function isEnglishLaCode(laCode: string): boolean {
  if (!/^\d{3}$/.test(laCode)) return false
  const code = Number(laCode)
  return (code >= 200 && code < 600) || (code >= 800 && code < 1000)
}

export function isInEngland(laCode: string, typeGroup: string): boolean {
  return typeGroup !== 'Welsh schools' && isEnglishLaCode(laCode)
}

/** GIAS phases of education, with the slugs used in URLs and the API. */
export const PHASES = {
  nursery: 'Nursery',
  primary: 'Primary',
  'middle-deemed-primary': 'Middle deemed primary',
  'middle-deemed-secondary': 'Middle deemed secondary',
  secondary: 'Secondary',
  'all-through': 'All-through',
  '16-plus': '16 plus',
  'not-applicable': 'Not applicable',
} as const

export type PhaseSlug = keyof typeof PHASES
export const PHASE_SLUGS = Object.keys(PHASES) as PhaseSlug[]

export function phaseFromSlug(slug: string): string | undefined {
  return (PHASES as Record<string, string>)[slug]
}

/** GIAS statuses that mean the establishment is open. */
export function isOpenStatus(status: string): boolean {
  return status === 'Open' || status === 'Open, but proposed to close'
}
