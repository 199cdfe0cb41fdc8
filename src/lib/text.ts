// Small text helpers shared by import and search.

/** Lower case, accents and punctuation folded, single spaces: "St Mary's C.E." -> "st marys ce". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`.]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

const FULL_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$/
const OUTWARD_CODE = /^[A-Z]{1,2}\d[A-Z\d]?$/

/** "sw1a1aa" -> "SW1A 1AA"; anything not shaped like a UK postcode is trimmed and upper-cased. */
export function formatPostcode(raw: string): string {
  const upper = raw.trim().toUpperCase().replace(/\s+/g, ' ')
  const match = FULL_POSTCODE.exec(upper)
  return match ? `${match[1]} ${match[2]}` : upper
}

export function postcodeKey(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, '')
}

export type PostcodeQuery = { kind: 'full'; key: string } | { kind: 'outward'; outward: string }

/** Reads a search query as a full postcode or an outward code ("LS6"), or undefined. */
export function asPostcodeQuery(query: string): PostcodeQuery | undefined {
  const upper = query.trim().toUpperCase()
  if (FULL_POSTCODE.test(upper)) return { kind: 'full', key: postcodeKey(upper) }
  if (OUTWARD_CODE.test(upper) && /\d/.test(upper)) return { kind: 'outward', outward: upper }
  return undefined
}

/** A URN is a whole number of six or seven digits. */
export function asUrnQuery(query: string): number | undefined {
  const trimmed = query.trim()
  return /^\d{6,7}$/.test(trimmed) ? Number(trimmed) : undefined
}

export function slugify(text: string): string {
  return foldForSearch(text).replace(/ /g, '-')
}

// What a person can type and the database can keep: PostgreSQL stores no NUL, and jsonb no half
// of a surrogate pair (which JSON carries as "\ud800" but no browser sends).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Text on one line: no control characters and no lone surrogate halves. */
export function isPlainLine(text: string): boolean {
  return !CONTROL.test(text) && !LONE_SURROGATE.test(text)
}

/** Text of one or more lines: as a line, but tabs and line breaks are allowed. */
export function isPlainText(text: string): boolean {
  return !CONTROL_BUT_LINE_BREAKS.test(text) && !LONE_SURROGATE.test(text)
}
