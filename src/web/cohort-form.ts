// The cohort form (setting up and changing a cohort) as the page shows it and as the use-cases take
// it. Each field is named by its path, as the use-cases name problems: opensAt.day,
// essentialCriteria.0.text, residentials.1.startsOn.year, funding.dayRate. A list is a row of
// fields per item plus a blank row; "Add another" asks for one more blank row (nothing is saved),
// a row left blank is ignored, and clearing a row's fields removes it. Money is entered in pounds
// and stored in pence.
import type { Cohort } from '../domain/programmes/programmes.repository.ts'
import { cohortAsInput } from '../domain/programmes/manage-cohorts.ts'

export const COHORT_LISTS = [
  'essentialCriteria',
  'desirableCriteria',
  'headteacherCommitments',
  'residentials',
] as const
export type CohortList = (typeof COHORT_LISTS)[number]

/** The most rows a list shows: one more than its limit, so "too many" can be said. */
const MAX_ROWS: Record<CohortList, number> = {
  essentialCriteria: 31,
  desirableCriteria: 31,
  headteacherCommitments: 21,
  residentials: 11,
}

interface DateValues {
  day: string
  month: string
  year: string
}
interface DateTimeValues extends DateValues {
  hour: string
  minute: string
}
interface CriterionValues {
  id: string
  text: string
  evidence: string
  wordLimit: string
}
interface ResidentialValues {
  name: string
  startsOn: DateValues
  endsOn: DateValues
  subjectToConfirmation: boolean
}

/** The form's answers as text, to show again. */
export interface CohortFormValues {
  number: string
  developmentYear: string
  opensAt: DateTimeValues
  closesAt: DateTimeValues
  decisionsReleasedOn: DateValues
  essentialCriteria: CriterionValues[]
  desirableCriteria: CriterionValues[]
  headteacherCommitments: string[]
  residentials: ResidentialValues[]
  funding: { releaseDaysPerYear: string; dayRate: string; bursary: string }
}

const blankDate = (): DateValues => ({ day: '', month: '', year: '' })
const blankDateTime = (): DateTimeValues => ({ ...blankDate(), hour: '', minute: '' })
const blankCriterion = (): CriterionValues => ({ id: '', text: '', evidence: '', wordLimit: '' })
const blankResidential = (): ResidentialValues => ({
  name: '',
  startsOn: blankDate(),
  endsOn: blankDate(),
  subjectToConfirmation: false,
})

export function blankCohortForm(): CohortFormValues {
  return {
    number: '',
    developmentYear: '',
    opensAt: blankDateTime(),
    closesAt: blankDateTime(),
    decisionsReleasedOn: blankDate(),
    essentialCriteria: [],
    desirableCriteria: [],
    headteacherCommitments: [],
    residentials: [],
    funding: { releaseDaysPerYear: '', dayRate: '', bursary: '' },
  }
}

/** Pence as pounds for the form: 20000 as "200", 12345 as "123.45". */
export function pounds(pence: number): string {
  return pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2)
}

function textOfDate(d: { day: number; month: number; year: number }): DateValues {
  return { day: String(d.day), month: String(d.month), year: String(d.year) }
}

function textOfDateTime(d: {
  day: number
  month: number
  year: number
  hour: number
  minute: number
}): DateTimeValues {
  return { ...textOfDate(d), hour: String(d.hour), minute: String(d.minute).padStart(2, '0') }
}

/** A stored cohort's details as the form shows them. */
export function cohortFormValues(cohort: Cohort): CohortFormValues {
  const input = cohortAsInput(cohort)
  return {
    number: String(cohort.number),
    developmentYear: input.developmentYear,
    opensAt: textOfDateTime(input.opensAt),
    closesAt: textOfDateTime(input.closesAt),
    decisionsReleasedOn: textOfDate(input.decisionsReleasedOn),
    essentialCriteria: input.essentialCriteria.map(criterionText),
    desirableCriteria: input.desirableCriteria.map(criterionText),
    headteacherCommitments: [...input.headteacherCommitments],
    residentials: input.residentials.map((r) => ({
      name: r.name,
      startsOn: textOfDate(r.startsOn),
      endsOn: textOfDate(r.endsOn),
      subjectToConfirmation: r.subjectToConfirmation,
    })),
    funding: {
      releaseDaysPerYear: String(input.funding.releaseDaysPerYear),
      dayRate: pounds(input.funding.dayRatePence),
      bursary: pounds(input.funding.bursaryPence),
    },
  }
}

function criterionText(c: { id: string; text: string; evidence: string; wordLimit: number | null }) {
  return {
    id: c.id,
    text: c.text,
    evidence: c.evidence,
    wordLimit: c.wordLimit === null ? '' : String(c.wordLimit),
  }
}

/** The form a new cohort of a programme starts from: its newest cohort's criteria, commitments and funding. */
export function newCohortFormValues(latest: Cohort | undefined): CohortFormValues {
  const blank = blankCohortForm()
  if (!latest) return blank
  const from = cohortFormValues(latest)
  const year = Number(latest.developmentYear.slice(0, 4)) + 1
  return {
    ...blank,
    number: String(latest.number + 1),
    developmentYear: `${year}/${String((year + 1) % 100).padStart(2, '0')}`,
    essentialCriteria: from.essentialCriteria,
    desirableCriteria: from.desirableCriteria,
    headteacherCommitments: from.headteacherCommitments,
    residentials: from.residentials.map((r) => ({ ...blankResidential(), name: r.name })),
    funding: from.funding,
  }
}

/** Rows of a list as the form sent them (row numbers 0 up), blank rows included. */
function rowsOf<T>(
  body: Record<string, string>,
  list: CohortList,
  read: (get: (key: string) => string) => T,
): T[] {
  const indexes = new Set<number>()
  const pattern = new RegExp(`^${list}\\.(\\d{1,2})(\\.|$)`)
  for (const key of Object.keys(body)) {
    const match = pattern.exec(key)
    if (match) indexes.add(Number(match[1]))
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .slice(0, MAX_ROWS[list])
    .map((i) => read((key) => (body[key ? `${list}.${i}.${key}` : `${list}.${i}`] ?? '').trim()))
}

function dateText(get: (key: string) => string, prefix: string): DateValues {
  return { day: get(`${prefix}.day`), month: get(`${prefix}.month`), year: get(`${prefix}.year`) }
}

const isBlankDate = (d: DateValues) => !d.day && !d.month && !d.year
const isBlankCriterion = (c: CriterionValues) => !c.id && !c.text && !c.evidence && !c.wordLimit
const isBlankResidential = (r: ResidentialValues) =>
  !r.name && isBlankDate(r.startsOn) && isBlankDate(r.endsOn)

/** The answers the form sent, as text; with `compact`, the rows left blank are left out. */
export function readCohortForm(body: Record<string, string>, compact: boolean): CohortFormValues {
  const get = (key: string) => (body[key] ?? '').trim()
  const criteria = (list: 'essentialCriteria' | 'desirableCriteria') => {
    const rows = rowsOf(body, list, (g) => ({
      id: g('id'),
      text: g('text'),
      evidence: g('evidence'),
      wordLimit: g('wordLimit'),
    }))
    return compact ? rows.filter((r) => !isBlankCriterion(r)) : rows
  }
  const commitments = rowsOf(body, 'headteacherCommitments', (g) => g(''))
  const residentials = rowsOf(body, 'residentials', (g) => ({
    name: g('name'),
    startsOn: dateText(g, 'startsOn'),
    endsOn: dateText(g, 'endsOn'),
    subjectToConfirmation: g('subjectToConfirmation') === 'yes',
  }))
  return {
    number: get('number'),
    developmentYear: get('developmentYear'),
    opensAt: { ...dateText(get, 'opensAt'), hour: get('opensAt.hour'), minute: get('opensAt.minute') },
    closesAt: { ...dateText(get, 'closesAt'), hour: get('closesAt.hour'), minute: get('closesAt.minute') },
    decisionsReleasedOn: dateText(get, 'decisionsReleasedOn'),
    essentialCriteria: criteria('essentialCriteria'),
    desirableCriteria: criteria('desirableCriteria'),
    headteacherCommitments: compact ? commitments.filter((c) => c !== '') : commitments,
    residentials: compact ? residentials.filter((r) => !isBlankResidential(r)) : residentials,
    funding: {
      releaseDaysPerYear: get('funding.releaseDaysPerYear'),
      dayRate: get('funding.dayRate'),
      bursary: get('funding.bursary'),
    },
  }
}

/** A whole number typed, or undefined when blank; anything else is NaN, which the parser refuses. */
function whole(text: string): number | undefined {
  if (text === '') return undefined
  return /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN
}

function decimal(text: string): number | undefined {
  if (text === '') return undefined
  return /^\d{1,6}(\.\d{1,2})?$/.test(text) ? Number(text) : Number.NaN
}

/** Pounds typed ("200", "£1,000.50") as pence. */
function pence(text: string): number | undefined {
  const plain = text.replace(/^£/, '').replace(/,/g, '')
  if (plain === '') return undefined
  return /^\d{1,9}(\.\d{1,2})?$/.test(plain) ? Math.round(Number(plain) * 100) : Number.NaN
}

const dateInput = (d: DateValues) => ({ day: whole(d.day), month: whole(d.month), year: whole(d.year) })
const dateTimeInput = (d: DateTimeValues) => ({
  ...dateInput(d),
  hour: whole(d.hour),
  minute: whole(d.minute),
})

/** The form's answers as the use-cases take them (number and programme not included). */
export function cohortInputOf(values: CohortFormValues) {
  const criterion = (c: CriterionValues) => ({
    id: c.id,
    text: c.text,
    evidence: c.evidence,
    wordLimit: c.wordLimit === '' ? null : whole(c.wordLimit),
  })
  return {
    developmentYear: values.developmentYear,
    opensAt: dateTimeInput(values.opensAt),
    closesAt: dateTimeInput(values.closesAt),
    decisionsReleasedOn: dateInput(values.decisionsReleasedOn),
    essentialCriteria: values.essentialCriteria.map(criterion),
    desirableCriteria: values.desirableCriteria.map(criterion),
    headteacherCommitments: values.headteacherCommitments,
    residentials: values.residentials.map((r) => ({
      name: r.name,
      startsOn: dateInput(r.startsOn),
      endsOn: dateInput(r.endsOn),
      subjectToConfirmation: r.subjectToConfirmation,
    })),
    funding: {
      releaseDaysPerYear: decimal(values.funding.releaseDaysPerYear),
      dayRatePence: pence(values.funding.dayRate),
      bursaryPence: pence(values.funding.bursary),
    },
  }
}

/** The form with a blank row at the end of each list, and one more in the list asked for. */
export function withBlankRows(values: CohortFormValues, more?: CohortList): CohortFormValues {
  const extra = (list: CohortList) => (list === more ? 2 : 1)
  const pad = <T>(list: CohortList, rows: T[], blank: () => T): T[] => {
    const out = [...rows]
    for (let i = 0; i < extra(list) && out.length < MAX_ROWS[list]; i++) out.push(blank())
    return out
  }
  return {
    ...values,
    essentialCriteria: pad('essentialCriteria', values.essentialCriteria, blankCriterion),
    desirableCriteria: pad('desirableCriteria', values.desirableCriteria, blankCriterion),
    headteacherCommitments: pad('headteacherCommitments', values.headteacherCommitments, () => ''),
    residentials: pad('residentials', values.residentials, blankResidential),
  }
}

const DATE_FIELD = /^(opensAt|closesAt|decisionsReleasedOn|residentials\.\d+\.(startsOn|endsOn))$/
const DATE_PART =
  /^(opensAt|closesAt|decisionsReleasedOn|residentials\.\d+\.(startsOn|endsOn))\.(day|month|year|hour|minute)$/
const FIRST_FIELD: Record<string, string> = {
  essentialCriteria: 'essentialCriteria.0.id',
  desirableCriteria: 'desirableCriteria.0.id',
  headteacherCommitments: 'headteacherCommitments.0',
  residentials: 'residentials.0.name',
  funding: 'funding.releaseDaysPerYear',
  'funding.dayRatePence': 'funding.dayRate',
  'funding.bursaryPence': 'funding.bursary',
}

/** The id of the form field a problem's field names, or undefined for the whole form. */
export function formFieldOf(field: string): string | undefined {
  if (field === 'form' || field === 'cohort' || field === 'programmeId') return undefined
  if (DATE_FIELD.test(field)) return `${field}.day`
  if (FIRST_FIELD[field]) return FIRST_FIELD[field]
  const item = /^(essentialCriteria|desirableCriteria|residentials)\.(\d+)$/.exec(field)
  if (item) return `${item[1]}.${item[2]}.${item[1] === 'residentials' ? 'name' : 'id'}`
  return field
}

/** The field or group of fields (a date input) whose error message shows a problem. */
function groupOf(id: string): string {
  const part = DATE_PART.exec(id)
  return part ? part[1]! : id
}

/** On the page money is in pounds. */
function pageMessage(message: string): string {
  return message
    .replace(/ in pence$/, ' in pounds, like 200')
    .replace(/a whole number of pence/, 'in pounds and pence, like 200.50')
}

/** Problems as the error summary lists them, and each field's (or date group's) message. */
export function cohortFormErrors(errors: { field: string; message: string }[]): {
  summary: { text: string; href?: string }[]
  byField: Record<string, { text: string }>
} {
  const summary: { text: string; href?: string }[] = []
  const byField: Record<string, { text: string }> = {}
  for (const error of errors) {
    const text = pageMessage(error.message)
    const id = formFieldOf(error.field)
    summary.push(id ? { text, href: `#${id}` } : { text })
    if (id) {
      const group = groupOf(id)
      byField[group] ??= { text }
      byField[id] ??= { text }
    }
  }
  return { summary, byField }
}
