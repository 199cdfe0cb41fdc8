// The event form (scheduling and moving an event) as the page shows it and as the use-cases take
// it. Fields are named by the use-cases' paths: days.0.startsAt.day (a date and a time in UK time,
// on the 24-hour clock), venues.1.capacity. A row left blank is ignored; a date or time that is not
// on the calendar is said here, field by field, before the use-case is asked.
import type { EventRecord } from '../domain/events/events.repository.ts'
import type { FieldError } from '../errors.ts'
import { parseUkDateTime, toUkWallClock } from '../lib/uk-time.ts'

export const DAY_ROWS = 3
export const VENUE_ROWS = 2

export interface DateTimeText {
  day: string
  month: string
  year: string
  hour: string
  minute: string
}

export interface EventFormValues {
  kind: string
  title: string
  participationId: string
  halfDays: string
  days: { startsAt: DateTimeText; endsAt: DateTimeText }[]
  venues: { name: string; address: string; capacity: string }[]
}

const BLANK_TIME: DateTimeText = { day: '', month: '', year: '', hour: '', minute: '' }

function text(d: Date): DateTimeText {
  const w = toUkWallClock(d)
  return {
    day: String(w.day),
    month: String(w.month),
    year: String(w.year),
    hour: String(w.hour).padStart(2, '0'),
    minute: String(w.minute).padStart(2, '0'),
  }
}

function padded(values: EventFormValues): EventFormValues {
  const days = [...values.days]
  while (days.length < DAY_ROWS) days.push({ startsAt: { ...BLANK_TIME }, endsAt: { ...BLANK_TIME } })
  const venues = [...values.venues]
  while (venues.length < VENUE_ROWS) venues.push({ name: '', address: '', capacity: '' })
  return { ...values, days, venues }
}

export function blankEventForm(kind: string): EventFormValues {
  return padded({ kind, title: '', participationId: '', halfDays: '', days: [], venues: [] })
}

export function eventFormValues(event: EventRecord): EventFormValues {
  return padded({
    kind: event.kind,
    title: event.title,
    participationId: event.participationId === null ? '' : String(event.participationId),
    halfDays: event.halfDays === null ? '' : String(event.halfDays),
    days: event.days.map((d) => ({ startsAt: text(d.startsAt), endsAt: text(d.endsAt) })),
    venues: event.venues.map((v) => ({ name: v.name, address: v.address, capacity: String(v.capacity) })),
  })
}

export function readEventForm(body: Record<string, string>): EventFormValues {
  const get = (key: string) => (body[key] ?? '').trim()
  const time = (p: string): DateTimeText => ({
    day: get(`${p}.day`),
    month: get(`${p}.month`),
    year: get(`${p}.year`),
    hour: get(`${p}.hour`),
    minute: get(`${p}.minute`),
  })
  return padded({
    kind: get('kind'),
    title: get('title'),
    participationId: get('participationId'),
    halfDays: get('halfDays'),
    days: Array.from({ length: DAY_ROWS }, (_, i) => ({
      startsAt: time(`days.${i}.startsAt`),
      endsAt: time(`days.${i}.endsAt`),
    })),
    venues: Array.from({ length: VENUE_ROWS }, (_, i) => ({
      name: get(`venues.${i}.name`),
      address: get(`venues.${i}.address`),
      capacity: get(`venues.${i}.capacity`),
    })),
  })
}

const blankTime = (t: DateTimeText) => Object.values(t).every((v) => v === '')

function instant(t: DateTimeText): string | undefined {
  const parts = [t.day, t.month, t.year, t.hour, t.minute]
  if (!parts.every((p) => /^\d{1,4}$/.test(p))) return undefined
  const [day, month, year, hour, minute] = parts.map(Number) as [number, number, number, number, number]
  if (year < 2000) return undefined
  try {
    return parseUkDateTime({ year, month, day, hour, minute }).toISOString()
  } catch {
    return undefined
  }
}

/** The form as the use-cases take it, or the problems with its dates and times. */
export function eventInputOf(values: EventFormValues): {
  input: {
    kind: string
    title: string
    participationId?: string
    halfDays?: string
    days: { startsAt: string; endsAt: string }[]
    venues: { name: string; address: string; capacity: string }[]
  }
  errors: FieldError[]
  /** Which form row each day and venue the use-case is given came from. */
  rows: FormRows
} {
  const errors: FieldError[] = []
  const rows: FormRows = { days: [], venues: [] }
  const days: { startsAt: string; endsAt: string }[] = []
  values.days.forEach((d, i) => {
    if (blankTime(d.startsAt) && blankTime(d.endsAt)) return
    const startsAt = instant(d.startsAt)
    const endsAt = instant(d.endsAt)
    if (!startsAt)
      errors.push({
        code: 'invalid',
        field: `days.${i}.startsAt`,
        message: `Enter when day ${i + 1} starts as a real date and time, like 12 11 2026 09 30`,
      })
    if (!endsAt)
      errors.push({
        code: 'invalid',
        field: `days.${i}.endsAt`,
        message: `Enter when day ${i + 1} ends as a real date and time, like 12 11 2026 16 30`,
      })
    if (startsAt && endsAt) {
      days.push({ startsAt, endsAt })
      rows.days.push(i)
    }
  })
  const venues = values.venues.filter((v, i) => {
    const used = v.name !== '' || v.address !== '' || v.capacity !== ''
    if (used) rows.venues.push(i)
    return used
  })
  return {
    input: {
      kind: values.kind,
      title: values.title,
      ...(values.participationId ? { participationId: values.participationId } : {}),
      ...(values.halfDays ? { halfDays: values.halfDays } : {}),
      days,
      venues,
    },
    errors,
    rows,
  }
}

export interface FormRows {
  days: number[]
  venues: number[]
}

/** A use-case's field (days.1.endsAt of the days it was given) as the form's row names it. */
export function formRowField(field: string, rows: FormRows): string {
  return field.replace(/^(days|venues)\.(\d+)/, (whole, list: 'days' | 'venues', n: string) => {
    const row = rows[list][Number(n)]
    return row === undefined ? whole : `${list}.${row}`
  })
}

/** The id of the form field a problem names: a date and time group's first box. */
export function eventFieldOf(field: string): string | undefined {
  if (['event', 'form', 'cohortId', 'hubId'].includes(field)) return undefined
  if (/^days\.\d+\.(startsAt|endsAt)$/.test(field)) return `${field}.day`
  if (field === 'days') return 'days.0.startsAt.day'
  if (field === 'venues') return 'venues.0.name'
  if (/^venues\.\d+$/.test(field)) return `${field}.name`
  return field
}

/** Problems as the error summary lists them, and each field's (or date group's) message. */
export function eventFormErrors(errors: { field: string; message: string }[]): {
  summary: { text: string; href?: string }[]
  byField: Record<string, { text: string }>
} {
  const summary: { text: string; href?: string }[] = []
  const byField: Record<string, { text: string }> = {}
  for (const error of errors) {
    const id = eventFieldOf(error.field)
    summary.push(id ? { text: error.message, href: `#${id}` } : { text: error.message })
    if (id) {
      const group = id.replace(/\.day$/, '')
      byField[group] ??= { text: error.message }
      byField[id] ??= { text: error.message }
    }
  }
  return { summary, byField }
}
