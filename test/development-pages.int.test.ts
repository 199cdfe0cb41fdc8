// The development year's pages on the demo: release time logged by the specialist and by the hub
// (the same half day twice, and a day outside the participation, refused with nothing saved), a
// correction that reverses an entry, extra days approved by the hub; the roster's at-risk view with
// each flag explained, filtered and downloaded; the participation page; a task handed in with a file
// (a wrong file type refused) and returned with feedback; NCETM setting a task; a Work Group
// lead's support visits on their release time, counted in the days used (one dated outside the
// programme listed but not counted). Another hub answers "page not found".
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { DEMO_DEVELOPMENT_COHORT } from '../src/domain/participants/participants.demo.ts'
import { groupSchools } from '../src/domain/work-groups/sessions/sessions.repository.ts'
import { sessionsGroup } from './work-group-session-fixtures.ts'
import { leadParticipation } from './work-group-fixtures.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
const COHORT = DEMO_DEVELOPMENT_COHORT

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

async function participationOf(email: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('participations')
    .innerJoin('people', 'people.id', 'participations.person_id')
    .select('participations.id')
    .where('people.email', '=', email)
    .where('participations.cohort_id', '=', COHORT)
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

async function entries(participationId: number): Promise<number> {
  const row = await t.database.db
    .selectFrom('release_entries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('participation_id', '=', participationId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

function dateFields(name: string, daysAgo: number): Record<string, string> {
  const d = new Date(t.clock.now().getTime() - daysAgo * 86_400_000)
  return {
    [`${name}.day`]: String(d.getUTCDate()),
    [`${name}.month`]: String(d.getUTCMonth() + 1),
    [`${name}.year`]: String(d.getUTCFullYear()),
  }
}

describe('release time', () => {
  it('is logged by the specialist from their programme, and the same half day twice is refused', async () => {
    const sam = await participationOf('sam.carter@school.example')
    const mine = await request(t, clients.specialist, 'GET', '/my-programme')
    expect(mine.body).toContain(`href="/participations/${sam}/release-time"`)
    const page = await request(t, clients.specialist, 'GET', `/participations/${sam}/release-time`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/<strong>[\d.]+ of 15 days<\/strong> used in/)
    const before = await entries(sam)
    const log = { ...dateFields('on', 3), half: 'morning', activity: 'department' }
    const first = await request(t, clients.specialist, 'POST', `/participations/${sam}/release-time`, log)
    expect(first.statusCode).toBe(303)
    expect(await entries(sam)).toBe(before + 1)
    const again = await request(t, clients.specialist, 'POST', `/participations/${sam}/release-time`, log)
    expect(again.statusCode).toBe(422)
    expect(again.body).toContain('href="#on.day"')
    expect(await entries(sam)).toBe(before + 1)
    const before2 = await entries(sam)
    const beforeStart = await request(t, clients.specialist, 'POST', `/participations/${sam}/release-time`, {
      ...dateFields('on', 400),
      half: 'day',
      activity: 'department',
    })
    expect(beforeStart.statusCode).toBe(422)
    expect(beforeStart.body).toContain('govuk-error-summary')
    expect(await entries(sam)).toBe(before2)
  })

  it('is logged and corrected by the hub, which approves extra days; another hub is not let in', async () => {
    const leah = await participationOf('leah.patel@school.example')
    const logged = await request(t, clients.hubLead, 'POST', `/participations/${leah}/release-time`, {
      ...dateFields('on', 5),
      half: 'day',
      activity: 'other-schools',
    })
    expect(logged.statusCode).toBe(303)
    const page = await request(t, clients.hubLead, 'GET', `/participations/${leah}/release-time`)
    const entryId = /release-time\/(\d+)\/reverse/.exec(page.body)?.[1]
    expect(entryId).toBeDefined()
    const noReason = await request(
      t,
      clients.hubLead,
      'POST',
      `/participations/${leah}/release-time/${entryId}/reverse`,
      {
        reason: '',
      },
    )
    expect(noReason.statusCode).toBe(422)
    const reversed = await request(
      t,
      clients.hubLead,
      'POST',
      `/participations/${leah}/release-time/${entryId}/reverse`,
      {
        reason: 'Logged against the wrong person',
      },
    )
    expect(reversed.statusCode).toBe(303)
    const after = await request(t, clients.hubLead, 'GET', `/participations/${leah}/release-time`)
    expect(after.body).toContain('Reversed: Logged against the wrong person')
    const extra = await request(
      t,
      clients.hubLead,
      'POST',
      `/participations/${leah}/release-time/extra-days`,
      {
        days: '2',
        reason: 'Leading an extra Work Group',
      },
    )
    expect(extra.statusCode).toBe(303)
    // The specialist cannot approve their own extra days, and another hub's lead sees nothing.
    const sam = await participationOf('sam.carter@school.example')
    expect(
      (await request(t, clients.specialist, 'GET', `/participations/${sam}/release-time/extra-days`))
        .statusCode,
    ).toBe(404)
    expect(
      (await request(t, clients.otherHubLead, 'GET', `/participations/${leah}/release-time`)).statusCode,
    ).toBe(404)
    expect((await request(t, clients.otherHubLead, 'GET', `/participations/${leah}`)).statusCode).toBe(404)
  })
})

describe('Work Group support visits on release time', () => {
  /** The current year's days used, and its Work Group support in half-days, as the page shows them. */
  function figures(html: string): { used: number; support: number } {
    const used = /<strong>([\d.]+) of [\d.]+ days<\/strong> used in/.exec(html)
    const support = /Work Group support: (\d+) half-days?/.exec(html)
    expect(used).not.toBeNull()
    return { used: Number(used![1]), support: support ? Number(support[1]) : 0 }
  }

  it('shows a visit the hub records on the lead’s release time, counted in the days used', async () => {
    const ruth = await leadParticipation(t)
    const group = await sessionsGroup(t)
    const [school] = await groupSchools(t.database.db, group)
    const url = `/participations/${ruth}/release-time`
    const before = await request(t, clients.hubLead, 'GET', url)
    expect(before.statusCode).toBe(200)
    const was = figures(before.body)

    const recorded = await request(t, clients.hubLead, 'POST', `/work-groups/${group}/support-visits`, {
      participationId: String(ruth),
      schoolUrn: String(school!.urn),
      ...dateFields('visitedOn', 2),
      halfDays: '3',
    })
    expect(recorded.statusCode).toBe(303)
    const after = await request(t, clients.hubLead, 'GET', url)
    expect(after.statusCode).toBe(200)
    expect(figures(after.body)).toEqual({ used: was.used + 1.5, support: was.support + 3 })
    expect(after.body).toMatch(/Work Group support: \d+ half-days \([\d.]+ days?\), counted in the days used/)
    expect(after.body).toContain('id="support-visits"')
    expect(after.body).toContain(school!.name)

    // A visit dated before the programme began is listed, and counts in no year.
    const early = await request(t, clients.hubLead, 'POST', `/work-groups/${group}/support-visits`, {
      participationId: String(ruth),
      schoolUrn: String(school!.urn),
      'visitedOn.day': '5',
      'visitedOn.month': '1',
      'visitedOn.year': '2015',
      halfDays: '2',
    })
    expect(early.statusCode).toBe(303)
    const later = await request(t, clients.hubLead, 'GET', url)
    expect(figures(later.body)).toEqual(figures(after.body))
    expect(later.body).toContain('5 January 2015')
    expect(later.body).toContain('No year of the programme: not counted')

    // The API gives the same: the year's support half-days and every visit with the year it counts in.
    const api = await request(t, clients.hubLead, 'GET', `/api/v1${url}`)
    expect(api.statusCode).toBe(200)
    const body = JSON.parse(api.body) as {
      currentYear: number
      years: { year: number; loggedHalfDays: number; supportHalfDays: number; usedHalfDays: number }[]
      supportVisits: { on: string; halfDays: number; year: number | null; schoolUrn: number }[]
    }
    const current = body.years.find((y) => y.year === body.currentYear)!
    expect(current.supportHalfDays).toBe(was.support + 3)
    expect(current.usedHalfDays).toBe(current.loggedHalfDays + current.supportHalfDays)
    expect(body.supportVisits).toContainEqual(
      expect.objectContaining({ on: '2015-01-05', halfDays: 2, year: null, schoolUrn: school!.urn }),
    )
  })
})

describe('the roster’s at-risk view', () => {
  it('shows the hub its own specialists with each flag explained, filtered, and as downloads', async () => {
    const hub = await request(t, clients.hubLead, 'GET', '/hubs/northvale-maths-hub')
    expect(hub.body).toContain(`/cohorts/${COHORT}/specialists"`)
    const roster = await request(t, clients.hubLead, 'GET', `/cohorts/${COHORT}/specialists`)
    expect(roster.statusCode).toBe(200)
    expect(roster.body).toContain('Sam Carter')
    expect(roster.body).not.toContain('Ibrahim Ali') // Riverside's
    expect(roster.body).toContain('Absent from the first residential')
    expect(roster.body).toContain('Overdue tasks')
    expect(roster.body).toMatch(/Nothing logged, attended or booked since/)
    const missed = await request(
      t,
      clients.hubLead,
      'GET',
      `/cohorts/${COHORT}/specialists?flag=missed-residential`,
    )
    expect(missed.body).toContain('Owen Hughes')
    expect(missed.body).not.toContain('Leah Patel')
    const csv = await request(
      t,
      clients.hubLead,
      'GET',
      `/cohorts/${COHORT}/specialists.csv?flag=missed-residential`,
    )
    expect(csv.statusCode).toBe(200)
    expect(csv.body).toContain('Owen Hughes')
    expect(csv.body).not.toContain('Leah Patel')
    const xlsx = await t.app.inject({
      method: 'GET',
      url: `/cohorts/${COHORT}/specialists.xlsx`,
      headers: { cookie: `mh_session=${clients.nationalAdmin.cookie}` },
    })
    expect(xlsx.statusCode).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const names = book.worksheets[0]!.getColumn(1).values.slice(2)
    expect(names).toContain('Ibrahim Ali')
    expect(names).toContain('Sam Carter')
    expect((await request(t, clients.teacher, 'GET', `/cohorts/${COHORT}/specialists`)).statusCode).toBe(404)
    expect(
      (
        await request(
          t,
          clients.otherHubLead,
          'GET',
          `/cohorts/${COHORT}/specialists?hub=northvale-maths-hub`,
        )
      ).statusCode,
    ).toBe(404)
  })
})

describe('tasks', () => {
  it('are handed in with a checked file and returned with feedback', async () => {
    const sam = await participationOf('sam.carter@school.example')
    const task = await t.database.db
      .selectFrom('tasks')
      .select('id')
      .where('cohort_id', '=', COHORT)
      .where('title', '=', 'Plan a lesson study cycle with your department')
      .executeTakeFirstOrThrow()
    const url = `/participations/${sam}/tasks/${task.id}`
    const page = await request(t, clients.specialist, 'GET', url)
    expect(page.body).toContain('Overdue')
    const send = (name: string, type: string, content: Buffer) => {
      const boundary = '----masteryhubtask'
      const head = (field: string, value: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`
      const payload = Buffer.concat([
        Buffer.from(head('_csrf', clients.specialist.csrf) + head('kind', 'file')),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
        ),
        content,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ])
      return t.app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: `mh_session=${clients.specialist.cookie}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload,
      })
    }
    const count = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('task_submissions')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('participation_id', '=', sam)
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    const fake = await send('plan.pdf', 'application/pdf', Buffer.from('MZ this is a program'))
    expect(fake.statusCode).toBe(422)
    expect(fake.body).toContain('href="#file"')
    expect(await count()).toBe(before)
    const pdf = await send(
      'plan.pdf',
      'application/pdf',
      Buffer.from('%PDF-1.4\n%plan\n1 0 obj\n<<>>\nendobj\n%%EOF\n'),
    )
    expect(pdf.statusCode).toBe(303)
    expect(await count()).toBe(before + 1)
    // The hub returns it with feedback; the feedback is required.
    const lead = await request(t, clients.hubLead, 'GET', url)
    const submission = /\/submissions\/(\d+)\/review/.exec(lead.body)?.[1]
    expect(submission).toBeDefined()
    const file = await t.app.inject({
      method: 'GET',
      url: `/submissions/${submission}/file`,
      headers: { cookie: `mh_session=${clients.hubLead.cookie}` },
    })
    expect(file.statusCode).toBe(200)
    expect(file.headers['content-disposition']).toContain('attachment')
    const noFeedback = await request(t, clients.hubLead, 'POST', `/submissions/${submission}/review`, {
      decision: 'return',
    })
    expect(noFeedback.statusCode).toBe(422)
    expect(noFeedback.body).toContain('href="#feedback"')
    const returned = await request(t, clients.hubLead, 'POST', `/submissions/${submission}/review`, {
      decision: 'return',
      feedback: 'Add who will observe each lesson',
    })
    expect(returned.statusCode).toBe(303)
    const back = await request(t, clients.specialist, 'GET', url)
    expect(back.body).toContain('Add who will observe each lesson')
    expect(
      (await request(t, clients.otherHubLead, 'GET', `/submissions/${submission}/file`)).statusCode,
    ).toBe(404)
  })

  it('are set by NCETM for the cohort, and a date in the past is refused', async () => {
    const page = await request(t, clients.nationalAdmin, 'GET', `/cohorts/${COHORT}/tasks`)
    expect(page.statusCode).toBe(200)
    const past = await request(t, clients.nationalAdmin, 'POST', `/cohorts/${COHORT}/tasks`, {
      title: 'Write up a lesson',
      description: 'One lesson, written up',
      ...dateFields('dueOn', 3),
    })
    expect(past.statusCode).toBe(422)
    expect(past.body).toContain('href="#dueOn.day"')
    const set = await request(t, clients.nationalAdmin, 'POST', `/cohorts/${COHORT}/tasks`, {
      title: 'Write up a lesson',
      description: 'One lesson, written up',
      ...dateFields('dueOn', -30),
    })
    expect(set.statusCode).toBe(303)
    expect((await request(t, clients.hubLead, 'GET', `/cohorts/${COHORT}/tasks`)).statusCode).toBe(404)
  })
})
